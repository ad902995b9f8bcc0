"""docs/API.md documents exactly the registered commands: each once, none missing, none extra.

A command is documented by a row of one of API.md's tables whose first cell names it in
backquotes (a cell may name two: "`settings.get` / `settings.set`")."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from cartable import api

API_MD = Path(__file__).resolve().parent.parent / "docs" / "API.md"


def documented() -> Counter:
    names: Counter = Counter()
    for line in API_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([a-z_][a-z0-9_]*\.[a-z0-9_]+)`", first_cell))
    return names


def test_api_md_lists_every_command_once():
    api._load_commands()
    names = documented()
    assert names, "no command table found in docs/API.md"
    assert sorted(set(api.COMMANDS) - set(names)) == [], "commands missing from docs/API.md"
    assert sorted(set(names) - set(api.COMMANDS)) == [], "docs/API.md names unknown commands"
    assert [n for n, k in names.items() if k > 1] == [], "commands documented twice"


def test_roles_in_api_md_match_the_code():
    """The "who" cell says public / any / directeur as the command is registered."""
    api._load_commands()
    for line in API_MD.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.split("|")[1:-1]]
        for name in re.findall(r"`([a-z_][a-z0-9_]*\.[a-z0-9_]+)`", cells[0]):
            role = api.COMMANDS[name].role
            who = cells[1]
            expected = {"public": "public", "any": "any", "directeur": "directeur"}[role]
            if name.startswith("school.") and "file" in name:  # public, checked in the handler
                assert who.startswith("directeur, or anyone while"), (name, who)
            else:
                assert who.startswith(expected), (name, role, who)


def test_areas_name_the_module_of_every_command():
    """Prefix ``x`` lives in commands/x.py: api.AREAS lists exactly the prefixes in use."""
    api._load_commands()
    for name, spec in api.COMMANDS.items():
        assert spec.fn.__module__ == f"cartable.commands.{name.partition('.')[0]}", name
    assert sorted(api.AREAS) == sorted({n.partition(".")[0] for n in api.COMMANDS})
    modules = Path(api.__file__).parent / "commands"
    assert sorted(api.AREAS) == sorted(p.stem for p in modules.glob("*.py") if p.stem != "__init__")


def test_the_first_screen_imports_neither_lsu_nor_sacoche_nor_pandas(tmp_path):
    code = ("import sys, json; from cartable import bridge, api; "
            f"bridge.open({str(tmp_path / 'e.sqlite3')!r}); "
            "r = [api.run(bridge.call(c, '{}')) for c in ('app.status', 'ui.strings')]; "
            "assert all(json.loads(x)['ok'] for x in r), r; "
            "print(sorted(m for m in sys.modules if m.startswith(('cartable.lsu', "
            "'cartable.sacoche', 'cartable.socle2008.grid', 'cartable.socle2008.decisions', "
            "'cartable.socle2008.words', 'cartable.socle2008.attestation', "
            "'cartable.base_eleves', 'pandas', 'xml.sax', 'urllib.request'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(Path(api.__file__).parents[1])}, check=True)
    assert out.stdout.strip() == "[]", out.stdout

