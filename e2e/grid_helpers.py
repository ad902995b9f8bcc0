"""What the grid tests share: a model of the grid rules (SPEC §6) to compute what the screen and
the export must show, and readers of the painted grid."""

from __future__ import annotations

import re

from playwright.sync_api import expect

TIMEOUT = 60_000
NEXT = {None: 1, 1: 0, 0: None}  # bleu -> vert -> rouge -> bleu


class GridModel:
    """Cells (eleve_id, row_id) -> 1/0 (absent = no decision); arrows start at 1 (validate)."""

    def __init__(self, layout: dict):
        self.layout = layout  # {"eleves": [ids], "domaines": [{"id", "rows": [ids]}]}
        self.cells: dict[tuple[int, int], int] = {}
        self.arrows: dict[str, int | None] = {}

    def _set(self, key, state):
        if state is None:
            self.cells.pop(key, None)
        else:
            self.cells[key] = state

    def _rows(self, d: int) -> list[int]:
        return next(x["rows"] for x in self.layout["domaines"] if x["id"] == d)

    def _arrow(self, name: str, keys):
        state = self.arrows.get(name, 1)
        for key in keys:
            self._set(key, state)
        self.arrows[name] = NEXT[state]

    def cell(self, e: int, r: int):
        self._set((e, r), NEXT[self.cells.get((e, r))])

    def column(self, d: int, e: int):
        self._arrow(f"column:{d}:{e}", [(e, r) for r in self._rows(d)])

    def row(self, r: int):
        self._arrow(f"row:{r}", [(e, r) for e in self.layout["eleves"]])

    def domaine(self, d: int):
        self._arrow(f"domaine:{d}", [(e, r) for r in self._rows(d) for e in self.layout["eleves"]])


def grid_layout(page) -> dict:
    """Pupil ids (with their names) and the domaines' row ids, as the grid shows them."""
    return page.evaluate(
        """() => ({
          eleves: [...document.querySelectorAll('#grille-validations th.eleve')].map(
            th => Number(th.dataset.eleve)),
          noms: Object.fromEntries([...document.querySelectorAll('#grille-validations th.eleve')]
            .map(th => [th.dataset.eleve, [th.dataset.nom, th.dataset.prenom]])),
          domaines: [...document.querySelectorAll('#grille-validations tbody.domaine')].map(tb => ({
            id: Number(tb.dataset.domaine),
            rows: [...tb.querySelectorAll('tr[data-row]')].map(tr => Number(tr.dataset.row)),
          })),
        })"""
    )


def settle(page):
    """Wait until every click sent to the core has been answered and painted."""
    expect(page.locator("#grille-validations")).not_to_have_class(re.compile(r"\ben-cours\b"),
                                                                   timeout=TIMEOUT)


def grid_cells(page) -> dict:
    """The painted state of every cell: {(eleve_id, row_id): 1/0} (undecided cells omitted)."""
    settle(page)
    raw = page.evaluate(
        """() => [...document.querySelectorAll('#grille-validations td.case-grille')].map(
              td => [Number(td.dataset.eleve), Number(td.dataset.row), td.dataset.etat])"""
    )
    return {(e, r): int(s) for e, r, s in raw if s != "null"}
