"""The school database file: creation, recognition, versioning, transactions."""

import hashlib
import sqlite3

import pytest

from cartable import db
from cartable.accounts import passwords, signin
from cartable.api import run
from cartable.errors import UserError


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_school(tmp_path, name="ecole.sqlite3"):
    path = tmp_path / name
    db.connect(str(path)).close()
    return path


def test_new_file_gets_schema_identity_and_seed_rows(tmp_path):
    path = new_school(tmp_path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    refs = [r[0] for r in conn.execute("SELECT ref FROM niveau WHERE actif = 1 ORDER BY ordre")]
    assert refs == ["CP", "CE1", "CE2", "CM1", "CM2"]
    assert dict(conn.execute("SELECT id, actif FROM palier")) == {1: 0, 2: 1, 3: 0}


def test_reopening_changes_nothing(tmp_path):
    path = new_school(tmp_path)
    before = digest(path)
    db.connect(str(path)).close()
    assert digest(path) == before


def test_check_school_file_accepts_a_cartable_file(tmp_path):
    path = new_school(tmp_path)
    conn = db.connect(str(path))
    hashed = run(passwords.hash_password("password1"))
    with db.transaction(conn):
        signin.insert_director(conn, "DURAND", "Sophie", "sop.durand", hashed)
    conn.close()
    assert db.check_school_file(path.read_bytes()) == db.SCHEMA_VERSION


def other_sqlite(tmp_path):
    path = tmp_path / "autre.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recettes (nom TEXT)")
    conn.commit()
    conn.close()
    return path


def newer_school(tmp_path):
    path = new_school(tmp_path, "futur.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda t: t.joinpath("texte.txt").write_bytes(b"Bonjour") and t / "texte.txt",
         "n'est pas un fichier d'école Cartable"),
        (other_sqlite, "n'est pas un fichier d'école Cartable"),
        (newer_school, "version plus récente de Cartable"),
    ],
    ids=["not-sqlite", "other-sqlite", "newer-schema"],
)
def test_connect_refuses_foreign_files_and_leaves_them_untouched(tmp_path, make, message):
    path = make(tmp_path)
    before = digest(path)
    with pytest.raises(UserError, match=message):
        db.connect(str(path))
    assert digest(path) == before
    with pytest.raises(UserError, match=message):
        db.check_school_file(path.read_bytes())


