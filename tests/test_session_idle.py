"""Sessions end after 30 minutes without activity (issue 18: a shared classroom computer); the
grid's unsaved draft is kept and given back at the user's next login (``accounts/idle.py``)."""

from __future__ import annotations

import datetime
import json

import pytest
from bad_inputs import corpus
from helpers import call, login

from cartable import bridge
from cartable.accounts import idle
from cartable.api import run
from cartable.errors import UserError


@pytest.fixture
def school(api, clock):
    clock.set(datetime.datetime(2026, 6, 12, 8, 30, 0))
    call(api, "app.setup", {"nom": "École Jules Ferry", "uai": "0441234C", "directeur": {
        "nom": "Roy", "prenom": "Lina", "password": "Directrice-2024"}})
    d = login(api, "lin.roy", "Directrice-2024")
    call(api, "base_eleves.apply", {"data": corpus.fixture_csv(),
                                    "filename": "CSVExtraction.csv"}, d)
    return api


def _grid_with_a_change(api, token) -> dict:
    cm2b = next(c["id"] for c in call(api, "classes.list", {}, token) if c["nom"] == "CM2 B")
    pupils = [e["id"] for e in call(api, "eleves.list", {"classe_id": cm2b}, token)]
    grid = call(api, "validation.grid", {"palier_id": 2, "classe_id": cm2b, "eleve_ids": pupils,
                                         "competence_id": 9}, token)
    row = grid["domaines"][0]["rows"][0]["id"]
    call(api, "validation.click", {"target": {"kind": "row", "row_id": row}}, token)
    return call(api, "validation.draft", {}, token)


def test_activity_keeps_the_session_and_30_idle_minutes_end_it(school, clock):
    token = login(school, "lin.roy", "Directrice-2024")
    for _ in range(4):  # two hours of work, a command every 29 minutes
        clock.advance(60 * 29)
        assert call(school, "auth.whoami", {}, token)["login"] == "lin.roy"
    clock.advance(60 * 30)
    with pytest.raises(UserError) as err:
        call(school, "auth.whoami", {}, token)
    assert err.value.details["code"] == "session"
    assert "30 minutes sans activité" in str(err.value)
    with pytest.raises(UserError, match="Votre session a expiré"):  # gone for good
        call(school, "auth.whoami", {}, token)


def test_the_unsaved_draft_is_offered_back_at_the_next_login_only(school, clock):
    token = login(school, "lin.roy", "Directrice-2024")
    draft = _grid_with_a_change(school, token)
    assert draft and draft["cells"]
    clock.advance(60 * 31)
    with pytest.raises(UserError, match="sans activité"):
        call(school, "validation.save", {}, token)  # nothing saved by an expired session
    again = call(school, "auth.login", {"login": "lin.roy", "password": "Directrice-2024"})
    assert again["brouillon"] == {**draft, "grille": "validation"}
    assert again["brouillons"] == [{"grille": "validation", "draft": draft}]
    grid = call(school, "validation.restore_draft", {"draft": again["brouillon"]},
                again["session"])
    modified = [k for k, c in grid["cells"].items() if c["modifie"]]
    assert sorted(modified) == sorted(draft["cells"]), "the change is back in the grid"
    third = call(school, "auth.login", {"login": "lin.roy", "password": "Directrice-2024"})
    assert "brouillon" not in third  # given once


def _livret_with_a_change(api, token) -> tuple[dict, int]:
    """The livret of a CM1 class, period 3 (the clock's), one cell clicked: (draft, pupil)."""
    call(api, "periodes.set", {"periodes": [["2025-09-01", "2025-11-28"],
                                            ["2025-12-01", "2026-03-06"],
                                            ["2026-03-09", "2026-07-04"]]}, token)
    choices = call(api, "livret.choices", {}, token)
    cm1 = next(c["id"] for c in choices["classes"] if c["niveau"] == "CM1")
    grid = call(api, "livret.grid", {"classe_id": cm1, "periode_id": choices["defaut"]["periode_id"]},
                token)
    first = grid["eleves"][0]["id"]
    call(api, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": "MAT-GEO"}},
         token)
    return call(api, "livret.draft", {}, token), first


def test_the_livret_draft_is_kept_too_and_says_its_grid(school, clock):
    token = login(school, "lin.roy", "Directrice-2024")
    draft, first = _livret_with_a_change(school, token)
    assert draft["eleves"][str(first)]["cells"] == {"MAT-GEO": 1}
    clock.advance(60 * 30)
    with pytest.raises(UserError, match="sans activité"):
        call(school, "livret.save", {}, token)
    again = call(school, "auth.login", {"login": "lin.roy", "password": "Directrice-2024"})
    assert again["brouillons"] == [{"grille": "livret", "draft": draft}]
    assert again["brouillon"]["grille"] == "livret"
    grid = call(school, "livret.restore_draft", {"draft": again["brouillon"]}, again["session"])
    assert grid["cells"][f"{first}:MAT-GEO"] == 1 and grid["dirty"] == 1
    assert grid["etat"][str(first)]["modifie"] is True


def test_two_unsaved_grids_are_both_kept_the_validation_first(school, clock):
    token = login(school, "lin.roy", "Directrice-2024")
    livret, _ = _livret_with_a_change(school, token)  # the livret module is loaded first
    validation = _grid_with_a_change(school, token)
    clock.advance(60 * 31)
    with pytest.raises(UserError, match="sans activité"):
        call(school, "auth.whoami", {}, token)
    again = call(school, "auth.login", {"login": "lin.roy", "password": "Directrice-2024"})
    assert [b["grille"] for b in again["brouillons"]] == ["validation", "livret"]
    assert again["brouillons"][1]["draft"] == livret
    assert again["brouillon"] == {**validation, "grille": "validation"}


def test_a_saved_livret_leaves_nothing_to_offer(school, clock):
    token = login(school, "lin.roy", "Directrice-2024")
    _livret_with_a_change(school, token)
    call(school, "livret.save", {}, token)
    assert call(school, "livret.draft", {}, token)["eleves"] == {}
    clock.advance(60 * 31)
    with pytest.raises(UserError, match="sans activité"):
        call(school, "auth.whoami", {}, token)
    assert "brouillons" not in call(school, "auth.login", {"login": "lin.roy",
                                                           "password": "Directrice-2024"})


def test_a_session_without_changes_leaves_nothing_to_offer(school, clock):
    token = login(school, "lin.roy", "Directrice-2024")
    clock.advance(60 * 45)
    with pytest.raises(UserError, match="sans activité"):
        call(school, "classes.list", {}, token)
    assert "brouillon" not in call(school, "auth.login", {"login": "lin.roy",
                                                          "password": "Directrice-2024"})


def test_the_bridge_forgets_an_expired_session(school, clock, tmp_path):
    bridge._api, bridge._session = school, None
    try:
        reply = json.loads(run(bridge.call("auth.login", json.dumps(
            {"login": "lin.roy", "password": "Directrice-2024"}))))
        assert reply["ok"], reply
        clock.advance(60 * idle.IDLE.seconds // 60)
        reply = json.loads(run(bridge.call("classes.list", "{}")))
        assert reply["ok"] is False and reply["code"] == "session"
        assert "sans activité" in reply["error"]
        assert bridge._session is None
    finally:
        bridge._api, bridge._session = None, None
