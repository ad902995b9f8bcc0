"""The school's identity for LSU: nom, UAI and the director's civilité, nom, prénom.

The director is the school's ``utilisateur`` of role ``directeur``; nom and UAI live in ``meta``
(``school.py``).
"""

from __future__ import annotations

import sqlite3

from . import db
from .accounts import clean_civilite, clean_name
from .errors import UserError
from .school import clean_school, get_school, write_school


def director_row(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The school's director account (the first active one), or None."""
    return conn.execute(
        "SELECT * FROM utilisateur WHERE role = 'directeur' ORDER BY actif DESC, id LIMIT 1"
    ).fetchone()


def get_identity(conn: sqlite3.Connection) -> dict:
    """What LSU needs of the school: nom, UAI and the director's civilité, nom, prénom."""
    ecole = get_school(conn) or {"nom": "", "uai": ""}
    d = director_row(conn)
    directeur = None if d is None else {
        "id": d["id"], "civilite": d["civilite"], "nom": d["nom"], "prenom": d["prenom"]}
    return {"nom": ecole["nom"], "uai": ecole["uai"], "directeur": directeur}


def set_identity(conn: sqlite3.Connection, values: dict) -> dict:
    """Change any of ``nom``, ``uai``, ``directeur: {civilite, nom, prenom}``; absent keys keep
    their value. Everything is checked before anything is written."""
    unknown = sorted(set(values) - {"nom", "uai", "directeur"})
    if unknown:
        raise UserError(f"Champ inconnu : « {unknown[0]} ».")
    current = get_identity(conn)
    nom, uai = clean_school(values.get("nom", current["nom"] or None),
                           values.get("uai", current["uai"]))
    changes = values.get("directeur")
    d = current["directeur"]
    if changes is not None:
        if not isinstance(changes, dict) or set(changes) - {"civilite", "nom", "prenom"}:
            raise UserError("L'identité du directeur ou de la directrice est invalide.")
        if d is None:
            raise UserError(
                "L'école n'a pas encore de compte de directeur ou de directrice : créez-le "
                "d'abord (premier démarrage de Cartable), puis indiquez sa civilité."
            )
        whose = "du directeur ou de la directrice"
        d = {
            "id": d["id"],
            "civilite": clean_civilite(changes.get("civilite", d["civilite"]), whose),
            "nom": clean_name(changes.get("nom", d["nom"]), "nom", whose).upper(),
            "prenom": clean_name(changes.get("prenom", d["prenom"]), "prénom", whose),
        }
    with db.transaction(conn):
        write_school(conn, nom, uai)
        if changes is not None and d != current["directeur"]:
            conn.execute("UPDATE utilisateur SET civilite = ?, nom = ?, prenom = ? WHERE id = ?",
                         (d["civilite"], d["nom"], d["prenom"], d["id"]))
    return get_identity(conn)
