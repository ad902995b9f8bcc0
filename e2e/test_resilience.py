"""Nothing lost, nothing leaked — the browser side (docs/SECURITY.md §1 and §7).

- a failed write to the browser's storage (disk full, aborted transaction, IndexedDB refused)
  shows a banner whose button downloads the school file with the change that could not be
  stored, for the director and for a teacher; the banner stays until a later save succeeds;
- a stored database that cannot be opened gives the recovery screen: the stored bytes are never
  overwritten before the user chooses, can be downloaded, and are replaced by a school file
  (checked first) or, after a confirmation, by a new school (the bytes are kept aside);
- a reload in the middle of "Enregistrer les validations" leaves a school that opens, and either
  the save happened or the draft is offered — never neither;
- the built folder references no http(s) URL that the page could load; the CSP allows no network.

The page's IndexedDB is the worker's (same origin): tests read and write it from the page; they
break it inside the worker (``page.workers[0]``), where the saves happen.
"""

from __future__ import annotations

import base64
import gzip
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from grid_helpers import grid_cells
from test_grid import login, open_competence_1

expect = pytest.importorskip("playwright.sync_api").expect

TIMEOUT = 60_000
SQLITE_MAGIC = b"SQLite format 3\x00"
PASSWORD = "Directrice-2012"
PROF_PASSWORD = "Professeur-2012"
GARBAGE = SQLITE_MAGIC + bytes((i * 37 + 11) % 256 for i in range(6000))

SETUP = """async ({password, profPassword}) => {
  const C = window.Cartable;
  await C.call("app.setup", {nom: "École de test", directeur:
    {nom: "Dupuis", prenom: "Marie", login: "direction", password}});
  await C.call("auth.login", {login: "direction", password});
  const prof = await C.call("professeurs.create",
    {nom: "Crespin", prenom: "Thomas", login: "prof", password: profPassword});
  return prof;
}"""

# Inside the worker: make IndexedDB fail like a full disk, an aborted write, or a private mode.
BREAK = {
    "quota": """() => {
      self.__put = self.__put || IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function () {
        throw new DOMException("Le quota est dépassé (test)", "QuotaExceededError");
      };
    }""",
    "abort": """() => {
      self.__put = self.__put || IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        const req = self.__put.apply(this, args);
        this.transaction.abort();
        return req;
      };
    }""",
    "unavailable": """() => {
      self.__open = self.__open || IDBFactory.prototype.open;
      IDBFactory.prototype.open = function () {
        throw new DOMException("IndexedDB refusé (test)", "InvalidStateError");
      };
    }""",
}
REPAIR = """() => {
  if (self.__put) IDBObjectStore.prototype.put = self.__put;
  if (self.__open) IDBFactory.prototype.open = self.__open;
}"""


def the_worker(page):
    assert len(page.workers) == 1, page.workers
    return page.workers[0]


