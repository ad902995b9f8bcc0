"""Every case of ``tests/bad_inputs/corpus.py`` through the API, the way the interface sends it,
on a copy of a realistic school: the user gets the French message of the case (a ``UserError``,
a rejected line, a pupil "ignoré", a skipped decision — never a traceback) and the school
database file is byte-for-byte unchanged afterwards.

The harness is shown able to fail: the same functions, given a valid file, change the bytes.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import shutil
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bad_inputs import corpus
from bad_inputs.corpus import (
    ACCEPTED_AS_TEXT,
    CASES,
    DECISIONS_SKIPPED,
    LINES_REJECTED,
    PENDING,
    PUPIL_IGNORED,
    REFUSED,
)
from helpers import FAST, SchoolBuilder, call, patch_clock

from cartable import bridge, db
from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.errors import UserError
from cartable.sacoche.export import held_nom, held_prenom

NOW = datetime.datetime(2026, 6, 20, 16, 5, 9)  # after the example LSU file's bilans (06-12)
DIRECTOR = {"login": "pau.martin", "password": "Directeur-2024"}
TEACHER = {"login": "mar.dupuis", "password": "Maitresse-2024"}


def _patch_clock_and_hash(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(passwords, "ITERATIONS", FAST)
    patch_clock(mp, NOW)


@pytest.fixture(autouse=True)
def fast_and_fixed(monkeypatch):
    _patch_clock_and_hash(monkeypatch)


def digest(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.fixture(scope="module")
def base_school(tmp_path_factory) -> Path:
    """A realistic school, built once: the 143 pupils of the fixture extraction in 9 classes,
    a director, a teacher (professeur principal of CM2 B), the 4 024 decisions of the reference
    SACoche file and a few saved from the grid by the teacher."""
    path = tmp_path_factory.mktemp("school") / "ecole.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        _patch_clock_and_hash(mp)
        a = Api(str(path))
        call(a, "app.setup", {"nom": "École Jules Ferry", "uai": corpus.SCHOOL_UAI,
                              "directeur": {"nom": "Martin", "prenom": "Paul",
                                            "password": DIRECTOR["password"]}})
        d = call(a, "auth.login", DIRECTOR)["session"]
        call(a, "base_eleves.apply", {"data": corpus.fixture_csv(),
                                      "filename": "CSVExtraction.csv"}, d)
        call(a, "sacoche.import", {"data": corpus.FIXTURE_ZIP.read_bytes()}, d)
        prof = call(a, "professeurs.create", {"nom": "Dupuis", "prenom": "Marie",
                                              "password": TEACHER["password"]}, d)
        cm2b = next(c["id"] for c in call(a, "classes.list", {}, d) if c["nom"] == "CM2 B")
        call(a, "affectations.set", {"professeur_id": prof["id"], "classe_id": cm2b,
                                     "affecte": True}, d)
        call(a, "affectations.set_principal", {"classe_id": cm2b, "professeur_id": prof["id"]},
             d)
        t = call(a, "auth.login", TEACHER)["session"]
        pupils = [e["id"] for e in call(a, "eleves.list", {"classe_id": cm2b}, t)]
        grid = call(a, "validation.grid", {"palier_id": 2, "classe_id": cm2b,
                                           "eleve_ids": pupils, "competence_id": 9}, t)
        row = grid["domaines"][0]["rows"][0]["id"]
        call(a, "validation.click", {"target": {"kind": "row", "row_id": row}}, t)
        saved = call(a, "validation.save", {}, t)
        assert saved["ajoutees"] + saved["modifiees"] > 0
        assert a.db.execute("SELECT count(*) FROM eleve").fetchone()[0] == 143
        call(a, "periodes.set", {"periodes": corpus.LIVRET_PERIODS}, d)
        with a.db:
            for (nom, prenom), ine in corpus.LIVRET_INE.items():
                assert a.db.execute("UPDATE eleve SET ine = ? WHERE nom = ? AND prenom = ?",
                                    (ine, nom, prenom)).rowcount == 1
        a.close()
    return path


@pytest.fixture
def school(base_school, tmp_path):
    """A fresh copy of the realistic school, opened, with the director logged in."""
    path = tmp_path / "ecole.sqlite3"
    shutil.copyfile(base_school, path)
    a = Api(str(path))
    a.director = call(a, "auth.login", DIRECTOR)["session"]  # login writes nothing
    yield a
    a.close()


# -- the harness: one function per door -----------------------------------------------------


def run_csv(a, data, filename="CSVExtraction.csv", extra=None,
            steps=("read", "plan", "apply")) -> dict:
    """read → plan → apply as the wizard does. Returns what the user saw at each step:
    ``{"read": result or UserError, "plan": …, "apply": …}``. apply is tried even after a
    refusal: the core must refuse by itself, whatever the interface does."""
    payload = {"data": data, "filename": filename, **(extra or {})}
    seen = {}
    for step in steps:
        try:
            seen[step] = call(a, f"base_eleves.{step}", payload, a.director)
        except UserError as exc:
            seen[step] = exc
    return seen


def run_sacoche(a, data, filename="import-sacoche.zip") -> dict:
    seen = {}
    for step in ("preview", "import"):
        try:
            seen[step] = call(a, f"sacoche.{step}", {"data": data, "filename": filename},
                              a.director)
        except UserError as exc:
            seen[step] = exc
    return seen


def run_lsu(a, data) -> dict:
    seen = {}
    for step in ("preview", "import"):
        try:
            seen[step] = call(a, f"lsu.{step}", {"data": data}, a.director)
        except UserError as exc:
            seen[step] = exc
    return seen


def run_school_file(a, data) -> dict:
    """``check_school_file`` and the bridge's "Ouvrir un fichier d'école" on ``a``'s file."""
    seen = {}
    try:
        seen["check"] = db.check_school_file(data)
    except UserError as exc:
        seen["check"] = exc
    bridge.open(a.path)
    try:
        login = json.loads(run(bridge.call("auth.login", json.dumps(DIRECTOR))))
        assert login["ok"], login
        wire = json.dumps({"data": {"__bytes__": base64.b64encode(data).decode()}})
        seen["replace"] = json.loads(run(bridge.call("school.replace_file", wire)))
        seen["status"] = json.loads(run(bridge.call("app.status", "{}")))
    finally:
        bridge.close()
    return seen


