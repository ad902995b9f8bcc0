"""Which column of the file holds which field, and what a niveau written in the file means."""

from __future__ import annotations

import re

from cartable.errors import UserError
from cartable.text import clean, normalise

NAME_MAX = 60
# The fields every file must have, then ONDE's optional ones (kept when the file has them).
FIELDS = ("nom", "prenom", "niveau", "classe")
OPTIONAL_FIELDS = ("ine", "naissance", "sexe", "id_onde")
FIELD_LABELS = {"nom": "Nom Elève", "prenom": "Prénom Elève", "niveau": "Niveau",
                "classe": "Classe", "ine": "INE", "naissance": "Date naissance",
                "sexe": "Sexe", "id_onde": "Identifiant classe"}

# Header variants (normalised: lower case, no accent, punctuation as spaces), best first.
HEADER_CANDIDATES = {
    "nom": ["nom eleve", "nom de l eleve", "nom de famille", "nom", "nom famille",
            "nom de naissance", "nom patronymique"],
    "prenom": ["prenom eleve", "prenom de l eleve", "prenom", "prenom 1", "premier prenom",
               "prenom usuel"],
    "niveau": ["niveau", "niveau eleve", "niveau de l eleve", "libelle niveau", "niveau scolaire",
               "niveau de classe", "code niveau"],
    "classe": ["classe", "libelle classe", "nom classe", "nom de la classe", "classe eleve",
               "classe de l eleve", "libelle de la classe", "division"],
    "ine": ["ine", "ine eleve", "numero ine", "identifiant national eleve"],
    "naissance": ["date naissance", "date de naissance", "ne e le", "ne le"],
    "sexe": ["sexe", "sexe eleve", "genre"],
    "id_onde": ["identifiant classe", "identifiant de la classe", "id classe"],
}

ONDE = "ONDE"
BASE_ELEVES = "Base-Élèves"


def source_name(headers: list[str]) -> str | None:
    """The application the file comes from, by its header: « ONDE » when it has ONDE's own
    columns (INE, « Identifiant classe »), « Base-Élèves » for Base-Élèves's header (« Nom
    Elève », « Classe », no INE), None when the header says neither."""
    found = guess_mapping(headers, FIELDS + OPTIONAL_FIELDS)
    if found["ine"] or found["id_onde"]:
        return ONDE
    if found["nom"] and normalise(found["nom"]) == "nom eleve" and found["classe"] \
            and normalise(found["classe"]) == "classe":
        return BASE_ELEVES
    return None


def of_source(source: str | None) -> str:
    """« d'ONDE », « de Base-Élèves », or both when the file does not say."""
    return {ONDE: "d'ONDE", BASE_ELEVES: "de Base-Élèves"}.get(source, "d'ONDE ou de Base-Élèves")


_ORDINALS = {"1": "1", "premiere": "1", "2": "2", "deuxieme": "2", "seconde": "2", "second": "2"}
_LONG_LEVEL = re.compile(
    r"(?:cours )?(preparatoire|elementaire|moyen)(?: (1|2|premiere|deuxieme|seconde|second)"
    r"(?:ere|re|er|eme|e|nd|nde)?)?(?: annee)?"
)
_LEVEL_WORDS = {
    "petite section": "PS", "petite section de maternelle": "PS",
    "moyenne section": "MS", "moyenne section de maternelle": "MS",
    "grande section": "GS", "grande section de maternelle": "GS",
    "classe pour l inclusion scolaire": "CLIS", "ulis": "CLIS", "ulis ecole": "CLIS",
}


def short_niveau(value: str, refs) -> str | None:
    """The niveau ref ("CM1") for a short or long Base-Élèves level name, None if unknown."""
    norm = normalise(value)
    compact = norm.replace(" ", "").upper()
    if compact in refs:
        return compact
    if norm in _LEVEL_WORDS:
        return _LEVEL_WORDS[norm]
    m = _LONG_LEVEL.fullmatch(norm)
    if m is None:
        return None
    kind, ordinal = m.group(1), m.group(2)
    if kind == "preparatoire":
        return "CP" if ordinal is None else None
    if ordinal is None:
        return None
    return ("CE" if kind == "elementaire" else "CM") + _ORDINALS[ordinal]


def guess_mapping(headers: list[str], fields=FIELDS) -> dict[str, str | None]:
    """For each field, the header (as written in the file) that holds it, or None."""
    normalised = [normalise(h) for h in headers]
    mapping: dict[str, str | None] = {}
    used: set[int] = set()
    for field in fields:
        mapping[field] = None
        for candidate in HEADER_CANDIDATES[field]:
            found = [i for i, h in enumerate(normalised) if h == candidate and i not in used]
            if found:
                used.add(found[0])
                mapping[field] = headers[found[0]]
                break
    return mapping


def _chosen_index(headers: list[str], field: str, chosen) -> int:
    if isinstance(chosen, int) and not isinstance(chosen, bool):
        if not 0 <= chosen < len(headers):
            raise UserError(
                f"La colonne n° {chosen + 1} choisie pour « {FIELD_LABELS[field]} » "
                "n'existe pas dans ce fichier."
            )
        return chosen
    if isinstance(chosen, str) and clean(chosen) in headers:
        return headers.index(clean(chosen))
    raise UserError(
        f"La colonne « {chosen} » choisie pour « {FIELD_LABELS[field]} » n'existe pas "
        "dans ce fichier. Choisissez une des colonnes proposées."
    )


def columns(headers: list[str], mapping) -> dict[str, int]:
    """Column index of each field, from the user's ``mapping`` or guessed from the headers.
    The four required fields first; ONDE's optional ones only when guessed and free."""
    guessed = guess_mapping(headers)
    if mapping is not None and not isinstance(mapping, dict):
        raise UserError("La correspondance des colonnes est invalide.")
    found: dict[str, int] = {}
    for field in FIELDS:
        chosen = (mapping or {}).get(field)
        if chosen is None or chosen == "":
            chosen = guessed[field]
        if chosen is not None:
            found[field] = _chosen_index(headers, field, chosen)
    seen: dict[int, str] = {}
    for field, index in found.items():
        if index in seen:
            raise UserError(
                f"La colonne « {headers[index]} » est choisie à la fois pour "
                f"« {FIELD_LABELS[seen[index]]} » et « {FIELD_LABELS[field]} ». "
                "Choisissez une colonne différente pour chacune."
            )
        seen[index] = field
    missing = [f for f in FIELDS if f not in found]
    if missing:
        labels = ", ".join(f"« {FIELD_LABELS[f]} »" for f in missing)
        what = "Colonne introuvable" if len(missing) == 1 else "Colonnes introuvables"
        raise UserError(
            f"{what} dans l'en-tête du fichier : {labels}. Indiquez à la main quelle colonne "
            f"du fichier correspond {'à chacune' if len(missing) > 1 else 'à celle-ci'}, ou "
            f"vérifiez que c'est bien l'extraction CSV {of_source(source_name(headers))}.",
            code="mapping", headers=headers, missing=missing,
            mapping={f: (headers[found[f]] if f in found else None) for f in FIELDS},
        )
    free = [h if i not in seen else "" for i, h in enumerate(headers)]
    for field, header in guess_mapping(free, OPTIONAL_FIELDS).items():
        if header:
            found[field] = free.index(header)
    return found
