"""The printed livret for the families: one page per pupil and period (the screen lays it out).

Per pupil: school, period, class, teacher(s); per domaine and sous-domaine of his cycle the
éléments de programme, the positionnement in words (a mark in one of four columns, or "non
évalué"), the appréciation; parcours (the class's projet and the pupil's comment), modalités
d'accompagnement, appréciation générale, the socle if positioned; signature lines. Only pupils
whose livret is complete, unless all are asked for (``tous``).
"""

from __future__ import annotations

import sqlite3

from cartable.lsu import domaines as D
from cartable.lsu import livret, livret_grid, socle2016
from cartable.lsu.periodes import Periode, school_year
from cartable.school.letterhead import get_identity

SIGNATURES = ("L'enseignant ou l'enseignante", "Le directeur ou la directrice",
              "Les responsables légaux")


def _person(p: dict) -> str:
    civ = {"M": "M.", "MME": "Mme"}.get(p.get("civilite") or "", "")
    return " ".join(x for x in (civ, p["prenom"], p["nom"]) if x)


def _rubrique(b: livret.Bilan, c: livret.Classe, code: str, nom: str) -> dict:
    a = b.acquis.get(code) or livret.Acquis()
    return {"code": code, "nom": nom, "elements": livret.elements_of(b, c, code),
            "position": a.position, "position_nom": D.position_name(a.position)
            if a.position is not None else ""}


def _domaines(b: livret.Bilan, c: livret.Classe, cycle: int) -> list[dict]:
    out = []
    for d in D.domaines_of(cycle):
        subs = d.of_cycle(cycle)
        a = b.acquis.get(d.code) or livret.Acquis()
        rows = [_rubrique(b, c, s.code, s.nom) for s in subs] or [_rubrique(b, c, d.code, d.nom)]
        out.append({"code": d.code, "nom": d.nom, "appreciation": a.appreciation,
                    "sous_domaines": [r for r in rows if r["elements"] or r["position"] is not None]
                    if subs else [], "rubrique": None if subs else rows[0]})
    return out


def printable(conn: sqlite3.Connection, classe_id: int, periode: Periode, tous: bool) -> dict:
    identity = get_identity(conn)
    classe = conn.execute("SELECT c.nom, n.ref FROM classe c JOIN niveau n ON n.id = c.niveau_id "
                          "WHERE c.id = ?", (classe_id,)).fetchone()
    cycle = D.cycle_of(classe["ref"])
    pupils = livret_grid.class_pupils(conn, classe_id) if cycle else []
    saved = livret.load(conn, [p["id"] for p in pupils], periode.id)
    c = livret.load_classe(conn, classe_id, periode.id)
    eleves, left = [], 0
    for p in pupils:
        b = saved.get(p["id"])
        complete = not livret.missing(b, c, cycle)
        if not complete and not tous:
            left += 1
            continue
        b = b or livret.Bilan(p["id"], periode.id)
        eleves.append({
            "id": p["id"], "nom": p["nom"], "prenom": p["prenom"], "complet": complete,
            "domaines": _domaines(b, c, cycle),
            "parcours": [{"code": k, "nom": n, "projet": c.parcours.get(k, ""),
                          "commentaire": b.parcours.get(k, "")}
                         for k, n in D.PARCOURS.items() if k in c.parcours or k in b.parcours],
            "modalites": [{"code": k, "nom": D.MODALITES[k], "complement": v}
                          for k, v in b.modalites.items()],
            "appreciation_generale": b.appreciation,
            "socle": [{"code": s.code, "nom": s.nom, "position": b.socle[s.code],
                       "position_nom": socle2016.position_name(b.socle[s.code])}
                      for s in socle2016.COMPOSANTES if s.code in b.socle],
            "enseignants": ", ".join(_person(a) for a in b.auteurs),
            "date": b.date_creation or None})
    d = identity["directeur"]
    return {"ecole": {"nom": identity["nom"], "uai": identity["uai"]},
            "directeur": _person(d) if d else "", "classe": classe["nom"], "cycle": cycle,
            "periode": periode.as_json(),
            "titre": f"Livret scolaire — {periode.nom} {school_year(periode.millesime)}",
            "colonnes": [{"valeur": v, "nom": D.POSITIONS[v][0]} for v in (1, 2, 3, 4)],
            "signatures": list(SIGNATURES), "eleves": eleves, "nb_non_complets": left}
