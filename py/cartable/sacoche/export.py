"""The SACoche validations file, export: the XML SACoche's own export would write.

Format and SACoche's behaviour: ``docs/SACOCHE.md``. The XML is written by hand (a small fixed
format, compared byte for byte with SACoche's own output by the golden tests): CRLF line
endings, one tab per level, and

* **names as SACoche holds them**: nom in capitals, prénom in title case, both cut to 25
  characters (``user_nom`` / ``user_prenom`` are ``VARCHAR(25)``, and SACoche matches a pupil
  without Sconet id on the exact stored names); the reply lists the pupils whose names were cut;
* **SACoche's escaping** (its ``html()``, PHP ``htmlspecialchars`` with ``ENT_COMPAT``): ``&``,
  ``<``, ``>`` and ``"`` only; an apostrophe is written as is;
* **SACoche's pupil order**: ``ORDER BY user_nom, user_prenom`` under MySQL ``utf8_unicode_ci``
  (``collation.primary_key``) on the names as written; ties (equal for MySQL) by exact spelling;
* **SACoche's block order** inside a pupil: paliers, compétences and items in référentiel order,
  but the compétences (and paliers) that have item decisions come before those that only have a
  compétence validation; the ``<validation>`` comes before the ``<item>``s.

Choices: the regroupement is resolved to *active* pupils (a deactivated pupil has left the
school); all their decisions are exported whatever paliers are active; a decision whose id is
not in the référentiel cannot be placed and is left out.
"""

from __future__ import annotations

import datetime
import re
import secrets
import sqlite3
from dataclasses import dataclass, field

from cartable import collation
from cartable.errors import UserError
from cartable.sacoche import container
from cartable.socle2008 import referentiel
from cartable.text import plural, xml_escape

SACOCHE_NAME_MAX = 25  # VARCHAR(25) of user_nom / user_prenom in SACoche's database
MAX_INFO = 25  # SACoche's limit for "info"

Decision = tuple[int, str, str]  # (etat, date, info)
T4, T5, T6, T7 = "\t" * 4, "\t" * 5, "\t" * 6, "\t" * 7


# -- names and text as SACoche writes them -------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


def esc(value: str) -> str:
    """SACoche's ``html()``: ``& < > "`` escaped, the apostrophe kept as is."""
    return xml_escape(_CONTROL.sub("", value))


def title_case(prenom: str) -> str:
    """SACoche stores prénoms in title case: "jean-FRANÇOIS" → "Jean-François"."""
    return re.sub(r"[^\W\d_]+", lambda m: m[0][:1].upper() + m[0][1:].lower(), prenom.strip())


def held_nom(nom: str) -> str:
    """The nom as SACoche's database holds it: capitals, cut to 25 characters."""
    return nom.strip().upper()[:SACOCHE_NAME_MAX]


def held_prenom(prenom: str) -> str:
    """The prénom as SACoche's database holds it: title case, cut to 25 characters."""
    return title_case(prenom)[:SACOCHE_NAME_MAX]


# -- the reply ----------------------------------------------------------------------------


@dataclass
class Export:
    filename: str
    data: bytes  # the ZIP
    xml: bytes
    nb_competences: int
    nb_items: int
    nb_eleves: int
    nb_sans_sconet: int
    nb_selectionnes: int = 0  # active pupils of the regroupement
    noms_coupes: list[dict] = field(default_factory=list)

    @property
    def nb_sans_decision(self) -> int:
        return max(self.nb_selectionnes - self.nb_eleves, 0)

    @property
    def message(self) -> str:
        # SACoche's sentence, with French singular for 0 and 1 ("1 élève").
        competences = plural(self.nb_competences, "validation de compétence",
                             "validations de compétences")
        items = plural(self.nb_items, "validation d'item", "validations d'items")
        eleves = plural(self.nb_eleves, "élève", "élèves")
        text = f"Fichier d'export généré : {competences} et {items} concernant {eleves}."
        n = self.nb_sans_decision
        if n == 1:
            text += (" 1 élève sélectionné n'a aucune décision enregistrée : il n'est donc pas "
                     "dans le fichier.")
        elif n > 1:
            text += (f" {n} élèves sélectionnés n'ont aucune décision enregistrée : ils ne sont "
                     "donc pas dans le fichier.")
        return text

    @property
    def note(self) -> str | None:
        n = self.nb_sans_sconet
        if n == 0:
            return None
        if n == 1:
            who = ("1 élève n'a pas d'identifiant Sconet : c'est normal à l'école. Il est exporté "
                   "avec l'identifiant 0 et le collège le retrouvera par son nom et prénom.")
        else:
            who = (f"{n} élèves n'ont pas d'identifiant Sconet : c'est normal à l'école. Ils sont "
                   "exportés avec l'identifiant 0 et le collège les retrouvera par leur nom et "
                   "prénom.")
        return who + " Vous n'avez rien à faire."

    @property
    def note_noms_coupes(self) -> str | None:
        n = len(self.noms_coupes)
        if n == 0:
            return None
        names = " ; ".join(
            f"{c['nom']} {c['prenom']} → {c['nom_fichier']} {c['prenom_fichier']}"
            for c in self.noms_coupes
        )
        if n == 1:
            head = ("1 élève a un nom ou un prénom de plus de 25 caractères, la limite de "
                    "SACoche : il est écrit coupé dans le fichier, comme SACoche le garde. "
                    "Vérifiez qu'il figure ainsi sur la liste du collège : ")
        else:
            head = (f"{n} élèves ont un nom ou un prénom de plus de 25 caractères, la limite de "
                    "SACoche : ils sont écrits coupés dans le fichier, comme SACoche les garde. "
                    "Vérifiez qu'ils figurent ainsi sur la liste du collège : ")
        return head + names + "."


