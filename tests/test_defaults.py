"""Right defaults: where each user lands in the validation screens, which paliers are offered.

The school: the fixture extraction (143 pupils, CP A … CM2 B, multi-level classes), paliers 1
and 2 active, a director and teachers principal of CE1 B, of [CM2] CM1-CM2 and of CP A.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import call

from cartable.accounts import passwords
from cartable.api import Api

CSV = (Path(__file__).parent / "fixtures/base_eleves/CSVExtraction.csv").read_bytes()


@pytest.fixture
def school(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    a = Api(str(tmp_path / "ecole.sqlite3"))
    call(a, "app.setup", {"nom": "École", "directeur": {"nom": "Martin", "prenom": "Paul",
                                                        "password": "Directeur-1"}})
    d = call(a, "auth.login", {"login": "pau.martin", "password": "Directeur-1"})["session"]
    call(a, "base_eleves.apply", {"data": CSV}, d)
    call(a, "paliers.set", {"actifs": [1, 2]}, d)
    a.classes = {c["nom"]: c["id"] for c in call(a, "classes.list", {}, d)}
    a.director = d
    a.tokens = {}
    for nom, classe in (("Ceun", "CE1 B"), ("Cmdeux", "[CM2] CM1-CM2"), ("Cepe", "CP A"),
                        ("Sansclasse", None)):
        prof = call(a, "professeurs.create", {"nom": nom, "prenom": "Anne",
                                              "password": "Professeur-1"}, d)
        if classe:
            call(a, "affectations.set", {"professeur_id": prof["id"],
                                         "classe_id": a.classes[classe], "affecte": True}, d)
            call(a, "affectations.set_principal", {"classe_id": a.classes[classe],
                                                   "professeur_id": prof["id"]}, d)
        a.tokens[nom] = call(a, "auth.login", {"login": prof["login"],
                                               "password": "Professeur-1"})["session"]
        a.tokens[nom + "_id"] = prof["id"]
    yield a
    a.close()


def landing(school, token) -> tuple[str | None, int | None]:
    choices = call(school, "validation.choices", {}, token)
    default = choices["defaut"]
    names = {c["id"]: c["nom"] for c in choices["classes"]}
    assert default["palier_id"] is None or default["palier_id"] in [
        p["id"] for p in choices["paliers"]]
    return names.get(default["classe_id"]), default["palier_id"]


def test_director_lands_on_the_first_cm2_class_and_palier_2(school):
    # the first in French order, as the list shows it: "[" sorts before letters
    assert landing(school, school.director) == ("[CM2] CM1-CM2", 2)


def test_teachers_land_on_their_class_and_its_paliers(school):
    assert landing(school, school.tokens["Ceun"]) == ("CE1 B", 1)
    assert landing(school, school.tokens["Cmdeux"]) == ("[CM2] CM1-CM2", 2)
    assert landing(school, school.tokens["Cepe"]) == ("CP A", 1)
    assert landing(school, school.tokens["Sansclasse"]) == (None, 2)


def test_own_class_first_when_a_teacher_may_validate_several(school):
    # the CE1 teacher is also assigned to CM2 B (listed first): her own class still comes first
    call(school, "affectations.set", {"professeur_id": school.tokens["Ceun_id"],
                                      "classe_id": school.classes["CM2 B"], "affecte": True},
         school.director)
    call(school, "settings.set", {"professeurs_affectes_valident": True}, school.director)
    choices = call(school, "validation.choices", {}, school.tokens["Ceun"])
    assert [c["nom"] for c in choices["classes"]] == ["CE1 B", "CM2 B"]
    assert landing(school, school.tokens["Ceun"]) == ("CE1 B", 1)
    # ... and a teacher who is nowhere principal lands on a class he or she may validate
    call(school, "affectations.set_principal", {"classe_id": school.classes["CE1 B"],
                                                "professeur_id": None}, school.director)
    assert landing(school, school.tokens["Ceun"]) == ("CE1 B", 1)


def test_the_palier_must_be_active(school):
    call(school, "paliers.set", {"actifs": [2]}, school.director)
    assert landing(school, school.tokens["Ceun"]) == ("CE1 B", 2)
    call(school, "paliers.set", {"actifs": [1]}, school.director)
    assert landing(school, school.director) == ("[CM2] CM1-CM2", 1)


def test_director_without_cm2_lands_on_a_class_with_pupils(school):
    school.db.execute("UPDATE eleve SET actif = 0 WHERE classe_id = ?",
                      (school.classes["CP A"],))
    school.db.execute("UPDATE classe SET niveau_id = 17 WHERE niveau_id = 18")  # no CM2 left
    assert landing(school, school.director) == ("[CP] CP-CE1", 1)


def test_paliers_of_a_primary_school_and_the_colleges_apart(school):
    paliers = call(school, "paliers.list", {}, school.director)
    assert [(p["id"], p["niveau"], p["ecole"], p["rubrique"]) for p in paliers] == [
        (1, "CE1", True, "École élémentaire"),
        (2, "CM2", True, "École élémentaire"),
        (3, None, False, "Collège (rarement utile à l'école)"),
    ]
    offered = call(school, "validation.choices", {}, school.director)["paliers"]
    assert [p["id"] for p in offered] == [1, 2]  # palier 3 only once turned on
    call(school, "paliers.set", {"actifs": [1, 2, 3]}, school.director)
    offered = call(school, "validation.choices", {}, school.director)["paliers"]
    assert [p["id"] for p in offered] == [1, 2, 3]
    assert landing(school, school.director) == ("[CM2] CM1-CM2", 2)
