"""The bilans périodiques of one period in the LSU file ``import-bilan-1d`` (LIVRET.md).

``preflight`` says, per pupil and in French, what LSU would refuse (``livret.missing`` plus the
pupil's INE and class id); ``export`` writes the complete bilans — optionally with the bilans de
fin de cycle 2 of the same classes and school year in the same file — and checks the file against the schema
before it is offered. Each élément de programme's libellé is written once, with an id derived
from it (``EP`` + 12 hex digits of its SHA-1); one ``parcours-commun`` per ONDE class and period
(the niveau parts of a multi-level class share it: their distinct projets are joined); acquis in
the domaines' order; ``date-scolarite`` is the period's start unless the bilan says later.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import sqlite3
from dataclasses import dataclass, field

from cartable import db
from cartable.errors import UserError
from cartable.lsu import domaines as D
from cartable.lsu import livret, lsu_file, lsu_schema, millesimes
from cartable.lsu.lsu_schema import NS, XSD_NAME
from cartable.lsu.periodes import Periode, school_year
from cartable.school.letterhead import get_identity
from cartable.text import plural, xml_escape

A = lsu_file._attrs
CUT = lsu_file._cut


@dataclass
class Pupil:
    id: int
    nom: str
    prenom: str
    ine: str
    classe_id: int
    classe: str
    id_onde: int | None
    libelle: str
    niveau: str
    cycle: int | None = None
    bilan: livret.Bilan | None = None
    livret_classe: livret.Classe | None = None
    problemes: list[str] = field(default_factory=list)


def pupils(conn: sqlite3.Connection, periode: Periode, classe_ids: list[int] | None,
           ) -> list[Pupil]:
    """Active pupils (CP to CM2) of the classes (None: the whole school), with their bilan."""
    where, params = "e.actif = 1", []
    if classe_ids is not None:
        where += f" AND e.classe_id IN ({','.join('?' * len(classe_ids))})"
        params = list(classe_ids)
    rows = conn.execute(
        "SELECT e.id, e.nom, e.prenom, e.ine, c.id, c.nom, c.id_onde, "
        "CASE WHEN c.source <> '' THEN c.source ELSE c.nom END, n.ref FROM eleve e "
        "JOIN classe c ON c.id = e.classe_id JOIN niveau n ON n.id = c.niveau_id "
        f"WHERE {where} ORDER BY c.nom COLLATE FR, c.id, e.nom COLLATE FR, e.prenom COLLATE FR, "
        "e.id", params).fetchall()
    out = [Pupil(*tuple(r)) for r in rows]
    out = [p for p in out if D.cycle_of(p.niveau) is not None]
    saved = livret.load(conn, [p.id for p in out], periode.id)
    classes: dict[int, livret.Classe] = {}
    for p in out:
        p.cycle = D.cycle_of(p.niveau)
        p.bilan = saved.get(p.id)
        if p.classe_id not in classes:
            classes[p.classe_id] = livret.load_classe(conn, p.classe_id, periode.id)
        p.livret_classe = classes[p.classe_id]
    return out


def export_classes(conn: sqlite3.Connection, periode: Periode) -> list[dict]:
    """The classes of CP to CM2, with their pupils and bilans of ``periode``."""
    rows = conn.execute(
        "SELECT c.id, c.nom, n.ref AS niveau, c.id_onde, "
        "(SELECT count(*) FROM eleve e WHERE e.classe_id = c.id AND e.actif = 1) AS nb_eleves, "
        "(SELECT count(*) FROM eleve e JOIN bilan_periodique b ON b.eleve_id = e.id "
        "WHERE e.classe_id = c.id AND e.actif = 1 AND b.periode_id = ?) AS nb_bilans "
        "FROM classe c JOIN niveau n ON n.id = c.niveau_id ORDER BY n.ordre, "
        "c.nom COLLATE FR, c.id", (periode.id,)).fetchall()
    return [dict(r) for r in rows if D.cycle_of(r["niveau"]) is not None]


def _check(p: Pupil, ines: dict[str, int]) -> None:
    p.problemes = livret.missing(p.bilan, p.livret_classe, p.cycle)
    if not p.ine:
        p.problemes.append("pas d'INE (importez l'extraction ONDE des élèves)")
    elif len(p.ine) != lsu_file.INE_LENGTH or not p.ine.isalnum():
        p.problemes.append(f"INE « {p.ine} » invalide ({lsu_file.INE_LENGTH} lettres ou chiffres)")
    elif ines.setdefault(p.ine, p.id) != p.id:
        p.problemes.append(f"INE « {p.ine} » déjà porté par un autre élève exporté")
    if p.id_onde is None:
        p.problemes.append(f"la classe {p.classe} n'a pas d'identifiant ONDE (importez "
                           "l'extraction ONDE des élèves)")


def preflight(conn: sqlite3.Connection, periode: Periode, classe_ids: list[int] | None,
              with_cycle: bool = False, teacher: bool = False) -> dict:
    """What LSU would refuse, per pupil; ``with_cycle``: also the bilans de fin de cycle 2 of
    the same classes (``bilans_cycle``, as ``export`` adds them to the file)."""
    found = pupils(conn, periode, classe_ids)
    ines: dict[str, int] = {}
    for p in found:
        _check(p, ines)
    _check_parcours(found)
    report = _json(conn, periode, found, teacher)
    if with_cycle:  # as export writes them: this period's school year only
        checked = lsu_file.checked_pupils(conn, classe_ids)
        millesimes.keep_only(checked, periode.millesime)
        report["bilans_cycle"] = lsu_file._preflight_json(conn, checked, teacher=teacher)
    return report


def _json(conn, periode: Periode, found: list[Pupil], teacher: bool = False) -> dict:
    return {
        "ecole": lsu_file.school_problems(conn, teacher), "periode": periode.as_json(),
        "nb_exportables": sum(not p.problemes for p in found),
        "eleves": [{"id": p.id, "nom": p.nom, "prenom": p.prenom, "classe": p.classe,
                    "ine": p.ine, "exportable": not p.problemes, "problemes": p.problemes}
                   for p in found],
    }


def _parcours_communs(found: list[Pupil]) -> dict[int, dict[str, str]]:
    """Per ONDE class: the parcours communs of its parts, distinct projets joined."""
    out: dict[int, dict[str, list[str]]] = {}
    seen: set[int] = set()
    for p in found:
        if p.livret_classe.classe_id in seen or p.id_onde is None:
            continue
        seen.add(p.livret_classe.classe_id)
        for code, text in p.livret_classe.parcours.items():
            texts = out.setdefault(p.id_onde, {}).setdefault(code, [])
            if text not in texts:
                texts.append(text)
    return {k: {c: " ".join(t) for c, t in v.items()} for k, v in out.items()}


def _check_parcours(found: list[Pupil]) -> None:
    for id_onde, codes in _parcours_communs(found).items():
        for code, text in codes.items():
            if len(text) > D.PARCOURS_MAX:
                for p in found:
                    if p.id_onde == id_onde and code in p.livret_classe.parcours:
                        p.problemes.append(
                            f"les projets du {D.PARCOURS[code].lower()} des niveaux de la classe "
                            f"{p.libelle} diffèrent et dépassent ensemble {D.PARCOURS_MAX} "
                            "caractères : LSU n'en accepte qu'un par classe")


@functools.lru_cache(maxsize=4096)
def element_id(libelle: str) -> str:
    return "EP" + hashlib.sha1(libelle.encode("utf-8")).hexdigest()[:12]


def _rubrique_attrs(p: Pupil, code: str) -> dict | None:
    a = p.bilan.acquis.get(code) or livret.Acquis()
    elements = livret.elements_of(p.bilan, p.livret_classe, code)
    if not elements and a.position is None:
        return None
    attrs = {"element_programme_refs": " ".join(element_id(e) for e in elements)}
    if a.position in (1, 2, 3, 4):
        attrs["positionnement"] = a.position
    else:
        attrs["non_evalue"] = "true"
    return attrs


def _acquis_lines(p: Pupil) -> list[str]:
    out = []
    for d in D.domaines_of(p.cycle):
        a = p.bilan.acquis.get(d.code) or livret.Acquis()
        appr = [f"      <appreciation>{xml_escape(a.appreciation)}</appreciation>"] \
            if a.appreciation else []
        subs = d.of_cycle(p.cycle)
        if not subs:
            attrs = _rubrique_attrs(p, d.code) or {}
            if attrs or appr:
                head = f'     <acquis {A(code_domaine=d.code, **attrs)}'
                out += [head + ">", *appr, "     </acquis>"] if appr else [head + "/>"]
            continue
        lines = [f"       <sous-domaine {A(code_domaine=s.code, **attrs)}/>" for s in subs
                 if (attrs := _rubrique_attrs(p, s.code)) is not None]
        own = _rubrique_attrs(p, d.code) if d.code in p.bilan.acquis else None  # (imported)
        if lines or appr or own:
            out.append(f'     <acquis {A(code_domaine=d.code, **(own or {}))}>')
            out += appr
            if lines:
                out += ["      <sous-domaines>", *lines, "      </sous-domaines>"]
            out.append("     </acquis>")
    return out


def _bilan_lines(p: Pupil, periode: Periode, refs: str) -> list[str]:
    b = p.bilan
    scolarite = max(b.date_scolarite or periode.date_debut, periode.date_debut)
    out = [f"   <bilan-periodique {A(eleve_ref=f'EL{p.ine}', periode_ref=periode.lsu_id, enseignant_refs=refs, date_creation=b.date_creation, date_scolarite=scolarite, date_verrou=b.date_verrou, directeur_ref='DIR1')}>",
           "    <liste-acquis>", *_acquis_lines(p), "    </liste-acquis>"]
    if b.parcours:
        out += ["    <liste-parcours>"] + [
            f'     <parcours code="{c}">{xml_escape(t)}</parcours>' for c, t in b.parcours.items()
        ] + ["    </liste-parcours>"]
    if b.modalites:
        out.append("    <modalites-accompagnement>")
        for code, extra in b.modalites.items():
            if code == "PPRE" and extra:
                out += [f'     <modalite-accompagnement code="{code}">',
                        f"      <complement-ppre>{xml_escape(extra)}</complement-ppre>",
                        "     </modalite-accompagnement>"]
            else:
                out.append(f'     <modalite-accompagnement code="{code}"/>')
        out.append("    </modalites-accompagnement>")
    out.append(f"    <appreciation-generale>{xml_escape(b.appreciation)}</appreciation-generale>")
    if b.socle:
        out += ["    <socle>"] + [f'     <domaine code="{c}" positionnement="{v}"/>'
                                  for c, v in b.socle.items()] + ["    </socle>"]
    out.append("   </bilan-periodique>")
    return out


def _key(a: dict) -> tuple:
    return (a["civilite"], a["nom"], a["prenom"])


def build_xml(conn: sqlite3.Connection, periode: Periode, found: list[Pupil],
              cycle: list[lsu_file.Pupil] = ()) -> bytes:
    """The file for ``found`` (complete bilans périodiques) and ``cycle`` (complete bilans de
    fin de cycle 2, from ``lsu_file.preflight``'s pupils)."""
    d = get_identity(conn)["directeur"]
    teachers: dict[tuple, str] = {}
    classes: dict[int, str] = {}
    eleves: dict[str, str] = {}
    for p in [*found, *cycle]:
        classes.setdefault(p.id_onde, CUT(p.libelle, 50))
        eleves.setdefault(p.ine, f"   <eleve {A(id=f'EL{p.ine}', ine=p.ine, classe_ref=f'CL{p.id_onde}', nom=CUT(p.nom, 100), prenom=CUT(p.prenom, 100))}/>")
        for a in p.bilan.auteurs:
            teachers.setdefault(_key(a), f"ENS{len(teachers) + 1}")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           (f'<lsun-bilans xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NS} {XSD_NAME}" schemaVersion="{lsu_file.SCHEMA_VERSION}">'),
           " <entete>", f"  <editeur>{lsu_file.EDITEUR}</editeur>",
           f"  <application>{xml_escape(lsu_file.APPLICATION)}</application>",
           f"  <etablissement>{get_identity(conn)['uai']}</etablissement>", " </entete>",
           " <donnees>", "  <directeurs>",
           f"   <directeur {A(id='DIR1', civilite=d['civilite'], nom=CUT(d['nom'], 100), prenom=CUT(d['prenom'], 100))}/>",
           "  </directeurs>", "  <classes>"]
    out += [f"   <classe {A(id=f'CL{i}', id_be=i, libelle=lib)}/>" for i, lib in classes.items()]
    out += ["  </classes>", "  <eleves>", *eleves.values(), "  </eleves>"]
    if found:
        out += ["  <periodes>", f"   <periode {A(id=periode.lsu_id, millesime=periode.millesime, indice=periode.indice, nb_periodes=periode.nb_periodes, date_debut=periode.date_debut, date_fin=periode.date_fin)}/>",
                "  </periodes>"]
    out += ["  <enseignants>"] + [
        f"   <enseignant {A(id=ref, civilite=c, nom=CUT(n, 100), prenom=CUT(pr, 100))}/>"
        for (c, n, pr), ref in teachers.items()] + ["  </enseignants>"]
    if found:
        out += _periodic_lines(periode, found, teachers)
    if cycle:
        out.append("  <bilans-cycle>")
        for p in cycle:
            refs = " ".join(dict.fromkeys(teachers[_key(a)] for a in p.bilan.auteurs))
            out += lsu_file.cycle_lines(p, refs)
        out.append("  </bilans-cycle>")
    out += [" </donnees>", "</lsun-bilans>", ""]
    return "\n".join(out).encode("utf-8")


