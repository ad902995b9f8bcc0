"""The school year's periods: checks, replacement rules, the default, the command line."""

from __future__ import annotations

import datetime
import json

import pytest
from helpers import call, file_hash

from cartable import _compat
from cartable.__main__ import main
from cartable.errors import PermissionDenied, UserError
from cartable.lsu import periodes

FIXTURE_PERIODS = [["2025-09-01", "2025-11-28"], ["2025-12-01", "2026-03-06"],
                   ["2026-03-09", "2026-07-04"]]


@pytest.fixture
def school(api):
    call(api, "app.setup", {"nom": "École Jules Ferry", "directeur": {
        "nom": "Durand", "prenom": "Sophie", "password": "Directrice-2026"}})
    api.d = call(api, "auth.login", {"login": "sop.durand", "password": "Directrice-2026"})[
        "session"]
    return api


def test_set_and_list_periods(school):
    got = call(school, "periodes.set", {"periodes": FIXTURE_PERIODS}, school.d)
    assert got["millesime"] == "2025" and got["annee"] == "2025-2026"
    assert got["message"] == "Périodes de l'année 2025-2026 enregistrées : 3 périodes."
    assert [(p["indice"], p["nb_periodes"], p["nom"], p["date_debut"], p["date_fin"])
            for p in got["periodes"]] == [
        (1, 3, "Trimestre 1", "2025-09-01", "2025-11-28"),
        (2, 3, "Trimestre 2", "2025-12-01", "2026-03-06"),
        (3, 3, "Trimestre 3", "2026-03-09", "2026-07-04")]
    call(school, "periodes.set", {"periodes": [{"date_debut": "2026-09-01",
                                                "date_fin": "2027-01-29"},
                                               {"date_debut": "2027-02-01",
                                                "date_fin": "2027-07-03"}]}, school.d)
    years = call(school, "periodes.list", {}, school.d)["annees"]
    assert [y["millesime"] for y in years] == ["2026", "2025"]
    assert [p["nom"] for p in years[0]["periodes"]] == ["Semestre 1", "Semestre 2"]
    # replacing a year that nothing uses yet
    again = call(school, "periodes.set", {"periodes": FIXTURE_PERIODS[:2]}, school.d)
    assert [p["nom"] for p in again["periodes"]] == ["Semestre 1", "Semestre 2"]
    assert len(call(school, "periodes.list", {}, school.d)["annees"]) == 2


@pytest.mark.parametrize("pairs, message", [
    ([["2025-09-01", "2025-11-28"]], "de 2 à 5 périodes"),
    ([["2025-09-01", "2025-10-01"]] * 6, "de 2 à 5 périodes"),
    ([["2025-09-01", "2025-11-28"], ["2025-11-01", "2026-03-06"]],
     "La période 2 commence le 01/11/2025, avant la fin de la période 1"),
    ([["2025-09-01", "2025-11-28"], ["2026-03-06", "2025-12-01"]],
     "La période 2 finit le 01/12/2025, avant de commencer"),
    ([["2025-09-01", "2025-11-28"], ["2025-12-01", "2026-08-06"]],
     "tenir dans une année scolaire (2025-2026"),
    ([["2025-09-01", "2025-11-31"], ["2025-12-01", "2026-03-06"]],
     "La date de fin de la période 1 « 2025-11-31 » est invalide"),
    ("2025", "de 2 à 5 périodes"),
])
def test_bad_periods_are_refused_in_french_and_change_nothing(school, pairs, message):
    before = file_hash(school)
    with pytest.raises(UserError, match=message.replace("(", r"\(")):
        call(school, "periodes.set", {"periodes": pairs}, school.d)
    assert file_hash(school) == before


