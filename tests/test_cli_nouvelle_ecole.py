"""``python -m cartable --db F nouvelle-ecole``: the school created from the command line, the
password typed twice (hidden) or given on standard input; refusals leave the file as it was."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import file_hash

from cartable.__main__ import main
from cartable.cli import main as cli_main
from cartable.cli import registry
from cartable.cli import school as cli_school

PY = str(Path(__file__).resolve().parent.parent / "py")
CODE = re.compile(r"Code de secours : ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})$", re.MULTILINE)
ARGS = ["nouvelle-ecole", "--nom", "École test", "--directeur-nom", "DURAND",
        "--directeur-prenom", "Sophie"]


def cli(*argv, stdin="") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cartable", *map(str, argv)], input=stdin,
                          check=False, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": PY})


def run(capsys, monkeypatch, *argv, stdin="") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_piped_password_creates_a_school_the_other_commands_use(tmp_path):
    db = tmp_path / "e.sqlite"
    done = cli("--db", db, *ARGS, stdin="Secret-2026\nSecret-2026\n")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "École « École test » créée" in done.stdout
    assert "Identifiant du directeur ou de la directrice : sop.durand\n" in done.stdout
    code = CODE.search(done.stdout).group(1)
    shown = cli("--db", db, "ecole")
    assert shown.returncode == 0 and "École : École test (UAI non indiqué)" in shown.stdout
    assert "Sophie DURAND" in shown.stdout
    login = cli("--db", db, "call", "auth.login",
                json.dumps({"login": "sop.durand", "password": "Secret-2026"}), "--json")
    assert login.returncode == 0, login.stderr
    assert json.loads(login.stdout)["user"]["role"] == "directeur"
    reset = cli("--db", db, "call", "auth.reset_with_code", json.dumps(
        {"login": "sop.durand", "code": code, "new_password": "Nouveau-2027"}), "--json")
    assert reset.returncode == 0, reset.stderr
    assert json.loads(reset.stdout)["user"]["login"] == "sop.durand"
    assert [p.name for p in tmp_path.iterdir()] == ["e.sqlite"]  # no temporary file left


def test_uai_and_login_are_taken(tmp_path, capsys, monkeypatch):
    db = tmp_path / "e.sqlite3"
    code, out, err = run(capsys, monkeypatch, "--db", db, *ARGS, "--uai", "0441234c",
                         "--login", "direction", stdin="Secret-2026\nSecret-2026\n")
    assert (code, err) == (0, "")
    assert "Identifiant du directeur ou de la directrice : direction\n" in out
    code, out, err = run(capsys, monkeypatch, "--db", db, "ecole")
    assert code == 0 and "École : École test (UAI 0441234C)" in out


def test_on_a_terminal_the_password_is_asked_twice_hidden(tmp_path, capsys, monkeypatch):
    asked = []
    answers = iter(["Secret-2026", "Secret-2026"])

    def fake_getpass(prompt):
        asked.append(prompt)
        return next(answers)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(cli_school.getpass, "getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    assert main(["--db", str(tmp_path / "e.sqlite3"), *ARGS]) == 0
    assert asked == [cli_school.ASK, cli_school.ASK_AGAIN]
    assert "Identifiant du directeur ou de la directrice : sop.durand" in capsys.readouterr().out


@pytest.mark.parametrize(("extra", "stdin", "message"), [
    ([], "Secret-2026\nSecret-2027\n", "Les deux mots de passe ne sont pas identiques"),
    ([], "Secret-2026\n", "Mot de passe attendu"),
    ([], "", "Mot de passe attendu"),
    ([], "court\ncourt\n", "Le mot de passe doit comporter au moins 8 caractères"),
    (["--uai", "0441234"], "Secret-2026\nSecret-2026\n", "Le numéro UAI « 0441234 » n'est"),
    (["--login", "Jo Dupont"], "Secret-2026\nSecret-2026\n", "L'identifiant « Jo Dupont » n'est"),
])
def test_refusals_create_no_file(tmp_path, capsys, monkeypatch, extra, stdin, message):
    db = tmp_path / "e.sqlite3"
    code, out, err = run(capsys, monkeypatch, "--db", db, *ARGS, *extra, stdin=stdin)
    assert code == 1 and out == ""
    assert err.startswith("Erreur : ") and message in err
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_holds_a_school_is_left_unchanged(tmp_path, capsys, monkeypatch):
    db = tmp_path / "e.sqlite3"
    assert run(capsys, monkeypatch, "--db", db, *ARGS, stdin="Secret-2026\nSecret-2026\n")[0] == 0
    before = file_hash(db)
    code, out, err = run(capsys, monkeypatch, "--db", db, "nouvelle-ecole", "--nom", "Autre",
                         "--directeur-nom", "MARTIN", "--directeur-prenom", "Luc",
                         stdin="Secret-2026\nSecret-2026\n")
    assert code == 1 and out == ""
    assert f"Le fichier « {db} » contient déjà une école (École test)" in err
    assert file_hash(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.sqlite3"]


def test_a_file_that_is_no_school_file_is_left_unchanged(tmp_path, capsys, monkeypatch):
    db = tmp_path / "notes.txt"
    db.write_text("liste des élèves\n", encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "--db", db, *ARGS,
                         stdin="Secret-2026\nSecret-2026\n")
    assert code == 1 and out == "" and "Erreur : " in err
    assert db.read_text(encoding="utf-8") == "liste des élèves\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_missing_options_are_a_command_line_mistake(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "e.sqlite3"), "nouvelle-ecole", "--nom", "École"])
    assert exc.value.code == 2
    assert "--directeur-nom" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_help_lists_every_action_once_in_its_order(capsys):
    assert sorted(cli_main.ORDER) == sorted(registry.ACTIONS)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    places = [out.index(f"    {name}") for name in cli_main.ORDER]
    assert places == sorted(places)
