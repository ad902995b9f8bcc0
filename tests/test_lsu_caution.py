"""A cautious LSU import (``lsu/caution.py``, issue 18): another school's file, another pupil behind
our INE, a date in the future, hidden characters — on the ONDE school of ``test_lsu``."""

from __future__ import annotations

import pytest
import test_lsu
from helpers import call, file_hash
from lsu_helpers import LSU_XML

from cartable.__main__ import main
from cartable.errors import UserError

# test_lsu's fixtures: its ONDE school (143 pupils with INE, UAI 0441234C) and clock
base, school, fixed = test_lsu.base, test_lsu.school, test_lsu.fixed

OTHER_UAI = "0449999E"


def _bilans(api) -> dict[str, str]:
    return dict(api.db.execute("SELECT e.ine, b.synthese FROM bilan_cycle b JOIN eleve e ON "
                               "e.id = b.eleve_id"))


@pytest.mark.parametrize("step", ["lsu.preview", "lsu.import"])
def test_another_schools_file_is_refused_naming_both(school, step):
    data = LSU_XML.read_bytes().replace(b"0441234C", OTHER_UAI.encode())
    before = file_hash(school)
    with pytest.raises(UserError) as err:
        call(school, step, {"data": data}, school.d)
    assert f"établissement « {OTHER_UAI} »" in str(err.value) and "UAI 0441234C" in str(err.value)
    assert file_hash(school) == before


def test_a_school_without_uai_must_enter_it_first(school):
    call(school, "school.set_identity", {"uai": ""}, school.d)
    before = file_hash(school)
    with pytest.raises(UserError, match="le numéro UAI de l'école n'est pas indiqué"):
        call(school, "lsu.import", {"data": LSU_XML.read_bytes()}, school.d)
    assert file_hash(school) == before


def test_a_creation_date_after_today_is_refused(school):
    data = LSU_XML.read_bytes().replace(b'date-creation="2026-06-12"',
                                        b'date-creation="9999-12-31"', 1)
    before = file_hash(school)
    with pytest.raises(UserError, match="« 9999-12-31 » du bilan de NICOLAS Jérôme est "
                                        "postérieure à aujourd'hui"):
        call(school, "lsu.import", {"data": data}, school.d)
    assert file_hash(school) == before


def test_other_names_for_our_ine_wait_for_a_confirmation(school):
    data = LSU_XML.read_bytes().replace(b'nom="NICOLAS" prenom="J\xc3\xa9r\xc3\xb4me"',
                                        b'nom="MARTIN" prenom="Paul"', 1)
    preview = call(school, "lsu.preview", {"data": data}, school.d)
    (pending,) = [e for e in preview["eleves"] if e["statut"] == "à confirmer"]
    assert pending["ine"] == "4400069897A" and pending["nom_fichier"] == "MARTIN Paul"
    assert "« MARTIN Paul »" in pending["raison"] and "« NICOLAS Jérôme »" in pending["raison"]
    assert preview["nb_a_confirmer"] == 1 and "1 bilan à confirmer" in preview["message"]
    done = call(school, "lsu.import", {"data": data}, school.d)
    assert done["nb_importes"] == 5 and "4400069897A" not in _bilans(school)
    confirmed = call(school, "lsu.import", {"data": data, "confirmer": ["4400069897A"]},
                     school.d)
    assert confirmed["nb_importes"] == 1 and "4400069897A" in _bilans(school)
    with pytest.raises(UserError, match="INE confirmés est invalide"):
        call(school, "lsu.preview", {"data": data, "confirmer": "4400069897A"}, school.d)


def test_accents_case_and_spaces_are_the_same_names(school):
    data = LSU_XML.read_bytes().replace(b'nom="NICOLAS" prenom="J\xc3\xa9r\xc3\xb4me"',
                                        b'nom="Nicolas" prenom="  jerome"', 1)
    assert call(school, "lsu.import", {"data": data}, school.d)["nb_importes"] == 6


def test_control_characters_and_bidi_overrides_are_removed_and_reported(school):
    hidden = "\u202eenu\u202c \u0085fin \u2067x\u2069"
    data = LSU_XML.read_bytes().replace(
        b"une bonne autonomie.", ("une bonne autonomie." + hidden).encode(), 1)
    data = data.replace(b'nom="LUCAS" prenom="Claire"', 'nom="LUCAS\u200f" prenom="Claire"'
                        .encode(), 1)
    result = call(school, "lsu.import", {"data": data}, school.d)
    first = next(e for e in result["eleves"] if e["ine"] == "4400069897A")
    assert "caractères invisibles" in first["avertissements"][0]
    stored = _bilans(school)["4400069897A"]
    assert stored.endswith("une bonne autonomie.enu fin x")
    authors = {r[0] for r in school.db.execute("SELECT nom FROM bilan_auteur")}
    assert authors == {"LUCAS"}
    call(school, "school.set_identity", {"directeur": {"civilite": "MME"}}, school.d)
    exported = call(school, "lsu.export", {}, school.d)["data"].decode("utf-8")
    assert not any(c in exported for c in "\u202e\u202c\u0085\u2067\u2069\u200f")


def test_the_command_line_applies_only_matching_bilans_and_lists_the_others(school, capsys,
                                                                          tmp_path):
    data = LSU_XML.read_bytes().replace(b'nom="NICOLAS" prenom="J\xc3\xa9r\xc3\xb4me"',
                                        b'nom="MARTIN" prenom="Paul"', 1)
    path = tmp_path / "bilans.xml"
    path.write_bytes(data)
    school.close()
    assert main(["--db", school.path, "import-lsu", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "INE 4400069897A : MARTIN Paul dans le fichier, NICOLAS Jérôme dans l'école" in out
    assert "--confirmer INE" in out
    assert main(["--db", school.path, "import-lsu", str(path), "--yes",
                 "--confirmer", "4400069897A"]) == 0
    assert "1 ajouté," in capsys.readouterr().out
