"""A school file is data, never code: what Cartable accepts in a school file it opens.

A school file travels (USB stick, e-mail, last year's computer), so whoever had it could have
changed it with any SQLite tool. Before Cartable uses a file — a file the director opens
(``school.replace_file``, ``school.describe_file``, the command line) or the copy stored in the
browser, opened at start-up — ``check(conn, version, received)`` makes sure that it holds
exactly what Cartable itself writes, and refuses it in French otherwise:

- its schema (tables, columns, indexes, their SQL) is exactly the one Cartable's own code
  builds for its version (``user_version``): no trigger, no view, no other table or index,
  nothing missing — so nothing in the file can run when Cartable later writes to it;
- every stored value has its column's type and passes its column's CHECK (SQLite does not
  verify CHECK constraints of a file it opens), every date parses, every text is valid UTF-8,
  and the foreign keys hold;
- every password and code de secours hash uses Cartable's algorithm and iteration count (so a
  hash cannot set the cost of a login);
- there is exactly one director account, active (``received``: a file the director opens; the
  stored copy may also be a school not created yet, with no account at all).

The size limit (``MAX_BYTES``) is checked by ``db`` before a file is opened at all.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import sqlite3

from cartable.errors import UserError

# A school of 400 pupils with every palier 2 decision, 21 accounts and its bilans de cycle is
# 2.5 Mo (bench/school_file.py measures it); 40 Mo leaves more than ten times that.
MAX_BYTES = 40 * 1024 * 1024

KEEP = ("Le fichier n'a pas été ouvert : l'école actuelle est conservée telle quelle. Reprenez "
        "une copie du fichier enregistrée depuis Cartable (menu « Enregistrer le fichier de "
        "l'école »).")

STORED = ("L'école enregistrée n'a pas été ouverte. Ouvrez une copie du fichier de l'école "
          "enregistrée depuis Cartable (menu « Enregistrer le fichier de l'école »).")

# Columns holding a date (YYYY-MM-DD), a date-time (YYYY-MM-DDTHH:MM:SS, as
# ``isoformat(timespec="seconds")`` writes it) or a year (a période's millésime, YYYY); ''
# allowed where the column's default is ''.
DATES = {
    ("validation_item", "date"): "date",
    ("validation_competence", "date"): "date",
    ("eleve", "date_naissance"): "date or empty",
    ("bilan_cycle", "date_creation"): "date",
    ("bilan_cycle", "date_verrou"): "datetime",
    ("utilisateur", "locked_until"): "datetime",
    ("periode", "date_debut"): "date",
    ("periode", "date_fin"): "date",
    ("periode", "millesime"): "year",  # the school year's first year: "2025"
    ("bilan_periodique", "date_creation"): "date",
    ("bilan_periodique", "date_verrou"): "datetime",
    ("bilan_periodique", "date_scolarite"): "date or empty",
}
_DATE_RE = {"date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
            "datetime": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"),
            "year": re.compile(r"[0-9]{4}")}
_HASH = re.compile(r"pbkdf2_sha256\$([0-9]{1,12})\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=")


def _shown(name: str) -> str:
    """A name read from the file, fit for a message (no control character, at most 60)."""
    name = "".join(c if c.isprintable() else "?" for c in str(name))
    return name if len(name) <= 60 else name[:59] + "…"


# -- the schema -----------------------------------------------------------------------------


@functools.cache
def reference(version: int) -> tuple[tuple, ...]:
    """sqlite_master (type, name, tbl_name, sql) of a school file of ``version``, as built by
    Cartable's own migrations."""
    from cartable import db

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in db.MIGRATIONS[:version]:
            step(conn)
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> tuple[tuple, ...]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return tuple(sorted(tuple(r) for r in rows))


_WHAT = {"table": "la table", "index": "l'index", "view": "la vue", "trigger": "le déclencheur"}


def _describe(entry: tuple) -> str:
    kind, name, table, _sql = entry
    what = f"{_WHAT.get(kind, kind)} « {_shown(name)} »"
    if kind == "trigger":
        what += f" (sur « {_shown(table)} »)"
    return what


