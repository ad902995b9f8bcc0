"""The palier attestation: the page of the *livret personnel de compétences* the school prints,
signs and keeps for each pupil (one page per pupil of a class): the school, the pupil, the
palier, each compétence "validée le JJ/MM/AAAA" or "non validée", the director's signature.
"""

from __future__ import annotations

import sqlite3

from cartable.errors import UserError
from cartable.school import letterhead, roster
from cartable.socle2008 import decisions

TITRE = "Attestation de maîtrise des connaissances et compétences du socle commun"
LIVRET = "Livret personnel de compétences"
NON_VALIDEE = "non validée"
MENTION_SIGNATURE = "Date, signature et cachet de l'école"
SIGNATAIRE = {"M": "Le directeur", "MME": "La directrice", "": "Le directeur ou la directrice"}


def french_date(iso: str | None) -> str | None:
    """``2026-06-12`` -> ``12/06/2026`` (None or '' -> None)."""
    if not iso:
        return None
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def _signature(conn: sqlite3.Connection) -> str:
    row = letterhead.director(conn)
    if row is None:
        return f"{SIGNATAIRE['']} :"
    return f"{SIGNATAIRE.get(row['civilite'], SIGNATAIRE[''])} : {row['prenom']} {row['nom']}"


def attestation(conn: sqlite3.Connection, classe_id: int, palier_id: int) -> dict:
    """Every active pupil of the class, in the order of the class list, with the palier's
    compétences and their validation as saved. Permission is the caller's business."""
    palier = decisions.active_palier(conn, palier_id)
    classe = decisions.classes_info(conn, [classe_id])
    if not classe:
        raise UserError(
            "Cette classe n'existe pas (ou plus). Rechargez la liste des classes.")
    pupils = roster.list_eleves(conn, classe_id)
    saved = {
        (r["eleve_id"], r["competence_id"]): (r["etat"], r["date"])
        for r in conn.execute(
            "SELECT v.eleve_id, v.competence_id, v.etat, v.date FROM validation_competence v "
            "JOIN eleve e ON e.id = v.eleve_id WHERE e.classe_id = ? AND e.actif = 1",
            (classe_id,),
        )
    }
    births = dict(conn.execute("SELECT id, date_naissance FROM eleve WHERE classe_id = ?",
                               (classe_id,)).fetchall())
    eleves = []
    for p in pupils:
        competences = []
        for c in palier.competences:
            etat, date = saved.get((p["id"], c.id), (None, None))
            valid = etat == 1
            competences.append({
                "id": c.id, "ref": c.ref, "nom": c.nom, "validee": valid,
                "date": french_date(date) if valid else None,
                "texte": f"validée le {french_date(date)}" if valid else NON_VALIDEE,
            })
        eleves.append({
            "id": p["id"], "nom": p["nom"], "prenom": p["prenom"],
            "date_naissance": french_date(births.get(p["id"])),
            "competences": competences,
            "nb_validees": sum(c["validee"] for c in competences),
        })
    return {
        "titre": TITRE,
        "livret": LIVRET,
        "ecole": letterhead.get_school(conn),
        "palier": {"id": palier.id, "nom": palier.nom},
        "classe": classe[0],
        "signature": _signature(conn),
        "mention_signature": MENTION_SIGNATURE,
        "eleves": eleves,
    }