def download(page, click_selector: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click(click_selector)
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def wait_recovery(page):
    page.wait_for_selector('html[data-state="recovery"]', state="attached", timeout=TIMEOUT)
    expect(page.locator("#boot-recovery")).to_be_visible()


# -- storage write failure --------------------------------------------------------------------


def test_storage_full_banner_downloads_the_unsaved_change(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    expect(page.locator(".ecran-creation")).to_be_visible()
    page.evaluate(SETUP, {"password": PASSWORD, "profPassword": PROF_PASSWORD})
    stored = e2e.idb_get(page)
    assert e2e.query(stored, tmp_path, "SELECT value FROM meta WHERE key = 'nom'") == \
        [("École de test",)]
    # Saving works: no rescue copy outside a failure (school.file_bytes is the usual way).
    assert "error" in e2e.js(page, "Cartable.rescueFile()")

    # The director's change cannot be stored: the banner says so at once.
    the_worker(page).evaluate(BREAK["quota"])
    e2e.call(page, "school.update", "{nom: 'École des Tilleuls', uai: null}")
    banner = page.locator(".bandeau-persistance")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("n'ont pas pu être enregistrées dans ce navigateur")
    expect(banner).to_contain_text("plein")
    assert e2e.idb_get(page) == stored  # the previous state is intact
    e2e.screenshot(page, "stockage-plein")
    name, data = download(page, "#telecharger-secours")
    assert name.startswith("ecole-cartable-") and name.endswith(".sqlite3"), name
    assert data.startswith(SQLITE_MAGIC)
    assert e2e.query(data, tmp_path, "SELECT value FROM meta WHERE key = 'nom'") == \
        [("École des Tilleuls",)]

    # A teacher, while saving still fails: later failures are not silent, and the banner's
    # button works although school.file_bytes is the director's.
    e2e.call(page, "auth.logout")
    e2e.call(page, "auth.login", f"{{login: 'prof', password: {PROF_PASSWORD!r}}}")
    assert "error" in e2e.js(page, "Cartable.call('school.file_bytes', {})")
    hash_before = e2e.query(data, tmp_path,
                        "SELECT password_hash FROM utilisateur WHERE login = 'prof'")
    e2e.call(page, "auth.change_password",
         f"{{old_password: {PROF_PASSWORD!r}, new_password: 'Nouveau-secret-2024'}}")
    expect(banner).to_have_count(1)
    expect(banner).to_be_visible()
    name, data = download(page, "#telecharger-secours")
    assert data.startswith(SQLITE_MAGIC)
    hash_after = e2e.query(data, tmp_path,
                       "SELECT password_hash FROM utilisateur WHERE login = 'prof'")
    assert hash_after != hash_before
    assert e2e.query(data, tmp_path, "SELECT value FROM meta WHERE key = 'nom'") == \
        [("École des Tilleuls",)]
    assert e2e.idb_get(page) == stored

    # Storage works again: the next save stores everything and the banner goes.
    the_worker(page).evaluate(REPAIR)
    e2e.call(page, "auth.change_password",
         "{old_password: 'Nouveau-secret-2024', new_password: 'Encore-autre-2024'}")
    expect(banner).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text("fonctionne de nouveau")
    stored = e2e.idb_get(page)
    assert e2e.query(stored, tmp_path, "SELECT value FROM meta WHERE key = 'nom'") == \
        [("École des Tilleuls",)]
    assert "error" in e2e.js(page, "Cartable.rescueFile()")


@pytest.mark.parametrize("failure", ["abort", "unavailable"])
def test_other_storage_failures_show_the_banner(page, e2e, tmp_path, failure):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    expect(page.locator(".ecran-creation")).to_be_visible()
    before = e2e.idb_get(page)
    the_worker(page).evaluate(BREAK[failure])
    page.evaluate(SETUP, {"password": PASSWORD, "profPassword": PROF_PASSWORD})
    banner = page.locator(".bandeau-persistance")
    expect(banner).to_contain_text("n'ont pas pu être enregistrées dans ce navigateur")
    if failure == "unavailable":
        expect(banner).to_contain_text("navigation privée")
    assert e2e.idb_get(page) == before  # nothing half-written
    _, data = download(page, "#telecharger-secours")
    assert e2e.query(data, tmp_path, "SELECT login FROM utilisateur ORDER BY login") == \
        [("direction",), ("prof",)]


# -- corrupted storage -------------------------------------------------------------------------


def test_corrupted_storage_recovery_then_open_a_school_file(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    page.evaluate(SETUP, {"password": PASSWORD, "profPassword": PROF_PASSWORD})
    with page.expect_download() as info:
        e2e.js(page, """Cartable.call('school.file_bytes', {}).then(r =>
            Cartable.download(r.data, r.filename, 'application/octet-stream'))""")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(SQLITE_MAGIC)

    e2e.idb_put(page, GARBAGE)
    page.reload()
    wait_recovery(page)
    text = page.locator("#boot-recovery").inner_text()
    assert "Les données de l'école enregistrées dans ce navigateur" in text
    assert "illisibles" in text and "sans votre accord" in text
    for label in ["Télécharger ces données (copie de secours)", "Ouvrir un fichier d'école…",
                  "Commencer une nouvelle école"]:
        expect(page.get_by_role("button", name=label)).to_be_visible()
    e2e.screenshot(page, "recuperation")
    assert e2e.idb_get(page) == GARBAGE

    # The rescue copy is the stored bytes, exactly.
    name, data = download(page, "#recuperation-telecharger")
    assert data == GARBAGE
    assert name.endswith(".sqlite3")

    # Start-up again: still the recovery screen, nothing overwritten meanwhile.
    page.reload()
    wait_recovery(page)
    assert e2e.idb_get(page) == GARBAGE

    # A file that is not a school file is refused; the stored bytes stay.
    bad = tmp_path / "pas-une-ecole.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    with page.expect_file_chooser() as chooser:
        page.click("#recuperation-ouvrir")
    chooser.value.set_files(str(bad))
    expect(page.locator("#recuperation-etat")).to_contain_text("fichier d'école")
    assert page.evaluate("document.documentElement.dataset.state") == "recovery"
    assert e2e.idb_get(page) == GARBAGE

    # The saved school file: first what it holds (cancelled: nothing changes), then opened.
    with page.expect_file_chooser() as chooser:
        page.click("#recuperation-ouvrir")
    chooser.value.set_files(str(saved))
    question = page.locator("#recuperation-ouverture")
    expect(question).to_contain_text("Ouvrir ce fichier d'école ?")
    expect(question).to_contain_text(f"Fichier : {saved.name}")
    expect(question).to_contain_text("Élèves : ")
    expect(question).to_contain_text("données illisibles")
    expect(page.locator("#recuperation-etat")).to_have_text("")  # no "Lecture…" left over
    expect(page.locator("#recuperation-ouverture-confirmer")).to_be_enabled()
    expect(page.locator("#recuperation-ouverture-confirmer")).to_be_focused()
    e2e.screenshot(page, "recuperation-ouverture")
    page.click("#recuperation-ouverture-annuler")
    expect(question).to_have_count(0)
    assert page.evaluate("document.documentElement.dataset.state") == "recovery"
    assert e2e.idb_get(page) == GARBAGE
    with page.expect_file_chooser() as chooser:
        page.click("#recuperation-ouvrir")
    chooser.value.set_files(str(saved))
    page.click("#recuperation-ouverture-confirmer")
    assert e2e.wait_state(page) == "ready"
    expect(page.locator("#boot-recovery")).to_have_count(0)
    login(page, "direction", PASSWORD)
    stored = e2e.idb_get(page)
    assert stored.startswith(SQLITE_MAGIC)
    assert e2e.query(stored, tmp_path, "SELECT login FROM utilisateur ORDER BY login") == \
        [("direction",), ("prof",)]
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, "direction", PASSWORD)


def test_corrupted_storage_new_school_needs_confirmation_and_keeps_the_bytes(page, e2e):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    e2e.idb_put(page, GARBAGE)
    page.reload()
    wait_recovery(page)

    page.click("#recuperation-nouvelle")
    confirm = page.locator("#recuperation-confirmation")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("mises de côté")
    page.click("#recuperation-annuler")  # changed one's mind: nothing happens
    expect(confirm).to_be_hidden()
    assert e2e.idb_get(page) == GARBAGE
    assert page.evaluate("document.documentElement.dataset.state") == "recovery"

    page.click("#recuperation-nouvelle")
    page.click("#recuperation-confirmer")
    assert e2e.wait_state(page) == "ready"
    expect(page.locator(".ecran-creation")).to_be_visible()
    assert e2e.idb_get(page).startswith(SQLITE_MAGIC)
    kept = [k for k in e2e.idb_keys(page) if k.startswith("school.sqlite3.illisible-")]
    assert len(kept) == 1, e2e.idb_keys(page)
    assert e2e.idb_get(page, kept[0]) == GARBAGE


def test_stored_value_that_is_not_a_file_is_not_overwritten(page, e2e):
    """Another page of the same file:// origin could have stored anything under the key."""
    assert e2e.wait_state(page) == "ready"
    page.evaluate("""() => new Promise((resolve, reject) => {
        const req = indexedDB.open("cartable", 1);
        req.onsuccess = () => {
          const tx = req.result.transaction("files", "readwrite");
          tx.objectStore("files").put("du texte", "school.sqlite3");
          tx.oncomplete = () => { req.result.close(); resolve(); };
          tx.onerror = () => reject(tx.error);
        }; })""")
    page.reload()
    wait_recovery(page)
    _, data = download(page, "#recuperation-telecharger")
    assert data == b"du texte"
    stored = page.evaluate("""() => new Promise((resolve) => {
        const req = indexedDB.open("cartable", 1);
        req.onsuccess = () => {
          const get = req.result.transaction("files").objectStore("files").get("school.sqlite3");
          get.onsuccess = () => { req.result.close(); resolve(get.result); };
        }; })""")
    assert stored == "du texte"


# -- reload during save ------------------------------------------------------------------------

_THREAD = ThreadPoolExecutor(1)  # asyncio.run outside Playwright's event loop


def _school_with_a_class(path: Path) -> bytes:
    from cartable import api

    school = api.Api(str(path))
    try:
        api.run(school.handle("app.setup", {"nom": "École de test", "directeur": {
            "nom": "Dupuis", "prenom": "Marie", "login": "direction", "password": PASSWORD}}))
        conn = school.db
        conn.execute("INSERT INTO classe (id, niveau_id, nom, ref) VALUES (1, 18, 'CM2 A', 'A')")
        conn.executemany(
            "INSERT INTO eleve (nom, prenom, classe_id, actif) VALUES (?, ?, 1, 1)",
            [(f"ELEVE{i:02d}", f"Prénom{i:02d}") for i in range(12)],
        )
    finally:
        school.close()
    return path.read_bytes()


SLOW = """(when) => {
  const put = IDBObjectStore.prototype.put;
  const spin = () => { const end = performance.now() + 1500; while (performance.now() < end) {} };
  IDBObjectStore.prototype.put = function (...args) {
    if (when === "before-put") spin();
    const req = put.apply(this, args);
    if (when === "after-put") spin();
    return req;
  };
}"""


def test_reload_during_save_loses_nothing(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    page.on("dialog", lambda d: d.accept())  # "leave the page?" on unsaved changes
    data = _THREAD.submit(_school_with_a_class, tmp_path / "ecole.sqlite3").result()
    assert e2e.wait_state(page) == "ready"
    result = e2e.js(page, f"Cartable.call('school.replace_file', "
                          f"{{data: new Uint8Array({list(data)})}})")
    assert result == {"replaced": True}, result
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, "direction", PASSWORD)

    def saved_count() -> int:
        stored = e2e.idb_get(page)
        assert stored.startswith(SQLITE_MAGIC)
        return e2e.query(stored, tmp_path, "SELECT count(*) FROM validation_item")[0][0]

    outcomes = []
    # A slow disk (the worker busy right before or right after IndexedDB's put, inside the
    # save's transaction) makes the reload land in the middle of the save.
    for attempt, (slow, delay_ms) in enumerate(
            [("after-put", 0), ("before-put", 0), (None, 0), (None, 150)]):
        before = saved_count()
        open_competence_1(page)
        cells = page.locator("#grille-validations td.case-grille")
        for i in range(3):  # three more pupils validated on one item each time
            cells.nth(attempt * 3 + i).click()
        painted = grid_cells(page)  # waits for every click to be answered
        assert len(painted) == before + 3, (painted, before)
        assert page.evaluate("localStorage.getItem('cartable.draft')") is not None
        if slow:
            the_worker(page).evaluate(SLOW, slow)
        page.click("#enregistrer-validations")
        if delay_ms:
            page.wait_for_timeout(delay_ms)
        page.reload()

        assert e2e.wait_state(page) == "ready"  # never the recovery screen
        after = saved_count()
        draft = page.evaluate("localStorage.getItem('cartable.draft')")
        assert after in (before, before + 3), (before, after)
        assert after == before + 3 or draft is not None, "the changes were lost"
        login(page, "direction", PASSWORD)
        if after == before:
            outcomes.append("draft")
            page.click("#reprendre-brouillon")
            expect(page.locator("#grille-validations")).to_be_visible()
            assert len(grid_cells(page)) == before + 3
            page.click("#enregistrer-validations")
            expect(page.locator(".messages .alerte.succes").last).to_contain_text(
                "Validations enregistrées")
            assert saved_count() == before + 3
            page.click("#deplier-menu")  # the menu is folded while a grid is shown
            page.click('nav.menu button[data-vue="accueil"]')
        else:
            outcomes.append("saved")
            if draft is not None:  # saved, and the reload came before the draft was dropped
                page.click("#abandonner-brouillon")
    print("reload during save:", outcomes)
    assert "draft" in outcomes  # the reload did land in the middle of a save
    assert saved_count() == 12


# -- nothing the page could load from the network ----------------------------------------------

# A URL in a place where the browser would fetch it.
LOADABLE = re.compile(
    r"""(?:\bsrc\s*=|\bhref\s*=|\burl\(|@import|\bfetch\(|\bimport\(|importScripts\(|"""
    r"""new\s+(?:Worker|SharedWorker|WebSocket|EventSource)\(|\.open\(\s*["'][A-Z]+["']\s*,)"""
    r"""\s*["'`]?\s*(?:https?:|wss?:)?//""",
    re.IGNORECASE,
)
URL = re.compile(r"(?:https?|wss?)://[^\s\"'`<>)]*", re.IGNORECASE)
# Inert occurrences, per file (the CSP would refuse them anyway: no connect-src):
# - Pyodide's default CDN (cdnURL), used only when no indexURL is given — Cartable always
#   gives its own assets/ folder;
# - Emscripten's socket emulation, which prefixes "ws://" or "wss://" to an address when Python
#   opens a socket — Cartable's code opens none.
INERT = {"pyodide.js": {"https://cdn.jsdelivr.net/pyodide/v${d.version}/full/"},
         "pyodide.asm.js": {"ws://", "wss://"}}
EMBED = re.compile(r'\["([^"]+)\.gz"\]\s*=\s*"([A-Za-z0-9+/=]*)"')


def _texts(dist: Path):
    """(name, text) of every file the page can load as text, embedded ones decoded."""
    for path in sorted(dist.rglob("*")):
        if path.suffix not in {".html", ".js", ".css", ".json"}:
            continue
        text = path.read_text(encoding="utf-8")
        yield path.relative_to(dist).as_posix(), text
        for name, b64 in EMBED.findall(text):
            if name.endswith((".js", ".json", ".css", ".html")):
                yield name, gzip.decompress(base64.b64decode(b64)).decode("utf-8")


def test_built_folder_loads_nothing_from_the_network(dist):
    seen = []
    found = {}
    for name, text in _texts(dist):
        seen.append(name)
        assert not LOADABLE.search(text), (name, LOADABLE.search(text))
        urls = set(URL.findall(text)) - INERT.get(name, set())
        if urls:
            found[name] = sorted(urls)
    assert not found, found
    assert {"index.html", "boot.js", "app.js", "app.css", "boot.css", "pyodide.js",
            "pyodide.asm.js"} <= set(seen), seen

    html = (dist / "index.html").read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"], csp
    assert "connect-src" not in directives, csp
    for directive, sources in directives.items():
        assert not any(s.startswith(("http", "*", "data:")) and directive != "img-src"
                       for s in sources), csp