def _message(value) -> str:
    assert isinstance(value, UserError), f"expected a refusal, got {value!r:.300}"
    text = str(value)
    assert "Traceback" not in text and "Erreur interne" not in text
    return text


def _user_texts(report: dict) -> str:
    return " ".join([report.get("raison") or "", *report.get("avertissements", [])])


# -- every case -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_its_message_and_leaves_the_school_unchanged(school, case,
                                                                   record_property):
    data = case.make()
    before = digest(school.path)
    started = time.perf_counter()
    if case.kind == "csv":
        check_csv(school, case, data)
    elif case.kind == "sacoche":
        check_sacoche(school, case, data)
    elif case.kind == "lsu" and case.outcome == PENDING:
        check_pending(school, case, data)
    elif case.kind == "lsu":
        seen = run_lsu(school, data)
        assert case.expect in _message(seen["preview"])
        assert case.expect in _message(seen["import"])
    else:
        check_school_file(school, case, data)
    record_property("seconds", round(time.perf_counter() - started, 3))
    assert digest(school.path) == before, "the school database file changed"
    # The school still works after the bad input.
    assert len(call(school, "classes.list", {}, school.director)) == 9



def check_pending(a, case, data):
    """Preview and import list the pupil « à confirmer » with the reason; nothing imported."""
    seen = run_lsu(a, data)
    for step in ("preview", "import"):
        result = seen[step]
        assert not isinstance(result, UserError), result
        pending = [e for e in result["eleves"] if e["statut"] == "à confirmer"]
        assert pending and any(case.expect in e["raison"] for e in pending), result["eleves"]
        assert result["nb_a_confirmer"] == len(pending)
    assert seen["import"]["nb_importes"] == 0


def check_csv(a, case, data):
    if case.outcome == ACCEPTED_AS_TEXT:
        # Accepted: the user sees the pupil in the plan; nothing is written before "Confirmer"
        # (the import itself is checked on a fresh copy by test_accepted_text_is_stored…).
        seen = run_csv(a, data, case.default_filename(), case.payload, steps=("read", "plan"))
        plan = seen["plan"]
        assert not isinstance(plan, UserError), plan
        added = [p["prenom"] for p in plan["eleves"]["ajouter"]]
        assert case.stored in added, added
        assert plan["rejets"] == [] and plan["eleves"]["desactiver"] == []
        return
    seen = run_csv(a, data, case.default_filename(), case.payload)
    if case.outcome == REFUSED:
        first = next(v for v in seen.values() if isinstance(v, UserError))
        assert case.expect in _message(first)
        assert case.expect in _message(seen["plan"])
        assert case.expect in _message(seen["apply"])
    elif case.outcome == LINES_REJECTED:
        assert not isinstance(seen["read"], UserError), seen["read"]
        plan = seen["plan"]
        reasons = [r["raison"] for r in plan["rejets"]]
        assert any(case.expect in r for r in reasons), reasons
        assert "rejetée" in plan["message"]
        assert plan["eleves"]["desactiver"] == [] and plan["eleves"]["modifier"] == []
        assert seen["apply"]["changements"] == 0, seen["apply"]["message"]
        assert any(case.expect in r["raison"] for r in seen["apply"]["rejets"])
    else:  # pragma: no cover - corpus invariant
        raise AssertionError(case.outcome)


