"""The file's lines as pupils (a pandas table): each line checked, duplicates set aside.

A line is rejected, with a French reason, when a field the import needs is missing or wrong;
ONDE's INE, birth date, sexe and class id are checked when the file has them (empty is fine).
"""

from __future__ import annotations

from typing import Any

from ..text import clean, normalise
from .columns import FIELDS, NAME_MAX, short_niveau
from .csv_file import Table

INE_PATTERN = r"[0-9A-Z]{11}"
_SEXES = {"m": "M", "f": "F", "masculin": "M", "feminin": "F", "garcon": "M", "fille": "F"}


def _same(frame, value):
    """A column of ``frame``'s length holding ``value`` everywhere."""
    import pandas as pd

    return pd.Series(value, index=frame.index, dtype=object)


def _field(table: Table, cols: dict[str, int], field: str):
    if field in cols:
        return table.frame[cols[field]]
    return _same(table.frame, "").astype(str)  # not in the file: empty everywhere


def _tidy(series):
    """Spaces tidied, as ``text.clean``, on a whole column."""
    return series.str.replace(r"\s+", " ", regex=True).str.strip()


def _iso_dates(raw):
    """``dd/mm/yyyy`` (or ``yyyy-mm-dd``) as ``YYYY-MM-DD``; None where it is no real date."""
    import pandas as pd

    parts = raw.str.extract(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
    iso = parts[2] + "-" + parts[1].str.zfill(2) + "-" + parts[0].str.zfill(2)
    iso = iso.mask(iso.isna() & raw.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), raw)
    checked = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    return iso.where(checked.notna() & (checked.dt.year >= 1900))


def _values(table: Table, cols: dict[str, int]) -> dict[str, Any]:
    """Every field as a column of the file's lines (raw, and tidied)."""
    raw = {f: _field(table, cols, f) for f in
           ("nom", "prenom", "niveau", "classe", "ine", "naissance", "sexe", "id_onde")}
    tidy = {f: _tidy(v) for f, v in raw.items()}
    tidy["ine"] = tidy["ine"].str.replace(" ", "").str.upper()
    return {"raw": raw, "tidy": tidy}


def _reasons(table: Table, cols: dict[str, int], v: dict, niveau, iso, sexe):
    """The rejection reason of each line (None when the line is fine): the first that applies."""
    raw, tidy = v["raw"], v["tidy"]
    width = len(table.headers)
    frame = table.frame
    extra_cols = [c for c in frame.columns if c >= width]
    n_extra = sum((frame[c].str.strip() != "").astype(int) for c in extra_cols) \
        if extra_cols else _same(frame, 0).astype(int)
    mapped = [raw[f] for f in FIELDS]
    ine, day, sex, onde = tidy["ine"], tidy["naissance"], tidy["sexe"], tidy["id_onde"]
    checks = [
        (n_extra > 0, "la ligne a plus de champs (" + (n_extra + width).astype(str)
         + f") que l'en-tête ({width}) : séparateur ou guillemet en trop"),
        (_any(m.str.contains("\n", regex=False) for m in mapped),
         "un champ contient un retour à la ligne (guillemet mal fermé ?)"),
        (_any(m.str.contains('"', regex=False) for m in mapped),
         "guillemet « \" » mal placé : la ligne a sans doute été modifiée à la main"),
        (tidy["nom"] == "", "nom de l'élève vide"),
        (tidy["prenom"] == "", "prénom de l'élève vide"),
        (tidy["niveau"] == "", "niveau vide"),
        (tidy["classe"] == "", "classe vide"),
        ((tidy["nom"].str.len() > NAME_MAX) | (tidy["prenom"].str.len() > NAME_MAX),
         f"nom ou prénom trop long (plus de {NAME_MAX} caractères)"),
        (tidy["classe"].str.len() > NAME_MAX,
         f"nom de classe trop long (plus de {NAME_MAX} caractères)"),
        (niveau.isna(), "niveau inconnu « " + tidy["niveau"]
         + " » (attendu : CP, CE1, CE2, CM1, CM2…)"),
        ((ine != "") & ~ine.str.fullmatch(INE_PATTERN), "INE « " + ine
         + " » invalide : un INE a 11 caractères, chiffres et lettres (par exemple 1234567890A)"),
        ((day != "") & iso.isna(), "date de naissance « " + day
         + " » invalide (attendu : JJ/MM/AAAA, par exemple 21/09/2005)"),
        ((sex != "") & sexe.isna(), "sexe « " + sex + " » invalide (attendu : M ou F)"),
        ((onde != "") & ~onde.str.fullmatch(r"0*[1-9][0-9]{0,8}"), "identifiant de classe « "
         + onde + " » invalide (attendu : un nombre entier, comme dans ONDE)"),
    ]
    reason = _same(frame, None)
    for bad, text in reversed(checks):  # the first check that applies wins
        reason = reason.mask(bad, text)
    return reason


