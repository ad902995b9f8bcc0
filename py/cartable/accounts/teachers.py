"""Teachers' accounts (``utilisateur`` of role ``professeur``): listed, created, renamed,
password reset, deactivated, deleted.
"""

from __future__ import annotations

import sqlite3

from cartable import db
from cartable.accounts.logins import check_login, generate_login
from cartable.accounts.names import clean_civilite, clean_name
from cartable.accounts.passwords import check_new_password, generate_password, hash_password
from cartable.errors import UserError
from cartable.payload import payload_int


def get_professeur(conn: sqlite3.Connection, prof_id) -> sqlite3.Row:
    pid = payload_int(prof_id, "professeur")
    row = conn.execute(
        "SELECT * FROM utilisateur WHERE id = ? AND role = 'professeur'", (pid,)
    ).fetchone()
    if row is None:
        raise UserError("Ce professeur n'existe pas (ou plus). Rechargez la liste.")
    return row


def professeur_dict(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    classes = [
        r[0]
        for r in conn.execute(
            "SELECT classe_id FROM affectation WHERE utilisateur_id = ? ORDER BY classe_id",
            (row["id"],),
        )
    ]
    return {
        "id": row["id"],
        "civilite": row["civilite"],
        "nom": row["nom"],
        "prenom": row["prenom"],
        "login": row["login"],
        "actif": bool(row["actif"]),
        "must_change_password": bool(row["must_change_password"]),
        "classes": classes,
    }


def list_professeurs(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        "SELECT * FROM utilisateur WHERE role = 'professeur' "
        "ORDER BY nom COLLATE FR, prenom COLLATE FR, id"
    ).fetchall()
    return [professeur_dict(conn, r) for r in rows]


async def create_professeur(conn: sqlite3.Connection, nom, prenom, login=None,
                            password=None, civilite=None) -> dict:
    """Create a teacher. Returns ``{"id", "login", "password"}`` (the clear password, once)."""
    nom = clean_name(nom, "nom").upper()
    prenom = clean_name(prenom, "prénom")
    civilite = clean_civilite(civilite)
    if login is None or (isinstance(login, str) and not login.strip()):
        login = generate_login(conn, nom, prenom)
    else:
        login = check_login(conn, login)
    generated = password is None or password == ""
    password = generate_password() if generated else check_new_password(password)
    hashed = await hash_password(password)
    with db.transaction(conn):
        cur = conn.execute(
            "INSERT INTO utilisateur (role, nom, prenom, login, password_hash, "
            "must_change_password, civilite) VALUES ('professeur', ?, ?, ?, ?, ?, ?)",
            (nom, prenom, login, hashed, int(generated), civilite),
        )
    return {"id": cur.lastrowid, "login": login, "password": password}


def update_professeur(conn: sqlite3.Connection, prof_id, nom, prenom, login=None,
                      civilite=None) -> dict:
    """Rename a teacher; ``civilite`` None keeps it, '' clears it."""
    row = get_professeur(conn, prof_id)
    nom = clean_name(nom, "nom").upper()
    prenom = clean_name(prenom, "prénom")
    civilite = row["civilite"] if civilite is None else clean_civilite(civilite)
    if login is None or (isinstance(login, str) and not login.strip()):
        login = row["login"]
    else:
        login = check_login(conn, login, exclude_id=row["id"])
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET nom = ?, prenom = ?, login = ?, civilite = ? WHERE id = ?",
            (nom, prenom, login, civilite, row["id"]),
        )
    return professeur_dict(conn, get_professeur(conn, row["id"]))


async def reset_password(conn: sqlite3.Connection, prof_id, password=None) -> dict:
    row = get_professeur(conn, prof_id)
    generated = password is None or password == ""
    password = generate_password() if generated else check_new_password(password)
    hashed = await hash_password(password)
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET password_hash = ?, must_change_password = ?, "
            "failed_logins = 0, locked_until = NULL WHERE id = ?",
            (hashed, int(generated), row["id"]),
        )
    return {"login": row["login"], "password": password}


def set_actif(conn: sqlite3.Connection, prof_id, actif) -> dict:
    row = get_professeur(conn, prof_id)
    if not isinstance(actif, bool):
        raise UserError("Indiquez si le compte doit être actif (vrai ou faux).")
    with db.transaction(conn):
        conn.execute("UPDATE utilisateur SET actif = ? WHERE id = ?", (int(actif), row["id"]))
    return professeur_dict(conn, get_professeur(conn, row["id"]))


def delete_professeur(conn: sqlite3.Connection, prof_id) -> None:
    """Remove a teacher and his or her assignments; decisions (signed by ``info``) stay."""
    row = get_professeur(conn, prof_id)
    with db.transaction(conn):
        conn.execute("DELETE FROM affectation WHERE utilisateur_id = ?", (row["id"],))
        conn.execute("DELETE FROM utilisateur WHERE id = ?", (row["id"],))
