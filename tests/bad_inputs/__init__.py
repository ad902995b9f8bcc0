"""The corpus of bad inputs (see README.md and corpus.py)."""
