"""API commands: sacoche (see docs/API.md)."""

from ..api import command  # noqa: F401
