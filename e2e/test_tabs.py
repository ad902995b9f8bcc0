"""One tab at a time (web/boot/tabs.js, web/boot/lock.js; docs/SECURITY.md §7).

Two pages of one browser context share the file:// storage, like two tabs of one browser
profile. Every tab would keep its own copy of the school in its worker and save it whole, so the
second tab must not start Python while the first is active; taking over must carry the first
tab's latest save, and the first tab must then write nothing more.

Each test runs in both mechanisms: Web Locks (Chromium's normal case) and the localStorage
heartbeat used where Web Locks are missing (forced by hiding ``navigator.locks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
ALLOWED_SCHEMES = ("file:", "blob:", "data:")
NO_LOCKS = "Object.defineProperty(Navigator.prototype, 'locks', {get: () => undefined});"
OTHER = (
    "Cartable est déjà ouvert dans un autre onglet ou une autre fenêtre. Pour ne rien "
    "perdre, un seul onglet peut être utilisé à la fois."
)
TAKEN = (
    "Cartable a été ouvert dans un autre onglet : cet onglet est désactivé pour ne rien "
    "perdre. Fermez-le, ou cliquez sur « Reprendre ici »."
)

SETUP = """async (password) => {
  await Cartable.call("app.setup", {nom: "École de test", directeur:
    {nom: "Dupuis", prenom: "Marie", login: "direction", password}});
  await Cartable.call("auth.login", {login: "direction", password});
  return true;
}"""

# Inside the worker: the next saves take 1.5 s inside IndexedDB's transaction (a slow disk).
SLOW_SAVE = """() => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    const req = put.apply(this, args);
    const end = performance.now() + 1500;
    while (performance.now() < end) { /* busy */ }
    return req;
  };
}"""


@pytest.fixture(params=["locks", "heartbeat"])
def mechanism(request, context):
    if request.param == "heartbeat":
        context.add_init_script(NO_LOCKS)
    return request.param


@pytest.fixture
def first(mechanism, page, e2e):
    """The conftest's page (it opened before the init script: reload it under it)."""
    page.set_default_timeout(TIMEOUT)
    page.on("dialog", lambda d: d.accept())
    if mechanism == "heartbeat":
        page.reload()
    assert e2e.wait_state(page) == "ready"
    assert page.evaluate("document.documentElement.dataset.tabs") == mechanism
    return page


