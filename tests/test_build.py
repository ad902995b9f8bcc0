"""build.py refuses unverified files (fast: no network, no Node, tampered files in a tmp cache)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
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


def _web(tmp_path, manifest: str, files: dict[str, str]) -> Path:
    web = tmp_path / "web"
    for name, text in {"bundle.txt": manifest, **files}.items():
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_text(text, encoding="utf-8")
    return web


def test_bundles_follow_the_manifest_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "WEB", _web(tmp_path, "# comment\n[app.js]\nb.js\nui/a.js  # note\n",
                                           {"b.js": "const B = 1;\n", "ui/a.js": "const A = B;"}))
    bundles = build.read_manifest()
    assert bundles == {"app.js": ["b.js", "ui/a.js"]}
    text, source_map = build.bundle("app.js", bundles["app.js"])
    assert text.index("const B = 1;") < text.index("const A = B;")
    assert text.startswith("/* Cartable app.js") and '"use strict";' in text
    assert "// ==== web/ui/a.js ====" in text and text.endswith("//# sourceMappingURL=app.js.map\n")
    sections = json.loads(source_map)["sections"]
    lines = text.split("\n")
    for section, first in zip(sections, ["const B = 1;", "const A = B;"]):
        assert lines[section["offset"]["line"]] == first  # each file's first line, mapped
    assert sections[1]["map"]["sources"] == ["web/ui/a.js"]


def test_a_listed_file_that_is_missing_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "WEB", _web(tmp_path, "[app.js]\nui/screens/gone.js\n", {}))
    with pytest.raises(build.BuildError, match=r"web/ui/screens/gone.js is missing, but "
                                               r"web/bundle.txt \(line 2\) lists it"):
        build.read_manifest()


def test_a_js_file_not_in_the_manifest_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "WEB", _web(tmp_path, "[app.js]\na.js\na.js\n",
                                           {"a.js": "", "ui/screens/new.js": ""}))
    with pytest.raises(build.BuildError, match=r"listed twice: \['a.js'\]; "
                                               r"not listed: \['ui/screens/new.js'\]"):
        build.read_manifest()
    monkeypatch.setattr(build, "WEB", _web(tmp_path / "2", "a.js\n", {"a.js": ""}))
    with pytest.raises(build.BuildError, match="before any"):
        build.read_manifest()


def test_a_copied_web_file_that_is_missing_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "WEB", _web(tmp_path, "", {}))
    with pytest.raises(build.BuildError, match=r"web/app.css is missing, but build.py's COPIED"):
        build.web_file("app.css", "build.py's COPIED list")
