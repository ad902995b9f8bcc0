"""The socle commun of 2016: the 8 composantes of the bilan de fin de cycle and the positions.

Codes and order are LSU's (the ``code`` attribute of ``<domaine>`` in the ``import-bilan-1d``
file, docs/LSU.md). ``court`` is the short label of a grid's column header; ``nom`` the official
wording (printed bilan, tooltips).

Positions: ``1`` maîtrise insuffisante … ``4`` très bonne maîtrise, ``0`` dispensé (e.g. a pupil
exempted from the foreign language). A grid cell cycles through ``CYCLE`` (no position first).
"""

from __future__ import annotations

from dataclasses import dataclass

CYCLE_BILAN = 2  # the 1st-degree LSU file accepts the bilan of cycle 2 only
NIVEAU_BILAN = "CE2"  # the niveau whose pupils get it (end of cycle 2)
SYNTHESE_MAX = 1500  # characters, LSU's limit


@dataclass(frozen=True)
class Composante:
    code: str
    nom: str
    court: str


COMPOSANTES: tuple[Composante, ...] = (
    Composante("CPD_FRA", "Comprendre, s'exprimer en utilisant la langue française à l'oral et "
               "à l'écrit", "Langue française"),
    Composante("CPD_ETR", "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas "
               "échéant, une langue régionale", "Langue étrangère ou régionale"),
    Composante("CPD_SCI", "Comprendre, s'exprimer en utilisant les langages mathématiques, "
               "scientifiques et informatiques", "Langages mathématiques et scientifiques"),
    Composante("CPD_ART", "Comprendre, s'exprimer en utilisant les langages des arts et du corps",
               "Langages des arts et du corps"),
    Composante("MET_APP", "Les méthodes et outils pour apprendre", "Méthodes et outils"),
    Composante("FRM_CIT", "La formation de la personne et du citoyen",
               "Formation de la personne et du citoyen"),
    Composante("SYS_NAT", "Les systèmes naturels et les systèmes techniques",
               "Systèmes naturels et techniques"),
    Composante("REP_MND", "Les représentations du monde et l'activité humaine",
               "Représentations du monde"),
)
CODES: tuple[str, ...] = tuple(c.code for c in COMPOSANTES)
BY_CODE = {c.code: c for c in COMPOSANTES}

# value -> (French name, short label for a cell)
POSITIONS: dict[int, tuple[str, str]] = {
    1: ("Maîtrise insuffisante", "1"),
    2: ("Maîtrise fragile", "2"),
    3: ("Maîtrise satisfaisante", "3"),
    4: ("Très bonne maîtrise", "4"),
    0: ("Dispensé", "D"),
}
# A cell click: no position -> 1 -> 2 -> 3 -> 4 -> dispensé -> no position.
CYCLE: tuple[int | None, ...] = (None, 1, 2, 3, 4, 0)
ARROW_START = 1


def next_position(value: int | None) -> int | None:
    return CYCLE[(CYCLE.index(value) + 1) % len(CYCLE)]


def position_name(value: int | None) -> str:
    return POSITIONS[value][0] if value in POSITIONS else "Non positionné"


def as_json() -> dict:
    """What the interface shows: composantes, positions (in cycle order), the limit."""
    return {
        "cycle": CYCLE_BILAN,
        "niveau": NIVEAU_BILAN,
        "synthese_max": SYNTHESE_MAX,
        "composantes": [{"code": c.code, "nom": c.nom, "court": c.court} for c in COMPOSANTES],
        "positions": [{"valeur": v, "nom": POSITIONS[v][0], "court": POSITIONS[v][1]}
                      for v in CYCLE if v is not None],
        "non_positionne": position_name(None),
    }
