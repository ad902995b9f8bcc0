"""The school file is the copy that lasts (issue 10), in Chromium at 1366x768.

- the first-run screen opens a school file (its contents shown and confirmed first);
- opening an older copy, or another school, over a school asks a confirmation naming both
  (dismissed: nothing changes; accepted: the file's school, login screen);
- the Fichier screen says when the file was last saved and how many decisions changed since;
- a passphrase-protected download; erasing Cartable's data (only its own keys and databases);
  opening the protected file asks the phrase, a wrong one changes nothing;
- automatic saving through the File System Access API; before its first write in a page (and
  after another school file was opened), a file
  holding another school (or this one changed elsewhere) is only overwritten after a
  confirmation naming both. The real picker cannot be driven
  headless: ``window.showSaveFilePicker`` is replaced by a page-side fake whose handle records
  what is written (the bytes are then read back here as a school file). Handles live in
  IndexedDB, which cannot store functions: the fake's methods sit on Object.prototype, acting
  only on objects marked ``__fake``, and its permission is "prompt" after a reload, as in a real
  browser.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

import school_helpers
from school_helpers import cm2_school, in_thread, menu
from test_resilience import GARBAGE, wait_recovery

from cartable.socle2008 import referentiel

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
PHRASE = "cartable de l'école été"


def make_school(path: Path, nom: str, uai: str, stamp: str, pupils: int = 0) -> Path:
    """A school file made by the core in CPython, with its last change set to ``stamp``
    (in a thread: Playwright's sync API already runs an event loop in this one)."""
    return in_thread(lambda: cm2_school(path, PASSWORD, nom, uai, pupils, stamp=stamp))


def school_of(data: bytes, tmp_path: Path) -> tuple[str, int]:
    p = tmp_path / "lu.sqlite3"
    p.write_bytes(data)
    with sqlite3.connect(p) as conn:
        nom = conn.execute("SELECT value FROM meta WHERE key = 'nom'").fetchone()[0]
        n = conn.execute("SELECT count(*) FROM eleve").fetchone()[0]
    p.unlink()
    return nom, n


def wait_dialogs(page, dialogs: list, n: int) -> None:
    """Let Playwright hand the page's dialogs to their handler (it does so while waiting)."""
    for _ in range(300):
        if len(dialogs) >= n:
            return
        page.wait_for_timeout(200)


def confirm_open(page) -> str:
    """The dialog that always shows what an opened school file holds: confirmed."""
    asked = page.locator("#confirmer-ouverture")
    expect(asked).to_be_visible(timeout=TIMEOUT)
    text = asked.inner_text()
    asked.get_by_role("button", name="Ouvrir cette école").click()
    return text


def login(page, user="direction", password=PASSWORD):
    school_helpers.login(page, user, password)


@pytest.fixture
def screen(page, e2e):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    assert e2e.wait_state(page) == "ready"
    return page


def test_first_run_opens_a_file_and_replacing_names_both_schools(screen, e2e, tmp_path):
    page = screen
    a_old = make_school(tmp_path / "a-ancien.sqlite3", "École Jules Ferry", "0441234C",
                        "2026-09-01T10:15:00", pupils=3)
    b = make_school(tmp_path / "b.sqlite3", "École Louise Michel", "0449999E",
                    "2026-10-05T16:40:00", pupils=5)

    # First run: "Ouvrir un fichier d'école" beside "Créer l'école"; the Firefox note is for
    # Firefox only (e2e/firefox/smoke.mjs checks it there).
    first = page.locator(".premiere-ouverture-fichier")
    expect(first.get_by_role("button", name="Ouvrir un fichier d'école")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name="Créer l'école")).to_be_visible(timeout=TIMEOUT)
    e2e.screenshot(page, "fichier-01-premiere-ouverture")
    expect(page.locator("#note-firefox-creation")).to_have_count(0)
    assert "Firefox" not in page.locator("main").inner_text()
    asked = page.locator("#confirmer-ouverture")

    def answer(button: str) -> str:
        expect(asked).to_be_visible(timeout=TIMEOUT)
        text = asked.inner_text()
        asked.get_by_role("button", name=button).click()
        expect(asked).to_have_count(0, timeout=TIMEOUT)
        return text

    page.set_input_files("#ouvrir-fichier-ecole", str(a_old))
    shown = answer("Ouvrir cette école")  # even on an empty browser: what the file holds
    assert "École : École Jules Ferry" in shown and "Élèves : 3 élèves" in shown, shown
    login(page)
    expect(page.locator(".entete")).to_contain_text("École Jules Ferry", timeout=TIMEOUT)
    assert e2e.call(page, "school.overview")["nb_eleves"] == 3

    # A change: the Fichier screen says the file has not been saved.
    e2e.call(page, "school.update", "{nom: 'École Jules Ferry', uai: '0441234C'}")
    e2e.call(page, "niveaux.set", "{actifs: ['CE1', 'CM2']}")
    menu(page, "fichier")
    expect(page.locator("#etat-fichier")).to_contain_text("jamais été enregistré", timeout=TIMEOUT)
    e2e.screenshot(page, "fichier-02-ecran-fichier")
    expect(page.locator("#note-firefox")).to_have_count(0)  # Chromium keeps it when moved

    # The core's number of decisions changed without a saved file brings a one-click reminder.
    every = e2e.call(page, "school.saving_texts")["rappel_modifications"]
    e2e.call(page, "validation.grid", "{palier_id: 2, classe_id: 1, eleve_ids: [1, 2, 3], "
             "competence_id: 8}")
    rows = [i.id for d in referentiel.get().competences[8].domaines for i in d.items]
    reminder = page.locator(".bandeau-fichier")
    for n in range(every):
        assert reminder.count() == 0
        e2e.call(page, "validation.click", f"{{target: {{kind: 'cell', eleve_id: {n % 3 + 1}, "
                 f"row_id: {rows[n // 3]}}}}}")
        e2e.call(page, "validation.save")
    expect(reminder).to_contain_text(f"{every} décisions ou bilans modifiés et le fichier de "
                                     "l'école n'a encore jamais été enregistré", timeout=TIMEOUT)
    e2e.screenshot(page, "fichier-02b-rappel")
    with page.expect_download() as saved:
        reminder.get_by_role("button", name="Enregistrer le fichier de l'école").click()
    assert school_of(Path(saved.value.path()).read_bytes(), tmp_path) == ("École Jules Ferry", 3)
    expect(reminder).to_be_hidden(timeout=TIMEOUT)
    menu(page, "fichier")
    expect(page.locator("#etat-fichier")).to_contain_text("enregistré pour la dernière fois le",
                                                          timeout=TIMEOUT)
    expect(page.locator("#etat-fichier")).to_contain_text("Rien n'a changé depuis", timeout=TIMEOUT)
    e2e.call(page, "niveaux.set", "{actifs: ['CE1', 'CM2']}")

    # The older copy of the same school: the confirmation names both; dismissed, nothing moves.
    page.set_input_files(".vue-fichier input[type=file]:not(#ouvrir-fichier-ecole)", str(a_old))
    page.click("#ouvrir-fichier")
    text = answer("Annuler")
    expect(page.locator(".vue-fichier")).to_be_visible(timeout=TIMEOUT)
    assert "École : École Jules Ferry" in text and "UAI : 0441234C" in text, text
    assert "« École Jules Ferry » (UAI 0441234C)" in text, text  # the current school
    assert "01/09/2026 à 10 h 15" in text, text
    assert "plus ancien" in text, text
    assert [n["ref"] for n in e2e.call(page, "niveaux.list") if n["actif"]] == ["CE1", "CM2"]

    # Another school: named as such; accepted, the file's school is there.
    page.set_input_files(".vue-fichier input[type=file]:not(#ouvrir-fichier-ecole)", str(b))
    page.click("#ouvrir-fichier")
    other = answer("Ouvrir cette école")
    expect(page.locator(".ecran-connexion")).to_contain_text("École Louise Michel", timeout=TIMEOUT)
    assert "École : École Louise Michel" in other and "UAI : 0449999E" in other, other
    assert "05/10/2026 à 16 h 40" in other, other
    assert "« École Jules Ferry » (UAI 0441234C)" in other and "pas la même école" in other
    e2e.screenshot(page, "fichier-03-autre-ecole-ouverte")
    login(page)
    assert e2e.call(page, "school.overview")["nb_eleves"] == 5


