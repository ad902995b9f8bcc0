"""The command line (``python -m cartable``), called through ``main(argv)``: the seed procedure
from the CSV to the SACoche ZIP, and the errors (exit status 1 refused, 2 bad command line)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cartable import api
from cartable.__main__ import main

HERE = Path(__file__).parent
CSV = HERE / "fixtures/base_eleves/CSVExtraction.csv"
SACOCHE_ZIP = HERE / "fixtures/sacoche/import-sacoche_0_2012-06-15_10-30-00_1804289383.zip"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


SETUP = json.dumps({"nom": "École Jules Ferry", "directeur": {
    "nom": "Dupuis", "prenom": "Marc", "password": "Cartable-2024!"}})


def create_school(path) -> None:
    """The school and its director, as the command line makes them (``call app.setup``)."""
    assert main(["--db", str(path), "call", "app.setup", SETUP]) == 0


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A school made from the Base-Élèves CSV, with the reference SACoche file imported."""
    path = tmp_path_factory.mktemp("seed") / "ecole.sqlite3"
    create_school(path)
    assert main(["--db", str(path), "import-base-eleves", str(CSV), "--yes"]) == 0
    assert main(["--db", str(path), "import-sacoche", str(SACOCHE_ZIP), "--yes"]) == 0
    return path


@pytest.fixture
def school(seeded, tmp_path) -> Path:
    copy = tmp_path / "ecole.sqlite3"
    copy.write_bytes(seeded.read_bytes())
    return copy


def reference_xml() -> bytes:
    with zipfile.ZipFile(SACOCHE_ZIP) as zf:
        return zf.read("import_validations.xml")


# -- import-base-eleves -------------------------------------------------------------------


def test_import_base_eleves_dry_run_changes_nothing(tmp_path, capsys):
    db = tmp_path / "ecole.sqlite3"
    create_school(db)
    before = sha(db)
    capsys.readouterr()
    code, out, err = run(capsys, "--db", db, "import-base-eleves", CSV)
    assert code == 0 and err == ""
    assert "143 élèves trouvés, 9 classes trouvées" in out
    assert "+ [CE2] CE2-CM1 Mme LUCAS [CE2, réf. CE2-CE2CM1MMELUCAS] : ajouter, 12 élèves" in out
    assert "Élèves : 143 à ajouter, 0 à modifier, 0 à désactiver" in out
    assert "Relancez avec --yes" in out
    assert sha(db) == before


def test_import_base_eleves_needs_the_school(tmp_path, capsys):
    """The command line makes no school of its own: it says how to create one."""
    db = tmp_path / "ecole.sqlite3"
    for argv in (["import-base-eleves", CSV], ["import-base-eleves", CSV, "--yes"]):
        code, out, err = run(capsys, "--db", db, *argv)
        assert code == 1 and out == ""
        assert f"Le fichier d'école « {db} » n'existe pas" in err and "nouvelle-ecole" in err
    assert not db.exists()


def test_import_base_eleves_into_a_new_school(tmp_path, capsys):
    db = tmp_path / "ecole.sqlite3"
    create_school(db)
    code, out, _ = run(capsys, "--db", db, "import-base-eleves", CSV, "--yes")
    assert code == 0
    assert "143 élèves ajoutés" in out
    a = api.Api(str(db))
    try:
        s = a.director_session()
        status = api.run(a.handle("app.status", {}, s))
        assert status["school"]["nom"] == "École Jules Ferry" and not status["needs_setup"]
        classes = api.run(a.handle("classes.list", {}, s))
        assert len(classes) == 9 and sum(c["nb_eleves"] for c in classes) == 143
        assert [p["id"] for p in api.run(a.handle("paliers.list", {}, s)) if p["actif"]] == [2]
    finally:
        a.close()
    # the same file again: nothing changes, not a byte
    before = sha(db)
    code, out, _ = run(capsys, "--db", db, "import-base-eleves", CSV, "--yes")
    assert code == 0 and "0 à ajouter" in out and "143 inchangés" in out
    assert sha(db) == before


