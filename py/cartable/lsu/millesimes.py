"""One millésime per LSU file of bilans de fin de cycle 2 (issue 17, point 10).

A bilan carries its millésime (the first year of its school year, ``bilan.millesime``). LSU
takes a file for one school year: an export that mixed ``millesime="2025"`` and ``"2026"``
would put last year's bilans into this year's livret. So:

- ``choose(pupils, wanted)``: the export keeps the bilans of one millésime — ``wanted``, else
  the most recent among the chosen pupils' complete bilans — and the others are left out, each
  pupil with the reason (the export's pre-flight lists them);
- ``keep_only(pupils, millesime)``: the same for a millésime already decided (the bilans de
  cycle beside a period's bilans périodiques are of that period's school year);
- ``offered(pupils)``: the school years the LSU screen offers when there are several;
- ``import_note(reports, found, today)``: at import, the file's bilans of another millésime than
  the current school year's are named before anything is written.
"""

from __future__ import annotations

import datetime

from cartable.errors import UserError
from cartable.lsu import bilan
from cartable.text import plural


def annee(millesime: str) -> str:
    """« 2025-2026 » for the millésime « 2025 »."""
    return f"{millesime}-{int(millesime) + 1}" if millesime.isdigit() else millesime


def checked(value) -> str | None:
    """A millésime from a payload or the command line (« 2025 »), or None; a French
    UserError for anything else."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not isinstance(value, (str, int)) or not (text.isdigit() and len(text) == 4):
        raise UserError(f"Millésime « {text[:10]} » invalide : l'année de la rentrée est "
                        "attendue (par exemple 2025 pour 2025-2026).")
    return text


def offered(pupils) -> list[dict]:
    """The millésimes of the complete bilans among ``pupils`` (those without another problem),
    most recent first: ``[{"millesime", "annee", "nb_bilans"}]``."""
    counts: dict[str, int] = {}
    for p in pupils:
        if p.bilan is not None and not p.problemes:
            counts[p.bilan.millesime] = counts.get(p.bilan.millesime, 0) + 1
    return [{"millesime": m, "annee": annee(m), "nb_bilans": counts[m]}
            for m in sorted(counts, reverse=True)]


def choose(pupils, wanted: str | None) -> str | None:
    """Keep one millésime: ``wanted``, else the most recent of the complete bilans. Each pupil
    whose complete bilan is of another millésime gets that reason in ``problemes`` (so the
    export leaves him out and lists him). Returns the millésime kept (None: no complete bilan).
    """
    years = offered(pupils)
    if not years:
        return None
    if wanted is not None and wanted not in {y["millesime"] for y in years}:
        present = ", ".join(f"{y['annee']} ({plural(y['nb_bilans'], 'bilan', 'bilans')})"
                            for y in years)
        raise UserError(f"Aucun bilan complet de l'année {annee(wanted)} dans les classes "
                        f"choisies : rien à exporter. Années présentes : {present}.")
    kept = wanted or years[0]["millesime"]
    keep_only(pupils, kept)
    return kept


def keep_only(pupils, kept: str) -> None:
    """Leave out (with the reason) each pupil whose otherwise complete bilan is not of ``kept``:
    ``choose``'s second half, and the bilans de cycle written beside a period's bilans
    périodiques (that period's school year, ``lsu.livret_export``)."""
    for p in pupils:
        if p.bilan is not None and not p.problemes and p.bilan.millesime != kept:
            p.problemes.append(f"bilan de l'année {annee(p.bilan.millesime)} : le fichier "
                               f"est celui de {annee(kept)} (LSU prend une année par fichier)")


def import_note(reports: list[dict], found, today: datetime.date) -> str:
    """Mark the reports of the file's bilans whose millésime is not the current school year's
    (``avertissements``) and say it in one sentence (empty when all are this year's)."""
    current = bilan.millesime(today)
    other: dict[str, int] = {}
    for report, f in zip(reports, found, strict=True):
        m = f.bilan.millesime
        report["millesime"] = m
        if m != current:
            other[m] = other.get(m, 0) + 1
            report.setdefault("avertissements", []).append(f"bilan de l'année {annee(m)}")
    if not other:
        return ""
    n = sum(other.values())
    years = ", ".join(f"{annee(m)} ({plural(k, 'bilan', 'bilans')})"
                      for m, k in sorted(other.items(), reverse=True))
    return (f"Attention : {plural(n, 'bilan du fichier est', 'bilans du fichier sont')} d'une "
            f"autre année scolaire que {annee(current)} : {years}. Un fichier LSU ne porte "
            "qu'une année : l'export écrit la plus récente des bilans choisis, ou l'année "
            "choisie.")
