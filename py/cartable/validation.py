"""The validation grid (SPEC §6): building, cell cycle, arrows, decision aid, save rules.

A grid is rows (items of one compétence grouped by domaine, or the palier's compétences as one
pseudo-domaine) × columns (chosen pupils of one class). It is edited as a ``Draft`` (kept in the
caller's session) and written by ``save``.

States are ``1`` (validé), ``0`` (invalidé) and ``None`` (pas de décision). The rules are pure
functions over plain dicts so they can be tested on their own:

- a cell click cycles ``None -> 1 -> 0 -> None`` (``next_state``);
- an arrow (a pupil's column within a domaine, an item row, a whole domaine) has its own state,
  starting at ``1``: a click sets every cell it covers to that state, then advances it the same
  way (validé -> invalidé -> effacé -> validé...) (``apply_click``).
"""

from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from . import db, referentiel
from .errors import PermissionDenied, UserError
from .payload import payload_int
from .text import CLASSE_INCONNUE

ITEMS = "items"
COMPETENCES = "competences"
PSEUDO_DOMAINE = 0  # the single "domaine" of the compétences grid
STATES = (1, 0, None)
ARROW_START = 1

Key = tuple[int, int]  # (eleve_id, row_id)

# -- pure rules ---------------------------------------------------------------------------

_NEXT = {None: 1, 1: 0, 0: None}


def next_state(state: int | None) -> int | None:
    """None -> 1 -> 0 -> None (cells and arrows alike)."""
    return _NEXT[state]


@dataclass(frozen=True)
class Target:
    """What was clicked: kind is 'cell', 'column', 'row' or 'domaine'."""

    kind: str
    eleve_id: int | None = None
    row_id: int | None = None
    domaine_id: int | None = None

    @property
    def arrow(self) -> str:
        """The arrow's key (its state lives in ``arrows[key]``)."""
        if self.kind == "column":
            return f"column:{self.domaine_id}:{self.eleve_id}"
        if self.kind == "row":
            return f"row:{self.row_id}"
        if self.kind == "domaine":
            return f"domaine:{self.domaine_id}"
        raise ValueError(self.kind)


@dataclass(frozen=True)
class Layout:
    """The shape of a grid: pupils (columns) and domaines with their rows."""

    eleve_ids: tuple[int, ...]
    domaines: tuple[tuple[int, tuple[int, ...]], ...]  # (domaine_id, row_ids) in display order

    @property
    def row_ids(self) -> tuple[int, ...]:
        return tuple(r for _, rows in self.domaines for r in rows)

    def rows_of(self, domaine_id: int) -> tuple[int, ...] | None:
        for d, rows in self.domaines:
            if d == domaine_id:
                return rows
        return None

    def all_keys(self) -> list[Key]:
        return [(e, r) for e in self.eleve_ids for r in self.row_ids]

    def arrow_keys(self) -> list[str]:
        keys = []
        for d, rows in self.domaines:
            keys.append(Target("domaine", domaine_id=d).arrow)
            keys.extend(Target("column", eleve_id=e, domaine_id=d).arrow for e in self.eleve_ids)
            keys.extend(Target("row", row_id=r).arrow for r in rows)
        return keys

    def contains(self, target: Target) -> bool:
        if target.kind == "cell":
            return target.eleve_id in self.eleve_ids and target.row_id in self.row_ids
        if target.kind == "column":
            return target.eleve_id in self.eleve_ids and self.rows_of(target.domaine_id) is not None
        if target.kind == "row":
            return target.row_id in self.row_ids
        if target.kind == "domaine":
            return self.rows_of(target.domaine_id) is not None
        return False

    def covered(self, target: Target) -> list[Key]:
        """The cells a click on ``target`` touches."""
        if target.kind == "cell":
            return [(target.eleve_id, target.row_id)]
        if target.kind == "column":
            return [(target.eleve_id, r) for r in self.rows_of(target.domaine_id)]
        if target.kind == "row":
            return [(e, target.row_id) for e in self.eleve_ids]
        if target.kind == "domaine":
            rows = self.rows_of(target.domaine_id)
            return [(e, r) for e in self.eleve_ids for r in rows]
        raise ValueError(target.kind)


def apply_click(layout: Layout, cells: dict[Key, int], arrows: dict[str, int | None],
                target: Target, locked: frozenset[Key] | set[Key] = frozenset()
                ) -> dict[Key, int | None]:
    """Apply one click. ``cells`` maps keys to 1/0 (absent = no decision) and ``arrows`` maps
    arrow keys to their state (absent = ``ARROW_START``); both are updated in place.
    Locked cells never change. Returns the cells that changed and their new state."""
    if target.kind == "cell":
        key = (target.eleve_id, target.row_id)
        if key in locked:
            return {}
        new = next_state(cells.get(key))
        _set(cells, key, new)
        return {key: new}
    arrow = target.arrow
    state = arrows.get(arrow, ARROW_START)
    changed = {}
    for key in layout.covered(target):
        if key not in locked and cells.get(key) != state:
            _set(cells, key, state)
            changed[key] = state
    arrows[arrow] = next_state(state)
    return changed


def _set(cells: dict[Key, int], key: Key, state: int | None) -> None:
    if state is None:
        cells.pop(key, None)
    else:
        cells[key] = state


def column_aid(cells: dict[Key, int], eleve_id: int, row_ids: tuple[int, ...]) -> dict:
    """Decisions so far for one pupil over the rows: counts and percentage validated."""
    valides = invalides = 0
    for r in row_ids:
        state = cells.get((eleve_id, r))
        if state == 1:
            valides += 1
        elif state == 0:
            invalides += 1
    total = len(row_ids)
    return {
        "valides": valides,
        "invalides": invalides,
        "non_decides": total - valides - invalides,
        "pourcentage": round(100 * valides / total) if total else 0,
    }