def test_import_base_eleves_utf16_copy_gives_the_same_143_pupils(tmp_path, capsys):
    """Excel's « Texte Unicode » (UTF-16 with a BOM, tab separated) of the extraction, and a
    UTF-16 copy keeping its `;`: the same 143 pupils in the same 9 classes."""
    text = CSV.read_bytes().decode("cp1252")
    copies = {"tabs.txt": text.replace('"', "").replace(";", "\t").encode("utf-16"),
              "points-virgules.csv": text.encode("utf-16")}
    reference = tmp_path / "reference.sqlite3"
    create_school(reference)
    assert main(["--db", str(reference), "import-base-eleves", str(CSV), "--yes"]) == 0
    expected = _pupils(reference)
    assert len(expected) == 143
    for name, data in copies.items():
        assert data[:2] == b"\xff\xfe"
        path = tmp_path / name
        path.write_bytes(data)
        db = tmp_path / f"{name}.sqlite3"
        create_school(db)
        code, out, err = run(capsys, "--db", db, "import-base-eleves", path, "--yes")
        assert code == 0, err
        assert "143 élèves trouvés, 9 classes trouvées" in out
        assert _pupils(db) == expected
    # The ONDE extraction afterwards: the same pupils found by name, their INE added.
    code, out, _ = run(capsys, "--db", reference, "import-base-eleves",
                       HERE / "fixtures/onde/CSVExtraction.csv")
    assert code == 0 and "143 à modifier" in out
    assert "143 élèves retrouvés par le nom et le prénom" in out
    assert "À modifier : 143 INE ajoutés." in out and "(s)" not in out


def _pupils(db) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT e.nom, e.prenom, e.date_naissance, e.sexe, c.nom, c.ref FROM eleve e "
            "JOIN classe c ON c.id = e.classe_id ORDER BY e.nom, e.prenom").fetchall()
    finally:
        conn.close()


def test_import_base_eleves_bad_csv_changes_nothing(tmp_path, capsys):
    db = tmp_path / "ecole.sqlite3"
    create_school(db)
    before = sha(db)
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, _, err = run(capsys, "--db", db, "import-base-eleves", png, "--yes")
    assert code == 1 and err.startswith("Erreur : ") and "pas un fichier texte lisible" in err
    code, _, err = run(capsys, "--db", db, "import-base-eleves", tmp_path / "absent.csv")
    assert code == 1 and "Impossible de lire" in err
    assert sha(db) == before


def test_import_base_eleves_newer_extraction(school, tmp_path, capsys):
    """A pupil left, one moved class, one bad line; palier 2 had been switched off (the
    import leaves the paliers as they are)."""
    assert main(["--db", str(school), "call", "paliers.set", '{"actifs": [1]}']) == 0
    lines = CSV.read_bytes().decode("cp1252").splitlines()
    mercier = lines[1]  # MERCIER Maël, CP A
    moved = mercier.replace('"CP";"CP A"', '"CE1";"CE1 B"')
    bad = mercier.replace('"MERCIER"', '""')
    newer = "\r\n".join([lines[0], moved, bad] + lines[3:]) + "\r\n"  # LEGRAND Léa left
    path = tmp_path / "CSVExtraction.csv"
    path.write_bytes(newer.encode("cp1252"))
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", school, "import-base-eleves", path)
    assert code == 0
    assert "Lignes rejetées (1) :\n  ligne 3 : " in out
    assert "À modifier :\n  MERCIER Maël (" in out
    assert "À désactiver :\n  LEGRAND Léa (" in out
    code, out, _ = run(capsys, "--db", school, "import-base-eleves", path, "--yes")
    assert code == 0 and "1 modifié, 1 désactivé" in out
    code, out, _ = run(capsys, "--db", school, "call", "paliers.list", "--json")
    assert [p["id"] for p in json.loads(out) if p["actif"]] == [1]


def test_not_a_school_file(tmp_path, capsys):
    db = tmp_path / "notes.txt"
    db.write_text("bonjour")
    for argv in (["import-base-eleves", CSV, "--yes"], ["export-sacoche", tmp_path]):
        code, _, err = run(capsys, "--db", db, *argv)
        assert code == 1 and "n'est pas un fichier d'école Cartable" in err
    assert db.read_text() == "bonjour"