def test_protected_file_erase_and_reopen(screen, e2e, tmp_path):
    page = screen
    source = make_school(tmp_path / "a.sqlite3", "École du Port", "0291111A",
                         "2026-09-01T08:00:00", pupils=4)
    page.set_input_files("#ouvrir-fichier-ecole", str(source))
    confirm_open(page)
    login(page)

    # Download the file protected by a passphrase (too short first: the core's French rule).
    menu(page, "fichier")
    page.fill("#phrase-protection", "court")
    page.fill("#phrase-protection-2", "court")
    page.click("#telecharger-protege")
    expect(page.locator(".alertes .alerte.erreur")).to_contain_text("trop courte", timeout=TIMEOUT)
    page.fill("#phrase-protection", PHRASE)
    page.fill("#phrase-protection-2", PHRASE)
    with page.expect_download() as info:
        page.click("#telecharger-protege")
    protected = tmp_path / info.value.suggested_filename
    info.value.save_as(protected)
    sealed = protected.read_bytes()
    assert sealed.startswith(b"CARTABLE-CHIFFRE") and b"SQLite format 3" not in sealed
    assert info.value.suggested_filename.endswith("-protege.sqlite3")

    # Protection des données: the page, then erasing (a last download offered first).
    page.evaluate("""() => new Promise((ok) => { localStorage.setItem('autre.appli', 'x');
        const r = indexedDB.open('autre-base', 1); r.onsuccess = () => { r.result.close(); ok(); }; })""")
    menu(page, "protection")
    article = page.locator(".texte-protection")
    expect(article.locator("h3")).to_have_count(7, timeout=TIMEOUT)
    expect(article).to_contain_text("Aucun sous-traitant", timeout=TIMEOUT)
    e2e.screenshot(page, "fichier-04-protection-donnees")
    page.click("#effacer-donnees")
    expect(page.locator("#effacer-telecharger")).to_be_visible(timeout=TIMEOUT)
    with page.expect_download() as last:
        page.click("#effacer-telecharger")
    assert school_of(Path(last.value.path()).read_bytes(), tmp_path) == ("École du Port", 4)
    e2e.screenshot(page, "fichier-05-effacer-confirmation")
    with page.expect_navigation(timeout=TIMEOUT):  # the page reloads itself once erased
        page.click("#effacer-confirmer")
    assert e2e.wait_state(page) == "ready"
    expect(page.locator(".ecran-creation h2")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".messages")).to_contain_text("effacées de ce navigateur", timeout=TIMEOUT)
    kept = page.evaluate("""async () => ({ ls: Object.keys(localStorage).sort(),
        dbs: (await indexedDB.databases()).map((d) => d.name).sort() })""")
    assert "autre.appli" in kept["ls"] and "autre-base" in kept["dbs"], kept
    assert not [k for k in kept["ls"] if k.startswith("cartable.") and k != "cartable.onglet"]

    # Open the protected file: wrong phrase -> French message, nothing changed; right -> back.
    page.set_input_files("#ouvrir-fichier-ecole", str(protected))
    page.fill("#phrase-ouverture", "une autre phrase")
    page.get_by_role("button", name="Ouvrir le fichier protégé").click()
    expect(page.locator(".phrase-de-passe .alerte.erreur")).to_contain_text(
        "Phrase de passe incorrecte", timeout=TIMEOUT)
    assert e2e.call(page, "app.status")["needs_setup"] is True
    e2e.screenshot(page, "fichier-06-phrase-incorrecte")
    page.fill("#phrase-ouverture", PHRASE)
    page.get_by_role("button", name="Ouvrir le fichier protégé").click()
    assert "École : École du Port" in confirm_open(page)
    login(page)
    assert e2e.call(page, "school.overview")["nb_eleves"] == 4

    # The browser's data damaged: the recovery screen opens the protected file too (it used
    # to call it "not a school file"): wrong phrase -> said, nothing changed; right -> what
    # the file holds, then the school is back.
    e2e.idb_put(page, GARBAGE)
    page.reload()
    wait_recovery(page)
    with page.expect_file_chooser() as chooser:
        page.click("#recuperation-ouvrir")
    chooser.value.set_files(str(protected))
    page.fill("#recuperation-phrase-saisie", "une autre phrase")
    page.click("#recuperation-phrase button[type=submit]")
    expect(page.locator("#recuperation-phrase [role=alert]")).to_contain_text(
        "Phrase de passe incorrecte", timeout=TIMEOUT)
    assert e2e.idb_get(page) == GARBAGE
    e2e.screenshot(page, "recuperation-phrase")
    page.fill("#recuperation-phrase-saisie", PHRASE)
    page.click("#recuperation-phrase button[type=submit]")
    expect(page.locator("#recuperation-ouverture")).to_contain_text("École : École du Port",
                                                                   timeout=TIMEOUT)
    page.click("#recuperation-ouverture-confirmer")
    assert e2e.wait_state(page) == "ready"
    login(page)
    assert e2e.call(page, "school.overview")["nb_eleves"] == 4


