"""docs/HOUSE.md names every Python module of the package (and the build tools) with its
path, so that the map stays true when a module is added, moved or renamed."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "py" / "cartable"
HOUSE = (ROOT / "docs" / "HOUSE.md").read_text(encoding="utf-8")


def named() -> set[str]:
    """The paths HOUSE.md's maps name (the first word of their lines)."""
    return {m.group(1) for m in re.finditer(r"(?m)^ {4,6}([a-z_0-9]\S*)", HOUSE)} | {
        m.group(1) for m in re.finditer(r"(?m)^ {4,6}(_compat\S*|__\w+__\.py)", HOUSE)}


def test_house_names_every_python_module():
    names = named()
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if "__pycache__" in rel:
            continue
        if rel.endswith("/__init__.py") and rel[: -len("__init__.py")] in names:
            continue  # a package named by its folder
        if rel not in names:
            missing.append(rel)
    assert missing == [], f"docs/HOUSE.md does not name {missing}"


def test_house_names_no_module_that_does_not_exist():
    gone = sorted(n for n in named() if n.endswith(".py") and not (PACKAGE / n).exists())
    assert gone == [], f"docs/HOUSE.md names modules that do not exist: {gone}"


def test_house_names_the_build_tools():
    for tool in (ROOT / "py" / "buildtools").iterdir():
        if tool.suffix in (".py", ".js"):
            assert tool.name in HOUSE, tool.name


WEB = ROOT / "web"


def web_files() -> list[str]:
    """Every source file of web/ (scripts, styles, the page), as HOUSE.md spells them."""
    found = []
    for path in sorted(WEB.rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if path.is_file() and "node_modules" not in rel and path.suffix in (".js", ".css",
                                                                             ".html"):
            found.append(rel)
    return found


def test_house_names_every_web_file():
    """A web file is named by its path in the web rooms' table (style sheets may share a row:
    `web/boot.css`, `app.css`…)."""
    table = HOUSE.partition("## The web rooms")[2]
    rows = [line for line in table.splitlines() if line.startswith("| `web/")]
    named_paths = set()
    for row in rows:
        first = row.split("|")[1]
        names = re.findall(r"`([^`]+)`", first)
        folder = names[0].rsplit("/", 1)[0] if names else ""
        for name in names:
            named_paths.add(name if name.startswith("web/") else f"{folder}/{name}")
    missing = [f for f in web_files() if f not in named_paths]
    assert missing == [], f"docs/HOUSE.md's web rooms do not name {missing}"
    gone = sorted(n for n in named_paths if not (ROOT / n).exists())
    assert gone == [], f"docs/HOUSE.md's web rooms name files that do not exist: {gone}"


def test_no_test_file_name_is_in_both_test_folders():
    """`python3 -m pytest -q` collects tests/ and e2e/ together, in rootdir import mode: two
    test files with the same name stop the whole run at collection (it happened at stop 14)."""
    names = {}
    for folder in ("tests", "e2e", "bench"):
        for path in (ROOT / folder).glob("*.py"):
            if path.name != "conftest.py":
                names.setdefault(path.name, []).append(folder)
    twice = {name: folders for name, folders in names.items() if len(folders) > 1}
    assert twice == {}, f"these file names are in two test folders: {twice}"