@pytest.fixture
def second(context, first, e2e):
    """A second tab of the same browser profile, checked for network requests like ``page``."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.on("dialog", lambda d: d.accept())
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    e2e.open_app(page)
    yield page
    bad = sorted({u for u in requests if not u.startswith(ALLOWED_SCHEMES)})
    assert not bad, f"the app made network requests: {bad}"


def state(page) -> str:
    return page.evaluate("document.documentElement.dataset.state")


def wait_other_tab(page, reason: str) -> None:
    page.wait_for_selector(f'#boot-other-tab[data-reason="{reason}"]', timeout=TIMEOUT)
    assert state(page) == "other-tab"
    expect(page.locator("#boot-other-tab")).to_be_visible()
    expect(page.locator("#app")).to_be_hidden()


def school_name(e2e, data: bytes, tmp_path: Path) -> str:
    ((name,),) = e2e.query(data, tmp_path, "SELECT value FROM meta WHERE key = 'nom'")
    return name


def test_second_tab_waits_takes_over_with_the_latest_save(first, second, e2e, tmp_path):
    first.evaluate(SETUP, PASSWORD)

    # The second tab runs no Python: it explains, and offers to take over.
    wait_other_tab(second, "other")
    text = second.locator("#boot-other-tab").inner_text()
    assert OTHER in text
    assert "fermez cet onglet" in text
    expect(second.get_by_role("button", name="Utiliser Cartable dans cet onglet")).to_be_focused()
    # Its worker, started before the one-tab check so that Python loads meanwhile, is stopped.
    for _ in range(100):
        if not second.workers:
            break
        second.wait_for_timeout(100)
    assert second.workers == []
    e2e.screenshot(second, "autre-onglet")

    # The first one keeps working, and saving.
    e2e.call(first, "school.update", "{nom: 'École des Lilas', uai: null}")
    assert school_name(e2e, e2e.idb_get(second), tmp_path) == "École des Lilas"
    assert state(first) == "ready"

    # A change whose save is still running in the first tab when the second takes over.
    first.workers[0].evaluate(SLOW_SAVE)
    first.evaluate(
        "() => { window.__last = Cartable.call('school.update', "
        "{nom: 'École des Tilleuls', uai: null}); }"
    )
    second.click("#onglet-utiliser")
    assert e2e.wait_state(second) == "ready"
    expect(second.locator("#boot-other-tab")).to_have_count(0)
    assert second.evaluate("Cartable.call('app.status')")["school"]["nom"] == "École des Tilleuls"
    assert first.evaluate("window.__last.then(r => r.nom)") == "École des Tilleuls"

    # The first tab is deactivated: a clear screen, no command, and no write ever again.
    wait_other_tab(first, "taken")
    assert TAKEN in first.locator("#boot-other-tab").inner_text().replace("\xa0", " ")
    e2e.screenshot(first, "onglet-desactive")
    before = e2e.idb_get(second)
    refused = e2e.js(first, "Cartable.call('school.update', {nom: 'Écrasée', uai: null})")
    assert refused["code"] == "other-tab", refused
    assert "autre onglet" in refused["error"] and "«\xa0Reprendre ici\xa0»" in refused["error"]
    worker = first.workers[0]  # even a command or a save reaching the worker directly
    worker.evaluate(
        "() => CartableWorker.call(9999, 'school.update', {nom: 'Écrasée', uai: null})")
    # the last earlier save, nothing new
    assert worker.evaluate("() => CartableWorker.persist()") is True
    first.wait_for_timeout(300)
    assert e2e.idb_get(second) == before

    # The second tab works and saves.
    e2e.call(second, "auth.login", f"{{login: 'direction', password: {PASSWORD!r}}}")
    e2e.call(second, "school.update", "{nom: 'École des Érables', uai: null}")
    assert school_name(e2e, e2e.idb_get(second), tmp_path) == "École des Érables"

    # "Reprendre ici" in the first tab: it reloads with the second tab's latest save.
    first.click("#onglet-reprendre")
    assert e2e.wait_state(first) == "ready"
    assert first.evaluate("Cartable.call('app.status')")["school"]["nom"] == "École des Érables"
    wait_other_tab(second, "taken")
    assert "error" in e2e.js(second, "Cartable.call('app.status')")


def test_a_reload_is_not_another_tab(first, e2e, mechanism):
    first.evaluate(SETUP, PASSWORD)
    for _ in range(3):
        first.reload()
        first.wait_for_selector(
            'html[data-state="ready"], html[data-state="other-tab"]',
            state="attached",
            timeout=TIMEOUT,
        )
        assert state(first) == "ready"
        # The check does not hold the start-up back: it ends within the reload wait (1 s,
        # boot/lock.js RELOAD_WAIT_MS), measured from its own start, not from navigation (the
        # page's loading before it depends on the machine's load).
        waited = first.evaluate("""performance.getEntriesByName('cartable:tab')[0].startTime
            - performance.getEntriesByName('cartable:tab-check')[0].startTime""")
        assert 0 <= waited < 1000 + 250, waited
    if mechanism == "heartbeat":
        # A stale heartbeat of another tab (closed by a crash) does not block either.
        first.evaluate(
            "localStorage.setItem('cartable.onglet', "
            "JSON.stringify({id: 'ancien', ts: Date.now() - 60000}))"
        )
        first.reload()
        assert e2e.wait_state(first) == "ready"


def test_closing_the_active_tab_lets_the_other_start(first, second, e2e):
    wait_other_tab(second, "other")
    first.close()
    second.click("#onglet-utiliser")
    assert e2e.wait_state(second) == "ready"
    assert second.evaluate("Cartable.call('app.status')")["needs_setup"] is True


# Inside the worker: it hangs 14 s (a long import on a slow computer), longer than the other
# tab waits (TAKEOVER_WAIT_MS) before taking the lock anyway.
HANG = """() => { setTimeout(() => {
  const end = performance.now() + 14000;
  while (performance.now() < end) { /* busy */ }
}, 0); }"""


def test_a_tab_that_did_not_answer_writes_nothing_once_the_lock_is_taken(first, second, e2e,
                                                                          tmp_path):
    """The first tab's worker is busy when the second takes over: after TAKEOVER_WAIT_MS the
    second tab goes on anyway and reads the school; the change the first tab was asked for
    meanwhile must then never be written over what the second tab read."""
    first.evaluate(SETUP, PASSWORD)
    e2e.call(first, "school.update", "{nom: 'École des Lilas', uai: null}")
    wait_other_tab(second, "other")
    first.workers[0].evaluate(HANG)
    first.wait_for_timeout(300)
    first.evaluate("() => { window.__late = Cartable.call('school.update', "
                   "{nom: 'École tardive', uai: null}).catch((e) => e.message); }")
    second.click("#onglet-utiliser")
    assert e2e.wait_state(second) == "ready"
    assert second.evaluate("Cartable.call('app.status')")["school"]["nom"] == "École des Lilas"
    wait_other_tab(first, "taken")
    first.evaluate("window.__late")  # the first worker is free again and has answered
    first.wait_for_timeout(1000)
    assert school_name(e2e, e2e.idb_get(second), tmp_path) == "École des Lilas"
