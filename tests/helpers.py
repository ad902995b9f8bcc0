"""Helpers shared by the unit tests (``from helpers import call, login, add_user``); the
fixtures are in ``conftest.py``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cartable.accounts import passwords
from cartable.api import run

FAST = 1000  # PBKDF2 iterations in tests (test_accounts checks the real count once)


def call(api, command, payload=None, session=None):
    """Run one API command in CPython (``Api.handle`` driven to completion)."""
    return run(api.handle(command, payload or {}, session))


def login(api, who, password="password1") -> str:
    """Log ``who`` in; the session token."""
    return call(api, "auth.login", {"login": who, "password": password})["session"]


def add_user(conn, login, password="password1", role="professeur", nom="DUPUIS",
             prenom="Marie", **cols) -> int:
    """An account written directly in the database (``cols``: other columns to set)."""
    hashed = run(passwords.hash_password(password))
    cur = conn.execute(
        "INSERT INTO utilisateur (role, nom, prenom, login, password_hash) VALUES (?, ?, ?, ?, ?)",
        (role, nom, prenom, login, hashed),
    )
    for col, value in cols.items():
        conn.execute(f"UPDATE utilisateur SET {col} = ? WHERE id = ?", (value, cur.lastrowid))
    return cur.lastrowid


def file_hash(api_or_path) -> str:
    """sha256 of a school file (an ``Api``'s, or at a path): "not a byte changed" checks."""
    path = getattr(api_or_path, "path", api_or_path)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dump(api) -> str:
    return "\n".join(api.db.iterdump())
