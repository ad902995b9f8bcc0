"""The bilan de fin de cycle 2 and the LSU file: socle 2016, school identity, the positioning
grid, the LSU import (matched by INE) and export (pre-flight, XSD), through the API."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree as ET

import pytest
from helpers import call
from lsu_helpers import CE2, LSU_XML, NS, bilans_of, onde_ids_kept, onde_school

from cartable.accounts import passwords
from cartable.api import Api
from cartable.errors import PermissionDenied, UserError
from cartable.lsu import lsu_schema, socle2016

NOW = datetime.datetime(2026, 6, 20, 16, 5, 9)
DIRECTOR = {"login": "sop.durand", "password": "Directrice-2026"}
TEACHER = {"login": "cla.lucas", "password": "Maitresse-2026"}


@pytest.fixture(autouse=True)
def fixed(clock):
    clock.set(NOW)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The ONDE school (143 pupils, INE and class ids), a director and the CE2 teacher."""
    path = tmp_path_factory.mktemp("lsu") / "ecole.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords, "ITERATIONS", 1000)
        a = Api(str(path))
        d = onde_school(a, DIRECTOR, civilite=None)
        assert onde_ids_kept(a) == 143  # INE and class ids kept by the ONDE import
        prof = call(a, "professeurs.create", {"nom": "Lucas", "prenom": "Claire",
                                              "password": TEACHER["password"]}, d)
        ce2 = classe_id(a, d, CE2)
        call(a, "affectations.set", {"professeur_id": prof["id"], "classe_id": ce2,
                                     "affecte": True}, d)
        call(a, "affectations.set_principal", {"classe_id": ce2, "professeur_id": prof["id"]}, d)
        a.close()
    return path


def classe_id(a, session, nom):
    return next(c["id"] for c in call(a, "classes.list", {}, session) if c["nom"] == nom)


@pytest.fixture
def school(base, tmp_path):
    path = tmp_path / "ecole.sqlite3"
    path.write_bytes(base.read_bytes())
    a = Api(str(path))
    a.d = call(a, "auth.login", DIRECTOR)["session"]
    a.t = call(a, "auth.login", TEACHER)["session"]
    a.ce2 = classe_id(a, a.d, CE2)
    yield a
    a.close()


def identify(a):
    """What LSU needs and the fixtures do not give: the civilités."""
    call(a, "school.set_identity", {"directeur": {"civilite": "MME"}}, a.d)
    prof = call(a, "professeurs.list", {}, a.d)[0]
    call(a, "professeurs.update", {"id": prof["id"], "nom": prof["nom"], "prenom": prof["prenom"],
                                   "civilite": "Mme"}, a.d)


# -- socle 2016 -----------------------------------------------------------------------------


def test_socle_2016_has_the_8_composantes_in_lsu_order_and_the_positions():
    assert socle2016.CODES == ("CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT",
                               "SYS_NAT", "REP_MND")
    assert socle2016.BY_CODE["FRM_CIT"].nom == "La formation de la personne et du citoyen"
    data = socle2016.as_json()
    assert [(p["valeur"], p["nom"]) for p in data["positions"]] == [
        (1, "Maîtrise insuffisante"), (2, "Maîtrise fragile"), (3, "Maîtrise satisfaisante"),
        (4, "Très bonne maîtrise"), (0, "Dispensé")]
    assert data["synthese_max"] == 1500 and data["niveau"] == "CE2"
    seen, value = [], None
    for _ in range(6):
        value = socle2016.next_position(value)
        seen.append(value)
    assert seen == [1, 2, 3, 4, 0, None]


# -- identity ---------------------------------------------------------------------------------


