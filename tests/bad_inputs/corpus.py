"""The corpus of bad inputs: every case's bytes are built here, in code (nothing binary is
committed, nothing large is stored: the big cases are generated when the test runs).

Each ``Case`` is a file a user could give to one of Cartable's three doors:

- ``csv``: the Base-Élèves import (``base_eleves.read`` → ``plan`` → ``apply``);
- ``sacoche``: the SACoche import (``sacoche.preview`` → ``sacoche.import``);
- ``school_file``: "Ouvrir un fichier d'école" (``db.check_school_file``, then the bridge's
  ``school.replace_file``);
- ``lsu``: the LSU bilans import (``lsu.preview`` → ``lsu.import``).

``expect`` is a fragment of the French message the user sees; ``outcome`` says where it shows
(the whole file refused, a rejected line of the plan, a pupil "ignoré", a decision skipped, or
the file accepted with the odd text kept as plain data). In every case the school database must
stay byte-for-byte unchanged (``tests/test_bad_inputs.py``).

Command line (from the repository root)::

    python tests/bad_inputs/corpus.py --readme > tests/bad_inputs/README.md
    python tests/bad_inputs/corpus.py --write /tmp/bad_inputs [--big]   # files to try in the UI

The input pupils of the SACoche cases are pupils of ``tests/fixtures`` (ANDRÉ Louise is in CM2 B
of ``CSVExtraction.csv`` and in the reference SACoche ZIP), so that they are found in a school
built from the fixtures.
"""

from __future__ import annotations

import functools
import io
import os
import random
import sqlite3
import struct
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
FIXTURE_CSV = FIXTURES / "base_eleves" / "CSVExtraction.csv"
FIXTURE_ZIP = FIXTURES / "sacoche" / "import-sacoche_0_2012-06-15_10-30-00_1804289383.zip"
FIXTURE_LSU = FIXTURES / "lsu" / "exemple_bilans_cycle2.xml"
FIXTURE_LIVRET = FIXTURES / "lsu" / "exemple_bilans_periodiques.xml"
# The school of the bad-input tests has these periods, and these INE for two of its pupils
# (the fixture extraction has no INE), so that the periodic cases reach the school's rules.
LIVRET_PERIODS = [["2025-09-01", "2025-11-28"], ["2025-12-01", "2026-03-06"],
                  ["2026-03-09", "2026-07-04"]]
LIVRET_INE = {("MERCIER", "Maël"): "4400000000A", ("NICOLAS", "Jérôme"): "4400069897A"}

# Where the user sees the message.
REFUSED = "refusé"  # UserError: the whole file is refused, nothing written
LINES_REJECTED = "lignes rejetées"  # the plan's "rejets"; apply writes nothing
PUPIL_IGNORED = "élève ignoré"  # SACoche import: the pupil is reported "ignoré"
DECISIONS_SKIPPED = "décisions ignorées"  # SACoche import: "avertissements", pupil inchangé
ACCEPTED_AS_TEXT = "accepté, gardé comme texte"  # stored verbatim, displayed as text
PENDING = "bilan à confirmer"  # LSU import: the pupil "à confirmer", his bilan not imported

OUTCOMES = (REFUSED, LINES_REJECTED, PUPIL_IGNORED, DECISIONS_SKIPPED, ACCEPTED_AS_TEXT,
            PENDING)
KINDS = ("csv", "sacoche", "school_file", "lsu")

SACOCHE_LIMIT = 50 * 1024 * 1024  # sacoche_zip.MAX_BYTES, stated in its message
CSV_LIMIT = 5 * 1024 * 1024  # base_eleves.MAX_BYTES


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # "csv" | "sacoche" | "school_file" | "lsu"
    input: str  # what the file is, in one line (README)
    make: Callable[[], bytes]
    expect: str  # fragment of the French message the user sees
    outcome: str = REFUSED
    filename: str | None = None  # as the browser gives it
    payload: dict = field(default_factory=dict)  # extra payload (e.g. a hand-made mapping)
    big: bool = False  # large: generated at test time only, skipped by --write
    stored: str | None = None  # ACCEPTED_AS_TEXT: the text found verbatim in the database
    note: str = ""  # why this outcome (README)

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert self.outcome in OUTCOMES, self.outcome
        assert (self.stored is not None) == (self.outcome == ACCEPTED_AS_TEXT), self.id

    def default_filename(self) -> str:
        if self.filename:
            return self.filename
        return {"csv": "CSVExtraction.csv", "sacoche": "import-sacoche_0_2024.zip",
                "school_file": "ecole-cartable.sqlite3", "lsu": "bilans-lsu.xml"}[self.kind]


# -- CSV helpers ----------------------------------------------------------------------------

HEADER = ('"Nom Elève";"Nom d\'usage";"Prénom Elève";"Prénom 2";"Prénom 3";"Date naissance";'
          '"Sexe";"Commune naissance";"Département naissance";"Pays naissance";"Adresse";'
          '"Code postal";"Commune";"Date entrée école";"Niveau";"Classe";"Cycle"')


@functools.cache
def fixture_csv() -> bytes:
    data = FIXTURE_CSV.read_bytes()
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def line(nom: str, prenom: str, niveau: str = "CM2", classe: str = "CM2 B") -> str:
    """One Base-Élèves line (17 quoted fields, as the real extraction)."""
    fields = [nom, "", prenom, "", "", "12/03/2002", "M", "NANTES", "44", "FRANCE",
              "12 rue des Écoles", "44000", "NANTES", "02/09/2008", niveau, classe, "Cycle 3"]
    return ";".join(f'"{f}"' for f in fields)


def csv_with(*lines: str, encoding: str = "cp1252") -> bytes:
    """The fixture extraction (the school as it is) plus ``lines``."""
    return fixture_csv() + "".join(x + "\r\n" for x in lines).encode(encoding)


def csv_shared_ine() -> bytes:
    """The fixture extraction with an INE column: the INE of MERCIER Maël (line 2) also given
    to LEGRAND Léa (line 3), two pupils of the school; the other lines without INE."""
    lines = fixture_csv().decode("cp1252").split("\r\n")
    ines = {1: "4400069897A", 2: "4400069897A"}
    out = [x + (';"INE"' if i == 0 else f';"{ines.get(i, "")}"') if x else x
           for i, x in enumerate(lines)]
    return "\r\n".join(out).encode("cp1252")


def csv_only(*lines: str, encoding: str = "cp1252") -> bytes:
    return "".join(x + "\r\n" for x in (HEADER, *lines)).encode(encoding)


def fixture_line(number: int) -> str:
    """Line ``number`` (1 = header) of the fixture, as text."""
    return fixture_csv().decode("cp1252").split("\r\n")[number - 1]


def fifty_thousand_lines() -> bytes:
    rows = (line(f"ELEVE{i:05d}", "Prénom", "CM2", f"CM2 {i % 40}") for i in range(50_000))
    return ("\r\n".join((HEADER, *rows)) + "\r\n").encode("cp1252")


def twenty_megabyte_line() -> bytes:
    return csv_only(line("A" * (20 * 1024 * 1024), "Jean"))


def minimal_xlsx() -> bytes:
    """A real (tiny) Excel workbook holding the header and one pupil."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
            'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxml'
            'formats.org/spreadsheetml/2006/main"><sheets><sheet name="Eleves" sheetId="1"/>'
            '</sheets></workbook>'),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
            'formats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c t="inlineStr"><is>'
            '<t>Nom Elève</t></is></c></row><row r="2"><c t="inlineStr"><is><t>MERCIER</t></is>'
            '</c></row></sheetData></worksheet>'),
    }
    return zip_of({k: v.encode() for k, v in parts.items()})


def ole_header() -> bytes:
    """The start of an old Excel .xls (OLE2 compound file) file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Nom Eleve;Prenom" * 64


def binary_garbage(seed: int = 2024, size: int = 64 * 1024) -> bytes:
    return random.Random(seed).randbytes(size)


def control_characters() -> bytes:
    """Text without NUL, but full of control characters (a terminal escape sequence)."""
    return csv_only(line("\x1b[2J\x1b[31mMERCIER", "Maël"), line("LEGRAND\x07\x08", "Léa"))


