"""The offline runtime, as a user's browser sees it: dist/cartable/index.html from file://."""

from __future__ import annotations

import base64
import concurrent.futures
import gzip
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

SQLITE_MAGIC = b"SQLite format 3\x00"


def test_reaches_ready_and_calls_python(page, e2e):
    assert e2e.wait_state(page) == "ready"
    e2e.screenshot(page, "runtime-ready")
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'none'" in csp and "connect-src" not in csp

    status = e2e.js(page, "Cartable.call('app.status', {})")
    assert isinstance(status, dict) and "error" not in status, status

    # A user error comes back as a French sentence, not a traceback.
    err = e2e.js(page, "Cartable.call('pas.une.commande', {})")
    assert "Commande inconnue" in err["error"]
    assert "Traceback" not in err["error"]


def test_school_file_download(page, e2e):
    assert e2e.wait_state(page) == "ready"
    with page.expect_download() as info:
        name = e2e.js(page, """Cartable.call('school.file_bytes', {}).then(r => {
            Cartable.download(r.data, r.filename, 'application/vnd.sqlite3');
            return r.filename; })""")
    assert name.startswith("ecole-cartable-") and name.endswith(".sqlite3"), name
    download = info.value
    assert download.suggested_filename == name
    data = Path(download.path()).read_bytes()
    assert data.startswith(SQLITE_MAGIC)


DIRECTOR = {"login": "direction", "password": "Directrice-2026"}


def _school_file(tmp_path, marker: str) -> bytes:
    """A school file made by the core in CPython (with its director: a file without one is
    refused), with a recognisable meta value."""
    from cartable import api, db

    path = tmp_path / "other.sqlite3"
    school = api.Api(str(path))
    api.run(school.handle("app.setup", {"nom": "École", "directeur": {
        "nom": "Durand", "prenom": "Sophie", **DIRECTOR}}))
    with db.transaction(school.db):
        db.set_meta(school.db, "e2e_marker", marker)
    school.close()
    return path.read_bytes()


def test_database_persists_across_reload(page, e2e, tmp_path):
    assert e2e.wait_state(page) == "ready"
    marker = f"persist-{time.time_ns()}"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright's loop is this thread's
        data = list(pool.submit(_school_file, tmp_path, marker).result())
    result = e2e.js(page, f"Cartable.call('school.replace_file', "
                          f"{{data: new Uint8Array({data})}})")
    assert result == {"replaced": True}, result

    page.reload()
    assert e2e.wait_state(page) == "ready"
    saved = e2e.js(page, f"Cartable.call('auth.login', {DIRECTOR!r}).then(() => "
                         "Cartable.call('school.file_bytes', {})).then(r => Array.from(r.data))")
    path = tmp_path / "back.sqlite3"
    path.write_bytes(bytes(saved))
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'e2e_marker'").fetchone()
    assert row == (marker,)


def test_replace_file_refuses_garbage(page, e2e):
    assert e2e.wait_state(page) == "ready"
    err = e2e.js(page, "Cartable.call('school.replace_file', "
                       "{data: new TextEncoder().encode('pas une base')})")
    assert err.get("error"), err
    assert "Traceback" not in err["error"] and "Erreur interne" not in err["error"]


def test_pandas_loads_in_background(page, e2e):
    assert e2e.wait_state(page) == "ready"
    assert e2e.js(page, "Cartable.whenPandas().then(() => 'ok')") == "ok"
    # Commands still answer afterwards.
    assert "error" not in e2e.js(page, "Cartable.call('app.status', {})")


@pytest.mark.parametrize("damage", ["truncated", "missing", "corrupt", "not-wasm"])
# Planted: the truncated script does not parse; the corrupt one's data fail to decode (the
# start-up error screen then says it in French, which the test checks).
@pytest.mark.guard_allows(r"^Uncaught SyntaxError: Invalid or unexpected token$",
                          r"^Cartable: start-up failed: Le fichier assets/pyodide\.asm\.wasm\.js "
                          r"est abîmé\. TypeError: Failed to fetch")
def test_damaged_asset_shows_error_screen(context, e2e, tmp_path, damage):
    copy = tmp_path / "cartable"
    shutil.copytree(e2e.DIST, copy)
    asset = copy / "assets" / "pyodide.asm.wasm.js"
    if damage == "truncated":
        asset.write_bytes(asset.read_bytes()[: asset.stat().st_size // 2])
    elif damage == "missing":
        asset.unlink()
    elif damage == "corrupt":  # a well-formed script whose data is not gzip
        asset.write_text('(self.__EMBED__ ||= {})["pyodide.asm.wasm.gz"] = "AAAA";\n')
    else:  # valid gzip, but not WebAssembly: Pyodide hangs, only the time limit catches it
        b64 = base64.b64encode(gzip.compress(b"not wasm")).decode()
        asset.write_text(f'(self.__EMBED__ ||= {{}})["pyodide.asm.wasm.gz"] = "{b64}";\n')
    page = context.new_page()
    started = time.monotonic()
    e2e.open_app(page, (copy / "index.html").as_uri(), "?timeout=5000")
    assert e2e.wait_state(page, timeout_ms=20_000) == "error"
    assert time.monotonic() - started < 15
    assert page.locator("#boot-error").is_visible()
    text = page.locator("#boot-error").inner_text()
    assert "Chrome" in text and "dossier" in text
    if damage == "not-wasm":
        assert "trop de temps" in text
    e2e.screenshot(page, f"runtime-error-{damage}")


def test_unreadable_saved_database_is_explained(page, e2e):
    assert e2e.wait_state(page) == "ready"
    e2e.js(page, """new Promise((resolve, reject) => {
        const req = indexedDB.open("cartable", 1);
        req.onsuccess = () => {
            const tx = req.result.transaction("files", "readwrite");
            tx.objectStore("files").put(new TextEncoder().encode("x".repeat(5000)),
                                        "school.sqlite3");
            tx.oncomplete = () => { req.result.close(); resolve(true); };
            tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error); })""")
    page.reload()
    # The recovery screen (details and choices: e2e/test_resilience.py).
    page.wait_for_selector('html[data-state="recovery"]', state="attached", timeout=60_000)
    assert "enregistrées dans ce navigateur" in page.locator("#boot-recovery").inner_text()


def test_a_real_command_is_saved_across_reload(page, e2e):
    assert e2e.wait_state(page) == "ready"
    setup = e2e.js(page, """Cartable.call('app.setup', {nom: 'École du Centre', uai: '0750001U',
        directeur: {nom: 'Martin', prenom: 'Anne', password: 'Cartable-2024-solide!'}})""")
    assert "error" not in setup, setup
    page.reload()
    assert e2e.wait_state(page) == "ready"
    status = e2e.js(page, "Cartable.call('app.status', {})")
    assert status["needs_setup"] is False, status
