"""Checks of values found in a command's payload (French UserError when they are wrong)."""

from __future__ import annotations

from typing import Any

from cartable.errors import UserError
from cartable.text import de

# SQLite's integers are 64-bit: a bigger number is the id of no row (and sqlite3 would raise
# OverflowError on it).
_ID_MAX = 2**63 - 1


def payload_int(value: Any, what: str) -> int:
    """An integer id from a payload, or a French UserError."""
    bad = UserError(f"Identifiant {de(what)} invalide.")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise bad
    try:
        number = int(value)
    except ValueError:
        raise bad from None
    if not -_ID_MAX <= number <= _ID_MAX:
        raise bad
    return number

