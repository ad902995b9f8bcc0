"""The school database: connection, schema, migrations, transactions.

The SQLite file *is* the school file the user saves and reopens. It is recognised by
``PRAGMA application_id`` (``APPLICATION_ID``) and versioned by ``PRAGMA user_version``;
``MIGRATIONS[n]`` brings a version-n database to version n+1.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator

from cartable import collation
from cartable.errors import UserError
from cartable.school import file_check

APPLICATION_ID = 0x43415254  # "CART"
SCHEMA_VERSION = 3

# SACoche's niveaux (id, ref, nom, ordre). CP..CM2 are active by default in a new school.
NIVEAUX = [
    (11, "PS", "Petite section", 1),
    (12, "MS", "Moyenne section", 2),
    (13, "GS", "Grande section", 3),
    (14, "CP", "Cours préparatoire", 4),
    (15, "CE1", "Cours élémentaire 1re année", 5),
    (16, "CE2", "Cours élémentaire 2e année", 6),
    (17, "CM1", "Cours moyen 1re année", 7),
    (18, "CM2", "Cours moyen 2e année", 8),
    (21, "CLIS", "Classe pour l'inclusion scolaire", 9),
]

SCHEMA_V1 = """
CREATE TABLE meta (            -- school name, uai, settings (key/value)
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE niveau (
    id    INTEGER PRIMARY KEY, -- SACoche niveau_id (CP=14 ... CM2=18)
    ref   TEXT NOT NULL UNIQUE,
    nom   TEXT NOT NULL,
    ordre INTEGER NOT NULL,
    actif INTEGER NOT NULL DEFAULT 0 CHECK (actif IN (0, 1))
);
CREATE TABLE palier (
    id    INTEGER PRIMARY KEY, -- SACoche palier_id (1, 2, 3)
    actif INTEGER NOT NULL DEFAULT 0 CHECK (actif IN (0, 1))
);
CREATE TABLE classe (
    id        INTEGER PRIMARY KEY,
    niveau_id INTEGER NOT NULL REFERENCES niveau(id),
    nom       TEXT NOT NULL,
    ref       TEXT NOT NULL UNIQUE,  -- stable reference (automatic from niveau + source name)
    source    TEXT NOT NULL DEFAULT '' -- Base-Élèves class name it came from
);
CREATE TABLE eleve (
    id        INTEGER PRIMARY KEY,
    nom       TEXT NOT NULL,        -- upper case
    prenom    TEXT NOT NULL,
    classe_id INTEGER REFERENCES classe(id),
    actif     INTEGER NOT NULL DEFAULT 1 CHECK (actif IN (0, 1)),
    sconet_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX eleve_classe ON eleve(classe_id);
CREATE TABLE utilisateur (
    id            INTEGER PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('directeur', 'professeur')),
    nom           TEXT NOT NULL,
    prenom        TEXT NOT NULL,
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,     -- pbkdf2_sha256$iterations$salt_b64$hash_b64
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    actif         INTEGER NOT NULL DEFAULT 1 CHECK (actif IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT               -- ISO date-time, wrong passwords throttle
);
CREATE TABLE affectation (         -- teacher x class
    utilisateur_id INTEGER NOT NULL REFERENCES utilisateur(id) ON DELETE CASCADE,
    classe_id      INTEGER NOT NULL REFERENCES classe(id) ON DELETE CASCADE,
    principal      INTEGER NOT NULL DEFAULT 0 CHECK (principal IN (0, 1)),
    PRIMARY KEY (utilisateur_id, classe_id)
);
CREATE UNIQUE INDEX one_principal_per_classe ON affectation(classe_id) WHERE principal = 1;
CREATE TABLE validation_item (
    eleve_id INTEGER NOT NULL REFERENCES eleve(id),
    item_id  INTEGER NOT NULL,      -- SACoche entree_id
    etat     INTEGER NOT NULL CHECK (etat IN (0, 1)),
    date     TEXT NOT NULL,         -- YYYY-MM-DD
    info     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (eleve_id, item_id)
);
CREATE TABLE validation_competence (
    eleve_id      INTEGER NOT NULL REFERENCES eleve(id),
    competence_id INTEGER NOT NULL, -- SACoche pilier_id
    etat          INTEGER NOT NULL CHECK (etat IN (0, 1)),
    date          TEXT NOT NULL,
    info          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (eleve_id, competence_id)
);
"""


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    _run_script(conn, SCHEMA_V1)
    conn.executemany(
        "INSERT INTO niveau (id, ref, nom, ordre, actif) VALUES (?, ?, ?, ?, ?)",
        [(i, r, n, o, int(r in ("CP", "CE1", "CE2", "CM1", "CM2"))) for i, r, n, o in NIVEAUX],
    )
    conn.executemany("INSERT INTO palier (id, actif) VALUES (?, ?)", [(1, 0), (2, 1), (3, 0)])


# Version 2 (2026-11): what today's transmission needs. ONDE's pupil fields and class id (LSU
# needs INE and the class's id-be), the civilité LSU requires of teachers and the director, and
# the director's code de secours (a hash, like password_hash). Existing rows get '' / NULL.
SCHEMA_V2 = """
-- ONDE INE (11 characters), birth date (YYYY-MM-DD), sexe
ALTER TABLE eleve ADD COLUMN ine TEXT NOT NULL DEFAULT '';
ALTER TABLE eleve ADD COLUMN date_naissance TEXT NOT NULL DEFAULT '';
ALTER TABLE eleve ADD COLUMN sexe TEXT NOT NULL DEFAULT '' CHECK (sexe IN ('', 'M', 'F'));
CREATE INDEX eleve_ine ON eleve(ine) WHERE ine <> '';
-- ONDE "Identifiant classe" (LSU's id-be), the same on each part of a multi-level class
ALTER TABLE classe ADD COLUMN id_onde INTEGER;
ALTER TABLE utilisateur ADD COLUMN civilite TEXT NOT NULL DEFAULT ''
    CHECK (civilite IN ('', 'M', 'MME'));
-- the director's code de secours, hashed like password_hash
ALTER TABLE utilisateur ADD COLUMN recovery_hash TEXT;
-- LSU bilan de fin de cycle 2 (socle 2016): one per pupil and cycle, saved from the grid or
-- imported from an LSU file. date_creation (YYYY-MM-DD) decides which copy wins at import;
-- date_verrou is a date-time (YYYY-MM-DDTHH:MM:SS); millesime the school year's first year.
CREATE TABLE bilan_cycle (
    eleve_id      INTEGER NOT NULL REFERENCES eleve(id) ON DELETE CASCADE,
    cycle         INTEGER NOT NULL CHECK (cycle = 2),
    millesime     TEXT NOT NULL,
    synthese      TEXT NOT NULL DEFAULT '',
    date_creation TEXT NOT NULL,
    date_verrou   TEXT NOT NULL,
    origine       TEXT NOT NULL CHECK (origine IN ('saisie', 'import')),
    PRIMARY KEY (eleve_id, cycle)
);
-- a position per composante (LSU code CPD_FRA...): 1..4, 0 = dispensé; absent = not positioned
CREATE TABLE bilan_position (
    eleve_id   INTEGER NOT NULL,
    cycle      INTEGER NOT NULL,
    composante TEXT NOT NULL,
    position   INTEGER NOT NULL CHECK (position BETWEEN 0 AND 4),
    PRIMARY KEY (eleve_id, cycle, composante),
    FOREIGN KEY (eleve_id, cycle) REFERENCES bilan_cycle(eleve_id, cycle) ON DELETE CASCADE
);
-- the bilan's authors as LSU names them (enseignant-refs): the teacher who saved it
-- (utilisateur_id set: the account's current civilité and name are used) or the enseignants
-- an imported file names (utilisateur_id NULL: these columns)
CREATE TABLE bilan_auteur (
    eleve_id       INTEGER NOT NULL,
    cycle          INTEGER NOT NULL,
    rang           INTEGER NOT NULL,
    utilisateur_id INTEGER REFERENCES utilisateur(id) ON DELETE SET NULL,
    civilite       TEXT NOT NULL DEFAULT '' CHECK (civilite IN ('', 'M', 'MME')),
    nom            TEXT NOT NULL,
    prenom         TEXT NOT NULL,
    PRIMARY KEY (eleve_id, cycle, rang),
    FOREIGN KEY (eleve_id, cycle) REFERENCES bilan_cycle(eleve_id, cycle) ON DELETE CASCADE
)
"""


# Version 3 (2026-12): the livret scolaire (bilans périodiques, LIVRET.md). The school year's
# periods, each class's éléments de programme and parcours communs per period, each pupil's
# bilan per period. Codes are LSU's (lsu/domaines.py).
SCHEMA_V3 = """
-- the periods of a school year (millesime: its first calendar year), indice 1..n in date order
CREATE TABLE periode (
    id         INTEGER PRIMARY KEY,
    millesime  TEXT NOT NULL,
    indice     INTEGER NOT NULL CHECK (indice BETWEEN 1 AND 5),
    date_debut TEXT NOT NULL,
    date_fin   TEXT NOT NULL,
    UNIQUE (millesime, indice)
);
-- a class's éléments de programme travaillés per period and rubrique (sous-domaine, or domaine
-- without sous-domaines), in order
CREATE TABLE livret_element (
    classe_id  INTEGER NOT NULL REFERENCES classe(id) ON DELETE CASCADE,
    periode_id INTEGER NOT NULL REFERENCES periode(id),
    code       TEXT NOT NULL,
    rang       INTEGER NOT NULL,
    libelle    TEXT NOT NULL,
    PRIMARY KEY (classe_id, periode_id, code, rang)
);
-- a class's projets per period and parcours code (PAR_CIT, PAR_ART, PAR_SAN)
CREATE TABLE livret_parcours (
    classe_id  INTEGER NOT NULL REFERENCES classe(id) ON DELETE CASCADE,
    periode_id INTEGER NOT NULL REFERENCES periode(id),
    code       TEXT NOT NULL,
    texte      TEXT NOT NULL,
    PRIMARY KEY (classe_id, periode_id, code)
);
-- a pupil's bilan périodique; dates as in bilan_cycle, date_scolarite YYYY-MM-DD or ''
CREATE TABLE bilan_periodique (
    eleve_id       INTEGER NOT NULL REFERENCES eleve(id) ON DELETE CASCADE,
    periode_id     INTEGER NOT NULL REFERENCES periode(id),
    appreciation   TEXT NOT NULL DEFAULT '',
    date_creation  TEXT NOT NULL,
    date_verrou    TEXT NOT NULL,
    date_scolarite TEXT NOT NULL DEFAULT '',
    origine        TEXT NOT NULL CHECK (origine IN ('saisie', 'import')),
    PRIMARY KEY (eleve_id, periode_id)
);
-- per rubrique or domaine: position 1..4, 0 = non évalué, NULL = none; elements: the pupil's
-- own éléments (a JSON list of libellés) or NULL for the class's; appreciation on a domaine
CREATE TABLE bilan_periodique_acquis (
    eleve_id     INTEGER NOT NULL,
    periode_id   INTEGER NOT NULL,
    code         TEXT NOT NULL,
    position     INTEGER CHECK (position BETWEEN 0 AND 4),
    elements     TEXT,
    appreciation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (eleve_id, periode_id, code),
    FOREIGN KEY (eleve_id, periode_id) REFERENCES bilan_periodique(eleve_id, periode_id)
        ON DELETE CASCADE
);
-- kind: 'parcours' (code PAR_*, texte the comment), 'modalite' (code PAP..UPE2A, texte the
-- PPRE's complement or ''), 'socle' (code CPD_FRA.., texte the position 0..4)
CREATE TABLE bilan_periodique_extra (
    eleve_id   INTEGER NOT NULL,
    periode_id INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('parcours', 'modalite', 'socle')),
    code       TEXT NOT NULL,
    texte      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (eleve_id, periode_id, kind, code),
    FOREIGN KEY (eleve_id, periode_id) REFERENCES bilan_periodique(eleve_id, periode_id)
        ON DELETE CASCADE
);
-- authors, as bilan_auteur
CREATE TABLE bilan_periodique_auteur (
    eleve_id       INTEGER NOT NULL,
    periode_id     INTEGER NOT NULL,
    rang           INTEGER NOT NULL,
    utilisateur_id INTEGER REFERENCES utilisateur(id) ON DELETE SET NULL,
    civilite       TEXT NOT NULL DEFAULT '' CHECK (civilite IN ('', 'M', 'MME')),
    nom            TEXT NOT NULL,
    prenom         TEXT NOT NULL,
    PRIMARY KEY (eleve_id, periode_id, rang),
    FOREIGN KEY (eleve_id, periode_id) REFERENCES bilan_periodique(eleve_id, periode_id)
        ON DELETE CASCADE
)
"""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it would COMMIT the surrounding transaction.
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    _run_script(conn, SCHEMA_V2)


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    _run_script(conn, SCHEMA_V3)


# MIGRATIONS[n] upgrades a database from user_version n to n + 1.
MIGRATIONS = [_migrate_0_to_1, _migrate_1_to_2, _migrate_2_to_3]
assert len(MIGRATIONS) == SCHEMA_VERSION

NOT_A_SCHOOL = (
    "Ce fichier n'est pas un fichier d'école Cartable. Choisissez le fichier enregistré "
    "depuis Cartable (menu « Enregistrer le fichier de l'école »)."
)
DAMAGED = (
    "Le fichier de l'école est endommagé (tronqué ou modifié) et ne peut pas être "
    "ouvert. Reprenez une copie plus ancienne du fichier."
)


def _inspect(conn: sqlite3.Connection, empty_ok: bool) -> int:
    """Return the schema version of an opened file, or raise UserError if it is not ours."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise UserError(NOT_A_SCHOOL) from exc
    if app_id == APPLICATION_ID:
        try:  # ours, but unreadable further on: damaged, not "another file"
            conn.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            raise UserError(DAMAGED) from exc
    if app_id == 0 and tables == 0 and version == 0 and empty_ok:
        return 0
    if app_id != APPLICATION_ID:
        raise UserError(NOT_A_SCHOOL)
    if version > SCHEMA_VERSION:
        raise UserError(
            f"Ce fichier d'école a été créé par une version plus récente de Cartable "
            f"(format {version}, cette version lit jusqu'au format {SCHEMA_VERSION}). "
            "Utilisez la dernière version de Cartable pour l'ouvrir."
        )
    return version


def connect(path: str) -> sqlite3.Connection:
    """Open (creating if absent) the school database at ``path`` and migrate it.

    Raises UserError, leaving the file untouched, if it is not a Cartable database.
    """
    existed = os.path.exists(path) and os.path.getsize(path) > 0
    if existed:
        if os.path.getsize(path) > file_check.MAX_BYTES:
            raise file_check.too_big(os.path.getsize(path))
        with open(path, "rb") as f:
            head = f.read(16)
        if head != b"SQLite format 3\x00":
            raise UserError(NOT_A_SCHOOL)
    conn = sqlite3.connect(path, isolation_level=None)  # explicit transactions only
    conn.row_factory = sqlite3.Row
    collation.register(conn)  # ORDER BY … COLLATE FR
    try:
        version = _inspect(conn, empty_ok=not existed)
        # Data, never code: exactly Cartable's schema and values (also for the stored copy).
        _checked(file_check.check, conn, version, received=False)
        # Every change in the main file itself (a WAL file would keep it in "-wal"), so that
        # the file's bytes (school.file_bytes, the browser's copy) always hold it.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            with transaction(conn):
                for step in MIGRATIONS[version:]:
                    step(conn)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing: BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception. Nests safely."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def school_file_name(day) -> str:
    """The name offered when the school file of ``day`` (a date) is downloaded."""
    return f"ecole-cartable-{day.isoformat()}.sqlite3"


def check_school_file(data: bytes) -> int:
    """Check that ``data`` is a Cartable school file this version can open (migrating if older).

    Returns its schema version; raises UserError with a French message otherwise.
    """
    if not data:
        raise UserError("Le fichier est vide. " + NOT_A_SCHOOL)
    if not data.startswith(b"SQLite format 3\x00"):
        raise UserError(NOT_A_SCHOOL)
    if len(data) > file_check.MAX_BYTES:
        raise file_check.too_big(len(data))
    if _truncated(data):
        raise UserError(DAMAGED)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "check.sqlite3")
        with open(path, "wb") as f:
            f.write(data)
        conn = sqlite3.connect(path)
        try:
            try:
                version = _inspect(conn, empty_ok=False)
                result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise UserError(DAMAGED) from exc
            if result != "ok":
                raise UserError(DAMAGED)
            _checked(file_check.check, conn, version, received=True)
        finally:
            conn.close()
    return version


def _checked(check, conn: sqlite3.Connection, *args, **kwargs) -> None:
    """``check(conn, …)``; a file SQLite cannot read on the way is damaged."""
    try:
        check(conn, *args, **kwargs)
    except sqlite3.DatabaseError as exc:
        raise UserError(DAMAGED) from exc


def _truncated(data: bytes) -> bool:
    """Shorter than the SQLite header says (SQLite itself reads missing pages as zeros)."""
    if len(data) < 100:
        return True
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(data[28:32], "big")
    size_is_valid = data[24:28] == data[92:96]  # change counter == "version-valid-for"
    return size_is_valid and len(data) < pages * page_size


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def read_file(path: str) -> bytes:
    """The school file's bytes, as they are on disk."""
    with open(path, "rb") as f:
        return f.read()


def write_file(path: str, data: bytes) -> None:
    """Replace the file at ``path`` by ``data`` (through a temporary file; SQLite's journal
    files of the previous database are removed first). The file must not be open."""
    for suffix in ("-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
