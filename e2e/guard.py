"""The guard of the whole e2e suite: a test fails when the app hit an error nobody meant.

``e2e/conftest.py`` attaches one ``Guard`` per test to every browser context the test opens
(the ``context`` fixture and any ``browser.new_context``), and checks it once the test body has
run, pages still open (``pytest_runtest_call``). It records:

- **uncaught errors**, in the page or in the worker: Playwright reports both as ``pageerror``
  (Chromium's ``Runtime.exceptionThrown`` of the page and of its workers; unhandled promise
  rejections too);
- **console errors that betray a bug**, in the page or the worker (Playwright reports the
  worker's console on the page, ``message.worker`` set): a JS error (``TypeError`` …), a Python
  traceback or « Erreur interne » (the core's reply to an unexpected exception: the page logs
  its detail), a worker that failed. The app's other console errors are its own reports of a
  failure it shows in French (storage full, a refused command) and are not counted;
- **error messages shown to the user** whose text is not a French message of the core: an
  observer (an init script) reads every error area as it appears (the shell's alerts
  ``.alerte.erreur``, field errors ``.erreur-champ``, the start-up error screen) and reports
  its text through a Playwright binding (bindings and init scripts are not subject to the
  page's CSP). A text is refused when it looks like a leaked JS value or error:
  ``ENGLISH_OR_LEAK`` below. A test that expects an error banner therefore passes as long as
  the banner says, in French, what the core said.

A test that plants an error on purpose declares it: ``@pytest.mark.guard_allows(r"regex", …)``
(a record matching one of them is printed, not counted), or uses the ``guard`` fixture.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field

BINDING = "__cartableGuard"

# An error text shown to a user that is not one of the core's French messages.
ENGLISH_OR_LEAK = re.compile(
    r"Cannot (?:read|set) propert|is not a function|is not defined|is not iterable"
    r"|is not a constructor|Unexpected token|Failed to |Uncaught|Traceback"
    r"|\b\w*Error\b|\bException\b|\bundefined\b|\bnull\b|\bNaN\b|\[object \w+\]"
    r"|Erreur interne"
)

# A console error (page or worker) that betrays a bug rather than a failure the app reports.
CONSOLE_BUG = re.compile(
    r"\b(?:Type|Reference|Syntax|Range|URI|Eval|Internal)Error\b|Traceback \(most recent call"
    r"|Erreur interne|is not a function|Cannot (?:read|set) propert|is not defined"
    r"|the worker failed|CartableApp\.start failed"
)

# Where the app shows an error to the user (the text of buttons inside is left out).
ERROR_AREAS = ".alerte.erreur, .erreur-champ, #boot-error-message, .boot-recovery-error"

OBSERVER = """(() => {
  if (window.__cartableGuardInstalled) return;
  window.__cartableGuardInstalled = true;
  const SELECTOR = __SELECTOR__;
  const seen = new WeakMap(); // node -> last text reported
  const textOf = (node) => {
    const copy = node.cloneNode(true);
    for (const b of copy.querySelectorAll("button")) b.remove();
    return copy.textContent.replace(/\\s+/g, " ").trim();
  };
  const scan = () => {
    for (const node of document.querySelectorAll(SELECTOR)) {
      if (node.closest("[hidden]")) continue;
      const text = textOf(node);
      if (!text || seen.get(node) === text) continue;
      seen.set(node, text);
      const report = window[__BINDING__];
      if (typeof report === "function") {
        report({ text, area: node.id ? "#" + node.id : node.className, url: location.href });
      }
    }
  };
  new MutationObserver(scan).observe(document, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["hidden", "class"],
  });
})();""".replace("__SELECTOR__", json.dumps(ERROR_AREAS)).replace("__BINDING__", json.dumps(BINDING))


@dataclass
class Record:
    kind: str  # "uncaught" | "console" | "banner"
    text: str
    where: str = ""

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"[{self.kind}]{where} {self.text}"


def is_core_message(text: str) -> bool:
    """Whether an error text shown to the user reads as one of the core's French messages."""
    return bool(text.strip()) and not ENGLISH_OR_LEAK.search(text)


@dataclass
class Guard:
    allowed: list[re.Pattern] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    contexts: list = field(default_factory=list)

    def allow(self, *patterns: str) -> None:
        """Records matching one of these regexes are expected by the test (not counted)."""
        self.allowed += [re.compile(p) for p in patterns]

    # -- wiring --------------------------------------------------------------------------

    def attach(self, context) -> None:
        """Watch every page of ``context`` (existing and future ones)."""
        self.contexts.append(context)
        context.expose_binding(BINDING, lambda source, info: self._banner(info))
        context.add_init_script(OBSERVER)
        for page in context.pages:
            self.watch(page)
        context.on("page", self.watch)

    def watch(self, page) -> None:
        page.on("pageerror", self._uncaught)
        page.on("console", lambda message: self._console(message))

    def _uncaught(self, error) -> None:
        # The worker runs from a Blob URL, the page's scripts from file:// (code evaluated by a
        # test has neither; the worker's own failure is also on the page's console).
        stack = error.stack or ""
        where = "worker" if "blob:" in stack else "page" if "file:" in stack else "page or worker"
        self.records.append(Record("uncaught", f"{error.name}: {error.message}", where))

    def _console(self, message) -> None:
        if message.type != "error" or not CONSOLE_BUG.search(message.text):
            return
        where = "worker" if getattr(message, "worker", None) else "page"
        self.records.append(Record("console", message.text.strip()[:2000], where))

    def _banner(self, info: dict) -> None:
        if not is_core_message(info["text"]):
            self.records.append(Record("banner", info["text"], info.get("area", "")))

    # -- checking ------------------------------------------------------------------------

    def flush(self) -> None:
        """Let events already sent by the pages arrive (one round trip to each open page)."""
        for context in self.contexts:
            for page in context.pages:
                # A page closed or navigating meanwhile has nothing more to say.
                with contextlib.suppress(Exception):
                    page.evaluate("0")

    def problems(self) -> list[Record]:
        return [r for r in self.records if not any(p.search(r.text) for p in self.allowed)]

    def expected(self) -> list[Record]:
        return [r for r in self.records if any(p.search(r.text) for p in self.allowed)]

    def clear(self) -> None:
        self.records.clear()

    def check(self) -> None:
        """Raise AssertionError listing every unexpected error seen."""
        problems = self.problems()
        if problems:
            lines = "\n".join(f"  {r}" for r in problems)
            raise AssertionError(
                f"the e2e guard saw {len(problems)} unexpected error(s) in the app:\n{lines}")