# -- SACoche helpers ------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def item(item_id, date="2012-06-15", etat="1", info="DUPUIS M.") -> str:
    parts = []
    if date is not None:
        parts.append(f"<date>{date}</date>")
    if etat is not None:
        parts.append(f"<etat>{etat}</etat>")
    if info is not None:
        parts.append(f"<info>{info}</info>")
    return f'<item id="{item_id}"><renseignement>{"".join(parts)}</renseignement></item>'


def competence(comp_id, *items: str, palier=2) -> str:
    return f'<palier id="{palier}"><competence id="{comp_id}">{"".join(items)}</competence></palier>'


def eleve(body: str = "", nom="ANDRÉ", prenom="Louise", sconet="0", extra="") -> str:
    return f'<eleve id="{sconet}" nom="{nom}" prenom="{prenom}"{extra}>{body}</eleve>'


def xml_doc(*eleves: str, prolog: str = "") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\r\n' + prolog + "<sacoche><donnees>"
            + "".join(eleves) + "</donnees></sacoche>\r\n").encode("utf-8")


def sacoche_zip(xml: bytes) -> bytes:
    return zip_of({"import_validations.xml": xml})


# A decision the school already has, with the same date: valid, but changes nothing.
KNOWN = competence(8, item(2111, date="2012-06-15"))


def zip_bomb(declared_size: int | None = None) -> bytes:
    """``import_validations.xml`` of 60 Mo of spaces after a valid start: ~60 Ko compressed.
    With ``declared_size``, the sizes written in the ZIP headers lie."""
    size = 60 * 1024 * 1024
    head = b'<?xml version="1.0" encoding="UTF-8"?><sacoche><donnees>'
    data = head + b" " * (size - len(head))
    raw = _deflate(data)
    crc = zlib.crc32(data)
    return _raw_zip("import_validations.xml", raw, crc, len(raw),
                    declared_size if declared_size is not None else len(data))


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _raw_zip(name: str, raw: bytes, crc: int, csize: int, usize: int) -> bytes:
    """A one-entry deflated ZIP written by hand, so that its declared sizes can lie."""
    n = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, csize, usize,
                        len(n), 0) + n
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, csize,
                          usize, len(n), 0, 0, 0, 0, 0, 0) + n
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                      len(local) + len(raw), 0)
    return local + raw + central + end


def encrypted_flag_zip() -> bytes:
    data = xml_doc(eleve(KNOWN))
    raw = _deflate(data)
    z = bytearray(_raw_zip("import_validations.xml", raw, zlib.crc32(data), len(raw), len(data)))
    z[6] |= 1  # general purpose flag bit 0: encrypted (local header)
    central = z.index(b"PK\x01\x02")
    z[central + 8] |= 1  # and in the central directory
    return bytes(z)


BILLION_LAUGHS = (
    '<!DOCTYPE sacoche [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + "]>"
)


# -- school file helpers --------------------------------------------------------------------


@functools.cache
def school_file() -> bytes:
    """A small but real Cartable school file (schema created by ``cartable.db``), with its
    director."""
    _ensure_cartable_importable()
    from cartable import db
    from cartable.accounts import passwords, signin
    from cartable.api import run

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ecole.sqlite3")
        conn = db.connect(path)
        with db.transaction(conn):
            db.set_meta(conn, "nom", "École Jules Ferry")
            signin.insert_director(conn, "ROY", "Lina", "lin.roy",
                                     run(passwords.hash_password("Directrice-2024")))
            conn.execute("INSERT INTO classe (niveau_id, nom, ref) VALUES (18, 'CM2 B', 'CM2B')")
            conn.executemany(
                "INSERT INTO eleve (nom, prenom, classe_id) VALUES (?, ?, 1)",
                [(f"ELEVE{i:03d}", "Prénom " * 8) for i in range(300)],
            )
            conn.executemany(
                "INSERT INTO validation_item VALUES (?, ?, 1, '2024-06-01', 'DUPUIS M.')",
                [(e, i) for e in range(1, 301) for i in (2111, 2112, 2113)],
            )
        conn.close()
        with open(path, "rb") as f:
            return f.read()


def _with_sqlite(data: bytes, *statements: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "f.sqlite3")
        if data:
            with open(path, "wb") as f:
                f.write(data)
        conn = sqlite3.connect(path)
        for s in statements:
            conn.execute(s)
        conn.commit()
        conn.close()
        with open(path, "rb") as f:
            return f.read()


def other_sqlite() -> bytes:
    """A SQLite database of another program (a browser's history)."""
    return _with_sqlite(
        b"",
        "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT)",
        "INSERT INTO moz_places (url, title) VALUES ('https://example.org', 'Exemple')",
    )


