"""The LSU command line: ``ecole``, ``import-lsu``, ``export-lsu`` on a school made from the ONDE
fixture (the same procedure as tests/test_lsu.py, without a browser)."""

from __future__ import annotations

import datetime
import json

import pytest
from lsu_helpers import LSU_XML, ONDE_CSV, bilans_of, newer_year, onde_ids_kept, uai_of

from cartable.__main__ import main
from cartable.accounts import passwords
from cartable.api import Api
from cartable.lsu import bilan, lsu_schema


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


def test_an_export_after_bilans_of_two_millesimes_carries_only_the_most_recent(
        school, tmp_path, capsys):
    """Issue 17, point 10: bilans of another millésime are named at import, before anything is
    written; an export writes one millésime (the most recent, or --millesime) and lists the
    pupils it left out."""
    xml = LSU_XML.read_bytes()
    uai = uai_of(xml)
    assert run(capsys, "--db", school, "ecole", "--uai", uai, "--directeur-civilite",
               "MME")[0] == 0
    current = bilan.millesime(datetime.date.today())
    before = school.read_bytes()
    code, out, _ = run(capsys, "--db", school, "import-lsu", LSU_XML)
    assert code == 0 and school.read_bytes() == before
    if current != "2025":  # the fixture's bilans are of 2025-2026
        assert (f"6 bilans du fichier sont d'une autre année scolaire que "
                f"{int(current)}-{int(current) + 1} : 2025-2026 (6 bilans)") in out
    assert run(capsys, "--db", school, "import-lsu", LSU_XML, "--yes")[0] == 0
    ines = sorted(bilans_of(xml))
    newer = tmp_path / "bilans-2026.xml"
    newer.write_bytes(newer_year(xml, ines[:3]))
    code, out, _ = run(capsys, "--db", school, "import-lsu", newer, "--yes")
    assert code == 0 and out.count(": remplacé") == 3, out

    out_dir = tmp_path / "lsu"
    code, out, err = run(capsys, "--db", school, "export-lsu", out_dir)
    assert code == 0, err
    [written] = list(out_dir.iterdir())
    exported = bilans_of(written.read_bytes())
    assert sorted(exported) == ines[:3]
    assert {b["millesime"] for b in exported.values()} == {"2026"}
    assert lsu_schema.errors(written.read_bytes()) == []
    assert "3 bilans de fin de cycle 2 de l'année 2026-2027" in out
    assert out.count("bilan de l'année 2025-2026 : le fichier est celui de 2026-2027") == 3
    assert "(s)" not in out.split("Élèves non exportés")[1]

    # --millesime 2025: the other three, and the 2026 ones left out.
    older = tmp_path / "lsu-2025"
    code, out, err = run(capsys, "--db", school, "export-lsu", older, "--millesime", "2025")
    assert code == 0, err
    [written] = list(older.iterdir())
    assert sorted(bilans_of(written.read_bytes())) == ines[3:]
    assert {b["millesime"] for b in bilans_of(written.read_bytes()).values()} == {"2025"}
    assert out.count("bilan de l'année 2026-2027 : le fichier est celui de 2025-2026") == 3
    code, _, err = run(capsys, "--db", school, "export-lsu", tmp_path / "x", "--millesime", "2019")
    assert code == 1 and "Aucun bilan complet de l'année 2019-2020" in err
    assert "2026-2027 (3 bilans), 2025-2026 (3 bilans)" in err
    assert not (tmp_path / "x").exists()
