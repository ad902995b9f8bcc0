"""The livret screen's API: a CM1 teacher enters her class's éléments, positions with clicks,
arrows and values, writes appréciations, saves; completeness in LSU's terms; progress; the
director exports what was entered."""

from __future__ import annotations

import datetime

import pytest
from helpers import call, patch_clock
from lsu_helpers import FIXTURE_PERIODS, onde_school, periodic_of

from cartable.api import Api
from cartable.errors import PermissionDenied, UserError
from cartable.lsu import domaines, livret, lsu_schema

NOW = datetime.datetime(2025, 11, 20, 17, 30, 0)
DIRECTOR = {"login": "sop.durand", "password": "Directrice-2026"}
TEACHER = {"login": "cla.lucas", "password": "Maitresse-2026"}
CM1 = "[CM1] CE2-CM1 Mme LUCAS"


@pytest.fixture
def school(tmp_path, monkeypatch):
    patch_clock(monkeypatch, NOW)
    a = Api(str(tmp_path / "ecole.sqlite3"))
    a.d = onde_school(a, DIRECTOR)
    prof = call(a, "professeurs.create", {"nom": "Lucas", "prenom": "Claire", "civilite": "MME",
                                          "password": TEACHER["password"]}, a.d)
    a.cm1 = next(c["id"] for c in call(a, "classes.list", {}, a.d) if c["nom"] == CM1)
    call(a, "affectations.set", {"professeur_id": prof["id"], "classe_id": a.cm1,
                                 "affecte": True}, a.d)
    call(a, "affectations.set_principal", {"classe_id": a.cm1, "professeur_id": prof["id"]}, a.d)
    call(a, "periodes.set", {"periodes": [p.split(":") for p in FIXTURE_PERIODS]}, a.d)
    a.t = call(a, "auth.login", TEACHER)["session"]
    yield a
    a.close()


def test_domaines_per_cycle():
    assert domaines.rubriques(2) == ["FRA-LGO", "FRA-LEC", "FRA-ECR", "FRA-ETL", "MAT-NBC",
                                     "MAT-GDM", "MAT-GEO", "LGV-RAC", "EPS-RAC", "ART-PLA",
                                     "ART-MUS", "QLM-VMO", "QLM-ETP", "EMC-RAC"]
    assert "ART-HAR" in domaines.rubriques(3) and "QLM-VMO" not in domaines.rubriques(3)
    assert [d.code for d in domaines.domaines_of(3)] == [
        "FRA-RAC", "MAT-RAC", "LGV-RAC", "EPS-RAC", "ART-RAC", "STC-RAC", "HIG-RAC", "EMC-RAC"]
    assert domaines.cycle_of("CE2") == 2 and domaines.cycle_of("CM1") == 3
    assert domaines.cycle_of("GS") is None
    seen, v = [], None
    for _ in range(6):
        v = domaines.next_position(v)
        seen.append(v)
    assert seen == [1, 2, 3, 4, 0, None]


def test_completeness_in_lsus_terms():
    c = livret.Classe(1, 1, elements={"FRA-LEC": ["Lire un roman"], "MAT-NBC": ["Fractions"]})
    b = livret.Bilan(1, 1, auteurs=[{"civilite": "MME", "nom": "LUCAS", "prenom": "Claire"}])
    b.acquis = {"FRA-LEC": livret.Acquis(3), "MAT-NBC": livret.Acquis(2),
                "EPS-RAC": livret.Acquis(4)}
    assert livret.missing(b, c, 3) == [
        "positionnement sans élément de programme : Éducation physique et sportive",
        ("2 domaines complets sur les 3 exigés (un domaine est complet avec une appréciation, "
         "ou un positionnement et un élément de programme)"), "appréciation générale vide"]
    b.acquis["EMC-RAC"] = livret.Acquis(appreciation="Respecte les règles.")
    b.acquis["EPS-RAC"].elements = ["Courir longtemps"]
    b.appreciation = "Bon trimestre."
    b.parcours = {"PAR_CIT": "Déléguée."}
    assert livret.missing(b, c, 3) == [
        "parcours sans projet de la classe pour cette période : Parcours citoyen"]
    c.parcours["PAR_CIT"] = "Conseil d'élèves."
    assert livret.missing(b, c, 3) == []
    assert livret.missing(None, c, 3) == ["aucun bilan enregistré pour cette période"]
    b.auteurs[0]["civilite"] = ""
    assert livret.missing(b, c, 3) == [
        "la civilité de Claire LUCAS n'est pas indiquée (Professeurs ou Réglages)"]