def test_school_identity_sets_uai_and_the_directors_civilite_and_names(school):
    got = call(school, "school.set_identity", {"uai": "0441234c", "directeur": {
        "civilite": "Mme", "nom": "Durand-Petit", "prenom": "Sophie"}}, school.d)
    assert got["uai"] == "0441234C" and got["nom"] == "École Jules Ferry"
    assert {k: got["directeur"][k] for k in ("civilite", "nom", "prenom")} == {
        "civilite": "MME", "nom": "DURAND-PETIT", "prenom": "Sophie"}
    assert call(school, "school.identity", {}, school.d) == got
    with pytest.raises(UserError, match="« M » \\(Monsieur\\) ou « MME »"):
        call(school, "school.set_identity", {"directeur": {"civilite": "Mlle"}}, school.d)
    with pytest.raises(UserError, match="UAI « 12 » n'est pas valide"):
        call(school, "school.set_identity", {"uai": "12", "directeur": {"civilite": "M"}},
             school.d)
    assert call(school, "school.identity", {}, school.d) == got  # nothing half-written
    with pytest.raises(PermissionDenied):
        call(school, "school.set_identity", {"uai": "0441234C"}, school.t)


def test_teachers_civilite_in_their_accounts(school):
    new = call(school, "professeurs.create", {"nom": "Petit", "prenom": "Marc",
                                              "civilite": "M"}, school.d)
    listed = {p["id"]: p for p in call(school, "professeurs.list", {}, school.d)}
    assert listed[new["id"]]["civilite"] == "M"
    kept = call(school, "professeurs.update", {"id": new["id"], "nom": "Petit",
                                               "prenom": "Marc"}, school.d)
    assert kept["civilite"] == "M"  # absent: kept
    cleared = call(school, "professeurs.update", {"id": new["id"], "nom": "Petit",
                                                  "prenom": "Marc", "civilite": ""}, school.d)
    assert cleared["civilite"] == ""
    with pytest.raises(UserError, match="civilité du professeur"):
        call(school, "professeurs.create", {"nom": "A", "prenom": "B", "civilite": "Dr"},
             school.d)


# -- the grid ---------------------------------------------------------------------------------


def test_grid_cells_cycle_arrows_set_a_pupil_or_a_composante(school):
    grid = call(school, "bilan.grid", {"classe_id": school.ce2}, school.t)
    assert len(grid["eleves"]) == 12 and grid["cells"] == {} and grid["dirty"] == 0
    assert [c["code"] for c in grid["socle"]["composantes"]] == list(socle2016.CODES)
    e1, e2 = grid["eleves"][0]["id"], grid["eleves"][1]["id"]
    clicks = [call(school, "bilan.click", {"target": {"kind": "cell", "eleve_id": e1,
                                                      "code": "CPD_FRA"}}, school.t)
              for _ in range(6)]
    assert [c["cells"][f"{e1}:CPD_FRA"] for c in clicks] == [1, 2, 3, 4, 0, None]
    first = call(school, "bilan.click", {"target": {"kind": "composante", "code": "MET_APP"}},
                 school.t)
    assert set(first["cells"].values()) == {1} and len(first["cells"]) == 12
    assert first["arrows"] == {"composante:MET_APP": 2}
    again = call(school, "bilan.click", {"target": {"kind": "composante", "code": "MET_APP"}},
                 school.t)
    assert set(again["cells"].values()) == {2}
    row = call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e2}}, school.t)
    assert row["cells"] == {f"{e2}:{c}": 1 for c in socle2016.CODES}  # MET_APP was 2
    assert row["etat"][str(e2)] == {"positionnes": 8, "complet": False, "modifie": True}
    with pytest.raises(UserError, match="pas dans le tableau"):
        call(school, "bilan.click", {"target": {"kind": "cell", "eleve_id": e1, "code": "XXX"}},
             school.t)


