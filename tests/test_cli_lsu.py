"""The LSU command line: ``ecole``, ``import-lsu``, ``export-lsu`` on a school made from the ONDE
fixture (the same procedure as tests/test_lsu.py, without a browser)."""

from __future__ import annotations

import json

import pytest
from lsu_helpers import LSU_XML, ONDE_CSV, bilans_of, onde_ids_kept

from cartable.__main__ import main
from cartable.accounts import passwords
from cartable.api import Api
from cartable.lsu import lsu_schema


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def school(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    db = tmp_path / "ecole.sqlite3"
    setup = {"nom": "École Jules Ferry", "directeur": {"nom": "Durand", "prenom": "Sophie",
                                                       "password": "Directrice-2026"}}
    assert run(capsys, "--db", db, "call", "app.setup", json.dumps(setup))[0] == 0
    assert run(capsys, "--db", db, "import-base-eleves", ONDE_CSV, "--yes")[0] == 0
    a = Api(str(db))
    assert onde_ids_kept(a) == 143
    a.close()
    return db


def test_ecole_import_lsu_export_lsu(school, tmp_path, capsys):
    code, out, err = run(capsys, "--db", school, "ecole", "--uai", "0441234C",
                         "--directeur-civilite", "MME", "--directeur-prenom", "Sophie")
    assert code == 0, err
    assert out.splitlines() == ["École : École Jules Ferry (UAI 0441234C)",
                                "Directeur ou directrice : Mme Sophie DURAND"]

    before = school.read_bytes()
    code, out, _ = run(capsys, "--db", school, "import-lsu", LSU_XML)
    assert code == 0 and school.read_bytes() == before
    assert "NICOLAS Jérôme (INE 4400069897A) : ajouté" in out
    assert "Relancez avec --yes" in out
    code, out, _ = run(capsys, "--db", school, "import-lsu", LSU_XML, "--yes")
    assert code == 0 and out.count(": ajouté") == 6
    assert "Bilans importés : 6 ajoutés" in out

    out_dir = tmp_path / "lsu"
    code, out, err = run(capsys, "--db", school, "export-lsu", out_dir,
                         "--classe", "CE2-CM1 Mme LUCAS")
    assert code == 0, err
    [written] = list(out_dir.iterdir())
    assert written.suffix == ".xml" and f"Fichier écrit : {written.name}" in out
    assert "Élèves non exportés (6) :" in out and "aucun bilan de fin de cycle enregistré" in out
    data = written.read_bytes()
    assert lsu_schema.errors(data) == []
    assert bilans_of(data) == bilans_of(LSU_XML.read_bytes())


def test_errors_are_french_and_change_nothing(school, tmp_path, capsys):
    before = school.read_bytes()
    code, _, err = run(capsys, "--db", school, "ecole", "--uai", "123")
    assert code == 1 and "UAI « 123 » n'est pas valide" in err
    code, _, err = run(capsys, "--db", school, "export-lsu", tmp_path / "out")
    assert code == 1 and "Export LSU impossible" in err and not (tmp_path / "out").exists()
    code, _, err = run(capsys, "--db", school, "export-lsu", tmp_path / "out", "--classe", "ZZZ")
    assert code == 1 and "Classe « ZZZ » introuvable" in err
    bad = tmp_path / "bad.xml"
    bad.write_bytes(LSU_XML.read_bytes().replace(b'positionnement="4"', b'positionnement="9"'))
    code, _, err = run(capsys, "--db", school, "import-lsu", bad, "--yes")
    assert code == 1 and "« 9 »" in err and "de 0 à 4 attendu" in err
    with pytest.raises(SystemExit):
        main(["--db", str(school), "ecole", "--directeur-civilite", "Mlle"])
    assert school.read_bytes() == before