# The fake file lives in the test (window.fakeStore, a Playwright binding), not in the page's
# storage: under load, a reloaded page was seen not to find what its previous document had just
# written to sessionStorage or localStorage.
FAKE_PICKER = """(() => {
  const get = (k) => window.fakeStore('get', k, null);
  const set = (k, v) => window.fakeStore('set', k, v);
  const rec = async (k, v) => { const a = JSON.parse((await get(k)) || '[]'); a.push(v);
                                await set(k, JSON.stringify(a)); };
  // After a (re)load a real browser asks again: "prompt" until requestPermission.
  const reset = set('permission', 'prompt');
  const methods = {
    async queryPermission() { await reset; return get('permission'); },
    async requestPermission() { await set('permission', 'granted');
                                await rec('requests', 1); return 'granted'; },
    async getFile() {
      const bin = atob((await get('last')) || '');
      return new File([Uint8Array.from(bin, (c) => c.charCodeAt(0))], 'ecole.sqlite3');
    },
    async createWritable() {
      if ((await get('permission')) !== 'granted') {
        throw new DOMException('not allowed', 'NotAllowedError'); }
      const chunks = [];
      return { async write(d) { chunks.push(new Uint8Array(d)); },
               async close() { let s = ''; for (const c of chunks) for (const b of c) s += String.fromCharCode(b);
                               await set('last', btoa(s)); await rec('writes', s.length); } };
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Object.prototype, name, { configurable: true, enumerable: false,
      value: function (...args) { if (!this.__fake) throw new TypeError(name); return fn(...args); } });
  }
  window.showSaveFilePicker = async () => { await set('permission', 'granted');
    return { __fake: true, kind: 'file', name: 'ecole.sqlite3' }; };
})();"""