def check_sacoche(a, case, data):
    seen = run_sacoche(a, data, case.default_filename())
    if case.outcome == REFUSED:
        assert case.expect in _message(seen["preview"])
        assert case.expect in _message(seen["import"])
        return
    for step in ("preview", "import"):
        result = seen[step]
        assert not isinstance(result, UserError), result
        assert result["nb_validations"] == 0 and result["nb_modifies"] == 0, result["message"]
        reports = result["eleves"]
        if case.outcome == PUPIL_IGNORED:
            hits = [r for r in reports if r["statut"] == "ignoré" and case.expect in r["raison"]]
        elif case.outcome == DECISIONS_SKIPPED:
            hits = [r for r in reports if r["statut"] == "inchangé"
                    and any(case.expect in w for w in r.get("avertissements", []))]
        else:  # pragma: no cover - corpus invariant
            raise AssertionError(case.outcome)
        assert hits, [(r["statut"], _user_texts(r)[:200]) for r in reports]
        assert all(len(_user_texts(r)) < 2000 for r in reports), "huge values are cut"


def check_school_file(a, case, data):
    seen = run_school_file(a, data)
    assert case.expect in _message(seen["check"])
    reply = seen["replace"]
    assert reply["ok"] is False and case.expect in reply["error"], reply
    assert "detail" not in reply  # a UserError, not an internal error with a traceback
    status = seen["status"]
    assert status["ok"] and status["result"]["school"]["nom"] == "École Jules Ferry"


# -- the harness can fail: valid inputs through the same functions change the bytes ---------


def test_harness_sees_a_csv_import_that_writes(school):
    moved = corpus.fixture_csv().replace(b'"CM2";"CM2 B"', b'"CM1";"CM1 B"', 1)
    before = digest(school.path)
    seen = run_csv(school, moved)
    assert seen["apply"]["changements"] > 0
    assert digest(school.path) != before


def test_harness_sees_a_sacoche_import_that_writes(school):
    later = corpus.sacoche_zip(corpus.xml_doc(corpus.eleve(corpus.competence(
        8, corpus.item(2111, date="2024-06-01", etat="0")))))
    before = digest(school.path)
    seen = run_sacoche(school, later)
    assert seen["import"]["nb_validations"] == 1
    assert digest(school.path) != before


def test_harness_sees_an_lsu_import_that_writes(school):
    with school.db:  # the pupil of the example's first bilan, given his INE
        school.db.execute("UPDATE eleve SET ine = '4400069897A' WHERE nom = 'NICOLAS' AND "
                          "prenom = 'Jérôme'")
    before = digest(school.path)
    seen = run_lsu(school, corpus.lsu())
    assert seen["import"]["nb_importes"] == 1 and seen["import"]["nb_ignores"] == 5
    assert digest(school.path) != before


def test_harness_sees_a_livret_import_that_writes(school):
    before = digest(school.path)
    seen = run_lsu(school, corpus.livret())
    assert seen["import"]["nb_importes"] == 2 and seen["import"]["nb_ignores"] == 3
    assert digest(school.path) != before


def test_harness_sees_a_school_file_that_replaces(school):
    other = corpus.school_file()
    assert db.check_school_file(other) == db.SCHEMA_VERSION
    before = digest(school.path)
    seen = run_school_file(school, other)
    assert seen["replace"]["ok"] is True, seen["replace"]
    assert digest(school.path) != before


def test_the_known_decision_of_the_sacoche_cases_is_in_the_school(school):
    """The SACoche cases use ANDRÉ Louise and her item 2111 of 2012-06-15: she must be found,
    so that "inchangé" comes from the rules and not from a pupil missing from the school."""
    seen = run_sacoche(school, corpus.sacoche_zip(corpus.xml_doc(corpus.eleve(corpus.KNOWN))))
    [report] = seen["preview"]["eleves"]
    assert report["statut"] == "inchangé" and report["id"] is not None


def test_50000_lines_under_the_size_limit_are_only_analysed(school, record_property):
    """Not refused on its size (≈ 1 Mo): the whole CSV path (decode, pandas, plan) runs on
    50 000 pupils — in about 2 s here — and writes nothing before the confirmation."""
    rows = [f"ELEVE{i:05d};Jean;CM2;CM2 {i % 40}" for i in range(50_000)]
    data = "\r\n".join(["Nom Elève;Prénom Elève;Niveau;Classe", *rows]).encode("cp1252")
    before = digest(school.path)
    started = time.perf_counter()
    seen = run_csv(school, data, steps=("read", "plan"))
    record_property("seconds", round(time.perf_counter() - started, 3))
    assert seen["plan"]["message"].startswith("50000 élèves trouvés, 40 classes trouvées")
    assert len(seen["plan"]["eleves"]["desactiver"]) == 143  # shown before confirming
    assert digest(school.path) == before


