"""What the benchmark scripts share: where things are, how Chromium is launched, the build."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "cartable"
INDEX = DIST / "index.html"
CHROMIUM = "/usr/bin/chromium"
# As in e2e/conftest.py: no sandbox (root), and no background traffic on this closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def ensure_built(force: bool = False) -> None:
    """Run build.py when dist/ is missing (or when asked)."""
    if INDEX.exists() and not force:
        return
    built = subprocess.run([sys.executable, str(ROOT / "build.py")], check=False, cwd=ROOT)
    if built.returncode != 0:
        raise SystemExit("build.py failed: cannot benchmark")


def open_ready_page(playwright, timeout_ms: int):
    """Headless Chromium on the built app (offline), console errors printed, waited until Python
    is ready. Returns (browser, page); the caller closes the browser."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_context(offline=True).new_page()
    page.set_default_timeout(timeout_ms)
    page.on("console", lambda m: m.type == "error" and print(f"[console] {m.text}"))
    page.goto(INDEX.as_uri())
    page.wait_for_selector('html[data-state="ready"], html[data-state="error"]',
                           state="attached", timeout=timeout_ms)
    if page.evaluate("document.documentElement.dataset.state") != "ready":
        raise SystemExit("the app did not start (data-state=error)")
    return browser, page
