"""Text helpers shared by the core: matching keys, tidy spaces, French plurals, messages.

Name *ordering* (the French collation of lists of names) is not here: see ``collation``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters NFKD does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

CLASSE_INCONNUE = "Cette classe n'existe pas (ou plus). Rechargez la liste des classes."


@functools.lru_cache(maxsize=1 << 16)  # called many times per pupil by an import plan
def normalise(text: str) -> str:
    """A matching key: lower case, accents removed, every run of anything but a-z 0-9 as one
    space, stripped ("Jean-François  LÉVÊQUE" -> "jean francois leveque")."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def xml_escape(text: str) -> str:
    """Text or attribute value for XML: ``& < > "`` escaped, the apostrophe kept as is.
    (Not xml.sax.saxutils: it imports urllib.request, http.client and email. Not str.translate
    with a dict either: a Python lookup per character, 10 times slower on a livret's texts.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


def clean(text: str) -> str:
    """Spaces tidied: runs of white space as one space, stripped."""
    return " ".join(text.split())


def plural(n: int, singular: str, plural_form: str) -> str:
    """``"1 élève"``, ``"3 élèves"``: French singular for 0 and 1."""
    return f"{n} {singular if n <= 1 else plural_form}"


_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœ")


def de(name: str) -> str:
    """``"de Léa DUPONT"``, ``"d'Océane MARTIN"``: "de" elided before a vowel (a name with a
    "h" keeps "de": whether it is aspirated cannot be known)."""
    return f"d'{name}" if name[:1].lower() in _VOWELS else f"de {name}"


def saved_message(noun: str, written: int, removed: int) -> str:
    """A grid's save, counted: « Bilans enregistrés : 3 élèves, 1 effacé. », « Bilan effacé :
    1 élève. », « Aucun changement à enregistrer. » (``noun``: "Bilan", "Livret")."""
    if written:
        return (f"{noun}s enregistrés : {plural(written, 'élève', 'élèves')}"
                + (f", {plural(removed, 'effacé', 'effacés')}" if removed else "") + ".")
    if removed:
        return f"{noun if removed == 1 else noun + 's'} " \
               f"{'effacé' if removed == 1 else 'effacés'} : {plural(removed, 'élève', 'élèves')}."
    return "Aucun changement à enregistrer."
