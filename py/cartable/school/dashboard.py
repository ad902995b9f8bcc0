"""The director's home page: where the school stands in the procedure, step by step."""

from __future__ import annotations

import sqlite3

from cartable.school.levels import PALIER_NIVEAU, list_niveaux, list_paliers
from cartable.socle2008 import referentiel


def overview(conn: sqlite3.Connection) -> dict:
    """Where the school stands in the procedure: counts for each step and, per active palier,
    how far the decisions on its pupils have gone (items decided out of pupils × items)."""
    one = lambda sql: conn.execute(sql).fetchone()[0]
    classes_sans_principal = [
        r[0] for r in conn.execute(
            "SELECT c.nom FROM classe c JOIN niveau n ON n.id = c.niveau_id "
            "WHERE EXISTS (SELECT 1 FROM eleve e WHERE e.classe_id = c.id AND e.actif = 1) "
            "AND NOT EXISTS (SELECT 1 FROM affectation a WHERE a.classe_id = c.id "
            "AND a.principal = 1) ORDER BY n.ordre, c.nom COLLATE FR"
        )
    ]
    ref = referentiel.get()
    paliers = []
    for p in list_paliers(conn):
        if not p["actif"]:
            continue
        item_ids = [i.id for c in ref.palier(p["id"]).competences for i in c.items]
        niveau = PALIER_NIVEAU.get(p["id"])
        nb_eleves = conn.execute(
            "SELECT count(*) FROM eleve e JOIN classe c ON c.id = e.classe_id "
            "JOIN niveau n ON n.id = c.niveau_id WHERE e.actif = 1 AND n.ref = ?",
            (niveau,),
        ).fetchone()[0] if niveau else 0
        decided = valides = 0
        if nb_eleves and item_ids:
            decided, valides = conn.execute(
                "SELECT count(*), coalesce(sum(v.etat), 0) FROM validation_item v "
                "JOIN eleve e ON e.id = v.eleve_id JOIN classe c ON c.id = e.classe_id "
                "JOIN niveau n ON n.id = c.niveau_id "
                f"WHERE e.actif = 1 AND n.ref = ? AND v.item_id IN ({','.join('?' * len(item_ids))})",
                (niveau, *item_ids),
            ).fetchone()
        total = nb_eleves * len(item_ids)
        paliers.append({
            "id": p["id"], "nom": p["nom"], "niveau": niveau, "nb_eleves": nb_eleves,
            "nb_items": len(item_ids), "decisions": decided, "valides": valides, "total": total,
            "pourcentage": round(100 * decided / total) if total else 0,
        })
    return {
        "niveaux": [n["ref"] for n in list_niveaux(conn) if n["actif"]],
        "nb_classes": one("SELECT count(*) FROM classe c WHERE EXISTS (SELECT 1 FROM eleve e "
                          "WHERE e.classe_id = c.id AND e.actif = 1)"),
        "nb_eleves": one("SELECT count(*) FROM eleve WHERE actif = 1"),
        "nb_professeurs": one("SELECT count(*) FROM utilisateur "
                              "WHERE role = 'professeur' AND actif = 1"),
        "classes_sans_principal": classes_sans_principal,
        "paliers": paliers,
    }