def test_a_cm1_teacher_fills_her_class_and_the_director_exports_it(school):
    a = school
    choices = call(a, "livret.choices", {}, a.t)
    assert [c["id"] for c in choices["classes"]] == [a.cm1]
    p1 = choices["defaut"]["periode_id"]
    assert choices["defaut"]["classe_id"] == a.cm1 and p1 is not None
    call(a, "livret.set_elements", {"classe_id": a.cm1, "periode_id": p1, "elements": {
        "FRA-LEC": ["Lecture suivie d'un roman"], "MAT-NBC": ["Les fractions simples"],
        "EPS-RAC": ["Courir longtemps", "Courir longtemps"]},
        "parcours": {"PAR_CIT": "Élection des délégués."}}, a.t)
    grid = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.t)
    assert grid["elements"]["EPS-RAC"] == ["Courir longtemps"]
    assert list(grid["cycles"]) == ["3"] and len(grid["eleves"]) == 11
    eleves = [e["id"] for e in grid["eleves"]]
    first, second = eleves[0], eleves[1]
    assert grid["arrow_labels"]["rubrique:FRA-LEC"] == (
        "Tout positionner à 1 (non atteints) : la colonne « Lecture et compréhension de "
        "l'écrit »")
    # a whole sous-domaine: 1, then 2 for everybody; a cell click cycles; a value is set
    call(a, "livret.click", {"target": {"kind": "rubrique", "code": "FRA-LEC"}}, a.t)
    r = call(a, "livret.click", {"target": {"kind": "rubrique", "code": "FRA-LEC"}}, a.t)
    assert set(r["cells"].values()) == {2} and len(r["cells"]) == 11
    assert r["arrow_labels"]["rubrique:FRA-LEC"].startswith("Tout positionner à 3")
    r = call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first,
                                            "code": "FRA-LEC"}}, a.t)
    assert r["cells"] == {f"{first}:FRA-LEC": 3}
    call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": "MAT-NBC",
                                        "valeur": 4}}, a.t)
    call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": "EPS-RAC",
                                        "valeur": 0}}, a.t)
    r = call(a, "livret.click", {"target": {"kind": "eleve", "eleve_id": second}}, a.t)
    assert len(r["cells"]) == len(domaines.rubriques(3))  # the whole line at 1
    r = call(a, "livret.undo", {}, a.t)
    assert r["cells"][f"{second}:FRA-LEC"] == 2 and r["cells"][f"{second}:HIG-RAC"] is None
    assert r["arrows"] == {f"eleve:{second}": 1}  # the arrow is back at 1 too
    assert r["undo"]["count"] == 5
    assert r["undo"]["label"].startswith("Annuler : ")
    assert r["undo"]["label"].endswith(", Éducation physique et sportive")
    with pytest.raises(UserError, match="pas dans le tableau"):
        call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first,
                                            "code": "QLM-VMO"}}, a.t)  # a cycle 2 rubrique
    r = call(a, "livret.texts", {"eleve_id": first, "appreciation_generale": "Très bon\n"
                                 "trimestre.", "appreciations": {"HIG-RAC": "Curieuse."},
                                 "parcours": {"PAR_CIT": "Déléguée de classe."},
                                 "modalites": {"PPRE": "Lecture", "PAP": ""}}, a.t)
    assert r["textes"]["appreciation_generale"] == "Très bon trimestre."
    assert r["etat"]["complet"] is True, r["etat"]
    with pytest.raises(UserError, match="compte 1501 caractères : LSU en accepte au plus 1500"):
        call(a, "livret.texts", {"eleve_id": first, "appreciation_generale": "a" * 1501}, a.t)
    state = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.t)["etat"]
    assert state[str(first)]["modifie"] is False  # a new grid: the draft was dropped
    # again, then save
    for target in ({"kind": "cell", "eleve_id": first, "code": "FRA-LEC", "valeur": 3},
                   {"kind": "cell", "eleve_id": first, "code": "MAT-NBC", "valeur": 4},
                   {"kind": "cell", "eleve_id": first, "code": "EPS-RAC", "valeur": 0}):
        call(a, "livret.click", {"target": target}, a.t)
    call(a, "livret.texts", {"eleve_id": first, "appreciation_generale": "Très bon trimestre.",
                             "appreciations": {"HIG-RAC": "Curieuse."},
                             "parcours": {"PAR_CIT": "Déléguée de classe."},
                             "modalites": {"PPRE": "Lecture", "PAP": ""}}, a.t)
    call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": second, "code": "FRA-LEC",
                                        "valeur": 2}}, a.t)
    saved = call(a, "livret.save", {}, a.t)
    assert saved["message"] == "Livrets enregistrés : 2 élèves."
    assert saved["grid"]["etat"][str(first)]["complet"] is True
    assert saved["grid"]["etat"][str(second)]["manques"][0].startswith("1 domaine complet")
    progress = call(a, "livret.progress", {}, a.t)
    row = next(c for c in progress["classes"] if c["periode_id"] == p1)
    assert row["message"] == "1 livret complet sur 11" and row["nb_commences"] == 2
    assert progress["periode_courante"] == p1  # the teacher's home page shows that one
    assert progress["nb_periodes"] == 3
    assert {c["classe"] for c in progress["classes"]} == {CM1}  # her classes only
    # the director exports period 1: the file says what was clicked and written
    out = call(a, "lsu.export", {"periode": 1, "classes": [CM1]}, a.d)
    # the teacher may export her own class too (as for SACoche): the same bilans
    mine = call(a, "lsu.export", {"periode": 1}, a.t)
    assert periodic_of(mine["data"]) == periodic_of(out["data"])
    assert lsu_schema.errors(out["data"]) == []
    [b] = periodic_of(out["data"]).values()
    assert b["acquis"] == {
        "FRA-RAC": (("FRA-RAC", [], None, None), None,
                    [("FRA-LEC", ["Lecture suivie d'un roman"], "3", None)]),
        "MAT-RAC": (("MAT-RAC", [], None, None), None,
                    [("MAT-NBC", ["Les fractions simples"], "4", None)]),
        "EPS-RAC": (("EPS-RAC", ["Courir longtemps"], None, "true"), None, []),
        "HIG-RAC": (("HIG-RAC", [], None, None), "Curieuse.", [])}
    assert b["appreciation"] == "Très bon trimestre."
    assert b["parcours"] == [("PAR_CIT", "Déléguée de classe.")]
    assert b["communs"] == [("PAR_CIT", "Élection des délégués.")]
    assert b["modalites"] == [("PAP", []), ("PPRE", ["Lecture"])]
    assert b["auteurs"] == [("MME", "LUCAS", "Claire")]
    assert b["dates"] == ("2025-11-20", "2025-09-01", "2025-11-20T17:30:00")
    assert b["periode"] == ("2025", "1", "3", "2025-09-01", "2025-11-28")
    assert "1 bilan périodique (trimestre 1 2025-2026). 10 élèves non exportés" in out["message"]


