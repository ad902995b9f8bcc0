"""Teachers export LSU for their own classes, as they do for SACoche (issue 16): ``lsu.classes``,
``lsu.preflight`` and ``lsu.export`` open to them, limited to the classes they validate; another
teacher's class is refused in French; the import stays the director's. And the pre-flight of a
period with the bilans de fin de cycle 2 (both kinds in one file)."""

from __future__ import annotations

import pytest
import test_livret_lsu
from helpers import call, file_hash
from lsu_helpers import CE2, LIVRET_XML, LSU_XML, bilans_of, periodic_of

from cartable.errors import PermissionDenied, UserError

school = test_livret_lsu.school  # the ONDE school (UAI 0441234C), director logged in
PASSWORD = "Maitresse-2026"


def _classes(api) -> dict[str, int]:
    return {c["nom"]: c["id"] for c in call(api, "classes.list", {}, api.d)}


@pytest.fixture
def lucas(school):
    """The school with both kinds of bilans, and Mme LUCAS, professeur principal of the two
    parts of CE2-CM1 (ONDE class 45121: NICOLAS Jérôme and LAURENT Zoé have bilans
    périodiques, the six bilans de fin de cycle are of its CE2 part)."""
    test_livret_lsu.set_periods(school)
    assert call(school, "lsu.import", {"data": LSU_XML.read_bytes()}, school.d)["nb_importes"] == 6
    assert call(school, "lsu.import", {"data": LIVRET_XML.read_bytes()}, school.d)[
        "nb_importes"] == 5
    prof = call(school, "professeurs.create", {"nom": "Lucas", "prenom": "Claire",
                                               "civilite": "MME", "login": "cla.lucas",
                                               "password": PASSWORD}, school.d)
    mine = [i for n, i in _classes(school).items() if "CE2-CM1 Mme LUCAS" in n]
    assert len(mine) == 2
    for cid in mine:
        call(school, "affectations.set", {"professeur_id": prof["id"], "classe_id": cid,
                                          "affecte": True}, school.d)
        call(school, "affectations.set_principal", {"classe_id": cid,
                                                    "professeur_id": prof["id"]}, school.d)
    school.t = call(school, "auth.login", {"login": "cla.lucas", "password": PASSWORD})[
        "session"]
    school.mine = mine
    return school


def test_a_teacher_sees_only_her_classes(lucas):
    period = {c["nom"] for c in call(lucas, "lsu.classes", {"periode": 1}, lucas.t)}
    assert period == {n for n, i in _classes(lucas).items() if i in lucas.mine}
    assert [c["nom"] for c in call(lucas, "lsu.classes", {}, lucas.t)] == [CE2]
    everyone = call(lucas, "lsu.classes", {"periode": 1}, lucas.d)
    assert len(everyone) > len(period)


def test_a_teacher_exports_her_classes_with_both_kinds(lucas):
    pre = call(lucas, "lsu.preflight", {"periode": 1, "bilans_cycle": True}, lucas.t)
    assert pre["nb_exportables"] == 2 and pre["bilans_cycle"]["nb_exportables"] == 6
    assert {e["classe"] for e in pre["eleves"]} <= set(_classes(lucas))
    out = call(lucas, "lsu.export", {"periode": 1, "bilans_cycle": True}, lucas.t)
    assert sorted(periodic_of(out["data"])) == ["4400069897A", "4400082053N"]
    assert bilans_of(out["data"]) == bilans_of(LSU_XML.read_bytes())
    cycle = call(lucas, "lsu.export", {"classe_ids": [_classes(lucas)[CE2]]}, lucas.t)
    assert bilans_of(cycle["data"]) == bilans_of(LSU_XML.read_bytes())
    assert call(lucas, "lsu.export", {}, lucas.t)["preflight"]["nb_exportables"] == 6


def test_another_teachers_class_is_refused_in_french(lucas):
    other = next(i for i in _classes(lucas).values() if i not in lucas.mine)
    before = file_hash(lucas)
    for step, payload in (("lsu.preflight", {"periode": 1, "classe_ids": [other]}),
                          ("lsu.export", {"periode": 1, "classe_ids": [other]}),
                          ("lsu.export", {"classe_ids": [lucas.mine[0], other]}),
                          ("lsu.preflight", {"classes": ["CP A"]})):
        with pytest.raises(PermissionDenied, match="Vous ne pouvez exporter vers LSU que les "
                                                   "bilans de vos classes"):
            call(lucas, step, payload, lucas.t)
    assert file_hash(lucas) == before


def test_a_teacher_without_a_class_is_told_so(lucas):
    call(lucas, "professeurs.create", {"nom": "Petit", "prenom": "Anne", "login": "ann.petit",
                                       "password": PASSWORD}, lucas.d)
    t = call(lucas, "auth.login", {"login": "ann.petit", "password": PASSWORD})["session"]
    assert call(lucas, "lsu.classes", {"periode": 1}, t) == []
    with pytest.raises(PermissionDenied, match="Vous ne validez pour aucune classe : il n'y a "
                                               "rien à exporter vers LSU"):
        call(lucas, "lsu.preflight", {"periode": 1}, t)


@pytest.mark.parametrize("step", ["lsu.preview", "lsu.import"])
def test_the_import_stays_the_directors(lucas, step):
    before = file_hash(lucas)
    with pytest.raises(PermissionDenied, match="réservée au directeur ou à la directrice"):
        call(lucas, step, {"data": LIVRET_XML.read_bytes()}, lucas.t)
    assert file_hash(lucas) == before


def test_the_period_preflight_lists_the_bilans_de_cycle_only_when_asked(lucas):
    alone = call(lucas, "lsu.preflight", {"periode": 1}, lucas.d)
    assert "bilans_cycle" not in alone and alone["nb_exportables"] == 5
    both = call(lucas, "lsu.preflight", {"periode": 1, "bilans_cycle": True}, lucas.d)
    assert both["nb_exportables"] == 5 and both["bilans_cycle"]["nb_exportables"] == 6
    assert both["bilans_cycle"]["eleves"] == call(lucas, "lsu.preflight", {}, lucas.d)["eleves"]


def test_a_teacher_is_told_who_fixes_the_school(lucas):
    """A teacher has no Réglages: the school's missing pieces are the director's to fix."""
    call(lucas, "school.set_identity", {"uai": ""}, lucas.d)
    pre = call(lucas, "lsu.preflight", {"periode": 1, "bilans_cycle": True}, lucas.t)
    said = ("L'école n'a pas de numéro UAI : demandez au directeur ou à la directrice de "
            "l'indiquer dans Réglages.")
    assert pre["ecole"] == [said] and pre["bilans_cycle"]["ecole"] == [said]
    with pytest.raises(UserError, match="demandez au directeur ou à la directrice de "
                                        "l'indiquer dans Réglages"):
        call(lucas, "lsu.export", {}, lucas.t)
    assert call(lucas, "lsu.preflight", {}, lucas.d)["ecole"] == [
        "L'école n'a pas de numéro UAI : indiquez-le dans Réglages."]
