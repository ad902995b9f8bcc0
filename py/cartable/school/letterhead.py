"""The school as official files name it: nom, UAI and its director (civilité, nom, prénom).

Nom and UAI live in ``meta``; the director is the school's ``utilisateur`` of role
``directeur``, found by ``director(conn)`` (the one query that asks who the director is).
LSU files, the attestation and the first start read it here.
"""

from __future__ import annotations

import re
import sqlite3

from cartable import db
from cartable.accounts.names import clean_civilite, clean_name
from cartable.errors import UserError
from cartable.text import clean, plural

SCHOOL_NAME_MAX = 100
UAI_RE = re.compile(r"[0-9]{7}[A-Z]")
UAI_LENGTH = 8  # what UAI_RE matches: 7 digits and a letter
# The check letter: the 7-digit number modulo 23 indexes this alphabet (no I, O nor Q).
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_EXAMPLE = "0441234C"  # 441234 % 23 == 2: "C" (every example Cartable shows is valid)


# -- nom, UAI and director -----------------------------------------------------------------


def get_school(conn: sqlite3.Connection) -> dict | None:
    """``{"nom", "uai"}``, or None while the school has not been set up."""
    nom = db.get_meta(conn, "nom")
    if nom is None:
        return None
    return {"nom": nom, "uai": db.get_meta(conn, "uai", "")}


def director(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The school's director account: the first active one, else the first deactivated one;
    None when the school has none. The one query that asks who the director is."""
    return conn.execute(
        "SELECT * FROM utilisateur WHERE role = 'directeur' ORDER BY actif DESC, id LIMIT 1"
    ).fetchone()


def has_director(conn: sqlite3.Connection) -> bool:
    """Whether the school has a director account, active or not (its setup is done)."""
    return director(conn) is not None


def has_active_director(conn: sqlite3.Connection) -> bool:
    """Whether a director can sign in (while none can, the school file is anyone's to open)."""
    row = director(conn)
    return row is not None and bool(row["actif"])


def needs_setup(conn: sqlite3.Connection) -> bool:
    return get_school(conn) is None or not has_director(conn)


def clean_school(nom, uai) -> tuple[str, str]:
    """Checked (nom, uai). The UAI (ex-RNE) is optional: ``check_uai``."""
    if not isinstance(nom, str) or not nom.strip():
        raise UserError("Indiquez le nom de l'école (par exemple « École élémentaire Jules "
                        "Ferry »).", field="ecole")
    nom = clean(nom)
    if len(nom) > SCHOOL_NAME_MAX:
        raise UserError(f"Le nom de l'école est trop long ({SCHOOL_NAME_MAX} caractères au "
                        "plus).", field="ecole")
    return nom, check_uai(uai)


def uai_letter(digits: str) -> str:
    """The check letter of a UAI's 7 digits."""
    return UAI_LETTERS[int(digits) % len(UAI_LETTERS)]


def check_uai(value, optional: bool = True, fix: str | None = None) -> str:
    """The UAI (ex-RNE) checked and upper-cased: 8 characters, 7 digits and the check letter.
    Empty (None or spaces) gives "" when ``optional``. The one check every door uses
    (Réglages, first start, ``ecole --uai``, ``nouvelle-ecole --uai``, LSU). ``fix`` ends the
    message (what to do; by default: correct it, or leave it empty when optional)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise UserError("Le numéro UAI est invalide : indiquez 7 chiffres suivis d'une lettre "
                        f"(par exemple {UAI_EXAMPLE}).", field="uai")
    uai = "".join(value.split()).upper()
    if not uai:
        if optional:
            return ""
        raise UserError(f"Indiquez le numéro UAI de l'école (par exemple {UAI_EXAMPLE}).",
                        field="uai")
    if fix is None:
        fix = "Corrigez-le ou laissez le champ vide." if optional else "Corrigez-le."
    fix = " " + fix
    if len(uai) != UAI_LENGTH:
        raise UserError(
            f"Le numéro UAI « {uai} » n'est pas valide : il a "
            f"{plural(len(uai), 'caractère', 'caractères')} au lieu de {UAI_LENGTH}, 7 chiffres "
            f"suivis d'une lettre (par exemple {UAI_EXAMPLE}).{fix}", field="uai")
    if not UAI_RE.fullmatch(uai):
        raise UserError(
            f"Le numéro UAI « {uai} » n'est pas valide : il comporte 7 chiffres suivis d'une "
            f"lettre (par exemple {UAI_EXAMPLE}).{fix}", field="uai")
    expected = uai_letter(uai[:7])
    if uai[7] != expected:
        raise UserError(
            f"Le numéro UAI « {uai} » n'est pas valide : sa lettre de contrôle ne correspond pas "
            f"à ses chiffres (avec {uai[:7]}, la lettre serait {expected}). Vérifiez les chiffres "
            f"et la lettre sur un document officiel de l'école (par exemple {UAI_EXAMPLE}).{fix}",
            field="uai")
    return uai


def write_school(conn: sqlite3.Connection, nom: str, uai: str) -> None:
    """Store the checked identity (inside the caller's transaction)."""
    if db.get_meta(conn, "nom") != nom:
        db.set_meta(conn, "nom", nom)
    if db.get_meta(conn, "uai") != uai:
        db.set_meta(conn, "uai", uai)


def update_school(conn: sqlite3.Connection, nom, uai=None) -> dict:
    nom, uai = clean_school(nom, uai)
    with db.transaction(conn):
        write_school(conn, nom, uai)
    return {"nom": nom, "uai": uai}


def get_identity(conn: sqlite3.Connection) -> dict:
    """What LSU needs of the school: nom, UAI and the director's civilité, nom, prénom."""
    ecole = get_school(conn) or {"nom": "", "uai": ""}
    d = director(conn)
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
