"""End-to-end fixtures: the built folder ``dist/cartable/`` opened as ``file://`` in Chromium.

- the folder is (re)built once per session when missing or older than its sources, or always
  with ``CARTABLE_E2E_BUILD=1``;
- Chromium is launched, the app opened and waited for by ``e2e/browser.py`` (shared with
  ``bench/``);
- the browser context is offline and accepts downloads;
- ``page`` opens ``index.html``, records every request, and fails the test if any request used
  a scheme other than ``file:``, ``blob:`` or ``data:`` (the app must make no network request);
- every test is guarded (``e2e/guard.py``): it fails on an uncaught error in the page or the
  worker, and on an error message shown whose text is not a French message of the core, in
  every context it opens; ``@pytest.mark.guard_allows(regex, …)`` declares planted errors.

Helpers, reached through the ``e2e`` fixture (so that no test imports ``conftest``):
``e2e.open_app(page, url=None, query="")``, ``e2e.wait_state(page)``, ``e2e.js(page, expr)``,
``e2e.screenshot(page, name)`` (saved to ``e2e/artifacts/NAME.png``, git-ignored), ``e2e.DIST``.
"""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

# e2e/browser.py (not `import browser`: the fixture below has that name)
from browser import CHROMIUM, DIST, ensure_built, launch, new_context, open_app, wait_state
from guard import Guard

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ALLOWED_SCHEMES = ("file:", "blob:", "data:")
GUARD = pytest.StashKey[Guard]()
_current: list[Guard] = []  # the running test's guard (browser.new_context attaches it)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "guard_allows(*patterns): errors (regexes) this test plants on purpose")


@pytest.fixture(autouse=True)
def guard(request) -> Guard:
    """This test's guard: checked after the test body (see ``pytest_runtest_call``)."""
    g = Guard()
    for mark in request.node.iter_markers("guard_allows"):
        g.allow(*mark.args)
    request.node.stash[GUARD] = g
    _current.append(g)
    yield g
    _current.remove(g)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    g = item.stash.get(GUARD, None)
    try:
        result = yield
    except BaseException:
        if g is not None:  # the test failed anyway: say what the guard saw too
            g.flush()
            _report(item, "e2e guard: also seen", g.problems())
        raise
    if g is not None:
        g.flush()
        _report(item, "e2e guard: planted by the test", g.expected())
        g.check()
    return result


def _report(item, title: str, records) -> None:
    if records:
        item.add_report_section("call", title, "\n".join(str(r) for r in records))


@pytest.fixture(scope="session")
def dist() -> Path:
    """The built folder, rebuilt if stale."""
    try:
        ensure_built()
    except RuntimeError as e:
        pytest.fail(str(e))
    return DIST


@pytest.fixture(scope="session")
def browser(dist):
    """Chromium, whose every new context is watched by the running test's guard."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/setup (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        unguarded = browser.new_context

        def guarded_context(*args, **kwargs):
            context = unguarded(*args, **kwargs)
            if _current:
                _current[-1].attach(context)
            return context

        browser.new_context = guarded_context
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = new_context(browser, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(context, dist):
    """A page on ``dist/cartable/index.html``; asserts at teardown that nothing left file://."""
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    context.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and print(f"[console] {m.text}"))
    page.requests = requests
    open_app(page)
    yield page
    bad = sorted({u for u in requests if not u.startswith(ALLOWED_SCHEMES)})
    assert not bad, f"the app made network requests: {bad}"


def js(page, expression: str):
    """Evaluate an async expression in the page; errors come back as {"error": message}."""
    return page.evaluate(
        f"(async () => {{ try {{ return await ({expression}); }} "
        "catch (e) { return {error: e.message, code: e.code}; } })()"
    )


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# IndexedDB of the page (database "cartable", store "files"), values as base64. "get" of the
# school file puts it together from its chunks; "put" writes the first format (one value).
IDB = """async ({op, key, b64}) => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open("cartable", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("files");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const done = (req) => new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    const store = db.transaction("files", op === "put" ? "readwrite" : "readonly")
      .objectStore("files");
    if (op === "keys") return (await done(store.getAllKeys())).map(String);
    if (op === "put") {
      const bin = atob(b64);
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      await done(store.put(bytes, key));
      return true;
    }
    let v = await done(store.get(key));
    if (v === undefined) return null;
    if (v && v.format === "cartable-chunks-1") {  // the school file in chunks (worker/store.js)
      const range = IDBKeyRange.bound(key + "#", key + "#\\uffff");
      const parts = await done(store.getAll(range));
      if (parts.length !== v.count) throw new Error(`${parts.length} chunks, ${v.count} expected`);
      v = new Uint8Array(v.size);
      parts.forEach((part, i) => v.set(part, i * 65536));
    }
    const u8 = v instanceof Uint8Array ? v : new Uint8Array(v);
    let s = "";
    for (let i = 0; i < u8.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    }
    return btoa(s);
  } finally {
    db.close();
  }
}"""


def idb_get(page, key="school.sqlite3") -> bytes | None:
    """The bytes the app stored in the browser (None if absent)."""
    b64 = page.evaluate(IDB, {"op": "get", "key": key, "b64": None})
    return None if b64 is None else base64.b64decode(b64)


def idb_put(page, data: bytes, key="school.sqlite3") -> None:
    page.evaluate(IDB, {"op": "put", "key": key, "b64": base64.b64encode(data).decode()})


def idb_keys(page) -> list[str]:
    return page.evaluate(IDB, {"op": "keys", "key": None, "b64": None})


def call(page, command: str, payload: str = "{}"):
    """``Cartable.call`` from the page; the test fails on an error reply."""
    result = js(page, f"Cartable.call({command!r}, {payload})")
    assert not (isinstance(result, dict) and "error" in result), (command, result)
    return result


def query(data: bytes, tmp_path: Path, sql: str) -> list:
    """Run ``sql`` on a school file given as bytes."""
    path = tmp_path / "lu.sqlite3"
    path.write_bytes(data)
    with sqlite3.connect(path) as conn:
        rows = conn.execute(sql).fetchall()
    path.unlink()
    return rows


@pytest.fixture
def e2e(dist):
    return SimpleNamespace(open_app=open_app, wait_state=wait_state, js=js, call=call,
                           screenshot=screenshot, idb_get=idb_get, idb_put=idb_put,
                           idb_keys=idb_keys, query=query, DIST=dist,
                           INDEX=dist / "index.html")