# -- accepted, kept as text ------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.outcome == ACCEPTED_AS_TEXT],
                         ids=lambda c: c.id)
def test_accepted_text_is_stored_verbatim_and_exported_escaped(school, case):
    seen = run_csv(school, case.make(), case.default_filename())
    assert case.expect in seen["apply"]["message"]
    row = school.db.execute("SELECT id, nom, prenom, classe_id FROM eleve WHERE prenom = ?",
                            (case.stored,)).fetchone()
    assert row is not None, f"{case.stored!r} is not stored verbatim"
    # The interface receives the same text (and puts it in the page with textContent).
    listed = call(school, "eleves.list", {"classe_id": row["classe_id"]}, school.director)
    assert case.stored in [e["prenom"] for e in listed]
    # The SACoche export escapes it, and an XML reader gets the same text back.
    SchoolBuilder(school).item(row["id"], 2111, 1, "2024-06-01", "X.")
    export = call(school, "sacoche.export", {"classe_ids": [row["classe_id"]]}, school.director)
    with zipfile.ZipFile(io.BytesIO(export["data"])) as zf:
        xml = zf.read("import_validations.xml")
    assert b"<img" not in xml and b"<SCRIPT" not in xml
    names = {(e.get("nom"), e.get("prenom")) for e in ET.fromstring(xml).iter("eleve")}
    # (as SACoche holds names: capitals / title case, cut to 25 characters)
    assert (held_nom(row["nom"]), held_prenom(row["prenom"])) in names


# -- the corpus itself -----------------------------------------------------------------------


def test_corpus_has_the_required_cases():
    assert len(CASES) >= 40
    ids = {c.id for c in CASES}
    for required in ("csv-empty", "csv-header-only", "csv-binary-garbage", "csv-utf16-bom",
                     "csv-unclosed-quote", "csv-missing-columns", "csv-duplicate-line",
                     "csv-absurd-niveau", "csv-50000-lines", "csv-20mb-line", "csv-html-names",
                     "csv-formula-names", "csv-zip", "csv-xlsx", "sacoche-not-zip",
                     "sacoche-zip-without-xml", "sacoche-zip-other-xml-name", "sacoche-zip-slip",
                     "sacoche-zip-bomb",
                     "sacoche-nested-zip", "sacoche-malformed-xml", "sacoche-wrong-root",
                     "sacoche-xxe", "sacoche-billion-laughs", "sacoche-unknown-palier",
                     "sacoche-other-palier-competence", "sacoche-etat-7", "sacoche-bad-dates",
                     "sacoche-future-date", "sacoche-pupil-twice", "sacoche-huge-name",
                     "school-not-sqlite", "school-other-sqlite", "school-newer-version",
                     "school-truncated-half", "lsu-xxe", "lsu-dtd", "lsu-too-big",
                     "lsu-other-namespace", "lsu-other-root", "lsu-position-7",
                     "lsu-duplicate-ine", "lsu-missing-synthese", "lsu-7-domaines",
                     "lsu-9-domaines", "livret-unknown-period", "livret-other-cycle-domaine",
                     "livret-position-5", "livret-undefined-element", "livret-long-generale",
                     "livret-long-appreciation", "livret-long-element", "livret-long-parcours",
                     "livret-duplicate-bilan", "livret-two-acquis"):
        assert required in ids, required


def test_readme_lists_every_case_as_generated():
    readme = (Path(corpus.__file__).parent / "README.md").read_text(encoding="utf-8")
    assert readme == corpus.readme(), (
        "tests/bad_inputs/README.md is out of date: run "
        "python tests/bad_inputs/corpus.py --readme > tests/bad_inputs/README.md")


def test_big_cases_are_built_in_code_and_really_big():
    assert len(next(c for c in CASES if c.id == "csv-50000-lines").make()) > 5 * 1024 * 1024
    assert len(next(c for c in CASES if c.id == "csv-20mb-line").make()) > 20 * 1024 * 1024
    bomb = next(c for c in CASES if c.id == "sacoche-zip-bomb").make()
    assert len(bomb) < 200 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert zf.infolist()[0].file_size > corpus.SACOCHE_LIMIT
    committed = [p for p in Path(corpus.__file__).parent.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in committed) < 200 * 1024
