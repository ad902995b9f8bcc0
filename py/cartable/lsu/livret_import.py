"""Bilans périodiques read from an LSU file (another Cartable copy, another application).

``read(root, eleves, teachers)`` checks the file's periodic part and says in French what is
wrong (a positionnement out of 1–4, an élément de programme referenced but not defined, a text
over its limit, two bilans for one pupil and period, two acquis for one domaine, a sous-domaine
outside its domaine); ``plan`` matches it with the school: periods by millésime, indice and
number of periods, with the same dates (an unknown period refuses the whole file), pupils by INE
(unknown pupils are ignored and listed), the pupil's cycle (a domaine of another cycle refuses
the file). A bilan replaces ours only if its ``date-creation`` is later. A bilan keeps the
authors the file names; its class's parcours communs of that period come with it; incomplete
bilans are imported too (work in progress). The whole file is checked before anything is
written.

The same caution as the bilans de fin de cycle (``lsu.caution``, called by ``plan``): a
``date-creation`` after today refuses the file; control characters and bidirectional overrides
are removed from every text (names, appréciations, éléments, parcours, PPRE) and reported per
bilan; a pupil whose names differ from ours for the same INE is « à confirmer » and not
imported unless its INE is in ``confirmed``.
"""

from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass, field

from cartable import _compat
from cartable.errors import UserError
from cartable.lsu import caution, livret, periodes, socle2016
from cartable.lsu import domaines as D
from cartable.lsu.lsu_schema import NS
from cartable.text import plural

_Q = f"{{{NS}}}"


@dataclass
class FilePeriode:
    id: str
    millesime: str
    indice: str
    nb: str
    debut: str
    fin: str

    def text(self) -> str:
        return (f"période {self.indice} sur {self.nb} de {self.millesime[:4]}-"
                f"{int(self.millesime) + 1 if self.millesime.isdigit() else '?'} (du "
                f"{_fr(self.debut)} au {_fr(self.fin)})")


def _fr(iso: str) -> str:
    try:
        return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso[:20]


@dataclass
class FileBilan:
    ine: str
    nom: str
    prenom: str
    periode: FilePeriode
    classe_ref: str
    bilan: livret.Bilan
    codes: list[str] = field(default_factory=list)  # the acquis' and sous-domaines' codes


@dataclass
class Periodic:
    bilans: list[FileBilan]
    communs: dict[tuple[str, str], dict[str, str]]  # (periode id, classe id) -> projets


def _text(el, limit: int, what: str) -> str:
    text = el.text or ""
    if not text.strip():
        raise UserError(f"{what[:1].upper()}{what[1:]} est vide : LSU refuse un texte vide.")
    if len(text) > limit:
        raise UserError(f"{what[:1].upper()}{what[1:]} compte {len(text)} caractères : LSU en "
                        f"accepte au plus {limit}. Le fichier est refusé.")
    return " ".join(text.split())


def _number(text: str | None) -> str:
    """An integer attribute as its value ("01" is 1), else as written."""
    text = (text or "").strip()
    return str(int(text)) if text.lstrip("+").isdigit() else text


def _periods(root) -> dict[str, FilePeriode]:
    return {p.get("id"): FilePeriode(p.get("id"), p.get("millesime") or "",
                                     _number(p.get("indice")), _number(p.get("nb-periodes")),
                                     p.get("date-debut") or "", p.get("date-fin") or "")
            for p in root.iterfind(f"{_Q}donnees/{_Q}periodes/{_Q}periode")}


def _elements(root) -> dict[str, str]:
    out = {}
    for e in root.iterfind(f"{_Q}donnees/{_Q}elements-programme/{_Q}element-programme"):
        out[e.get("id")] = _text_attr(e.get("libelle") or "", D.ELEMENT_MAX,
                                      "l'élément de programme « "
                                      f"{(e.get('libelle') or '')[:40]}… »")
    return out


def _text_attr(text: str, limit: int, what: str) -> str:
    if len(text) > limit:
        raise UserError(f"{what[:1].upper()}{what[1:]} compte {len(text)} caractères : LSU en "
                        f"accepte au plus {limit}. Le fichier est refusé.")
    return " ".join(text.split())


