"""Writing an import plan: one transaction, only real changes."""

from __future__ import annotations

import sqlite3

from cartable import db
from cartable.text import plural

COUNTS = ("classes_ajoutees", "classes_renommees", "classes_supprimees", "eleves_ajoutes",
          "eleves_modifies", "eleves_desactives")


def _write_classes(conn: sqlite3.Connection, ops: dict, counts: dict) -> int:
    """Classes added or renamed; returns how many ONDE class ids were set or changed."""
    onde = 0
    for c in ops["classes"]:
        if c["ignorer"]:
            continue
        if c["action"] == "ajouter":
            cur = conn.execute(
                "INSERT INTO classe (niveau_id, nom, ref, source, id_onde) VALUES (?, ?, ?, ?, ?)",
                (c["niveau_id"], c["nouveau_nom"] or c["nom"], c["ref"], c["source"],
                 c["id_onde"]),
            )
            c["id"] = cur.lastrowid
            counts["classes_ajoutees"] += 1
            continue
        if c["nouveau_nom"]:
            conn.execute("UPDATE classe SET nom = ? WHERE id = ?", (c["nouveau_nom"], c["id"]))
            counts["classes_renommees"] += 1
        if c["action"] == "garder" and c["id_onde"] is not None \
                and c["id_onde"] != c["ancien_id_onde"]:
            conn.execute("UPDATE classe SET id_onde = ? WHERE id = ?", (c["id_onde"], c["id"]))
            onde += 1
    return onde


def _write_pupils(conn: sqlite3.Connection, ops: dict, counts: dict) -> None:
    for p in ops["add"]:
        f = p["_pupil"]
        conn.execute(
            "INSERT INTO eleve (nom, prenom, classe_id, actif, ine, date_naissance, sexe) "
            "VALUES (?, ?, ?, 1, ?, ?, ?)",
            (p["nom"], p["prenom"], p["_target"]["id"], f["ine"], f["naissance"], f["sexe"]),
        )
        counts["eleves_ajoutes"] += 1
    for p in ops["modify"]:
        f = p["_pupil"]
        # ONDE's fields replace ours only when the file has them (a Base-Élèves file has no INE)
        conn.execute(
            "UPDATE eleve SET nom = ?, prenom = ?, classe_id = ?, actif = 1, "
            "ine = coalesce(nullif(?, ''), ine), "
            "date_naissance = coalesce(nullif(?, ''), date_naissance), "
            "sexe = coalesce(nullif(?, ''), sexe) WHERE id = ?",
            (p["nom"], p["prenom"], p["_target"]["id"], f["ine"], f["naissance"], f["sexe"],
             p["_id"]),
        )
        counts["eleves_modifies"] += 1
    for p in ops["deactivate"]:
        conn.execute("UPDATE eleve SET actif = 0 WHERE id = ?", (p["_id"],))
        counts["eleves_desactives"] += 1


def _delete_empty_classes(conn: sqlite3.Connection, ops: dict, counts: dict) -> None:
    for c in ops["classes"]:
        if c["action"] == "retirer" and c.get("supprimer"):
            still = conn.execute("SELECT 1 FROM eleve WHERE classe_id = ? LIMIT 1",
                                 (c["id"],)).fetchone()
            if still is None:
                conn.execute("DELETE FROM affectation WHERE classe_id = ?", (c["id"],))
                conn.execute("DELETE FROM classe WHERE id = ?", (c["id"],))
                counts["classes_supprimees"] += 1


def _message(counts: dict, total: int, plan: dict) -> str:
    if total == 0:
        message = "Import terminé : aucun changement, l'école est déjà à jour avec ce fichier."
    else:
        parts = [
            plural(counts["classes_ajoutees"], "classe ajoutée", "classes ajoutées"),
            plural(counts["eleves_ajoutes"], "élève ajouté", "élèves ajoutés"),
            plural(counts["eleves_modifies"], "modifié", "modifiés"),
            plural(counts["eleves_desactives"], "désactivé", "désactivés"),
        ]
        if counts["classes_renommees"]:
            parts.append(plural(counts["classes_renommees"], "classe renommée",
                                "classes renommées"))
        if counts["classes_supprimees"]:
            parts.append(plural(counts["classes_supprimees"], "classe vide supprimée",
                                "classes vides supprimées"))
        message = "Import terminé : " + ", ".join(parts) + "."
        activated = plan["niveaux_a_activer"]
        if activated:
            message += (" Niveau activé : " if len(activated) == 1 else " Niveaux activés : ") \
                + ", ".join(activated) + "."
    ambigus = len(plan["eleves"]["ambigus"])
    if ambigus:
        message += " " + plural(ambigus, "élève ambigu laissé tel quel.",
                                "élèves ambigus laissés tels quels.")
    return message


def write(conn: sqlite3.Connection, plan: dict) -> dict:
    """Write ``plan`` (from ``build_plan``, with its ``_ops``) in one transaction."""
    ops = plan.pop("_ops")
    counts = dict.fromkeys(COUNTS, 0)
    with db.transaction(conn):
        for nid in ops["activate"]:
            conn.execute("UPDATE niveau SET actif = 1 WHERE id = ?", (nid,))
        onde = _write_classes(conn, ops, counts)
        _write_pupils(conn, ops, counts)
        _delete_empty_classes(conn, ops, counts)
    total = sum(counts.values()) + len(ops["activate"]) + onde
    return {**counts, "niveaux_actives": plan["niveaux_a_activer"], "changements": total,
            "message": _message(counts, total, plan),
            "nb_eleves": plan["nb_eleves"], "nb_classes": plan["nb_classes"],
            "rejets": plan["rejets"], "ambigus": plan["eleves"]["ambigus"]}
