"""The file's lines as pupils: each line checked, then (pandas) duplicates set aside.

A line is rejected, with a French reason, when a field the import needs is missing or wrong;
ONDE's INE, birth date, sexe and class id are checked when the file has them (empty is fine).
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from cartable.base_eleves.columns import FIELDS, NAME_MAX, short_niveau
from cartable.base_eleves.csv_file import Table
from cartable.text import clean, normalise

INE = re.compile(r"[0-9A-Z]{11}")
ID_ONDE = re.compile(r"0*[1-9][0-9]{0,8}")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{2})-(\d{2})")
_SEXES = {"m": "M", "f": "F", "masculin": "M", "feminin": "F", "garcon": "M", "fille": "F"}
COLUMNS = ["ligne", "nom", "prenom", "niveau", "source", "ine", "naissance", "sexe", "id_onde",
           "key", "nsrc"]


def format_prenom(prenom: str) -> str:
    """As in the file, in title case when the file has it in capitals."""
    prenom = clean(prenom)
    if prenom == prenom.upper() and prenom != prenom.lower():
        prenom = prenom.title()
    return prenom


@functools.lru_cache(maxsize=4096)  # a school's pupils share birth years; plans run again
def iso_date(text: str) -> str | None:
    """``dd/mm/yyyy`` (or ``yyyy-mm-dd``) as ``YYYY-MM-DD``; None when it is no real date."""
    m = _DATE.fullmatch(text)
    if m is None:
        return None
    d, mo, y = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
    try:
        day = datetime.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    return day.isoformat() if day.year >= 1900 else None


def _shape_reason(fields: list[str], values: dict, tidy: dict, width: int) -> str | None:
    """Why the line cannot be read as a pupil (``tidy``: the required fields, spaces tidied)."""
    if len(fields) > width and any(v.strip() for v in fields[width:]):
        extra = [v for v in fields[width:] if v.strip()]
        return (f"la ligne a plus de champs ({width + len(extra)}) que l'en-tête ({width}) : "
                "séparateur ou guillemet en trop")
    required = "".join([values[f] for f in FIELDS])
    if "\n" in required:
        return "un champ contient un retour à la ligne (guillemet mal fermé ?)"
    if '"' in required:
        return "guillemet « \" » mal placé : la ligne a sans doute été modifiée à la main"
    for field, what in (("nom", "nom de l'élève"), ("prenom", "prénom de l'élève"),
                        ("niveau", "niveau"), ("classe", "classe")):
        if not tidy[field]:
            return f"{what} vide"
    if len(tidy["nom"]) > NAME_MAX or len(tidy["prenom"]) > NAME_MAX:
        return f"nom ou prénom trop long (plus de {NAME_MAX} caractères)"
    if len(tidy["classe"]) > NAME_MAX:
        return f"nom de classe trop long (plus de {NAME_MAX} caractères)"
    return None


def _onde(values: dict) -> tuple[dict, str | None]:
    """ONDE's fields, checked and normalised; or the reason why the line is rejected."""
    ine = "".join(values.get("ine", "").split()).upper()
    day = clean(values.get("naissance", ""))
    sex = clean(values.get("sexe", ""))
    onde = clean(values.get("id_onde", ""))
    out = {"ine": ine, "naissance": iso_date(day) if day else "",
           "sexe": _SEXES.get(normalise(sex)) if sex else "",
           "id_onde": int(onde) if ID_ONDE.fullmatch(onde) else None}
    if ine and not INE.fullmatch(ine):
        return out, (f"INE « {ine} » invalide : un INE a 11 caractères, chiffres et lettres "
                     "(par exemple 1234567890A)")
    if out["naissance"] is None:
        return out, (f"date de naissance « {day} » invalide (attendu : JJ/MM/AAAA, par "
                     "exemple 21/09/2005)")
    if out["sexe"] is None:
        return out, f"sexe « {sex} » invalide (attendu : M ou F)"
    if onde and out["id_onde"] is None:
        return out, (f"identifiant de classe « {onde} » invalide (attendu : un nombre entier, "
                     "comme dans ONDE)")
    return out, None


