"""Import of the pupils from the Base-Élèves / ONDE "Extraction – format CSV".

The file is read once (``parse``: bytes -> a ``Table``, pandas), then:

- ``read(table)``: encoding, separator, the columns (``headers``/``mapping``/``missing`` let
  the UI map columns by hand);
- ``plan(conn, table, mapping, classes)``: what the import would do (classes to add / keep /
  remove, pupils to add / modify / deactivate, ambiguities, rejected lines). Reads only;
- ``apply(conn, table, mapping, classes)``: the same plan, then written in ONE transaction.

Each also takes the file's bytes instead of a table (the command line). The worker keeps the
table in the session between the wizard's steps (``commands/base_eleves.py``).

Modules: ``csv_file`` (bytes -> text -> table), ``columns`` (headers, niveaux), ``pupils`` (the
lines checked, as a pandas table; duplicates), ``classes`` (one per source class and niveau),
``matching`` (the plan: matching with the school), ``writing`` (the transaction).

Rules:

- Bytes are decoded as UTF-16 (Excel's « Texte Unicode »: with a BOM, or recognised by its NUL
  bytes), UTF-8 (with or without BOM), else Windows-1252. Binary files,
  ZIP/XLSX/XLS/ODS/PDF, empty or header-only files and files over ``MAX_BYTES`` are refused with a
  French message. pandas parses the text (imported lazily: it must not load at start-up).
- One class per (Base-Élèves class, niveau). A single-level class keeps its name; a mixed class
  "CE2-CM1" gives "[CE2] CE2-CM1" and "[CM1] CE2-CM1". Its reference is computed from niveau and
  source name (``CM2-CM1CM2``): deterministic, unique, at most ``REF_MAX`` characters. An existing
  class is recognised by (niveau, source name), so a class renamed by the user stays "kept".
- Classes of the school absent from the file are "retirer": their pupils are moved or
  deactivated like any other pupil; the class itself is deleted only when no pupil (not even a
  deactivated one) is attached to it any more. Otherwise it is kept, empty of active pupils, so
  that deactivated pupils keep their class and their validations stay exportable by class.
- ``classes`` at apply: ``{ref: {"nom": new name, "ignorer": bool}}``. An ignored class is left
  as it is: it is not created, renamed or deleted; the file pupils going into it are skipped
  (the matching existing pupils are left untouched) and its current pupils are not deactivated.
- ONDE's columns are kept when the file has them: INE (11 letters or digits), birth date
  (``dd/mm/yyyy`` -> ``YYYY-MM-DD``), sexe (M/F) and "Identifiant classe" (``classe.id_onde``,
  the same on each niveau's part of a multi-level class). A bad value rejects the line. A
  Base-Élèves file has none of them: what the school has is kept.
- Pupils are matched by INE first (a school pupil with another INE is someone else), then on
  normalised nom + prénom (case, accents, spaces and punctuation ignored).
  An ambiguity (two existing pupils, or two different file lines, with the same normalised name)
  is reported and never guessed: those pupils are left untouched. A line identical to an earlier
  one (same nom, prénom, niveau, classe) is rejected as a duplicate and the first one is kept.
- Pupils absent from the file are deactivated (never deleted: validations are kept); a
  deactivated pupil found again is reactivated. A pupil named on a rejected line is in the file:
  he or she is left untouched, not deactivated. Validations belong to the pupil, so moving a
  pupil to another class keeps them.
- nom is stored in upper case; prénom as in the file (title case when the file has it in capitals).
- Niveaux found in the file but inactive in the school are activated at apply (and reported).
- Only real changes are written: re-importing the same file changes nothing, not even a byte.
"""

from __future__ import annotations

import sqlite3

from cartable.base_eleves.classes import REF_MAX
from cartable.base_eleves.columns import FIELD_LABELS, FIELDS, short_niveau
from cartable.base_eleves.csv_file import MAX_BYTES, Table, describe, parse
from cartable.base_eleves.matching import build_plan
from cartable.base_eleves.writing import write

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "MAX_BYTES",
    "REF_MAX",
    "Table",
    "apply",
    "parse",
    "plan",
    "read",
    "short_niveau",
]


def _table(source, filename: str | None) -> Table:
    return source if isinstance(source, Table) else parse(source, filename)


def read(source, filename: str | None = None) -> dict:
    """Step 2 for the UI: encoding, separator, headers, the guessed mapping, missing fields."""
    return describe(_table(source, filename))


def plan(conn: sqlite3.Connection, source, mapping=None, classes=None,
         filename: str | None = None) -> dict:
    """What importing the file would do. Reads the database, writes nothing."""
    result = build_plan(conn, _table(source, filename), mapping, classes)
    del result["_ops"]
    return result


def apply(conn: sqlite3.Connection, source, mapping=None, classes=None,
          filename: str | None = None) -> dict:
    """Import the file in one transaction; only real changes are written."""
    return write(conn, build_plan(conn, _table(source, filename), mapping, classes))