def test_synthese_limit_and_save_with_date_and_author(school):
    grid = call(school, "bilan.grid", {"classe_id": school.ce2}, school.t)
    e = grid["eleves"][0]["id"]
    call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e}}, school.t)
    with pytest.raises(UserError, match="1501 caractères : LSU en accepte au plus 1500"):
        call(school, "bilan.synthese", {"eleve_id": e, "texte": "a" * 1501}, school.t)
    reply = call(school, "bilan.synthese", {"eleve_id": e, "texte": " Très bien.\n\nBravo ! "},
                 school.t)
    assert reply["longueur"] == len("Très bien. Bravo !") and reply["etat"]["complet"]
    saved = call(school, "bilan.save", {}, school.t)
    assert saved["enregistres"] == 1 and saved["message"] == "Bilans enregistrés : 1 élève."
    row = school.db.execute("SELECT * FROM bilan_cycle WHERE eleve_id = ?", (e,)).fetchone()
    assert (row["millesime"], row["synthese"], row["date_creation"], row["date_verrou"],
            row["origine"]) == ("2025", "Très bien. Bravo !", "2026-06-20",
                                "2026-06-20T16:05:09", "saisie")
    author = school.db.execute("SELECT nom, prenom FROM bilan_auteur WHERE eleve_id = ?",
                               (e,)).fetchall()
    assert [tuple(a) for a in author] == [("LUCAS", "Claire")]
    assert saved["grid"]["bilans"][str(e)]["auteurs"] == "Claire LUCAS"
    assert call(school, "bilan.progress", {}, school.t)["classes"] == [
        {"id": school.ce2, "nom": CE2, "nb_eleves": 12, "nb_commences": 1, "nb_complets": 1}]
    # Clearing everything removes the bilan.
    call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e}}, school.t)
    for _ in range(4):  # the arrow goes 2, 3, 4, 0, then None
        call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e}}, school.t)
    call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e}}, school.t)
    call(school, "bilan.synthese", {"eleve_id": e, "texte": ""}, school.t)
    assert call(school, "bilan.save", {}, school.t)["effaces"] == 1
    assert school.db.execute("SELECT count(*) FROM bilan_position").fetchone()[0] == 0


def test_grid_only_for_ce2_classes_and_their_teachers(school):
    cm1 = classe_id(school, school.d, "[CM1] CE2-CM1 Mme LUCAS")
    with pytest.raises(UserError, match="classes de CE2"):
        call(school, "bilan.grid", {"classe_id": cm1}, school.d)
    other = call(school, "professeurs.create", {"nom": "Autre", "prenom": "Prof",
                                                "password": "Autre-prof-1"}, school.d)
    o = call(school, "auth.login", {"login": other["login"], "password": "Autre-prof-1"})
    with pytest.raises(PermissionDenied):
        call(school, "bilan.grid", {"classe_id": school.ce2}, o["session"])
    assert call(school, "bilan.choices", {}, o["session"])["classes"] == []
    assert [c["id"] for c in call(school, "bilan.choices", {}, school.t)["classes"]] == [
        school.ce2]


# -- import -----------------------------------------------------------------------------------


def test_import_of_the_example_matches_by_ine_and_keeps_newer_bilans(school):
    data = LSU_XML.read_bytes()
    preview = call(school, "lsu.preview", {"data": data}, school.d)
    assert school.db.execute("SELECT count(*) FROM bilan_cycle").fetchone()[0] == 0
    assert [e["statut"] for e in preview["eleves"]] == ["ajouté"] * 6
    done = call(school, "lsu.import", {"data": data}, school.d)
    assert done["nb_importes"] == 6 and all(e["classe"] == CE2 for e in done["eleves"])
    again = call(school, "lsu.import", {"data": data}, school.d)
    assert [e["statut"] for e in again["eleves"]] == ["inchangé"] * 6
    newer = data.replace(b'date-creation="2026-06-12"', b'date-creation="2026-06-15"', 1)
    newer = newer.replace(b'positionnement="3"', b'positionnement="1"', 1)
    statuses = [e["statut"] for e in call(school, "lsu.import", {"data": newer}, school.d)["eleves"]]
    assert statuses == ["remplacé"] + ["inchangé"] * 5
    older = data.replace(b'date-creation="2026-06-12"', b'date-creation="2026-06-01"')
    assert {e["statut"] for e in call(school, "lsu.import", {"data": older},
                                      school.d)["eleves"]} == {"inchangé"}
    pos = school.db.execute("SELECT b.position FROM bilan_position b JOIN eleve e ON "
                            "e.id = b.eleve_id WHERE e.ine = '4400069897A' AND "
                            "b.composante = 'CPD_FRA'").fetchone()[0]
    assert pos == 1


def test_unknown_pupils_are_ignored_and_listed(school):
    data = LSU_XML.read_bytes().replace(b"4400074962F", b"9999999999Z")
    result = call(school, "lsu.import", {"data": data}, school.d)
    ignored = [e for e in result["eleves"] if e["statut"] == "ignoré"]
    assert [(e["nom"], e["ine"]) for e in ignored] == [("MULLER", "9999999999Z")]
    assert "aucun élève de l'école n'a cet INE" in ignored[0]["raison"]
    assert result["nb_importes"] == 5 and "1 ignoré" in result["message"]


