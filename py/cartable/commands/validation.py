"""API commands: validation (see docs/API.md)."""

from ..api import command  # noqa: F401
