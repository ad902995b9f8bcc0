"""The LSU schema checker's verdicts (``xmlschema``, in English) said in French.

``french_errors(root)`` is ``lsu_schema``'s check of the whole schema on an imported file, each
error as a French sentence naming the element (``<classe>``), the attribute and the value at
fault: unexpected or missing element, missing or unknown attribute, value too long or too short,
too big or too small, not one of the allowed values, badly written (a date, a number). An error
of another kind is still named by its element, without xmlschema's English.
"""

from __future__ import annotations

import re

from cartable.lsu import lsu_schema

_UNEXPECTED = re.compile(r"Unexpected child with tag '(?:\{[^}]*\})?([^']*)'"
                         r"(?: at position \d+)?\.?(?: Tag '(?:\w+:)?([^']*)' expected)?")
_INCOMPLETE = re.compile(r"is not complete\.? Tag '(?:\w+:)?([^']*)' expected")
_MISSING_ATTR = re.compile(r"missing required attribute '([^']*)'")
_NOT_ALLOWED = re.compile(r"'([^']*)' attribute not allowed")
_ATTRIBUTE = re.compile(r"attribute ([\w:-]+)='((?:[^']|'(?!:))*)'")
_LENGTH = re.compile(r"length cannot be (greater|less) than (\d+)")
_BOUND = re.compile(r"value has to be (less|greater) than or equal than (-?\d+)")


def _shown(text: str, limit: int = 40) -> str:
    text = "".join(c if c.isprintable() else "?" for c in str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _local(tag) -> str:
    return str(tag).rpartition("}")[2] if tag is not None else ""


def _element(error) -> str:
    elem = getattr(error, "elem", None)
    name = _local(getattr(elem, "tag", None))
    if not name and error.path:
        name = _local(re.sub(r"\[\d+\]$", "", error.path.rstrip("/").rpartition("/")[2]))
    return f"<{_shown(name)}>" if name else "l'élément racine"


def french(error) -> str:
    """One xmlschema validation error as a French sentence (no trailing period)."""
    reason = str(getattr(error, "reason", "") or "")
    where = _element(error)
    if m := _UNEXPECTED.search(reason):
        text = f"l'élément <{_shown(m.group(1))}> n'est pas attendu dans {where}"
        return text + (f" (à cette place, <{_shown(m.group(2))}> est attendu)" if m.group(2)
                       else "")
    if m := _INCOMPLETE.search(reason):
        return f"il manque l'élément <{_shown(m.group(1))}> dans {where}"
    if m := _MISSING_ATTR.search(reason):
        return f"l'attribut « {_shown(m.group(1))} » manque à {where}"
    if m := _NOT_ALLOWED.search(reason):
        return f"l'attribut « {_shown(m.group(1))} » n'est pas permis sur {where}"
    attr = _ATTRIBUTE.search(reason)
    what = (f"la valeur « {_shown(attr.group(2))} » de l'attribut « {_shown(attr.group(1))} » "
            f"de {where}" if attr else f"la valeur de {where}")
    if m := _LENGTH.search(reason):
        most = m.group(1) == "greater"
        return f"{what} {'dépasse' if most else 'compte moins de'} {m.group(2)} caractères" + (
            " (le maximum)" if most else " (le minimum)")
    if m := _BOUND.search(reason):
        side = "au plus" if m.group(1) == "less" else "au moins"
        return f"{what} est hors limites ({side} {m.group(2)})"
    if "must be one of" in reason or "enumeration" in reason:
        return f"{what} ne fait pas partie des valeurs permises"
    if attr or "invalid" in reason.lower() or "not a valid" in reason:
        return f"{what} est mal écrite ou invalide"
    return f"{where} ne respecte pas le schéma à cet endroit"


def french_errors(root) -> list[str]:
    """Where ``root`` (a parsed LSU file) breaks the whole schema, in French: as
    ``lsu_schema.fast_errors``, the structure by xmlschema (translated here), then the identity
    constraints (``lsu_schema.identity_errors``, French already)."""
    found = [french(e) for e in lsu_schema.schema(identities=False).iter_errors(root)]
    return found or lsu_schema.identity_errors(root)
