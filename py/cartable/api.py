"""The one entry point: ``await Api(path).handle(command, payload, session)``.

A command name plus a JSON-able payload in, a JSON-able result out (``bytes`` allowed for
files; the browser bridge encodes them). The caller's identity is checked on every command:
each command declares who may call it (``public``, ``any`` logged-in user, ``directeur``),
and handlers that touch pupils check the caller's classes with ``allowed_classes``.

``handle`` is a coroutine because password hashing in the browser is WebCrypto, which is
asynchronous (see ``_compat``). In CPython, ``run(coro)`` drives it to completion.

Handlers live in ``cartable/commands/<prefix>.py`` and register themselves with ``@command``;
every command, payload and result is documented in ``docs/API.md``.
"""

from __future__ import annotations

import importlib
import inspect
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from cartable import _compat, db
from cartable.accounts import idle
from cartable.errors import PermissionDenied, UserError

ROLES = ("public", "any", "directeur")
# The command prefixes: prefix ``x`` (commands ``x.*``) lives in commands/x.py, imported with the
# first command of its prefix, so that the first screen imports only what it uses (lsu, sacoche,
# base_eleves and the grid are heavy). tests/test_api_docs.py checks that every command is where
# its prefix says; a new prefix gets its module and a name here.
AREAS = ("accounts", "affectations", "app", "auth", "base_eleves", "bilan", "classes", "eleves",
         "livret", "lsu", "niveaux", "paliers", "periodes", "professeurs", "protection",
         "referentiel", "sacoche", "school", "settings", "socle2016", "ui", "validation")
# Changes that are not the school's: they do not move its "last change" (school/file_info.py).
NOT_SCHOOL_CHANGES = {"auth.login"}


@dataclass
class Command:
    name: str
    role: str
    fn: Callable[..., Any]


COMMANDS: dict[str, Command] = {}


def command(name: str, role: str = "any"):
    """Register ``fn(api, payload, session)`` (sync or async) as API command ``name``."""
    assert role in ROLES, role

    def register(fn):
        assert name not in COMMANDS, f"command {name} registered twice"
        COMMANDS[name] = Command(name, role, fn)
        return fn

    return register


@dataclass
class Session:
    """Who is calling. ``state`` holds per-session work in progress (e.g. a grid draft)."""

    user_id: int
    role: str  # 'directeur' | 'professeur'
    login: str
    nom: str
    prenom: str
    must_change_password: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    state: dict = field(default_factory=dict)
    last_seen: Any = field(default_factory=lambda: _compat.now())  # accounts/idle.py

    @property
    def is_director(self) -> bool:
        return self.role == "directeur"

    @property
    def sacoche_signature(self) -> str:
        """How a decision is signed in the SACoche file: "NOM P." (at most 25 characters)."""
        initial = self.prenom.strip()[:1].upper()
        return f"{self.nom.strip().upper()} {initial}.".strip()[:25]

    # A grid being edited (the validation grid, the bilan) is a draft kept in ``state`` under
    # its grid's name until it is saved or discarded.

    def draft(self, grid: str, missing: str | None = None):
        """The draft of ``grid``; None when there is none, or UserError(``missing``) if given."""
        found = self.state.get(grid)
        if found is None and missing is not None:
            raise UserError(missing)
        return found

    def keep_draft(self, grid: str, draft) -> None:
        self.state[grid] = draft

    def drop_draft(self, grid: str) -> None:
        self.state.pop(grid, None)


# While a generated password has not been replaced, only these commands are allowed.
ALLOWED_BEFORE_ACTIVATION = {"app.status", "auth.whoami", "auth.change_password", "auth.logout"}


