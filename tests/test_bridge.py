"""The worker's door into the core (py/cartable/bridge.py), exercised in CPython."""

from __future__ import annotations

import asyncio
import base64
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from cartable import bridge, db, wire

SQLITE_MAGIC = b"SQLite format 3\x00"
PASSWORD = "Cartable-2024-solide!"


# Everything runs in one side thread: asyncio.run then works even when another test left
# an event loop running in the main thread (Playwright's sync API does, in e2e tests of the
# same session), and SQLite's connection stays in the thread that made it.
_THREAD = ThreadPoolExecutor(1)


def in_thread(fn, *args):
    return _THREAD.submit(fn, *args).result()


def run(coro):
    return in_thread(asyncio.run, coro)


def bridge_call(command: str, payload=None) -> dict:
    """One command through the bridge's JSON door (not ``helpers.call``: JSON in and out)."""
    return json.loads(run(bridge.call(command, json.dumps(payload or {}))))


@pytest.fixture
def school(tmp_path):
    path = tmp_path / "school.sqlite3"
    in_thread(bridge.open, str(path))
    yield path
    in_thread(bridge.close)


def b64(data: bytes) -> dict:
    return {"__bytes__": base64.b64encode(data).decode()}


def setup_director() -> str:
    reply = bridge_call("app.setup", {"nom": "École du Centre", "uai": "0750001U",
                               "directeur": {"nom": "Martin", "prenom": "Anne",
                                             "password": PASSWORD}})
    assert reply["ok"], reply
    assert reply["changed"] is True
    return reply["result"]["login"]


def test_reply_shapes(school):
    ok = bridge_call("app.status")
    assert ok["ok"] is True and ok["changed"] is False and "result" in ok
    err = bridge_call("pas.une.commande")
    assert err == {"ok": False, "error": err["error"]}
    assert "Commande inconnue" in err["error"]


def test_internal_error_is_french_with_detail(school):
    reply = json.loads(run(bridge.call("app.status", "{not json")))
    assert reply["ok"] is False
    assert reply["error"].startswith("Erreur interne : ")
    assert "Traceback" in reply["detail"]


def test_wire_format_round_trip():
    data = bytes(range(256))
    assert wire.from_wire({"a": [b64(data)], "b": 1}) == {"a": [data], "b": 1}
    assert wire.to_wire({"x": (data, "s")}) == {"x": [b64(data), "s"]}
    with pytest.raises(ValueError):
        wire.from_wire({"a": {"__bytes__": "%%%"}})


def test_bad_base64_is_a_french_error(school):
    reply = json.loads(run(bridge.call("school.replace_file", '{"data": {"__bytes__": "%%"}}')))
    assert reply == {"ok": False, "error": reply["error"]} and "illisible" in reply["error"]


def test_session_is_kept_and_forgotten(school):
    login = setup_director()
    assert bridge_call("auth.whoami")["result"]["login"] == login  # creating the school logs in
    assert bridge_call("auth.logout")["ok"]
    assert bridge_call("auth.whoami")["ok"] is False
    assert bridge_call("auth.login", {"login": login, "password": PASSWORD})["ok"]
    me = bridge_call("auth.whoami")
    assert me["ok"] and me["result"]["login"] == login
    assert bridge_call("auth.logout")["ok"]
    assert bridge_call("auth.whoami")["ok"] is False


def test_reset_with_the_code_de_secours_logs_the_director_in(school):
    reply = bridge_call("app.setup", {"nom": "École du Centre", "directeur": {
        "nom": "Martin", "prenom": "Anne", "login": "anne.martin", "password": PASSWORD}})
    code = reply["result"]["code_secours"]
    reset = bridge_call("auth.reset_with_code", {"login": "anne.martin", "code": code,
                                          "new_password": "Oublie-puis-retrouve"})
    assert reset["ok"] and reset["changed"] is True
    me = bridge_call("auth.whoami")
    assert me["ok"] and me["result"]["login"] == "anne.martin"
    assert bridge_call("school.file_bytes")["ok"]  # the director's session, kept by the bridge


