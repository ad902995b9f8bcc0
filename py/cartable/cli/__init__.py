"""The command line (``python -m cartable``): one registry of actions, each written the same
way, going through the API only."""
