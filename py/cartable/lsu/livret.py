"""The bilan périodique (livret scolaire, CP–CM2): what is stored, and when it is complete.

Per class and period (tables ``livret_element``, ``livret_parcours``): the éléments de programme
travaillés per rubrique (a sous-domaine, or a domaine without sous-domaines) and the projets of
the parcours. Per pupil and period (``bilan_periodique`` and its tables): per rubrique a
positionnement (1–4, 0 non évalué) and, when they differ from the class's, the pupil's own
éléments; per domaine an appréciation; the appréciation générale; individual parcours comments;
modalités d'accompagnement (PPRE with a complement); optionally the 8 composantes of the socle;
dates and authors (civilité, nom, prénom, as the bilans de cycle keep them).

``missing`` is LSU's verdict on one bilan, in French (LIVRET.md "What LSU refuses beyond the
schema"): an empty list means the bilan can be sent.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field

from cartable.errors import UserError
from cartable.lsu import domaines as D
from cartable.lsu import socle2016
from cartable.text import de, plural

_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text, limit: int, what: str) -> str:
    """A text as stored and exported: one paragraph, trimmed, at most ``limit`` characters
    (else a French UserError naming ``what``)."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise UserError(f"{what[:1].upper()}{what[1:]} doit être un texte.")
    text = _CONTROL.sub("", _BREAKS.sub(" ", text)).strip()
    if len(text) > limit:
        raise UserError(f"{what[:1].upper()}{what[1:]} compte {len(text)} caractères : LSU en "
                        f"accepte au plus {limit}. Raccourcissez-le.")
    return text


@dataclass
class Acquis:
    position: int | None = None  # 1..4, 0 non évalué
    elements: list[str] | None = None  # the pupil's own éléments; None: the class's
    appreciation: str = ""  # on a domaine

    def empty(self) -> bool:
        return self.position is None and self.elements is None and not self.appreciation


@dataclass
class Bilan:
    eleve_id: int
    periode_id: int
    appreciation: str = ""  # générale
    date_creation: str = ""
    date_verrou: str = ""
    date_scolarite: str = ""
    origine: str = "saisie"
    acquis: dict[str, Acquis] = field(default_factory=dict)
    parcours: dict[str, str] = field(default_factory=dict)
    modalites: dict[str, str] = field(default_factory=dict)  # code -> PPRE complement or ''
    socle: dict[str, int] = field(default_factory=dict)
    auteurs: list[dict] = field(default_factory=list)

    def content(self) -> tuple:
        """What the teacher wrote (not dates nor authors): to tell a change."""
        return (self.appreciation, {k: (a.position, a.elements, a.appreciation)
                                    for k, a in self.acquis.items() if not a.empty()},
                self.parcours, self.modalites, self.socle)

    def is_empty(self) -> bool:
        return not (self.appreciation or any(not a.empty() for a in self.acquis.values())
                    or self.parcours or self.modalites or self.socle)


@dataclass
class Classe:
    """A class's part of the livret for one period."""
    classe_id: int
    periode_id: int
    elements: dict[str, list[str]] = field(default_factory=dict)
    parcours: dict[str, str] = field(default_factory=dict)


def elements_of(b: Bilan | None, c: Classe, code: str) -> list[str]:
    """The éléments de programme of ``code`` for this pupil: his own, else the class's."""
    a = b.acquis.get(code) if b else None
    if a is not None and a.elements is not None:
        return a.elements
    return c.elements.get(code, [])


# -- storage ----------------------------------------------------------------------------------


def _in(ids) -> str:
    return ",".join("?" * len(ids))


