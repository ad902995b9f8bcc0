"""The bilans périodiques import is as cautious as the bilans de cycle's (``lsu/caution.py``,
issue 18): a date in the future, hidden characters, another pupil behind our INE — on the ONDE
school of ``test_livret_lsu`` with the example's periods."""

from __future__ import annotations

import pytest
import test_livret_lsu
from helpers import call, file_hash
from lsu_helpers import LIVRET_XML, LSU_XML, periodic_of

from cartable.__main__ import main
from cartable.errors import UserError

school = test_livret_lsu.school  # the ONDE school (UAI 0441234C), director logged in

MAEL = 'nom="MERCIER" prenom="Maël"'
MAEL_INE = "4400000000A"


@pytest.fixture
def periods(school):
    test_livret_lsu.set_periods(school)
    return school


def _livret(*changes: tuple[str, str]) -> bytes:
    text = LIVRET_XML.read_text("utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


def _stored(api) -> dict[str, str]:
    return dict(api.db.execute("SELECT e.ine, b.appreciation FROM bilan_periodique b JOIN eleve "
                               "e ON e.id = b.eleve_id"))


@pytest.mark.parametrize("step", ["lsu.preview", "lsu.import"])
def test_a_creation_date_after_today_is_refused(periods, step):
    data = _livret(('date-creation="2025-11-28"', 'date-creation="9999-12-31"'))
    before = file_hash(periods)
    with pytest.raises(UserError) as err:
        call(periods, step, {"data": data}, periods.d)
    assert "La date de création « 9999-12-31 » du bilan de MERCIER Maël est postérieure à " \
           "aujourd'hui" in str(err.value) and "rien n'a changé" in str(err.value)
    assert file_hash(periods) == before


def test_another_schools_periodic_file_is_refused(periods):
    data = _livret(("<etablissement>0441234C<", "<etablissement>0449999E<"))
    before = file_hash(periods)
    with pytest.raises(UserError, match="établissement « 0449999E », pas de l'école"):
        call(periods, "lsu.import", {"data": data}, periods.d)
    assert file_hash(periods) == before


def test_other_names_for_our_ine_wait_for_a_confirmation(periods):
    data = _livret((MAEL, 'nom="MARTIN" prenom="Paul"'))
    before = file_hash(periods)
    preview = call(periods, "lsu.preview", {"data": data}, periods.d)
    (pending,) = [e for e in preview["eleves"] if e["statut"] == "à confirmer"]
    assert (pending["ine"], pending["nom"], pending["nom_fichier"], pending["bilan"]) == (
        MAEL_INE, "MERCIER", "MARTIN Paul", "périodique")
    assert "« MARTIN Paul »" in pending["raison"] and "« MERCIER Maël »" in pending["raison"]
    assert preview["nb_a_confirmer"] == 1
    assert preview["message"].endswith("; 1 bilan à confirmer (noms différents de ceux de "
                                       "l'école), non importé.")
    assert file_hash(periods) == before
    done = call(periods, "lsu.import", {"data": data}, periods.d)
    assert done["nb_importes"] == 4 and MAEL_INE not in _stored(periods)
    # the class's parcours communs do not come with a bilan left out (CP: only Maël's class)
    confirmed = call(periods, "lsu.import", {"data": data, "confirmer": [MAEL_INE]}, periods.d)
    assert confirmed["nb_importes"] == 1 and _stored(periods)[MAEL_INE] == (
        "Un très bon début d'année en CP.")
    (mael,) = [e for e in confirmed["eleves"] if e["ine"] == MAEL_INE]
    assert mael["statut"] == "ajouté"


def test_a_pending_pupil_of_another_cycle_does_not_refuse_the_file(periods):
    """Behind our INE may be another child: his bilan is not checked against our pupil's cycle
    until the director confirms it is the same pupil."""
    data = _livret((MAEL, 'nom="MARTIN" prenom="Paul"'),
                   ('<acquis code-domaine="EPS-RAC" element-programme-refs="EPa6ca1b51b603"',
                    '<acquis code-domaine="STC-RAC" element-programme-refs="EPa6ca1b51b603"'))
    preview = call(periods, "lsu.preview", {"data": data}, periods.d)
    assert preview["nb_a_confirmer"] == 1
    with pytest.raises(UserError, match="qui n'est pas du cycle 2"):
        call(periods, "lsu.preview", {"data": data, "confirmer": [MAEL_INE]}, periods.d)


def test_both_kinds_wait_for_the_same_confirmation(periods):
    cycle = LSU_XML.read_bytes().replace('nom="NICOLAS" prenom="Jérôme"'.encode(),
                                         b'nom="MARTIN" prenom="Paul"', 1)
    periodic = _livret(('nom="NICOLAS" prenom="Jérôme"', 'nom="MARTIN" prenom="Paul"'))
    for data in (cycle, periodic):
        got = call(periods, "lsu.import", {"data": data}, periods.d)
        assert got["nb_a_confirmer"] == 1
        assert next(e for e in got["eleves"] if e["statut"] == "à confirmer")["ine"] == (
            "4400069897A")
        got = call(periods, "lsu.import", {"data": data, "confirmer": ["4400069897A"]},
                   periods.d)
        assert got["nb_importes"] == 1


def test_hidden_characters_are_removed_from_every_text_and_reported(periods):
    data = _livret(
        ("Un très bon début d'année en CP.", "Un très bon\u202e début\u0085 d'année en CP."),
        ("Maël respecte les règles", "Maël\u200f respecte les règles"),
        ('libelle="Lire un album seul"', 'libelle="Lire un\u2067 album seul\u2069"'),
        ("Maël a présenté sa peinture", "Maël a\u202d présenté sa peinture"),
        ("Visite du musée des Beaux-Arts", "Visite\u061c du musée des Beaux-Arts"),
        ('nom="PETIT" prenom="Anne"', 'nom="PETIT\u202a" prenom="Anne"'),
        (MAEL, 'nom="MERCIER\u202e" prenom="Maël"'))
    got = call(periods, "lsu.import", {"data": data}, periods.d)
    mael = next(e for e in got["eleves"] if e["ine"] == MAEL_INE)
    assert mael["statut"] == "ajouté"  # the name, cleaned, is ours
    assert "caractères invisibles" in mael["avertissements"][0]
    clean = [e for e in got["eleves"] if e["ine"] not in (MAEL_INE, "4400001013B")]
    assert clean and not any("avertissements" in e for e in clean)  # other teacher, class
    assert _stored(periods)[MAEL_INE] == "Un très bon début d'année en CP."
    call(periods, "school.set_identity", {"directeur": {"civilite": "MME"}}, periods.d)
    exported = call(periods, "lsu.export", {"periode": 1}, periods.d)["data"]
    text = exported.decode("utf-8")
    assert not any(c in text for c in "\u202e\u0085\u200f\u2067\u2069\u202d\u061c\u202a")
    assert periodic_of(exported) == periodic_of(LIVRET_XML.read_bytes())


def test_an_appreciation_generale_of_hidden_characters_only_is_refused(periods):
    data = _livret(("Un très bon début d'année en CP.", "\u202e\u202c"))
    before = file_hash(periods)
    with pytest.raises(UserError, match="Le bilan périodique de MERCIER Maël n'a pas "
                                        "d'appréciation générale : LSU l'exige"):
        call(periods, "lsu.import", {"data": data}, periods.d)
    assert file_hash(periods) == before


def test_the_command_line_confirms_a_periodic_bilan(periods, capsys, tmp_path):
    path = tmp_path / "livret.xml"
    path.write_bytes(_livret((MAEL, 'nom="MARTIN" prenom="Paul"')))
    periods.close()
    assert main(["--db", periods.path, "import-lsu", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"INE {MAEL_INE} : MARTIN Paul dans le fichier, MERCIER Maël dans l'école" in out
    assert "4 ajoutés" in out
    assert main(["--db", periods.path, "import-lsu", str(path), "--yes",
                 "--confirmer", MAEL_INE]) == 0
    out = capsys.readouterr().out
    assert f"MERCIER Maël (INE {MAEL_INE}), Trimestre 1 2025-2026 : ajouté" in out
    assert "1 ajouté," in out


def test_a_projet_of_hidden_characters_only_is_no_projet(periods):
    data = _livret(("Visite du musée des Beaux-Arts et atelier de peinture.", "\u202e\u202c"))
    got = call(periods, "lsu.import", {"data": data}, periods.d)
    mael = next(e for e in got["eleves"] if e["ine"] == MAEL_INE)
    assert "caractères invisibles" in mael["avertissements"][0]
    assert periods.db.execute("SELECT count(*) FROM livret_parcours WHERE texte = ''"
                              ).fetchone()[0] == 0
    # Maël's own parcours comment now lacks its class's projet: LSU's rule leaves him out
    pre = call(periods, "lsu.preflight", {"periode": 1}, periods.d)
    (mael,) = [e for e in pre["eleves"] if e["ine"] == MAEL_INE]
    assert mael["problemes"] == [("parcours sans projet de la classe pour cette période : "
                                  "Parcours d'éducation artistique et culturelle")]
