"""The browser worker's door into the core: JSON strings in, JSON strings out.

``web/worker/python.js`` calls, in Pyodide::

    bridge.open("/home/pyodide/cartable.sqlite3")
    reply = await bridge.call("app.status", "{}")   # -> '{"ok": true, "result": ..., ...}'

- ``reply`` is ``{"ok": true, "result": ..., "changed": bool}`` or
  ``{"ok": false, "error": "<French message>", "code": ...}``; an unexpected exception gives
  ``{"ok": false, "error": "Erreur interne : ...", "detail": "<traceback>"}``.
- Bytes cross as ``{"__bytes__": "<base64>"}`` in both directions (``wire``). The worker uses
  ``call_blobs(command, payload_json, blobs)`` instead: the same reply, but bytes travel beside
  the JSON, ``{"__blob__": i}`` naming the i-th of ``blobs`` (in: JS Uint8Arrays, read with
  ``to_bytes()``) or of the returned list (out: ``(reply_json, [bytes, ...])``): no base64,
  no multi-megabyte JSON string (a 40 MB school file took 4.8 s as base64 JSON).
- ``changed`` tells the worker to persist the database file (IndexedDB).
- The login session is kept here: the token returned by ``auth.login`` (or by ``app.setup``
  and ``auth.reset_with_code``, which log the director in) is passed to every later command;
  ``auth.logout`` and ``school.replace_file`` (a new file, its own accounts) forget it.
- ``try_open(path)`` and ``check_file(path)`` answer the worker at start-up and on the
  recovery screen (stored database unreadable) with the same JSON reply shape.

Like the rest of the core, this module imports neither ``js`` nor ``pyodide``: it runs (and
is tested) in CPython too.
"""

from __future__ import annotations

import builtins
import json
import traceback
from typing import Any

from cartable import db, wire
from cartable.api import Api
from cartable.errors import UserError

_api: Api | None = None
_session: str | None = None  # opaque token from auth.login
LOGIN_COMMANDS = ("auth.login", "app.setup", "auth.reset_with_code")  # replies with a session

# After these commands the worker's session is over.
_ENDS_SESSION = {"auth.logout", "school.replace_file"}


def open(path: str) -> None:
    """Open (or create) the school database at ``path``."""
    global _api, _session
    close()
    _api = Api(path)
    _session = None


def _failure(exc: Exception) -> dict:
    if isinstance(exc, UserError):
        return {"ok": False, "error": str(exc)}
    return {"ok": False, "error": f"Erreur interne : {type(exc).__name__}: {exc}",
            "detail": traceback.format_exc()}


def try_open(path: str) -> str:
    """``open(path)`` for the worker: a JSON reply like ``call``'s, never an exception."""
    try:
        open(path)
        return json.dumps({"ok": True})
    except Exception as e:  # noqa: BLE001 - the worker must get an answer
        return json.dumps(_failure(e), ensure_ascii=False)


def check_file(path: str) -> str:
    """Is the file at ``path`` a school file this version can open (``db.check_school_file``)?

    A JSON reply like ``try_open``'s; the file is only read. The worker uses it on the
    recovery screen, before a chosen file replaces the unreadable stored database."""
    try:
        with builtins.open(path, "rb") as f:
            data = f.read()
        return json.dumps({"ok": True, "version": db.check_school_file(data)})
    except Exception as e:  # noqa: BLE001 - the worker must get an answer
        return json.dumps(_failure(e), ensure_ascii=False)


def describe_file(path: str, file_name: str = "") -> str:
    """What the school file at ``path`` holds and the question to ask before it replaces an
    unreadable stored database (``file_info.recovery_question``), as JSON: ``{"ok", "titre",
    "contenu", "message"}``, or ``try_open``'s failure (a French reason). Only read."""
    from cartable.school import file_info

    try:
        with builtins.open(path, "rb") as f:
            data = f.read()
        candidate = file_info.describe_bytes(data)
        return json.dumps({"ok": True, **file_info.recovery_question(candidate, file_name)},
                          ensure_ascii=False)
    except Exception as e:  # noqa: BLE001 - the worker must get an answer
        return json.dumps(_failure(e), ensure_ascii=False)


def close() -> None:
    global _api
    if _api is not None:
        _api.close()
        _api = None


async def call(command: str, payload_json: str) -> str:
    """Run one command; never raises (every failure becomes an ``ok: false`` reply)."""
    return json.dumps(await _reply(command, lambda: _payload(payload_json), wire.b64),
                      ensure_ascii=False)


async def call_blobs(command: str, payload_json: str, blobs=()) -> tuple[str, list[bytes]]:
    """``call`` with bytes beside the JSON (``{"__blob__": i}``): ``(reply_json, blobs_out)``.

    ``blobs``: byte strings, or the worker's JS Uint8Arrays (Pyodide proxies: ``to_bytes()``)."""
    out, show = wire.blob_collector()
    reply = await _reply(command, lambda: _payload(payload_json, [_bytes(b) for b in blobs]),
                         show)
    if not reply["ok"]:
        out.clear()
    return json.dumps(reply, ensure_ascii=False), out


def _bytes(blob) -> bytes:
    if isinstance(blob, (bytes, bytearray, memoryview)):
        return bytes(blob)
    return blob.to_bytes()  # a JsProxy of a Uint8Array (Pyodide)


async def _reply(command: str, payload, show_bytes) -> dict:
    try:
        payload = payload()
        if _api is None:
            raise RuntimeError("the school database is not open (bridge.open was not called)")
        before = _api.total_changes()
        result = None
        try:
            result = await _api.handle(command, payload, _session)
        finally:
            _track_session(command, result)
        reply = {"ok": True, "result": wire.to_wire(result, show_bytes),
                 "changed": _api.total_changes() != before}
    except UserError as e:
        code = e.details.get("code")
        if code == "session":
            _forget_session()
        reply = _failure(e)
        for key in ("code", "field"):  # "field": the form field the message is about
            if e.details.get(key) is not None:
                reply[key] = e.details[key]
    except Exception as e:  # noqa: BLE001 - the browser must get an answer, never a hang
        reply = _failure(e)
        reply["error"] += (". Rechargez la page ; si l'erreur revient, notez ce que vous "
                           "faisiez et signalez-la.")
    return reply


def _payload(payload_json: str, blobs: list[bytes] | None = None) -> Any:
    try:
        return wire.from_wire(json.loads(payload_json), blobs=blobs) if payload_json else {}
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
        raise UserError("Le fichier reçu est illisible (transmission incomplète). Choisissez-le "
                        "à nouveau.") from None


# -- session --------------------------------------------------------------------------------


def _track_session(command: str, result: Any) -> None:
    global _session
    if command in LOGIN_COMMANDS and isinstance(result, dict):
        token = result.get("session")
        if isinstance(token, str):
            _session = token
    elif command in _ENDS_SESSION:
        _forget_session()


def _forget_session() -> None:
    global _session
    _session = None
