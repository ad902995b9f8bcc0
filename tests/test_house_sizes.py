"""``.ci/house_sizes.py``: a JS checker that crashes is a check not done, never a pass."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "house_sizes.py"


@pytest.fixture
def house(monkeypatch):
    spec = importlib.util.spec_from_file_location("house_sizes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module.shutil, "which", lambda name: "/usr/bin/node")
    return module


def _node_answers(monkeypatch, house, returncode, stdout="", stderr=""):
    monkeypatch.setattr(house.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a[0], returncode, stdout=stdout, stderr=stderr))


def test_a_crash_of_the_js_checker_is_not_an_empty_list_of_offenders(house, monkeypatch):
    _node_answers(monkeypatch, house, 1, stderr="TypeError: Cannot read properties of undefined")
    offenders, why = house.long_js_functions(80)
    assert offenders == [] and why is not None and "TypeError" in why


def test_offenders_and_a_clean_run_are_still_told_apart(house, monkeypatch):
    _node_answers(monkeypatch, house, 1, stdout="web/ui/x.js:3: function f is 90 lines\n")
    assert house.long_js_functions(80) == (["web/ui/x.js:3: function f is 90 lines"], None)
    _node_answers(monkeypatch, house, 0, stderr="house_sizes.mjs: 3 JS files parsed\n")
    assert house.long_js_functions(80) == ([], None)
