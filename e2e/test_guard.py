"""The suite's guard (``e2e/guard.py``) catches what it must, and only that.

In this test's own page: the core's French refusal of a wrong password is shown and not
counted; then an uncaught error planted in the page, one planted in the worker (through
Playwright's worker handle: the page's CSP forbids eval, not the debugger), and an English JS
error written in an alert area are each recorded, and ``check()`` raises. Then an inner pytest
run (in a folder of ``e2e/artifacts/``, so that ``e2e/conftest.py`` applies) shows that tests
which assert nothing themselves fail because of the guard, that a test expecting a French error
banner passes, and that ``guard_allows`` lets a test plant an error on purpose.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
SETUP = """async (password) => {
  await Cartable.call("app.setup", {nom: "École de test", directeur:
    {nom: "Dupuis", prenom: "Marie", login: "direction", password}});
  await Cartable.call("auth.logout", {});
  CartableApp.start();
}"""
# An alert as the shell shows one, with an English JS error as its text.
ENGLISH_ALERT = """(text) => {
  const box = document.createElement("div");
  box.className = "alerte erreur";
  box.textContent = text;
  (document.querySelector(".alertes") || document.body).appendChild(box);
}"""
LEAK = "Cannot read properties of undefined (reading 'tr')"


def test_guard_records_planted_errors_not_the_cores_messages(page, e2e, guard):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    page.evaluate(SETUP, PASSWORD)
    expect(page.locator(".ecran-connexion h2")).to_be_visible(timeout=TIMEOUT)
    page.get_by_label("Identifiant").fill("direction")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    alert = page.locator(".alerte.erreur", has_text="Identifiant ou mot de passe incorrect")
    expect(alert).to_be_visible(timeout=TIMEOUT)
    guard.flush()
    assert guard.problems() == [], guard.problems()
    guard.check()  # the core's French message: nothing to report

    page.evaluate("() => { setTimeout(() => { throw new Error('planted in the page'); }); }")
    (worker,) = page.workers
    worker.evaluate("() => { setTimeout(() => { throw new Error('planted in the worker'); }); }")
    page.evaluate(ENGLISH_ALERT, LEAK)
    for _ in range(100):  # the four records arrive within a few event loop turns
        guard.flush()
        seen = {(r.kind, r.where, r.text) for r in guard.problems()}
        if len(seen) >= 4:
            break
        page.wait_for_timeout(100)
    # (Code evaluated by a test has no file:// or blob: URL in its stack: "page or worker".)
    assert ("uncaught", "page or worker", "Error: planted in the page") in seen, seen
    assert ("uncaught", "page or worker", "Error: planted in the worker") in seen, seen
    assert any(kind == "banner" and LEAK in text for kind, _, text in seen), seen
    # The page reports its worker's failure on its console: recorded too.
    assert any(kind == "console" and "the worker failed" in text for kind, _, text in seen), seen
    with pytest.raises(AssertionError, match="planted in the worker"):
        guard.check()
    guard.clear()  # this test planted them: it passes


INNER = '''
import pytest

SHOW = """(text) => {
  const box = document.createElement("div");
  box.className = "alerte erreur";
  box.textContent = text;
  document.body.appendChild(box);
}"""


def test_worker_error_nobody_checks(page, e2e):
    assert e2e.wait_state(page) == "ready"
    page.workers[0].evaluate("() => { setTimeout(() => { throw new Error('inner worker'); }); }")
    page.wait_for_timeout(300)


def test_english_banner_nobody_checks(page, e2e):
    assert e2e.wait_state(page) == "ready"
    page.evaluate(SHOW, "TypeError: x.map is not a function")


def test_expected_french_banner(page, e2e):
    assert e2e.wait_state(page) == "ready"
    page.evaluate(SHOW, "Le fichier choisi n'est pas un fichier CSV. Choisissez l'export ONDE.")
    assert page.locator(".alerte.erreur").count() == 1


@pytest.mark.guard_allows(r"planted on purpose")
def test_declared_planted_error(page, e2e):
    assert e2e.wait_state(page) == "ready"
    page.evaluate("() => { setTimeout(() => { throw new Error('planted on purpose'); }); }")
    page.wait_for_timeout(300)
'''


def test_guard_fails_tests_that_assert_nothing(dist):
    here = Path(__file__).resolve().parent
    inner = here / "artifacts" / "guard_inner"
    inner.mkdir(parents=True, exist_ok=True)
    # Not named test_*.py: the outer run must not collect it (a path given is collected anyway).
    (inner / "planted_inner.py").write_text(INNER, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA",
         str(inner / "planted_inner.py")],
        cwd=here.parent, capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-4000:]
    assert re.search(r"\b2 failed, 2 passed\b", out), out[-4000:]
    assert "FAILED" in out and "test_worker_error_nobody_checks" in out, out[-4000:]
    assert re.search(r"\[uncaught\] \(page or worker\) Error: inner worker", out), out[-4000:]
    assert "the worker failed: Uncaught Error: inner worker" in out, out[-4000:]
    assert "[banner]" in out and "x.map is not a function" in out, out[-4000:]
    passed = re.findall(r"^PASSED \S+::(\w+)", out, re.MULTILINE)
    assert sorted(passed) == ["test_declared_planted_error", "test_expected_french_banner"], out
    assert re.search(r"planted by the test call -+\n\[uncaught\] \(page or worker\) Error: planted on purpose",
                     out), out[-4000:]
