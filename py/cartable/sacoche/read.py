"""The SACoche validations file, import step 1: read and check the file (no database).

The whole file is **refused** (``UserError``) for structural problems: the container's
(``container``), a DTD or entity declaration (XXE, "billion laughs": refused by
``defusedxml``), malformed XML, a root other than ``<sacoche>``, no ``<eleve>`` at all.

Problems in the data of one pupil **skip that pupil** (``FileEleve.error``): a bad ``id``
attribute, no nom/prénom, nom or prénom longer than ``MAX_NAME``, the same pupil twice in the
file.

Problems on one decision **skip that decision** (listed in the pupil's ``warnings``): an unknown
palier, a compétence that is not in its palier, an item that is not in its compétence, ``etat``
other than 0/1, a missing, malformed or future date, the same decision twice (the most recent is
kept). SACoche's own rules apply: ``<etat>`` missing → 1; ``<info>`` missing or empty →
``IMPORT_INFO``; ``<info>`` decoded a second time as SACoche's ``html_decode`` does
(``&amp; &quot; &lt; &gt;``); ``info`` cut to 25 characters. ``docs/SACOCHE.md`` lists where
this differs from SACoche's import, and why.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as SafeET

from cartable import xml_limits
from cartable.sacoche import container
from cartable.sacoche.export import MAX_INFO, SACOCHE_NAME_MAX, Decision
from cartable.socle2008 import referentiel

MAX_NAME = 100  # characters in a nom or prénom
MAX_ID_DIGITS = 12
IMPORT_INFO = "Import SACoche"  # SACoche writes the procedure name when <info> is missing
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SECOND_DECODE = re.compile("&(amp|quot|lt|gt);")
_DECODED = {"amp": "&", "quot": '"', "lt": "<", "gt": ">"}


@dataclass
class FileEleve:
    """One ``<eleve>`` of the file, checked."""

    position: int
    sconet_id: int
    nom: str
    prenom: str
    items: dict[int, Decision] = field(default_factory=dict)
    competences: dict[int, Decision] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the pupil is ignored
    maybe_cut: bool = False  # nom or prénom has SACoche's 25 characters: perhaps cut


def match_key(nom: str, prenom: str) -> tuple[str, str]:
    """Names compared "exactly" up to Unicode form, case and repeated spaces (accents count)."""

    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    return norm(nom), norm(prenom)


def _text(parent, tag: str) -> str | None:
    el = parent.find(tag)
    if el is None:
        return None
    return (el.text or "").strip()


def _parse_id(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    if not value.isdigit() or not value.isascii() or len(value) > MAX_ID_DIGITS:
        return None
    return int(value)


def _label(node) -> str:
    """An element's id for a message (cut: it comes from the file)."""
    return (node.get("id") or "sans identifiant")[:20]


def html_decode(text: str) -> str:
    """SACoche's ``html_decode`` (PHP ``htmlspecialchars_decode``, ``ENT_COMPAT``), one pass."""
    return _SECOND_DECODE.sub(lambda m: _DECODED[m[1]], text)


def _decision(node, what: str, today: datetime.date, warnings: list[str]) -> Decision | None:
    """(etat, date, info) from a <validation> or <renseignement>, or None (with a warning)."""
    date = _text(node, "date") if node is not None else None
    if not date:
        warnings.append(f"{what} : pas de date, décision ignorée.")
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
            raise ValueError
        day = datetime.date.fromisoformat(date)
    except ValueError:
        warnings.append(
            f"{what} : date « {date[:20]} » invalide (attendu AAAA-MM-JJ), décision ignorée."
        )
        return None
    if day > today:
        warnings.append(f"{what} : date {date} dans le futur, décision ignorée.")
        return None
    etat_text = _text(node, "etat")
    if etat_text is None:
        etat = 1  # SACoche: missing <etat> means validé
    elif etat_text in ("0", "1"):
        etat = int(etat_text)
    else:
        warnings.append(
            f"{what} : état « {etat_text[:20]} » invalide (attendu 0 ou 1), décision ignorée."
        )
        return None
    info = html_decode(_text(node, "info") or "").strip() or IMPORT_INFO
    return etat, date, _CONTROL.sub("", info)[:MAX_INFO]