def fake(store, key):
    return json.loads(store.get(key) or "[]")


def last_written(store, tmp_path):
    return school_of(base64.b64decode(store["last"]), tmp_path)


def wait_writes(page, store, more_than: int) -> None:
    for _ in range(300):
        if len(fake(store, "writes")) > more_than:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"no write after {more_than}: {fake(store, 'writes')}")


def auto_saving(context, e2e, tmp_path, requests=None):
    """A page whose file picker is the fake (FAKE_PICKER, its files in ``store``), with school A
    (École Jean Jaurès, 2 pupils) opened, the director logged in and automatic saving chosen.
    Returns (page, store)."""
    store: dict = {}
    context.expose_function(
        "fakeStore", lambda op, key, value: store.__setitem__(key, value) if op == "set" else store.get(key))
    context.add_init_script(FAKE_PICKER)
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    e2e.open_app(page)
    assert e2e.wait_state(page) == "ready"
    source = make_school(tmp_path / "a.sqlite3", "École Jean Jaurès", "0351234B",
                         "2026-09-01T08:00:00", pupils=2)
    page.set_input_files("#ouvrir-fichier-ecole", str(source))
    confirm_open(page)
    login(page)
    menu(page, "fichier")
    page.click("#choisir-fichier-auto")
    expect(page.locator(".messages")).to_contain_text("Enregistrement automatique dans « ecole.sqlite3 »", timeout=TIMEOUT)
    return page, store


