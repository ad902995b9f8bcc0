"""Reading the file: bytes -> text (encoding, refusals) -> a table (pandas, once).

The ``Table`` is what the import's later steps work on; the worker keeps it in the session
between the wizard's steps (``base_eleves.read`` returns a token for it).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from cartable.base_eleves.columns import FIELDS, guess_mapping, of_source, source_name
from cartable.errors import UserError
from cartable.text import clean

MAX_BYTES = 5 * 1024 * 1024
MAX_LABEL = "5 Mo"
HEADER_SEARCH_LINES = 10
# What pandas is given is bounded before it sees the file (its cost is lines x columns): an
# extraction has about 20 columns and a line per pupil (at most ~1 500 for a big school).
MAX_COLUMNS = 200
MAX_LINES = 60_000
MAX_CELLS = 1_000_000  # lines x columns: ~1 s and ~200 Mo in CPython (bench/csv_limits.py)
SEPARATORS = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}

_NOT_CSV_EXTENSIONS = {"xlsx", "xls", "xlsm", "ods", "zip", "pdf", "doc", "docx", "odt"}
HOW_TO = (
    "Dans ONDE (ou Base-Élèves), choisissez « Extraction – format CSV » de tous les élèves "
    "de l'école, puis donnez ce fichier .csv tel quel."
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


# -- step 1: bytes -> text ------------------------------------------------------------------


def decode(data, filename: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` or a French UserError saying why the file cannot be read."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise UserError("Aucun fichier reçu. Choisissez le fichier CSV extrait d'ONDE (ou de Base-Élèves).")
    if filename and isinstance(filename, str) and "." in filename:
        ext = filename.rsplit(".", 1)[1].lower()
        if ext in _NOT_CSV_EXTENSIONS:
            raise UserError(
                f"Le fichier « {filename} » n'est pas un fichier CSV (extension .{ext}). "
                + HOW_TO
            )
    if not data.strip():
        raise UserError("Le fichier est vide. " + HOW_TO)
    if len(data) > MAX_BYTES:
        raise UserError(
            f"Le fichier est trop volumineux ({_megabytes(len(data))}) : la limite est de "
            f"{MAX_LABEL}. L'extraction des élèves d'une école fait bien moins ; vérifiez "
            "que vous avez choisi le bon fichier."
        )
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        raise UserError(
            "Ce fichier est une archive ZIP ou un classeur (Excel .xlsx, LibreOffice .ods), "
            "pas un fichier CSV. " + HOW_TO
        )
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise UserError("Ce fichier est un classeur Excel (.xls), pas un fichier CSV. " + HOW_TO)
    if data[:5] == b"%PDF-":
        raise UserError("Ce fichier est un document PDF, pas un fichier CSV. " + HOW_TO)
    unreadable = UserError(
        "Ce fichier n'est pas un fichier texte lisible (contenu binaire ou encodage inconnu). "
        + HOW_TO
    )
    encoding = _utf16(data) or _single_byte(data, unreadable)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise unreadable from None
    if _CONTROL.search(text):
        raise unreadable
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, ENCODING_LABELS[encoding]


ENCODING_LABELS = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "windows-1252": "Windows-1252",
                   "utf-16": "UTF-16 (Texte Unicode)", "utf-16-le": "UTF-16 (Texte Unicode)",
                   "utf-16-be": "UTF-16 (Texte Unicode)"}


def _utf16(data: bytes) -> str | None:
    """UTF-16 (Excel's « Texte Unicode »): with its BOM (the codec reads the byte order from
    it), or without, recognised by a NUL byte every other byte in ASCII text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = data[:200]
    if len(sample) < 4 or len(data) % 2:
        return None
    evens, odds = sample[0::2], sample[1::2]
    if odds.count(0) > 0.4 * len(odds) and not evens.count(0):
        return "utf-16-le"
    if evens.count(0) > 0.4 * len(evens) and not odds.count(0):
        return "utf-16-be"
    return None


