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