# -- the XML ------------------------------------------------------------------------------


def _eleve_filter(classe_ids: list[int] | None) -> tuple[str, list[int]]:
    if classe_ids is None:
        return "actif = 1", []
    return f"actif = 1 AND classe_id IN ({','.join('?' * len(classe_ids))})", list(classe_ids)


def _fetch(conn: sqlite3.Connection, classe_ids: list[int] | None):
    """The selected active pupils and their decisions (plain tuples: fast)."""
    where, params = _eleve_filter(classe_ids)
    cur = conn.cursor()
    cur.row_factory = None
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
    return eleves, items, comps


class _Writer:
    """Cached pieces of XML: a decision's text is built once per distinct (etat, date, info)
    (a whole school is ~55 000 decisions, most of them alike)."""

    def __init__(self):
        self.tails: dict[Decision, str] = {}
        self.validations: dict[Decision, str] = {}
        # The référentiel as [(palier tag, [(compétence id, tag, [(item id, item head)])])].
        self.layout = [
            (
                f'\t\t\t<palier id="{p.id}">',
                [
                    (c.id, f'{T4}<competence id="{c.id}">',
                     [(i.id, f'{T5}<item id="{i.id}">\r\n{T6}<renseignement>\r\n{T7}<date>')
                      for i in c.items])
                    for c in p.competences
                ],
            )
            for p in referentiel.get().paliers
        ]

    @staticmethod
    def _fields(d: Decision, indent: str) -> str:
        """A decision from its date's text to its ``</info>`` line."""
        return (f"{esc(d[1])}</date>\r\n{indent}<etat>{int(d[0])}</etat>\r\n"
                f"{indent}<info>{esc(d[2].strip()[:MAX_INFO])}</info>\r\n")

    def item_tail(self, d: Decision) -> str:
        text = self.tails.get(d)
        if text is None:
            text = self.tails[d] = self._fields(d, T7) + f"{T6}</renseignement>\r\n{T5}</item>"
        return text

    def validation(self, d: Decision) -> str:
        text = self.validations.get(d)
        if text is None:
            text = self.validations[d] = (f"{T5}<validation>\r\n{T6}<date>"
                                          + self._fields(d, T6) + f"{T5}</validation>")
        return text

    def competence(self, comp, v: Decision | None, e_items: dict) -> list[str]:
        """The lines of one ``<competence>`` (empty when nothing is decided in it)."""
        _, comp_open, comp_items = comp
        body = [self.validation(v)] if v is not None else []
        if e_items:
            for item_id, head in comp_items:
                d = e_items.get(item_id)
                if d is not None:
                    body.append(head + self.item_tail(d))
        if not body:
            return body
        return [comp_open, *body, f"{T4}</competence>"]

    def pupil(self, e_items: dict, e_comps: dict) -> tuple[list[str], int, int]:
        """A pupil's paliers in SACoche's block order, and its (compétence, item) counts."""
        with_items: list[list[str]] = []  # paliers with item decisions, référentiel order
        comps_only: list[list[str]] = []  # paliers with compétence decisions only
        nb_comp = nb_item = 0
        for palier_open, competences in self.layout:
            first: list[str] = []  # compétences with item decisions
            later: list[str] = []  # compétences with a validation and no item decision
            for comp in competences:
                v = e_comps.get(comp[0])
                lines = self.competence(comp, v, e_items)
                if not lines:
                    continue
                nb_v = v is not None
                nb_comp += nb_v
                nb_item += len(lines) - 2 - nb_v
                (later if len(lines) - 2 == nb_v else first).extend(lines)
            if first or later:
                block = [palier_open, *first, *later, "\t\t\t</palier>"]
                (with_items if first else comps_only).append(block)
        return [line for block in with_items + comps_only for line in block], nb_comp, nb_item


def build_xml(conn: sqlite3.Connection, classe_ids: list[int] | None) -> tuple[bytes, dict]:
    """The XML of the active pupils of ``classe_ids`` (None: the whole school) and its counts."""
    eleves, items, comps = _fetch(conn, classe_ids)
    writer = _Writer()
    rows = [(eid, held_nom(nom), held_prenom(prenom), nom, prenom, sconet)
            for eid, nom, prenom, sconet in eleves]
    rows.sort(key=lambda r: (collation.name_key(r[1], r[2]), r[0]))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<sacoche>", "\t<donnees>"]
    counts = {"nb_competences": 0, "nb_items": 0, "nb_eleves": 0, "nb_sans_sconet": 0,
              "nb_selectionnes": len(eleves), "noms_coupes": []}
    for eid, nom, prenom, full_nom, full_prenom, sconet in rows:
        body, nb_comp, nb_item = writer.pupil(items.get(eid, {}), comps.get(eid, {}))
        if not body:  # no decision (or only decisions unknown to the référentiel)
            continue
        counts["nb_competences"] += nb_comp
        counts["nb_items"] += nb_item
        counts["nb_eleves"] += 1
        counts["nb_sans_sconet"] += not sconet
        if len(full_nom.strip().upper()) > len(nom) or len(title_case(full_prenom)) > len(prenom):
            counts["noms_coupes"].append({"id": eid, "nom": full_nom, "prenom": full_prenom,
                                          "nom_fichier": nom, "prenom_fichier": prenom})
        out.append(f'\t\t<eleve id="{int(sconet or 0)}" nom="{esc(nom)}" prenom="{esc(prenom)}">')
        out += body
        out.append("\t\t</eleve>")
    out += ["\t</donnees>", "</sacoche>", ""]
    return "\r\n".join(out).encode("utf-8"), counts


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
    return Export(container.zip_filename(now, random), container.make_zip(xml, now), xml,
                  **counts)
