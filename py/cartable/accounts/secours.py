"""The director's code de secours: how she gets back in after forgetting her password.

At the school's creation a code is drawn with ``secrets`` (16 characters from an alphabet
without look-alikes, shown as 4 groups of 4: ``K7MP-3QXR-W9DT-H4NB``, about 79 bits) and shown
once, to be printed and kept with the school's papers. Only its PBKDF2 hash is stored, in
``utilisateur.recovery_hash`` (``passwords.hash_password``, the same scheme as passwords).

With her login and the code, the director sets a new password from the login screen
(``reset_with_code``). A code works once: the reset draws a new one, shown once. Wrong codes
count as wrong passwords (the same throttling, on the same counters). Only the director has a
code: a teacher who forgot a password asks the director, who resets it.
"""

from __future__ import annotations

import secrets
import sqlite3

from cartable import _compat, db
from cartable.accounts import passwords, signin
from cartable.errors import UserError

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
GROUPS, GROUP_LENGTH = 4, 4
CODE_LENGTH = GROUPS * GROUP_LENGTH

BAD_CODE = (
    "Identifiant ou code de secours incorrect. Vérifiez l'identifiant du directeur ou de la "
    "directrice et les 16 caractères du code (les tirets sont facultatifs), puis réessayez. "
    "Le code de secours ne sert qu'au compte du directeur ou de la directrice : un professeur "
    "qui a oublié son mot de passe demande au directeur ou à la directrice de le réinitialiser."
)


def generate_code() -> str:
    """A fresh code, ``XXXX-XXXX-XXXX-XXXX``."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(chars[i:i + GROUP_LENGTH] for i in range(0, CODE_LENGTH, GROUP_LENGTH))


def normalise_code(text) -> str | None:
    """The 16 characters of a typed code (case, spaces and dashes ignored), or None."""
    if not isinstance(text, str):
        return None
    chars = "".join(c for c in text.upper() if c not in " -\t.")
    if len(chars) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in chars):
        return None
    return chars


async def hash_code(code: str) -> str:
    return await passwords.hash_password(normalise_code(code))


async def new_code_for(conn: sqlite3.Connection, user_id: int) -> str:
    """Draw and store (hashed) a new code for the director ``user_id``; the old one is spent.
    Returns the clear code, to be shown once."""
    code = generate_code()
    hashed = await hash_code(code)
    with db.transaction(conn):
        conn.execute("UPDATE utilisateur SET recovery_hash = ? WHERE id = ? AND role = "
                     "'directeur'", (hashed, user_id))
    return code


async def regenerate(conn: sqlite3.Connection, user_id: int, password) -> str:
    """A new code from "Mon compte": the current password is required."""
    row = conn.execute("SELECT * FROM utilisateur WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise UserError("Ce compte n'existe plus. Reconnectez-vous.")
    if row["role"] != "directeur":
        raise UserError("Seul le compte du directeur ou de la directrice a un code de secours.")
    if not isinstance(password, str) or not await passwords.verify_password(
            password, row["password_hash"]):
        raise UserError("Le mot de passe est incorrect. Saisissez votre mot de passe actuel.",
                        field="old_password")
    return await new_code_for(conn, user_id)


async def reset_with_code(conn: sqlite3.Connection, login, code, new_password
                          ) -> tuple[sqlite3.Row, str]:
    """Set the director's password from her code. Returns her row and the new code.

    Unknown login, a teacher's login, a director without a code and a wrong code all get
    ``BAD_CODE`` after the same hashing cost; wrong codes on the director's account count as
    wrong passwords (throttling)."""
    passwords.check_new_password(new_password)
    typed = normalise_code(code)
    row = signin.find_user(conn, login) if isinstance(login, str) and login.strip() else None
    if row is None or row["role"] != "directeur" or not row["recovery_hash"] \
            or not row["actif"]:
        await passwords.hash_password(typed or "-")  # same cost: no login enumeration
        raise UserError(BAD_CODE, field="code")
    now = _compat.now()
    signin.check_not_locked(row, now)
    if typed is None or not await passwords.verify_password(typed, row["recovery_hash"]):
        signin.record_failure(conn, row, now, BAD_CODE, field="code")
    password_hash = await passwords.hash_password(new_password)
    code = generate_code()
    secours_hash = await hash_code(code)
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET password_hash = ?, recovery_hash = ?, "
            "must_change_password = 0, failed_logins = 0, locked_until = NULL WHERE id = ?",
            (password_hash, secours_hash, row["id"]),
        )
    return conn.execute("SELECT * FROM utilisateur WHERE id = ?", (row["id"],)).fetchone(), code