def test_errors_say_which_field_they_are_about(school):
    reply = bridge_call("app.setup", {"nom": "École", "uai": "12", "directeur": {
        "nom": "Martin", "prenom": "Anne", "password": PASSWORD}})
    assert reply["ok"] is False and reply["field"] == "uai" and "UAI" in reply["error"]
    assert "field" not in bridge_call("pas.une.commande")


def test_school_file_bytes(school):
    reply = bridge_call("school.file_bytes")
    # "changed": the save time and the reset count are kept in the browser's copy too
    assert reply["ok"] and reply["changed"] is True
    result = reply["result"]
    assert result["filename"].startswith("ecole-cartable-")
    assert result["filename"].endswith(".sqlite3")
    assert base64.b64decode(result["data"]["__bytes__"]).startswith(SQLITE_MAGIC)


def test_school_file_is_the_directors_once_there_is_one(school):
    login = setup_director()
    assert bridge_call("school.file_bytes")["ok"]  # logged in by the creation
    bridge_call("auth.logout")
    refused = bridge_call("school.file_bytes")
    assert refused["ok"] is False and "directeur" in refused["error"]
    bridge_call("auth.login", {"login": login, "password": PASSWORD})
    assert bridge_call("school.file_bytes")["ok"]


def test_replace_file(school, tmp_path):
    other = tmp_path / "other.sqlite3"
    in_thread(bridge.open, str(other))
    setup_director()
    data = other.read_bytes()
    in_thread(bridge.open, str(school))
    assert bridge_call("app.status")["result"]["needs_setup"] is True

    reply = bridge_call("school.replace_file", {"data": b64(data)})
    assert reply == {"ok": True, "result": {"replaced": True}, "changed": True}
    assert bridge_call("app.status")["result"]["needs_setup"] is False


def test_replace_file_refuses_garbage_and_keeps_the_school(school):
    before = school.read_bytes()
    for payload in [{"data": b64(b"pas une base")}, {}]:
        reply = bridge_call("school.replace_file", payload)
        assert reply["ok"] is False and "detail" not in reply, reply
    assert school.read_bytes() == before
    assert bridge_call("app.status")["ok"]


def test_try_open_reports_a_bad_file_in_french(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"pas une base" * 100)
    reply = json.loads(in_thread(bridge.try_open, str(bad)))
    assert reply["ok"] is False and reply["error"]
    good = json.loads(in_thread(bridge.try_open, str(tmp_path / "new.sqlite3")))
    assert good == {"ok": True}
    in_thread(bridge.close)