def _any(masks):
    out = None
    for m in masks:
        out = m if out is None else out | m
    return out


def read_pupils(table: Table, cols: dict[str, int], refs) -> tuple[Any, list[dict], Any]:
    """``(pupils, rejets, rejected)``: the valid lines as a DataFrame (``ligne``, ``nom``,
    ``prenom``, ``niveau``, ``source``, ``ine``, ``naissance``, ``sexe``, ``id_onde``, and the
    matching keys ``key`` / ``nsrc``), the rejected lines ``{"ligne", "raison"}``, and the
    pupil keys (nom + prénom, and INE) of the rejected lines."""
    import pandas as pd

    v = _values(table, cols)
    tidy = v["tidy"]
    niveau = tidy["niveau"].map({n: short_niveau(n, refs)
                                 for n in tidy["niveau"].unique()})
    iso = _iso_dates(tidy["naissance"])
    sexe = tidy["sexe"].map(lambda s: _SEXES.get(normalise(s)))
    reason = _reasons(table, cols, v, niveau, iso, sexe)
    lines = pd.Series(table.lines, index=table.frame.index)
    bad = reason.notna()
    rejets = [{"ligne": int(n), "raison": r} for n, r in zip(lines[bad], reason[bad], strict=True)]
    keys = tidy["nom"].map(normalise) + "|" + tidy["prenom"].map(normalise)
    rejected = set(keys[bad & (tidy["nom"] != "") & (tidy["prenom"] != "")])
    rejected |= {("ine", i) for i in tidy["ine"][bad] if i}
    ok = ~bad
    pupils = pd.DataFrame({
        "ligne": lines[ok],
        "nom": tidy["nom"][ok].str.upper(),
        "prenom": tidy["prenom"][ok].map(format_prenom),
        "niveau": niveau[ok],
        "source": tidy["classe"][ok],
        "ine": tidy["ine"][ok],
        "naissance": iso[ok].fillna(""),
        "sexe": sexe[ok].fillna(""),
        "id_onde": pd.to_numeric(tidy["id_onde"][ok].where(tidy["id_onde"][ok] != "")).astype("Int64"),
        "key": keys[ok],
    })
    pupils["nsrc"] = pupils["source"].map(normalise)
    return pupils, rejets, rejected


def format_prenom(prenom: str) -> str:
    """As in the file, in title case when the file has it in capitals."""
    prenom = clean(prenom)
    if prenom == prenom.upper() and prenom != prenom.lower():
        prenom = prenom.title()
    return prenom


def drop_duplicates(pupils, rejets: list[dict]):
    """Exact duplicate lines (same pupil, niveau and class): the first is kept. The same pupil
    (same INE, or same name without INE) on different lines: ambiguous, all rejected.
    Returns ``(pupils, ambigus, ambiguous idents)``; ``rejets`` is completed."""
    pupils = pupils.assign(ident=pupils["ine"].where(pupils["ine"] != "", pupils["key"]))
    exact = pupils.duplicated(["ident", "niveau", "nsrc"])
    if exact.any():
        first = pupils[~exact].set_index(["ident", "niveau", "nsrc"])["ligne"]
        for p in pupils[exact].itertuples():
            rejets.append({"ligne": int(p.ligne), "raison": "ligne en double (identique à la "
                           f"ligne {first[(p.ident, p.niveau, p.nsrc)]})"})
        pupils = pupils[~exact]
    many = pupils["ident"].duplicated(keep=False)
    ambigus: list[dict] = []
    for _, group in pupils[many].groupby("ident", sort=False):
        lines = ", ".join(str(n) for n in group["ligne"])
        for n in group["ligne"]:
            rejets.append({
                "ligne": int(n),
                "raison": f"élève présent plusieurs fois dans le fichier (lignes {lines}) "
                          "dans des classes ou niveaux différents : non importé, "
                          "corrigez le fichier",
            })
        first = group.iloc[0]
        ambigus.append({"nom": first["nom"], "prenom": first["prenom"],
                        "niveau": " / ".join(group["niveau"]),
                        "classe": " / ".join(group["source"]),
                        "raison": f"présent plusieurs fois dans le fichier (lignes {lines})"})
    ambiguous = set(pupils["key"][many]) | {("ine", i) for i in pupils["ine"][many] if i}
    rejets.sort(key=lambda r: r["ligne"])
    return pupils[~many], ambigus, ambiguous
