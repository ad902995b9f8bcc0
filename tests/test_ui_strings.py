"""What the interface takes from the core instead of writing it itself ("the UI holds no
rule"): ui.strings, the import's field labels and counts, the SACoche report's codes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from cartable import _compat, base_eleves
from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.commands import validation as validation_commands
from cartable.errors import UserError
from cartable.school import letterhead

SHORT = (Path(__file__).parent / "fixtures" / "base_eleves" / "CSVExtraction.csv").read_bytes()


@pytest.fixture
def api(tmp_path):
    a = Api(str(tmp_path / "ecole.sqlite3"))
    yield a
    a.close()


def test_ui_strings_needs_no_login_and_says_the_core_rules(api):
    s = run(api.handle("ui.strings", {}))  # before any login, like the page at start-up
    n = passwords.PASSWORD_MIN_LENGTH
    assert s["password_min_length"] == n == 8
    assert s["password_hint"] == "Au moins 8 caractères."
    with pytest.raises(UserError, match=f"au moins {n} caractères"):
        passwords.check_new_password("x" * (n - 1))
    assert passwords.check_new_password("x" * n)
    assert s["default_palier_id"] in {p["id"] for p in run(api.handle(
        "paliers.list", {}, api.director_session()))}
    assert s["export_default_niveau"] == "CM2"
    assert s["uai_length"] == len("0441234C")
    assert letterhead.UAI_RE.fullmatch("0441234C") and not letterhead.UAI_RE.fullmatch("0441234XY")
    assert s["locked_message"] == validation_commands.LOCKED  # the sentence click answers
    assert re.fullmatch(rf"ecole-cartable-{_compat.today().isoformat()}-\d\dh\d\d\.sqlite3",
                        s["school_file_name"])


def test_read_says_the_field_labels_the_core_uses_in_its_messages(api):
    director = api.director_session()
    read = run(api.handle("base_eleves.read", {"data": SHORT}, director))
    assert read["labels"] == base_eleves.FIELD_LABELS
    # The four fields every file needs, then ONDE's optional ones (branch house).
    assert list(read["labels"]) == ["nom", "prenom", "niveau", "classe", "ine", "naissance",
                                    "sexe", "id_onde"]


def test_plan_counts_what_the_wizard_shows(api):
    director = api.director_session()
    plan = run(api.handle("base_eleves.plan", {"data": SHORT}, director))
    assert plan["comptes"] == {
        "classes": {"ajouter": 9, "garder": 0, "retirer": 0, "a_creer": 9, "ignorees": 0},
        "eleves": {"ajouter": 143, "modifier": 0, "desactiver": 0, "ambigus": 0, "inchanges": 0},
    }
    # Untick two classes: not created, their pupils skipped, and counted as such.
    choices = {"CM2-CM2B": {"ignorer": True}, "CP-CPA": {"ignorer": True}}
    plan = run(api.handle("base_eleves.plan", {"data": SHORT, "classes": choices}, director))
    c = plan["comptes"]
    assert c["classes"] == {"ajouter": 9, "garder": 0, "retirer": 0, "a_creer": 7, "ignorees": 2}
    assert c["eleves"]["ajouter"] == 143 - 26 - 24 == len(plan["eleves"]["ajouter"])
    run(api.handle("base_eleves.apply", {"data": SHORT, "classes": choices}, director))
    again = run(api.handle("base_eleves.plan", {"data": SHORT}, director))
    assert again["comptes"]["classes"]["garder"] == 7 and again["comptes"]["classes"]["a_creer"] == 2
    assert again["comptes"]["eleves"]["inchanges"] == 93 == again["eleves"]["inchanges"]


def test_sacoche_report_codes_are_ascii_next_to_the_french_statut(api):
    director = api.director_session()
    xml = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sacoche><donnees>'
           b'<eleve id="1" nom="INCONNU" prenom="Personne"></eleve>'
           b'</donnees></sacoche>')
    r = run(api.handle("sacoche.preview", {"data": xml, "filename": "x.xml"}, director))
    assert [(e["statut"], e["code"]) for e in r["eleves"]] == [("ignoré", "ignore")]
    assert all(e["code"].isascii() for e in r["eleves"])
    assert r["nb_ignores"] == 1


def test_file_name_is_unique_to_the_minute():
    from cartable import db

    assert db.school_file_name(datetime.datetime(2012, 6, 15, 9, 5, 59)) == \
        "ecole-cartable-2012-06-15-09h05.sqlite3"
    assert db.school_file_name(datetime.datetime(2012, 6, 15, 20, 14)) != \
        db.school_file_name(datetime.datetime(2012, 6, 15, 20, 15))
