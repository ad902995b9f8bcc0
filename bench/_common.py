"""What the benchmark scripts share: the e2e suite's browser launcher (``e2e/browser.py``).

Chromium's path and flags, the build check and opening the app until Python is ready are written
once, in ``e2e/browser.py``, which both the e2e tests and these scripts import: a benchmark
measures the very set-up the tests check. This module puts ``e2e/`` on ``sys.path`` (as pytest
does for the tests) and re-exports what the scripts use; ``bench/grid.py`` also imports the grid
set-up of ``e2e/grid_helpers.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))

import browser
from browser import DIST, INDEX, ROOT, VIEWPORT, launch, new_context, open_ready  # noqa: F401


def ensure_built(force: bool = False) -> None:
    """Run build.py when dist/ is missing (or when asked): a benchmark measures what is built,
    even when a source changed since (the e2e suite rebuilds a stale folder)."""
    try:
        browser.ensure_built(force, when_stale=False)
    except RuntimeError as e:
        raise SystemExit(f"{e}: cannot benchmark") from None


def open_ready_page(playwright, timeout_ms: int, **context_options):
    """Headless Chromium on the built app (offline), console errors printed, waited until Python
    is ready. Returns (browser, page); the caller closes the browser."""
    try:
        return browser.open_ready_page(playwright, timeout_ms, **context_options)
    except RuntimeError as e:
        raise SystemExit(str(e)) from None
