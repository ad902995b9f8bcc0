"""The browser that e2e tests and benchmarks share: Debian's Chromium on the built folder.

One place for what ``e2e/conftest.py`` and ``bench/*.py`` both need: where the built app is,
how Chromium is launched (its path, its flags), building ``dist/cartable/`` when it is stale,
opening ``index.html`` from ``file://`` in an offline context and waiting until Python is ready.

It lives in ``e2e/`` because pytest already puts this folder on ``sys.path`` (e2e/ has no
``__init__.py``: rootdir-relative imports, as ``grid_helpers``); a benchmark script adds it in
one line (``bench/_common.py``). It imports no pytest, so that a benchmark runs without it, and
Playwright only inside the functions that need it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "cartable"
INDEX = DIST / "index.html"
CHROMIUM = "/usr/bin/chromium"
# No sandbox (CI runs as root), no GPU, and no background traffic on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1366, "height": 768}  # the screen the issues are judged on
READY_SELECTOR = 'html[data-state="ready"], html[data-state="error"]'


def sources_mtime() -> float:
    """The newest modification time among the files the build reads."""
    paths = [ROOT / "build.py", ROOT / "pyproject.toml"]
    paths += [p for p in (ROOT / "web").rglob("*")
              if p.is_file() and "node_modules" not in p.parts]
    paths += [p for ext in ("py", "json", "xsd") for p in (ROOT / "py").rglob(f"*.{ext}")]
    return max(p.stat().st_mtime for p in paths if p.exists())


def is_stale() -> bool:
    return not INDEX.exists() or INDEX.stat().st_mtime < sources_mtime()


def ensure_built(force: bool = False, when_stale: bool = True) -> None:
    """Run build.py when dist/ is missing, older than its sources (``when_stale``), or when
    ``force`` (or ``CARTABLE_E2E_BUILD=1``). Raises ``RuntimeError`` when the build fails."""
    force = force or os.environ.get("CARTABLE_E2E_BUILD") == "1"
    needed = not INDEX.exists() or (when_stale and is_stale())
    if not (force or needed):
        return
    built = subprocess.run([sys.executable, str(ROOT / "build.py")], check=False, cwd=ROOT)
    if built.returncode != 0:
        raise RuntimeError(f"build.py failed (exit status {built.returncode})")


def launch(playwright, headless: bool = True):
    """Debian's Chromium (never a browser Playwright downloads)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run .ci/setup (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=headless)


def new_context(browser, **options):
    """An offline context (the app must need no network); ``options`` as Playwright's."""
    return browser.new_context(offline=True, **options)


def print_console_errors(page) -> None:
    page.on("console", lambda m: m.type == "error" and print(f"[console] {m.text}"))


def open_app(page, url: str | None = None, query: str = "") -> None:
    """Navigate to the app (or to ``url``, a file:// URL of an index.html) without waiting."""
    page.goto((url or INDEX.as_uri()) + query)


def wait_state(page, timeout_ms: int = READY_TIMEOUT_MS) -> str:
    """Wait until ``<html data-state>`` is "ready" or "error"; return it.

    (A selector wait, not wait_for_function: the page's CSP forbids eval.)"""
    page.wait_for_selector(READY_SELECTOR, state="attached", timeout=timeout_ms)
    return page.evaluate("document.documentElement.dataset.state")


def open_ready(page, timeout_ms: int = READY_TIMEOUT_MS, url: str | None = None) -> None:
    """Open the app and wait for Python; raises ``RuntimeError`` if it did not start."""
    open_app(page, url)
    state = wait_state(page, timeout_ms)
    if state != "ready":
        detail = page.evaluate(
            "(document.getElementById('boot-error-message') || {}).textContent || ''")
        raise RuntimeError(f"the app did not start (data-state={state}): {detail}")


def open_ready_page(playwright, timeout_ms: int = READY_TIMEOUT_MS, headless: bool = True,
                    **context_options):
    """Headless Chromium on the built app (offline), console errors printed, waited until
    Python is ready. Returns (browser, page); the caller closes the browser."""
    browser = launch(playwright, headless=headless)
    page = new_context(browser, **context_options).new_page()
    page.set_default_timeout(timeout_ms)
    print_console_errors(page)
    open_ready(page, timeout_ms)
    return browser, page