def _keep(target: dict[int, Decision], key: int, dec: Decision, what: str, warnings: list[str]):
    old = target.get(key)
    if old is not None:
        warnings.append(f"{what} présent deux fois : la décision la plus récente est gardée.")
        if old[1] >= dec[1]:
            return
    target[key] = dec


def _parse(data: bytes):
    xml = container.extract_xml(data).lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    try:
        root = xml_limits.fromstring(xml)
    except xml_limits.Refused as exc:
        raise container.refuse(exc.why + ".") from None
    except defusedxml.DefusedXmlException:
        raise container.refuse(
            "il contient une déclaration de type de document ou d'entités (DTD), refusée par "
            "sécurité."
        ) from None
    except SafeET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise container.refuse(
            f"le XML est mal formé (ligne {line}, colonne {column + 1}) : le fichier a sans "
            "doute été modifié ou tronqué."
        ) from None
    if root.tag != "sacoche":
        raise container.refuse(
            f"l'élément racine est <{str(root.tag)[:40]}> au lieu de <sacoche>.")
    nodes = root.findall("donnees/eleve")
    if not nodes:
        raise container.refuse("il ne contient aucun élève.")
    return nodes


def _competence(e: FileEleve, palier, c_node, today: datetime.date) -> None:
    w = e.warnings
    comp = {c.id: c for c in palier.competences}.get(_parse_id(c_node.get("id")))
    if comp is None:
        w.append(f"compétence « {_label(c_node)} » inconnue au palier {palier.id}, ignorée.")
        return
    label = f"compétence {comp.ref} (palier {palier.id})"
    for v_node in c_node.findall("validation"):
        dec = _decision(v_node, label, today, w)
        if dec is not None:
            _keep(e.competences, comp.id, dec, label, w)
    item_ids = {i.id for i in comp.items}
    for i_node in c_node.findall("item"):
        item_id = _parse_id(i_node.get("id"))
        if item_id not in item_ids:
            w.append(f"item « {_label(i_node)} » inconnu dans la {label}, ignoré.")
            continue
        dec = _decision(i_node.find("renseignement"), f"item {item_id}", today, w)
        if dec is not None:
            _keep(e.items, item_id, dec, f"item {item_id}", w)


def _eleve(pos: int, node, paliers: dict, today: datetime.date) -> FileEleve:
    raw_nom, raw_prenom = node.get("nom") or "", node.get("prenom") or ""
    nom, prenom = " ".join(raw_nom.split()), " ".join(raw_prenom.split())
    e = FileEleve(pos, 0, nom[:MAX_NAME], prenom[:MAX_NAME])
    e.maybe_cut = SACOCHE_NAME_MAX in (len(raw_nom), len(raw_prenom))
    sconet = _parse_id(node.get("id", "0"))
    if sconet is None:
        e.error = "identifiant Sconet invalide dans le fichier"
        return e
    e.sconet_id = sconet
    if len(nom) > MAX_NAME or len(prenom) > MAX_NAME:
        e.error = f"nom ou prénom de plus de {MAX_NAME} caractères"
        return e
    if not nom or not prenom:
        e.error = "nom ou prénom absent du fichier"
        return e
    for p_node in node.findall("palier"):
        palier = paliers.get(_parse_id(p_node.get("id")))
        if palier is None:
            e.warnings.append(f"palier « {_label(p_node)} » inconnu, ignoré.")
            continue
        for c_node in p_node.findall("competence"):
            _competence(e, palier, c_node, today)
    return e


def read(data: bytes, today: datetime.date) -> list[FileEleve]:
    """Parse and check a SACoche file. Raises UserError for a file that cannot be used."""
    nodes = _parse(data)
    paliers = {p.id: p for p in referentiel.get().paliers}
    eleves = [_eleve(pos, node, paliers, today) for pos, node in enumerate(nodes, start=1)]
    _flag_duplicates(eleves)
    return eleves


def _flag_duplicates(eleves: list[FileEleve]) -> None:
    seen: dict[tuple, list[FileEleve]] = {}
    for e in eleves:
        if e.error is None:
            key = ("id", e.sconet_id) if e.sconet_id else ("nom", match_key(e.nom, e.prenom))
            seen.setdefault(key, []).append(e)
    for group in seen.values():
        if len(group) > 1:
            places = ", ".join(str(e.position) for e in group)
            for e in group:
                e.error = f"présent plusieurs fois dans le fichier (positions {places})"