def test_check_file_only_reads_and_answers_in_french(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(SQLITE_MAGIC + b"\x00" * 200)  # looks like SQLite, is not a school
    reply = json.loads(in_thread(bridge.check_file, str(bad)))
    assert reply["ok"] is False and "fichier d'école" in reply["error"], reply
    assert bad.read_bytes() == SQLITE_MAGIC + b"\x00" * 200
    missing = json.loads(in_thread(bridge.check_file, str(tmp_path / "absent.sqlite3")))
    assert missing["ok"] is False and "Erreur interne" in missing["error"]

    good = tmp_path / "good.sqlite3"
    in_thread(bridge.open, str(good))
    setup_director()
    in_thread(bridge.close)
    before = good.read_bytes()
    assert json.loads(in_thread(bridge.check_file, str(good))) == {"ok": True, "version": db.SCHEMA_VERSION}
    assert good.read_bytes() == before


def test_describe_file_names_the_school_before_it_replaces_unreadable_data(tmp_path):
    """The damaged-database screen's question. Bad files tried: SQLite that is not a school,
    a passphrase-protected file (the page decrypts it first), a missing file."""
    good = tmp_path / "good.sqlite3"
    in_thread(bridge.open, str(good))
    setup_director()
    in_thread(bridge.close)
    before = good.read_bytes()
    reply = json.loads(in_thread(bridge.describe_file, str(good), "ecole-cartable-2026.sqlite3"))
    assert reply["ok"] is True and reply["titre"] == "Ouvrir ce fichier d'école ?"
    assert "Fichier : ecole-cartable-2026.sqlite3" in reply["contenu"]
    assert "École : École du Centre" in reply["contenu"] and "UAI : 0750001U" in reply["contenu"]
    assert "Élèves : 0 élève" in reply["contenu"]
    assert "données illisibles" in reply["message"]
    assert good.read_bytes() == before

    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(SQLITE_MAGIC + b"\x00" * 200)
    reply = json.loads(in_thread(bridge.describe_file, str(bad)))
    assert reply["ok"] is False and "fichier d'école" in reply["error"], reply
    sealed = tmp_path / "protege.sqlite3"
    sealed.write_bytes(b"CARTABLE-CHIFFRE" + bytes(100))
    reply = json.loads(in_thread(bridge.describe_file, str(sealed)))
    assert reply["ok"] is False and "phrase de passe" in reply["error"], reply
    missing = json.loads(in_thread(bridge.describe_file, str(tmp_path / "absent.sqlite3")))
    assert missing["ok"] is False


# -- bytes beside the JSON (call_blobs, the worker's door) -----------------------------------


class JsBytes:
    """What Pyodide hands the bridge for a JS Uint8Array: a proxy with to_bytes()."""

    def __init__(self, data: bytes):
        self.data = data

    def to_bytes(self) -> bytes:
        return self.data


def blobs_call(command: str, payload=None, blobs=()) -> tuple[dict, list]:
    text, out = run(bridge.call_blobs(command, json.dumps(payload or {}), blobs))
    return json.loads(text), out


def test_blob_references_round_trip():
    data = bytes(range(256))
    blobs, show = wire.blob_collector()
    shown = wire.to_wire({"a": [data, "s"], "b": b"", "c": 1}, show)
    assert shown == {"a": [{"__blob__": 0}, "s"], "b": {"__blob__": 1}, "c": 1}
    assert blobs == [data, b""]
    assert wire.from_wire(shown, blobs=blobs) == {"a": [data, "s"], "b": b"", "c": 1}
    assert wire.from_wire({"__blob__": 0}) == {"__blob__": 0}  # no blobs: plain JSON
    for bad in ({"__blob__": 2}, {"__blob__": -1}, {"__blob__": "0"}, {"__blob__": True}):
        with pytest.raises(ValueError):
            wire.from_wire(bad, blobs=blobs)


def test_call_blobs_returns_the_school_file_beside_the_json(school):
    reply, out = blobs_call("school.file_bytes")
    assert reply["ok"] and reply["result"]["data"] == {"__blob__": 0}
    assert len(out) == 1 and out[0] == school.read_bytes() and out[0].startswith(SQLITE_MAGIC)
    without_notice = {k: v for k, v in reply["result"].items() if k != "message"}
    assert len(json.dumps({**reply, "result": without_notice})) < 200  # no base64 in the JSON
    status, none = blobs_call("app.status")
    assert status["ok"] and none == []


def test_call_blobs_takes_a_uploaded_file_beside_the_json(school, tmp_path):
    other = tmp_path / "other.sqlite3"
    in_thread(bridge.open, str(other))
    setup_director()
    data = other.read_bytes()
    in_thread(bridge.open, str(school))
    reply, out = blobs_call("school.replace_file", {"data": {"__blob__": 0}}, [JsBytes(data)])
    assert reply == {"ok": True, "result": {"replaced": True}, "changed": True} and out == []
    assert school.read_bytes() == data
    assert bridge_call("app.status")["result"]["needs_setup"] is False


def test_call_blobs_refuses_a_missing_blob_in_french_and_keeps_the_school(school):
    before = school.read_bytes()
    reply, out = blobs_call("school.replace_file", {"data": {"__blob__": 1}}, [b"x"])
    assert reply["ok"] is False and "illisible" in reply["error"] and out == []
    reply, out = blobs_call("school.replace_file", {"data": {"__blob__": 0}}, [b"pas une base"])
    assert reply["ok"] is False and "detail" not in reply and out == []
    assert school.read_bytes() == before
