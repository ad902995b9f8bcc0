"""API commands: base_eleves (see docs/API.md)."""

from ..api import command  # noqa: F401