def other_sqlite_with_tables_like_ours() -> bytes:
    """SQLite with Cartable's table names but without Cartable's application_id."""
    return _with_sqlite(b"", "CREATE TABLE eleve (id INTEGER PRIMARY KEY, nom TEXT)",
                        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")


def newer_school_file() -> bytes:
    return _with_sqlite(school_file(), "PRAGMA user_version = 99")


def truncated(fraction: float) -> bytes:
    data = school_file()
    return data[: int(len(data) * fraction)]


def corrupted_pages() -> bytes:
    """Same size, pages 2 and 3 overwritten by garbage (a damaged USB stick)."""
    data = bytearray(school_file())
    page = int.from_bytes(data[16:18], "big")
    data[page: 3 * page] = binary_garbage(7, 2 * page)
    return bytes(data)


# -- hostile school files: a genuine one, changed with SQLite (issue 18) ----------------------

def hostile(*statements: str) -> bytes:
    """The genuine school file, changed by ``statements`` as any SQLite tool could."""
    return _with_sqlite(school_file(), *statements)


_PAD_HASH = "pbkdf2_sha256$1000000000$" + "A" * 22 + "==$" + "A" * 43 + "="
TRIGGER_ON_META = (
    "CREATE TRIGGER vol AFTER UPDATE ON meta BEGIN UPDATE utilisateur SET password_hash = "
    "(SELECT password_hash FROM utilisateur WHERE login = 'lin.roy') WHERE role = 'directeur'; "
    "END")
TRIGGER_ON_FAILED_LOGINS = (
    "CREATE TRIGGER porte AFTER UPDATE OF failed_logins ON utilisateur BEGIN "
    "INSERT OR IGNORE INTO utilisateur (role, nom, prenom, login, password_hash) VALUES "
    "('professeur', 'X', 'X', 'intrus', 'h'); INSERT OR IGNORE INTO affectation "
    "SELECT (SELECT id FROM utilisateur WHERE login = 'intrus'), id, 0 FROM classe; END")
TRIGGER_ON_VALIDATION_ITEM = (
    "CREATE TRIGGER efface AFTER INSERT ON validation_item BEGIN "
    "DELETE FROM validation_item WHERE rowid <> new.rowid; DELETE FROM validation_competence; "
    "END")
VIEW_UTILISATEUR = (
    "ALTER TABLE utilisateur RENAME TO comptes",
    ("CREATE VIEW utilisateur AS SELECT * FROM comptes UNION ALL SELECT 99, 'directeur', 'X', "
    "'X', 'cache', 'h', 0, 1, 0, NULL, '', NULL"),
    "CREATE TRIGGER muet INSTEAD OF UPDATE ON utilisateur BEGIN SELECT 1; END",
)
RECURSIVE_TRIGGER = (  # (a trigger may not hold a WITH itself: a view does)
    ("CREATE VIEW sans_fin AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT i FROM n"),
    ("CREATE TRIGGER boucle BEFORE INSERT ON validation_item BEGIN "
    "SELECT count(*) FROM sans_fin; END"))


def _ensure_cartable_importable() -> None:
    py = str(HERE.parent.parent / "py")
    if py not in sys.path:
        sys.path.insert(0, py)


# -- the cases ------------------------------------------------------------------------------

NOT_CSV = "pas un fichier CSV"
SIZE_5MO = "la limite est de 5 Mo"
NOT_SCHOOL = "n'est pas un fichier d'école Cartable"
DAMAGED = "endommagé"

CSV_CASES = [
    Case("csv-empty", "csv", "fichier de 0 octet", lambda: b"", "Le fichier est vide"),
    Case("csv-blank-lines", "csv", "seulement des espaces et des retours à la ligne",
         lambda: b" \r\n\r\n\t\r\n", "Le fichier est vide"),
    Case("csv-separators-only", "csv", "des lignes de « ;;;; » sans texte",
         lambda: b";;;;;;\r\n;;;;;;\r\n", "Le fichier est vide"),
    Case("csv-header-only", "csv", "la ligne d'en-tête Base-Élèves, aucun élève",
         lambda: csv_only(), "ne contient que la ligne d'en-tête"),
    Case("csv-binary-garbage", "csv", "64 Ko d'octets aléatoires (avec des octets nuls)",
         binary_garbage, "n'est pas un fichier texte lisible"),
    Case("csv-nul-byte", "csv", "l'extraction avec un octet nul au milieu d'une ligne",
         lambda: fixture_csv()[:500] + b"\x00" + fixture_csv()[500:],
         "n'est pas un fichier texte lisible"),
    Case("csv-control-characters", "csv",
         "texte sans octet nul mais avec des séquences d'échappement de terminal (ESC, BEL)",
         control_characters, "n'est pas un fichier texte lisible"),
    Case("csv-utf16-bom", "csv",
         "l'extraction en UTF-16 (avec BOM), coupée au milieu d'un caractère (octets impairs)",
         lambda: fixture_csv().decode("cp1252").encode("utf-16")[:-1],
         "n'est pas un fichier texte lisible"),
    Case("csv-utf16-no-bom", "csv",
         "l'extraction en UTF-16 LE sans BOM, avec une moitié de caractère (substitut isolé)",
         lambda: fixture_csv().decode("cp1252").encode("utf-16-le") + b"\x00\xd8A\x00",
         "n'est pas un fichier texte lisible"),
    Case("csv-unclosed-quote", "csv",
         "l'extraction + une dernière ligne qui ouvre un guillemet sans le refermer",
         lambda: csv_with(line("MARTIN", "Paul")) + b'"DUPONT;Jean;CM2;CM2 B\r\n',
         "n'est pas refermé"),
    Case("csv-stray-quote", "csv",
         "l'extraction + un nouvel élève avec un guillemet au milieu du nom (NOU\"VEAU)",
         lambda: csv_with(line('NOU"VEAU', "Jean")), "guillemet « \" » mal placé",
         outcome=LINES_REJECTED),
    Case("csv-missing-columns", "csv", "en-tête sans les colonnes « Niveau » et « Classe »",
         lambda: '"Nom Elève";"Prénom Elève";"Sexe"\r\n"MERCIER";"Maël";"M"\r\n'.encode("cp1252"),
         "Colonnes introuvables"),
    Case("csv-no-header", "csv", "les lignes d'élèves sans la ligne d'en-tête",
         lambda: fixture_csv().split(b"\r\n", 1)[1], "Colonnes introuvables"),
    Case("csv-bad-mapping", "csv",
         "l'extraction, avec une correspondance de colonnes vers la colonne n° 100",
         lambda: fixture_csv(), "n'existe pas dans ce fichier", payload={"mapping": {"nom": 99}}),
    Case("csv-duplicate-line", "csv", "l'extraction + la ligne 2 recopiée à la fin",
         lambda: csv_with(fixture_line(2)), "ligne en double", outcome=LINES_REJECTED),
    Case("csv-pupil-in-two-classes", "csv",
         "l'extraction + un élève existant (ligne 2, CP A) répété en CE1 B",
         lambda: csv_with(fixture_line(2).replace('"CP";"CP A"', '"CE1";"CE1 B"')),
         "présent plusieurs fois dans le fichier", outcome=LINES_REJECTED,
         note="ambigu : l'élève existant n'est pas modifié"),
    Case("csv-shared-ine", "csv",
         "l'extraction avec une colonne INE : le même INE pour MERCIER Maël (ligne 2) et "
         "LEGRAND Léa (ligne 3)", csv_shared_ine,
         "conflit : le même INE « 4400069897A » est donné à des élèves différents "
         "(MERCIER Maël (ligne 2), LEGRAND Léa (ligne 3))", outcome=LINES_REJECTED,
         note="ni l'un ni l'autre n'est modifié ni désactivé"),
    Case("csv-absurd-niveau", "csv",
         "l'extraction + trois nouveaux élèves de niveau « CM9 », « Terminale » et « 99 »",
         lambda: csv_with(line("NOUVEAU", "Jean", "CM9"), line("NOUVEAU", "Paul", "Terminale"),
                          line("NOUVEAU", "Marc", "99")),
         "niveau inconnu « CM9 »", outcome=LINES_REJECTED),
    Case("csv-existing-pupil-bad-niveau", "csv",
         "l'extraction où le niveau d'un élève de l'école (ligne 2) devient « CP9 »",
         lambda: csv_with().replace(b'"CP";"CP A"', b'"CP9";"CP A"', 1),
         "niveau inconnu « CP9 »", outcome=LINES_REJECTED,
         note="l'élève est dans le fichier : il n'est ni modifié ni désactivé"),
    Case("csv-empty-name", "csv", "l'extraction + une ligne au nom vide",
         lambda: csv_with(line("", "Jean")), "nom de l'élève vide", outcome=LINES_REJECTED),
    Case("csv-too-many-fields", "csv",
         "l'extraction + une ligne avec des séparateurs en trop",
         lambda: csv_with(line("NOUVEAU", "Jean") + ';"x";"y"'), "plus de champs",
         outcome=LINES_REJECTED),
    Case("csv-very-long-name", "csv", "l'extraction + un nom de 500 caractères",
         lambda: csv_with(line("A" * 500, "Jean")), "trop long", outcome=LINES_REJECTED),
    Case("csv-every-line-rejected", "csv", "en-tête + deux élèves de niveau « CM9 »",
         lambda: csv_only(line("MERCIER", "Maël", "CM9"), line("LEGRAND", "Léa", "CM9")),
         "Aucun élève valide dans ce fichier"),
    Case("csv-50000-lines", "csv", "50 000 élèves au format Base-Élèves (≈ 6 Mo)",
         fifty_thousand_lines, SIZE_5MO, big=True),
    Case("csv-20mb-line", "csv", "en-tête + une ligne de 20 Mo (un nom de 20 millions de A)",
         twenty_megabyte_line, SIZE_5MO, big=True),
    Case("csv-10000-separators-10000-lines", "csv",
         "20 Ko : 10 000 « ; » puis 10 000 lignes vides (10 000 × 10 000 cases pour pandas)",
         lambda: b";" * 10_000 + b"\n" * 10_000, "trop de colonnes (10\u202f001"),
    Case("csv-60000-separators-60000-lines", "csv", "120 Ko : 60 000 « ; » et 60 000 lignes vides",
         lambda: b";" * 60_000 + b"\n" * 60_000, "trop de colonnes (60\u202f001"),
    Case("csv-too-many-lines", "csv", "l'en-tête puis 70 000 lignes vides (70 Ko)",
         lambda: fixture_csv().split(b"\n")[0] + b"\n" * 70_000, "trop de lignes (70\u202f001"),
    Case("csv-too-many-cells", "csv", "l'en-tête puis 10 000 lignes de 150 « ; » (1,5 Mo)",
         lambda: fixture_csv().split(b"\n")[0] + b"\n" + (b";" * 149 + b"\n") * 10_000,
         "trop grand pour être lu"),
    Case("csv-zip", "csv", "l'extraction compressée en ZIP, nommée .csv",
         lambda: zip_of({"CSVExtraction.csv": fixture_csv()}), "archive ZIP"),
    Case("csv-xlsx-named-csv", "csv", "un vrai classeur Excel .xlsx renommé en .csv",
         minimal_xlsx, "classeur (Excel .xlsx"),
    Case("csv-xlsx", "csv", "un classeur Excel « eleves.xlsx »", minimal_xlsx,
         NOT_CSV + " (extension .xlsx)", filename="eleves.xlsx"),
    Case("csv-xls", "csv", "un ancien classeur Excel .xls (OLE2) nommé .csv", ole_header,
         "classeur Excel (.xls)"),
    Case("csv-pdf", "csv", "un PDF nommé .csv",
         lambda: b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", "document PDF"),
    Case("csv-sacoche-zip", "csv", "le fichier SACoche (ZIP) donné à l'import des élèves",
         lambda: FIXTURE_ZIP.read_bytes(), NOT_CSV + " (extension .zip)",
         filename=FIXTURE_ZIP.name),
    Case("csv-html-names", "csv",
         "l'extraction + un élève au prénom « <img src=x onerror=alert(1)> » en classe "
         "« <b>CM2</b> »",
         lambda: csv_with(line("<SCRIPT>ALERT(1)</SCRIPT>", "<img src=x onerror=alert(1)>",
                               "CM2", "CM2 B")),
         "1 élève ajouté", outcome=ACCEPTED_AS_TEXT,
         stored="<img src=x onerror=alert(1)>",
         note="gardé tel quel : l'interface l'affiche avec textContent (jamais innerHTML), "
              "l'export SACoche l'échappe (&lt;img …)"),
    Case("csv-formula-names", "csv",
         "l'extraction + des élèves nommés « =CMD|' /C calc'!A0 », « +SUM(1;1) », "
         "« @HYPERLINK(x) », « -2+3 »",
         lambda: csv_with(line("=CMD|' /C CALC'!A0", "=cmd|' /C calc'!A0"),
                          line("+SUM(1,1)", "Paul"), line("@HYPERLINK(x)", "Marc"),
                          line("-2+3", "Léo")),
         "4 élèves ajoutés", outcome=ACCEPTED_AS_TEXT, stored="=cmd|' /C calc'!A0",
         note="gardé tel quel : Cartable n'écrit jamais de tableur (CSV/XLSX) ; les noms ne "
              "sortent que dans le XML SACoche, échappé, où une formule n'est pas évaluée"),
]

_PALIER2 = '<palier id="2"><competence id="8">{}</competence></palier>'

SACOCHE_CASES = [
    Case("sacoche-empty", "sacoche", "fichier de 0 octet", lambda: b"", "il est vide"),
    Case("sacoche-not-zip", "sacoche", "une image PNG nommée .zip",
         lambda: b"\x89PNG\r\n\x1a\n" + binary_garbage(3, 4096),
         "ni une archive ZIP ni un fichier XML"),
    Case("sacoche-csv-given", "sacoche", "l'extraction Base-Élèves donnée à l'import SACoche",
         fixture_csv, "ni une archive ZIP ni un fichier XML", filename="CSVExtraction.csv"),
    Case("sacoche-utf16-xml", "sacoche", "un XML SACoche en UTF-16",
         lambda: xml_doc(eleve(KNOWN)).decode().encode("utf-16"),
         "ni une archive ZIP ni un fichier XML"),
    Case("sacoche-too-big", "sacoche", "un fichier de 51 Mo",
         lambda: b"<" + b" " * (51 * 1024 * 1024), "taille maximale de 50 Mo", big=True),
    Case("sacoche-truncated-zip", "sacoche", "le ZIP SACoche de référence coupé en deux",
         lambda: FIXTURE_ZIP.read_bytes()[: len(FIXTURE_ZIP.read_bytes()) // 2],
         "l'archive ZIP est endommagée"),
    Case("sacoche-zip-without-xml", "sacoche", "un ZIP qui ne contient que « lisezmoi.txt »",
         lambda: zip_of({"lisezmoi.txt": b"Bonjour"}),
         "ne contient pas de fichier « import_validations.xml »"),
    Case("sacoche-zip-two-xml", "sacoche", "un ZIP avec deux fichiers .xml, aucun bien nommé",
         lambda: zip_of({"a.xml": xml_doc(eleve(KNOWN)), "b.xml": xml_doc(eleve(KNOWN))}),
         "ne contient pas de fichier « import_validations.xml »"),
    Case("sacoche-zip-other-xml-name", "sacoche",
         "un ZIP dont le seul fichier, un XML SACoche correct, s'appelle « validations.xml » "
         "(SACoche le refuse aussi)",
         lambda: zip_of({"validations.xml": xml_doc(eleve(KNOWN))}),
         "ne contient pas de fichier « import_validations.xml » (elle contient "
         "« validations.xml »). SACoche exige ce nom exact"),
    Case("sacoche-zip-slip", "sacoche", "une entrée nommée « ../../import_validations.xml »",
         lambda: zip_of({"../../import_validations.xml": xml_doc(eleve(KNOWN))}),
         "chemin dangereux"),
    Case("sacoche-zip-absolute-path", "sacoche",
         "une entrée nommée « /etc/import_validations.xml »",
         lambda: zip_of({"/etc/import_validations.xml": xml_doc(eleve(KNOWN))}),
         "chemin dangereux"),
    Case("sacoche-zip-windows-path", "sacoche",
         "une entrée nommée « C:\\Windows\\import_validations.xml »",
         lambda: zip_of({"C:\\Windows\\import_validations.xml": xml_doc(eleve(KNOWN))}),
         "chemin dangereux"),
    Case("sacoche-zip-bomb", "sacoche",
         "ZIP de 60 Ko dont le XML fait 60 Mo une fois décompressé (taille déclarée exacte)",
         zip_bomb, "dépasse la taille maximale de 50 Mo", big=True),
    Case("sacoche-zip-bomb-lying-size", "sacoche",
         "le même, mais l'en-tête ZIP annonce 1 000 octets (taille mensongère)",
         lambda: zip_bomb(declared_size=1000), "l'archive ZIP est endommagée", big=True,
         note="la lecture s'arrête à la taille annoncée, le CRC ne correspond pas"),
    Case("sacoche-nested-zip", "sacoche", "un ZIP qui contient « import-sacoche.zip »",
         lambda: zip_of({"import-sacoche.zip": sacoche_zip(xml_doc(eleve(KNOWN)))}),
         "une autre archive ZIP"),
    Case("sacoche-zip-disguised-as-xml", "sacoche",
         "un ZIP dont « import_validations.xml » est en fait un autre ZIP",
         lambda: sacoche_zip(sacoche_zip(xml_doc(eleve(KNOWN)))), "une autre archive ZIP"),
    Case("sacoche-encrypted-zip", "sacoche", "un ZIP chiffré (protégé par mot de passe)",
         encrypted_flag_zip, "protégée par un mot de passe"),
    Case("sacoche-malformed-xml", "sacoche", "XML coupé au milieu d'une balise",
         lambda: xml_doc(eleve(KNOWN))[:120], "le XML est mal formé"),
    Case("sacoche-wrong-root", "sacoche", "une page HTML dans le ZIP",
         lambda: sacoche_zip(b"<html><body><p>Bonjour</p></body></html>"),
         "l'élément racine est <html>"),
    Case("sacoche-no-pupil", "sacoche", "<sacoche><donnees/></sacoche>",
         lambda: sacoche_zip(b"<sacoche><donnees/></sacoche>"), "ne contient aucun élève"),
    Case("sacoche-xxe", "sacoche",
         "entité externe « file:///etc/passwd » dans le nom d'un élève (XXE)",
         lambda: sacoche_zip(xml_doc(
             eleve(KNOWN, nom="&xxe;"),
             prolog='<!DOCTYPE sacoche [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\r\n')),
         "déclaration de type de document"),
    Case("sacoche-external-dtd", "sacoche", "DTD externe « http://exemple.invalid/x.dtd »",
         lambda: xml_doc(eleve(KNOWN),
                         prolog='<!DOCTYPE sacoche SYSTEM "http://exemple.invalid/x.dtd">\r\n'),
         "déclaration de type de document"),
    Case("sacoche-billion-laughs", "sacoche", "« billion laughs » : 10⁹ « lol » en 1 Ko",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN, prenom="&lol9;"), prolog=BILLION_LAUGHS)),
         "déclaration de type de document"),
    Case("sacoche-unknown-pupil", "sacoche", "un élève qui n'est pas dans l'école",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN, nom="INCONNU", prenom="Personne"))),
         "aucun élève de l'école ne porte ce nom", outcome=PUPIL_IGNORED),
    Case("sacoche-pupil-twice", "sacoche", "ANDRÉ Louise deux fois dans le fichier",
         lambda: sacoche_zip(xml_doc(
             eleve(competence(8, item(2111, date="2024-06-01"))),
             eleve(competence(8, item(2112, date="2024-06-01"))))),
         "présent plusieurs fois dans le fichier", outcome=PUPIL_IGNORED),
    Case("sacoche-bad-sconet-id", "sacoche", "id=\"-12\" sur un élève",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN, sconet="-12"))),
         "identifiant Sconet invalide", outcome=PUPIL_IGNORED),
    Case("sacoche-huge-id", "sacoche", "un id Sconet de 1 million de chiffres",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN, sconet="9" * 1_000_000))),
         "identifiant Sconet invalide", outcome=PUPIL_IGNORED),
    Case("sacoche-huge-name", "sacoche", "un nom de 5 millions de caractères",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN, nom="A" * 5_000_000))),
         "nom ou prénom de plus de 100 caractères", outcome=PUPIL_IGNORED, big=True),
    Case("sacoche-huge-palier-id", "sacoche",
         "ANDRÉ Louise avec un palier dont l'id fait 1 million de chiffres",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN + competence(8, item(2112), palier="2" * 10**6)))),
         "palier « 22222222222222222222 » inconnu", outcome=DECISIONS_SKIPPED, big=True),
    Case("sacoche-html-name", "sacoche", "un élève nommé « <b>ANDRÉ</b> » (échappé en XML)",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN, nom="&lt;b&gt;ANDRÉ&lt;/b&gt;"))),
         "aucun élève de l'école ne porte ce nom", outcome=PUPIL_IGNORED),
    Case("sacoche-unknown-palier", "sacoche", "palier 9 pour ANDRÉ Louise",
         lambda: sacoche_zip(xml_doc(eleve(
             KNOWN + competence(8, item(2111, date="2024-06-01"), palier=9)))),
         "palier « 9 » inconnu", outcome=DECISIONS_SKIPPED),
    Case("sacoche-other-palier-competence", "sacoche",
         "compétence 8 (palier 2) placée sous le palier 1",
         lambda: sacoche_zip(xml_doc(eleve(
             KNOWN + competence(8, item(2111, date="2024-06-01"), palier=1)))),
         "compétence « 8 » inconnue au palier 1", outcome=DECISIONS_SKIPPED),
    Case("sacoche-other-palier-item", "sacoche",
         "item 24 (palier 1) et item 999999 dans la compétence 8 du palier 2",
         lambda: sacoche_zip(xml_doc(eleve(competence(
             8, item(2111), item(24, date="2024-06-01"), item(999999, date="2024-06-01"))))),
         "item « 24 » inconnu", outcome=DECISIONS_SKIPPED),
    Case("sacoche-etat-7", "sacoche", "<etat>7</etat>",
         lambda: sacoche_zip(xml_doc(eleve(KNOWN + competence(
             8, item(2112, date="2024-06-01", etat="7"))))),
         "état « 7 » invalide", outcome=DECISIONS_SKIPPED),
    Case("sacoche-bad-dates", "sacoche",
         "dates « 2024-13-45 », « 15/06/2024 », « demain » et vide",
         lambda: sacoche_zip(xml_doc(eleve(competence(
             8, item(2111, date="2024-13-45"), item(2112, date="15/06/2024"),
             item(2113, date="demain"), item(2114, date=""))))),
         "date « 2024-13-45 » invalide", outcome=DECISIONS_SKIPPED),
    Case("sacoche-future-date", "sacoche", "une décision datée du 2999-01-01",
         lambda: sacoche_zip(xml_doc(eleve(competence(8, item(2111, date="2999-01-01"))))),
         "dans le futur", outcome=DECISIONS_SKIPPED),
    Case("sacoche-unknown-encoding", "sacoche", "un XML qui déclare encoding=\"x-inconnu\"",
         lambda: sacoche_zip(xml_doc(eleve()).replace(b"UTF-8", b"x-inconnu", 1)),
         "il déclare l'encodage « x-inconnu »"),
    Case("sacoche-utf7", "sacoche", "un XML qui déclare encoding=\"UTF-7\"",
         lambda: sacoche_zip(xml_doc(eleve()).replace(b"UTF-8", b"UTF-7", 1)),
         "il déclare l'encodage « UTF-7 »"),
    Case("sacoche-rot13", "sacoche", "un XML qui déclare encoding=\"rot13\" (pas un encodage de "
         "texte)", lambda: xml_doc(eleve()).replace(b"UTF-8", b"rot13", 1),
         "il déclare l'encodage « rot13 »", filename="import_validations.xml"),
    Case("sacoche-deep-nesting", "sacoche",
         "un ZIP de 9 Ko dont le XML imbrique 3 millions d'éléments (9 Mo)",
         lambda: sacoche_zip(b"<sacoche>" + b"<a>" * 3_000_000), "imbriqués sur plus de 64"),
]