# -- export -----------------------------------------------------------------------------------


def test_export_after_import_is_schema_valid_and_carries_the_six_bilans_unchanged(school):
    call(school, "lsu.import", {"data": LSU_XML.read_bytes()}, school.d)
    identify(school)
    result = call(school, "lsu.export", {}, school.d)
    assert result["filename"] == "LSU_bilans-cycle2_0441234C_2026-06-20_16-05-09.xml"
    assert lsu_schema.errors(result["data"]) == []
    assert bilans_of(result["data"]) == bilans_of(LSU_XML.read_bytes())
    root = ET.fromstring(result["data"])
    assert root.find("l:entete/l:etablissement", NS).text == "0441234C"
    assert root.find("l:entete/l:editeur", NS).text == "Cartable"
    [classe] = root.iterfind("l:donnees/l:classes/l:classe", NS)
    assert classe.get("id-be") == "45121" and classe.get("libelle") == "CE2-CM1 Mme LUCAS"
    [d] = root.iterfind("l:donnees/l:directeurs/l:directeur", NS)
    assert (d.get("civilite"), d.get("nom"), d.get("prenom")) == ("MME", "DURAND", "Sophie")
    # The six other CE2 pupils have no bilan: listed, not exported.
    left = [e for e in result["preflight"]["eleves"] if not e["exportable"]]
    assert len(left) == 6 and all(e["problemes"] == ["aucun bilan de fin de cycle enregistré"]
                                  for e in left)
    assert result["message"] == ("Fichier LSU prêt : 6 bilans de fin de cycle 2 de l'année 2025-2026. 6 élèves non "
                                 "exportés : voir la liste.")


def test_export_of_bilans_saved_in_the_grid_names_the_teacher(school):
    identify(school)
    grid = call(school, "bilan.grid", {"classe_id": school.ce2}, school.t)
    e = grid["eleves"][0]
    for _ in range(3):
        call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e["id"]}}, school.t)
    call(school, "bilan.synthese", {"eleve_id": e["id"], "texte": "Élève <appliqué> & curieux"},
         school.t)
    call(school, "bilan.save", {}, school.t)
    result = call(school, "lsu.export", {"classes": ["CE2-CM1 Mme LUCAS"]}, school.d)
    [got] = bilans_of(result["data"]).values()
    assert got["socle"] == [(c, "3") for c in socle2016.CODES]
    assert got["synthese"] == "Élève <appliqué> & curieux"
    assert got["auteurs"] == [("MME", "LUCAS", "Claire")]
    assert (got["millesime"], got["date-creation"]) == ("2025", "2026-06-20")


def test_preflight_lists_what_lsu_would_refuse(school):
    call(school, "lsu.import", {"data": LSU_XML.read_bytes()}, school.d)
    ids = dict(school.db.execute("SELECT ine, id FROM eleve WHERE ine <> ''").fetchall())
    with school.db:
        school.db.execute("UPDATE eleve SET ine = '' WHERE id = ?", (ids["4400069897A"],))
        school.db.execute("DELETE FROM bilan_position WHERE eleve_id = ? AND composante IN "
                          "('CPD_ETR', 'REP_MND')", (ids["4400070910B"],))
        school.db.execute("UPDATE bilan_cycle SET synthese = ' ' WHERE eleve_id = ?",
                          (ids["4400071923C"],))
    report = call(school, "lsu.preflight", {}, school.d)
    assert report["ecole"] == [("La civilité du directeur ou de la directrice n'est pas "
                               "indiquée : indiquez-la dans Réglages.")]
    problems = {e["nom"]: e["problemes"] for e in report["eleves"]}
    assert problems["NICOLAS"] == ["pas d'INE (importez l'extraction ONDE des élèves)"]
    assert problems["THOMAS"] == [("composantes non positionnées : Langue étrangère ou "
                                  "régionale, Représentations du monde")]
    assert problems["BENOÎT-LÉGER"] == ["synthèse vide"]
    assert problems["DURAND"] == []
    with pytest.raises(UserError, match="Export LSU impossible : La civilité du directeur"):
        call(school, "lsu.export", {}, school.d)
    call(school, "school.set_identity", {"directeur": {"civilite": "MME"}, "uai": ""}, school.d)
    with pytest.raises(UserError, match="pas de numéro UAI"):
        call(school, "lsu.export", {}, school.d)
    call(school, "school.set_identity", {"uai": "0441234C"}, school.d)
    with school.db:
        school.db.execute("UPDATE classe SET id_onde = NULL WHERE id = ?", (school.ce2,))
    report = call(school, "lsu.preflight", {}, school.d)
    assert report["nb_exportables"] == 0
    assert all("la classe [CE2] CE2-CM1 Mme LUCAS n'a pas d'identifiant ONDE" in " ".join(
        e["problemes"]) for e in report["eleves"])
    with pytest.raises(UserError, match="rien à exporter"):
        call(school, "lsu.export", {}, school.d)


