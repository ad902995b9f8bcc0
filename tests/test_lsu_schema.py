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
from lsu_helpers import LSU_XML

from cartable.lsu import lsu_schema

VALID = LSU_XML.read_text("utf-8")
SECOND_CLASS = '<classe id="CL2" id-be="45121" libelle="Autre"/>'

# (constraint broken, the change) -- each change is applied once, on its first occurrence
BROKEN = {
    "eleve-ine-unique": ('ine="4400070910B"', 'ine="4400069897A"'),
    "classe-id-be-unique": ("</classes>", SECOND_CLASS + "</classes>"),
    "bilan-cycle-unique": ('eleve-ref="EL4400070910B"', 'eleve-ref="EL4400069897A"'),
    "domaine-code-unique": ('code="CPD_ETR"', 'code="CPD_FRA"'),
    "eleve-classe-ref": ('classe-ref="CL45121"', 'classe-ref="DIR1"'),
    "bilan-eleve-ref": ('eleve-ref="EL4400070910B"', 'eleve-ref="CL45121"'),
    "bilan-directeur-ref": ('directeur-ref="DIR1"', 'directeur-ref="ENS1"'),
}


def broken(name: str) -> bytes:
    old, new = BROKEN[name]
    assert old in VALID
    return VALID.replace(old, new, 1).encode("utf-8")


def test_the_xsd_identity_constraints_are_all_read():
    found = {(i.kind, i.name, i.owner) for i in lsu_schema.identities()}
    assert found == {
        ("unique", "classe-id-be-unique", "donnees"), ("unique", "eleve-ine-unique", "donnees"),
        ("unique", "bilan-cycle-unique", "donnees"), ("key", "classe-id", "donnees"),
        ("keyref", "eleve-classe-ref", "donnees"), ("key", "eleve-id", "donnees"),
        ("keyref", "bilan-eleve-ref", "donnees"), ("key", "directeur-id", "donnees"),
        ("keyref", "bilan-directeur-ref", "donnees"), ("unique", "domaine-code-unique", "socle"),
    }
    assert set(BROKEN) == {i.name for i in lsu_schema.identities() if i.kind != "key"}
    bare = lsu_schema.schema(identities=False)
    assert not bare.identities and len(lsu_schema.schema().identities) == 10


def test_a_valid_file_passes_both_ways():
    assert lsu_schema.errors(VALID.encode()) == []
    assert lsu_schema.export_errors(VALID.encode()) == []


@pytest.mark.parametrize("name", sorted(BROKEN))
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
        with pytest.raises(ValueError, match="domaine-code-unique"):
            lsu_schema.identities()
    finally:
        lsu_schema.identities.cache_clear()