def _communs(root) -> dict[tuple[str, str], dict[str, str]]:
    out: dict[tuple[str, str], dict[str, str]] = {}
    for pc in root.iterfind(f"{_Q}donnees/{_Q}parcours-communs/{_Q}parcours-commun"):
        key = (pc.get("periode-ref"), pc.get("classe-ref"))
        if key in out:
            raise UserError("Le fichier contient deux fois les parcours communs d'une même "
                            "classe pour une même période : il est refusé.")
        out[key] = {}
        for p in pc.iterfind(f"{_Q}parcours"):
            code = p.get("code")
            if code not in D.PARCOURS or code in out[key]:
                raise UserError(f"Un parcours commun a le code « {str(code)[:20]} », inconnu ou "
                                "en double : le fichier est refusé.")
            out[key][code] = _text(p, D.PARCOURS_MAX, f"le projet du {D.PARCOURS[code].lower()}")
    return out


def _refs(el, elements: dict[str, str], who: str) -> list[str] | None:
    raw = el.get("element-programme-refs")
    if raw is None:
        return None
    out = []
    for ref in raw.split():
        if ref not in elements:
            raise UserError(f"Le bilan de {who} désigne l'élément de programme « {ref[:40]} », "
                            "absent de la liste des éléments de programme du fichier : le "
                            "fichier est incohérent et il est refusé.")
        out.append(elements[ref])
    return out


def _rubrique(el, elements, who: str, code: str) -> livret.Acquis:
    value = el.get("positionnement")
    if value is not None and value not in {"1", "2", "3", "4"}:
        raise UserError(f"Le positionnement « {value[:20]} » de {who} ({D.label(code)}) est "
                        "invalide : de 1 à 4 attendu (ou non évalué).")
    non_evalue = el.get("non-evalue") in ("true", "1")
    position = int(value) if value is not None else (D.NON_EVALUE if non_evalue else None)
    return livret.Acquis(position, _refs(el, elements, who))


def _acquis(el, elements, who: str) -> tuple[dict[str, livret.Acquis], list[str]]:
    acquis: dict[str, livret.Acquis] = {}
    codes = []
    for a in el.iterfind(f"{_Q}liste-acquis/{_Q}acquis"):
        code = a.get("code-domaine")
        if code not in D.BY_CODE:
            raise UserError(f"Le bilan de {who} contient le domaine « {str(code)[:20]} », "
                            "inconnu de LSU : le fichier est refusé.")
        if code in acquis:
            raise UserError(f"Le bilan de {who} contient deux fois le domaine "
                            f"« {D.label(code)} » : un seul acquis par domaine. Le fichier est "
                            "refusé.")
        acquis[code] = _rubrique(a, elements, who, code)
        codes.append(code)
        appr = a.find(f"{_Q}appreciation")
        if appr is not None:
            acquis[code].appreciation = _text(
                appr, D.APPRECIATION_MAX, f"l'appréciation de {who} en {D.label(code)}")
        for s in a.iterfind(f"{_Q}sous-domaines/{_Q}sous-domaine"):
            sub = s.get("code-domaine")
            if sub not in D.SOUS_BY_CODE or D.domaine_of(sub) != code:
                raise UserError(f"Le bilan de {who} place le sous-domaine « {str(sub)[:20]} » "
                                f"dans le domaine « {D.label(code)} », auquel il n'appartient "
                                "pas : le fichier est refusé.")
            if sub in acquis:
                raise UserError(f"Le bilan de {who} contient deux fois le sous-domaine "
                                f"« {D.label(sub)} » : le fichier est refusé.")
            acquis[sub] = _rubrique(s, elements, who, sub)
            codes.append(sub)
    return acquis, codes