SCHOOL_FILE_CASES = [
    Case("school-empty", "school_file", "fichier de 0 octet", lambda: b"", "Le fichier est vide"),
    Case("school-not-sqlite", "school_file", "l'extraction Base-Élèves donnée comme fichier d'école",
         fixture_csv, NOT_SCHOOL, filename="CSVExtraction.csv"),
    Case("school-sacoche-zip", "school_file", "le ZIP SACoche donné comme fichier d'école",
         lambda: FIXTURE_ZIP.read_bytes(), NOT_SCHOOL, filename=FIXTURE_ZIP.name),
    Case("school-other-sqlite", "school_file",
         "une base SQLite d'un autre logiciel (historique de navigateur)", other_sqlite,
         NOT_SCHOOL),
    Case("school-lookalike-sqlite", "school_file",
         "une base SQLite avec des tables « eleve » et « meta » mais sans l'identifiant Cartable",
         other_sqlite_with_tables_like_ours, NOT_SCHOOL),
    Case("school-newer-version", "school_file", "un fichier d'école au format 99",
         newer_school_file, "version plus récente de Cartable"),
    Case("school-truncated-half", "school_file", "un fichier d'école coupé à la moitié",
         lambda: truncated(0.5), DAMAGED),
    Case("school-truncated-one-byte", "school_file", "un fichier d'école privé de son dernier octet",
         lambda: school_file()[:-1], DAMAGED),
    Case("school-header-only", "school_file", "les 100 premiers octets d'un fichier d'école",
         lambda: school_file()[:100], DAMAGED),
    Case("school-corrupted-pages", "school_file",
         "un fichier d'école dont deux pages sont remplacées par des octets aléatoires",
         corrupted_pages, DAMAGED),
    Case("school-trigger-on-meta", "school_file",
         "un déclencheur sur « meta » qui remplace le mot de passe de la directrice",
         lambda: hostile(TRIGGER_ON_META), "le déclencheur « vol » (sur « meta »)"),
    Case("school-trigger-on-failed-logins", "school_file",
         "un déclencheur sur « failed_logins » qui crée un compte affecté à toutes les classes",
         lambda: hostile(TRIGGER_ON_FAILED_LOGINS), "le déclencheur « porte »"),
    Case("school-trigger-on-validation-item", "school_file",
         "un déclencheur sur « validation_item » qui efface les autres décisions",
         lambda: hostile(TRIGGER_ON_VALIDATION_ITEM), "agirait à votre insu"),
    Case("school-view-utilisateur", "school_file",
         "une vue « utilisateur » (un directeur caché) avec un déclencheur INSTEAD OF",
         lambda: hostile(*VIEW_UTILISATEUR), "la vue « utilisateur »"),
    Case("school-extra-table", "school_file", "une table en plus (« notes_privees »)",
         lambda: hostile("CREATE TABLE notes_privees (texte TEXT)",
                         "INSERT INTO notes_privees VALUES ('voyage')"),
         "la table « notes_privees »"),
    Case("school-recursive-trigger", "school_file",
         "un déclencheur à requête récursive sans fin à la prochaine décision",
         lambda: hostile(*RECURSIVE_TRIGGER), "le déclencheur « boucle »"),
    Case("school-missing-index", "school_file", "l'index « eleve_ine » supprimé",
         lambda: hostile("DROP INDEX eleve_ine"), "il lui manque l'index « eleve_ine »"),
    Case("school-hash-1e9-iterations", "school_file",
         "le mot de passe de la directrice haché avec 10⁹ itérations PBKDF2",
         lambda: hostile(f"UPDATE utilisateur SET password_hash = '{_PAD_HASH}'"),
         "PBKDF2-SHA256"),
    Case("school-recovery-hash-other-algorithm", "school_file",
         "un code de secours « haché » en MD5",
         lambda: hostile("UPDATE utilisateur SET recovery_hash = 'md5$abc'"),
         "le code de secours du compte « lin.roy »"),
    Case("school-no-director", "school_file", "aucun compte (la directrice supprimée)",
         lambda: hostile("DELETE FROM utilisateur"), "n'a aucun compte de directeur"),
    Case("school-inactive-director", "school_file", "le compte de la directrice désactivé",
         lambda: hostile("UPDATE utilisateur SET actif = 0"), "directrice désactivé"),
    Case("school-two-directors", "school_file", "un deuxième directeur actif",
         lambda: hostile("INSERT INTO utilisateur (role, nom, prenom, login, password_hash) "
                         "SELECT 'directeur', 'X', 'Y', 'autre', password_hash FROM utilisateur"),
         "a 2 comptes de directeur"),
    Case("school-user-version-0", "school_file", "user_version 0 sur les tables du format actuel",
         lambda: hostile("PRAGMA user_version = 0"), "indique le format 0"),
    Case("school-user-version-1", "school_file", "user_version 1 sur les tables du format actuel",
         lambda: hostile("PRAGMA user_version = 1"),
         "indique le format 1 mais ses tables sont celles du format "),
    Case("school-user-version-negative", "school_file", "user_version −1",
         lambda: hostile("PRAGMA user_version = -1"), "format invalide (-1)"),
    Case("school-bad-date", "school_file", "une décision datée « 2024-13-45 »",
         lambda: hostile("UPDATE validation_item SET date = '2024-13-45' WHERE rowid = 1"),
         "dans la table « validation_item » une valeur"),
    Case("school-malformed-locked-until", "school_file", "locked_until = « bientôt »",
         lambda: hostile("UPDATE utilisateur SET locked_until = 'bientôt'"),
         "dans la table « utilisateur » une valeur"),
    Case("school-integer-as-text", "school_file", "un identifiant d'élève écrit en texte",
         lambda: hostile("UPDATE validation_item SET item_id = 'abc' WHERE rowid = 1"),
         "dans la table « validation_item » une valeur"),
    Case("school-check-violated", "school_file",
         "etat = 7 écrit en contournant la contrainte CHECK", lambda: hostile(
             "PRAGMA ignore_check_constraints = 1",
             "UPDATE validation_item SET etat = 7 WHERE rowid = 1"), DAMAGED,
         note="PRAGMA integrity_check le voit ; la copie enregistrée dans le navigateur, "
              "ouverte sans lui, est vérifiée contrainte par contrainte"),
    Case("school-invalid-utf8", "school_file", "un nom d'élève avec un octet flippé (UTF-8 "
         "invalide)", lambda: hostile("UPDATE eleve SET nom = CAST(X'414EC3' AS TEXT) "
                                      "WHERE id = 1"), "pas de l'UTF-8"),
    Case("school-broken-link", "school_file", "une décision d'un élève qui n'existe pas",
         lambda: hostile("PRAGMA foreign_keys = OFF",
                         "INSERT INTO validation_item VALUES (9999, 2111, 1, '2024-06-01', '')"),
         "des liens brisés"),
    Case("school-too-big", "school_file", "un fichier d'école de 41 Mo",
         lambda: school_file() + bytes(41 * 1024 * 1024 - len(school_file())),
         "au plus 40 Mo", big=True),
]


