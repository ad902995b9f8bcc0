"""Fuzzing as a test (issue 18): the Base-Élèves/ONDE CSV import and the LSU import, given
files mutated from the fixtures by hypothesis, answer with a result or a French refusal
(``UserError``) — never another exception — and a refusal leaves the school file byte for byte
unchanged.

A fixed seed (``derandomize``) and ``CARTABLE_FUZZ_EXAMPLES`` examples per door (40 by default,
for CI); a longer run on demand::

    CARTABLE_FUZZ_EXAMPLES=5000 python3 -m pytest -q tests/test_fuzz.py
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsu_helpers import LSU_XML, ONDE_CSV

from cartable import _compat
from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.errors import UserError

EXAMPLES = int(os.environ.get("CARTABLE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
BASE_CSV = (Path(__file__).parent / "fixtures/base_eleves/CSVExtraction.csv").read_bytes()
ENGLISH = ("Traceback", "Error", "None", "Unexpected", "expected", "invalid literal")
# Pieces the mutations insert: separators, quotes, line ends, odd characters, big numbers.
PIECES = [b";", b'"', b"\r\n", b"\n", b"", b"\x00", b"\xff", b"\xc3", b"<", b">", b"&", b"'",
          b"=", b"-1", b"99999999999999999999", b"\xe2\x80\xae", b"\t", b" " * 40,
          b"<a>", b"</a>", b'encoding="x"', b"CE2", b"4400069897A", b"9999-12-31"]


@pytest.fixture(scope="module")
def school_file(tmp_path_factory) -> Path:
    """The ONDE school (143 pupils with INE, UAI 0441234C), its director."""
    path = tmp_path_factory.mktemp("fuzz") / "ecole.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords, "ITERATIONS", 1000)
        a = Api(str(path))
        run(a.handle("app.setup", {"nom": "École Jules Ferry", "uai": "0441234C", "directeur": {
            "nom": "Durand", "prenom": "Sophie", "password": "Directrice-2026"}}))
        run(a.handle("base_eleves.apply", {"data": ONDE_CSV.read_bytes(),
                                           "filename": "CSVExtraction.csv"},
                     a.director_session()))
        a.close()
    return path


@pytest.fixture
def school(school_file, tmp_path, monkeypatch):
    import datetime

    monkeypatch.setattr(_compat, "today", lambda: datetime.date(2026, 6, 20))
    path = tmp_path / "ecole.sqlite3"
    shutil.copyfile(school_file, path)
    a = Api(str(path))
    yield a
    a.close()


def mutate(data: bytes, ops: list) -> bytes:
    """Apply the drawn mutations: (kind, position fraction, length, piece index)."""
    out = bytearray(data)
    for kind, at, length, piece in ops:
        i = int(at * len(out)) if out else 0
        if kind == "flip" and out:
            out[min(i, len(out) - 1)] ^= 1 << (piece % 8)
        elif kind == "insert":
            out[i:i] = PIECES[piece % len(PIECES)] * (1 + length % 3)
        elif kind == "delete":
            del out[i:i + length]
        elif kind == "duplicate":
            out[i:i] = out[i:i + length * 8]
        elif kind == "truncate":
            del out[i:]
    return bytes(out)


MUTATIONS = st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "duplicate",
                                                "truncate"]),
                               st.floats(0, 1, allow_nan=False), st.integers(0, 64),
                               st.integers(0, 255)), min_size=1, max_size=6)


def digest(api) -> str:
    return hashlib.sha256(Path(api.path).read_bytes()).hexdigest()


def attempt(api, command: str, payload: dict):
    """The command's result, or its UserError (French); any other exception fails the test."""
    try:
        return run(api.handle(command, payload, api.director_session()))
    except UserError as exc:
        text = str(exc)
        assert text and not any(w in text for w in ENGLISH), text
        return exc


@FUZZ
@given(ops=MUTATIONS, onde=st.booleans())
def test_fuzzed_csv_imports_answer_in_french_and_refusals_change_nothing(school, ops, onde):
    data = mutate(ONDE_CSV.read_bytes() if onde else BASE_CSV, ops)
    payload = {"data": data, "filename": "CSVExtraction.csv"}
    before = digest(school)
    for step in ("base_eleves.read", "base_eleves.plan"):
        attempt(school, step, payload)
        assert digest(school) == before, f"{step} wrote"
    applied = attempt(school, "base_eleves.apply", payload)
    if isinstance(applied, UserError) or not applied.get("changements"):
        assert digest(school) == before


@FUZZ
@given(ops=MUTATIONS)
def test_fuzzed_lsu_imports_answer_in_french_and_refusals_change_nothing(school, ops):
    data = mutate(LSU_XML.read_bytes(), ops)
    before = digest(school)
    attempt(school, "lsu.preview", {"data": data})
    assert digest(school) == before, "lsu.preview wrote"
    imported = attempt(school, "lsu.import", {"data": data})
    if isinstance(imported, UserError) or not imported["nb_importes"]:
        assert digest(school) == before