def load(conn: sqlite3.Connection, eleve_ids, periode_id: int) -> dict[int, Bilan]:
    out: dict[int, Bilan] = {}
    ids = list(eleve_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        args = [periode_id, *chunk]
        where = f"periode_id = ? AND eleve_id IN ({_in(chunk)})"
        for r in conn.execute(
            "SELECT eleve_id, periode_id, appreciation, date_creation, date_verrou, "
            f"date_scolarite, origine FROM bilan_periodique WHERE {where}", args):
            out[r[0]] = Bilan(*tuple(r))
        for eid, code, pos, elements, appr in conn.execute(
            "SELECT eleve_id, code, position, elements, appreciation FROM "
            f"bilan_periodique_acquis WHERE {where}", args):
            out[eid].acquis[code] = Acquis(pos, None if elements is None else json.loads(elements),
                                           appr)
        for eid, kind, code, texte in conn.execute(
            f"SELECT eleve_id, kind, code, texte FROM bilan_periodique_extra WHERE {where} "
            "ORDER BY eleve_id, kind, code", args):
            b = out[eid]
            if kind == "socle":
                b.socle[code] = int(texte)
            else:
                (b.parcours if kind == "parcours" else b.modalites)[code] = texte
        for r in conn.execute(
            "SELECT a.eleve_id, a.utilisateur_id, coalesce(u.civilite, a.civilite), "
            "coalesce(u.nom, a.nom), coalesce(u.prenom, a.prenom) FROM bilan_periodique_auteur a "
            "LEFT JOIN utilisateur u ON u.id = a.utilisateur_id "
            f"WHERE a.{where.replace('eleve_id IN', 'a.eleve_id IN')} ORDER BY a.eleve_id, a.rang",
            args):
            out[r[0]].auteurs.append(
                {"utilisateur_id": r[1], "civilite": r[2], "nom": r[3], "prenom": r[4]})
    for b in out.values():  # socle and modalités in LSU's order
        b.socle = {c: b.socle[c] for c in socle2016.CODES if c in b.socle}
        b.modalites = {c: b.modalites[c] for c in D.MODALITES if c in b.modalites}
        b.parcours = {c: b.parcours[c] for c in D.PARCOURS if c in b.parcours}
    return out


def delete(conn: sqlite3.Connection, eleve_id: int, periode_id: int) -> None:
    conn.execute("DELETE FROM bilan_periodique WHERE eleve_id = ? AND periode_id = ?",
                 (eleve_id, periode_id))


def write(conn: sqlite3.Connection, b: Bilan) -> None:
    """Replace the pupil's bilan of the period by ``b`` (inside the caller's transaction)."""
    delete(conn, b.eleve_id, b.periode_id)
    key = (b.eleve_id, b.periode_id)
    conn.execute(
        "INSERT INTO bilan_periodique (eleve_id, periode_id, appreciation, date_creation, "
        "date_verrou, date_scolarite, origine) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*key, b.appreciation, b.date_creation, b.date_verrou, b.date_scolarite, b.origine))
    conn.executemany(
        "INSERT INTO bilan_periodique_acquis (eleve_id, periode_id, code, position, elements, "
        "appreciation) VALUES (?, ?, ?, ?, ?, ?)",
        [(*key, code, a.position, None if a.elements is None else
          json.dumps(a.elements, ensure_ascii=False), a.appreciation)
         for code, a in b.acquis.items() if not a.empty()])
    extra = ([("parcours", c, t) for c, t in b.parcours.items()]
             + [("modalite", c, t) for c, t in b.modalites.items()]
             + [("socle", c, str(p)) for c, p in b.socle.items()])
    conn.executemany("INSERT INTO bilan_periodique_extra (eleve_id, periode_id, kind, code, "
                     "texte) VALUES (?, ?, ?, ?, ?)", [(*key, *x) for x in extra])
    conn.executemany(
        "INSERT INTO bilan_periodique_auteur (eleve_id, periode_id, rang, utilisateur_id, "
        "civilite, nom, prenom) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*key, rang, a.get("utilisateur_id"), a["civilite"], a["nom"], a["prenom"])
         for rang, a in enumerate(b.auteurs)])


def load_classe(conn: sqlite3.Connection, classe_id: int, periode_id: int) -> Classe:
    c = Classe(classe_id, periode_id)
    for code, libelle in conn.execute(
        "SELECT code, libelle FROM livret_element WHERE classe_id = ? AND periode_id = ? "
        "ORDER BY code, rang", (classe_id, periode_id)):
        c.elements.setdefault(code, []).append(libelle)
    for code, texte in conn.execute(
        "SELECT code, texte FROM livret_parcours WHERE classe_id = ? AND periode_id = ?",
            (classe_id, periode_id)):
        c.parcours[code] = texte
    c.parcours = {k: c.parcours[k] for k in D.PARCOURS if k in c.parcours}
    return c


def write_classe(conn: sqlite3.Connection, c: Classe) -> None:
    """Replace the class's éléments and parcours of the period (caller's transaction)."""
    key = (c.classe_id, c.periode_id)
    conn.execute("DELETE FROM livret_element WHERE classe_id = ? AND periode_id = ?", key)
    conn.execute("DELETE FROM livret_parcours WHERE classe_id = ? AND periode_id = ?", key)
    conn.executemany(
        "INSERT INTO livret_element (classe_id, periode_id, code, rang, libelle) "
        "VALUES (?, ?, ?, ?, ?)",
        [(*key, code, rang, lib) for code, libs in c.elements.items()
         for rang, lib in enumerate(libs)])
    conn.executemany("INSERT INTO livret_parcours (classe_id, periode_id, code, texte) "
                     "VALUES (?, ?, ?, ?)", [(*key, k, t) for k, t in c.parcours.items()])


# -- completeness -----------------------------------------------------------------------------


def complete_domaines(b: Bilan, c: Classe, cycle: int) -> list[str]:
    """The domaines of ``cycle`` LSU counts as complete: an appréciation, or a positionnement
    (1–4) with at least one élément de programme (on the domaine or a sous-domaine)."""
    out = []
    for d in D.domaines_of(cycle):
        codes = [d.code] + [s.code for s in d.of_cycle(cycle)]
        a = b.acquis.get(d.code)
        positioned = any((b.acquis.get(k) or Acquis()).position in (1, 2, 3, 4)
                         and elements_of(b, c, k) for k in codes)
        if (a is not None and a.appreciation) or positioned:
            out.append(d.code)
    return out


def missing(b: Bilan | None, c: Classe, cycle: int | None) -> list[str]:
    """What keeps this bilan out of LSU, in French (LIVRET.md); [] when it can be sent.
    (The pupil's INE and class id, the school's UAI are checked with the export.)"""
    if cycle is None:
        return ["pas de livret scolaire pour ce niveau (du CP au CM2 seulement)"]
    if b is None:
        return ["aucun bilan enregistré pour cette période"]
    out = []
    rubriques = D.rubriques(cycle)
    rubriques += [d.code for d in D.domaines_of(cycle) if d.code not in rubriques]
    bare = [D.label(k) for k in rubriques
            if (b.acquis.get(k) or Acquis()).position in (1, 2, 3, 4)
            and not elements_of(b, c, k)]
    if bare:
        out.append("positionnement sans élément de programme : " + ", ".join(bare))
    n = len(complete_domaines(b, c, cycle))
    if n < D.MIN_COMPLETE_DOMAINES:
        out.append(f"{plural(n, 'domaine complet', 'domaines complets')} sur les "
                   f"{D.MIN_COMPLETE_DOMAINES} exigés (un domaine est complet avec une "
                   "appréciation, ou un positionnement et un élément de programme)")
    if not b.appreciation.strip():
        out.append("appréciation générale vide")
    alone = [D.PARCOURS[k] for k in b.parcours if k not in c.parcours]
    if alone:
        out.append("parcours sans projet de la classe pour cette période : " + ", ".join(alone))
    if b.socle and len(b.socle) != len(socle2016.CODES):
        out.append(f"socle : {plural(len(b.socle), 'composante positionnée', 'composantes positionnées')}"
                   " sur 8 (toutes ou aucune)")
    if not b.auteurs:
        out.append("aucun enseignant n'est indiqué comme auteur du bilan")
    for a in b.auteurs:
        if not a["civilite"]:
            who = " ".join(x for x in (a["prenom"], a["nom"]) if x)
            out.append(f"la civilité {de(who)} n'est pas indiquée (Professeurs ou Réglages)")
    return out