def test_automatic_saving_with_file_system_access(context, dist, e2e, tmp_path):
    requests = []
    page, store = auto_saving(context, e2e, tmp_path, requests)
    assert len(fake(store, "writes")) == 1
    assert last_written(store, tmp_path) == ("École Jean Jaurès", 2)
    e2e.screenshot(page, "fichier-07-enregistrement-automatique")

    # Each change rewrites the file.
    menu(page, "reglages")
    page.get_by_label("Nom de l'école").fill("École Jean Jaurès (élémentaire)")
    page.locator("form", has=page.get_by_label("Nom de l'école")).get_by_role(
        "button", name="Enregistrer", exact=True).click()
    expect(page.locator(".entete")).to_contain_text("(élémentaire)", timeout=TIMEOUT)
    wait_writes(page, store, 1)
    assert last_written(store, tmp_path) == ("École Jean Jaurès (élémentaire)", 2)

    # Next start: one click to resume.
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page)
    resume = page.get_by_role("button",
                              name="Reprendre l'enregistrement automatique dans ecole.sqlite3")
    expect(resume).to_be_visible(timeout=TIMEOUT)
    e2e.screenshot(page, "fichier-08-reprendre")
    writes = len(fake(store, "writes"))
    e2e.call(page, "niveaux.set", "{actifs: ['CM2']}")  # not written: no permission yet
    assert len(fake(store, "writes")) == writes
    resume.click()
    expect(resume).to_be_hidden(timeout=TIMEOUT)
    assert fake(store, "requests") == [1]
    wait_writes(page, store, writes)
    menu(page, "fichier")
    expect(page.locator("#etat-fichier")).to_contain_text(
        re.compile(r"Enregistrement automatique dans « ecole\.sqlite3 » : dernier enregistrement le"),
        timeout=TIMEOUT)

    # The file was changed elsewhere (here: another school's file in its place): the next start
    # asks before overwriting it, naming both; refused, the file stays as it is.
    other = make_school(tmp_path / "autre.sqlite3", "École Victor Hugo", "0359999D",
                        "2026-10-01T09:00:00")
    store["last"] = base64.b64encode(other.read_bytes()).decode()
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page)
    dialogs = []

    def dismiss(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dismiss)
    writes = len(fake(store, "writes"))
    page.get_by_role("button",
                     name="Reprendre l'enregistrement automatique dans ecole.sqlite3").click()
    wait_dialogs(page, dialogs, 1)
    assert len(dialogs) == 1, dialogs
    assert "« ecole.sqlite3 » contient l'école « École Victor Hugo » (UAI 0359999D)" in dialogs[0]
    assert "« École Jean Jaurès (élémentaire) » (UAI 0351234B)" in dialogs[0]
    assert "pas la même école" in dialogs[0]
    e2e.screenshot(page, "fichier-09-ecraser-refuse")
    e2e.call(page, "niveaux.set", "{actifs: ['CE2', 'CM2']}")
    menu(page, "fichier")  # paused: the director may choose a file again
    expect(page.locator("#choisir-fichier-auto")).to_be_visible(timeout=TIMEOUT)
    assert len(fake(store, "writes")) == writes
    assert last_written(store, tmp_path) == ("École Victor Hugo", 0)
    assert not [u for u in requests if not u.startswith(("file:", "blob:", "data:"))]
    page.close()