def _extras(el, b: livret.Bilan, who: str) -> None:
    for p in el.iterfind(f"{_Q}liste-parcours/{_Q}parcours"):
        code = p.get("code")
        if code not in D.PARCOURS or code in b.parcours:
            raise UserError(f"Le bilan de {who} a un parcours « {str(code)[:20]} », inconnu ou "
                            "en double : le fichier est refusé.")
        b.parcours[code] = _text(p, D.PARCOURS_MAX,
                                 f"le commentaire du {D.PARCOURS[code].lower()} de {who}")
    for m in el.iterfind(f"{_Q}modalites-accompagnement/{_Q}modalite-accompagnement"):
        code = m.get("code")
        if code not in D.MODALITES or code in b.modalites:
            raise UserError(f"Le bilan de {who} a une modalité d'accompagnement "
                            f"« {str(code)[:20]} », inconnue ou en double : le fichier est refusé.")
        extra = m.find(f"{_Q}complement-ppre")
        b.modalites[code] = "" if extra is None else _text(
            extra, D.PPRE_MAX, f"le complément du PPRE de {who}")
    for d in el.iterfind(f"{_Q}socle/{_Q}domaine"):
        code, value = d.get("code"), d.get("positionnement")
        if code not in socle2016.BY_CODE or code in b.socle or value not in {"0", "1", "2", "3",
                                                                             "4"}:
            raise UserError(f"Le socle du bilan de {who} contient « {str(code)[:20]} » "
                            f"positionné « {str(value)[:10]} » : composante inconnue ou en "
                            "double, ou positionnement hors de 0 à 4. Le fichier est refusé.")
        b.socle[code] = int(value)


def _bilan(el, ctx: dict) -> FileBilan:
    e = ctx["eleves"].get(el.get("eleve-ref"))
    if e is None:
        raise UserError(f"Un bilan périodique désigne l'élève « {str(el.get('eleve-ref'))[:40]} »,"
                        " absent de la liste des élèves du fichier : le fichier est incohérent.")
    who = f"{e['nom']} {e['prenom']}".strip() or f"l'élève INE {e['ine']}"
    periode = ctx["periodes"].get(el.get("periode-ref"))
    if periode is None:
        raise UserError(f"Le bilan périodique de {who} désigne une période absente de la liste "
                        "des périodes du fichier : le fichier est incohérent.")
    key = (e["ine"], periode.id)
    if key in ctx["seen"]:
        raise UserError(f"Le fichier contient deux bilans de {who} pour la même période "
                        f"({periode.text()}) : un seul bilan par élève et par période. Il est "
                        "refusé.")
    ctx["seen"].add(key)
    acquis, codes = _acquis(el, ctx["elements"], who)
    general = el.find(f"{_Q}appreciation-generale")
    if general is None:
        raise UserError(f"Le bilan périodique de {who} n'a pas d'appréciation générale : LSU "
                        "l'exige.")
    text = _text(general, D.GENERALE_MAX, f"l'appréciation générale de {who}")
    refs = (el.get("enseignant-refs") or "").split()
    if not refs or any(r not in ctx["teachers"] for r in refs):
        raise UserError(f"Le bilan périodique de {who} désigne un enseignant absent de la liste "
                        "des enseignants du fichier : le fichier est incohérent.")
    created = el.get("date-creation") or ""
    try:
        datetime.date.fromisoformat(created)
    except ValueError:
        raise UserError(f"La date de création « {created[:20]} » du bilan périodique de {who} "
                        "est invalide (AAAA-MM-JJ attendu).") from None
    b = livret.Bilan(0, 0, text, created, (el.get("date-verrou") or "")[:19],
                     (el.get("date-scolarite") or "")[:10], "import", acquis,
                     auteurs=[dict(ctx["teachers"][r]) for r in dict.fromkeys(refs)])
    _extras(el, b, who)
    return FileBilan(e["ine"], e["nom"], e["prenom"], periode, e.get("classe_ref", ""), b, codes)


def read(root, eleves: dict[str, dict], teachers: dict[str, dict]) -> Periodic:
    """The file's bilans périodiques, checked; ``eleves`` and ``teachers`` as lsu_file reads
    them (by id)."""
    refs = {e.get("id"): e.get("classe-ref") or ""
            for e in root.iterfind(f"{_Q}donnees/{_Q}eleves/{_Q}eleve")}
    eleves = {k: {**v, "classe_ref": refs.get(k, "")} for k, v in eleves.items()}
    ctx = {"eleves": eleves, "teachers": teachers, "periodes": _periods(root),
           "elements": _elements(root), "seen": set()}
    communs = _communs(root)
    found = [_bilan(el, ctx) for el in
             root.iterfind(f"{_Q}donnees/{_Q}bilans-periodiques/{_Q}bilan-periodique")]
    return Periodic(found, communs)


# -- matched with the school ------------------------------------------------------------------