def test_periods_in_use_cannot_be_replaced(school):
    call(school, "periodes.set", {"periodes": FIXTURE_PERIODS}, school.d)
    school.db.execute("INSERT INTO niveau (id, ref, nom, ordre) VALUES (99, 'X', 'X', 99)")
    school.db.execute("INSERT INTO classe (id, niveau_id, nom, ref) VALUES (1, 17, 'CM1', 'CM1')")
    pid = school.db.execute("SELECT id FROM periode WHERE indice = 1").fetchone()[0]
    school.db.execute("INSERT INTO livret_parcours VALUES (1, ?, 'PAR_CIT', 'Élections')", (pid,))
    before = file_hash(school)
    with pytest.raises(UserError, match="déjà utilisées par le livret scolaire"):
        call(school, "periodes.set", {"periodes": FIXTURE_PERIODS[:2]}, school.d)
    assert file_hash(school) == before
    same = call(school, "periodes.set", {"periodes": FIXTURE_PERIODS}, school.d)
    assert same["message"] == "Périodes de l'année 2025-2026 inchangées."


def test_only_the_director_sets_periods(school):
    call(school, "professeurs.create", {"nom": "Lucas", "prenom": "Claire",
                                        "password": "Maitresse-2026"}, school.d)
    t = call(school, "auth.login", {"login": "cla.lucas", "password": "Maitresse-2026"})["session"]
    with pytest.raises(PermissionDenied):
        call(school, "periodes.set", {"periodes": FIXTURE_PERIODS}, t)
    assert call(school, "periodes.list", {}, t) == {"annees": []}


def test_default_is_three_trimestres_of_the_current_school_year(school, monkeypatch):
    monkeypatch.setattr(_compat, "today", lambda: datetime.date(2026, 2, 10))
    got = call(school, "periodes.default", {}, school.d)
    assert got["millesime"] == "2025" and got["actuelles"] == []
    pairs = [[p["date_debut"], p["date_fin"]] for p in got["periodes"]]
    assert pairs == [["2025-09-01", "2025-12-19"], ["2025-12-22", "2026-04-03"],
                     ["2026-04-06", "2026-07-04"]]
    assert periodes.check_periods(pairs)  # a valid proposal
    for p in got["periodes"]:  # ends on a Friday, then the first Saturday of July
        end = datetime.date.fromisoformat(p["date_fin"])
        assert end.weekday() == (5 if p["indice"] == 3 else 4)
    call(school, "periodes.set", {"periodes": pairs}, school.d)
    assert len(call(school, "periodes.default", {}, school.d)["actuelles"]) == 3
    monkeypatch.setattr(_compat, "today", lambda: datetime.date(2027, 9, 5))  # a Sunday rentrée
    assert periodes.default_periods(datetime.date(2027, 9, 5))["periodes"][0][
        "date_debut"] == "2027-09-01"
    assert periodes.default_periods(datetime.date(2029, 8, 20))["periodes"][0][
        "date_debut"] == "2029-09-03"  # 1 September 2029 is a Saturday


def test_command_line(tmp_path, capsys):
    db = str(tmp_path / "e.sqlite3")
    setup = {"nom": "École", "directeur": {"nom": "Durand", "prenom": "Sophie",
                                           "password": "Directrice-2026"}}
    assert main(["--db", db, "call", "app.setup", json.dumps(setup)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "periodes", "2025-09-01:2025-11-28", "2025-12-01:2026-03-06",
                 "2026-03-09:2026-07-04"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Périodes de l'année 2025-2026 enregistrées : 3 périodes.",
        "Année scolaire 2025-2026 :",
        "  Trimestre 1 : du 01/09/2025 au 28/11/2025",
        "  Trimestre 2 : du 01/12/2025 au 06/03/2026",
        "  Trimestre 3 : du 09/03/2026 au 04/07/2026"]
    assert main(["--db", db, "periodes"]) == 0
    assert "Trimestre 3 : du 09/03/2026 au 04/07/2026" in capsys.readouterr().out
    assert main(["--db", db, "periodes", "2025-09-01", "2025-12-01:2026-03-06"]) == 1
    assert "n'est pas une période : écrivez DEBUT:FIN" in capsys.readouterr().err
