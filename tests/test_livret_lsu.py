"""Done when: the shared example of bilans périodiques imports into the ONDE school and the export
of period 1 carries the five bilans unchanged, valid against the schema — through the API and
through the command line (a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from helpers import call
from lsu_helpers import (
    FIXTURE_PERIODS,
    LIVRET_XML,
    LSU_XML,
    NS,
    ONDE_CSV,
    bilans_of,
    periodic_of,
)

from cartable.api import Api
from cartable.errors import UserError
from cartable.lsu import domaines, lsu_schema

PY = str(Path(__file__).resolve().parents[1] / "py")
DIRECTOR = {"login": "sop.durand", "password": "Directrice-2026"}


@pytest.fixture
def school(tmp_path):
    a = Api(str(tmp_path / "ecole.sqlite3"))
    call(a, "app.setup", {"nom": "École Jules Ferry", "uai": "0441234C", "directeur": {
        "nom": "Durand", "prenom": "Sophie", "civilite": "MME", "password": DIRECTOR["password"]}})
    a.d = call(a, "auth.login", DIRECTOR)["session"]
    call(a, "base_eleves.apply", {"data": ONDE_CSV.read_bytes(), "filename": "CSVExtraction.csv"},
         a.d)
    yield a
    a.close()


def set_periods(a):
    call(a, "periodes.set", {"periodes": [p.split(":") for p in FIXTURE_PERIODS]}, a.d)


def test_the_example_imports_and_exports_unchanged(school):
    set_periods(school)
    preview = call(school, "lsu.preview", {"data": LIVRET_XML.read_bytes()}, school.d)
    assert [(e["nom"], e["statut"], e["periode"]) for e in preview["eleves"]] == [
        ("MERCIER", "ajouté", "Trimestre 1 2025-2026"), ("LEGRAND", "ajouté", "Trimestre 1 2025-2026"),
        ("NICOLAS", "ajouté", "Trimestre 1 2025-2026"), ("LAURENT", "ajouté", "Trimestre 1 2025-2026"),
        ("GUÉRIN", "ajouté", "Trimestre 1 2025-2026")]
    assert school.db.execute("SELECT count(*) FROM bilan_periodique").fetchone()[0] == 0
    done = call(school, "lsu.import", {"data": LIVRET_XML.read_bytes()}, school.d)
    assert done["nb_importes"] == 5 and done["message"] == (
        "Bilans périodiques importés : 5 ajoutés, 0 remplacé ; 0 inchangé, 0 ignoré (élève "
        "inconnu de l'école).")
    out = call(school, "lsu.export", {"periode": 1, "millesime": "2025"}, school.d)
    assert out["filename"].startswith("LSU_bilans-periodiques_0441234C_2025-P1_")
    assert lsu_schema.errors(out["data"]) == []
    assert out["preflight"]["nb_exportables"] == 5
    assert periodic_of(out["data"]) == periodic_of(LIVRET_XML.read_bytes())
    order = [d.code for d in domaines.DOMAINES]
    for b in ET.fromstring(out["data"]).iter(f"{{{NS['l']}}}bilan-periodique"):
        codes = [a.get("code-domaine") for a in b.iter(f"{{{NS['l']}}}acquis")]
        assert codes == sorted(codes, key=order.index)  # acquis in the domaines' order
    # importing it again changes nothing: ours are as recent
    again = call(school, "lsu.import", {"data": out["data"]}, school.d)
    assert again["nb_importes"] == 0 and {e["statut"] for e in again["eleves"]} == {"inchangé"}


def test_an_unknown_period_is_refused(school):
    call(school, "periodes.set", {"periodes": [["2025-09-01", "2025-11-21"],
                                               ["2025-11-24", "2026-03-06"],
                                               ["2026-03-09", "2026-07-04"]]}, school.d)
    with pytest.raises(UserError, match="période 1 sur 3 de 2025-2026 \\(du 01/09/2025 au "
                                        "28/11/2025\\) du fichier n'est pas une période"):
        call(school, "lsu.preview", {"data": LIVRET_XML.read_bytes()}, school.d)


def _cli(*args, db):
    env = {**os.environ, "PYTHONPATH": PY}
    return subprocess.run([sys.executable, "-m", "cartable", "--db", str(db), *map(str, args)],
                          check=False, capture_output=True, text=True, env=env)


def test_the_same_through_the_command_line(tmp_path):
    db = tmp_path / "ecole.sqlite3"
    setup = {"nom": "École Jules Ferry", "directeur": {"nom": "Durand", "prenom": "Sophie",
                                                       "password": DIRECTOR["password"]}}
    for args in (("call", "app.setup", json.dumps(setup)),
                 ("import-base-eleves", ONDE_CSV, "--yes"),
                 ("ecole", "--uai", "0441234C", "--directeur-civilite", "MME"),
                 ("periodes", *FIXTURE_PERIODS)):
        r = _cli(*args, db=db)
        assert r.returncode == 0, r.stderr
    assert "Trimestre 1 : du 01/09/2025 au 28/11/2025" in r.stdout
    r = _cli("import-lsu", LIVRET_XML, "--yes", db=db)
    assert r.returncode == 0, r.stderr
    assert "NICOLAS Jérôme (INE 4400069897A), Trimestre 1 2025-2026 : ajouté" in r.stdout
    out_dir = tmp_path / "lsu"
    r = _cli("export-lsu", out_dir, "--periode", 1, "--millesime", 2025, db=db)
    assert r.returncode == 0, r.stderr
    [written] = list(out_dir.iterdir())
    assert written.suffix == ".xml" and f"Fichier écrit : {written.name}" in r.stdout
    assert "Fichier LSU prêt : 5 bilans périodiques (trimestre 1 2025-2026)." in r.stdout
    assert "Élèves non exportés (138) :" in r.stdout
    assert "aucun bilan enregistré pour cette période" in r.stdout
    data = written.read_bytes()
    assert lsu_schema.errors(data) == []
    assert periodic_of(data) == periodic_of(LIVRET_XML.read_bytes())


def test_one_file_carries_both_kinds_and_reads_back(school, tmp_path):
    set_periods(school)
    # the bilans de cycle example as this school's own file (an import checks the UAI)
    cycle_xml = LSU_XML.read_bytes().replace(b"<etablissement>0441234C<",
                                             b"<etablissement>0441234C<")
    call(school, "lsu.import", {"data": cycle_xml}, school.d)
    call(school, "lsu.import", {"data": LIVRET_XML.read_bytes()}, school.d)
    classes = call(school, "lsu.classes", {"periode": 1}, school.d)
    assert sum(c["nb_bilans"] for c in classes) == 5 and {c["niveau"] for c in classes} == {
        "CP", "CE1", "CE2", "CM1", "CM2"}
    out = call(school, "lsu.export", {"periode": 1, "bilans_cycle": True}, school.d)
    data = out["data"]
    assert lsu_schema.errors(data) == []
    assert periodic_of(data) == periodic_of(LIVRET_XML.read_bytes())
    assert bilans_of(data) == bilans_of(cycle_xml)
    ines = [e.get("ine") for e in ET.fromstring(data).iter(f"{{{NS['l']}}}eleve")]
    assert len(ines) == len(set(ines)) == 10  # NICOLAS Jérôme has both kinds, listed once
    assert "5 bilans périodiques (trimestre 1 2025-2026) et 6 bilans de fin de cycle 2" in out[
        "message"]
    assert out["preflight"]["bilans_cycle"]["nb_exportables"] == 6
    # another copy of the school reads both
    other = Api(str(tmp_path / "autre.sqlite3"))
    try:
        call(other, "app.setup", {"nom": "École", "uai": "0441234C", "directeur": {
            "nom": "Durand", "prenom": "Sophie", "password": DIRECTOR["password"]}})
        d = call(other, "auth.login", DIRECTOR)["session"]
        call(other, "base_eleves.apply", {"data": ONDE_CSV.read_bytes(),
                                          "filename": "CSVExtraction.csv"}, d)
        call(other, "periodes.set", {"periodes": [p.split(":") for p in FIXTURE_PERIODS]}, d)
        got = call(other, "lsu.import", {"data": data}, d)
        assert got["nb_importes"] == 11
        assert sorted(e["bilan"] for e in got["eleves"]) == ["fin de cycle 2"] * 6 + [
            "périodique"] * 5
    finally:
        other.close()


def test_a_pupil_outside_cp_cm2_is_ignored(school):
    set_periods(school)
    school.db.execute("UPDATE eleve SET classe_id = NULL, actif = 0 WHERE ine = '4400000000A'")
    got = call(school, "lsu.preview", {"data": LIVRET_XML.read_bytes()}, school.d)
    mael = next(e for e in got["eleves"] if e["ine"] == "4400000000A")
    assert mael["statut"] == "ignoré" and "aucune classe" in mael["raison"]


def test_command_line_refusals_are_french_and_write_nothing(school, tmp_path, capsys):
    from cartable.__main__ import main

    db = school.path  # the command line opens its own connection
    out = tmp_path / "out"
    assert main(["--db", db, "export-lsu", str(out), "--periode", "1"]) == 1
    assert "L'école n'a pas encore de périodes" in capsys.readouterr().err
    assert main(["--db", db, "export-lsu", str(out), "--bilans-cycle"]) == 1
    assert "--bilans-cycle va avec --periode N" in capsys.readouterr().err
    assert main(["--db", db, "export-lsu", str(out), "--millesime", "25"]) == 1
    assert "Millésime « 25 » invalide" in capsys.readouterr().err
    assert main(["--db", db, "periodes", *FIXTURE_PERIODS]) == 0
    assert main(["--db", db, "export-lsu", str(out), "--periode", "4"]) == 1
    assert "compte 3 périodes : il n'y a pas de période 4" in capsys.readouterr().err
    assert main(["--db", db, "export-lsu", str(out), "--periode", "1", "--millesime",
                 "2024"]) == 1
    assert "L'année scolaire 2024-2025 n'a pas de périodes" in capsys.readouterr().err
    assert main(["--db", db, "export-lsu", str(out), "--periode", "1"]) == 1
    captured = capsys.readouterr()
    assert "Aucun bilan périodique n'est complet" in captured.err
    assert "Élèves non exportés (143) :" in captured.out
    assert not out.exists()


def test_elements_and_positionnement_on_a_domaine_with_sous_domaines_are_kept(school):
    """LSU accepts the élément and the positionnement on the domaine itself (another
    application's file): imported and exported as they were."""
    set_periods(school)
    text = LIVRET_XML.read_text("utf-8").replace(
        '<acquis code-domaine="MAT-RAC">\n      <sous-domaines>\n       <sous-domaine '
        'code-domaine="MAT-NBC" element-programme-refs="EP9ec22d313250" positionnement="4"/>',
        '<acquis code-domaine="MAT-RAC" element-programme-refs="EP9ec22d313250" '
        'positionnement="2">\n      <sous-domaines>\n       <sous-domaine '
        'code-domaine="MAT-NBC" element-programme-refs="EP9ec22d313250" positionnement="4"/>', 1)
    assert 'code-domaine="MAT-RAC" element-programme-refs' in text
    call(school, "lsu.import", {"data": text.encode()}, school.d)
    out = call(school, "lsu.export", {"periode": 1}, school.d)
    assert lsu_schema.errors(out["data"]) == []
    assert periodic_of(out["data"]) == periodic_of(text.encode())


def test_an_incomplete_bilan_is_imported_and_stays_out_of_the_export(school):
    set_periods(school)
    text = LIVRET_XML.read_text("utf-8").replace(
        '     <acquis code-domaine="EPS-RAC" element-programme-refs="EPa6ca1b51b603" '
        'positionnement="3"/>\n     <acquis code-domaine="EMC-RAC">\n      <appreciation>Maël '
        'respecte les règles de vie de la classe.</appreciation>\n     </acquis>\n', "", 1)
    got = call(school, "lsu.import", {"data": text.encode()}, school.d)
    assert got["nb_importes"] == 5
    out = call(school, "lsu.export", {"periode": 1}, school.d)
    assert "4400000000A" not in periodic_of(out["data"]) and len(periodic_of(out["data"])) == 4
    mael = next(e for e in out["preflight"]["eleves"] if e["ine"] == "4400000000A")
    assert mael["problemes"] == [(
        "2 domaines complets sur les 3 exigés (un domaine est complet avec une appréciation, ou "
        "un positionnement et un élément de programme)")]


def test_periods_are_matched_by_value(school):
    """Another application may write indice="01": the same period for the schema and for us."""
    set_periods(school)
    text = LIVRET_XML.read_text("utf-8").replace('indice="1" nb-periodes="3"',
                                                 'indice="01" nb-periodes="03"', 1)
    got = call(school, "lsu.preview", {"data": text.encode()}, school.d)
    assert {e["statut"] for e in got["eleves"]} == {"ajouté"}


def test_the_bilans_de_cycle_beside_a_period_are_of_that_school_year_only(school):
    """LSU takes one school year per file (lsu/millesimes.py): the bilans de fin de cycle 2 of
    another year than the period's are left out of the combined file and listed."""
    set_periods(school)
    call(school, "lsu.import", {"data": LSU_XML.read_bytes()}, school.d)
    call(school, "lsu.import", {"data": LIVRET_XML.read_bytes()}, school.d)
    old = school.db.execute("SELECT e.ine FROM bilan_cycle b JOIN eleve e ON e.id = b.eleve_id "
                            "ORDER BY e.ine LIMIT 1").fetchone()[0]
    school.db.execute("UPDATE bilan_cycle SET millesime = '2024' WHERE eleve_id = "
                      "(SELECT id FROM eleve WHERE ine = ?)", (old,))
    school.db.commit()
    out = call(school, "lsu.export", {"periode": 1, "bilans_cycle": True}, school.d)
    assert lsu_schema.errors(out["data"]) == []
    got = bilans_of(out["data"])
    assert old not in got and len(got) == 5
    assert {b["millesime"] for b in got.values()} == {"2025"}
    assert "et 5 bilans de fin de cycle 2" in out["message"]
    left = next(e for e in out["preflight"]["bilans_cycle"]["eleves"] if e["ine"] == old)
    assert not left["exportable"] and any("2024-2025" in p for p in left["problemes"])
