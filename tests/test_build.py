"""build.py refuses unverified files (fast: no network, no Node, tampered files in a tmp cache)."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("cartable_build", ROOT / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def test_tampered_cached_download_is_refused(tmp_path):
    (tmp_path / build.NPM_TARBALL).write_bytes(b"not the pyodide tarball")
    with pytest.raises(build.BuildError, match="sha256 mismatch for pyodide-0.27.7.tgz"):
        build.fetch_pinned(tmp_path, build.NPM_TARBALL)


def test_build_stops_with_a_clear_message(tmp_path, capsys):
    (tmp_path / build.NPM_TARBALL).write_bytes(b"tampered")
    assert build.main(["--cache", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "sha256 mismatch" in err and "Refusing to build" in err
    assert "Traceback" not in err


def test_wheel_not_matching_the_official_lock_is_refused(tmp_path):
    good, bad = b"official wheel", b"tampered wheel"
    lock = {"packages": {"six": {"file_name": "six-1.16.0-py2.py3-none-any.whl",
                                 "sha256": hashlib.sha256(good).hexdigest(), "depends": []}}}
    transport = tmp_path / "transport.whl"
    with zipfile.ZipFile(transport, "w") as z:
        z.writestr(build.TRANSPORT_DIR + "six-1.16.0-py2.py3-none-any.whl", bad)
    with pytest.raises(build.BuildError, match="sha256 mismatch for six-1.16.0"):
        build.read_lock_wheels(transport, lock, ["six"])

    with zipfile.ZipFile(transport, "w") as z:
        z.writestr(build.TRANSPORT_DIR + "six-1.16.0-py2.py3-none-any.whl", good)
    assert build.read_lock_wheels(transport, lock, ["six"]) == {
        "six-1.16.0-py2.py3-none-any.whl": good}


def test_missing_wheel_in_transport_is_refused(tmp_path):
    lock = {"packages": {"six": {"file_name": "six-1.16.0-py2.py3-none-any.whl",
                                 "sha256": "0" * 64, "depends": []}}}
    transport = tmp_path / "transport.whl"
    with zipfile.ZipFile(transport, "w") as z:
        z.writestr(build.TRANSPORT_DIR + "other.whl", b"")
    with pytest.raises(build.BuildError, match="does not carry six-1.16.0"):
        build.read_lock_wheels(transport, lock, ["six"])


def test_dependencies_come_from_the_lock():
    lock = {"packages": {
        "pandas": {"depends": ["numpy", "python-dateutil"]},
        "numpy": {"depends": []},
        "python-dateutil": {"depends": ["six"]},
        "six": {"depends": []},
    }}
    assert build.needed_packages(lock, ["pandas"]) == ["numpy", "six", "python-dateutil", "pandas"]
    with pytest.raises(build.BuildError, match="not in pyodide-lock.json"):
        build.needed_packages(lock, ["scipy"])


def test_app_wheel_carries_the_package_and_its_data():
    # `pip install -e .` (.ci/setup) leaves py/cartable.egg-info: only what the build adds counts
    droppings = [ROOT / "build", ROOT / "py" / "cartable.egg-info"]
    before = [p.exists() for p in droppings]
    name, data = build.build_app_wheel()
    assert name.startswith("cartable-") and name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        assert "cartable/__init__.py" in names and "cartable/bridge.py" in names
        # every module of the package (sub-packages too), nothing else of py/
        package = ROOT / "py" / "cartable"
        modules = {f"cartable/{p.relative_to(package).as_posix()}" for p in package.rglob("*.py")}
        assert modules <= names and "cartable/base_eleves/matching.py" in modules
        assert not any(n.startswith("buildtools") for n in names)
        assert any(n.startswith("cartable/socle2008/referentiel/") and n.endswith(".json")
                   for n in names)
        assert "cartable/lsu/schemas/import-bilan-1d.xsd" in names
        assert not any("__pycache__" in n for n in names)
        info = name.split("-py3")[0] + ".dist-info"
        metadata = z.read(f"{info}/METADATA").decode()
        assert "Requires-Dist: pandas==2.2.3" in metadata
        assert z.read(f"{info}/RECORD")
        assert "Generator: setuptools" in z.read(f"{info}/WHEEL").decode() or \
            "Generator: bdist_wheel" in z.read(f"{info}/WHEEL").decode()
    assert [p.exists() for p in droppings] == before  # the build works in a temporary copy


def test_pre_compilation_programs_are_real_files():
    """build.py runs py/buildtools/ (ruff checks the Python one; node checks the JS one)."""
    tools = ROOT / "py" / "buildtools"
    assert (tools / "precompile.py").is_file()
    assert "PRECOMPILE_PY" not in (ROOT / "build.py").read_text()
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed (bash .ci/setup installs it)")
    done = subprocess.run(["node", "--check", str(tools / "run_in_pyodide.js")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_every_pin_is_a_sha256():
    for name, (_how, digest) in build.PINNED.items():
        assert len(digest) == 64 and int(digest, 16) >= 0, name
    assert "connect-src" not in build.CSP and "default-src 'none'" in build.CSP


def test_on_demand_wheels_are_pinned_and_known_to_the_python_side():
    from cartable import _compat

    assert tuple(build.ON_DEMAND_WHEELS) == _compat.XMLSCHEMA_WHEELS
    for name in build.ON_DEMAND_WHEELS:
        assert name in build.PINNED and name not in build.EXTRA_WHEELS
        version = name.split("-")[1]
        assert f"{name.split('-')[0]}=={version}" in (ROOT / "pyproject.toml").read_text()


def _web(tmp_path, files: dict[str, str]) -> Path:
    web = tmp_path / "web"
    for name, text in files.items():
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_text(text, encoding="utf-8")
    return web


@pytest.fixture
def esbuild_installed():
    if not (build.NODE_MODULES / "esbuild").is_dir():
        pytest.fail("web/node_modules is missing: run bash .ci/setup")


SMALL_WEB = {
    "shared/words.js": 'export const HELLO = "Bonjour";\nexport function shout(s) { return s + " !"; }\n',
    "ui/main.js": 'import { HELLO, shout } from "../shared/words.js";\nwindow.said = shout(HELLO);\n',
    "boot/main.js": 'import { HELLO } from "../shared/words.js";\nwindow.boot = HELLO;\n',
    "worker/main.js": 'import { shout } from "../shared/words.js";\nself.onmessage = () => shout("x");\n',
}


def _bundle_small_web(tmp_path, monkeypatch, files):
    monkeypatch.setattr(build, "WEB", _web(tmp_path, files))
    out = tmp_path / "out"
    (out / "assets").mkdir(parents=True)
    build.write_bundles(out, out / "assets")
    return out


def test_bundles_are_classic_scripts_with_their_source_maps(tmp_path, monkeypatch,
                                                            esbuild_installed):
    out = _bundle_small_web(tmp_path, monkeypatch, SMALL_WEB)
    app = (out / "app.js").read_text("utf-8")
    assert app.startswith("/* Cartable app.js: built by build.py with esbuild from web/ui/main.js")
    assert '"use strict";\n(() => {' in app  # one IIFE: no ES module syntax left
    assert "import " not in app and "export " not in app
    assert app.index('"Bonjour"') < app.index("window.said")
    assert app.endswith("//# sourceMappingURL=app.js.map\n")
    source_map = json.loads((out / "app.js.map").read_text("utf-8"))
    assert source_map["file"] == "app.js"
    assert source_map["sources"] == ["web/shared/words.js", "web/ui/main.js"]
    assert source_map["sourcesContent"][0] == SMALL_WEB["shared/words.js"]
    assert (out / "boot.js").read_text("utf-8").endswith("//# sourceMappingURL=boot.js.map\n")
    # The worker: a string for a Blob URL, its map inline.
    worker_js = (out / "assets" / "worker.js.js").read_text("utf-8")
    prefix = "self.__CARTABLE_WORKER__ = "
    assert worker_js.startswith(prefix)
    worker = json.loads(worker_js[len(prefix):].rstrip().rstrip(";"))
    assert "self.onmessage" in worker and "//# sourceURL=worker.js" in worker
    inline = worker.rsplit("base64,", 1)[1].strip()
    assert json.loads(base64.b64decode(inline))["sources"] == ["web/shared/words.js",
                                                               "web/worker/main.js"]
    assert not (out / "worker.js").exists() and not (out / "assets" / "worker.js.map").exists()
    assert not list(out.rglob("*.meta.json"))


def test_a_js_file_in_no_bundle_fails_the_build(tmp_path, monkeypatch, esbuild_installed):
    files = {**SMALL_WEB, "ui/screens/new.js": 'console.log("never imported");\n'}
    with pytest.raises(build.BuildError, match=r"web files in no bundle: ui/screens/new.js: "
                                               r"import each .* web/ui/main.js"):
        _bundle_small_web(tmp_path, monkeypatch, files)


def test_an_esbuild_warning_fails_the_build(tmp_path, monkeypatch, esbuild_installed):
    files = {**SMALL_WEB, "ui/main.js": 'import { GONE } from "../shared/words.js";\n'
                                        "window.x = GONE;\n"}
    with pytest.raises(build.BuildError, match=r"(?s)esbuild refused web/ui/main.js.*GONE"):
        _bundle_small_web(tmp_path, monkeypatch, files)
    files = {**SMALL_WEB, "ui/main.js": 'import "./missing.js";\n'}
    with pytest.raises(build.BuildError, match=r"(?s)esbuild refused.*missing.js"):
        _bundle_small_web(tmp_path / "2", monkeypatch, files)


def test_esbuild_is_pinned(tmp_path, monkeypatch, esbuild_installed):
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text("utf-8"))
    packages = lock["packages"]
    assert packages["node_modules/esbuild"]["version"] == build.ESBUILD_VERSION
    for name, (package, digest) in build.ESBUILD_BINARIES.items():
        assert packages[f"node_modules/{package}"]["version"] == build.ESBUILD_VERSION
        assert packages[f"node_modules/{package}"]["integrity"].startswith("sha512-")
        assert len(digest) == 64 and int(digest, 16) >= 0, name
    manifest = json.loads((ROOT / "web" / "package.json").read_text("utf-8"))
    assert manifest["devDependencies"] == {"esbuild": build.ESBUILD_VERSION, "acorn": "8.19.0",
                                           "acorn-walk": "8.3.5"}
    assert build.esbuild_binary().is_file()
    platform, (package, _digest) = next(iter(build.ESBUILD_BINARIES.items()))
    monkeypatch.setitem(build.ESBUILD_BINARIES, platform, (package, "0" * 64))
    with pytest.raises(build.BuildError, match="sha256 mismatch for web/node_modules/@esbuild/.*/bin/esbuild"):
        build.esbuild_binary()


def test_missing_node_modules_says_to_run_setup(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "NODE_MODULES", tmp_path / "node_modules")
    with pytest.raises(build.BuildError, match=r"web/node_modules/esbuild is missing: run "
                                               r"bash .ci/setup"):
        build.esbuild_binary()


def test_every_web_file_is_an_es_module():
    """No shared global scope: each file says what it imports and exports."""
    web = ROOT / "web"
    assert not (web / "bundle.txt").exists()
    files = [p for p in web.rglob("*.js") if p.relative_to(web).parts[0] != "node_modules"]
    assert len(files) > 40
    for path in files:
        text = path.read_text("utf-8")
        assert "module.exports" not in text and "typeof module" not in text, path
        assert re.search(r"^(import|export) ", text, re.MULTILINE), path
        assert not re.search(r"^const \w+ = \(\(\) => \{", text, re.MULTILINE), path  # no namespace IIFE
    assert "node_modules" in (ROOT / ".gitignore").read_text()


def test_a_copied_web_file_that_is_missing_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "WEB", _web(tmp_path, {}))
    with pytest.raises(build.BuildError, match=r"web/app.css is missing, but build.py's COPIED"):
        build.web_file("app.css", "build.py's COPIED list")
