"""Affectations: which teachers teach in which class, and each class's professeur principal."""

from __future__ import annotations

import sqlite3

from cartable import db
from cartable.accounts.teachers import get_professeur
from cartable.errors import UserError
from cartable.school import roster


def is_assigned(conn: sqlite3.Connection, user_id: int, classe_id: int) -> bool:
    return conn.execute(
        "SELECT 1 FROM affectation WHERE utilisateur_id = ? AND classe_id = ?",
        (user_id, classe_id),
    ).fetchone() is not None


def list_affectations(conn: sqlite3.Connection) -> dict:
    profs = [
        {"id": r["id"], "nom": r["nom"], "prenom": r["prenom"], "login": r["login"],
         "actif": bool(r["actif"])}
        for r in conn.execute(
            "SELECT * FROM utilisateur WHERE role = 'professeur' "
            "ORDER BY nom COLLATE FR, prenom COLLATE FR, id"
        )
    ]
    classes = [
        {"id": r["id"], "nom": r["nom"], "ref": r["ref"], "niveau": r["niveau"]}
        for r in conn.execute(
            "SELECT c.id, c.nom, c.ref, n.ref AS niveau FROM classe c "
            "JOIN niveau n ON n.id = c.niveau_id ORDER BY n.ordre, c.nom COLLATE FR, c.id"
        )
    ]
    affectations = [
        {"professeur_id": r[0], "classe_id": r[1], "principal": bool(r[2])}
        for r in conn.execute(
            "SELECT utilisateur_id, classe_id, principal FROM affectation "
            "ORDER BY utilisateur_id, classe_id"
        )
    ]
    actifs = {p["id"] for p in profs if p["actif"]}
    for c in classes:  # who may be its professeur principal: its active teachers
        c["eligibles"] = [a["professeur_id"] for a in affectations
                          if a["classe_id"] == c["id"] and a["professeur_id"] in actifs]
    return {"professeurs": profs, "classes": classes, "affectations": affectations}


def _get_classe(conn: sqlite3.Connection, classe_id) -> int:
    return roster.classe_id(conn, classe_id)


def set_affectation(conn: sqlite3.Connection, prof_id, classe_id, affecte) -> None:
    prof = get_professeur(conn, prof_id)
    cid = _get_classe(conn, classe_id)
    if not isinstance(affecte, bool):
        raise UserError("Indiquez si le professeur est affecté à la classe (vrai ou faux).")
    with db.transaction(conn):
        if affecte:
            conn.execute(
                "INSERT OR IGNORE INTO affectation (utilisateur_id, classe_id) VALUES (?, ?)",
                (prof["id"], cid),
            )
        else:  # also clears the professeur principal if it was this teacher
            conn.execute(
                "DELETE FROM affectation WHERE utilisateur_id = ? AND classe_id = ?",
                (prof["id"], cid),
            )


def set_principal(conn: sqlite3.Connection, classe_id, prof_id) -> None:
    """Make ``prof_id`` the (only) professeur principal of the class, or none if None."""
    cid = _get_classe(conn, classe_id)
    prof = None if prof_id is None else get_professeur(conn, prof_id)
    if prof is not None and not prof["actif"]:
        raise UserError(
            f"Le compte de {prof['prenom']} {prof['nom']} est désactivé : réactivez-le avant "
            "d'en faire le professeur principal."
        )
    if prof is not None and conn.execute(
        "SELECT 1 FROM affectation WHERE utilisateur_id = ? AND classe_id = ?", (prof["id"], cid)
    ).fetchone() is None:
        classe = conn.execute("SELECT nom FROM classe WHERE id = ?", (cid,)).fetchone()[0]
        raise UserError(
            f"{prof['prenom']} {prof['nom']} n'enseigne pas dans la classe {classe} : le "
            "professeur principal est choisi parmi les professeurs de la classe. Cochez "
            "d'abord la classe pour ce professeur (affectations), puis choisissez-le."
        )
    with db.transaction(conn):
        conn.execute("UPDATE affectation SET principal = 0 WHERE classe_id = ?", (cid,))
        if prof is not None:
            conn.execute(
                "UPDATE affectation SET principal = 1 WHERE utilisateur_id = ? AND classe_id = ?",
                (prof["id"], cid),
            )
