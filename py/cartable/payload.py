"""Checks of values found in a command's payload (French UserError when they are wrong)."""

from __future__ import annotations

from typing import Any

from cartable.errors import UserError


def payload_int(value: Any, what: str) -> int:
    """An integer id from a payload, or a French UserError."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise UserError(f"Identifiant de {what} invalide.")
    try:
        return int(value)
    except ValueError:
        raise UserError(f"Identifiant de {what} invalide.") from None