def check_schema(conn: sqlite3.Connection, version: int) -> None:
    """UserError unless the file's schema is exactly Cartable's for ``version``."""
    from cartable import db

    if not 0 <= version <= db.SCHEMA_VERSION:
        raise UserError(f"Ce fichier d'école indique un format invalide ({version}). " + KEEP)
    found = _schema(conn)
    if found == reference(version):
        return
    others = [v for v in range(db.SCHEMA_VERSION + 1) if reference(v) == found]
    if others:
        raise UserError(
            f"Ce fichier d'école indique le format {version} mais ses tables sont celles du "
            f"format {others[0]} : il a été modifié en dehors de Cartable. " + KEEP)
    expected = {e[:3]: e for e in reference(version)}
    unknown = [e for e in found if e[:3] not in expected or expected[e[:3]] != e]
    unknown.sort(key=lambda e: ("trigger", "view", "table").index(e[0]) if e[0] in _WHAT
                 and e[0] != "index" else 3)  # what could run first
    by_key = {e[:3] for e in found}
    missing = [e for e in expected.values() if e[:3] not in by_key]
    parts = []
    if unknown:
        names = ", ".join(_describe(e) for e in unknown[:5])
        more = f" et {len(unknown) - 5} autres" if len(unknown) > 5 else ""
        parts.append(f"des éléments que Cartable ne crée pas ou qui ont été modifiés ({names}"
                     f"{more})")
    if missing:
        parts.append("il lui manque " + ", ".join(_describe(e) for e in missing[:5]))
    code = any(e[0] in ("trigger", "view") for e in unknown)
    why = (" : un déclencheur ou une vue agirait à votre insu à chaque modification de l'école"
           if code else "")
    raise UserError("Ce fichier d'école contient " + " ; ".join(parts) + why + ". "
                    "Il a été modifié en dehors de Cartable. " + KEEP)


# -- the values -----------------------------------------------------------------------------


