"""The work since the school file was last saved, counted by the core (school/saving.py):
decisions and bilans changed, not commands; reset when the file is handed out; the saved file
carries its save time; an opened file has nothing unsaved."""

import datetime
import sqlite3
from pathlib import Path

import pytest
from helpers import SchoolBuilder, call, login

from cartable import db
from cartable.api import Api
from cartable.school import file_info, saving
from cartable.socle2008 import referentiel

PALIER, C1 = 2, 8


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set(datetime.datetime(2026, 12, 1, 20, 14, 30))
    return clock


@pytest.fixture
def api(tmp_path):
    """CM2 A (id 1): pupils 1-4; the director "dir"."""
    a = Api(str(tmp_path / "ecole.sqlite3"))
    build = SchoolBuilder(a)
    build.letterhead()
    build.classe("CM2 A", "CM2A", id=1)
    for eid, nom in enumerate(("MARTIN", "BERNARD", "PETIT", "ZOLA"), start=1):
        build.eleve(nom, "Léa", 1, id=eid)
    build.director("dir")
    yield a
    a.close()


def open_grid(api, token):
    return call(api, "validation.grid", {"palier_id": PALIER, "classe_id": 1,
                                         "eleve_ids": [1, 2, 3, 4], "competence_id": C1}, token)


ITEMS = [i.id for d in referentiel.get().competences[C1].domaines for i in d.items]


def click_cells(api, token, n):
    done = 0
    for item in ITEMS:
        for eleve in (1, 2, 3, 4):
            if done == n:
                return
            call(api, "validation.click", {"target": {"kind": "cell", "eleve_id": eleve,
                                                      "row_id": item}}, token)
            done += 1


def state(api, token):
    return call(api, "school.saving_state", {}, token)


def test_saving_26_cells_is_26_changes_and_the_reminder_says_so(api):
    token = login(api, "dir")
    assert state(api, token)["modifications"] == 0
    open_grid(api, token)
    click_cells(api, token, 26)
    assert state(api, token)["modifications"] == 0  # the draft is not the school yet
    saved = call(api, "validation.save", {}, token)
    assert saved["ajoutees"] == 26
    s = state(api, token)
    assert s["modifications"] == 26 and s["rappeler"] is True
    assert s["rappel"] == ("26 décisions ou bilans modifiés et le fichier de l'école n'a encore "
                           "jamais été enregistré. Enregistrez-le maintenant pour ne rien perdre.")
    assert s["etat"] == ("Le fichier de l'école n'a encore jamais été enregistré. 26 décisions "
                         "ou bilans modifiés depuis la création de l'école.")
    # One arrow over a row (an item for the whole class): 4 decisions more.
    call(api, "validation.click", {"target": {"kind": "row", "row_id": ITEMS[-1]}}, token)
    call(api, "validation.save", {}, token)
    assert state(api, token)["modifications"] == 30


def test_other_changes_are_not_work_but_the_status_says_the_school_changed(api, clock):
    token = login(api, "dir")
    call(api, "school.file_bytes", {}, token)
    clock.set(datetime.datetime(2026, 12, 1, 20, 40))  # (within the session's 30 idle minutes)
    call(api, "school.update", {"nom": "École Jules Ferry II"}, token)
    s = state(api, token)
    assert s["modifications"] == 0 and s["rappel"] is None and s["rappeler"] is False
    assert s["etat"] == ("Fichier de l'école enregistré pour la dernière fois le 01/12/2026 à "
                         "20 h 14. L'école a changé depuis (élèves, comptes ou réglages, dernière "
                         "modification le 01/12/2026 à 20 h 40) : enregistrez-le à nouveau.")


def test_the_file_handed_out_carries_its_save_time_and_nothing_unsaved(api, tmp_path, clock):
    token = login(api, "dir")
    open_grid(api, token)
    click_cells(api, token, 3)
    call(api, "validation.save", {}, token)
    before_change = file_info.describe(api.db)["derniere_modification"]
    clock.set(datetime.datetime(2026, 12, 1, 20, 31, 5))
    r = call(api, "school.file_bytes", {}, token)
    assert r["filename"] == "ecole-cartable-2026-12-01-20h31.sqlite3"
    assert "« ecole-cartable-2026-12-01-20h31.sqlite3 » a été téléchargé" in r["message"]
    assert "« (1) »" in r["message"]
    copy = tmp_path / "copie.sqlite3"
    copy.write_bytes(r["data"])
    with sqlite3.connect(copy) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                ).fetchone()[0]
    assert meta["dernier_enregistrement"] == "2026-12-01T20:31:05"
    assert meta["modifications_non_enregistrees"] == "0"
    assert meta["derniere_modification"] == before_change  # saving is no change of the school
    assert triggers == 0  # the counting triggers live in the connection, not in the file
    s = state(api, token)
    assert s["modifications"] == 0
    assert s["etat"] == ("Fichier de l'école enregistré pour la dernière fois le 01/12/2026 à "
                         "20 h 31. Rien n'a changé depuis.")


def test_an_opened_file_has_nothing_unsaved_and_keeps_its_own_save_time(api, tmp_path, clock):
    token = login(api, "dir")
    saved = call(api, "school.file_bytes", {}, token)["data"]
    open_grid(api, token)
    click_cells(api, token, 5)
    call(api, "validation.save", {}, token)
    assert state(api, token)["modifications"] == 5
    clock.set(datetime.datetime(2026, 12, 1, 20, 30))
    call(api, "school.replace_file", {"data": saved}, token)
    token = login(api, "dir")
    s = state(api, token)
    assert s["modifications"] == 0
    assert s["dernier_enregistrement"] == "2026-12-01T20:14:30"  # not the opening's time


def test_a_bilan_rewritten_counts_once_and_a_failed_command_counts_nothing(api):
    conn = api.db
    with db.transaction(conn):  # a bilan written as lsu/bilan.py writes it: delete + insert
        for _ in range(2):
            conn.execute("DELETE FROM bilan_cycle WHERE eleve_id = 1")
            conn.execute("INSERT INTO bilan_cycle VALUES (1, 2, '2026', '', '2026-12-01', "
                         "'2026-12-01T20:00:00', 'saisie')")
    file_info.touch(conn)
    assert saving.unsaved(conn) == 1
    upsert = ("INSERT INTO validation_item VALUES (2, 7, ?, '2026-12-01', '') ON CONFLICT("
              "eleve_id, item_id) DO UPDATE SET etat = excluded.etat")  # as the SACoche import
    with db.transaction(conn):
        conn.execute(upsert, (1,))
        conn.execute(upsert, (0,))
    file_info.touch(conn)
    assert saving.unsaved(conn) == 2
    with pytest.raises(sqlite3.IntegrityError), db.transaction(conn):
        conn.execute("INSERT INTO validation_item VALUES (1, 1, 1, '2026-12-01', '')")
        conn.execute("INSERT INTO validation_item VALUES (1, 1, 1, '2026-12-01', '')")
    file_info.touch(conn)
    assert saving.unsaved(conn) == 2


def test_file_state_is_the_directors(api):
    build = SchoolBuilder(api)
    build.teacher("mar.dupuis")
    teacher = login(api, "mar.dupuis")
    from cartable.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        call(api, "school.saving_state", {}, teacher)
    assert Path(api.path).exists()
