"""A school file is data, never code (``school/file_check.py``, issue 18): the hostile
files of the corpus are refused too when they are the copy stored in the browser, opened at
start-up (``bridge.try_open``) or by the command line; a WAL file keeps every change in its own
bytes; a hash Cartable never writes sets no cost; the checks stay cheap on a big school."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from bad_inputs import corpus
from helpers import call, login

from cartable import _compat, bridge, db
from cartable.__main__ import main
from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.errors import UserError
from cartable.school import file_check

HOSTILE = [c for c in corpus.SCHOOL_FILE_CASES if c.id in {
               "school-trigger-on-meta", "school-trigger-on-failed-logins",
               "school-trigger-on-validation-item", "school-view-utilisateur",
               "school-extra-table", "school-recursive-trigger", "school-missing-index",
               "school-hash-1e9-iterations", "school-recovery-hash-other-algorithm",
               "school-inactive-director", "school-two-directors", "school-user-version-0",
               "school-user-version-1", "school-user-version-negative", "school-bad-date",
               "school-malformed-locked-until", "school-integer-as-text",
               "school-invalid-utf8", "school-broken-link"}]


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize("case", HOSTILE, ids=[c.id for c in HOSTILE])
def test_the_stored_copy_is_checked_at_start_up(case, tmp_path):
    path = tmp_path / "cartable.sqlite3"
    path.write_bytes(case.make())
    before = sha(path)
    reply = json.loads(bridge.try_open(str(path)))
    assert reply["ok"] is False and "detail" not in reply, reply
    assert case.expect in reply["error"] or "format" in reply["error"], reply["error"]
    assert "Erreur interne" not in reply["error"]
    assert "L'école enregistrée n'a pas été ouverte" in reply["error"], reply["error"]
    assert sha(path) == before
    with pytest.raises(UserError):
        Api(str(path))
    assert sha(path) == before


def test_a_check_violation_is_caught_without_integrity_check(tmp_path):
    """The stored copy is opened without PRAGMA integrity_check: the CHECK rules are ours."""
    path = tmp_path / "cartable.sqlite3"
    path.write_bytes(corpus.hostile("PRAGMA ignore_check_constraints = 1",
                                    "UPDATE utilisateur SET role = 'admin'"))
    with pytest.raises(UserError, match="table « utilisateur » une valeur"):
        db.connect(str(path))


def test_the_command_line_refuses_a_hostile_file(tmp_path, capsys):
    path = tmp_path / "ecole.sqlite3"
    path.write_bytes(corpus.hostile(corpus.TRIGGER_ON_META))
    before = sha(path)
    assert main(["--db", str(path), "call", "app.status"]) == 1
    assert "déclencheur « vol »" in capsys.readouterr().err
    assert sha(path) == before


def test_a_new_stored_copy_without_any_account_opens(tmp_path):
    """Before app.setup the stored copy has no account: that is the school being created."""
    a = Api(str(tmp_path / "neuve.sqlite3"))
    a.close()
    Api(str(tmp_path / "neuve.sqlite3")).close()
    with pytest.raises(UserError, match="aucun compte de directeur"):  # but not to be given
        db.check_school_file((tmp_path / "neuve.sqlite3").read_bytes())


def _school_with_director(tmp_path) -> Api:
    a = Api(str(tmp_path / "ecole.sqlite3"))
    call(a, "app.setup", {"nom": "École Jules Ferry", "uai": "0441234C",
                          "directeur": {"nom": "Roy", "prenom": "Lina",
                                        "password": "Directrice-2024"}})
    return a


def test_a_wal_file_is_opened_in_delete_mode_and_its_bytes_hold_every_change(tmp_path):
    source = _school_with_director(tmp_path)
    source.close()
    data = corpus._with_sqlite(Path(source.path).read_bytes(), "PRAGMA journal_mode = WAL")
    assert data[18:20] == b"\x02\x02"  # WAL in the header
    a = Api(str(tmp_path / "autre.sqlite3"))
    call(a, "app.setup", {"nom": "Autre", "directeur": {"nom": "Bo", "prenom": "Jo",
                                                        "password": "Directeur-2024"}})
    call(a, "school.replace_file", {"data": data}, login(a, "jo.bo", "Directeur-2024"))
    assert a.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    d = login(a, "lin.roy", "Directrice-2024")
    call(a, "school.update", {"nom": "École des Lilas"}, d)
    copy = tmp_path / "copie.sqlite3"
    copy.write_bytes(call(a, "school.file_bytes", {}, d)["data"])  # alone: no -wal beside it
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT value FROM meta WHERE key = 'nom'").fetchone()[0] == \
        "École des Lilas"
    conn.close()
    a.close()


def test_a_hash_with_a_count_cartable_never_writes_costs_nothing(api, build, monkeypatch):
    """A stored hash of 10⁹ iterations (the stored copy changed by hand): refused before any
    hashing, with the message of a wrong password."""
    counts = []
    real = _compat.pbkdf2_sha256

    async def counting(password, salt, iterations):
        counts.append(iterations)
        return await real(password, salt, iterations)

    build.director(login="lin.roy")
    api.db.execute("UPDATE utilisateur SET password_hash = ?", (corpus._PAD_HASH,))
    monkeypatch.setattr(_compat, "pbkdf2_sha256", counting)
    with pytest.raises(UserError, match="Identifiant ou mot de passe incorrect"):
        call(api, "auth.login", {"login": "lin.roy", "password": "password1"})
    assert counts == []
    assert run(passwords.verify_password("x", "pbkdf2_sha256$0$AAAA$AAAA")) is False


def test_cartable_own_count_is_accepted_from_a_file(tmp_path, monkeypatch):
    """Files made with the real count (600 000) open while tests lower ITERATIONS."""
    assert passwords.own_iterations(passwords.OWN_ITERATIONS)
    assert passwords.own_iterations(passwords.ITERATIONS)
    assert not passwords.own_iterations(10**9) and not passwords.own_iterations(0)


def test_size_limit_chosen_from_a_big_school():
    """bench/school_file.py: a 400-pupil school with every decision is 2.5 Mo."""
    assert file_check.MAX_BYTES == 40 * 1024 * 1024
    message = str(file_check.too_big(41 * 1024 * 1024))
    assert "41 Mo" in message and "au plus 40 Mo" in message


def test_reference_schemas_are_what_the_migrations_build(tmp_path):
    path = tmp_path / "ecole.sqlite3"
    conn = db.connect(str(path))
    found = file_check._schema(conn)
    conn.close()
    assert found == file_check.reference(db.SCHEMA_VERSION)
    assert file_check.reference(0) == ()
    kinds = {e[0] for e in found}
    assert kinds == {"table", "index"}  # Cartable itself never makes a trigger or a view


def test_a_malformed_lock_at_login_is_no_traceback(api, build):
    """A lock Cartable did not write (the check of the file is bypassed here) locks nothing."""
    build.director(login="lin.roy")
    api.db.execute("UPDATE utilisateur SET locked_until = 'bientôt', failed_logins = 2")
    with pytest.raises(UserError, match="Identifiant ou mot de passe incorrect"):
        call(api, "auth.login", {"login": "lin.roy", "password": "mauvais-mot"})
    assert call(api, "auth.login", {"login": "lin.roy", "password": "password1"})["session"]
    assert api.db.execute("SELECT locked_until FROM utilisateur").fetchone()[0] is None


def test_a_database_error_is_said_in_french_and_changes_nothing(api, build):
    """A trigger's RAISE (a trigger cannot come in with a file any more: made here by hand) or
    any other error of SQLite itself: French, code "database", the change rolled back."""
    build.director(login="lin.roy")
    d = login(api, "lin.roy")
    api.db.execute("CREATE TRIGGER boom BEFORE UPDATE ON meta BEGIN "
                   "SELECT RAISE(ABORT, 'boom'); END")
    call(api, "school.update", {"nom": "École A"}, d)  # an INSERT: the trigger does not fire
    with pytest.raises(UserError, match="la base de l'école a refusé") as err:
        call(api, "school.update", {"nom": "École B"}, d)
    assert err.value.details["code"] == "database" and "boom" not in str(err.value)
    assert db.get_meta(api.db, "nom") == "École A"
    reply = json.loads(run(_bridge_call(api, "school.update", {"nom": "École C"}, d)))
    assert reply["ok"] is False and "detail" not in reply and "Erreur interne" not in reply["error"]


async def _bridge_call(api, command, payload, token):
    bridge._api, bridge._session = api, token
    try:
        return await bridge.call(command, json.dumps(payload))
    finally:
        bridge._api, bridge._session = None, None


def test_describing_a_hostile_file_refuses_it_too(tmp_path):
    a = _school_with_director(tmp_path)
    d = login(a, "lin.roy", "Directrice-2024")
    with pytest.raises(UserError, match="déclencheur « porte »"):
        call(a, "school.describe_file", {"data": corpus.hostile(
            corpus.TRIGGER_ON_FAILED_LOGINS)}, d)
    a.close()


def test_undecodable_text_in_the_open_database_is_a_french_refusal(tmp_path):
    """Invalid UTF-8 cannot come in with a file any more (written here by hand): reading it
    is still answered in French, not with sqlite3's OperationalError."""
    a = _school_with_director(tmp_path)
    d = login(a, "lin.roy", "Directrice-2024")
    a.db.execute("UPDATE meta SET value = CAST(X'C3' AS TEXT) WHERE key = 'nom'")
    with pytest.raises(UserError, match="texte illisible") as err:
        call(a, "school.identity", {}, d)
    assert err.value.details["code"] == "database"
    a.close()


