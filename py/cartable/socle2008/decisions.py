"""The validation grid and the school database: a grid built from the pupils' saved decisions
(``build_draft``), and a draft's decisions saved with their locks (``save``). The rules of the
grid itself (clicks, arrows, undo) are pure, in ``grid``.
"""

from __future__ import annotations

import datetime
import sqlite3

from cartable import db
from cartable.errors import PermissionDenied, UserError
from cartable.socle2008 import referentiel
from cartable.socle2008.grid import COMPETENCES, ITEMS, PSEUDO_DOMAINE, Draft, Layout
from cartable.text import CLASSE_INCONNUE, plural

# -- building a grid ----------------------------------------------------------------------


def active_paliers(conn: sqlite3.Connection) -> list[dict]:
    ref = referentiel.get()
    active = {r[0] for r in conn.execute("SELECT id FROM palier WHERE actif = 1")}
    return [{"id": p.id, "nom": p.nom} for p in ref.paliers if p.id in active]


def classes_info(conn: sqlite3.Connection, classe_ids) -> list[dict]:
    ids = sorted(classe_ids)
    if not ids:
        return []
    rows = conn.execute(
        "SELECT c.id, c.nom, c.ref, n.ref AS niveau, "
        "(SELECT count(*) FROM eleve e WHERE e.classe_id = c.id AND e.actif = 1) AS nb_eleves "
        f"FROM classe c JOIN niveau n ON n.id = c.niveau_id WHERE c.id IN ({','.join('?' * len(ids))}) "
        "ORDER BY n.ordre, c.nom COLLATE FR, c.id",
        ids,
    )
    return [dict(r) for r in rows]


def active_palier(conn: sqlite3.Connection, palier_id: int) -> referentiel.Palier:
    """The référentiel palier, if the school uses it; else a French UserError."""
    try:
        palier = referentiel.get().palier(palier_id)
    except KeyError:
        palier = None
    active = conn.execute("SELECT actif FROM palier WHERE id = ?", (palier_id,)).fetchone()
    if palier is None or not active or not active[0]:
        raise UserError(
            "Ce palier n'est pas utilisé dans l'école. Choisissez un palier de la liste "
            "(le directeur coche les paliers dans « Paliers du socle »)."
        )
    return palier


def class_pupils(conn: sqlite3.Connection, classe_id: int, eleve_ids: list[int],
                 strict: bool = True) -> list[dict]:
    """The chosen pupils, who must be active pupils of the class, sorted by nom, prénom.
    With ``strict=False`` the others are dropped instead of refused."""
    rows = conn.execute(
        "SELECT id, nom, prenom FROM eleve WHERE classe_id = ? AND actif = 1 "
        "ORDER BY nom COLLATE FR, prenom COLLATE FR, id",
        (classe_id,),
    ).fetchall()
    wanted = set(eleve_ids)
    found = [dict(r) for r in rows if r["id"] in wanted]
    if strict and len(found) != len(wanted):
        raise UserError(
            "Un des élèves choisis n'est pas (ou plus) dans cette classe. Rechargez la liste "
            "des élèves et choisissez-les à nouveau."
        )
    return found


def build_draft(conn: sqlite3.Connection, *, palier_id: int, classe_id: int,
                eleve_ids: list[int], competence_id: int | None, is_director: bool,
                strict: bool = True) -> Draft:
    """Load a grid from the database. Permission on the class is the caller's business."""
    palier = active_palier(conn, palier_id)
    classe = classes_info(conn, [classe_id])
    if not classe:
        raise UserError(CLASSE_INCONNUE)
    eleves = class_pupils(conn, classe_id, eleve_ids, strict)
    if not eleves:
        raise UserError(
            "Aucun élève choisi (ou plus aucun élève choisi dans cette classe). Cochez au "
            "moins un élève."
        )
    pupil_ids = tuple(e["id"] for e in eleves)
    marks = ",".join("?" * len(pupil_ids))
    if competence_id is None:
        level, table, column = COMPETENCES, "validation_competence", "competence_id"
        rows = [{"id": c.id, "ref": c.ref, "nom": c.nom} for c in palier.competences]
        domaines = [{"id": PSEUDO_DOMAINE, "nom": palier.nom, "rows": rows}]
        competence = None
    else:
        comp = next((c for c in palier.competences if c.id == competence_id), None)
        if comp is None:
            raise UserError(
                "Cette compétence n'appartient pas au palier choisi. Choisissez une compétence "
                "de la liste."
            )
        level, table, column = ITEMS, "validation_item", "item_id"
        domaines = [
            {"id": d.id, "nom": d.nom, "rows": [{"id": i.id, "nom": i.nom} for i in d.items]}
            for d in comp.domaines
        ]
        competence = {"id": comp.id, "ref": comp.ref, "nom": comp.nom}
    layout = Layout(pupil_ids, tuple((d["id"], tuple(r["id"] for r in d["rows"]))
                                     for d in domaines))
    row_set = set(layout.row_ids)
    saved = {
        (r[0], r[1]): (r[2], r[3], r[4])
        for r in conn.execute(
            f"SELECT eleve_id, {column}, etat, date, info FROM {table} "
            f"WHERE eleve_id IN ({marks})",
            pupil_ids,
        )
        if r[1] in row_set
    }
    locked = frozenset()
    competence_aid = {}
    if level == COMPETENCES:
        if not is_director:
            locked = frozenset(k for k, v in saved.items() if v[0] == 1)
        competence_aid = _competence_aid(conn, pupil_ids, palier)
    return Draft(level, palier_id, competence_id, classe_id, layout, saved, locked,
                 classe=classe[0], eleves=eleves, domaines=domaines, competence=competence,
                 competence_aid=competence_aid)