def test_teachers_stay_in_their_classes(school):
    a = school
    other = next(c["id"] for c in call(a, "classes.list", {}, a.d) if c["nom"] == "CM2 B")
    p1 = call(a, "livret.choices", {}, a.t)["defaut"]["periode_id"]
    for command in ("livret.grid", "livret.elements", "livret.set_elements"):
        with pytest.raises(PermissionDenied):
            call(a, command, {"classe_id": other, "periode_id": p1}, a.t)
    with pytest.raises(UserError, match="Aucun livret n'est ouvert"):
        call(a, "livret.save", {}, a.t)


def test_elements_are_suggested_from_the_previous_period_and_the_same_niveau(school):
    a = school
    ps = {p["indice"]: p["id"] for p in call(a, "livret.choices", {}, a.d)["periodes"]}
    cm1 = [c["id"] for c in call(a, "classes.list", {}, a.d) if c["niveau"] == "CM1"]
    assert len(cm1) == 2 and a.cm1 in cm1
    other = next(c for c in cm1 if c != a.cm1)
    call(a, "livret.set_elements", {"classe_id": a.cm1, "periode_id": ps[1],
                                    "elements": {"FRA-LEC": ["Lire un roman"]}}, a.t)
    call(a, "livret.set_elements", {"classe_id": other, "periode_id": ps[2],
                                    "elements": {"FRA-LEC": ["Lire un album"]}}, a.d)
    got = call(a, "livret.elements", {"classe_id": a.cm1, "periode_id": ps[2]}, a.t)
    assert got["elements"] == {}
    assert got["suggestions"]["FRA-LEC"] == [
        {"libelle": "Lire un roman", "source": "Trimestre 1"},
        {"libelle": "Lire un album", "source": "[CM1] CM1-CM2"}]
    with pytest.raises(UserError, match="n'est pas un domaine du cycle 3"):
        call(a, "livret.set_elements", {"classe_id": a.cm1, "periode_id": ps[2],
                                        "elements": {"QLM-VMO": ["Les plantes"]}}, a.t)
    with pytest.raises(UserError, match="compte 301 caractères"):
        call(a, "livret.set_elements", {"classe_id": a.cm1, "periode_id": ps[2],
                                        "elements": {"FRA-LEC": ["x" * 301]}}, a.t)