ACQUIS = ("INSERT INTO bilan_periodique_acquis (eleve_id, periode_id, code, position, elements) "
          "SELECT eleve_id, periode_id, 'FRA-LEC', 3, {} FROM bilan_periodique")
EXTRA_SOCLE = ("INSERT INTO bilan_periodique_extra (eleve_id, periode_id, kind, code, texte) "
               "SELECT eleve_id, periode_id, 'socle', 'CPD_FRA', {} FROM bilan_periodique")


@pytest.mark.parametrize("change, table", [
    ("UPDATE periode SET millesime = 'deux' WHERE indice = 1", "periode"),
    ("UPDATE periode SET date_fin = '2025-13-45' WHERE indice = 2", "periode"),
    ("UPDATE bilan_periodique SET date_creation = 'hier'", "bilan_periodique"),
    ("UPDATE bilan_periodique SET date_verrou = '2025-11-20'", "bilan_periodique"),
    ("UPDATE bilan_periodique SET date_scolarite = '01/09/2025'", "bilan_periodique"),
    (ACQUIS.format("'pas du JSON'"), "bilan_periodique_acquis"),
    (ACQUIS.format("'{\"a\": 1}'"), "bilan_periodique_acquis"),
    (EXTRA_SOCLE.format("'trois'"), "bilan_periodique_extra"),
])
def test_the_livrets_periods_and_dates_are_checked_too(tmp_path, change, table):
    """The livret's tables (schema 3) hold dates and a millésime the screens parse: a file
    changed outside Cartable is refused when opened, not a traceback on the livret screen."""
    a = _school_with_director(tmp_path)
    d = login(a, "lin.roy", "Directrice-2024")
    call(a, "periodes.set", {"periodes": [["2025-09-01", "2025-11-28"],
                                          ["2025-12-01", "2026-03-06"]]}, d)
    with db.transaction(a.db):
        cid = a.db.execute("INSERT INTO classe (niveau_id, nom, ref) VALUES ((SELECT id FROM "
                           "niveau WHERE ref = 'CM1'), 'CM1', 'CM1')").lastrowid
        eid = a.db.execute("INSERT INTO eleve (nom, prenom, classe_id) VALUES ('A', 'B', ?)",
                           (cid,)).lastrowid
        a.db.execute("INSERT INTO bilan_periodique (eleve_id, periode_id, appreciation, "
                     "date_creation, date_verrou, date_scolarite, origine) VALUES (?, (SELECT "
                     "min(id) FROM periode), 'Bien.', '2025-11-20', '2025-11-20T17:30:00', "
                     "'2025-09-01', 'saisie')", (eid,))
    good = Path(a.path).read_bytes()
    assert call(a, "school.describe_file", {"data": good}, d)["fichier"]["bilans"] == 1
    bad = _sqlite_changed(tmp_path, good, change)
    before = sha(a.path)
    for command in ("school.describe_file", "school.replace_file"):
        with pytest.raises(UserError, match=f"dans la table « {table} » une valeur"):
            call(a, command, {"data": bad}, d)
    assert sha(a.path) == before
    a.close()


def _sqlite_changed(tmp_path, data: bytes, statement: str) -> bytes:
    path = tmp_path / "modifie.sqlite3"
    path.write_bytes(data)
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()
    return path.read_bytes()