def _single_byte(data: bytes, unreadable: UserError) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; a NUL byte is a binary file."""
    if b"\x00" in data:
        raise unreadable
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "windows-1252"


def detect_separator(text: str) -> str:
    """The most frequent of ``;`` TAB ``,`` in the first lines (ties in that order)."""
    lines = [line for line in text.split("\n")[:HEADER_SEARCH_LINES] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in lines) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ";"


# -- text -> table -----------------------------------------------------------------------------


@dataclass
class Table:
    """The parsed file: ``headers``, and ``rows`` (each a list of the line's fields, as many
    as the widest line has) after the header, whose line numbers in the file are ``lines``."""

    encoding: str
    separator: str
    headers: list[str]
    rows: list[list[str]]
    lines: list[int]
    checked: dict = field(default_factory=dict)  # the lines checked, per column choice

    @property
    def nb_rows(self) -> int:
        return len(self.rows)

    @property
    def source(self) -> str | None:
        """« ONDE », « Base-Élèves », or None: the application the header says."""
        return source_name(self.headers)


def _read_csv(text: str, sep: str):
    """The text as a pandas table of strings; a French UserError naming the file's
    application (ONDE or Base-Élèves, from its first lines) when it cannot be split."""
    import pandas as pd  # lazily: pandas must not load at start-up

    width = max(line.count(sep) for line in text.split("\n")) + 1
    check_shape(text.count("\n") + 1, width)
    try:
        return pd.read_csv(
            io.StringIO(text), sep=sep, header=None, names=range(width), dtype=str,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, quotechar='"',
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        m = re.search(r"row (\d+)", str(exc))
        where = f" (à partir de la ligne {int(m.group(1)) + 1})" if m else ""
        if "EOF inside string" in str(exc):
            raise UserError(
                f"Le fichier est mal formé : un guillemet « \" » n'est pas refermé{where}. "
                f"Reprenez l'extraction d'origine {_origin(text, sep)} sans la modifier."
            ) from None
        raise UserError(
            f"Le fichier n'a pas pu être lu comme un tableau CSV{where}. " + HOW_TO
        ) from None


def _origin(text: str, sep: str) -> str:
    """« d'ONDE » or « de Base-Élèves » as the first lines' header says (both if neither)."""
    for line in text.split("\n")[:HEADER_SEARCH_LINES]:
        source = source_name([clean(f.strip('"')) for f in line.split(sep)])
        if source:
            return of_source(source)
    return of_source(None)


def check_shape(lines: int, width: int) -> None:
    """UserError if a table of ``lines`` x ``width`` would cost more than an import may."""
    n = f"{lines:,}".replace(",", "\u202f")
    w = f"{width:,}".replace(",", "\u202f")
    if width > MAX_COLUMNS:
        raise UserError(f"Le fichier a trop de colonnes ({w} ; Cartable en accepte au plus "
                        f"{MAX_COLUMNS}, une extraction Base-Élèves en a une vingtaine). " + HOW_TO)
    if lines > MAX_LINES:
        raise UserError(f"Le fichier a trop de lignes ({n} ; Cartable en accepte au plus "
                        f"{MAX_LINES:,}, une par élève). ".replace(",", "\u202f") + HOW_TO)
    if lines * width > MAX_CELLS:
        raise UserError(f"Le fichier est trop grand pour être lu ({n} lignes de {w} colonnes ; "
                        "une extraction Base-Élèves a une ligne par élève et une vingtaine de "
                        "colonnes). " + HOW_TO)


def parse(data, filename: str | None = None) -> Table:
    text, encoding = decode(data, filename)
    sep = detect_separator(text)
    rows, lines, line = [], [], 1
    for fields in _read_csv(text, sep).to_numpy().tolist():
        if any(f.strip() for f in fields):
            rows.append(fields)
            lines.append(line)
        line += 1 + sum(f.count("\n") for f in fields if "\n" in f)  # quoted newlines
    if not rows:
        raise UserError("Le fichier est vide. " + HOW_TO)
    # The header is the first line, unless a title line comes before it: then the first of
    # the first lines where at least two columns are recognised.
    start = 0
    for i, fields in enumerate(rows[:HEADER_SEARCH_LINES]):
        if sum(v is not None for v in guess_mapping([clean(f) for f in fields]).values()) >= 2:
            start = i
            break
    header_fields = rows[start]
    while header_fields and not header_fields[-1].strip():
        header_fields = header_fields[:-1]
    return Table(encoding, sep, [clean(h) for h in header_fields], rows[start + 1:],
                 lines[start + 1:])


def header_only() -> UserError:
    return UserError(
        "Le fichier ne contient que la ligne d'en-tête : aucun élève. Vérifiez que l'extraction "
        "porte sur tous les élèves de l'école."
    )


def describe(table: Table) -> dict:
    """What ``base_eleves.read`` shows: encoding, separator, headers, the guessed mapping."""
    if not table.nb_rows:
        raise header_only()
    mapping = guess_mapping(table.headers)
    return {
        "encoding": table.encoding,
        "separator": SEPARATORS[table.separator],
        "headers": table.headers,
        "mapping": mapping,
        "missing": [f for f in FIELDS if mapping[f] is None],
        "nb_lignes": table.nb_rows,
        "source": table.source,
        "apercu": [fields[: len(table.headers)] for fields in table.rows[:3]],
    }