def test_automatic_saving_asks_again_after_another_school_was_opened(context, dist, e2e, tmp_path):
    """School A saves itself automatically into a chosen file; the director then opens school
    B's file (Fichier screen): the chosen file still holds A, so B's first automatic save asks
    before overwriting it, naming both; refused, A's file is left as it was."""
    page, store = auto_saving(context, e2e, tmp_path)
    school_b = make_school(tmp_path / "b.sqlite3", "École Victor Hugo", "0359999D",
                           "2026-10-01T09:00:00", pupils=3)
    assert last_written(store, tmp_path) == ("École Jean Jaurès", 2)
    writes = len(fake(store, "writes"))

    page.get_by_label("Fichier de l'école", exact=True).set_input_files(str(school_b))
    page.click("#ouvrir-fichier")
    confirm_open(page)
    login(page)
    dialogs = []

    def dismiss(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dismiss)
    e2e.call(page, "niveaux.set", "{actifs: ['CM2']}")
    wait_dialogs(page, dialogs, 1)
    assert len(dialogs) == 1, dialogs
    assert "« ecole.sqlite3 » contient l'école « École Jean Jaurès » (UAI 0351234B)" in dialogs[0]
    assert "« École Victor Hugo » (UAI 0359999D)" in dialogs[0]
    page.wait_for_timeout(500)
    assert len(fake(store, "writes")) == writes
    assert last_written(store, tmp_path) == ("École Jean Jaurès", 2)
    page.close()


def test_opening_another_school_clears_the_banners_of_the_one_before(screen, e2e, tmp_path):
    """The code de secours shown when school A was created is A's director's: once school B's
    file is opened (every session ends), its banner must not stay above B's login screen."""
    page = screen
    page.get_by_label("Nom de l'école").fill("École Jean Jaurès")
    page.get_by_label("Nom", exact=True).fill("Dupuis")
    page.get_by_label("Prénom", exact=True).fill("Marie")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer l'école").click()
    expect(page.locator(".bandeau-code")).to_be_visible(timeout=TIMEOUT)
    other = make_school(tmp_path / "b.sqlite3", "École Victor Hugo", "0359999D",
                        "2026-10-01T09:00:00", pupils=3)
    menu(page, "fichier")
    page.get_by_label("Fichier de l'école", exact=True).set_input_files(str(other))
    page.click("#ouvrir-fichier")
    confirm_open(page)
    expect(page.locator(".ecran-connexion h2")).to_have_text("Connexion", timeout=TIMEOUT)
    expect(page.locator(".bandeau-code")).to_have_count(0)
    login(page)
    expect(page.locator(".bandeau-code")).to_have_count(0)


def test_a_failed_automatic_save_says_why_in_french(context, dist, e2e, tmp_path):
    """The browser refuses to write the chosen file (its permission withdrawn, the USB stick
    pulled out): the error gives a French reason, not the browser's English message."""
    page, store = auto_saving(context, e2e, tmp_path)
    store["permission"] = "prompt"  # the fake's createWritable now throws NotAllowedError
    e2e.call(page, "niveaux.set", "{actifs: ['CM2']}")
    error = page.locator(".messages .alerte.erreur")
    expect(error).to_contain_text("L'enregistrement automatique dans « ecole.sqlite3 » a échoué : "
                                  "le navigateur n'a pas l'autorisation d'écrire dans ce fichier.",
                                  timeout=TIMEOUT)
    assert "not allowed" not in error.inner_text()
    page.close()
