"""Helpers shared by the unit tests (``from helpers import call, login, SchoolBuilder``); the
fixtures are in ``conftest.py`` (``api``, ``director``, ``clock``, ``build``)."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from cartable import _compat, db
from cartable.accounts import affectations, passwords, signin, teachers
from cartable.api import run
from cartable.school import letterhead

FAST = 1000  # PBKDF2 iterations in tests (test_accounts checks the real count once)
NOW = datetime.datetime(2024, 6, 20, 16, 5, 9)  # the ``clock`` fixture's default


class Clock:
    """The core's "now" and "today" (``_compat.now`` / ``_compat.today``, the only clock the
    core reads), set by the test: ``clock.set(datetime)``, ``clock.advance(seconds)``."""

    def __init__(self, now: datetime.datetime):
        self.now = now

    def set(self, now: datetime.datetime | datetime.date) -> Clock:
        if not isinstance(now, datetime.datetime):  # a day: its morning
            now = datetime.datetime(now.year, now.month, now.day, 9, 0, 0)
        self.now = now
        return self

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)

    def today(self) -> datetime.date:
        return self.now.date()


def patch_clock(mp, now: datetime.datetime | datetime.date = NOW) -> Clock:
    """Set the core's clock with ``mp`` (a ``pytest.MonkeyPatch``; module-scoped fixtures use
    ``pytest.MonkeyPatch.context()``); the ``clock`` fixture is this with ``monkeypatch``."""
    c = Clock(NOW).set(now)
    mp.setattr(_compat, "now", lambda: c.now)
    mp.setattr(_compat, "today", c.today)
    return c


def call(api, command, payload=None, session=None):
    """Run one API command in CPython (``Api.handle`` driven to completion)."""
    return run(api.handle(command, payload or {}, session))


def call_as_director(api, command, payload=None, session=None):
    """``call`` as the command line does: in the director's session unless ``session``."""
    return call(api, command, payload, session or api.director_session())


def login(api, who, password="password1") -> str:
    """Log ``who`` in; the session token."""
    return call(api, "auth.login", {"login": who, "password": password})["session"]


def file_hash(api_or_path) -> str:
    """sha256 of a school file (an ``Api``'s, or at a path): "not a byte changed" checks."""
    path = getattr(api_or_path, "path", api_or_path)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dump(api) -> str:
    return "\n".join(api.db.iterdump())


class SchoolBuilder:
    """A small school for a test, made with the core's own functions: accounts through
    ``signin.insert_director`` / ``teachers.create_professeur``, affectations through
    ``affectations``, the letterhead through ``letterhead``. Classes and pupils come from the
    Base-Élèves import in the app; here they are written directly, in this one place, with the
    ids a test names. ``build = SchoolBuilder(api)``, or the ``build`` fixture."""

    def __init__(self, api):
        self.api = api
        self.conn = api.db

    def letterhead(self, nom="École Jules Ferry", uai="0441234C") -> SchoolBuilder:
        with db.transaction(self.conn):
            letterhead.write_school(self.conn, nom, uai)
        return self

    def director(self, login="dir", password="password1", nom="MARTIN", prenom="Paul",
                 civilite="") -> int:
        hashed = run(passwords.hash_password(password))
        with db.transaction(self.conn):
            signin.insert_director(self.conn, nom, prenom, login, hashed, civilite)
        return signin.find_user(self.conn, login)["id"]

    def teacher(self, login="mar.dupuis", password="password1", nom="DUPUIS", prenom="Marie",
                civilite=None, **cols) -> int:
        """A teacher's account (``cols``: other columns to set, e.g. ``actif=0``)."""
        made = run(teachers.create_professeur(self.conn, nom, prenom, login, password, civilite))
        for col, value in cols.items():
            self.conn.execute(f"UPDATE utilisateur SET {col} = ? WHERE id = ?",
                              (value, made["id"]))
        return made["id"]

    def assign(self, teacher_id: int, classe_id: int, principal=False) -> None:
        affectations.set_affectation(self.conn, teacher_id, classe_id, True)
        if principal:
            affectations.set_principal(self.conn, classe_id, teacher_id)

    def classe(self, nom: str, ref: str | None = None, niveau="CM2", id=None) -> int:
        niveau_id = self.conn.execute("SELECT id FROM niveau WHERE ref = ?", (niveau,)
                                      ).fetchone()[0]
        cur = self.conn.execute("INSERT INTO classe (id, niveau_id, nom, ref) VALUES (?, ?, ?, ?)",
                                (id, niveau_id, nom, ref or nom.replace(" ", "")))
        return cur.lastrowid

    def eleve(self, nom: str, prenom: str, classe_id: int, id=None, actif=1, **cols) -> int:
        """A pupil (``cols``: other columns, e.g. ``sconet_id``, ``ine``, ``date_naissance``)."""
        names = ["id", "nom", "prenom", "classe_id", "actif", *cols]
        cur = self.conn.execute(
            f"INSERT INTO eleve ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            (id, nom, prenom, classe_id, actif, *cols.values()))
        return cur.lastrowid

    def item(self, eleve_id: int, item_id: int, etat=1, date="2024-06-01", info="X") -> None:
        """A saved decision on an item (``validation_item``; replaces the one it had)."""
        self.conn.execute("INSERT OR REPLACE INTO validation_item VALUES (?, ?, ?, ?, ?)",
                          (eleve_id, item_id, etat, date, info))

    def competence(self, eleve_id: int, competence_id: int, etat=1, date="2024-06-01",
                   info="X") -> None:
        """A saved decision on a compétence (``validation_competence``; replaces the one it had)."""
        self.conn.execute("INSERT OR REPLACE INTO validation_competence VALUES (?, ?, ?, ?, ?)",
                          (eleve_id, competence_id, etat, date, info))
