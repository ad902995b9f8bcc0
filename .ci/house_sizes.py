#!/usr/bin/env python3
"""The house's size rules (docs/HOUSE.md): no function over 80 lines, no file over 600 lines, in
the project's own code under py/ and web/. Prints every offender, exits 1 if there is one.

    python3 .ci/house_sizes.py [--max-function 80] [--max-file 600]

Files: the source files (.py, .js, .mjs, .css, .html) under py/ and web/, node_modules/ and
data (JSON, XSD, TSV) left out. Functions: Python's (``ast``: every ``def`` and ``async def``,
methods and nested functions included, decorators included), counted here; JavaScript's by
``.ci/house_sizes.mjs`` (acorn, from web/node_modules), run from here. When acorn cannot be
loaded the run fails if ``web/package.json`` pins it (``.ci/setup`` should have installed it),
and only says so otherwise; ``--python-only`` skips the JS functions.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("py", "web")
SOURCE = {".py", ".js", ".mjs", ".css", ".html"}
SKIP_DIRS = {"node_modules", "__pycache__", "dist"}


def source_files() -> list[Path]:
    files = []
    for area in AREAS:
        for path in sorted((ROOT / area).rglob("*")):
            if path.suffix in SOURCE and path.is_file() and not SKIP_DIRS & set(path.parts):
                files.append(path)
    return files


def long_files(files: list[Path], limit: int) -> list[str]:
    out = []
    for path in files:
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{path.relative_to(ROOT)}: {n} lines (file limit {limit})")
    return out


def long_python_functions(files: list[Path], limit: int) -> list[str]:
    out = []
    for path in files:
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                n = node.end_lineno - start + 1
                if n > limit:
                    out.append(f"{path.relative_to(ROOT)}:{start}: function {node.name} is "
                               f"{n} lines (function limit {limit})")
    return out


def long_js_functions(limit: int) -> tuple[list[str], str | None]:
    """(offenders, None), or ([], why the JS could not be checked)."""
    node = shutil.which("node")
    if not node:
        return [], "node is missing (run .ci/setup)"
    proc = subprocess.run([node, str(ROOT / ".ci" / "house_sizes.mjs"), str(limit)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    offenders = [line for line in proc.stdout.splitlines() if line.strip()]
    # 2: the checker could not run (acorn missing, a parse error); any other failure without
    # an offender printed is node's own crash (an uncaught exception exits 1): not a pass.
    if proc.returncode == 2 or (proc.returncode != 0 and not offenders):
        return [], proc.stderr.strip() or f"house_sizes.mjs exited {proc.returncode}"
    for note in proc.stderr.splitlines():  # what was parsed, files not yet ES modules
        print(f"[house] {note}")
    return offenders, None


def acorn_pinned() -> bool:
    """Whether web/package.json pins acorn (then .ci/setup installs it, and it must be there)."""
    package = ROOT / "web" / "package.json"
    return package.exists() and '"acorn"' in package.read_text(encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-function", type=int, default=80)
    parser.add_argument("--max-file", type=int, default=600)
    parser.add_argument("--python-only", action="store_true",
                        help="skip the JS functions (when web/node_modules is not installed)")
    args = parser.parse_args()
    files = source_files()
    offenders = long_files(files, args.max_file)
    offenders += long_python_functions(files, args.max_function)
    status = "not checked (--python-only)"
    if not args.python_only:
        status = "checked"
        js, why = long_js_functions(args.max_function)
        offenders += js
        if why and acorn_pinned():
            offenders.append(f"JS functions not checked: {why}")
            status = "NOT checked"
        elif why:  # before web/package.json pins acorn: say it, do not fail
            print(f"[house] JS functions not checked: web/package.json pins no acorn ({why})")
            status = "not checked"
    for line in offenders:
        print(f"[house] {line}")
    n_py = sum(p.suffix == ".py" for p in files)
    n_js = sum(p.suffix in {".js", ".mjs"} for p in files)
    print(f"[house] {len(files)} files ({n_py} Python, {n_js} JS) <= {args.max_file} lines; "
          f"functions <= {args.max_function} lines (Python checked, JS {status}): "
          f"{'ok' if not offenders else f'{len(offenders)} problem(s)'}")
    return 1 if offenders else 0


if __name__ == "__main__":
    sys.exit(main())