def test_check_school_file_refuses_empty_and_truncated(tmp_path):
    with pytest.raises(UserError, match="vide"):
        db.check_school_file(b"")
    data = new_school(tmp_path).read_bytes()
    with pytest.raises(UserError, match="endommagé|n'est pas un fichier"):
        db.check_school_file(data[: len(data) // 2])


def test_check_school_file_reports_corruption_found_by_integrity_check(tmp_path):
    path = new_school(tmp_path)
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [(f"k{i}", "x" * 500) for i in range(50)])
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'eleve'").fetchone()[0]
    conn.execute("INSERT INTO eleve (nom, prenom) VALUES ('A', 'B')")
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    # Scribble over the eleve table's b-tree page, keeping the file header valid.
    page = int.from_bytes(data[16:18], "big")
    start = (root - 1) * page
    data[start:start + 12] = b"\x0d\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00"
    with pytest.raises(UserError):
        db.check_school_file(bytes(data))


def test_migrations_upgrade_an_older_file(tmp_path, monkeypatch):
    path = new_school(tmp_path)
    calls = []

    def to_v2(conn):
        calls.append("v2")
        conn.execute("ALTER TABLE eleve ADD COLUMN remarque TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, to_v2])
    monkeypatch.setattr(db, "SCHEMA_VERSION", db.SCHEMA_VERSION + 1)
    conn = db.connect(str(path))
    assert calls == ["v2"]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    conn.execute("SELECT remarque FROM eleve").fetchall()
    conn.close()


def test_transaction_is_all_or_nothing_and_nests(tmp_path):
    conn = db.connect(str(new_school(tmp_path)))
    with pytest.raises(RuntimeError), db.transaction(conn):
        db.set_meta(conn, "nom", "École A")
        with db.transaction(conn):  # nested: joins the outer one
            db.set_meta(conn, "uai", "0440001M")
        raise RuntimeError("boom")
    assert db.get_meta(conn, "nom") is None and db.get_meta(conn, "uai") is None
    with db.transaction(conn):
        db.set_meta(conn, "nom", "École A")
        db.set_meta(conn, "nom", "École B")
    assert db.get_meta(conn, "nom") == "École B"
    assert db.get_meta(conn, "absent", "défaut") == "défaut"


def _version_1_school(path):
    """A school file as version 1 of Cartable wrote it, with a class, a pupil and a decision."""
    conn = sqlite3.connect(path, isolation_level=None)
    db.MIGRATIONS[0](conn)
    conn.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO classe (id, niveau_id, nom, ref) VALUES (1, 18, 'CM2 A', 'CM2A')")
    conn.execute("INSERT INTO eleve (id, nom, prenom, classe_id, sconet_id) "
                 "VALUES (7, 'DUPONT', 'Léa', 1, 42)")
    conn.execute("INSERT INTO utilisateur (role, nom, prenom, login, password_hash) "
                 "VALUES ('directeur', 'DURAND', 'Sophie', 'sop.durand', ?)",
                 (run(passwords.hash_password("password1")),))
    conn.execute("INSERT INTO validation_item VALUES (7, 2111, 1, '2012-05-01', 'DURAND S.')")
    conn.close()


def test_version_1_file_is_upgraded_to_the_current_version_keeping_everything(tmp_path):
    path = tmp_path / "v1.sqlite3"
    _version_1_school(path)
    assert db.check_school_file(path.read_bytes()) == 1
    conn = db.connect(str(path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3 == db.SCHEMA_VERSION
    pupil = dict(conn.execute("SELECT * FROM eleve").fetchone())
    assert pupil == {"id": 7, "nom": "DUPONT", "prenom": "Léa", "classe_id": 1, "actif": 1,
                     "sconet_id": 42, "ine": "", "date_naissance": "", "sexe": ""}
    assert conn.execute("SELECT id_onde FROM classe").fetchone()[0] is None
    user = conn.execute("SELECT civilite, recovery_hash, login FROM utilisateur").fetchone()
    assert tuple(user) == ("", None, "sop.durand")
    assert [tuple(r) for r in conn.execute("SELECT * FROM validation_item")] == [
        (7, 2111, 1, "2012-05-01", "DURAND S.")]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE utilisateur SET civilite = 'Mlle'")
    # The LSU bilan tables exist, empty, and enforce their rules.
    for table in ("bilan_cycle", "bilan_position", "bilan_auteur"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    conn.execute("INSERT INTO bilan_cycle VALUES (7, 2, '2025', 'Bien.', '2026-06-12', "
                 "'2026-06-19T17:30:00', 'saisie')")
    conn.execute("INSERT INTO bilan_position VALUES (7, 2, 'CPD_FRA', 4)")
    conn.execute("INSERT INTO bilan_auteur VALUES (7, 2, 0, 1, 'MME', 'DURAND', 'Sophie')")
    for bad in ("INSERT INTO bilan_position VALUES (7, 2, 'CPD_ETR', 5)",
                "INSERT INTO bilan_cycle VALUES (7, 3, '2025', '', '2026-06-12', '', 'saisie')",
                "INSERT INTO bilan_position VALUES (8, 2, 'CPD_ETR', 1)"):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(bad)
    conn.execute("DELETE FROM bilan_cycle")
    assert conn.execute("SELECT count(*) FROM bilan_position").fetchone()[0] == 0
    conn.close()


def _version_2_school(path):
    """A school file as version 2 wrote it: a class, a pupil with INE, a bilan de cycle."""
    conn = sqlite3.connect(path, isolation_level=None)
    db.MIGRATIONS[0](conn)
    db.MIGRATIONS[1](conn)
    conn.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO classe (id, niveau_id, nom, ref, id_onde) "
                 "VALUES (1, 16, 'CE2 A', 'CE2A', 45121)")
    conn.execute("INSERT INTO eleve (id, nom, prenom, classe_id, ine) "
                 "VALUES (7, 'NICOLAS', 'Jérôme', 1, '4400069897A')")
    conn.execute("INSERT INTO bilan_cycle VALUES (7, 2, '2025', 'Bien.', '2026-06-12', "
                 "'2026-06-19T17:30:00', 'saisie')")
    conn.execute("INSERT INTO bilan_position VALUES (7, 2, 'CPD_FRA', 4)")
    conn.execute("INSERT INTO utilisateur (role, nom, prenom, login, password_hash) "
                 "VALUES ('directeur', 'DURAND', 'Sophie', 'sop.durand', ?)",
                 (run(passwords.hash_password("password1")),))  # a school file has its director
    conn.close()


def test_version_2_file_is_upgraded_to_3_keeping_everything(tmp_path):
    path = tmp_path / "v2.sqlite3"
    _version_2_school(path)
    before = {t: [tuple(r) for r in sqlite3.connect(path).execute(f"SELECT * FROM {t}")]
              for t in ("classe", "eleve", "bilan_cycle", "bilan_position", "niveau")}
    assert db.check_school_file(path.read_bytes()) == 2
    conn = db.connect(str(path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    for table, rows in before.items():
        assert [tuple(r) for r in conn.execute(f"SELECT * FROM {table}")] == rows, table
    # the livret's tables exist, empty, and enforce their rules
    for table in ("periode", "livret_element", "livret_parcours", "bilan_periodique",
                  "bilan_periodique_acquis", "bilan_periodique_extra", "bilan_periodique_auteur"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    conn.execute("INSERT INTO periode VALUES (1, '2025', 1, '2025-09-01', '2025-11-28')")
    conn.execute("INSERT INTO bilan_periodique VALUES (7, 1, 'Bien.', '2025-11-27', "
                 "'2025-11-28T18:00:00', '2025-09-01', 'saisie')")
    conn.execute("INSERT INTO bilan_periodique_acquis VALUES (7, 1, 'EPS-RAC', 3, NULL, '')")
    for bad in ("INSERT INTO bilan_periodique_acquis VALUES (7, 1, 'FRA-LEC', 5, NULL, '')",
                "INSERT INTO periode VALUES (2, '2025', 1, '2025-12-01', '2026-03-06')",
                "INSERT INTO bilan_periodique_extra VALUES (7, 1, 'autre', 'X', '')",
                "INSERT INTO bilan_periodique VALUES (7, 9, '', '', '', '', 'saisie')"):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(bad)
    conn.execute("DELETE FROM bilan_periodique")
    assert conn.execute("SELECT count(*) FROM bilan_periodique_acquis").fetchone()[0] == 0
    conn.close()