def _competence_aid(conn: sqlite3.Connection, pupil_ids, palier) -> dict[str, dict]:
    """Per pupil x compétence: the share of the compétence's items validated (saved)."""
    validated = {
        (r[0], r[1])
        for r in conn.execute(
            f"SELECT eleve_id, item_id FROM validation_item WHERE etat = 1 "
            f"AND eleve_id IN ({','.join('?' * len(pupil_ids))})",
            pupil_ids,
        )
    }
    aid = {}
    for c in palier.competences:
        items = [i.id for i in c.items]
        for e in pupil_ids:
            valides = sum((e, i) in validated for i in items)
            aid[f"{e}:{c.id}"] = {
                "valides": valides,
                "total": len(items),
                "pourcentage": round(100 * valides / len(items)) if items else 0,
            }
    return aid


# -- saving -------------------------------------------------------------------------------


def save(conn: sqlite3.Connection, draft: Draft, *, info: str, today: datetime.date,
         is_director: bool) -> dict:
    """Write the changed cells in one transaction. New or changed decisions get ``today`` and
    ``info``; unchanged ones keep theirs; cleared cells delete the decision. Compares with the
    database as it is now, so a decision saved meanwhile elsewhere is not overwritten by a cell
    the user did not touch."""
    if draft.level == ITEMS:
        table, column = "validation_item", "item_id"
    else:
        table, column = "validation_competence", "competence_id"
    keys = sorted(draft.dirty)
    current = {}
    for e in {k[0] for k in keys}:
        for r in conn.execute(f"SELECT {column}, etat FROM {table} WHERE eleve_id = ?", (e,)):
            current[(e, r[0])] = r[1]
    plan = []
    for key in keys:
        old, new = current.get(key), draft.cells.get(key)
        if old == new:
            continue
        if draft.level == COMPETENCES and old == 1 and not is_director:
            raise PermissionDenied(
                "Une des compétences modifiées est déjà validée : seul le directeur ou la "
                "directrice peut annuler cette validation. Rechargez le tableau."
            )
        plan.append((key, old, new))
    date = today.isoformat()
    counts = {"ajoutees": 0, "modifiees": 0, "supprimees": 0}
    with db.transaction(conn):
        for (e, r), old, new in plan:
            if new is None:
                conn.execute(f"DELETE FROM {table} WHERE eleve_id = ? AND {column} = ?", (e, r))
                counts["supprimees"] += 1
            elif old is None:
                conn.execute(
                    f"INSERT INTO {table} (eleve_id, {column}, etat, date, info) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (e, r, new, date, info),
                )
                counts["ajoutees"] += 1
            else:
                conn.execute(
                    f"UPDATE {table} SET etat = ?, date = ?, info = ? "
                    f"WHERE eleve_id = ? AND {column} = ?",
                    (new, date, info, e, r),
                )
                counts["modifiees"] += 1
    counts["message"] = (
        f"Validations enregistrées : {plural(counts['ajoutees'], 'ajoutée', 'ajoutées')}, "
        f"{plural(counts['modifiees'], 'modifiée', 'modifiées')}, "
        f"{plural(counts['supprimees'], 'supprimée', 'supprimées')}."
    )
    return counts
