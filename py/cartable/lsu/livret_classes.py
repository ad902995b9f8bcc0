"""The livret per class: which classes have one, their éléments and parcours (with suggestions
from the class's previous period and the other classes of its niveau), and progress per class
and period ("12 livrets complets sur 25") for the home page."""

from __future__ import annotations

import sqlite3

from cartable import db
from cartable.errors import UserError
from cartable.lsu import domaines as D
from cartable.lsu import livret, livret_grid, periodes
from cartable.lsu.periodes import Periode
from cartable.text import plural


def classes(conn: sqlite3.Connection, allowed: set[int] | None = None) -> list[dict]:
    """Classes of CP to CM2 (those in ``allowed``; None: all), in niveau order."""
    rows = conn.execute(
        "SELECT c.id, c.nom, c.ref, n.ref AS niveau, (SELECT count(*) FROM eleve e WHERE "
        "e.classe_id = c.id AND e.actif = 1) AS nb_eleves FROM classe c JOIN niveau n "
        "ON n.id = c.niveau_id ORDER BY n.ordre, c.nom COLLATE FR, c.id").fetchall()
    return [dict(r, cycle=D.cycle_of(r["niveau"])) for r in rows
            if D.cycle_of(r["niveau"]) and (allowed is None or r["id"] in allowed)]


def current_year(conn: sqlite3.Connection, today) -> str | None:
    """The school year of ``today`` if it has periods, else the most recent one that has."""
    years = sorted({p.millesime for p in periodes.all_periods(conn)})
    mine = periodes.millesime_of(today)
    return mine if mine in years else (years[-1] if years else None)


def default_period(conn: sqlite3.Connection, today) -> Periode | None:
    """The period ``today`` is in, else the last one that started, else the first."""
    year = current_year(conn, today)
    if year is None:
        return None
    ps = periodes.periods_of(conn, year)
    started = [p for p in ps if p.date_debut <= today.isoformat()]
    return started[-1] if started else ps[0]


def _class_elements(conn, classe_id: int, periode_id: int) -> dict[str, list[str]]:
    """The class's éléments, and those its pupils' bilans have of their own (imported)."""
    out = livret.load_classe(conn, classe_id, periode_id).elements
    ids = [e["id"] for e in livret_grid.class_pupils(conn, classe_id)]
    for b in livret.load(conn, ids, periode_id).values():
        for code, a in b.acquis.items():
            for lib in a.elements or []:
                if lib not in out.setdefault(code, []):
                    out[code].append(lib)
    return out


def elements(conn: sqlite3.Connection, classe_id: int, periode: Periode) -> dict:
    """The class's éléments and parcours of the period, and suggestions per rubrique: the
    class's previous period, then the other classes of the same niveau (same period)."""
    c = livret.load_classe(conn, classe_id, periode.id)
    niveau = conn.execute("SELECT n.ref FROM classe c JOIN niveau n ON n.id = c.niveau_id "
                          "WHERE c.id = ?", (classe_id,)).fetchone()[0]
    cycle = D.cycle_of(niveau)
    sources = []
    previous = [p for p in periodes.periods_of(conn, periode.millesime)
                if p.indice == periode.indice - 1]
    if previous:
        sources.append((previous[0].nom, classe_id, previous[0].id))
    for other in classes(conn):
        if other["niveau"] == niveau and other["id"] != classe_id:
            sources.append((other["nom"], other["id"], periode.id))
    suggestions: dict[str, list[dict]] = {}
    for source, cid, pid in sources:
        for code, libs in _class_elements(conn, cid, pid).items():
            taken = {s["libelle"] for s in suggestions.get(code, [])} | set(c.elements.get(code, []))
            suggestions.setdefault(code, []).extend(
                {"libelle": lib, "source": source} for lib in libs if lib not in taken)
    return {"classe_id": classe_id, "periode": periode.as_json(), "cycle": cycle,
            "elements": c.elements, "parcours": c.parcours,
            "suggestions": {k: v for k, v in suggestions.items() if v}}


def set_elements(conn: sqlite3.Connection, classe_id: int, periode: Periode, values: dict) -> dict:
    """Replace any rubrique's éléments (``elements`` {code: [libellés]}) and any parcours's
    projet (``parcours`` {code: text, "" to remove}) of the class for the period."""
    niveau = conn.execute("SELECT n.ref FROM classe c JOIN niveau n ON n.id = c.niveau_id "
                          "WHERE c.id = ?", (classe_id,)).fetchone()[0]
    cycle = D.cycle_of(niveau)
    if cycle is None:
        raise UserError("Le livret scolaire se remplit pour les classes du CP au CM2.")
    c = livret.load_classe(conn, classe_id, periode.id)
    new_elements = values.get("elements") or {}
    new_parcours = values.get("parcours") or {}
    if not isinstance(new_elements, dict) or not isinstance(new_parcours, dict):
        raise UserError("Les éléments de programme ou les parcours sont invalides.")
    for code, libs in new_elements.items():
        if code not in D.rubriques(cycle):
            raise UserError(f"« {str(code)[:20]} » n'est pas un domaine du cycle {cycle}.")
        c.elements[code] = livret_grid.clean_elements(libs)
        if not c.elements[code]:
            del c.elements[code]
    for code, text in new_parcours.items():
        if code not in D.PARCOURS:
            raise UserError(f"Parcours inconnu : « {str(code)[:20]} ».")
        text = livret.clean_text(text, D.PARCOURS_MAX, f"le projet du {D.PARCOURS[code].lower()}")
        c.parcours.pop(code, None) if not text else c.parcours.__setitem__(code, text)
    c.elements = {k: c.elements[k] for k in D.rubriques(cycle) if k in c.elements}
    with db.transaction(conn):
        livret.write_classe(conn, c)
    return elements(conn, classe_id, periode)


def progress(conn: sqlite3.Connection, allowed: set[int] | None, periods: list[Periode]) -> dict:
    """Per class of ``allowed`` and period: pupils, bilans begun and complete."""
    out = []
    for cl in classes(conn, allowed):
        ids = [e["id"] for e in livret_grid.class_pupils(conn, cl["id"])]
        for p in periods:
            c = livret.load_classe(conn, cl["id"], p.id)
            saved = livret.load(conn, ids, p.id)
            done = sum(not livret.missing(b, c, cl["cycle"]) for b in saved.values())
            out.append({"classe_id": cl["id"], "classe": cl["nom"], "niveau": cl["niveau"],
                        "periode_id": p.id, "periode": p.nom, "nb_eleves": len(ids),
                        "nb_commences": len(saved), "nb_complets": done,
                        "message": f"{plural(done, 'livret complet', 'livrets complets')} sur "
                                   f"{len(ids)}"})
    total = sum(x["nb_eleves"] for x in out)
    done = sum(x["nb_complets"] for x in out)
    return {"classes": out, "nb_eleves": total, "nb_complets": done,
            "pourcentage": round(100 * done / total) if total else 0}
