"""ONDE's pupil extraction: INE, birth date, sexe and class id kept; re-imports matched by INE.

Bad inputs tried here: an INE of 5 characters, one with punctuation, a 31/02 birth date, a
date in another format, a sexe "X", a class id "CP" — each rejects its line with a French
reason, the other lines import.
"""

import csv
import io
from pathlib import Path

import pytest
from helpers import file_hash

from cartable import base_eleves
from cartable.errors import UserError

HERE = Path(__file__).parent
ONDE = (HERE / "fixtures/onde/CSVExtraction.csv").read_bytes()
BASE_ELEVES = (HERE / "fixtures/base_eleves/CSVExtraction.csv").read_bytes()


def rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(ONDE.decode("utf-8")), delimiter=";"))


def to_csv(table: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(table)
    return out.getvalue().encode("utf-8")


def pupils(api) -> dict[str, tuple]:
    """INE -> (nom, prénom, birth date, sexe, niveau, ONDE class id, actif)."""
    return {r["ine"]: (r["nom"], r["prenom"], r["date_naissance"], r["sexe"], r["niv"],
                       r["id_onde"], r["actif"])
            for r in api.db.execute(
                "SELECT e.*, c.id_onde, n.ref AS niv FROM eleve e JOIN classe c "
                "ON c.id = e.classe_id JOIN niveau n ON n.id = c.niveau_id")}


def test_every_ine_birth_date_sexe_and_class_id_is_kept(api):
    result = base_eleves.apply(api.db, ONDE)
    assert result["eleves_ajoutes"] == 143 and result["classes_ajoutees"] == 9
    got = pupils(api)
    header, *lines = rows()
    col = {h.strip(): i for i, h in enumerate(header)}
    assert len(got) == 143 == len(lines)
    for line in lines:
        d, m, y = line[col["Date naissance"]].split("/")
        nom, prenom, naissance, sexe, niveau, id_onde, actif = got[line[col["INE"]]]
        assert (nom, prenom, niveau, actif) == (line[col["Nom élève"]], line[col["Prénom élève"]],
                                                line[col["Niveau"]], 1)
        assert naissance == f"{y}-{m}-{d}" and sexe == line[col["Sexe"]]
        assert id_onde == int(line[col["Identifiant classe"]])
    # A multi-level class split by niveau keeps ONDE's id on each part.
    parts = api.db.execute("SELECT c.nom, c.id_onde FROM classe c WHERE c.source = 'CP-CE1' "
                           "ORDER BY c.nom").fetchall()
    assert [tuple(p) for p in parts] == [("[CE1] CP-CE1", 45107), ("[CP] CP-CE1", 45107)]


def test_the_plan_says_which_onde_fields_it_found(api):
    plan = base_eleves.plan(api.db, ONDE)
    assert plan["champs_onde"] == ["ine", "naissance", "sexe", "id_onde"]
    assert plan["mapping"] == {"nom": "Nom élève", "prenom": "Prénom élève", "niveau": "Niveau",
                               "classe": "Libellé classe"}
    assert {c["nom"]: c["id_onde"] for c in plan["classes"]}["CM2 B"] == 45135
    assert base_eleves.plan(api.db, BASE_ELEVES)["champs_onde"] == ["naissance", "sexe"]


def test_reimport_changes_nothing(api):
    base_eleves.apply(api.db, ONDE)
    before = file_hash(api)
    again = base_eleves.apply(api.db, ONDE)
    assert again["changements"] == 0 and "aucun changement" in again["message"]
    assert file_hash(api) == before


def test_a_renamed_pupil_with_the_same_ine_is_modified_not_replaced(api):
    base_eleves.apply(api.db, ONDE)
    table = rows()
    ine = table[1][5]
    assert table[1][0] == "MERCIER"
    table[1][0], table[1][2] = "MERCIER-DUVAL", "Maëlle"
    plan = base_eleves.plan(api.db, to_csv(table))
    assert plan["eleves"]["ajouter"] == [] and plan["eleves"]["desactiver"] == []
    (changed,) = plan["eleves"]["modifier"]
    assert changed["changements"] == ["nom"] and changed["ancien_nom"] == "MERCIER Maël"
    base_eleves.apply(api.db, to_csv(table))
    assert pupils(api)[ine][:2] == ("MERCIER-DUVAL", "Maëlle")
    assert api.db.execute("SELECT count(*) FROM eleve").fetchone()[0] == 143


def test_a_homonym_with_another_ine_is_another_pupil(api):
    base_eleves.apply(api.db, ONDE)
    table = rows()
    twin = list(table[1])
    twin[5] = "4499999999Z"
    twin[16], twin[17], twin[15] = "CE1 B", "45114", "CE1"
    plan = base_eleves.plan(api.db, to_csv(table + [twin]))
    assert [(p["nom"], p["classe"]) for p in plan["eleves"]["ajouter"]] == [("MERCIER", "CE1 B")]
    assert plan["eleves"]["modifier"] == [] and plan["eleves"]["ambigus"] == []


def test_base_eleves_then_onde_adds_the_onde_fields(api):
    base_eleves.apply(api.db, BASE_ELEVES)
    assert api.db.execute("SELECT count(*) FROM eleve WHERE ine <> ''").fetchone()[0] == 0
    plan = base_eleves.plan(api.db, ONDE)
    assert plan["eleves"]["ajouter"] == [] and plan["eleves"]["desactiver"] == []
    changes = {tuple(p["changements"]) for p in plan["eleves"]["modifier"]}
    assert changes == {("INE ajouté",)}  # the Base-Élèves file had the birth dates and sexes
    result = base_eleves.apply(api.db, ONDE)
    assert result["eleves_modifies"] == 143 and result["classes_ajoutees"] == 0
    assert len(pupils(api)) == 143
    assert api.db.execute("SELECT count(*) FROM classe WHERE id_onde IS NULL").fetchone()[0] == 0
    # A Base-Élèves file afterwards (no INE, no class id) keeps what ONDE gave.
    before = file_hash(api)
    assert base_eleves.apply(api.db, BASE_ELEVES)["changements"] == 0
    assert file_hash(api) == before


@pytest.mark.parametrize("column, value, reason", [
    (5, "12345", "INE « 12345 » invalide : un INE a 11 caractères"),
    (5, "4400000000-", "INE « 4400000000- » invalide"),
    (3, "31/02/2005", "date de naissance « 31/02/2005 » invalide (attendu : JJ/MM/AAAA"),
    (3, "2005.04.10", "date de naissance « 2005.04.10 » invalide"),
    (4, "X", "sexe « X » invalide (attendu : M ou F)"),
    (17, "CP", "identifiant de classe « CP » invalide"),
])
def test_bad_onde_values_reject_their_line_in_french(api, column, value, reason):
    table = rows()
    table[3][column] = value
    plan = base_eleves.plan(api.db, to_csv(table))
    assert plan["rejets"] == [{"ligne": 4, "raison": plan["rejets"][0]["raison"]}]
    assert plan["rejets"][0]["raison"].startswith(reason)
    assert plan["nb_eleves"] == 142
    before = file_hash(api)
    base_eleves.apply(api.db, to_csv(table))
    assert file_hash(api) != before and len(pupils(api)) == 142


def test_iso_dates_and_spelled_sexes_are_accepted(api):
    table = rows()
    table[1][3], table[1][4] = "2005-04-10", "Masculin"
    table[2][3], table[2][4], table[2][5] = "1/9/2005", "féminin", " 4400001013b "
    base_eleves.apply(api.db, to_csv(table))
    got = pupils(api)
    assert got[table[1][5]][2:4] == ("2005-04-10", "M")
    assert got["4400001013B"][2:4] == ("2005-09-01", "F")


def test_an_onde_reimport_says_how_pupils_were_matched_and_that_it_adds_the_ine(api):
    """« 143 élèves à modifier (changement de classe) » was shown when an ONDE file only added
    the INE to pupils imported from Base-Élèves: now each change is named and counted, and the
    plan says how pupils were matched (INE, then names)."""
    base_eleves.apply(api.db, BASE_ELEVES)
    plan = base_eleves.plan(api.db, ONDE)
    assert plan["source"] == "ONDE" and "ONDE" in plan["message"]
    assert "Base-Élèves" not in plan["message"]
    assert plan["modifications"]["detail"] == [
        {"changement": "INE ajouté", "nombre": 143, "texte": "143 INE ajoutés"}]
    assert plan["modifications"]["message"] == "143 INE ajoutés"
    assert {p["par"] for p in plan["eleves"]["modifier"]} == {"nom"}
    assert plan["appariement"]["par_ine"] == 0 and plan["appariement"]["par_nom"] == 143
    assert plan["appariement"]["message"] == (
        "Élèves rapprochés de ceux de l'école par l'INE d'abord, puis par le nom et le prénom : "
        "0 élève retrouvé par l'INE, 143 élèves retrouvés par le nom et le prénom, "
        "0 élève nouveau.")
    base_eleves.apply(api.db, ONDE)
    # Now the school has the INE: a pupil who changed class is found by it, and named so.
    table = rows()
    moved = list(table[1])
    moved[16], moved[17] = "CP B", "45101"
    plan = base_eleves.plan(api.db, to_csv([table[0], moved] + table[2:]))
    assert plan["appariement"]["par_ine"] == 143 and plan["appariement"]["par_nom"] == 0
    assert [(p["nom"], p["par"], p["changements"]) for p in plan["eleves"]["modifier"]] == [
        ("MERCIER", "INE", ["classe"])]
    assert plan["modifications"]["message"] == "1 changement de classe"


def test_an_onde_file_is_named_onde_in_its_messages(api):
    assert base_eleves.read(ONDE)["source"] == "ONDE"
    assert base_eleves.read(BASE_ELEVES)["source"] == "Base-Élèves"
    no_classe = [[f for i, f in enumerate(r) if i != 16] for r in rows()]  # « Libellé classe »
    with pytest.raises(UserError) as refused:
        base_eleves.plan(api.db, to_csv(no_classe))
    assert "l'extraction CSV d'ONDE" in str(refused.value)
    assert "Base-Élèves" not in str(refused.value)
    broken = ONDE + b'MARTIN;;"Paul;01/01/2005;M;4400000999Z\r\n'
    with pytest.raises(UserError) as refused:
        base_eleves.plan(api.db, broken)
    assert "l'extraction d'origine d'ONDE" in str(refused.value)


def test_one_ine_on_two_different_pupils_is_a_conflict_and_nobody_is_deactivated(api):
    """Issue 18: the second line was rejected as « identique à la ligne 2 » and the pupil it
    named was deactivated. Now both lines are a conflict naming both pupils, left untouched."""
    base_eleves.apply(api.db, ONDE)
    table = rows()
    first, second = table[1], table[2]
    second[5] = first[5]
    before = file_hash(api)
    plan = base_eleves.plan(api.db, to_csv(table))
    conflicts = [r for r in plan["rejets"] if r["raison"].startswith("conflit")]
    assert [r["ligne"] for r in conflicts] == [2, 3]
    for r in conflicts:
        assert f"{first[0]} {first[2]} (ligne 2)" in r["raison"]
        assert f"{second[0]} {second[2]} (ligne 3)" in r["raison"]
    assert plan["eleves"]["desactiver"] == [] and plan["eleves"]["modifier"] == []
    assert plan["eleves"]["ajouter"] == []
    result = base_eleves.apply(api.db, to_csv(table))
    assert result["changements"] == 0 and file_hash(api) == before
    assert all(p[-1] == 1 for p in pupils(api).values())
