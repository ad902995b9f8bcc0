"""The socle commun (2008) with SACoche's identifiers, loaded from the packaged JSON.

Display order is by the ``*_ordre`` fields, never by id (see the JSON's ``_ordering``).
Vocabulary: palier > compétence (SACoche: pilier) > domaine (section) > item (entrée).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Item:
    id: int
    nom: str
    ordre: int
    domaine_id: int
    competence_id: int
    palier_id: int


@dataclass(frozen=True)
class Domaine:
    id: int
    nom: str
    ordre: int
    competence_id: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Competence:
    id: int
    ref: str
    nom: str
    ordre: int
    palier_id: int
    domaines: tuple[Domaine, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for d in self.domaines for i in d.items)


@dataclass(frozen=True)
class Palier:
    id: int
    nom: str
    ordre: int
    competences: tuple[Competence, ...]


@dataclass(frozen=True)
class Referentiel:
    paliers: tuple[Palier, ...]
    competences: dict[int, Competence] = field(default_factory=dict)
    items: dict[int, Item] = field(default_factory=dict)
    domaines: dict[int, Domaine] = field(default_factory=dict)

    def palier(self, palier_id: int) -> Palier:
        for p in self.paliers:
            if p.id == palier_id:
                return p
        raise KeyError(palier_id)

    def as_json(self, palier_id: int | None = None) -> list[dict]:
        """Plain data for the UI, in display order."""
        return [
            {
                "id": p.id,
                "nom": p.nom,
                "competences": [
                    {
                        "id": c.id,
                        "ref": c.ref,
                        "nom": c.nom,
                        "domaines": [
                            {
                                "id": d.id,
                                "nom": d.nom,
                                "items": [{"id": i.id, "nom": i.nom} for i in d.items],
                            }
                            for d in c.domaines
                        ],
                    }
                    for c in p.competences
                ],
            }
            for p in self.paliers
            if palier_id is None or p.id == palier_id
        ]


def _load() -> Referentiel:
    from importlib import resources  # here, not at import: off the start-up path

    raw = json.loads(
        resources.files("cartable.socle2008").joinpath("referentiel/socle_2008.json").read_text("utf-8")
    )
    competences: dict[int, Competence] = {}
    items: dict[int, Item] = {}
    domaines: dict[int, Domaine] = {}
    paliers = []
    for p in sorted(raw["paliers"], key=lambda p: p["palier_ordre"]):
        comps = []
        for c in sorted(p["piliers"], key=lambda c: c["pilier_ordre"]):
            doms = []
            for s in sorted(c["sections"], key=lambda s: s["section_ordre"]):
                its = tuple(
                    Item(e["entree_id"], e["entree_nom"], e["entree_ordre"], s["section_id"],
                         c["pilier_id"], p["palier_id"])
                    for e in sorted(s["entrees"], key=lambda e: e["entree_ordre"])
                )
                d = Domaine(s["section_id"], s["section_nom"], s["section_ordre"], c["pilier_id"], its)
                doms.append(d)
                domaines[d.id] = d
                items.update((i.id, i) for i in its)
            comp = Competence(c["pilier_id"], c["pilier_ref"], c["pilier_nom"], c["pilier_ordre"],
                              p["palier_id"], tuple(doms))
            comps.append(comp)
            competences[comp.id] = comp
        paliers.append(Palier(p["palier_id"], p["palier_nom"], p["palier_ordre"], tuple(comps)))
    return Referentiel(tuple(paliers), competences, items, domaines)


@lru_cache(maxsize=1)
def get() -> Referentiel:
    """The référentiel (parsed once)."""
    return _load()