def test_the_printed_livret(school):
    a = school
    p1 = call(a, "livret.choices", {}, a.t)["defaut"]["periode_id"]
    call(a, "livret.set_elements", {"classe_id": a.cm1, "periode_id": p1, "elements": {
        "FRA-LEC": ["Lire un roman"], "MAT-NBC": ["Fractions"], "EPS-RAC": ["Courir"]},
        "parcours": {"PAR_ART": "Visite du musée."}}, a.t)
    grid = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.t)
    first = grid["eleves"][0]["id"]
    for code, value in (("FRA-LEC", 3), ("MAT-NBC", 4), ("EPS-RAC", 2)):
        call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": code,
                                            "valeur": value}}, a.t)
    call(a, "livret.texts", {"eleve_id": first, "appreciation_generale": "Bien.",
                             "appreciations": {"EPS-RAC": "Endurante."}}, a.t)
    call(a, "livret.save", {}, a.t)
    page = call(a, "livret.print", {"classe_id": a.cm1, "periode_id": p1}, a.t)
    assert page["titre"] == "Livret scolaire — Trimestre 1 2025-2026"
    assert page["nb_non_complets"] == 10 and len(page["eleves"]) == 1
    [e] = page["eleves"]
    fra = next(d for d in e["domaines"] if d["code"] == "FRA-RAC")
    assert fra["sous_domaines"] == [{"code": "FRA-LEC", "nom": "Lecture et compréhension de "
                                     "l'écrit", "elements": ["Lire un roman"], "position": 3,
                                     "position_nom": "Objectifs d'apprentissage atteints"}]
    eps = next(d for d in e["domaines"] if d["code"] == "EPS-RAC")
    assert eps["appreciation"] == "Endurante." and eps["rubrique"]["position"] == 2
    assert e["parcours"] == [{"code": "PAR_ART", "nom": "Parcours d'éducation artistique et "
                              "culturelle", "projet": "Visite du musée.", "commentaire": ""}]
    assert e["enseignants"] == "Mme Claire LUCAS" and page["directeur"] == "Mme Sophie DURAND"
    assert len(call(a, "livret.print", {"classe_id": a.cm1, "periode_id": p1, "tous": True},
                    a.t)["eleves"]) == 11


