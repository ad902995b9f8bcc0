"""Firefox ESR smoke: the built folder opened from file:// in Debian's firefox-esr, as users run it.

Playwright cannot drive Debian's Firefox, and ``puppeteer.launch()`` would write automation
prefs that make every ``file://`` page one origin (hiding that Firefox keys storage by the path
of ``index.html``). ``e2e/firefox/smoke.mjs`` starts Firefox itself on a fresh profile holding
only ``remote.prefs.recommended=false`` and download prefs, drives it with ``puppeteer-core``
over WebDriver BiDi, and prints what it saw as JSON; this test asserts on it and parses the
files Firefox downloaded.

Outside requests: Firefox's WebDriver BiDi reports http(s) requests but not ``file:`` ones, so
the smoke first proves its detector on a request to a local server (``detector_works``), then
fails on any request the app makes that is not ``file:``, ``blob:`` or ``data:``.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from lsu_helpers import periodic_of

from cartable.lsu import lsu_schema

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "firefox"
CSV = ROOT / "tests" / "fixtures" / "base_eleves" / "CSVExtraction.csv"
ONDE = ROOT / "tests" / "fixtures" / "onde" / "CSVExtraction.csv"  # pupils with INEs: the livret
FIREFOX = Path("/usr/bin/firefox-esr")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def run_smoke(dist: Path, work: Path, **env) -> dict:
    ARTIFACTS.mkdir(exist_ok=True)
    if not FIREFOX.exists():
        pytest.fail(f"{FIREFOX} is missing: run .ci/setup (apt-get install firefox-esr)")
    if not (HERE.parent / "node_modules" / "puppeteer-core").is_dir():
        pytest.fail("e2e/node_modules is missing: run .ci/setup (npm ci in e2e)")
    node = shutil.which("node")
    proc = subprocess.run(
        [node, str(HERE / "smoke.mjs"), str(dist), str(work), str(CSV), str(ONDE)],
        check=False, capture_output=True, text=True, timeout=600, cwd=ROOT,
        env={**os.environ, **env},
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "error" not in out, out["error"] + "\n" + proc.stderr[-4000:]
    return out


def dump(path: str) -> dict:
    """Every row of the school's tables but the last-change stamp."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
    rows["meta"] = [r for r in rows["meta"]
                    if r[0] not in ("derniere_modification", "dernier_enregistrement")]
    return rows


def check_livret(out: dict) -> None:
    """The livret clicked in Firefox (livret.mjs), as the period's LSU file carries it: the one
    complete bilan, its positions as Firefox showed them, the appréciation, the period."""
    assert out["livret_errors"] == []
    assert out["livret_status"] == "Tout est enregistré. 1 livret complet sur 11."
    assert "1 bilan complet" in out["livret_preflight"], out["livret_preflight"]
    data = Path(out["downloads"]["lsu"]).read_bytes()
    assert lsu_schema.errors(data) == []
    [bilan] = periodic_of(data).values()
    assert " ".join(bilan["eleve"][:2]).upper() == " ".join(out["livret_pupil"].split()).upper()
    # the arrows put the class at 1 on the three rubriques, the click the first pupil's MAT-NBC at 2
    assert out["livret_cells"] == {"FRA-LEC": "1", "MAT-NBC": "2", "EPS-RAC": "1"}
    got = {}
    for rub, _appr, subs in bilan["acquis"].values():
        for r in subs or [rub]:
            if r[2] is not None:
                got[r[0]] = (r[2], r[1])
    assert got == {"FRA-LEC": ("1", ["Lecture suivie d'un roman"]),
                   "MAT-NBC": ("2", ["Les fractions simples"]),
                   "EPS-RAC": ("1", ["Course d'orientation"])}
    assert {c: p for c, (p, _) in got.items()} == out["livret_cells"]
    assert bilan["appreciation"] == out["livret_appreciation"]
    assert bilan["periode"][1:3] == ("1", "3")
    assert bilan["auteurs"] == [("MME", "DURAND", "Sophie")]


