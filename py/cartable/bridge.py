"""The browser worker's door into the core: JSON strings in, JSON strings out.

``web/worker.js`` calls, in Pyodide::

    bridge.open("/home/pyodide/cartable.sqlite3")
    reply = await bridge.call("app.status", "{}")   # -> '{"ok": true, "result": ..., ...}'

- ``reply`` is ``{"ok": true, "result": ..., "changed": bool}`` or
  ``{"ok": false, "error": "<French message>", "code": ...}``; an unexpected exception gives
  ``{"ok": false, "error": "Erreur interne : ...", "detail": "<traceback>"}``.
- Bytes cross as ``{"__bytes__": "<base64>"}`` in both directions.
- ``changed`` tells the worker to persist the database file (IndexedDB).
- The login session is kept here: the token returned by ``auth.login`` is passed to every
  later command, ``auth.logout`` forgets it.
- ``school.file_bytes`` and ``school.replace_file`` (save / open the school file) are handled
  here, because they are about the file itself, not its content.
- ``try_open(path)`` and ``check_file(path)`` answer the worker at start-up and on the
  recovery screen (stored database unreadable) with the same JSON reply shape.

Like the rest of the core, this module imports neither ``js`` nor ``pyodide``: it runs (and
is tested) in CPython too.
"""

from __future__ import annotations

import base64
import builtins
import json
import os
import traceback
from typing import Any

from .errors import UserError

_api: Any = None  # cartable.api.Api
_path: str | None = None
_session: str | None = None  # opaque token from auth.login


def open(path: str) -> None:
    """Open (or create) the school database at ``path``."""
    global _api, _path, _session
    from .api import Api

    close()
    _api = Api(path)
    _path = path
    _session = None


def try_open(path: str) -> str:
    """``open(path)`` for the worker: a JSON reply like ``call``'s, never an exception."""
    try:
        open(path)
        return json.dumps({"ok": True})
    except UserError as e:
        return json.dumps({"ok": False, "error": str(e)}, ensure_ascii=False)
    except Exception as e:  # noqa: BLE001
        return json.dumps({"ok": False, "error": f"Erreur interne : {type(e).__name__}: {e}",
                           "detail": traceback.format_exc()}, ensure_ascii=False)


def check_file(path: str) -> str:
    """Is the file at ``path`` a school file this version can open (``db.check_school_file``)?

    A JSON reply like ``try_open``'s; the file is only read. The worker uses it on the
    recovery screen, before a chosen file replaces the unreadable stored database."""
    try:
        from . import db

        with builtins.open(path, "rb") as f:
            data = f.read()
        return json.dumps({"ok": True, "version": db.check_school_file(data)})
    except UserError as e:
        return json.dumps({"ok": False, "error": str(e)}, ensure_ascii=False)
    except Exception as e:  # noqa: BLE001
        return json.dumps({"ok": False, "error": f"Erreur interne : {type(e).__name__}: {e}",
                           "detail": traceback.format_exc()}, ensure_ascii=False)


def close() -> None:
    global _api
    if _api is not None:
        _api.close()
        _api = None


async def call(command: str, payload_json: str) -> str:
    """Run one command; never raises (every failure becomes an ``ok: false`` reply)."""
    try:
        payload = _from_wire(json.loads(payload_json)) if payload_json else {}
        if _api is None:
            raise RuntimeError("the school database is not open (bridge.open was not called)")
        special = _SPECIAL.get(command)
        if special is not None:
            result, changed = await special(payload)
        else:
            before = _fingerprint()
            result = None
            try:
                result = await _api.handle(command, payload, _session)
            finally:
                _track_session(command, result)
            changed = _fingerprint() != before
        reply = {"ok": True, "result": _to_wire(result), "changed": changed}
    except UserError as e:
        if getattr(e, "details", {}).get("code") == "session":
            _forget_session()
        reply = {"ok": False, "error": str(e)}
        code = getattr(e, "details", {}).get("code")
        if code is not None:
            reply["code"] = code
    except Exception as e:  # noqa: BLE001 - the browser must get an answer, never a hang
        reply = {
            "ok": False,
            "error": f"Erreur interne : {type(e).__name__}: {e}. Rechargez la page ; si "
            "l'erreur revient, notez ce que vous faisiez et signalez-la.",
            "detail": traceback.format_exc(),
        }
    return json.dumps(reply, ensure_ascii=False)


