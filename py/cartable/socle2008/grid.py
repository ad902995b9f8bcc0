"""The validation grid's pure rules: cell cycle, arrows, decision aid, the draft and its undo.

A grid is rows (items of one compétence grouped by domaine, or the palier's compétences as one
pseudo-domaine) × columns (chosen pupils of one class). It is edited as a ``Draft`` (kept in the
caller's session), built from the database and saved by ``decisions``; ``words`` says in
French what its arrows, undo and saving will do.

States are ``1`` (validé), ``0`` (invalidé) and ``None`` (pas de décision). The rules are pure
functions over plain dicts so they can be tested on their own:

- a cell click cycles ``None -> 1 -> 0 -> None`` (``next_state``);
- an arrow (a pupil's column within a domaine, an item row, a whole domaine) has its own state,
  starting at ``1``: a click sets every cell it covers to that state, then advances it the same
  way (validé -> invalidé -> effacé -> validé...) (``apply_click``);
- "Annuler" takes back the last clicks and arrows (``Draft.undo``, ``UNDO_LIMIT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cartable.errors import UserError
from cartable.payload import payload_int

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

UNDO_LIMIT = 50  # clicks and arrows that "Annuler" can take back, most recent first


@dataclass
class UndoStep:
    """One click as it can be taken back: the cells it changed with their previous state,
    the arrow it advanced with its previous state, and the click in words."""

    cells: dict[Key, int | None]
    arrow: tuple[str, int | None] | None
    label: str


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
    history: list[UndoStep] = field(default_factory=list)

    def __post_init__(self):
        if not self.cells:
            self.cells = {k: v[0] for k, v in self.saved.items()}

    def _touch(self, key: Key) -> None:
        saved = self.saved.get(key)
        if self.cells.get(key) == (saved[0] if saved else None):
            self.dirty.discard(key)
        else:
            self.dirty.add(key)

    def click(self, target: Target, label: str = "") -> dict[Key, int | None]:
        """Apply a click and remember how to undo it (``label``: the click in words)."""
        before = {k: self.cells.get(k) for k in self.layout.covered(target)}
        arrow = None if target.kind == "cell" else (
            target.arrow, self.arrows.get(target.arrow, ARROW_START))
        changed = apply_click(self.layout, self.cells, self.arrows, target, self.locked)
        for key in changed:
            self._touch(key)
        if changed or arrow:
            self.history.append(UndoStep({k: before[k] for k in changed}, arrow, label))
            del self.history[:-UNDO_LIMIT]
        return changed

    def undo(self) -> tuple[dict[Key, int | None], str | None]:
        """Take back the last click: returns the cells restored (with their state) and the
        arrow whose state was restored (or None). Nothing to undo: ``({}, None)``."""
        if not self.history:
            return {}, None
        step = self.history.pop()
        for key, state in step.cells.items():
            self.set_cell(key, state)
        if step.arrow is None:
            return dict(step.cells), None
        key, state = step.arrow
        if state == ARROW_START:
            self.arrows.pop(key, None)
        else:
            self.arrows[key] = state
        return dict(step.cells), key

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