def _periodic_lines(periode: Periode, found: list[Pupil], teachers: dict) -> list[str]:
    libelles: dict[str, None] = {}
    for p in found:
        for code in D.rubriques(p.cycle):
            libelles.update(dict.fromkeys(livret.elements_of(p.bilan, p.livret_classe, code)))
    out = []
    if libelles:
        out += ["  <elements-programme>"] + [
            f"   <element-programme {A(id=element_id(lib), libelle=lib)}/>" for lib in libelles
        ] + ["  </elements-programme>"]
    communs = _parcours_communs(found)
    if communs:
        out.append("  <parcours-communs>")
        for id_onde, codes in communs.items():
            out.append(f"   <parcours-commun {A(periode_ref=periode.lsu_id, classe_ref=f'CL{id_onde}')}>")
            out += [f'    <parcours code="{c}">{xml_escape(t)}</parcours>' for c, t in codes.items()]
            out.append("   </parcours-commun>")
        out.append("  </parcours-communs>")
    out.append("  <bilans-periodiques>")
    for p in found:
        refs = " ".join(dict.fromkeys(teachers[_key(a)] for a in p.bilan.auteurs))
        out += _bilan_lines(p, periode, refs)
    out.append("  </bilans-periodiques>")
    return out


@dataclass
class Export:
    filename: str
    data: bytes
    preflight: dict
    nb_cycle: int = 0

    @property
    def message(self) -> str:
        n, total = self.preflight["nb_exportables"], len(self.preflight["eleves"])
        nom = self.preflight["periode"]["nom"].lower()
        text = (f"Fichier LSU prêt : {plural(n, 'bilan périodique', 'bilans périodiques')} "
                f"({nom} {self.preflight['periode']['annee']})")
        if self.nb_cycle:
            text += f" et {plural(self.nb_cycle, 'bilan', 'bilans')} de fin de cycle 2"
        text += "."
        left = total - n
        if left:
            text += (f" {plural(left, 'élève', 'élèves')} non exporté{'s' if left > 1 else ''} :"
                     " voir la liste.")
        return text