def test_a_teacher_without_civilite_keeps_the_pupil_out(school):
    call(school, "school.set_identity", {"directeur": {"civilite": "MME"}}, school.d)
    grid = call(school, "bilan.grid", {"classe_id": school.ce2}, school.t)
    e = grid["eleves"][0]["id"]
    call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e}}, school.t)
    call(school, "bilan.synthese", {"eleve_id": e, "texte": "Bien."}, school.t)
    call(school, "bilan.save", {}, school.t)
    report = call(school, "lsu.preflight", {"classe_ids": [school.ce2]}, school.d)
    mine = next(x for x in report["eleves"] if x["id"] == e)
    assert mine["problemes"] == [("la civilité de Claire LUCAS n'est pas indiquée (Professeurs "
                                 "ou Réglages)")]
    identify(school)  # corrected afterwards in the account: the bilan follows
    report = call(school, "lsu.preflight", {"classe_ids": [school.ce2]}, school.d)
    assert next(x for x in report["eleves"] if x["id"] == e)["exportable"]


def test_lsu_import_is_the_directors_and_the_export_the_teachers_own(school):
    for name in ("lsu.preview", "lsu.import"):
        with pytest.raises(PermissionDenied, match="réservée au directeur"):
            call(school, name, {"data": b""}, school.t)
    # the export: a teacher's own classes only (tests/test_lsu_teacher.py)
    assert [c["id"] for c in call(school, "lsu.classes", {}, school.t)] == [school.ce2]
    others = [c["id"] for c in call(school, "classes.list", {}, school.d)
              if c["id"] != school.ce2]
    assert others
    for name in ("lsu.preflight", "lsu.export"):
        for other in others:
            with pytest.raises(PermissionDenied, match="que les bilans de vos classes"):
                call(school, name, {"classe_ids": [other]}, school.t)


def test_printable_bilan_gives_positions_in_words(school):
    call(school, "lsu.import", {"data": LSU_XML.read_bytes()}, school.d)
    page = call(school, "bilan.print", {"classe_id": school.ce2}, school.t)
    assert page["ecole"] == {"nom": "École Jules Ferry", "uai": "0441234C"}
    jules = next(e for e in page["eleves"] if e["prenom"] == "Jules")
    assert [(c["code"], c["position_nom"]) for c in jules["composantes"]][:3] == [
        ("CPD_FRA", "Maîtrise fragile"), ("CPD_ETR", "Dispensé"),
        ("CPD_SCI", "Très bonne maîtrise")]
    assert jules["synthese"].startswith("Jules termine le cycle 2") and jules["complet"]
    assert jules["auteurs"] == "Mme Claire LUCAS"


def test_save_is_refused_when_a_pupil_left_the_class_meanwhile(school):
    grid = call(school, "bilan.grid", {"classe_id": school.ce2}, school.t)
    e = grid["eleves"][0]["id"]
    call(school, "bilan.click", {"target": {"kind": "eleve", "eleve_id": e}}, school.t)
    with school.db:
        school.db.execute("UPDATE eleve SET actif = 0 WHERE id = ?", (e,))
    with pytest.raises(UserError, match="a changé de classe ou quitté l'école"):
        call(school, "bilan.save", {}, school.t)
    assert school.db.execute("SELECT count(*) FROM bilan_cycle").fetchone()[0] == 0