def read_pupils(table: Table, cols: dict[str, int], refs) -> tuple[Any, list[dict], set]:
    """``(pupils, rejets, rejected)``: the valid lines as a DataFrame (``COLUMNS``: the line,
    the pupil, the matching keys ``key`` (nom|prénom) and ``nsrc`` (class)), the rejected lines
    ``{"ligne", "raison"}``, and the pupil keys (nom|prénom, ``("ine", INE)``) of those lines."""
    import pandas as pd

    width = len(table.headers)
    has_onde = any(f in cols for f in ("ine", "naissance", "sexe", "id_onde"))
    no_onde = {"ine": "", "naissance": "", "sexe": "", "id_onde": None}
    records, rejets, rejected = [], [], set()
    for line, fields in zip(table.lines, table.rows, strict=True):
        values = {f: fields[i] for f, i in cols.items()}
        tidy = {f: clean(values[f]) for f in FIELDS}
        reason = _shape_reason(fields, values, tidy, width)
        niveau = None
        if reason is None:
            niveau = short_niveau(values["niveau"], refs)
            if niveau is None:
                reason = (f"niveau inconnu « {tidy['niveau']} » (attendu : CP, CE1, CE2, CM1, "
                          "CM2…)")
        onde, bad = _onde(values) if has_onde else (no_onde, None)
        reason = reason or bad
        key = normalise(values["nom"]) + "|" + normalise(values["prenom"])
        if reason is not None:
            rejets.append({"ligne": line, "raison": reason})
            if values["nom"].strip() and values["prenom"].strip():
                rejected.add(key)
            if onde["ine"]:
                rejected.add(("ine", onde["ine"]))
            continue
        source = tidy["classe"]
        records.append((line, tidy["nom"].upper(), format_prenom(tidy["prenom"]),
                        niveau, source, onde["ine"], onde["naissance"], onde["sexe"],
                        onde["id_onde"], key, normalise(source)))
    pupils = pd.DataFrame.from_records(records, columns=COLUMNS)
    pupils["id_onde"] = pd.Series([r[8] for r in records], dtype=object)  # None or int
    return pupils, rejets, rejected


def _ine_conflicts(pupils, rejets: list[dict], ambigus: list[dict]):
    """One INE on lines naming different pupils: which pupil it is cannot be known, so every
    such line is rejected, naming them all. Returns ``(other pupils, their idents)``."""
    with_ine = pupils[pupils["ine"] != ""]
    names = with_ine.groupby("ine")["key"].nunique()
    conflicting = set(names[names > 1].index)
    if not conflicting:
        return pupils, set()
    conflict = pupils["ine"].isin(conflicting)
    for ine, group in pupils[conflict].groupby("ine", sort=False):
        who = ", ".join(f"{p.nom} {p.prenom} (ligne {p.ligne})" for p in group.itertuples())
        for n in group["ligne"].tolist():
            rejets.append({"ligne": n, "raison": f"conflit : le même INE « {ine} » est donné à "
                           f"des élèves différents ({who}) : aucun n'est importé ni modifié, "
                           "corrigez le fichier"})
        ambigus.append({"nom": " / ".join(group["nom"]), "prenom": " / ".join(group["prenom"]),
                        "niveau": " / ".join(group["niveau"]),
                        "classe": " / ".join(group["source"]),
                        "raison": f"INE « {ine} » donné à plusieurs élèves : {who}"})
    idents = set(pupils["key"][conflict]) | {("ine", i) for i in conflicting}
    return pupils[~conflict], idents


def drop_duplicates(pupils, rejets: list[dict]):
    """Exact duplicate lines (same pupil, niveau and class): the first is kept. The same pupil
    (same INE, or same name without INE) on different lines: ambiguous, all rejected; one INE
    given to different pupils: a conflict, all rejected (``_ine_conflicts``).
    Returns ``(pupils, ambigus, ambiguous idents)``; ``rejets`` is completed."""
    ambigus: list[dict] = []
    pupils, conflicts = _ine_conflicts(pupils, rejets, ambigus)
    pupils = pupils.assign(ident=pupils["ine"].where(pupils["ine"] != "", pupils["key"]))
    exact = pupils.duplicated(["ident", "niveau", "nsrc"])
    if exact.any():
        first = pupils[~exact].set_index(["ident", "niveau", "nsrc"])["ligne"]
        for p in pupils[exact].itertuples():
            rejets.append({"ligne": p.ligne, "raison": "ligne en double (identique à la "
                           f"ligne {first[(p.ident, p.niveau, p.nsrc)]})"})
        pupils = pupils[~exact]
    many = pupils["ident"].duplicated(keep=False)
    for _, group in pupils[many].groupby("ident", sort=False):
        lines = ", ".join(str(n) for n in group["ligne"])
        for n in group["ligne"].tolist():
            rejets.append({
                "ligne": n,
                "raison": f"élève présent plusieurs fois dans le fichier (lignes {lines}) "
                          "dans des classes ou niveaux différents : non importé, "
                          "corrigez le fichier",
            })
        first = group.iloc[0]
        ambigus.append({"nom": first["nom"], "prenom": first["prenom"],
                        "niveau": " / ".join(group["niveau"]),
                        "classe": " / ".join(group["source"]),
                        "raison": f"présent plusieurs fois dans le fichier (lignes {lines})"})
    ambiguous = (set(pupils["key"][many]) | {("ine", i) for i in pupils["ine"][many] if i}
                 | conflicts)
    rejets.sort(key=lambda r: r["ligne"])
    return pupils[~many], ambigus, ambiguous


def records(pupils) -> list[dict]:
    """The pupils as plain dicts (Python values), for the matching loop."""
    columns = [pupils[c].tolist() for c in COLUMNS]
    return [dict(zip(COLUMNS, row, strict=True)) for row in zip(*columns, strict=True)]
