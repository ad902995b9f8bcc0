"""The LSU schema ``schemas/import-bilan-1d.xsd`` (written from docs/LSU.md) and how a file is
checked against it.

- ``errors(source)``: the whole schema, by ``xmlschema``: the tests' judge of the files we
  write and of the two-part check below.
- ``fast_errors(root)`` / ``export_errors(data)``: the check run on every file we read and on
  each export before it is offered. ``xmlschema`` checks the same schema without its identity
  constraints (element order, cardinalities, every type and length, ``ID``/``IDREF``), and
  ``identity_errors`` checks those constraints (``xs:unique``, ``xs:key``, ``xs:keyref``), read
  from the same XSD and evaluated with ElementTree paths. Why: ``xmlschema`` spends about 5/6 of
  a validation on them (an XPath context per field); on a school's 400 bilans périodiques the
  whole schema takes 1.05 s in CPython, the two parts 0.35 s. Values are compared as the schema's
  types compare them (``attribute_kinds``: integers by value, ``ID``/``IDREF`` with white space
  collapsed, strings as written), so another application's file gets the same verdict.
  ``tests/test_lsu_schema.py`` breaks each constraint and checks that both ways refuse it.

``xmlschema`` is imported lazily: the command makes sure it is installed first
(``_compat.ensure_xmlschema``; in the browser micropip installs it from the folder on demand).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET

NS = "urn:fr:edu:scolarite:lsun:bilans:import"
XSD_NAME = "import-bilan-1d.xsd"
_XS = "{http://www.w3.org/2001/XMLSchema}"
_PREFIXES = {"lsu": NS}
_IDENTITY_KINDS = ("unique", "key", "keyref")
_IDENTITY_TEXT = re.compile(r"\s*<xs:(unique|key|keyref)\b.*?</xs:\1>", re.DOTALL)


@functools.lru_cache(maxsize=1)
def xsd_text() -> str:
    schemas = importlib.resources.files("cartable.lsu").joinpath("schemas")
    return schemas.joinpath(XSD_NAME).read_text("utf-8")


@functools.lru_cache(maxsize=2)
def schema(identities: bool = True):
    """The compiled XSD, with or without its identity constraints."""
    import xmlschema

    text = xsd_text() if identities else _IDENTITY_TEXT.sub("", xsd_text())
    return xmlschema.XMLSchema(text)


def _messages(validator, source) -> list[str]:
    return [f"{e.path or '/'} : {e.reason}" for e in validator.iter_errors(source)]


def errors(source) -> list[str]:
    """Where ``source`` (bytes or a parsed element) breaks the whole schema: "path : reason"."""
    return _messages(schema(), source)


def export_errors(data: bytes) -> list[str]:
    """The same verdict as ``errors`` for a file we wrote, in a fraction of the time."""
    return fast_errors(SafeET.fromstring(data, forbid_dtd=True))


def fast_errors(root: ET.Element) -> list[str]:
    """The same verdict as ``errors`` for a parsed document (ours or another application's),
    in a fraction of the time: the structure by xmlschema, then the identity constraints."""
    return _messages(schema(identities=False), root) or identity_errors(root)


# -- identity constraints -----------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    kind: str  # unique, key or keyref
    name: str
    owner: str  # the local name of the element the constraint is declared on
    selector: str  # an ElementTree path from the owner, with the "lsu:" prefix
    fields: tuple[str, ...]  # attribute names
    refer: str | None  # for a keyref: the key's name

    def tuples(self, owner: ET.Element):
        """(node, values) for each selected node; a value is None when its attribute is absent.
        Values are compared as the schema's types compare them (``_typed``)."""
        kinds = attribute_kinds()
        for node in owner.iterfind(self.selector, _PREFIXES):
            yield node, tuple(_typed(node.get(f), kinds.get(f)) for f in self.fields)


def _typed(value: str | None, kind: str | None):
    """An attribute value as its type compares it: an integer by its value ("045100" is
    45100), an ``ID``/``IDREF`` with its white space collapsed, a string as written."""
    if value is None or kind is None:
        return value
    collapsed = " ".join(value.split())
    if kind == "integer":
        try:
            return int(collapsed)
        except ValueError:
            return collapsed  # not an integer: the structural check refuses it
    return collapsed


_INTEGER_BASES = {"xs:integer", "xs:positiveInteger", "xs:nonNegativeInteger", "xs:int"}
_TOKEN_TYPES = {"xs:ID", "xs:IDREF", "xs:IDREFS"}


@functools.lru_cache(maxsize=1)
def attribute_kinds() -> dict[str, str]:
    """Attribute name -> "integer" or "token" (ID/IDREF), read from the XSD's attribute
    declarations; string attributes are absent. A name declared with both kinds is a
    ValueError (the identity constraints compare attributes by name)."""
    root = ET.fromstring(xsd_text())
    integers = set(_INTEGER_BASES) | {
        f"lsu:{t.get('name')}" for t in root.iter(f"{_XS}simpleType") if t.get("name")
        and (r := t.find(f"{_XS}restriction")) is not None and r.get("base") in _INTEGER_BASES}
    kinds: dict[str, str | None] = {}
    for a in root.iter(f"{_XS}attribute"):
        kind = ("integer" if a.get("type") in integers else
                "token" if a.get("type") in _TOKEN_TYPES else None)
        if kinds.setdefault(a.get("name"), kind) != kind:
            raise ValueError(f"attribute {a.get('name')} declared with two kinds of type")
    return {name: kind for name, kind in kinds.items() if kind}


def _local(qname: str | None) -> str | None:
    return qname.partition(":")[2] if qname and ":" in qname else qname


@functools.lru_cache(maxsize=1)
def identities() -> tuple[Identity, ...]:
    """The XSD's identity constraints. Only the forms our XSD uses are understood: a selector of
    child steps, fields ``@attribute``; any other form is a ValueError (a test reads them all)."""
    root = ET.fromstring(xsd_text())
    found = []
    for element in root.iter(f"{_XS}element"):
        for c in element:
            kind = c.tag.removeprefix(_XS)
            if kind not in _IDENTITY_KINDS:
                continue
            selector = c.find(f"{_XS}selector").get("xpath")
            fields = tuple(f.get("xpath") for f in c.findall(f"{_XS}field"))
            if not re.fullmatch(r"lsu:[\w-]+(/lsu:[\w-]+)*", selector) or not all(
                    re.fullmatch(r"@[\w-]+", f) for f in fields):
                raise ValueError(f"{c.get('name')}: XPath form not understood: {selector} {fields}")
            found.append(Identity(kind, c.get("name"), element.get("name"), selector,
                                  tuple(f[1:] for f in fields), _local(c.get("refer"))))
    return tuple(found)


def identity_errors(root: ET.Element) -> list[str]:
    """Where the document breaks an identity constraint of the XSD (XML Schema 1.0 §3.11.4): a
    ``unique`` or ``key`` table with the same values twice, a ``key`` field missing, a ``keyref``
    naming no entry of its key in the same owner element."""
    out = []
    by_name = {i.name: i for i in identities()}
    for ident in identities():
        for owner in root.iter(f"{{{NS}}}{ident.owner}"):
            where = f"<{ident.owner}> : {ident.name}"
            if ident.kind == "keyref":
                keys = {v for _, v in by_name[ident.refer].tuples(owner)}
                out += [f"{where} : {values} ne correspond à aucune entrée de {ident.refer}"
                        for _, values in ident.tuples(owner)
                        if None not in values and values not in keys]
                continue
            seen = set()
            for node, values in ident.tuples(owner):
                if None in values:
                    if ident.kind == "key":
                        out.append(f"{where} : champ absent sur <{node.tag.partition('}')[2]}>")
                    continue
                if values in seen:
                    out.append(f"{where} : valeur en double {values}")
                seen.add(values)
    return out
