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


def lsu_school(path: Path, login: str, password: str):
    """A new school file for the LSU benchmarks at ``path``: its UAI, its director (Mme Sophie
    Durand) with real hashes (passwords.ITERATIONS as it is: the browser refuses a school file
    whose hashes use another count, school/file_check.py). Returns (api, call, the director's
    session), ``call(command, payload, session=None)`` the command's reply; the caller closes
    the api."""
    from cartable.api import Api, run

    a = Api(str(path))

    def call(command: str, payload: dict, session: str | None = None):
        return run(a.handle(command, payload, session))

    call("app.setup", {"nom": "École du banc d'essai", "uai": "0441234C", "directeur": {
        "nom": "Durand", "prenom": "Sophie", "civilite": "MME", "login": login,
        "password": password}})
    return a, call, call("auth.login", {"login": login, "password": password})["session"]


# The start of a benchmark's page script ``async ({b64, runs}) => {…}``: the school file loaded,
# the director signed in, ``timed(command, payload)`` -> [reply, seconds].
PAGE_START = r"""
  const C = window.Cartable;
  const file = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  await C.call("school.replace_file", {data: file});
  await C.call("auth.login", {login: "%LOGIN%", password: "%PASSWORD%"});
  const timed = async (command, payload) => {
    const t0 = performance.now();
    const r = await C.call(command, payload);
    return [r, (performance.now() - t0) / 1000];
  };
"""


def page_script(body: str, login: str, password: str) -> str:
    """``PAGE_START`` then ``body``, as one page function of ``{b64, runs}``."""
    script = "async ({b64, runs}) => {" + PAGE_START + body + "}"
    return script.replace("%LOGIN%", login).replace("%PASSWORD%", password)