class Api:
    def __init__(self, path: str):
        self.path = path
        self.db: sqlite3.Connection = db.connect(path)
        self.sessions: dict[str, Session] = {}
        self.kept_drafts: dict[int, dict] = {}  # user id -> draft of an expired session
        self._generation = 0  # how many times the file was replaced

    def close(self) -> None:
        self.db.close()

    def total_changes(self) -> tuple[int, int]:
        """Changes whenever a command changed the database (the bridge persists it then)."""
        return self._generation, self.db.total_changes

    def replace_database(self, data: bytes) -> None:
        """Put the school file ``data`` in place of the open one (``school.replace_file``).

        ``data`` is checked first (``db.check_school_file``); if the new file cannot be opened,
        the previous one is put back. Every session ends: the new file has its own accounts."""
        db.check_school_file(data)
        previous = db.read_file(self.path)
        self.db.close()
        try:
            db.write_file(self.path, data)
            self.db = db.connect(self.path)
        except BaseException:
            db.write_file(self.path, previous)
            self.db = db.connect(self.path)
            raise
        finally:
            self._generation += 1
            self.sessions.clear()
            self.kept_drafts.clear()

    # -- sessions -------------------------------------------------------------------------

    def open_session(self, row: sqlite3.Row) -> Session:
        s = Session(
            user_id=row["id"],
            role=row["role"],
            login=row["login"],
            nom=row["nom"],
            prenom=row["prenom"],
            must_change_password=bool(row["must_change_password"]),
        )
        self.sessions[s.token] = s
        return s

    def drop_sessions(self, user_id: int, keep: str | None = None) -> None:
        """End the sessions of account ``user_id`` (but ``keep``, a token)."""
        for token in [t for t, s in self.sessions.items() if s.user_id == user_id and t != keep]:
            del self.sessions[token]

    def director_session(self) -> Session:
        """The command line acts as the school's director (the file itself is trusted)."""
        from cartable.school import letterhead

        row = letterhead.director(self.db)
        if row is None or not row["actif"]:
            s = Session(0, "directeur", "", "DIRECTION", "")
            self.sessions[s.token] = s
            return s
        return self.open_session(row)

    def _resolve(self, session: Session | str | None) -> Session | None:
        """The live session for a token (or a Session object this Api issued)."""
        if session is None:
            return None
        token = session.token if isinstance(session, Session) else session
        found = self.sessions.get(token) if isinstance(token, str) else None
        if isinstance(session, Session) and found is not session:
            found = None  # logged out, or made up by the caller
        if found is None:
            raise UserError("Votre session a expiré. Reconnectez-vous.", code="session")
        if idle.expired(found):
            del self.sessions[found.token]
            idle.keep_draft(self.kept_drafts, found)
            raise UserError(idle.EXPIRED, code="session")
        return found

    # -- dispatch -------------------------------------------------------------------------

    async def handle(self, command: str, payload: dict | None = None, session=None) -> Any:
        """Run ``command``. Raises UserError (French message) for anything the user can fix."""
        _load_commands(command)
        spec = COMMANDS.get(command)
        if spec is None:
            raise UserError(f"Commande inconnue : « {command} ».")
        if payload is None:
            payload = {}
        if not isinstance(payload, dict):
            raise UserError("Les paramètres de la commande doivent être un objet JSON.")
        sess = self._resolve(session)
        if spec.role != "public":
            if sess is None:
                raise UserError("Connectez-vous d'abord.", code="login")
            if sess.must_change_password and command not in ALLOWED_BEFORE_ACTIVATION:
                raise UserError(
                    "Choisissez d'abord un nouveau mot de passe pour activer votre compte.",
                    code="activation",
                )
            if spec.role == "directeur" and not sess.is_director:
                raise PermissionDenied("Cette action est réservée au directeur ou à la directrice.")
        conn, before = self.db, self.db.total_changes
        try:
            result = spec.fn(self, payload, sess)
            if inspect.isawaitable(result):
                result = await result
            # (A command that swapped the database itself, e.g. opening a school file, keeps
            # the file's own last change.)
            if (self.db is conn and conn.total_changes != before
                    and command not in NOT_SCHOOL_CHANGES):
                from cartable.school import file_info

                file_info.touch(conn)
        except sqlite3.DatabaseError as exc:
            raise database_refusal(exc) from exc
        return result

    # -- permissions shared by handlers ---------------------------------------------------

    def allowed_classes(self, session: Session) -> set[int]:
        """Classes whose pupils ``session`` may validate: all for the director; for a teacher,
        those where he or she is professeur principal, or merely assigned when the director
        allows it (meta ``professeurs_affectes_valident`` = "1")."""
        if session.is_director:
            return {r[0] for r in self.db.execute("SELECT id FROM classe")}
        assigned_ok = db.get_meta(self.db, "professeurs_affectes_valident", "0") == "1"
        sql = "SELECT classe_id FROM affectation WHERE utilisateur_id = ?"
        if not assigned_ok:
            sql += " AND principal = 1"
        return {r[0] for r in self.db.execute(sql, (session.user_id,))}

    def require_classe(self, session: Session, classe_id: Any) -> int:
        """The id of an existing class whose pupils ``session`` may validate."""
        from cartable.school import roster

        cid = roster.classe_id(self.db, classe_id)
        if cid not in self.allowed_classes(session):
            raise PermissionDenied(
                "Vous n'êtes pas professeur principal de cette classe : vous ne pouvez pas "
                "valider pour ses élèves. Demandez au directeur de vous l'attribuer."
            )
        return cid


def database_refusal(exc: sqlite3.DatabaseError) -> UserError:
    """The French answer to an error of the school database itself (``db.transaction`` has
    rolled the command's change back)."""
    if isinstance(exc, sqlite3.IntegrityError):
        what = "la base de l'école a refusé cette modification (une règle de ses données)"
    elif "decode" in str(exc).lower():
        what = "la base de l'école contient un texte illisible (pas de l'UTF-8)"
    else:
        what = "la base de l'école n'a pas pu être lue ou écrite"
    return UserError(f"L'opération n'a pas été faite : {what} ; la modification en cours a "
                     "été annulée. Réessayez ; si l'erreur revient, enregistrez le fichier de "
                     "l'école, rechargez la page et signalez-la.", code="database")


def _load_commands(command: str | None = None) -> None:
    """Import the command module of ``command``'s prefix; all of them for None or an unknown
    prefix. Cheap after the first time (sys.modules)."""
    prefix = command.partition(".")[0] if command else None
    for area in [prefix] if prefix in AREAS else AREAS:
        importlib.import_module(f"cartable.commands.{area}")


def run(awaitable: Awaitable) -> Any:
    """Drive a coroutine to completion in CPython (tests, command line)."""
    import asyncio

    return asyncio.run(_as_coroutine(awaitable))


async def _as_coroutine(awaitable):
    return await awaitable