def _check_exprs(sql: str) -> list[str]:
    """The expressions of the CHECK constraints in a CREATE TABLE statement."""
    exprs, start = [], 0
    while (at := sql.find("CHECK (", start)) >= 0:
        depth, i = 0, at + len("CHECK ")
        for i in range(at + len("CHECK "), len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            if depth == 0:
                break
        exprs.append(sql[at + len("CHECK "):i + 1])
        start = i + 1
    return exprs


@functools.cache
def _table_rules(version: int) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(table, SQL condition true for a bad row, text columns) per table of ``version``."""
    conn = sqlite3.connect(":memory:")
    try:
        from cartable import db

        for step in db.MIGRATIONS[:version]:
            step(conn)
        rules = []
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                      "ORDER BY name"):
            bad, texts = [], []
            for _cid, col, decl, notnull, _dflt, _pk in conn.execute(
                    f"PRAGMA table_info({name})"):
                kind = "integer" if decl.upper() == "INTEGER" else "text"
                allowed = f"'{kind}'" + ("" if notnull else ", 'null'")
                bad.append(f"typeof({col}) NOT IN ({allowed})")
                if kind == "text":
                    texts.append(col)
            bad += [f"({expr}) IS 0" for expr in _check_exprs(sql)]
            rules.append((name, " OR ".join(bad), tuple(texts)))
        return tuple(rules)
    finally:
        conn.close()


def check_values(conn: sqlite3.Connection, version: int) -> None:
    """UserError unless every value has its column's type, CHECK, date format, valid UTF-8."""
    for table, bad, texts in _table_rules(version):
        row = conn.execute(f"SELECT rowid FROM {table} WHERE {bad} LIMIT 1").fetchone()
        if row is not None:
            raise _bad_value(table)
        if texts:
            _check_utf8(conn, table, texts)
        for col in texts:
            if (table, col) in DATES:
                _check_dates(conn, table, col, DATES[table, col])
    if version >= 3:
        _check_livret(conn)
    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise UserError("Ce fichier d'école contient des liens brisés (par exemple une décision "
                        "d'un élève qui n'existe pas) : il a été modifié en dehors de Cartable "
                        "ou endommagé. " + KEEP)


def _bad_value(table: str) -> UserError:
    return UserError(
        f"Ce fichier d'école contient dans la table « {table} » une valeur que Cartable "
        "n'écrit jamais (type, date ou valeur invalide) : il a été modifié en dehors de "
        "Cartable ou endommagé. " + KEEP)


def _check_dates(conn: sqlite3.Connection, table: str, column: str, kind: str) -> None:
    """Every distinct value of a date column parses (a few hundred values at most)."""
    pattern = _DATE_RE[kind if kind in _DATE_RE else "date"]
    parse = {"datetime": datetime.datetime.fromisoformat, "year": int}.get(
        kind, datetime.date.fromisoformat)
    for (value,) in conn.execute(f"SELECT DISTINCT {column} FROM {table} "
                                 f"WHERE {column} IS NOT NULL"):
        if value == "" and kind == "date or empty":
            continue
        if not pattern.fullmatch(value):
            raise _bad_value(table)
        try:
            parse(value)
        except ValueError:
            raise _bad_value(table) from None


def _check_livret(conn: sqlite3.Connection) -> None:
    """What the livret's code parses: a pupil's own éléments (a JSON list of libellés) and a
    socle positionnement (0 to 4, as text)."""
    if conn.execute("SELECT 1 FROM bilan_periodique_extra WHERE kind = 'socle' AND texte NOT IN "
                    "('0', '1', '2', '3', '4') LIMIT 1").fetchone():
        raise _bad_value("bilan_periodique_extra")
    for (value,) in conn.execute("SELECT DISTINCT elements FROM bilan_periodique_acquis "
                                 "WHERE elements IS NOT NULL"):
        try:
            libelles = json.loads(value)
        except ValueError:
            raise _bad_value("bilan_periodique_acquis") from None
        if not isinstance(libelles, list) or not all(isinstance(x, str) for x in libelles):
            raise _bad_value("bilan_periodique_acquis")


def _check_utf8(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    # SQLite stores text as it is given; Python would fail on invalid UTF-8 only when a value
    # is read (an export, a list). The whole column, joined in SQLite, is decoded at once.
    joined = ", ".join(f"CAST(group_concat(CAST({c} AS BLOB), x'00') AS BLOB)" for c in columns)
    for value in conn.execute(f"SELECT {joined} FROM {table}").fetchone():
        if value is not None and not value.isascii():
            try:
                value.decode("utf-8")
            except UnicodeDecodeError:
                raise UserError(
                    f"Ce fichier d'école contient dans la table « {table} » un texte "
                    "illisible (octets qui ne sont pas de l'UTF-8) : il est endommagé ou a "
                    "été modifié en dehors de Cartable. " + KEEP) from None


# -- accounts -------------------------------------------------------------------------------


def check_accounts(conn: sqlite3.Connection, version: int, received: bool) -> None:
    """Hashes made by Cartable only; exactly one director, active (see the module's doc)."""
    from cartable.accounts import passwords

    recovery = "recovery_hash" if version >= 2 else "NULL"
    rows = conn.execute(f"SELECT role, actif, login, password_hash, {recovery} "
                        "FROM utilisateur").fetchall()
    for _role, _actif, login, password_hash, recovery_hash in rows:
        for value in (password_hash, recovery_hash or password_hash):
            m = _HASH.fullmatch(value)
            if m is None or not passwords.own_iterations(int(m.group(1))):
                raise UserError(
                    f"Le mot de passe ou le code de secours du compte « {_shown(login)} » "
                    "n'est pas enregistré comme Cartable le fait (PBKDF2-SHA256, "
                    f"{passwords.OWN_ITERATIONS} itérations) : ce fichier a été modifié en "
                    "dehors de Cartable. " + KEEP)
    directors = [r for r in rows if r[0] == "directeur"]
    if not rows and not received:
        return  # the stored copy of a school not created yet
    if len(directors) != 1 or not directors[0][1]:
        if not directors:
            why = "n'a aucun compte de directeur ou de directrice"
        elif len(directors) > 1:
            why = f"a {len(directors)} comptes de directeur ou de directrice"
        else:
            why = "a un compte de directeur ou de directrice désactivé"
        raise UserError(
            f"Ce fichier d'école {why} : une école Cartable en a exactement un, actif. Sans "
            "lui, n'importe qui pourrait prendre la direction de l'école. " + KEEP)


def check(conn: sqlite3.Connection, version: int, received: bool) -> None:
    """Every check of this module on an opened school file (before any migration).
    ``received``: a file being opened (else the stored copy, opened at start-up)."""
    try:
        check_schema(conn, version)
        if version == 0:  # an empty file (no table): only a school not created yet
            if received:
                raise UserError("Ce fichier d'école est vide : aucune école n'y a été créée. "
                                + KEEP)
            return
        check_values(conn, version)
        check_accounts(conn, version, received)
    except UserError as exc:
        if received or not exc.message.endswith(KEEP):
            raise
        raise UserError(exc.message[:-len(KEEP)] + STORED, **exc.details) from None


def too_big(size: int) -> UserError:
    """The refusal of a school file of ``size`` bytes (over ``MAX_BYTES``)."""
    return UserError(
        f"Ce fichier d'école est trop volumineux ({size / 1024 / 1024:.0f} Mo ; Cartable "
        f"accepte au plus {MAX_BYTES // 1024 // 1024} Mo, plus de dix fois la taille d'une grande "
        "école) : ce n'est pas un fichier enregistré par Cartable. " + KEEP)