@dataclass
class Plan:
    reports: list[dict]
    writes: list[livret.Bilan]
    parcours: dict[tuple[int, int], dict[str, str]]  # (classe_id, periode_id) -> projets

    def message(self, applied: bool) -> str:
        n = {s: sum(r["statut"] == s for r in self.reports)
             for s in ("ajouté", "remplacé", "inchangé", "ignoré")}
        verb = "importés" if applied else "à importer"
        return (f"Bilans périodiques {verb} : {plural(n['ajouté'], 'ajouté', 'ajoutés')}, "
                f"{plural(n['remplacé'], 'remplacé', 'remplacés')} ; "
                f"{plural(n['inchangé'], 'inchangé', 'inchangés')}, "
                f"{plural(n['ignoré'], 'ignoré', 'ignorés')} (élève inconnu de l'école)"
                f"{caution.pending_text(self.reports)}.")


HIDDEN_REMOVED = ("caractères invisibles (de contrôle ou de sens d'écriture) retirés des "
                  "textes du bilan (appréciations, éléments de programme, parcours) ou des noms")


def _clean_bilan(f: FileBilan) -> bool:
    """Remove hidden characters from every text of one bilan périodique; True if any was.
    A text left empty is dropped (an empty appréciation générale refuses the file)."""
    b = f.bilan
    dirty = caution.clean_all(f, ("nom", "prenom"))
    dirty |= caution.clean_all(b, ("appreciation", "parcours", "modalites"))
    for a in b.acquis.values():
        dirty |= caution.clean_all(a, ("appreciation", "elements"))
        if a.elements is not None:
            a.elements = [e for e in a.elements if e.strip()]
    for author in b.auteurs:
        dirty |= caution.clean_all(author, ("nom", "prenom"))
    b.parcours = {k: v for k, v in b.parcours.items() if v.strip()}
    if not b.appreciation.strip():
        raise UserError(f"Le bilan périodique de {f.nom} {f.prenom} n'a pas d'appréciation "
                        "générale : LSU l'exige.")
    return dirty


def _cautious(found: Periodic, today: datetime.date) -> list[list[str]]:
    """``caution``'s date refusal and cleaning (``check_school`` is lsu_file's, once per
    file): per bilan, what was removed."""
    dirty_communs = {key for key, projets in found.communs.items()
                     if caution.clean_all(projets, list(projets))}
    for key in dirty_communs:  # a projet left empty is no projet (LSU refuses an empty one)
        found.communs[key] = {k: v for k, v in found.communs[key].items() if v.strip()}
    notes = []
    for f in found.bilans:
        dirty = _clean_bilan(f)
        caution.check_date(f.bilan.date_creation, f"{f.nom} {f.prenom}".strip()
                           or f"l'élève INE {f.ine}", today)
        dirty |= (f.periode.id, f.classe_ref) in dirty_communs
        notes.append([HIDDEN_REMOVED] if dirty else [])
    return notes


def _school_period(conn: sqlite3.Connection, fp: FilePeriode) -> periodes.Periode:
    ours = periodes.periods_of(conn, fp.millesime)
    for p in ours:
        if (str(p.indice), str(p.nb_periodes), p.date_debut, p.date_fin) == (
                fp.indice, fp.nb, fp.debut, fp.fin):
            return p
    known = "; ".join(f"{p.nom} du {_fr(p.date_debut)} au {_fr(p.date_fin)}" for p in ours)
    raise UserError(f"La {fp.text()} du fichier n'est pas une période de l'école ("
                    + (f"périodes de l'école pour cette année : {known}" if ours else
                       "l'école n'a pas de périodes pour cette année")
                    + ") : le fichier est refusé. Indiquez les mêmes périodes que dans LSU "
                    "(écran « Périodes »), puis importez-le de nouveau.")