def test_import_report_says_why_a_bilan_is_kept(school):
    call(school, "lsu.import", {"data": LSU_XML.read_bytes()}, school.d)
    again = call(school, "lsu.preview", {"data": LSU_XML.read_bytes()}, school.d)
    assert again["eleves"][0]["raison"] == ("le bilan de l'école (du 12/06/2026) est aussi récent "
                                            "ou plus récent")
    assert again["nb_importes"] == 0


def test_a_bilan_save_keeps_what_a_colleague_saved_meanwhile(school):
    """The teacher's and the director's drafts of the same CE2 class: each save writes only the
    cells and the synthèse its draft changed, on top of the database as it is then."""
    grid = call(school, "bilan.grid", {"classe_id": school.ce2}, school.t)
    e = grid["eleves"][0]["id"]
    call(school, "bilan.grid", {"classe_id": school.ce2}, school.d)
    call(school, "bilan.click", {"target": {"kind": "cell", "eleve_id": e, "code": "CPD_FRA"}},
         school.d)
    call(school, "bilan.synthese", {"eleve_id": e, "texte": "Écrit par la directrice."},
         school.d)
    call(school, "bilan.save", {}, school.d)
    call(school, "bilan.click", {"target": {"kind": "cell", "eleve_id": e, "code": "MET_APP"}},
         school.t)
    saved = call(school, "bilan.save", {}, school.t)
    assert saved["message"] == "Bilans enregistrés : 1 élève."
    row = school.db.execute("SELECT synthese FROM bilan_cycle WHERE eleve_id = ?",
                            (e,)).fetchone()
    assert row["synthese"] == "Écrit par la directrice."  # not erased by the teacher's save
    assert saved["grid"]["cells"][f"{e}:CPD_FRA"] == 1
    assert saved["grid"]["cells"][f"{e}:MET_APP"] == 1
    # The teacher clears both cells: the bilan keeps the synthèse; then the director clears it.
    for code in ("CPD_FRA", "MET_APP"):
        for _ in range(5):  # 1 -> 2 -> 3 -> 4 -> non évalué -> empty
            cell = call(school, "bilan.click", {"target": {"kind": "cell", "eleve_id": e,
                                                           "code": code}}, school.t)
        assert cell["cells"] == {f"{e}:{code}": None}
    call(school, "bilan.save", {}, school.t)
    call(school, "bilan.grid", {"classe_id": school.ce2}, school.d)
    call(school, "bilan.synthese", {"eleve_id": e, "texte": ""}, school.d)
    cleared = call(school, "bilan.save", {}, school.d)
    assert cleared["message"] == "Bilan effacé : 1 élève."
    assert school.db.execute("SELECT count(*) FROM bilan_cycle WHERE eleve_id = ?",
                             (e,)).fetchone()[0] == 0


def test_saved_messages_count_in_french():
    from cartable.text import saved_message

    assert saved_message("Bilan", 3, 1) == "Bilans enregistrés : 3 élèves, 1 effacé."
    assert saved_message("Livret", 1, 0) == "Livrets enregistrés : 1 élève."
    assert saved_message("Bilan", 0, 1) == "Bilan effacé : 1 élève."
    assert saved_message("Livret", 0, 2) == "Livrets effacés : 2 élèves."
    assert saved_message("Bilan", 0, 0) == "Aucun changement à enregistrer."


def test_pupils_without_an_ine_are_refused_as_such(school):
    """Bad input tried: two pupils of the file with an empty INE (refused as « figure deux
    fois » before, which pointed at the wrong problem); the school file is unchanged."""
    data = LSU_XML.read_bytes()
    first_ine = data.split(b'ine="', 2)[1].split(b'"', 1)[0]
    second_ine = data.split(b'ine="', 3)[2].split(b'"', 1)[0]
    bad = data.replace(b'ine="' + first_ine + b'"', b'ine=""').replace(
        b'ine="' + second_ine + b'"', b'ine=""')
    before = school.db.execute("SELECT count(*) FROM bilan_cycle").fetchone()[0]
    with pytest.raises(UserError, match="n'a pas d'INE : LSU rattache chaque bilan"):
        call(school, "lsu.preview", {"data": bad}, school.d)
    assert school.db.execute("SELECT count(*) FROM bilan_cycle").fetchone()[0] == before