def export(conn: sqlite3.Connection, periode: Periode, classe_ids: list[int] | None,
           now: datetime.datetime, with_cycle: bool = False, teacher: bool = False) -> Export:
    found = pupils(conn, periode, classe_ids)
    ines: dict[str, int] = {}
    for p in found:
        _check(p, ines)
    _check_parcours(found)
    report = _json(conn, periode, found, teacher)
    if report["ecole"]:
        raise UserError("Export LSU impossible : " + " ".join(report["ecole"]), preflight=report)
    ok = [p for p in found if not p.problemes]
    cycle = []
    if with_cycle:
        checked = lsu_file.checked_pupils(conn, classe_ids)
        millesimes.keep_only(checked, periode.millesime)  # one school year per file
        report["bilans_cycle"] = lsu_file._preflight_json(conn, checked, teacher=teacher)
        cycle = [p for p in checked if not p.problemes]
    if not ok:
        raise UserError(f"Aucun bilan périodique n'est complet pour la période "
                        f"« {periode.nom} {school_year(periode.millesime)} » dans les classes choisies : rien "
                        "à exporter. Voyez la liste des élèves et ce qu'il leur manque.",
                        preflight=report)
    data = build_xml(conn, periode, ok, cycle)
    errors = lsu_schema.export_errors(data)
    if errors:  # a bug of ours: never offer a file LSU would refuse
        raise UserError("Le fichier LSU produit ne respecte pas le schéma import-bilan-1d "
                        f"({errors[0]}). Rien n'a été téléchargé : signalez ce problème.")
    uai = db.get_meta(conn, "uai", "")
    name = (f"LSU_bilans-periodiques_{uai}_{periode.millesime}-P{periode.indice}_"
            f"{now:%Y-%m-%d_%H-%M-%S}.xml")
    return Export(name, data, report, len(cycle))
