"""The school's settings (meta), e.g. whether merely assigned teachers may validate."""

from __future__ import annotations

import sqlite3

from cartable import db
from cartable.errors import UserError

SETTINGS = {"professeurs_affectes_valident": False}


def get_settings(conn: sqlite3.Connection) -> dict:
    return {
        "professeurs_affectes_valident":
            db.get_meta(conn, "professeurs_affectes_valident", "0") == "1",
    }


def set_settings(conn: sqlite3.Connection, values: dict) -> dict:
    for key, value in values.items():
        if key not in SETTINGS:
            raise UserError(f"Réglage inconnu : « {key} ».")
        if not isinstance(value, bool):
            raise UserError(f"La valeur du réglage « {key} » doit être oui ou non.")
    current = get_settings(conn)
    with db.transaction(conn):
        for key, value in values.items():
            if current[key] != value:
                db.set_meta(conn, key, "1" if value else "0")
    return get_settings(conn)
