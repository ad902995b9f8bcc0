"""Parsing an XML file from elsewhere (SACoche, LSU) at a bounded cost, in French.

``fromstring(data)`` is ``defusedxml``'s (no DTD, so no external entity and no entity bomb)
with two more limits, checked while the tree is built:

- the declared encoding must be one an XML file of SACoche or LSU can have (``ENCODINGS``):
  expat would otherwise hand any name to Python's codecs (``LookupError``, ``ValueError`` for
  UTF-7, a codec that is not a text encoding);
- elements nest at most ``MAX_DEPTH`` deep (SACoche's file and LSU's have 5 to 7 levels): a
  20 Ko ZIP holding 3 million nested elements is refused at the 65th, before the tree takes
  hundreds of Mo.

Refusals are ``Refused`` with a French ``why`` ("il …"), which each door words in its message.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET

MAX_DEPTH = 64
ENCODINGS = ("utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1",
             "iso-8859-15", "windows-1252", "cp1252")
_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']{0,40})["']""")


class Refused(Exception):
    """An XML file refused before or while it is parsed; ``why`` says why, in French."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


class _TooDeep(Exception):
    pass


class _BoundedBuilder(ET.TreeBuilder):
    """ElementTree's builder, counting how deep the open elements are."""

    def __init__(self):
        super().__init__()
        self._depth = 0

    def start(self, tag, attrs):
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeep
        return super().start(tag, attrs)

    def end(self, tag):
        self._depth -= 1
        return super().end(tag)


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by the XML declaration, or None."""
    m = _DECLARED.match(data[:200].lstrip(b"\xef\xbb\xbf \t\r\n"))
    return m.group(1).decode("ascii", "replace") if m else None


def fromstring(data: bytes) -> ET.Element:
    """The root of ``data``; ``Refused``, ``defusedxml.DefusedXmlException`` (a DTD) or
    ``ParseError`` (not well-formed) otherwise."""
    encoding = declared_encoding(data)
    if encoding is not None and encoding.lower() not in ENCODINGS:
        shown = "".join(c if c.isprintable() else "?" for c in encoding)
        raise Refused(f"il déclare l'encodage « {shown} », que ni SACoche ni LSU n'utilisent "
                      "(UTF-8 attendu)")
    parser = SafeET.DefusedXMLParser(target=_BoundedBuilder(), forbid_dtd=True)
    try:
        parser.feed(data)
        return parser.close()
    except _TooDeep:
        raise Refused(f"ses éléments sont imbriqués sur plus de {MAX_DEPTH} niveaux, ce "
                      "qu'aucun fichier SACoche ou LSU ne fait") from None
    except defusedxml.DefusedXmlException:  # a ValueError too: the caller's own message
        raise
    except (LookupError, ValueError):  # an encoding expat and Python cannot use
        raise Refused("son encodage n'est pas pris en charge (UTF-8 attendu)") from None
