"""End-to-end fixtures: the built folder ``dist/cartable/`` opened as ``file://`` in Chromium.

- the folder is (re)built once per session when missing or older than its sources, or always
  with ``CARTABLE_E2E_BUILD=1``;
- the browser context is offline and accepts downloads;
- ``page`` opens ``index.html``, records every request, and fails the test if any request used
  a scheme other than ``file:``, ``blob:`` or ``data:`` (the app must make no network request).

Helpers, reached through the ``e2e`` fixture (so that no test imports ``conftest``):
``e2e.open_app(page, url=None, query="")``, ``e2e.wait_state(page)``, ``e2e.js(page, expr)``,
``e2e.screenshot(page, name)`` (saved to ``e2e/artifacts/NAME.png``, git-ignored), ``e2e.DIST``.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "cartable"
INDEX = DIST / "index.html"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ALLOWED_SCHEMES = ("file:", "blob:", "data:")
READY_TIMEOUT_MS = 60_000


def _sources_mtime() -> float:
    paths = [ROOT / "build.py", ROOT / "pyproject.toml"]
    paths += [p for p in (ROOT / "web").rglob("*") if p.is_file()]
    paths += [p for ext in ("py", "json", "xsd") for p in (ROOT / "py").rglob(f"*.{ext}")]
    return max(p.stat().st_mtime for p in paths if p.exists())


@pytest.fixture(scope="session")
def dist() -> Path:
    """The built folder, rebuilt if stale."""
    stale = not INDEX.exists() or INDEX.stat().st_mtime < _sources_mtime()
    if stale or os.environ.get("CARTABLE_E2E_BUILD") == "1":
        subprocess.run([sys.executable, str(ROOT / "build.py")], check=True, cwd=ROOT)
    return DIST


@pytest.fixture(scope="session")
def browser(dist):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/setup (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(offline=True, accept_downloads=True)
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


def open_app(page, url: str | None = None, query: str = "") -> None:
    """Navigate to the app (or to ``url``, a file:// URL of an index.html) without waiting."""
    page.goto((url or INDEX.as_uri()) + query)


def wait_state(page, timeout_ms: int = READY_TIMEOUT_MS) -> str:
    """Wait until ``<html data-state>`` is "ready" or "error"; return it.

    (A selector wait, not wait_for_function: the page's CSP forbids eval.)"""
    page.wait_for_selector(
        'html[data-state="ready"], html[data-state="error"]', state="attached", timeout=timeout_ms
    )
    return page.evaluate("document.documentElement.dataset.state")


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
