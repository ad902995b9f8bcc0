"""The SACoche validations file ("import-sacoche_….zip"), both directions.

Format: docs FORMATS.md. Export writes the XML by hand (it is a small fixed format and the
collège's SACoche is compared byte for byte): CRLF line endings, one tab per level, elements in
référentiel display order. Attribute and text values are escaped with ``html.escape`` (``& < >
" '``): that is what the reference file does (an apostrophe is written ``&#x27;``).

Export choices
  * The regroupement is resolved to *active* pupils (classes chosen, classes of a niveau, or the
    whole school); a deactivated pupil (left the school) is not exported.
  * All their decisions are exported, whatever paliers are active; a decision whose id is not in
    the référentiel cannot be placed in the file and is left out.
  * Pupils are ordered by nom then prénom, compared without accents and case (French order:
    "ÉMILE" sorts with the E), then by the exact spelling.

Import choices (``read``, ``plan_import``, ``apply_import``)
  The whole file is **refused** (``UserError``, nothing changed) for structural problems: empty or
  too large file (``MAX_BYTES``), neither ZIP nor XML, damaged or encrypted ZIP, entry names with
  ``..`` or an absolute path, a ZIP inside the ZIP, no ``import_validations.xml`` (a ZIP with
  exactly one ``.xml`` entry is accepted), an entry larger than ``MAX_BYTES`` (checked on the
  declared size and again while decompressing, since declared sizes can lie), a DTD or entity
  declaration (XXE, "billion laughs": refused by ``defusedxml``), malformed XML, a root other than
  ``<sacoche>``, no ``<eleve>`` at all.

  Problems in the data of one pupil **skip that pupil** (reported "ignoré" with the reason): a
  bad ``id`` attribute, no nom/prénom, nom or prénom longer than ``MAX_NAME``, the same pupil twice
  in the file, no pupil of the school matches, several pupils match, or two pupils of the file
  match the same pupil of the school.

  Problems on one decision **skip that decision** (listed in the pupil's ``avertissements``): an
  unknown palier, a compétence that is not in its palier, an item that is not in its compétence,
  ``etat`` other than 0/1, a missing, malformed or future date, the same decision twice (the most
  recent is kept). SACoche's own rules apply: ``<etat>`` missing → 1; ``<info>`` missing or empty
  → ``IMPORT_INFO``; ``info`` is cut to 25 characters.

  Matching: by Sconet id when the file's id is not 0 and a pupil of the school has it; otherwise
  by nom + prénom (when the file's id is not 0, only among the school's pupils without a Sconet
  id: a pupil with another id is another child). Names are compared after
  Unicode NFC normalisation, ignoring case and repeated spaces, but accents count ("GUERIN" is not
  "GUÉRIN"). Active pupils are tried first; inactive ones only when no active pupil matches.
  A decision is added when absent and replaces the school's one only when the file's date is
  later.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import secrets
import sqlite3
import unicodedata
import zipfile
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as SafeET

from . import db, referentiel
from .errors import UserError
from .text import plural

XML_NAME = "import_validations.xml"
MAX_BYTES = 50 * 1024 * 1024  # 50 Mo: the file, and the XML once decompressed
MAX_NAME = 100  # characters in a nom or prénom
MAX_INFO = 25  # SACoche's limit for "info"
MAX_ID_DIGITS = 12
IMPORT_INFO = "Import SACoche"  # SACoche writes the procedure name when <info> is missing
_CHUNK = 1024 * 1024
_SIZE_MB = MAX_BYTES // (1024 * 1024)

Decision = tuple[int, str, str]  # (etat, date, info)

# -- export -------------------------------------------------------------------------------


_plural = plural


@dataclass
class Export:
    filename: str
    data: bytes  # the ZIP
    xml: bytes
    nb_competences: int
    nb_items: int
    nb_eleves: int
    nb_sans_sconet: int

    @property
    def message(self) -> str:
        # SACoche's sentence, with French singular for 0 and 1 ("1 élève").
        competences = _plural(self.nb_competences, "validation de compétence",
                              "validations de compétences")
        items = _plural(self.nb_items, "validation d'item", "validations d'items")
        eleves = _plural(self.nb_eleves, "élève", "élèves")
        return f"Fichier d'export généré : {competences} et {items} concernant {eleves}."

    @property
    def note(self) -> str | None:
        n = self.nb_sans_sconet
        if n == 0:
            return None
        if n == 1:
            return (
                "1 élève n'a pas d'identifiant Sconet : il est exporté avec l'identifiant 0 et "
                "le collège le retrouvera par son nom et prénom."
            )
        return (
            f"{n} élèves n'ont pas d'identifiant Sconet : ils sont exportés avec l'identifiant 0 "
            "et le collège les retrouvera par leur nom et prénom."
        )


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


def _esc(value: str) -> str:
    return html.escape(_CONTROL.sub("", value), quote=True)


def sort_key(nom: str, prenom: str) -> tuple:
    """French order for pupils: accents and case ignored first, exact spelling breaks ties."""
    return (_fold(nom), _fold(prenom), nom, prenom)


def _fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def title_case(prenom: str) -> str:
    """SACoche stores prénoms in title case: "jean-FRANÇOIS" → "Jean-François"."""
    return re.sub(r"[^\W\d_]+", lambda m: m[0][:1].upper() + m[0][1:].lower(), prenom.strip())


def _eleve_filter(classe_ids: list[int] | None) -> tuple[str, list[int]]:
    if classe_ids is None:
        return "actif = 1", []
    return f"actif = 1 AND classe_id IN ({','.join('?' * len(classe_ids))})", list(classe_ids)


def build_xml(conn: sqlite3.Connection, classe_ids: list[int] | None) -> tuple[bytes, dict]:
    """The XML of the active pupils of ``classe_ids`` (None: the whole school) and its counts.

    Speed matters (a whole school is ~55 000 decisions): two queries, then string pieces that
    are cached (an item's opening tags; a decision's (etat, date, info) tail) and joined once.
    """
    where, params = _eleve_filter(classe_ids)
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples: much faster than sqlite3.Row here
    eleves = cur.execute(
        f"SELECT id, nom, prenom, sconet_id FROM eleve WHERE {where}", params
    ).fetchall()
    items: dict[int, dict[int, Decision]] = {}
    comps: dict[int, dict[int, Decision]] = {}
    sub = f"SELECT id FROM eleve WHERE {where}"
    for table, key, target in (
        ("validation_item", "item_id", items),
        ("validation_competence", "competence_id", comps),
    ):
        for eid, kid, etat, date, info in cur.execute(
            f"SELECT eleve_id, {key}, etat, date, info FROM {table} WHERE eleve_id IN ({sub})",
            params,
        ):
            target.setdefault(eid, {})[kid] = (etat, date, info)

    T4, T5, T6, T7 = "\t" * 4, "\t" * 5, "\t" * 6, "\t" * 7
    tails: dict[Decision, str] = {}  # (etat, date, info) -> "<date>…</item>" of an item
    validations: dict[Decision, str] = {}  # the same for a compétence's <validation>

    def item_tail(d: Decision) -> str:
        text = tails[d] = (
            f"{_esc(d[1])}</date>\r\n{T7}<etat>{int(d[0])}</etat>\r\n"
            f"{T7}<info>{_esc(d[2].strip()[:MAX_INFO])}</info>\r\n"
            f"{T6}</renseignement>\r\n{T5}</item>"
        )
        return text

    def validation(d: Decision) -> str:
        text = validations[d] = (
            f"{T5}<validation>\r\n{T6}<date>{_esc(d[1])}</date>\r\n"
            f"{T6}<etat>{int(d[0])}</etat>\r\n"
            f"{T6}<info>{_esc(d[2].strip()[:MAX_INFO])}</info>\r\n{T5}</validation>"
        )
        return text

    # The référentiel as (palier tags, [(compétence id, tags, [(item id, item head)])]).
    layout = [
        (
            f'\t\t\t<palier id="{p.id}">',
            [
                (
                    c.id,
                    f'{T4}<competence id="{c.id}">',
                    [(i.id, f'{T5}<item id="{i.id}">\r\n{T6}<renseignement>\r\n{T7}<date>')
                     for i in c.items],
                )
                for c in p.competences
            ],
        )
        for p in referentiel.get().paliers
    ]
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<sacoche>", "\t<donnees>"]
    nb_comp = nb_item = nb_eleves = nb_sans_sconet = 0
    for eid, nom, prenom, sconet in sorted(eleves, key=lambda r: sort_key(r[1], r[2])):
        e_items = items.get(eid, {})
        e_comps = comps.get(eid, {})
        if not e_items and not e_comps:
            continue
        body: list[str] = []
        for palier_open, competences in layout:
            p_body: list[str] = []
            for comp_id, comp_open, comp_items in competences:
                c_body: list[str] = []
                v = e_comps.get(comp_id)
                if v is not None:
                    c_body.append(validations.get(v) or validation(v))
                if e_items:
                    for item_id, head in comp_items:
                        d = e_items.get(item_id)
                        if d is not None:
                            c_body.append(head + (tails.get(d) or item_tail(d)))
                if c_body:
                    nb_comp += v is not None
                    nb_item += len(c_body) - (v is not None)
                    p_body.append(comp_open)
                    p_body += c_body
                    p_body.append(f"{T4}</competence>")
            if p_body:
                body.append(palier_open)
                body += p_body
                body.append("\t\t\t</palier>")
        if not body:  # only decisions unknown to the référentiel
            continue
        nb_eleves += 1
        if not sconet:
            nb_sans_sconet += 1
        out.append(
            f'\t\t<eleve id="{int(sconet or 0)}" nom="{_esc(nom.strip().upper())}" '
            f'prenom="{_esc(title_case(prenom))}">'
        )
        out += body
        out.append("\t\t</eleve>")
    out += ["\t</donnees>", "</sacoche>", ""]
    counts = {
        "nb_competences": nb_comp,
        "nb_items": nb_item,
        "nb_eleves": nb_eleves,
        "nb_sans_sconet": nb_sans_sconet,
    }
    return "\r\n".join(out).encode("utf-8"), counts


def zip_filename(now: datetime.datetime, random: int, base: int = 0) -> str:
    return f"import-sacoche_{base}_{now:%Y-%m-%d_%H-%M-%S}_{random}.zip"


def make_zip(xml: bytes, now: datetime.datetime) -> bytes:
    """One deflated entry ``import_validations.xml``, dated ``now`` (so the bytes are stable)."""
    info = zipfile.ZipInfo(XML_NAME, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(info, xml)
    return buf.getvalue()


def export(
    conn: sqlite3.Connection,
    classe_ids: list[int] | None,
    now: datetime.datetime,
    random: int | None = None,
) -> Export:
    """Build the SACoche file for the active pupils of ``classe_ids`` (None: whole school)."""
    xml, counts = build_xml(conn, classe_ids)
    if counts["nb_eleves"] == 0:
        raise UserError(
            "Aucune validation à exporter : aucun élève de ce regroupement n'a de décision "
            "enregistrée. Saisissez des validations ou choisissez un autre regroupement."
        )
    if random is None:
        random = secrets.randbelow(2**31)
    return Export(zip_filename(now, random), make_zip(xml, now), xml, **counts)


# -- import: reading the file -------------------------------------------------------------


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


def _refuse(what: str) -> UserError:
    return UserError(
        f"Ce fichier ne peut pas être importé : {what} Choisissez le fichier "
        "« import-sacoche_….zip » (ou le fichier XML qu'il contient) produit par SACoche ou "
        "Cartable."
    )


def extract_xml(data: bytes) -> bytes:
    """The XML bytes of a SACoche ZIP, or ``data`` itself when it is bare XML."""
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier à importer.")
    if not data:
        raise _refuse("il est vide.")
    if len(data) > MAX_BYTES:
        raise _refuse(f"il dépasse la taille maximale de {_SIZE_MB} Mo.")
    data = bytes(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _xml_from_zip(data)
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return data
    raise _refuse("ce n'est ni une archive ZIP ni un fichier XML.")


def _xml_from_zip(data: bytes) -> bytes:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise _refuse("l'archive ZIP est endommagée (fichier tronqué ?).") from None
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            raise _refuse(f"l'archive contient un chemin dangereux (« {info.filename[:80]} »).")
        if name.lower().endswith(".zip"):
            raise _refuse("l'archive contient une autre archive ZIP.")
    files = [i for i in infos if not i.is_dir()]
    chosen = [i for i in files if i.filename.replace("\\", "/").split("/")[-1] == XML_NAME]
    if not chosen:
        chosen = [i for i in files if i.filename.lower().endswith(".xml")]
        if len(chosen) != 1:
            raise _refuse(f"l'archive ne contient pas de fichier « {XML_NAME} ».")
    if len(chosen) > 1:
        raise _refuse(f"l'archive contient plusieurs fichiers « {XML_NAME} ».")
    info = chosen[0]
    if info.flag_bits & 0x1:
        raise _refuse("l'archive est protégée par un mot de passe.")
    too_big = _refuse(f"le fichier XML décompressé dépasse la taille maximale de {_SIZE_MB} Mo.")
    if info.file_size > MAX_BYTES:
        raise too_big
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(_CHUNK):
                total += len(chunk)
                if total > MAX_BYTES:  # the declared size lied
                    raise too_big
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise _refuse("l'archive ZIP est endommagée (contenu illisible).") from None
    xml = b"".join(chunks)
    if xml.startswith(b"PK\x03\x04"):
        raise _refuse("l'archive contient une autre archive ZIP.")
    return xml


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
    info = _text(node, "info") or IMPORT_INFO
    return etat, date, _CONTROL.sub("", info)[:MAX_INFO]


def _keep(target: dict[int, Decision], key: int, dec: Decision, what: str, warnings: list[str]):
    old = target.get(key)
    if old is not None:
        warnings.append(f"{what} présent deux fois : la décision la plus récente est gardée.")
        if old[1] >= dec[1]:
            return
    target[key] = dec


def read(data: bytes, today: datetime.date) -> list[FileEleve]:
    """Parse and check a SACoche file. Raises UserError for a file that cannot be used."""
    xml = extract_xml(data).lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise _refuse(
            "il contient une déclaration de type de document ou d'entités (DTD), refusée par "
            "sécurité."
        ) from None
    except SafeET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise _refuse(
            f"le XML est mal formé (ligne {line}, colonne {column + 1}) : le fichier a sans "
            "doute été modifié ou tronqué."
        ) from None
    if root.tag != "sacoche":
        raise _refuse(f"l'élément racine est <{str(root.tag)[:40]}> au lieu de <sacoche>.")
    nodes = root.findall("donnees/eleve")
    if not nodes:
        raise _refuse("il ne contient aucun élève.")
    ref = referentiel.get()
    paliers = {p.id: p for p in ref.paliers}
    eleves = []
    for pos, node in enumerate(nodes, start=1):
        nom = " ".join((node.get("nom") or "").split())
        prenom = " ".join((node.get("prenom") or "").split())
        e = FileEleve(pos, 0, nom[:MAX_NAME], prenom[:MAX_NAME])
        eleves.append(e)
        sconet = _parse_id(node.get("id", "0"))
        if sconet is None:
            e.error = "identifiant Sconet invalide dans le fichier"
            continue
        e.sconet_id = sconet
        if len(nom) > MAX_NAME or len(prenom) > MAX_NAME:
            e.error = f"nom ou prénom de plus de {MAX_NAME} caractères"
            continue
        if not nom or not prenom:
            e.error = "nom ou prénom absent du fichier"
            continue
        w = e.warnings
        for p_node in node.findall("palier"):
            palier = paliers.get(_parse_id(p_node.get("id")))
            if palier is None:
                w.append(f"palier « {_label(p_node)} » inconnu, ignoré.")
                continue
            comps = {c.id: c for c in palier.competences}
            for c_node in p_node.findall("competence"):
                comp = comps.get(_parse_id(c_node.get("id")))
                if comp is None:
                    w.append(
                        f"compétence « {_label(c_node)} » inconnue au "
                        f"palier {palier.id}, ignorée."
                    )
                    continue
                label = f"compétence {comp.ref} (palier {palier.id})"
                for v_node in c_node.findall("validation"):
                    dec = _decision(v_node, label, today, w)
                    if dec is not None:
                        _keep(e.competences, comp.id, dec, label, w)
                item_ids = {i.id for i in comp.items}
                for i_node in c_node.findall("item"):
                    item_id = _parse_id(i_node.get("id"))
                    if item_id not in item_ids:
                        w.append(
                            f"item « {_label(i_node)} » inconnu dans la "
                            f"{label}, ignoré."
                        )
                        continue
                    dec = _decision(i_node.find("renseignement"), f"item {item_id}", today, w)
                    if dec is not None:
                        _keep(e.items, item_id, dec, f"item {item_id}", w)
    _flag_duplicates(eleves)
    return eleves


def name_key(nom: str, prenom: str) -> tuple[str, str]:
    """Names compared "exactly" up to Unicode form, case and repeated spaces (accents count)."""

    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    return norm(nom), norm(prenom)


def _flag_duplicates(eleves: list[FileEleve]) -> None:
    seen: dict[tuple, list[FileEleve]] = {}
    for e in eleves:
        if e.error is None:
            key = ("id", e.sconet_id) if e.sconet_id else ("nom", name_key(e.nom, e.prenom))
            seen.setdefault(key, []).append(e)
    for group in seen.values():
        if len(group) > 1:
            places = ", ".join(str(e.position) for e in group)
            for e in group:
                e.error = f"présent plusieurs fois dans le fichier (positions {places})"


# -- import: matching and applying --------------------------------------------------------


@dataclass
class ImportPlan:
    reports: list[dict]
    item_rows: list[tuple]  # (eleve_id, item_id, etat, date, info)
    competence_rows: list[tuple]

    @property
    def counts(self) -> dict:
        c = {"modifie": 0, "inchange": 0, "ignore": 0}
        for r in self.reports:
            c[r["code"]] += 1
        return c

    def message(self, applied: bool) -> str:
        c = self.counts
        nb = len(self.item_rows) + len(self.competence_rows)
        text = (
            f"{_n(c['modifie'], 'élève modifié', 'élèves modifiés')} "
            f"({_n(nb, 'validation', 'validations')}), "
            f"{_n(c['inchange'], 'inchangé', 'inchangés')}, "
            f"{_n(c['ignore'], 'ignoré', 'ignorés')}."
        )
        if applied:
            return "Import terminé : " + text
        return "Aperçu de l'import : " + text + " Rien n'est encore enregistré."


_n = plural


def _match(conn: sqlite3.Connection, eleves: list[FileEleve]) -> dict[int, tuple[int | None, str]]:
    """file position → (school pupil id or None, reason when None)."""
    by_sconet: dict[int, list[int]] = {}
    by_name: dict[tuple, list[tuple[int, bool, int]]] = {}
    for eid, nom, prenom, actif, sconet in conn.execute(
        "SELECT id, nom, prenom, actif, sconet_id FROM eleve"
    ):
        if sconet:
            by_sconet.setdefault(sconet, []).append(eid)
        by_name.setdefault(name_key(nom, prenom), []).append((eid, bool(actif), sconet))
    result: dict[int, tuple[int | None, str]] = {}
    for e in eleves:
        if e.error:
            continue
        if e.sconet_id and e.sconet_id in by_sconet:
            found = by_sconet[e.sconet_id]
            if len(found) > 1:
                reason = f"{len(found)} élèves de l'école ont cet identifiant Sconet"
                result[e.position] = (None, reason)
            else:
                result[e.position] = (found[0], "")
            continue
        candidates = by_name.get(name_key(e.nom, e.prenom), [])
        if e.sconet_id:  # unknown id: only a pupil without Sconet id can be the same child
            candidates = [c for c in candidates if not c[2]]
        active = [eid for eid, actif, _ in candidates if actif]
        found = active or [eid for eid, _, _ in candidates]
        if not found:
            result[e.position] = (None, "aucun élève de l'école ne porte ce nom et ce prénom")
        elif len(found) > 1:
            reason = (
                f"{len(found)} élèves de l'école portent ce nom et ce prénom : impossible de "
                "savoir lequel"
            )
            result[e.position] = (None, reason)
        else:
            result[e.position] = (found[0], "")
    # Two pupils of the file must not land on the same pupil of the school.
    targets: dict[int, list[int]] = {}
    for pos, (eid, _) in result.items():
        if eid is not None:
            targets.setdefault(eid, []).append(pos)
    same = "plusieurs élèves du fichier correspondent au même élève de l'école"
    for positions in targets.values():
        if len(positions) > 1:
            for pos in positions:
                result[pos] = (None, same)
    return result


def plan_import(conn: sqlite3.Connection, data: bytes, today: datetime.date) -> ImportPlan:
    """Read the file and compute what the import would change, writing nothing."""
    eleves = read(data, today)
    matches = _match(conn, eleves)
    existing_items: dict[tuple[int, int], str] = {}
    existing_comps: dict[tuple[int, int], str] = {}
    matched = {eid for eid, _ in matches.values() if eid is not None}
    if matched:
        for table, key, target in (
            ("validation_item", "item_id", existing_items),
            ("validation_competence", "competence_id", existing_comps),
        ):
            for eid, kid, date in conn.execute(f"SELECT eleve_id, {key}, date FROM {table}"):
                if eid in matched:
                    target[(eid, kid)] = date
    plan = ImportPlan([], [], [])
    for e in eleves:
        report = {"nom": e.nom, "prenom": e.prenom, "sconet_id": e.sconet_id, "id": None,
                  "statut": "ignoré", "code": "ignore", "nb": 0}
        if e.warnings:
            report["avertissements"] = e.warnings
        plan.reports.append(report)
        eid, reason = matches.get(e.position, (None, e.error or ""))
        if eid is None:
            report["raison"] = e.error or reason
            continue
        report["id"] = eid
        nb = 0
        for source, existing, rows in (
            (e.items, existing_items, plan.item_rows),
            (e.competences, existing_comps, plan.competence_rows),
        ):
            for kid, (etat, date, info) in source.items():
                old = existing.get((eid, kid))
                if old is None or date > old:
                    rows.append((eid, kid, etat, date, info))
                    nb += 1
        report["nb"] = nb
        report["statut"] = "modifié" if nb else "inchangé"
        report["code"] = "modifie" if nb else "inchange"  # ASCII machine code (CSS, scripts)
    return plan


def apply_import(conn: sqlite3.Connection, plan: ImportPlan) -> None:
    """Write the plan's decisions, all or nothing."""
    with db.transaction(conn):
        for table, key, rows in (
            ("validation_item", "item_id", plan.item_rows),
            ("validation_competence", "competence_id", plan.competence_rows),
        ):
            conn.executemany(
                f"INSERT INTO {table} (eleve_id, {key}, etat, date, info) VALUES (?, ?, ?, ?, ?) "
                f"ON CONFLICT(eleve_id, {key}) DO UPDATE SET etat = excluded.etat, "
                "date = excluded.date, info = excluded.info",
                rows,
            )