# -- SACoche ------------------------------------------------------------------------------


def test_seed_procedure_exports_the_reference_file(school, tmp_path, capsys):
    """CSV → SACoche import → export of the CM2 pupils gives the reference XML, byte for byte."""
    out_dir = tmp_path / "sortie"
    code, out, err = run(capsys, "--db", school, "export-sacoche", out_dir, "--niveau", "CM2")
    assert code == 0 and err == ""
    assert ("Fichier d'export généré : 103 validations de compétences et 3921 validations "
            "d'items concernant 42 élèves.") in out
    assert "42 élèves n'ont pas d'identifiant Sconet" in out
    (written,) = out_dir.iterdir()
    assert written.name.startswith("import-sacoche_0_") and written.suffix == ".zip"
    assert f"Fichier écrit : {written}" in out
    with zipfile.ZipFile(written) as zf:
        assert zf.read("import_validations.xml") == reference_xml()
    # whole school: the same 42 pupils (only they have decisions)
    code, out, _ = run(capsys, "--db", school, "export-sacoche", tmp_path / "tout")
    assert code == 0 and "concernant 42 élèves" in out


def test_export_by_class_name_or_ref(school, tmp_path, capsys):
    code, out, _ = run(capsys, "--db", school, "export-sacoche", tmp_path,
                       "--classe", "cm2 b", "--classe", "CM2-CM1CM2")
    assert code == 0 and "concernant 42 élèves" in out
    code, out, _ = run(capsys, "--db", school, "export-sacoche", tmp_path, "--classe", "CM2 B")
    assert code == 0 and "concernant 26 élèves" in out
    code, _, err = run(capsys, "--db", school, "export-sacoche", tmp_path, "--classe", "CM3")
    assert code == 1 and "Classe « CM3 » introuvable" in err and "« CM2 B »" in err
    code, _, err = run(capsys, "--db", school, "export-sacoche", tmp_path, "--niveau", "CP")
    assert code == 1 and "Aucune validation à exporter" in err
    blocked = tmp_path / "fichier"
    blocked.write_text("x")
    code, _, err = run(capsys, "--db", school, "export-sacoche", blocked)
    assert code == 1 and "Impossible d'écrire" in err


def test_import_sacoche_preview_then_apply(school, tmp_path, capsys):
    # a file with one known pupil (a later decision), one unknown
    xml = ('<?xml version="1.0" encoding="UTF-8"?><sacoche><donnees>'
           '<eleve id="0" nom="SIMON" prenom="Hugo"><palier id="2"><competence id="8">'
           '<item id="2111"><renseignement><date>2013-01-02</date><etat>0</etat>'
           "</renseignement></item></competence></palier></eleve>"
           '<eleve id="0" nom="INCONNU" prenom="Paul"><palier id="2"><competence id="8">'
           '<item id="2111"><renseignement><date>2013-01-02</date><etat>7</etat>'
           "</renseignement></item></competence></palier></eleve>"
           "</donnees></sacoche>")
    path = tmp_path / "validations.xml"
    path.write_text(xml, encoding="utf-8")
    before = sha(school)
    code, out, _ = run(capsys, "--db", school, "import-sacoche", path)
    assert code == 0
    assert "  SIMON Hugo : modifié (1 validation)" in out
    assert "  INCONNU Paul : ignoré — aucun élève de l'école ne porte ce nom" in out
    assert "attention : item 2111 : état « 7 » invalide" in out
    assert "Relancez avec --yes" in out
    assert sha(school) == before
    code, out, _ = run(capsys, "--db", school, "import-sacoche", path, "--yes")
    assert code == 0 and out.rstrip().endswith(
        "Import terminé : 1 élève modifié (1 validation), 0 inchangé, 1 ignoré.")
    code, out, _ = run(capsys, "--db", school, "import-sacoche", path, "--yes")
    assert "SIMON Hugo : inchangé" in out


