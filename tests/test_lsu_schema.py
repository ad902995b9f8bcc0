"""The export's fast schema check (xmlschema without identity constraints, then those constraints
read from the XSD and evaluated by ElementTree) gives the whole schema's verdict.

Bad files tried, each made from the six-bilan example by one change: a duplicate INE, a duplicate
ONDE class id, two bilans for one pupil, a composante twice in a bilan, a pupil's classe-ref
naming the director, a bilan's eleve-ref naming a class, a bilan's directeur-ref naming a teacher,
and (for structure) a position of 5.
"""

from __future__ import annotations

import re

import pytest
from lsu_helpers import LIVRET_XML, LSU_XML

from cartable.lsu import lsu_schema

VALID = LSU_XML.read_text("utf-8")
PERIODIC = LIVRET_XML.read_text("utf-8")
SECOND_CLASS = '<classe id="CL2" id-be="45121" libelle="Autre"/>'
_CIT = "<parcours code=\"PAR_CIT\">Élection des délégués et premier conseil d'élèves.</parcours>"
_ART = '<parcours code="PAR_ART">Maël a présenté sa peinture au musée.</parcours>'

# (constraint broken, the change) -- each change is applied once, on its first occurrence; the
# bilans de cycle's constraints on the cycle 2 example, the others on the periodic example
BROKEN = {
    "eleve-ine-unique": ('ine="4400070910B"', 'ine="4400069897A"'),
    "classe-id-be-unique": ("</classes>", SECOND_CLASS + "</classes>"),
    "bilan-cycle-unique": ('eleve-ref="EL4400070910B"', 'eleve-ref="EL4400069897A"'),
    "domaine-code-unique": ('code="CPD_ETR"', 'code="CPD_FRA"'),
    "eleve-classe-ref": ('classe-ref="CL45121"', 'classe-ref="DIR1"'),
    "bilan-eleve-ref": ('eleve-ref="EL4400070910B"', 'eleve-ref="CL45121"'),
    "bilan-directeur-ref": ('directeur-ref="DIR1"', 'directeur-ref="ENS1"'),
}
BROKEN_PERIODIC = {
    "bilan-periodique-unique": ('eleve-ref="EL4400001013B" periode-ref',
                                'eleve-ref="EL4400000000A" periode-ref'),
    "periode-unique": ('indice="2"', 'indice="1"'),
    "element-libelle-unique": ('libelle="Lire un album seul"',
                               'libelle="Écrire une phrase dictée"'),
    "parcours-commun-unique": ('classe-ref="CL45121">', 'classe-ref="CL45100">'),
    "parcours-commun-classe-ref": ('classe-ref="CL45121">', 'classe-ref="DIR1">'),
    "parcours-commun-periode-ref": ('periode-ref="P202513" classe-ref="CL45121"',
                                    'periode-ref="ENS1" classe-ref="CL45121"'),
    "bilan-periodique-periode-ref": ('periode-ref="P202513" enseignant-refs',
                                     'periode-ref="ENS1" enseignant-refs'),
    "bilan-periodique-eleve-ref": ('eleve-ref="EL4400000000A" periode-ref',
                                   'eleve-ref="CL45100" periode-ref'),
    "bilan-periodique-directeur-ref": ('directeur-ref="DIR1">', 'directeur-ref="ENS1">'),
    "parcours-commun-code-unique": (_CIT, _CIT * 2),
    "socle-periodique-code-unique": ('code="CPD_ETR"', 'code="CPD_FRA"'),
    "acquis-domaine-unique": ('<acquis code-domaine="EPS-RAC"', '<acquis code-domaine="FRA-RAC"'),
    "sous-domaine-code-unique": ('code-domaine="FRA-LEC" element-programme-refs="EPc1d1dc5a629f"',
                                 'code-domaine="FRA-LGO" element-programme-refs="EPc1d1dc5a629f"'),
    "parcours-code-unique": (_ART, _ART * 2),
    "modalite-code-unique": ("</modalite-accompagnement>",
                             '</modalite-accompagnement><modalite-accompagnement code="PPRE"/>'),
}
KEYS = {"classe-id", "eleve-id", "directeur-id", "periode-id"}


def broken(name: str) -> bytes:
    text, (old, new) = (VALID, BROKEN[name]) if name in BROKEN else (PERIODIC,
                                                                     BROKEN_PERIODIC[name])
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def test_the_xsd_identity_constraints_are_all_read():
    found = {i.name: (i.kind, i.owner) for i in lsu_schema.identities()}
    assert set(found) == set(BROKEN) | set(BROKEN_PERIODIC) | KEYS
    assert {n for n, (kind, _) in found.items() if kind == "key"} == KEYS
    assert found["domaine-code-unique"] == ("unique", "bilan-cycle")
    assert found["acquis-domaine-unique"] == ("unique", "liste-acquis")
    assert found["socle-periodique-code-unique"] == ("unique", "bilan-periodique")
    assert found["bilan-periodique-unique"] == ("unique", "donnees")
    bare = lsu_schema.schema(identities=False)
    assert not bare.identities and len(lsu_schema.schema().identities) == len(found) == 26


def test_a_valid_file_passes_both_ways():
    for text in (VALID, PERIODIC):
        assert lsu_schema.errors(text.encode()) == []
        assert lsu_schema.export_errors(text.encode()) == []


@pytest.mark.parametrize("name", sorted(BROKEN) + sorted(BROKEN_PERIODIC))
def test_each_broken_constraint_is_refused_both_ways(name):
    data = broken(name)
    whole = lsu_schema.errors(data)
    ident = {i.name: i for i in lsu_schema.identities()}[name]
    named = ident.refer if ident.kind == "keyref" else name  # xmlschema names the key referred to
    assert whole and any(f"name='lsu:{named}'" in e for e in whole), whole
    # xmlschema without the constraints sees nothing: the evaluator does the work
    assert lsu_schema._messages(lsu_schema.schema(identities=False), data) == []
    fast = lsu_schema.export_errors(data)
    assert fast and all(f": {name} :" in e for e in fast), fast


def test_structure_and_types_are_still_xmlschemas():
    data = re.sub('positionnement="3"', 'positionnement="5"', VALID, count=1).encode()
    assert lsu_schema.errors(data) and lsu_schema.export_errors(data)
    assert "positionnement" in lsu_schema.export_errors(data)[0]


def test_an_xpath_form_it_does_not_understand_is_an_error(monkeypatch):
    text = lsu_schema.xsd_text().replace('xpath="@code"', 'xpath="lsu:x/@code"')
    monkeypatch.setattr(lsu_schema, "xsd_text", lambda: text)
    lsu_schema.identities.cache_clear()
    try:
        with pytest.raises(ValueError, match="code-unique"):
            lsu_schema.identities()
    finally:
        lsu_schema.identities.cache_clear()


def test_values_are_compared_as_typed_values():
    """Another application may write 045121 for 45121: the same class id for the schema."""
    data = VALID.replace("</classes>", '<classe id="CL2" id-be="045121" libelle="Autre"/>'
                         "</classes>", 1).encode()
    assert lsu_schema.errors(data) and lsu_schema.export_errors(data)
    assert lsu_schema.attribute_kinds()["id-be"] == "integer"
    assert lsu_schema.attribute_kinds()["eleve-ref"] == "token"
    assert "libelle" not in lsu_schema.attribute_kinds()