def plan(conn: sqlite3.Connection, found: Periodic, confirmed=()) -> Plan:
    """Decide per bilan (``confirmed``: the INE whose differing names the director
    confirmed)."""
    notes = _cautious(found, _compat.today())
    by_ine: dict[str, dict] = {}
    for r in conn.execute(
        "SELECT e.id, e.nom, e.prenom, e.ine, c.id AS classe_id, c.nom AS classe, n.ref AS niveau "
        "FROM eleve e LEFT JOIN classe c ON c.id = e.classe_id LEFT JOIN niveau n "
        "ON n.id = c.niveau_id WHERE e.ine <> '' ORDER BY e.actif, e.id"):
        by_ine[r["ine"]] = dict(r)
    matched: dict[str, periodes.Periode] = {}
    out = Plan([], [], {})
    for f, note in zip(found.bilans, notes, strict=True):
        if f.periode.id not in matched:
            matched[f.periode.id] = _school_period(conn, f.periode)
        period = matched[f.periode.id]
        report = {"ine": f.ine, "nom": f.nom, "prenom": f.prenom, "classe": None,
                  "eleve_id": None, "date_creation": f.bilan.date_creation, "bilan": "périodique",
                  "periode": f"{period.nom} {periodes.school_year(period.millesime)}"}
        if note:
            report["avertissements"] = note
        out.reports.append(report)
        row = by_ine.get(f.ine)
        if _decide(conn, f, row, period, report, set(confirmed)):
            out.writes.append(f.bilan)
            communs = found.communs.get((f.periode.id, f.classe_ref))
            if communs and row["classe_id"] is not None:
                out.parcours.setdefault((row["classe_id"], period.id), {}).update(communs)
    return out


def _decide(conn, f: FileBilan, row: dict | None, period: periodes.Periode, report: dict,
            confirmed: set) -> bool:
    """Fill ``report`` for one bilan; True if it is to be written."""
    if row is None:
        report.update(statut="ignoré", raison="aucun élève de l'école n'a cet INE")
        return False
    report.update(nom=row["nom"], prenom=row["prenom"], classe=row["classe"],
                  eleve_id=row["id"])
    if caution.pending(report, (row["nom"], row["prenom"]), (f.nom, f.prenom), f.ine,
                       confirmed):
        return False
    if D.cycle_of(row["niveau"]) is None:
        report.update(statut="ignoré", raison=(
            f"l'élève est en {row['niveau']} : le livret scolaire va du CP au CM2"
            if row["niveau"] else "l'élève n'est dans aucune classe de l'école"))
        return False
    _check_cycle(f, row)
    mine = livret.load(conn, [row["id"]], period.id).get(row["id"])
    if mine is not None and mine.date_creation >= f.bilan.date_creation:
        report.update(statut="inchangé", raison=(
            f"le bilan de l'école (du {_fr(mine.date_creation)}) est aussi récent ou plus "
            "récent"))
        return False
    report["statut"] = "ajouté" if mine is None else "remplacé"
    f.bilan.eleve_id, f.bilan.periode_id = row["id"], period.id
    _own_elements(conn, f.bilan, row, period)
    return True


def _check_cycle(f: FileBilan, row: dict) -> None:
    cycle = D.cycle_of(row["niveau"])
    who = f"{row['nom']} {row['prenom']}"
    allowed = {d.code for d in D.domaines_of(cycle)} | {
        s.code for d in D.domaines_of(cycle) for s in d.of_cycle(cycle)}
    for code in f.codes:
        if code not in allowed:
            raise UserError(f"Le bilan de {who} ({row['niveau']}, cycle {cycle}) contient "
                            f"« {D.label(code)} » ({code}), qui n'est pas du cycle {cycle} : le "
                            "fichier est refusé.")


def _own_elements(conn, b: livret.Bilan, row: dict, period: periodes.Periode) -> None:
    """The file's éléments become the pupil's own where they differ from his class's."""
    classe = livret.load_classe(conn, row["classe_id"], period.id)
    for code in D.rubriques(D.cycle_of(row["niveau"])):
        a = b.acquis.get(code)
        mine = a.elements if a is not None and a.elements is not None else []
        if mine == classe.elements.get(code, []):
            if a is not None:
                a.elements = None
        else:
            b.acquis.setdefault(code, livret.Acquis()).elements = mine


def apply(conn: sqlite3.Connection, p: Plan) -> None:
    """Write the plan (inside the caller's transaction)."""
    for b in p.writes:
        livret.write(conn, b)
    for (classe_id, periode_id), projets in p.parcours.items():
        c = livret.load_classe(conn, classe_id, periode_id)
        c.parcours.update(projets)
        livret.write_classe(conn, c)
