"""The LSU schema checker's English said in French (``lsu/schema_fr.py``), naming the element."""

import pytest
from bad_inputs import corpus

from cartable import xml_limits
from cartable.lsu import schema_fr

ENGLISH = ("Unexpected", "expected", "missing", "attribute ", "value", "None", "not allowed",
           "Invalid", "length")

CASES = [
    (('libelle="CE2-CM1 Mme LUCAS"', 'libelle="' + "C" * 51 + '"'),
     "de l'attribut « libelle » de <classe> dépasse 50 caractères"),
    (("<entete>", "<entete><inconnu/>"),
     "l'élément <inconnu> n'est pas attendu dans <entete> (à cette place, <editeur> est attendu)"),
    (('civilite="MME" nom="LUCAS"', 'civilite="MME"'), "l'attribut « nom » manque à <enseignant>"),
    (('date-creation="2026-06-12"', 'date-creation="demain"'),
     "la valeur « demain » de l'attribut « date-creation » de <bilan-cycle> est mal écrite"),
    (("<entete>", '<entete foo="1">'), "l'attribut « foo » n'est pas permis sur <entete>"),
    (('positionnement="3"', 'positionnement="9"'),
     "« positionnement » de <domaine> est hors limites (au plus 4)"),
    (("<entete>", "<entete>texte"), "<entete> ne respecte pas le schéma"),
]


@pytest.mark.parametrize(("change", "expected"), CASES, ids=[c[1][:30] for c in CASES])
def test_common_schema_errors_are_french_and_name_the_element(change, expected):
    errors = schema_fr.french_errors(xml_limits.fromstring(corpus.lsu(change)))
    assert errors and expected in errors[0], errors
    assert not any(word in e for e in errors for word in ENGLISH), errors


def test_the_example_file_has_no_error():
    assert schema_fr.french_errors(xml_limits.fromstring(corpus.lsu())) == []
