"""What the grid tests (and ``bench/grid.py``) share: a class made through the API and the
item grid opened through the UI, a model of the grid rules to compute what the screen and the
export must show, and readers of the painted grid."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from school_helpers import csv_school, login  # noqa: F401 (the grid tests take login from here)

TIMEOUT = 60_000
NEXT = {None: 1, 1: 0, 0: None}  # bleu -> vert -> rouge -> bleu
DIRECTOR_LOGIN = "direction"


def class_csv(pupils: int = 30, extra: list[tuple[str, str]] = ()) -> str:
    """A Base-Élèves CSV of one CM2 class: ELEVE00.., then the (nom, prénom) pairs of ``extra``."""
    names = [(f"ELEVE{i:02d}", f"Prénom{i:02d}") for i in range(pupils - len(extra))]
    lines = ['"Nom Elève";"Prénom Elève";"Niveau";"Classe"']
    lines += [f'"{nom}";"{prenom}";"CM2";"CM2 A"' for nom, prenom in [*names, *extra]]
    return "\r\n".join(lines) + "\r\n"


def prepare_class(page, csv: str, password: str) -> dict:
    """On the creation screen: make the school (its director, paliers 1 and 2 active) and its
    class (``school_helpers.csv_school``), then restart the interface on the login screen."""
    expect(page.locator(".ecran-creation")).to_be_visible(timeout=TIMEOUT)
    result = csv_school(page, csv, password, nom="École de test", filename="eleves.csv",
                        paliers=[1, 2])
    page.evaluate("() => window.CartableApp.start()")
    return result


def open_competence_1(page) -> None:
    """The item grid of palier 2, compétence 1 for the whole class (30 x 29 cells)."""
    page.click('nav.menu button[data-vue="items"]')
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    page.check('.liste-competences input[data-ref="1"]')
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)


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