# -- session --------------------------------------------------------------------------------


def _track_session(command: str, result: Any) -> None:
    global _session
    if command == "auth.login" and isinstance(result, dict):
        token = result.get("session")
        if isinstance(token, str):
            _session = token
    elif command == "auth.logout":
        _forget_session()


def _forget_session() -> None:
    global _session
    _session = None


def _session_is_director() -> bool:
    sessions = getattr(_api, "sessions", {})
    session = sessions.get(_session) if _session else None
    return bool(getattr(session, "is_director", False))


def _may_manage_file() -> bool:
    """The school file may be saved or replaced by the director, or by anyone while the
    school has no director account yet (first start, restoring a saved file)."""
    if _session_is_director():
        return True
    try:
        row = _api.db.execute(
            "SELECT 1 FROM utilisateur WHERE role = 'directeur' AND actif = 1 LIMIT 1"
        ).fetchone()
    except Exception:  # noqa: BLE001 - schema not there: nothing to protect yet
        return True
    return row is None


# -- change detection -----------------------------------------------------------------------


def _fingerprint() -> tuple:
    """Changes whenever the database changed: SQLite's change counter, and the file."""
    changes = None
    total = getattr(_api, "total_changes", None)
    if callable(total):
        changes = total()
    elif hasattr(getattr(_api, "db", None), "total_changes"):
        changes = _api.db.total_changes
    try:
        st = os.stat(_path)
        file_state = (st.st_size, st.st_mtime_ns)
    except OSError:
        file_state = None
    return changes, file_state


# -- the school file itself -----------------------------------------------------------------


async def _file_bytes(payload: dict) -> tuple[dict, bool]:
    if not _may_manage_file():
        raise UserError("Seul le directeur ou la directrice peut enregistrer le fichier école.")
    conn = getattr(_api, "db", None)
    if conn is not None and getattr(conn, "in_transaction", False):
        raise UserError("Une opération est en cours. Réessayez dans un instant.")
    from . import _compat, db

    data = _read_db()
    return {"filename": db.school_file_name(_compat.today()), "data": data}, False


async def _replace_file(payload: dict) -> tuple[dict, bool]:
    global _api, _session
    if not _may_manage_file():
        raise UserError("Seul le directeur ou la directrice peut ouvrir un autre fichier école.")
    data = payload.get("data")
    if not isinstance(data, bytes):
        raise UserError("Aucun fichier reçu. Choisissez le fichier école (.sqlite3) à ouvrir.")
    from . import db

    check = getattr(db, "check_school_file", None)
    if check is not None:
        check(data)  # raises UserError with a French message when it is not a school file
    elif not data.startswith(b"SQLite format 3\0"):
        raise UserError("Ce fichier n'est pas un fichier école Cartable.")

    previous = _read_db()
    _api.close()
    _api = None
    _session = None
    try:
        _write_db(data)
        open(_path)
    except Exception:
        _write_db(previous)
        open(_path)
        raise
    return {"replaced": True}, True


def _read_db() -> bytes:
    with builtins.open(_path, "rb") as f:
        return f.read()


def _write_db(data: bytes) -> None:
    for suffix in ("-journal", "-wal", "-shm"):
        try:
            os.remove(_path + suffix)
        except FileNotFoundError:
            pass
    tmp = _path + ".tmp"
    with builtins.open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, _path)


_SPECIAL = {
    "school.file_bytes": _file_bytes,
    "school.replace_file": _replace_file,
}


# -- wire format ----------------------------------------------------------------------------


def _from_wire(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "__bytes__" in value:
            return base64.b64decode(value["__bytes__"])
        return {k: _from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_wire(v) for v in value]
    return value


def _to_wire(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"__bytes__": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: _to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_wire(v) for v in value]
    return value