def test_a_draft_survives_a_reload(school):
    a = school
    p1 = call(a, "livret.choices", {}, a.t)["defaut"]["periode_id"]
    grid = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.t)
    first = grid["eleves"][0]["id"]
    call(a, "livret.click", {"target": {"kind": "rubrique", "code": "MAT-GEO"}}, a.t)
    call(a, "livret.texts", {"eleve_id": first, "appreciation_generale": "Bien.",
                             "modalites": {"PPRE": "Maths"}, "elements": {"MAT-GEO": ["Cubes"]}},
         a.t)
    plain = call(a, "livret.draft", {}, a.t)
    assert plain["version"] == 1 and len(plain["eleves"]) == 11
    assert plain["arrows"] == {"rubrique:MAT-GEO": 2}
    call(a, "livret.discard", {}, a.t)
    assert call(a, "livret.draft", {}, a.t) is None
    plain["eleves"][str(first)]["cells"]["QLM-VMO"] = 3  # another cycle's: ignored
    plain["eleves"]["999999"] = {"cells": {"MAT-GEO": 4}}  # not in the class: ignored
    again = call(a, "livret.restore_draft", {"draft": plain}, a.t)
    assert again["dirty"] == 11 and again["arrows"]["rubrique:MAT-GEO"] == 2
    assert again["cells"][f"{first}:MAT-GEO"] == 1 and f"{first}:QLM-VMO" not in again["cells"]
    assert again["textes"][str(first)]["modalites"] == {"PPRE": "Maths"}
    assert again["textes"][str(first)]["elements"] == {"MAT-GEO": ["Cubes"]}
    with pytest.raises(UserError, match="brouillon enregistré par le navigateur est illisible"):
        call(a, "livret.restore_draft", {"draft": {"version": 2}}, a.t)


def test_a_cell_value_must_be_a_positionnement_not_a_boolean(school):
    """JSON true/false equal 1 and 0 in Python: they are no positionnement (nor 1.0)."""
    a = school
    first = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": 1}, a.t)["eleves"][0]["id"]
    for bad in (True, False, 1.0):
        with pytest.raises(UserError, match="Positionnement invalide"):
            call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first,
                                                "code": "FRA-LEC", "valeur": bad}}, a.t)
    draft = call(a, "livret.draft", {}, a.t)
    assert draft["eleves"] == {}
    plain = {"version": 1, "classe_id": a.cm1, "periode_id": 1, "eleves": {str(first): {
        "cells": {"FRA-LEC": True, "FRA-ECR": 2}, "textes": {}}}, "arrows": {
        f"eleve:{first}": False}}
    grid = call(a, "livret.restore_draft", {"draft": plain}, a.t)
    assert f"{first}:FRA-LEC" not in grid["cells"] and grid["cells"][f"{first}:FRA-ECR"] == 2
    assert grid["arrows"][f"eleve:{first}"] == domaines.ARROW_START


def test_the_grid_and_the_home_page_count_the_same_complete_livrets(school):
    """A saved livret signed by a teacher without a civilité is not complete for LSU: the grid
    says so, as the home page's count and the export's pre-flight do."""
    a = school
    a.db.execute("UPDATE utilisateur SET civilite = '' WHERE login = ?", (TEACHER["login"],))
    a.db.commit()
    call(a, "livret.set_elements", {"classe_id": a.cm1, "periode_id": 1, "elements": {
        "FRA-LEC": ["Lecture"], "MAT-NBC": ["Fractions"], "EPS-RAC": ["Course"]}}, a.t)
    first = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": 1}, a.t)["eleves"][0]["id"]
    for code in ("FRA-LEC", "MAT-NBC", "EPS-RAC"):
        call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": code,
                                            "valeur": 3}}, a.t)
    r = call(a, "livret.texts", {"eleve_id": first, "appreciation_generale": "Bien."}, a.t)
    assert r["etat"]["complet"] is True  # unsaved: its author is given when it is saved
    grid = call(a, "livret.save", {}, a.t)["grid"]
    state = grid["etat"][str(first)]
    progress = call(a, "livret.progress", {}, a.t)["classes"]
    counted = next(p for p in progress if p["classe_id"] == a.cm1 and p["periode_id"] == 1)
    assert counted["nb_complets"] == 0
    assert state["complet"] is False
    assert state["manques"] == [("la civilité de Claire LUCAS n'est pas indiquée "
                                 "(Professeurs ou Réglages)")]