# -- LSU helpers: the example file, changed -------------------------------------------------


SCHOOL_UAI = "0441234C"  # the UAI of the school the tests import into (the livret example's)


def lsu(*changes: tuple[str, str], count: int = 1, prolog: str = "") -> bytes:
    """The LSU example, as the school's own file (its <etablissement> made ``SCHOOL_UAI``), with
    each (old, new) replaced ``count`` times (-1: all)."""
    text = FIXTURE_LSU.read_text(encoding="utf-8").replace(
        "<etablissement>0441234X<", f"<etablissement>{SCHOOL_UAI}<")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, count)
    if prolog:
        text = text.replace("?>\n", "?>\n" + prolog + "\n", 1)
    return text.encode("utf-8")


_DOMAINE = '<domaine code="REP_MND" positionnement="4"/>'
_SYNTHESE_1 = ("<synthese>Jérôme termine le cycle 2 avec des acquis solides &amp; une bonne "
               "autonomie.</synthese>")
LSU_LIMIT = 20 * 1024 * 1024  # lsu_file.MAX_BYTES

LSU_CASES = [
    Case("lsu-empty", "lsu", "fichier de 0 octet", lambda: b"", "Le fichier est vide"),
    Case("lsu-xxe", "lsu", "entité externe « file:///etc/passwd » dans une synthèse (XXE)",
         lambda: lsu(("autonomie.</synthese>", "&xxe;</synthese>"), prolog=(
             '<!DOCTYPE lsun-bilans [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
         "déclaration de type de document (DTD)"),
    Case("lsu-dtd", "lsu", "DTD externe « http://exemple.invalid/lsu.dtd »",
         lambda: lsu(prolog='<!DOCTYPE lsun-bilans SYSTEM "http://exemple.invalid/lsu.dtd">'),
         "déclaration de type de document (DTD)"),
    Case("lsu-billion-laughs", "lsu", "« billion laughs » dans une synthèse",
         lambda: lsu(("autonomie.</synthese>", "&lol9;</synthese>"),
                     prolog=BILLION_LAUGHS.replace("sacoche", "lsun-bilans")),
         "déclaration de type de document (DTD)"),
    Case("lsu-too-big", "lsu", "un fichier de 21 Mo",
         lambda: b"<" + b" " * (21 * 1024 * 1024), "taille maximale de 20 Mo", big=True),
    Case("lsu-malformed", "lsu", "le fichier coupé au milieu d'une balise",
         lambda: lsu()[:700], "le XML est mal formé"),
    Case("lsu-other-namespace", "lsu", "l'espace de noms « urn:exemple:autre »",
         lambda: lsu(('xmlns="urn:fr:edu:scolarite:lsun:bilans:import"',
                      'xmlns="urn:exemple:autre"')),
         "son espace de noms est « urn:exemple:autre »"),
    Case("lsu-no-namespace", "lsu", "sans espace de noms",
         lambda: lsu(('xmlns="urn:fr:edu:scolarite:lsun:bilans:import" ', "")),
         "son espace de noms est « aucun »"),
    Case("lsu-other-root", "lsu", "le XML SACoche donné à l'import LSU",
         lambda: zipfile.ZipFile(FIXTURE_ZIP).read("import_validations.xml"),
         "l'élément racine est <sacoche>"),
    Case("lsu-other-version", "lsu", "schemaVersion=\"2.0\"",
         lambda: lsu(('schemaVersion="1.0"', 'schemaVersion="2.0"')),
         "sa version de schéma est « 2.0 »"),
    Case("lsu-position-7", "lsu", "positionnement=\"7\"",
         lambda: lsu(('positionnement="3"', 'positionnement="7"')),
         "Le positionnement « 7 » de NICOLAS Jérôme"),
    Case("lsu-position-negative", "lsu", "positionnement=\"-1\"",
         lambda: lsu(('positionnement="2"', 'positionnement="-1"')), "« -1 »"),
    Case("lsu-position-letter", "lsu", "positionnement=\"A\"",
         lambda: lsu(('positionnement="4"', 'positionnement="A"')), "de 0 à 4 attendu"),
    Case("lsu-duplicate-ine", "lsu", "deux élèves avec l'INE 4400069897A",
         lambda: lsu(('ine="4400070910B"', 'ine="4400069897A"')),
         "L'INE « 4400069897A » figure deux fois"),
    Case("lsu-missing-synthese", "lsu", "un bilan sans <synthese>",
         lambda: lsu((_SYNTHESE_1, "")), "NICOLAS Jérôme n'a pas de synthèse"),
    Case("lsu-blank-synthese", "lsu", "une synthèse faite d'espaces",
         lambda: lsu((_SYNTHESE_1, "<synthese>   </synthese>")), "n'a pas de synthèse"),
    Case("lsu-long-synthese", "lsu", "une synthèse de 1 501 caractères",
         lambda: lsu((_SYNTHESE_1, f"<synthese>{'a' * 1501}</synthese>")),
         "compte 1501 caractères : LSU en accepte au plus 1500"),
    Case("lsu-7-domaines", "lsu", "un bilan de 7 composantes",
         lambda: lsu((_DOMAINE, "")), "compte 7 composantes au lieu de 8"),
    Case("lsu-9-domaines", "lsu", "un bilan de 9 composantes",
         lambda: lsu((_DOMAINE, _DOMAINE * 2)), "compte 9 composantes au lieu de 8"),
    Case("lsu-duplicate-domaine", "lsu", "CPD_FRA deux fois, REP_MND absent",
         lambda: lsu((_DOMAINE, '<domaine code="CPD_FRA" positionnement="4"/>')),
         "« CPD_FRA », inconnue ou en double"),
    Case("lsu-unknown-domaine", "lsu", "une composante « XYZ »",
         lambda: lsu((_DOMAINE, '<domaine code="XYZ" positionnement="4"/>')),
         "« XYZ », inconnue ou en double"),
    Case("lsu-cycle-3", "lsu", "cycle=\"3\"", lambda: lsu(('cycle="2"', 'cycle="3"')),
         "bilan de cycle « 3 »"),
    Case("lsu-bad-date", "lsu", "date-creation=\"2026-13-45\"",
         lambda: lsu(('date-creation="2026-06-12"', 'date-creation="2026-13-45"')),
         "date de création « 2026-13-45 »"),
    Case("lsu-unknown-teacher", "lsu", "enseignant-refs=\"ENS9\" (absent du fichier)",
         lambda: lsu(('enseignant-refs="ENS1"', 'enseignant-refs="ENS9"')),
         "désigne un enseignant absent"),
    Case("lsu-bad-civilite", "lsu", "civilite=\"Mlle\" pour l'enseignant",
         lambda: lsu(('civilite="MME" nom="LUCAS"', 'civilite="Mlle" nom="LUCAS"')),
         "La civilité « Mlle » de LUCAS Claire est invalide"),
    Case("lsu-long-libelle", "lsu", "un libellé de classe de 51 caractères",
         lambda: lsu(('libelle="CE2-CM1 Mme LUCAS"', f'libelle="{"C" * 51}"')),
         "de l'attribut « libelle » de <classe> dépasse 50 caractères"),
    Case("lsu-unknown-encoding", "lsu", "encoding=\"x-inconnu\" dans la déclaration XML",
         lambda: lsu(('encoding="UTF-8"', 'encoding="x-inconnu"')),
         "il déclare l'encodage « x-inconnu »"),
    Case("lsu-deep-nesting", "lsu", "une synthèse qui imbrique 1 million d'éléments",
         lambda: lsu(("autonomie.</synthese>", "autonomie." + "<b>" * 1_000_000
                      + "</synthese>")), "imbriqués sur plus de 64"),
    Case("lsu-other-school", "lsu", "le fichier d'une autre école (établissement 0449999E)",
         lambda: lsu((f"<etablissement>{SCHOOL_UAI}<", "<etablissement>0449999E<")),
         f"établissement « 0449999E », pas de l'école (UAI {SCHOOL_UAI})"),
    Case("lsu-future-date", "lsu", "date-creation=\"9999-12-31\"",
         lambda: lsu(('date-creation="2026-06-12"', 'date-creation="9999-12-31"')),
         "postérieure à aujourd'hui"),
    Case("lsu-other-names", "lsu", "l'INE de NICOLAS Jérôme donné à « MARTIN Paul »",
         lambda: lsu(('nom="NICOLAS" prenom="Jérôme"', 'nom="MARTIN" prenom="Paul"')),
         "le fichier nomme l'élève de cet INE « MARTIN Paul », l'école « NICOLAS Jérôme »",
         outcome=PENDING),
    Case("lsu-hidden-synthese", "lsu", "une synthèse faite seulement de caractères de sens "
         "d'écriture (U+202E, U+202C)",
         lambda: lsu((_SYNTHESE_1, "<synthese>\u202e\u202c</synthese>")),
         "NICOLAS Jérôme n'a pas de synthèse"),
    Case("lsu-no-bilan", "lsu", "un fichier LSU sans <bilans-cycle>",
         lambda: lsu(("<bilans-cycle>", "<!--"), ("</bilans-cycle>", "-->")),
         "ne contient aucun bilan de fin de cycle 2"),
]



def livret(*changes: tuple[str, str], count: int = 1) -> bytes:
    """The example of bilans périodiques with each (old, new) replaced ``count`` times."""
    text = FIXTURE_LIVRET.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, count)
    return text.encode("utf-8")


_GENERALE = "<appreciation-generale>Un très bon début d'année en CP.</appreciation-generale>"
_EMC = "<appreciation>Maël respecte les règles de vie de la classe.</appreciation>"
_PPRE = "<complement-ppre>Lecture : deux séances par semaine en petit groupe.</complement-ppre>"
_PARCOURS = '<parcours code="PAR_ART">Maël a présenté sa peinture au musée.</parcours>'

LIVRET_CASES = [
    Case("livret-unknown-period", "lsu", "bilans du trimestre 1 finissant le 21/11/2025, "
         "l'école le finit le 28/11/2025",
         lambda: livret(('date-fin="2025-11-28"', 'date-fin="2025-11-21"')),
         "n'est pas une période de l'école"),
    Case("livret-other-cycle-domaine", "lsu", "« Sciences et technologie » (cycle 3) dans le "
         "bilan d'un élève de CE2",
         lambda: livret(('<acquis code-domaine="LGV-RAC" element-programme-refs="EP0045aaeb1a75"',
                         '<acquis code-domaine="STC-RAC" element-programme-refs="EP0045aaeb1a75"')),
         "(STC-RAC), qui n'est pas du cycle 2"),
    Case("livret-sous-domaine-elsewhere", "lsu", "le sous-domaine FRA-LEC dans le domaine "
         "Mathématiques",
         lambda: livret(('code-domaine="MAT-NBC"', 'code-domaine="FRA-LEC"')),
         "auquel il n'appartient pas"),
    Case("livret-position-5", "lsu", "positionnement=\"5\" sur un sous-domaine",
         lambda: livret(('positionnement="4"', 'positionnement="5"')),
         "Le positionnement « 5 » de MERCIER Maël (Nombres et calcul) est invalide : de 1 à 4"),
    Case("livret-position-0", "lsu", "positionnement=\"0\" (0 n'est pas un positionnement "
         "périodique)", lambda: livret(('positionnement="2"', 'positionnement="0"')),
         "de 1 à 4 attendu (ou non évalué)"),
    Case("livret-undefined-element", "lsu", "un élément de programme désigné mais absent de "
         "<elements-programme>",
         lambda: livret(('element-programme-refs="EPa6ca1b51b603"',
                         'element-programme-refs="EPinconnu"')),
         "désigne l'élément de programme « EPinconnu », absent"),
    Case("livret-long-generale", "lsu", "une appréciation générale de 1 501 caractères",
         lambda: livret((_GENERALE, f"<appreciation-generale>{'a' * 1501}</appreciation-generale>")),
         "L'appréciation générale de MERCIER Maël compte 1501 caractères : LSU en accepte au "
         "plus 1500"),
    Case("livret-long-appreciation", "lsu", "une appréciation de domaine de 601 caractères",
         lambda: livret((_EMC, f"<appreciation>{'a' * 601}</appreciation>")),
         "compte 601 caractères : LSU en accepte au plus 600"),
    Case("livret-long-element", "lsu", "un élément de programme de 301 caractères",
         lambda: livret(('libelle="Lire un album seul"', f'libelle="{"L" * 301}"')),
         "compte 301 caractères : LSU en accepte au plus 300"),
    Case("livret-long-parcours", "lsu", "un commentaire de parcours de 601 caractères",
         lambda: livret((_PARCOURS, f'<parcours code="PAR_ART">{"p" * 601}</parcours>')),
         "Le commentaire du parcours d'éducation artistique et culturelle de MERCIER Maël "
         "compte 601 caractères"),
    Case("livret-long-ppre", "lsu", "un complément de PPRE de 601 caractères",
         lambda: livret((_PPRE, f"<complement-ppre>{'c' * 601}</complement-ppre>")),
         "Le complément du PPRE de LEGRAND Léa compte 601 caractères"),
    Case("livret-blank-generale", "lsu", "une appréciation générale faite d'espaces",
         lambda: livret((_GENERALE, "<appreciation-generale>   </appreciation-generale>")),
         "L'appréciation générale de MERCIER Maël est vide"),
    Case("livret-duplicate-bilan", "lsu", "deux bilans de MERCIER Maël pour le trimestre 1",
         lambda: livret(('eleve-ref="EL4400001013B" periode-ref',
                         'eleve-ref="EL4400000000A" periode-ref')),
         "deux bilans de MERCIER Maël pour la même période"),
    Case("livret-two-acquis", "lsu", "deux acquis « Français » dans un bilan",
         lambda: livret(('<acquis code-domaine="EPS-RAC"', '<acquis code-domaine="FRA-RAC"')),
         "contient deux fois le domaine « Français »"),
    Case("livret-other-school", "lsu", "des bilans périodiques d'une autre école "
         "(établissement 0449999E)",
         lambda: livret((f"<etablissement>{SCHOOL_UAI}<", "<etablissement>0449999E<")),
         f"établissement « 0449999E », pas de l'école (UAI {SCHOOL_UAI})"),
    Case("livret-future-date", "lsu", "un bilan périodique daté du 9999-12-31",
         lambda: livret(('date-creation="2025-11-28"', 'date-creation="9999-12-31"')),
         "La date de création « 9999-12-31 » du bilan de MERCIER Maël est postérieure à "
         "aujourd'hui"),
    Case("livret-other-names", "lsu", "les INE de MERCIER Maël et NICOLAS Jérôme donnés à "
         "d'autres noms",
         lambda: livret(('nom="MERCIER" prenom="Maël"', 'nom="MARTIN" prenom="Paul"'),
                        ('nom="NICOLAS" prenom="Jérôme"', 'nom="NICOLAS" prenom="Lucas"')),
         "le fichier nomme l'élève de cet INE « MARTIN Paul », l'école « MERCIER Maël »",
         outcome=PENDING, note="aucun bilan importé tant que le directeur ne confirme pas "
         "ces INE"),
    Case("livret-hidden-generale", "lsu", "une appréciation générale faite seulement de "
         "caractères de sens d'écriture",
         lambda: livret((_GENERALE,
                         "<appreciation-generale>\u2067\u2069</appreciation-generale>")),
         "Le bilan périodique de MERCIER Maël n'a pas d'appréciation générale"),
    Case("livret-unknown-modalite", "lsu", "une modalité d'accompagnement « SEGPA »",
         lambda: livret(('<modalite-accompagnement code="PPRE">',
                         '<modalite-accompagnement code="SEGPA">')),
         "« SEGPA », inconnue ou en double"),
]

CASES = CSV_CASES + SACOCHE_CASES + SCHOOL_FILE_CASES + LSU_CASES + LIVRET_CASES
assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"


# -- README and files -----------------------------------------------------------------------

README_INTRO = """\
# Bad inputs

Generated by `python tests/bad_inputs/corpus.py --readme > tests/bad_inputs/README.md` from
`corpus.py`, which builds every case's bytes in code (nothing binary is committed; the cases
marked *grand* are generated when the test runs). `tests/test_bad_inputs.py` runs each case
through the API the way the interface does — on a copy of a realistic school (the 143 pupils of
`tests/fixtures/base_eleves/CSVExtraction.csv`, a director, a teacher, the validations of the
reference SACoche ZIP and some saved from the grid) — checks the French message the user sees,
and checks that the school database file is byte-for-byte unchanged afterwards.

How a file goes in:

- **csv** — `base_eleves.read` → `base_eleves.plan` → `base_eleves.apply` (the wizard's steps);
- **sacoche** — `sacoche.preview` → `sacoche.import`;
- **school_file** — `db.check_school_file(bytes)`, then the bridge's `school.replace_file`
  ("Ouvrir un fichier d'école");
- **lsu** — `lsu.preview` → `lsu.import` (the LSU bilans file, built from
  `tests/fixtures/lsu/exemple_bilans_cycle2.xml`, or for the `livret-…` cases from
  `tests/fixtures/lsu/exemple_bilans_periodiques.xml`; the school has that example's periods
  and the INE of MERCIER Maël (CP) and NICOLAS Jérôme (CE2)).

Outcomes:

- **refusé**: the whole file is refused with the message (`UserError`), nothing is written;
- **lignes rejetées**: the plan lists the line with its number and the reason; the other lines
  are the school as it is, so `apply` changes nothing;
- **élève ignoré**: the SACoche import reports the pupil "ignoré" with the reason;
- **décisions ignorées**: the pupil's bad decisions are listed in `avertissements` and skipped,
  the pupil is "inchangé";
- **bilan à confirmer**: the LSU import reports the pupil "à confirmer" (the file names him
  otherwise than the school for the same INE) and does not import his bilan unless the director
  confirms that INE (`confirmer`);
- **accepté, gardé comme texte**: the odd text is a legal name; it is stored verbatim (checked by
  a separate import on a fresh copy), shown with `textContent` and escaped in the SACoche XML.
  Names starting with `=`, `+`, `-`, `@` are kept verbatim on purpose: Cartable never writes a
  spreadsheet (its only export is the SACoche XML), so a formula is never evaluated, and
  changing names would break the matching with the collège's SACoche.

"""


def readme() -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    out = [README_INTRO, "| # | case | door | input | outcome | message the user sees (excerpt) |",
           "|---|---|---|---|---|---|"]
    for n, c in enumerate(CASES, 1):
        what = c.input + (" *(grand)*" if c.big else "")
        result = c.outcome + (f" ({c.note})" if c.note else "")
        out.append(f"| {n} | `{c.id}` | {c.kind} | {cell(what)} | {cell(result)} | "
                   f"« {cell(c.expect)} » |")
    return "\n".join(out) + "\n"


def write(directory: str, big: bool = False) -> list[str]:
    """Write each case's file into ``directory`` (for trying them in the browser)."""
    os.makedirs(directory, exist_ok=True)
    written = []
    for c in CASES:
        if c.big and not big:
            continue
        ext = c.default_filename().rsplit(".", 1)[-1]
        path = os.path.join(directory, f"{c.id}.{ext}")
        with open(path, "wb") as f:
            f.write(c.make())
        written.append(path)
    return written


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Cartable's corpus of bad inputs.")
    parser.add_argument("--readme", action="store_true", help="print README.md")
    parser.add_argument("--write", metavar="DIR", help="write every case's file into DIR")
    parser.add_argument("--big", action="store_true", help="with --write: the large ones too")
    args = parser.parse_args()
    if args.readme:
        sys.stdout.write(readme())
    elif args.write:
        for p in write(args.write, args.big):
            print(p)
    else:
        parser.print_help()
