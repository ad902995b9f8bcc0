"""A cautious LSU import: what an imported LSU file must prove before its bilans are applied.

An LSU file may come from another school, or have been edited: the INE alone does not make a
bilan ours. The import (``lsu/lsu_file.py``'s ``plan_import``; any kind of bilan the file holds) calls these
checks as a step of its own:

- ``check_school(conn, root)``: the file's ``<etablissement>`` must be the school's UAI (both
  named otherwise; a school without a UAI must enter it first);
- ``check_date(created, who, today)``: a ``date-creation`` after today is refused (it would win
  every later import and be exported to LSU);
- ``clean(text)``: C0/C1 control characters and bidirectional overrides (which can disguise a
  name or a synthèse) are removed, and the caller reports it;
- ``same_pupil(ours, theirs)``: the file's names for an INE must be ours (accents, case and
  spacing aside); a bilan whose names differ is not applied unless the director confirms that
  INE (``confirmer``): ``pending`` marks its report « à confirmer » (``pending_text`` counts
  them in the import's message).

Both kinds of bilans go through the same checks: the bilans de fin de cycle in ``lsu_file``, the
bilans périodiques in ``livret_import`` (``clean_all`` cleans the many texts of a bilan).
"""

from __future__ import annotations

import datetime
import re
import sqlite3

from cartable import db
from cartable.errors import UserError
from cartable.text import normalise, plural

# C0 but tab and newlines, DEL, C1; the bidirectional embeddings, overrides and isolates and the
# invisible direction marks (Unicode TR 9 / "Trojan Source").
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069]")
_NS = "{urn:fr:edu:scolarite:lsun:bilans:import}"


def check_school(conn: sqlite3.Connection, root) -> None:
    """UserError unless the file's establishment is this school (its UAI)."""
    node = root.find(f"{_NS}entete/{_NS}etablissement")
    theirs = "".join((node.text or "").split()).upper() if node is not None else ""
    shown = "".join(c if c.isprintable() else "?" for c in theirs)[:20] or "aucun"
    ours = db.get_meta(conn, "uai", "") or ""
    if not ours:
        raise UserError(
            f"Ce fichier LSU est celui de l'établissement « {shown} », mais le numéro UAI de "
            "l'école n'est pas indiqué : Cartable ne peut pas vérifier que ce sont les bilans de "
            "l'école. Indiquez d'abord l'UAI de l'école (identité de l'école), puis importez le "
            "fichier à nouveau.")
    if theirs != ours:
        raise UserError(
            f"Ce fichier LSU est celui de l'établissement « {shown} », pas de l'école (UAI "
            f"{ours}) : ses bilans ne sont pas importés et rien n'a changé. Choisissez le "
            "fichier LSU de l'école.")


def check_date(created: str, who: str, today: datetime.date) -> None:
    """UserError if a bilan's ``date-creation`` (already checked as a date) is after today."""
    if datetime.date.fromisoformat(created) > today:
        raise UserError(
            f"La date de création « {created} » du bilan de {who} est postérieure à "
            f"aujourd'hui ({today:%d/%m/%Y}) : le fichier est refusé, rien n'a changé. Une "
            "date dans le futur l'emporterait sur tous les bilans saisis ensuite ; vérifiez la "
            "date de l'ordinateur qui a produit le fichier.")


def clean(text: str) -> tuple[str, bool]:
    """``text`` without control characters nor bidirectional overrides; True if any was."""
    cleaned = _HIDDEN.sub("", text)
    return cleaned, cleaned != text


def same_pupil(ours: tuple[str, str], theirs: tuple[str, str]) -> bool:
    """Do (nom, prénom) of the school and of the file name the same pupil?"""
    return all(normalise(a) == normalise(b) for a, b in zip(ours, theirs, strict=True))


def differ_reason(ours: tuple[str, str], theirs: tuple[str, str]) -> str:
    return (f"le fichier nomme l'élève de cet INE « {' '.join(theirs)} », l'école « "
            f"{' '.join(ours)} » : bilan non importé ; s'il s'agit bien du même élève, "
            "confirmez cet INE pour l'importer")


PENDING = "à confirmer"


def pending(report: dict, ours: tuple[str, str], theirs: tuple[str, str], ine: str,
            confirmed) -> bool:
    """Mark ``report`` « à confirmer » (with the file's name and the reason) when the file
    names the pupil of ``ine`` otherwise than the school and that INE is not in ``confirmed``;
    True if it was marked (the bilan is then not applied)."""
    if same_pupil(ours, theirs) or ine in confirmed:
        return False
    report.update(statut=PENDING, nom_fichier=" ".join(theirs),
                  raison=differ_reason(ours, theirs))
    return True


def pending_text(reports: list[dict]) -> str:
    """`` ; N bilans à confirmer (…), non importés`` for the import's message, or ""."""
    n = sum(r["statut"] == PENDING for r in reports)
    if not n:
        return ""
    return (f" ; {plural(n, 'bilan', 'bilans')} à confirmer (noms différents de ceux de "
            f"l'école), {'non importé' if n == 1 else 'non importés'}")


def clean_all(holder, keys) -> bool:
    """Clean, in place, the texts ``holder`` holds under ``keys`` (a dict's keys or an
    object's attributes; a value may be a text, a list of texts or a dict of texts). True if
    any hidden character was removed."""
    dirty = False
    for key in keys:
        getter = holder.get if isinstance(holder, dict) else lambda k: getattr(holder, k)
        value = getter(key)
        if isinstance(value, str):
            value, changed = clean(value)
        elif isinstance(value, list):
            pairs = [clean(v) for v in value]
            value, changed = [v for v, _ in pairs], any(c for _, c in pairs)
        elif isinstance(value, dict):
            changed = clean_all(value, list(value))
        else:
            continue
        dirty |= changed
        if isinstance(holder, dict):
            holder[key] = value
        else:
            setattr(holder, key, value)
    return dirty
