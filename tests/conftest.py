"""Fixtures shared by the unit tests; plain helper functions are in ``helpers.py``."""

from __future__ import annotations

import pytest
from helpers import FAST, NOW, Clock, SchoolBuilder, patch_clock

from cartable.accounts import passwords
from cartable.api import Api


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch):
    """Password hashing with FAST iterations (``monkeypatch.undo()`` gives the real count)."""
    monkeypatch.setattr(passwords, "ITERATIONS", FAST)


@pytest.fixture
def api(tmp_path):
    """An empty school (a new school file); test files with their own school override it."""
    a = Api(str(tmp_path / "ecole.sqlite3"))
    yield a
    a.close()


@pytest.fixture
def director(api):
    """The director's session as the command line opens it (``Api.director_session``)."""
    return api.director_session()


@pytest.fixture
def build(api) -> SchoolBuilder:
    """The ``api`` school's builder: ``build.director()``, ``build.classe("CM2 A")``, …"""
    return SchoolBuilder(api)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A fixed clock for the core (``NOW``, 20 June 2024 16:05:09, unless the test sets it):
    ``clock.set(...)``, ``clock.advance(seconds)``."""
    return patch_clock(monkeypatch, NOW)
