"""The livret's domaines and sous-domaines per cycle (LSU codes, 7 characters), in LSU's order,
with their French labels; parcours, modalités d'accompagnement, positionnements, text limits.

A domaine with sous-domaines carries its positionnement and éléments de programme on each
sous-domaine, its appréciation on the domaine itself; a domaine without sous-domaines carries
all three. Cycle 2 = CP, CE1, CE2; cycle 3 = CM1, CM2 (``cycle_of``).
"""

from __future__ import annotations

from dataclasses import dataclass

ELEMENT_MAX = 300  # an élément de programme's libellé
APPRECIATION_MAX = 600  # an appréciation of a domaine
GENERALE_MAX = 1500  # the appréciation générale
PARCOURS_MAX = 600  # a projet (class) or an individual parcours comment
PPRE_MAX = 600  # the PPRE's complement
MIN_COMPLETE_DOMAINES = 3  # LSU refuses a bilan with fewer complete domaines

CYCLES = {"CP": 2, "CE1": 2, "CE2": 2, "CM1": 3, "CM2": 3}


@dataclass(frozen=True)
class SousDomaine:
    code: str
    nom: str
    cycles: tuple[int, ...]


@dataclass(frozen=True)
class Domaine:
    code: str
    nom: str
    cycles: tuple[int, ...]
    sous_domaines: tuple[SousDomaine, ...] = ()

    def of_cycle(self, cycle: int) -> tuple[SousDomaine, ...]:
        return tuple(s for s in self.sous_domaines if cycle in s.cycles)


_C23 = (2, 3)
DOMAINES: tuple[Domaine, ...] = (
    Domaine("FRA-RAC", "Français", _C23, (
        SousDomaine("FRA-LGO", "Langage oral", _C23),
        SousDomaine("FRA-LEC", "Lecture et compréhension de l'écrit", _C23),
        SousDomaine("FRA-ECR", "Écriture", _C23),
        SousDomaine("FRA-ETL", "Étude de la langue (grammaire, orthographe, lexique)", _C23),
    )),
    Domaine("MAT-RAC", "Mathématiques", _C23, (
        SousDomaine("MAT-NBC", "Nombres et calcul", _C23),
        SousDomaine("MAT-GDM", "Grandeurs et mesures", _C23),
        SousDomaine("MAT-GEO", "Espace et géométrie", _C23),
    )),
    Domaine("LGV-RAC", "Langue vivante", _C23),
    Domaine("EPS-RAC", "Éducation physique et sportive", _C23),
    Domaine("ART-RAC", "Enseignements artistiques", _C23, (
        SousDomaine("ART-PLA", "Arts plastiques", _C23),
        SousDomaine("ART-MUS", "Éducation musicale", _C23),
        SousDomaine("ART-HAR", "Histoire des arts", (3,)),
    )),
    Domaine("QLM-RAC", "Questionner le monde", (2,), (
        SousDomaine("QLM-VMO", "Questionner le monde du vivant, de la matière et des objets", (2,)),
        SousDomaine("QLM-ETP", "Questionner l'espace et le temps", (2,)),
    )),
    Domaine("STC-RAC", "Sciences et technologie", (3,)),
    Domaine("HIG-RAC", "Histoire et géographie", (3,)),
    Domaine("EMC-RAC", "Enseignement moral et civique", _C23),
)
BY_CODE: dict[str, Domaine] = {d.code: d for d in DOMAINES}
SOUS_BY_CODE: dict[str, tuple[Domaine, SousDomaine]] = {
    s.code: (d, s) for d in DOMAINES for s in d.sous_domaines}

PARCOURS: dict[str, str] = {
    "PAR_CIT": "Parcours citoyen",
    "PAR_ART": "Parcours d'éducation artistique et culturelle",
    "PAR_SAN": "Parcours éducatif de santé",
}
MODALITES: dict[str, str] = {
    "PAP": "Plan d'accompagnement personnalisé",
    "PAI": "Projet d'accueil individualisé",
    "PPRE": "Programme personnalisé de réussite éducative",
    "PPS": "Projet personnalisé de scolarisation",
    "RASED": "Réseau d'aides spécialisées aux élèves en difficulté",
    "ULIS": "Unité localisée pour l'inclusion scolaire",
    "UPE2A": "Unité pédagogique pour élèves allophones arrivants",
}
# Positionnement (objectifs d'apprentissage); 0 is stored for "non évalué".
NON_EVALUE = 0
POSITIONS: dict[int, tuple[str, str]] = {
    1: ("Objectifs d'apprentissage non atteints", "1"),
    2: ("Objectifs d'apprentissage partiellement atteints", "2"),
    3: ("Objectifs d'apprentissage atteints", "3"),
    4: ("Objectifs d'apprentissage dépassés", "4"),
    NON_EVALUE: ("Non évalué", "NE"),
}
# A cell click: empty -> 1 -> 2 -> 3 -> 4 -> non évalué -> empty; an arrow starts at 1.
CYCLE: tuple[int | None, ...] = (None, 1, 2, 3, 4, NON_EVALUE)
ARROW_START = 1


def is_position(value) -> bool:
    """Whether ``value`` is one of ``CYCLE`` (None, 1–4, 0), and not a bool or a float equal
    to one (JSON true is 1 in Python)."""
    return value is None or (type(value) is int and value in CYCLE)


def next_position(value: int | None) -> int | None:
    return CYCLE[(CYCLE.index(value) + 1) % len(CYCLE)]


def position_name(value: int | None) -> str:
    return POSITIONS[value][0] if value in POSITIONS else "Non renseigné"


def cycle_of(niveau: str | None) -> int | None:
    """The cycle of a niveau (CP..CE2: 2, CM1, CM2: 3); None where there is no livret."""
    return CYCLES.get(niveau or "")


def domaines_of(cycle: int) -> tuple[Domaine, ...]:
    return tuple(d for d in DOMAINES if cycle in d.cycles)


def rubriques(cycle: int) -> list[str]:
    """The codes that carry a positionnement and éléments in ``cycle``, in order: each
    sous-domaine, or the domaine itself when it has none."""
    out = []
    for d in domaines_of(cycle):
        subs = d.of_cycle(cycle)
        out += [s.code for s in subs] if subs else [d.code]
    return out


def domaine_of(code: str) -> str:
    """The domaine a rubrique belongs to (itself for a domaine)."""
    return SOUS_BY_CODE[code][0].code if code in SOUS_BY_CODE else code


def label(code: str) -> str:
    if code in SOUS_BY_CODE:
        return SOUS_BY_CODE[code][1].nom
    return BY_CODE[code].nom


def as_json(cycle: int) -> dict:
    """What the livret screen shows for a cycle: domaines, sous-domaines, positions, limits."""
    return {
        "cycle": cycle,
        "domaines": [{"code": d.code, "nom": d.nom,
                      "sous_domaines": [{"code": s.code, "nom": s.nom} for s in d.of_cycle(cycle)]}
                     for d in domaines_of(cycle)],
        "rubriques": rubriques(cycle),
        "positions": [{"valeur": v, "nom": POSITIONS[v][0], "court": POSITIONS[v][1]}
                      for v in CYCLE if v is not None],
        "parcours": [{"code": c, "nom": n} for c, n in PARCOURS.items()],
        "modalites": [{"code": c, "nom": n} for c, n in MODALITES.items()],
        "limites": {"element": ELEMENT_MAX, "appreciation": APPRECIATION_MAX,
                    "appreciation_generale": GENERALE_MAX, "parcours": PARCOURS_MAX,
                    "complement_ppre": PPRE_MAX},
    }
