"""``cartable/_compat/pyodide.py`` really runs in Pyodide: a smoke test under Node.js.

Pyodide 0.27.7 (the npm package ``build.py`` downloads into its cache) runs in Node.js, whose
WebCrypto (``crypto.subtle``) and ``Date`` stand in for the browser's. ``cartable._compat``
must pick the Pyodide implementation there; ``pbkdf2_sha256`` must give hashlib's bytes, and
``today()`` / ``now()`` the computer's local date and time. Skipped only when Node.js or the
build cache is missing: the README's test command runs ``python3 build.py`` first, which fills
the cache.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("cartable_build", ROOT / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

TARBALL = build.DEFAULT_CACHE / build.NPM_TARBALL
SALT = bytes(range(16))

SMOKE = """
import json, sys
sys.path.insert(0, "/io")
from cartable import _compat

salt = bytes(range(16))
digests = [(await _compat.pbkdf2_sha256(p.encode(), salt, n)).hex()
           for p, n in (("Mot2passe", 1000), ("Clé-été 2024 ✓", 2))]
with open("/io/out.json", "w") as f:
    json.dump({"platform": sys.platform, "module": _compat.pbkdf2_sha256.__module__,
               "digests": digests, "today": _compat.today().isoformat(),
               "now": _compat.now().isoformat(), "ensure_pandas": _compat.ensure_pandas.__module__},
              f)
"""


@pytest.fixture(scope="module")
def pyodide_dir(tmp_path_factory) -> Path:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed (bash .ci/setup installs it)")
    if not TARBALL.exists():
        pytest.skip(f"{TARBALL} is missing: run python3 build.py first (it fills the cache)")
    build.verify_sha256(TARBALL, build.PINNED[build.NPM_TARBALL][1], build.NPM_TARBALL)
    out = tmp_path_factory.mktemp("pyodide")
    with tarfile.open(TARBALL) as tar:
        tar.extractall(out, filter="data")
    return out / "package"


def test_compat_pyodide_in_pyodide_under_node(pyodide_dir, tmp_path):
    io_dir = tmp_path / "io"
    shutil.copytree(ROOT / "py" / "cartable", io_dir / "cartable",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (io_dir / "smoke.py").write_text(SMOKE, encoding="utf-8")
    before = datetime.datetime.now()
    done = subprocess.run(
        ["node", str(ROOT / "py" / "buildtools" / "run_in_pyodide.js"), str(pyodide_dir),
         str(io_dir), "smoke.py"],
        capture_output=True, text=True, timeout=300, check=False)
    after = datetime.datetime.now()
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads((io_dir / "out.json").read_text())
    assert out["platform"] == "emscripten"
    assert out["module"] == out["ensure_pandas"] == "cartable._compat.pyodide"
    assert out["digests"] == [
        hashlib.pbkdf2_hmac("sha256", b"Mot2passe", SALT, 1000, 32).hex(),
        hashlib.pbkdf2_hmac("sha256", "Clé-été 2024 ✓".encode(), SALT, 2, 32).hex(),
    ]
    assert out["today"] in {before.date().isoformat(), after.date().isoformat()}
    now = datetime.datetime.fromisoformat(out["now"])
    assert before.replace(microsecond=0) <= now <= after
