"""The UAI (ex-RNE) checked in one place, ``letterhead.check_uai``: 8 characters, 7 digits and the
check letter (the 7-digit number modulo 23 in "ABCDEFGHJKLMNPRSTUVWXYZ"), at every door that
takes one: Réglages (``school.update``, ``school.set_identity``), the first start
(``app.setup``), ``ecole --uai``, ``nouvelle-ecole --uai``, and the LSU pre-flight."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from helpers import SchoolBuilder, call, file_hash

from cartable import db
from cartable.__main__ import main
from cartable.accounts import passwords
from cartable.api import Api
from cartable.commands import ui
from cartable.errors import UserError
from cartable.lsu import lsu_file
from cartable.school import letterhead

SETUP = {"nom": "École Jules Ferry", "directeur": {"nom": "Durand", "prenom": "Sophie",
                                                   "password": "Directrice-2026"}}
# UAIs of real schools' shape, their letter computed by hand: 441234 = 23 * 19184 + 2 -> "C"
VALID = ["0441234C", "0750001U", "0291111A", "0351234B", "0449999E", "9999999P"]


@pytest.fixture
def api(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    a = Api(str(tmp_path / "ecole.sqlite3"))
    yield a
    a.close()


@pytest.mark.parametrize("uai", VALID)
def test_valid_uais_are_accepted_and_upper_cased(uai):
    assert letterhead.check_uai(uai) == uai
    assert letterhead.check_uai(f" {uai[:4]} {uai[4:].lower()} ") == uai
    assert letterhead.uai_letter(uai[:7]) == uai[7]


def test_the_check_letter_is_the_number_modulo_23_without_i_o_q():
    assert letterhead.UAI_LETTERS == "ABCDEFGHJKLMNPRSTUVWXYZ"
    assert [letterhead.uai_letter(f"{n:07d}") for n in (0, 1, 7, 8, 22, 23, 441234)] == \
        ["A", "B", "H", "J", "Z", "A", "C"]
    assert letterhead.check_uai(letterhead.UAI_EXAMPLE) == "0441234C"


@pytest.mark.parametrize(("uai", "message"), [
    ("0441234X", (r"« 0441234X » n'est pas valide : sa lettre de contrôle ne correspond pas à ses "
                 r"chiffres \(avec 0441234, la lettre serait C\)")),
    ("0441234A", r"la lettre serait C"),
    ("0441234I", r"la lettre serait C"),
    ("0441234", r"« 0441234 » n'est pas valide : il a 7 caractères au lieu de 8"),
    ("0441234CC", r"il a 9 caractères au lieu de 8"),
    ("X", r"il a 1 caractère au lieu de 8"),
    ("A441234C", r"« A441234C » n'est pas valide : il comporte 7 chiffres suivis d'une lettre"),
    ("04412345", r"il comporte 7 chiffres suivis d'une lettre"),
    (44, r"invalide : indiquez 7 chiffres suivis d'une lettre"),
])
def test_wrong_uais_are_refused_with_a_valid_example(uai, message):
    with pytest.raises(UserError, match=message) as refused:
        letterhead.check_uai(uai)
    assert "par exemple 0441234C" in str(refused.value)
    assert refused.value.details == {"field": "uai"}  # the form marks the UAI field
    for example in re.findall(r"par exemple (\w+)", str(refused.value)):
        assert letterhead.check_uai(example) == example  # the example shown is itself valid


def test_empty_is_allowed_only_where_optional():
    assert letterhead.check_uai(None) == letterhead.check_uai("  ") == ""
    with pytest.raises(UserError, match="Indiquez le numéro UAI de l'école"):
        letterhead.check_uai("", optional=False)


def test_every_door_of_the_api_refuses_a_wrong_check_letter(api):
    with pytest.raises(UserError, match="lettre de contrôle"):
        call(api, "app.setup", {**SETUP, "uai": "0441234X"})
    assert call(api, "app.status")["needs_setup"] is True  # nothing created
    created = call(api, "app.setup", {**SETUP, "uai": "0441234c"})
    session = created["session"]
    assert call(api, "app.status")["school"]["uai"] == "0441234C"
    before = file_hash(api)
    for command, payload in (("school.update", {"nom": "École Jules Ferry", "uai": "0441234X"}),
                             ("school.set_identity", {"uai": "0441234X"})):
        with pytest.raises(UserError, match="la lettre serait C"):
            call(api, command, payload, session)
    assert file_hash(api) == before and db.get_meta(api.db, "uai") == "0441234C"
    assert call(api, "school.set_identity", {"uai": "0750001U"}, session)["uai"] == "0750001U"


def test_the_interface_shows_a_valid_example(api):
    strings = call(api, "ui.strings")
    assert strings["uai_example"] == ui.letterhead.UAI_EXAMPLE
    assert letterhead.check_uai(strings["uai_example"]) == strings["uai_example"]
    assert strings["uai_length"] == len(strings["uai_example"]) == 8


def test_lsu_pre_flight_names_a_stored_uai_with_a_wrong_letter(api):
    build = SchoolBuilder(api).letterhead("École Jules Ferry", "0441234X")  # as stored before
    build.director(civilite="MME")
    problems = lsu_file.school_problems(api.db)
    assert problems == [("Le numéro UAI « 0441234X » n'est pas valide : sa lettre de contrôle ne "
                        "correspond pas à ses chiffres (avec 0441234, la lettre serait C). "
                        "Vérifiez les chiffres et la lettre sur un document officiel de l'école "
                        "(par exemple 0441234C). Corrigez-le dans Réglages.")]
    build.letterhead("École Jules Ferry", "0441234C")
    assert lsu_file.school_problems(api.db) == []


def run(capsys, *argv, stdin=""):
    sys.stdin = io.StringIO(stdin)
    try:
        code = main([str(a) for a in argv])
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_ecole_refuses_0441234x_and_accepts_0441234c(tmp_path, capsys,
                                                                    monkeypatch):
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    path = tmp_path / "ecole.sqlite3"
    assert run(capsys, "--db", path, "nouvelle-ecole", "--nom", "École Jules Ferry",
               "--directeur-nom", "DURAND", "--directeur-prenom", "Sophie",
               stdin="Secret-2026\nSecret-2026\n")[0] == 0
    before = Path(path).read_bytes()
    code, out, err = run(capsys, "--db", path, "ecole", "--uai", "0441234X")
    assert code == 1 and out == ""
    assert err.startswith("Erreur : Le numéro UAI « 0441234X » n'est pas valide")
    assert "la lettre serait C" in err and "par exemple 0441234C" in err
    assert Path(path).read_bytes() == before
    code, out, err = run(capsys, "--db", path, "ecole", "--uai", "0441234C")
    assert code == 0, err
    assert out.splitlines()[0] == "École : École Jules Ferry (UAI 0441234C)"


def test_command_line_nouvelle_ecole_checks_the_letter_too(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    args = ["nouvelle-ecole", "--nom", "École Jules Ferry", "--directeur-nom", "DURAND",
            "--directeur-prenom", "Sophie"]
    code, out, err = run(capsys, "--db", tmp_path / "a.sqlite3", *args, "--uai", "0441234X",
                         stdin="Secret-2026\nSecret-2026\n")
    assert code == 1 and out == "" and "la lettre serait C" in err and list(tmp_path.iterdir()) == []
    code, _out, err = run(capsys, "--db", tmp_path / "b.sqlite3", *args, "--uai", "0441234C",
                         stdin="Secret-2026\nSecret-2026\n")
    assert code == 0, err
