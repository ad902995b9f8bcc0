"""The school file in the browser, in chunks (web/worker/store.js, chunks.js).

- a school stored in the first format (the whole file as one IndexedDB value, as Cartable kept
  it before chunks) opens; its first save moves it to chunks, and it opens again after that;
- a small change on a school file of many chunks writes only the few chunks it touched (the
  worker's ``lastSave``), and the file put back together from IndexedDB is the worker's own;
- a stored file with a chunk missing is not guessed: the recovery screen, nothing overwritten.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")

TIMEOUT = 60_000
PASSWORD = "Directrice-2026"
SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK = 64 * 1024
MANIFEST = """async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("cartable", 1);
                                             r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const v = await new Promise((ok) => {
    const g = db.transaction("files").objectStore("files").get("school.sqlite3");
    g.onsuccess = () => ok(g.result); });
  db.close();
  return v instanceof Uint8Array ? {bytes: v.length} : v;
}"""
DROP_CHUNK = """async (key) => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("cartable", 1);
                                             r.onsuccess = () => ok(r.result); r.onerror = ko; });
  await new Promise((ok, ko) => { const tx = db.transaction("files", "readwrite");
    tx.objectStore("files").delete(key); tx.oncomplete = ok; tx.onerror = ko; });
  db.close();
}"""


_THREAD = ThreadPoolExecutor(1)  # asyncio.run outside Playwright's event loop


def make_school(path: Path, pupils: int) -> bytes:
    return _THREAD.submit(_make_school, path, pupils).result()


def _make_school(path: Path, pupils: int) -> bytes:
    from cartable import api, db

    school = api.Api(str(path))
    try:
        api.run(school.handle("app.setup", {"nom": "École des Tilleuls", "uai": "0441234C",
                                            "directeur": {"nom": "Durand", "prenom": "Sophie",
                                                          "login": "direction",
                                                          "password": PASSWORD}}))
        with db.transaction(school.db):
            school.db.execute("INSERT INTO classe (id, niveau_id, nom, ref) "
                              "VALUES (1, 17, 'CM1 A', 'A')")
            school.db.executemany(
                "INSERT INTO eleve (nom, prenom, classe_id, actif) VALUES (?, ?, 1, 1)",
                [(f"ELEVE{i:05d}-{'x' * 200}", f"Prénom{i:05d}") for i in range(pupils)])
    finally:
        school.close()
    return path.read_bytes()


def login(e2e, page):
    e2e.call(page, "auth.login", f'{{login: "direction", password: "{PASSWORD}"}}')


def school_name(e2e, page) -> str:
    return e2e.call(page, "school.identity")["nom"]


def last_save(page) -> dict:
    return page.workers[0].evaluate("CartableWorker.state.lastSave")


def test_a_school_in_the_first_format_opens_then_moves_to_chunks(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    data = make_school(tmp_path / "a.sqlite3", pupils=40)
    e2e.idb_put(page, data)  # the first format: one value, the whole file
    page.reload()
    assert e2e.wait_state(page) == "ready"
    assert page.evaluate(MANIFEST) == {"bytes": len(data)}  # opening writes nothing
    login(e2e, page)
    assert school_name(e2e, page) == "École des Tilleuls"
    e2e.call(page, "school.update", '{nom: "École des Tilleuls (migrée)", uai: "0441234C"}')
    manifest = page.evaluate(MANIFEST)
    assert manifest["format"] == "cartable-chunks-1" and manifest["chunk"] == CHUNK
    assert manifest["count"] == -(-manifest["size"] // CHUNK)
    chunks = [k for k in e2e.idb_keys(page) if k.startswith("school.sqlite3#")]
    assert chunks == [f"school.sqlite3#{i:06d}" for i in range(manifest["count"])]
    assert last_save(page)["chunks"] == manifest["count"]  # the migration wrote them all
    stored = e2e.idb_get(page)
    assert stored.startswith(SQLITE_MAGIC) and len(stored) == manifest["size"]
    assert e2e.query(stored, tmp_path, "SELECT value FROM meta WHERE key = 'nom'") == [("École des Tilleuls (migrée)",)]
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(e2e, page)
    assert school_name(e2e, page) == "École des Tilleuls (migrée)"


def test_a_small_change_writes_only_the_chunks_it_touched(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    data = make_school(tmp_path / "b.sqlite3", pupils=6000)
    assert len(data) > 20 * CHUNK
    e2e.idb_put(page, data)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(e2e, page)
    e2e.call(page, "school.update", '{nom: "Première modification", uai: "0441234C"}')  # the migration
    first = last_save(page)
    assert first["chunks"] == -(-first["size"] // CHUNK)
    e2e.call(page, "school.update", '{nom: "Deuxième modification", uai: "0441234C"}')
    second = last_save(page)
    assert 1 <= second["chunks"] <= 4, second
    memory = page.workers[0].evaluate(
        "Array.from(CartableWorker.state.pyodide.FS.readFile('/home/pyodide/cartable.sqlite3'))")
    assert e2e.idb_get(page) == bytes(memory)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(e2e, page)
    assert school_name(e2e, page) == "Deuxième modification"
    assert e2e.call(page, "school.overview")  # the whole file reads back


def test_a_missing_chunk_is_not_guessed(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    e2e.idb_put(page, make_school(tmp_path / "c.sqlite3", pupils=600))
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(e2e, page)
    e2e.call(page, "school.update", '{nom: "En morceaux", uai: "0441234C"}')
    keys_before = e2e.idb_keys(page)
    page.evaluate(DROP_CHUNK, "school.sqlite3#000001")
    page.reload()
    page.wait_for_selector('html[data-state="recovery"]', state="attached", timeout=TIMEOUT)
    assert "enregistrées dans ce navigateur" in page.locator("#boot-recovery").inner_text()
    manifest = page.evaluate(MANIFEST)
    assert manifest["format"] == "cartable-chunks-1"  # nothing overwritten
    assert sorted(e2e.idb_keys(page)) == sorted(k for k in keys_before if k != "school.sqlite3#000001")


def test_a_new_school_over_unreadable_chunks_does_not_promise_to_keep_them(page, e2e, tmp_path):
    """A chunk is missing: nothing could be read, so nothing can be kept aside; the new school's
    confirmation says that they will be replaced, and indeed keeps no copy."""
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    e2e.idb_put(page, make_school(tmp_path / "d.sqlite3", pupils=600))
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(e2e, page)
    e2e.call(page, "school.update", '{nom: "En morceaux", uai: "0441234C"}')  # now in chunks
    page.evaluate(DROP_CHUNK, "school.sqlite3#000001")
    page.reload()
    page.wait_for_selector('html[data-state="recovery"]', state="attached", timeout=TIMEOUT)
    page.click("#recuperation-nouvelle")
    text = page.locator("#recuperation-confirmation").inner_text()
    assert "mises de côté" not in text
    assert "seront remplacées par l'école vide et ne pourront plus être récupérées" in text
    page.click("#recuperation-confirmer")
    assert e2e.wait_state(page) == "ready"
    assert not [k for k in e2e.idb_keys(page) if ".illisible-" in k]