def test_firefox_smoke(dist, tmp_path):
    out = run_smoke(dist, tmp_path)
    check_livret(out)

    # The detector of outside requests works (it saw a request to a local server) ...
    assert out["detector_works"] is True
    # ... and the app made none.
    assert out["bad_requests"] == []

    assert out["first_run_title"] == "Bienvenue dans Cartable"
    assert "École Jean Macé" in out["header"]
    # Reload: the school is still there.
    assert out["reload_needs_setup"] is False
    assert out["reload_school"]["nom"] == "École Jean Macé"
    assert out["reload_school"]["uai"] == "0441234C"
    # The CSV import.
    assert "143 élèves ajoutés" in out["import_report"]
    assert out["import_errors"] == []
    assert out["grid_errors"] == []

    # The SACoche export: the clicked item of the clicked pupil, validated.
    assert out["export_early_downloads"] == 0  # « Générer le fichier » downloads nothing
    with zipfile.ZipFile(out["downloads"]["sacoche"]) as z:
        assert z.namelist() == ["import_validations.xml"]
        root = ElementTree.parse(io.BytesIO(z.read("import_validations.xml"))).getroot()
    states = [(e.get("nom"), e.get("prenom"), r.findtext("etat"))
              for e in root.iter("eleve") for r in e.iter("renseignement")]
    assert len(states) == 1, states
    nom, prenom, etat = states[0]
    assert etat == "1"
    assert f"{nom} {prenom}".upper() in " ".join(out["grid_pupil"].split()).upper()

    # Two downloads of the school file the same day, one decision between them: two names to
    # the minute, and the notice names the newer one as Firefox saved it.
    first, second = Path(out["downloads"]["school_first"]), Path(out["downloads"]["school"])
    assert re.fullmatch(r"ecole-cartable-\d{4}-\d\d-\d\d-\d\dh\d\d\.sqlite3", second.name), second
    assert first.name[:25] == second.name[:25] and first.name != second.name  # same day
    assert out["second_saved"] == 1
    notice = out["school_notices"][1]
    assert f"« {second.name} » a été téléchargé" in notice and "« (1) »" in notice, notice
    for path, decisions in ((first, 1), (second, 2)):
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT count(*) FROM eleve").fetchone()[0] == 143
            assert conn.execute("SELECT count(*) FROM validation_item").fetchone()[0] == decisions
            saved = dict(conn.execute("SELECT key, value FROM meta"))
        assert saved["modifications_non_enregistrees"] == "0"
        stamp = path.name[len("ecole-cartable-"):-len(".sqlite3")]
        assert saved["dernier_enregistrement"][:16] == stamp[:10] + "T" + stamp[11:].replace("h", ":")

    # The Fichier screen says when the file was saved, the work since, and what Firefox does.
    assert "jamais été enregistré" in out["file_state_before"]
    assert out["file_state_between"].endswith("1 décision ou bilan modifié depuis."), out
    assert "enregistré pour la dernière fois le" in out["file_state_after"]
    assert out["file_state_after"].endswith("Rien n'a changé depuis."), out
    assert "emplacement exact du dossier" in out["firefox_note"]
    assert out["auto_save_offered"] is False  # no File System Access API in Firefox

    # The moved folder: Firefox gives the copy an empty storage (the reason for all this) ...
    assert out["moved_needs_setup"] is True
    # ... the newer file, shown before it is opened ...
    assert out["moved_confirmation"] == [
        f"Fichier : {second.name}", "École : École Jean Macé", "UAI : 0441234C",
        out["moved_confirmation"][3], "Élèves : 143 élèves",
        "Décisions (items et compétences) : 2 décisions", "Bilans : 0 bilan"]
    assert out["moved_confirmation"][3].startswith("Dernière modification : le ")
    # ... and the school opened from its file is the same school, nothing lost.
    assert "École Jean Macé (0441234C)" in out["moved_header"]
    assert out["moved_overview"]["nb_eleves"] == 143
    assert dump(out["downloads"]["moved_school"]) == dump(out["downloads"]["school"])
    for name in ("firefox-fichier", "firefox-premiere-ouverture", "firefox-ouvrir-confirmation",
                 "firefox-dossier-deplace", "firefox-livret"):
        shutil.copy(tmp_path / f"{name}.png", ARTIFACTS / f"{name}.png")

    # Startup in Firefox.
    assert all(0 < s < 60 for s in out["ready_seconds"])
