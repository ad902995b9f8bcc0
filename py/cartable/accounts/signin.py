"""Signing in: the account of a login, its password checked, throttling after wrong secrets,
the signed-in user as the interface shows it, the director's account created at setup.
"""

from __future__ import annotations

import datetime
import sqlite3

from cartable import _compat, db
from cartable.accounts.passwords import check_new_password, hash_password, verify_password
from cartable.errors import UserError

# Throttling: from the 5th consecutive failure the account is locked 30 s, then 60 s, 120 s...
MAX_FAILURES = 5
LOCK_BASE_SECONDS = 30
LOCK_MAX_SECONDS = 15 * 60

BAD_CREDENTIALS = (
    "Identifiant ou mot de passe incorrect. Vérifiez l'identifiant et le mot de passe "
    "(attention aux majuscules) puis réessayez."
)


def insert_director(conn: sqlite3.Connection, nom: str, prenom: str, login: str,
                    password_hash: str, civilite: str = "",
                    secours_hash: str | None = None) -> None:
    """The director's account (first start), inside the caller's transaction;
    ``secours_hash``: her code de secours, hashed (``secours.hash_code``), stored in the
    column ``recovery_hash``."""
    if conn.execute("SELECT 1 FROM utilisateur WHERE login = ?", (login,)).fetchone():
        raise UserError(f"L'identifiant « {login} » est déjà utilisé. Choisissez-en un autre.",
                        field="login")
    conn.execute(
        "INSERT INTO utilisateur (role, nom, prenom, login, password_hash, civilite, "
        "recovery_hash) VALUES ('directeur', ?, ?, ?, ?, ?, ?)",
        (nom, prenom, login, password_hash, civilite, secours_hash),
    )


def session_user(conn: sqlite3.Connection, session) -> dict:
    """``user_dict`` of a session's account; the command line's director of a school without
    a director account has none: then what the session knows."""
    row = conn.execute("SELECT * FROM utilisateur WHERE id = ?", (session.user_id,)).fetchone()
    if row is None:
        return {"id": session.user_id, "role": session.role, "nom": session.nom,
                "prenom": session.prenom, "login": session.login,
                "must_change_password": session.must_change_password}
    return user_dict(row)


def user_dict(row: sqlite3.Row) -> dict:
    """The caller's account as the interface shows it (never a hash). The director's also
    says whether she has a code de secours."""
    user = {
        "id": row["id"],
        "role": row["role"],
        "nom": row["nom"],
        "prenom": row["prenom"],
        "login": row["login"],
        "must_change_password": bool(row["must_change_password"]),
    }
    if row["role"] == "directeur":
        user["has_recovery_code"] = bool(row["recovery_hash"])
    return user


def lock_seconds(failures: int) -> int:
    """Lock delay after ``failures`` consecutive failures (0 below MAX_FAILURES)."""
    if failures < MAX_FAILURES:
        return 0
    return min(LOCK_BASE_SECONDS * 2 ** min(failures - MAX_FAILURES, 20), LOCK_MAX_SECONDS)


def _locked_message(until: datetime.datetime, now: datetime.datetime) -> str:
    wait = max(1, int((until - now).total_seconds() + 0.999))
    delay = f"{wait} secondes" if wait < 120 else f"{(wait + 59) // 60} minutes"
    return (
        "Trop d'essais de mot de passe incorrects : ce compte est bloqué quelques instants. "
        f"Réessayez à {until:%H:%M:%S} (dans {delay})."
    )


def check_not_locked(row: sqlite3.Row, now: datetime.datetime) -> None:
    """UserError (code "locked") while the account is throttled."""
    if row["locked_until"]:
        try:
            until = datetime.datetime.fromisoformat(row["locked_until"])
        except (TypeError, ValueError):
            # Not a date Cartable wrote (school files are checked when opened): no lock; the
            # next failure or success writes a real one.
            return
        if until > now:
            raise UserError(_locked_message(until, now), code="locked")


def record_failure(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime.datetime,
                   message: str, **details) -> None:
    """Count one more wrong secret (password or code de secours) and raise: ``message``, or
    the lock message once the account gets locked."""
    failures = row["failed_logins"] + 1
    seconds = lock_seconds(failures)
    until = now + datetime.timedelta(seconds=seconds) if seconds else None
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET failed_logins = ?, locked_until = ? WHERE id = ?",
            (failures, until.isoformat(timespec="seconds") if until else None, row["id"]),
        )
    if until:
        raise UserError(_locked_message(until, now), code="locked")
    raise UserError(message, **details)


def find_user(conn: sqlite3.Connection, login: str) -> sqlite3.Row | None:
    """The user of a typed login (trimmed; lower-cased if it matches no one as typed)."""
    login = login.strip()
    row = conn.execute("SELECT * FROM utilisateur WHERE login = ?", (login,)).fetchone()
    if row is None and login != login.lower():
        row = conn.execute(
            "SELECT * FROM utilisateur WHERE login = ?", (login.lower(),)
        ).fetchone()
    return row


async def authenticate(conn: sqlite3.Connection, login, password) -> sqlite3.Row:
    """The user row for a correct login + password, or UserError (generic for bad ones)."""
    if not isinstance(login, str) or not isinstance(password, str) or not login.strip():
        raise UserError(BAD_CREDENTIALS)
    row = find_user(conn, login)
    if row is None:
        await hash_password(password)  # same cost as a real check: no login enumeration
        raise UserError(BAD_CREDENTIALS)
    now = _compat.now()
    check_not_locked(row, now)
    if not await verify_password(password, row["password_hash"]):
        record_failure(conn, row, now, BAD_CREDENTIALS)
    if not row["actif"]:
        raise UserError(
            "Ce compte a été désactivé. Demandez au directeur ou à la directrice de la "
            "réactiver.",
            code="inactive",
        )
    if row["failed_logins"] or row["locked_until"]:
        with db.transaction(conn):
            conn.execute(
                "UPDATE utilisateur SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                (row["id"],),
            )
    return row


async def change_password(conn: sqlite3.Connection, user_id: int, old, new) -> None:
    row = conn.execute("SELECT password_hash FROM utilisateur WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise UserError("Ce compte n'existe plus. Reconnectez-vous.")
    if not isinstance(old, str) or not await verify_password(old, row["password_hash"]):
        raise UserError("L'ancien mot de passe est incorrect. Saisissez-le à nouveau.",
                        field="old_password")
    check_new_password(new)
    if new == old:
        raise UserError(
            "Le nouveau mot de passe doit être différent de l'ancien. Choisissez-en un autre."
        )
    hashed = await hash_password(new)
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET password_hash = ?, must_change_password = 0 WHERE id = ?",
            (hashed, user_id),
        )