def cell_key(key: Key) -> str:
    return f"{key[0]}:{key[1]}"


def parse_key(text: str) -> Key:
    e, r = text.split(":")
    return int(e), int(r)


# -- the draft ----------------------------------------------------------------------------


@dataclass
class Draft:
    """A grid being edited: what is saved, what the user has changed, arrow states."""

    level: str
    palier_id: int
    competence_id: int | None
    classe_id: int
    layout: Layout
    saved: dict[Key, tuple[int, str, str]]  # decisions in the database when loaded
    locked: frozenset[Key] = frozenset()
    cells: dict[Key, int] = field(default_factory=dict)
    arrows: dict[str, int | None] = field(default_factory=dict)
    dirty: set[Key] = field(default_factory=set)
    # display data
    classe: dict = field(default_factory=dict)
    eleves: list[dict] = field(default_factory=list)
    domaines: list[dict] = field(default_factory=list)
    competence: dict | None = None
    competence_aid: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        if not self.cells:
            self.cells = {k: v[0] for k, v in self.saved.items()}

    def _touch(self, key: Key) -> None:
        saved = self.saved.get(key)
        if self.cells.get(key) == (saved[0] if saved else None):
            self.dirty.discard(key)
        else:
            self.dirty.add(key)

    def click(self, target: Target) -> dict[Key, int | None]:
        changed = apply_click(self.layout, self.cells, self.arrows, target, self.locked)
        for key in changed:
            self._touch(key)
        return changed

    def set_cell(self, key: Key, state: int | None) -> None:
        _set(self.cells, key, state)
        self._touch(key)

    def aid(self, eleve_ids) -> dict[str, dict]:
        if self.level != ITEMS:
            return {}
        rows = self.layout.row_ids
        return {str(e): column_aid(self.cells, e, rows) for e in eleve_ids}

    def to_plain(self) -> dict:
        """What the browser keeps to survive a reload: the grid's choice and the changes."""
        return {
            "version": 1,
            "level": self.level,
            "palier_id": self.palier_id,
            "classe_id": self.classe_id,
            "competence_id": self.competence_id,
            "eleve_ids": list(self.layout.eleve_ids),
            "cells": {cell_key(k): self.cells.get(k) for k in sorted(self.dirty)},
            "arrows": {k: v for k, v in self.arrows.items() if v != ARROW_START},
        }

    def grid(self) -> dict:
        cells = {}
        for key in self.layout.all_keys():
            if key in self.dirty:
                cells[cell_key(key)] = {"etat": self.cells.get(key), "date": None,
                                        "info": None, "modifie": True}
            else:
                etat, date, info = self.saved.get(key, (None, None, None))
                cells[cell_key(key)] = {"etat": etat, "date": date, "info": info,
                                        "modifie": False}
        locked_for: dict[int, list[int]] = {}
        for e, r in sorted(self.locked):
            locked_for.setdefault(r, []).append(e)
        domaines = [
            {**d, "rows": [{**row, "locked_for": locked_for.get(row["id"], [])}
                           for row in d["rows"]]}
            for d in self.domaines
        ]
        return {
            "level": self.level,
            "palier_id": self.palier_id,
            "competence": self.competence,
            "classe": self.classe,
            "eleves": self.eleves,
            "domaines": domaines,
            "cells": cells,
            "arrows": {k: self.arrows.get(k, ARROW_START) for k in self.layout.arrow_keys()},
            "aid": (self.aid(self.layout.eleve_ids) if self.level == ITEMS
                    else self.competence_aid),
            "dirty": len(self.dirty),
        }


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
        "ORDER BY n.ordre, c.nom, c.id",
        ids,
    )
    return [dict(r) for r in rows]


def _palier(conn: sqlite3.Connection, palier_id: int) -> referentiel.Palier:
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
        "ORDER BY nom, prenom, id",
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
    palier = _palier(conn, palier_id)
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


def restore(draft: Draft, plain: dict) -> None:
    """Re-apply a browser-kept draft's cells and arrows, ignoring what no longer fits."""
    cells = plain.get("cells") or {}
    arrows = plain.get("arrows") or {}
    if not isinstance(cells, dict) or not isinstance(arrows, dict):
        raise UserError("Le brouillon enregistré par le navigateur est illisible : il est ignoré.")
    pupils, rows = set(draft.layout.eleve_ids), set(draft.layout.row_ids)
    for text, state in cells.items():
        try:
            key = parse_key(text)
        except (ValueError, AttributeError):
            continue
        if key[0] in pupils and key[1] in rows and key not in draft.locked and state in STATES \
                and not isinstance(state, bool):
            draft.set_cell(key, state)
    valid_arrows = set(draft.layout.arrow_keys())
    for key, state in arrows.items():
        if key in valid_arrows and state in STATES and not isinstance(state, bool):
            draft.arrows[key] = state


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
        f"Validations enregistrées : {counts['ajoutees']} ajoutées, {counts['modifiees']} "
        f"modifiées, {counts['supprimees']} supprimées."
    )
    return counts


def parse_target(raw: Any) -> Target:
    """A click target from the payload, or UserError."""
    if not isinstance(raw, dict) or raw.get("kind") not in ("cell", "column", "row", "domaine"):
        raise UserError("Clic non reconnu. Rechargez le tableau.")
    kind = raw["kind"]
    fields = {
        "cell": ("eleve_id", "row_id"),
        "column": ("eleve_id", "domaine_id"),
        "row": ("row_id",),
        "domaine": ("domaine_id",),
    }[kind]
    values = {f: payload_int(raw.get(f), "case") for f in fields}
    return Target(kind, **values)