def test_import_sacoche_bad_file(school, tmp_path, capsys):
    bad = tmp_path / "import-sacoche.zip"
    bad.write_bytes(SACOCHE_ZIP.read_bytes()[:500])
    before = sha(school)
    code, out, err = run(capsys, "--db", school, "import-sacoche", bad, "--yes")
    assert code == 1 and out == ""
    assert "Ce fichier ne peut pas être importé : l'archive ZIP est endommagée" in err
    assert sha(school) == before


def test_missing_school_file(tmp_path, capsys):
    db = tmp_path / "absent.sqlite3"
    for argv in (["import-sacoche", SACOCHE_ZIP], ["export-sacoche", tmp_path],
                 ["call", "niveaux.list"]):
        code, _, err = run(capsys, "--db", db, *argv)
        assert code == 1 and "n'existe pas" in err
    assert not db.exists()


# -- call ---------------------------------------------------------------------------------


def test_call_prints_json(school, capsys):
    code, out, _ = run(capsys, "--db", school, "call", "paliers.list")
    assert code == 0
    assert [p["id"] for p in json.loads(out) if p["actif"]] == [2]
    code, out, _ = run(capsys, "--db", school, "call", "sacoche.export", '{"niveau": "CM2"}')
    shown = json.loads(out)
    assert shown["data"].startswith("<") and shown["data"].endswith(" octets>")
    code, out, _ = run(capsys, "--db", school, "call", "sacoche.export", '{"niveau": "CM2"}',
                       "--json")
    result = json.loads(out)
    data = base64.b64decode(result["data"]["__bytes__"])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("import_validations.xml") == reference_xml()
    assert result["nb_eleves"] == 42


def test_call_with_bytes_in_the_payload(school, capsys):
    payload = json.dumps({"data": {"__file__": str(SACOCHE_ZIP)}})
    code, out, _ = run(capsys, "--db", school, "call", "sacoche.preview", payload, "--json")
    assert code == 0 and json.loads(out)["nb_inchanges"] == 42
    b64 = base64.b64encode(SACOCHE_ZIP.read_bytes()).decode()
    payload = json.dumps({"data": {"__bytes__": b64}, "filename": "f.zip"})
    code, out, _ = run(capsys, "--db", school, "call", "sacoche.preview", payload)
    assert code == 0 and "42 inchangés" in json.loads(out)["message"]


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["call", "niveaux.list", "{"], 2, "pas du JSON valide"),
        (["call", "niveaux.list", "[1]"], 2, "doivent être un objet JSON"),
        (["call", "sacoche.preview", '{"data": {"__bytes__": "%%%"}}'], 2, "base64 valide"),
        (["call", "nimporte.quoi"], 1, "Commande inconnue : « nimporte.quoi »"),
        (["call", "eleves.list", '{"classe_id": "abc"}'], 1, "Identifiant de classe invalide"),
        (["call", "sacoche.preview", '{"data": {"__file__": "/nulle/part.zip"}}'], 1,
         "Impossible de lire"),
    ],
)
def test_call_errors(school, capsys, argv, code, message):
    got, out, err = run(capsys, "--db", school, *argv)
    assert got == code and out == "" and message in err and err.startswith("Erreur : ")


def test_call_school_file_bytes(school, tmp_path, capsys):
    """The school file through the API, as the browser saves it: shown, as JSON, or written."""
    code, out, _ = run(capsys, "--db", school, "call", "school.file_bytes")
    shown = json.loads(out)
    assert code == 0 and shown["data"] == f"<{school.stat().st_size} octets>"
    assert shown["filename"].startswith("ecole-cartable-") and shown["filename"].endswith(".sqlite3")
    code, out, _ = run(capsys, "--db", school, "call", "school.file_bytes", "--json")
    assert base64.b64decode(json.loads(out)["data"]["__bytes__"]) == school.read_bytes()
    copy = tmp_path / "copie.sqlite3"
    code, out, _ = run(capsys, "--db", school, "call", "school.file_bytes", "--out", copy)
    assert code == 0 and json.loads(out)["data"] == f"<écrit dans {copy}>"
    assert copy.read_bytes() == school.read_bytes()
    code, out, err = run(capsys, "--db", copy, "call", "classes.list", "--json")
    assert code == 0 and len(json.loads(out)) == 9
    code, out, err = run(capsys, "--db", school, "call", "niveaux.list", "--out", copy)
    assert code == 2 and "contient 0 fichier au lieu d'un" in err


