"""French order for names: MySQL's ``utf8_unicode_ci`` (the collation of SACoche's tables).

SACoche lists pupils ``ORDER BY user_nom, user_prenom`` under MySQL 5's ``utf8_unicode_ci``:
the primary weights of UCA 4.0.0 (case and accents ignored; ``Œ`` sorts as ``OE`` and ``ß`` as
``SS``, but ``Æ``, ``Ø``, ``Ł`` are letters of their own; space, ``-``, ``.``, ``'`` and ``’``
weigh, in that order, below the digits and the letters) with PAD SPACE (trailing spaces do not
count). The weights come from ``mysql_utf8_unicode_ci.tsv`` in this package (taken from
MariaDB's ``WEIGHT_STRING(… COLLATE utf8mb3_unicode_ci)``; the table's header says how); a
code point outside the table gets UCA's implicit weight, as in MySQL.

* ``primary_key(s)``: equal exactly when MySQL compares ``s`` equal (the SACoche file's order);
* ``sort_key(s)``: a total order for screens and lists, ``primary_key`` first, then the exact
  spelling ("EMILE" before "ÉMILE");
* ``register(conn)``: the same order as the SQLite collation ``FR``
  (``ORDER BY nom COLLATE FR``), registered by ``db.connect``.
"""

from __future__ import annotations

import functools
import sqlite3

TABLE_FILE = "mysql_utf8_unicode_ci.tsv"
SPACE = 0x0209  # the weight of " " (PAD SPACE compares the shorter string as if padded with it)
# Key layout: one triple per non-space weight; see _encode.
_END = (1, -(1 << 40), 0)


@functools.cache
def _table() -> dict[str, tuple[int, ...]]:
    from importlib import resources  # here, not at import: off the start-up path

    text = resources.files("cartable").joinpath(TABLE_FILE).read_text("utf-8")
    table: dict[str, tuple[int, ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        cp, _, hexw = line.partition("\t")
        table[chr(int(cp, 16))] = tuple(int(hexw[i:i + 4], 16) for i in range(0, len(hexw), 4))
    return table


def _implicit(cp: int) -> tuple[int, int]:
    """UCA's weight for a code point the table does not list (MySQL's my_uca implicit)."""
    if 0x4E00 <= cp <= 0x9FA5:
        base = 0xFB40
    elif 0x3400 <= cp <= 0x4DB5 or 0xF900 <= cp <= 0xFAFF:
        base = 0xFB80
    else:
        base = 0xFBC0
    return base + (cp >> 15), (cp & 0x7FFF) | 0x8000


def weights(s: str) -> list[int]:
    """The primary weights of ``s``, character by character (ignorable characters give none)."""
    table = _table()
    out: list[int] = []
    for ch in s:
        w = table.get(ch)
        out.extend(w if w is not None else _implicit(ord(ch)))
    return out


def _encode(ws: list[int]) -> tuple[int, ...]:
    """A tuple whose order is MySQL's PAD SPACE comparison of weight strings.

    MySQL compares two weight strings as if the shorter went on with spaces for ever. Each
    non-space weight ``w`` preceded by ``k`` spaces becomes a triple: ``(1, -k, w)`` when ``w``
    weighs more than a space (the fewer spaces before it, the later it sorts), ``(0, k, w)``
    when less (only control characters: TAB, LF, …). The end is ``_END``: spaces for ever,
    after the lighter triples and before the heavier ones. Trailing spaces vanish."""
    out: list[int] = []
    run = 0
    for w in ws:
        if w == SPACE:
            run += 1
        elif w > SPACE:
            out += (1, -run, w)
            run = 0
        else:
            out += (0, run, w)
            run = 0
    out += _END
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def primary_key(s: str) -> tuple[int, ...]:
    """Equal keys exactly when MySQL's utf8_unicode_ci finds the strings equal."""
    return _encode(weights(s))


def sort_key(s: str) -> tuple:
    """Names in French order: utf8_unicode_ci first, then the exact spelling breaks ties."""
    return primary_key(s), s


def name_key(nom: str, prenom: str) -> tuple:
    """A person: nom, then prénom, as SACoche's ``ORDER BY user_nom, user_prenom``."""
    return primary_key(nom), primary_key(prenom), nom, prenom


def compare(a: str, b: str) -> int:
    """-1, 0 or 1, for SQLite's ``create_collation`` (0 only for identical strings)."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def register(conn: sqlite3.Connection) -> None:
    """Make ``COLLATE FR`` available on ``conn`` (in queries only, never in the schema)."""
    conn.create_collation("FR", compare)