def test_a_save_keeps_what_a_colleague_saved_meanwhile(school):
    """Two sessions on the same class and period (the teacher, the director): each save writes
    only what its own draft changed, on top of the database as it is then — nothing the other
    saved in between is lost; a field both changed takes the later save."""
    a = school
    p1 = call(a, "livret.choices", {}, a.t)["defaut"]["periode_id"]
    grid = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.t)
    first = grid["eleves"][0]["id"]
    call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.d)  # both drafts start
    call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": "FRA-LEC",
                                        "valeur": 3}}, a.d)
    call(a, "livret.texts", {"eleve_id": first, "appreciations": {"HIG-RAC": "Curieuse."},
                             "appreciation_generale": "Version de la directrice."}, a.d)
    call(a, "livret.save", {}, a.d)
    call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": "MAT-NBC",
                                        "valeur": 2}}, a.t)
    call(a, "livret.texts", {"eleve_id": first, "parcours": {"PAR_CIT": "Déléguée."},
                             "appreciation_generale": "Version de la maîtresse."}, a.t)
    saved = call(a, "livret.save", {}, a.t)
    assert saved["message"] == "Livrets enregistrés : 1 élève."
    b = livret.load(a.db, [first], p1)[first]
    assert b.acquis["FRA-LEC"].position == 3  # the director's, kept
    assert b.acquis["HIG-RAC"].appreciation == "Curieuse."
    assert b.acquis["MAT-NBC"].position == 2 and b.parcours == {"PAR_CIT": "Déléguée."}
    assert b.appreciation == "Version de la maîtresse."  # both changed it: the later save
    # The teacher's screen now shows everything (its draft is rebuilt from the database).
    cells = saved["grid"]["cells"]
    assert cells[f"{first}:FRA-LEC"] == 3 and cells[f"{first}:MAT-NBC"] == 2
    # A cell the teacher clears goes, what the director wrote stays.
    call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": "MAT-NBC",
                                        "valeur": None}}, a.t)
    call(a, "livret.save", {}, a.t)
    b = livret.load(a.db, [first], p1)[first]
    assert "MAT-NBC" not in b.acquis and b.acquis["FRA-LEC"].position == 3


def test_unknown_text_fields_and_a_string_tous_are_refused_or_ignored(school):
    """Bad input tried: a misspelt text field (it changed nothing and said nothing), « tous »
    given as the string "false" (it printed every pupil)."""
    a = school
    p1 = call(a, "livret.choices", {}, a.t)["defaut"]["periode_id"]
    grid = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.t)
    first = grid["eleves"][0]["id"]
    with pytest.raises(UserError, match="Champ « appreciation » inconnu"):
        call(a, "livret.texts", {"eleve_id": first, "appreciation": "Bien."}, a.t)
    assert call(a, "livret.draft", {}, a.t) is None or str(first) not in (
        call(a, "livret.draft", {}, a.t) or {}).get("eleves", {})
    printed = call(a, "livret.print", {"classe_id": a.cm1, "periode_id": p1, "tous": "false"},
                   a.t)
    everyone = call(a, "livret.print", {"classe_id": a.cm1, "periode_id": p1, "tous": True}, a.t)
    assert len(everyone["eleves"]) == 11 and len(printed["eleves"]) == 0


def test_periods_are_not_replaced_under_a_livret_being_entered(school):
    """Bad input tried: the director replaces the periods while the teacher's livret of that
    year has unsaved changes (its save then failed on a foreign key, in generic words)."""
    a = school
    p1 = call(a, "livret.choices", {}, a.t)["defaut"]["periode_id"]
    grid = call(a, "livret.grid", {"classe_id": a.cm1, "periode_id": p1}, a.t)
    first = grid["eleves"][0]["id"]
    call(a, "livret.click", {"target": {"kind": "cell", "eleve_id": first, "code": "FRA-LEC",
                                        "valeur": 3}}, a.t)
    before = a.db.execute("SELECT * FROM periode ORDER BY id").fetchall()
    other = [["2025-09-01", "2026-01-31"], ["2026-02-01", "2026-07-04"]]
    with pytest.raises(UserError, match="est en cours de saisie par Claire LUCAS, sans être "
                                        "enregistré"):
        call(a, "periodes.set", {"periodes": other}, a.d)
    assert a.db.execute("SELECT * FROM periode ORDER BY id").fetchall() == before
    saved = call(a, "livret.save", {}, a.t)
    assert saved["enregistres"] == 1