def test_call_school_replace_file(school, tmp_path, capsys):
    other = tmp_path / "autre.sqlite3"
    payload = json.dumps({"nom": "École des Lilas", "directeur": {
        "nom": "Roy", "prenom": "Lina", "password": "Cartable-2024!"}})
    assert main(["--db", str(other), "call", "app.setup", payload]) == 0
    garbage = tmp_path / "notes.sqlite3"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\x00" * 300)
    before = sha(school)
    capsys.readouterr()
    code, out, err = run(capsys, "--db", school, "call", "school.replace_file",
                         json.dumps({"data": {"__file__": str(garbage)}}))
    assert code == 1 and "fichier d'école" in err and sha(school) == before
    code, out, err = run(capsys, "--db", school, "call", "school.replace_file",
                         json.dumps({"data": {"__file__": str(other)}}))
    assert code == 0 and json.loads(out) == {"replaced": True}
    code, out, _ = run(capsys, "--db", school, "call", "app.status", "--json")
    assert json.loads(out)["school"]["nom"] == "École des Lilas"


def test_call_app_setup_creates_a_school_with_its_director(tmp_path, capsys):
    db = tmp_path / "neuve.sqlite3"
    payload = json.dumps({"nom": "École Jules Ferry", "directeur": {
        "nom": "Dupuis", "prenom": "Marc", "password": "Cartable-2024!"}})
    code, out, err = run(capsys, "--db", db, "call", "app.setup", payload)
    assert code == 0, err
    created = json.loads(out)
    assert set(created) == {"login", "code_secours", "session", "user"}
    assert created["login"] == created["user"]["login"] == "mar.dupuis"
    code, out, _ = run(capsys, "--db", db, "call", "app.status", "--json")
    status = json.loads(out)
    assert status["school"]["nom"] == "École Jules Ferry" and not status["needs_setup"]
    assert status["user"]["login"] == "mar.dupuis"  # the CLI acts as this director now


def test_usage_errors_exit_2(capsys):
    for argv in ([], ["--db", "x"], ["--db", "x", "export-sacoche", "d", "--niveau", "CM2",
                                     "--classe", "A"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    capsys.readouterr()


def test_python_dash_m(school):
    """The real entry point, in a subprocess."""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "py"))
    done = subprocess.run(
        [sys.executable, "-m", "cartable", "--db", str(school), "call", "niveaux.list", "--json"],
        check=False, capture_output=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert {n["ref"] for n in json.loads(done.stdout) if n["actif"]} >= {"CP", "CM2"}
    done = subprocess.run([sys.executable, "-m", "cartable", "--db", str(school), "call", "x"],
                          check=False, capture_output=True, env=env, timeout=60)
    assert done.returncode == 1 and "Commande inconnue" in done.stderr.decode("utf-8")


def test_help_and_usage_errors_speak_french(capsys):
    """argparse's own sentences (headings, -h, usage errors) are French; bad command lines
    tried: none at all, no action, an unknown action, a missing folder, an unknown option,
    a period that is not a number."""
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "utilisation : python -m cartable" in out and "afficher cette aide et quitter" in out
    for english in ("usage:", "show this help", "positional arguments"):
        assert english not in out
    cases = [
        ([], "arguments obligatoires manquants : --db, ACTION"),
        (["--db", "x"], "arguments obligatoires manquants : ACTION"),
        (["--db", "x", "zut"], "choix invalide : 'zut' (choix possibles : 'nouvelle-ecole'"),
        (["--db", "x", "export-lsu"], "arguments obligatoires manquants : DOSSIER"),
        (["--db", "x", "export-lsu", "d", "--zut"], "arguments non reconnus : --zut"),
        (["--db", "x", "export-lsu", "d", "--periode", "un"],
         "argument --periode : valeur invalide (nombre entier attendu) : 'un'"),
    ]
    for argv, expected in cases:
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert expected in err and " : erreur : " in err, (argv, err)
        assert "usage:" not in err and "error:" not in err, (argv, err)
