"""The LSU file ``import-bilan-1d`` (schema version 1.0), both directions. docs/LSU.md.

Export: the complete bilans de fin de cycle 2 of the chosen classes, with the school (UAI), its
director, the ONDE classes (``id-be``), the pupils (INE) and the bilans' authors
(``enseignant-refs``). ``preflight`` lists, per pupil and in French, what LSU would refuse;
those pupils are left out and listed. The file is checked against ``schemas/import-bilan-1d.xsd``
(written from docs/LSU.md) before it is offered (``lsu_schema.export_errors``).

Import: bilans de fin de cycle 2 from another Cartable copy or another application, matched by
INE. The whole file is refused (``UserError``, nothing written) when it is empty, too large,
not XML, has a DTD (XXE, entity bombs: ``defusedxml``), another root or namespace, or breaks a
rule of the schema (positions out of 0–4, not exactly the 8 composantes, a duplicate INE, a
missing synthèse, …). A bilan replaces the school's only when its ``date-creation`` is later;
pupils unknown to the school are ignored and listed.

The same file carries the livret's bilans périodiques: ``read_all`` hands its periodic part to
``lsu.livret_import`` and ``plan_import`` / ``apply_import`` plan and write both kinds together;
the periodic export is ``lsu.livret_export`` (which writes the bilans de cycle with
``cycle_lines`` when both go in one file).

The schema and its checks are in ``lsu_schema`` (the two-part check on every file read or
written; the whole schema is the tests' judge).
"""

from __future__ import annotations

import datetime
import re
import sqlite3
from dataclasses import dataclass

import defusedxml
import defusedxml.ElementTree as SafeET

from cartable import __version__, _compat, db, xml_limits
from cartable.accounts.names import CIVILITES
from cartable.errors import UserError
from cartable.lsu import bilan, caution, export_pupils, lsu_schema, millesimes, schema_fr, socle2016
from cartable.lsu.lsu_schema import NS, XSD_NAME
from cartable.school.letterhead import check_uai, get_identity
from cartable.text import plural, xml_escape

SCHEMA_VERSION = "1.0"
EDITEUR = "Cartable"
APPLICATION = f"Cartable {__version__}"
MAX_BYTES = 20 * 1024 * 1024
INE_LENGTH = export_pupils.INE_LENGTH
_Q = f"{{{NS}}}"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# -- export -------------------------------------------------------------------------------------


@dataclass
class Pupil(export_pupils.ExportPupil):
    bilan: bilan.Bilan | None = None


def _pupils(conn: sqlite3.Connection, classe_ids: list[int] | None) -> list[Pupil]:
    """Active pupils of the classes (None: the whole school) who have a bilan or are in CE2."""
    rows = export_pupils.rows(conn, classe_ids)
    bilans = bilan.load(conn, [r[0] for r in rows])
    return [Pupil(*tuple(r), bilan=bilans.get(r[0])) for r in rows
            if r[0] in bilans or r[8] == socle2016.NIVEAU_BILAN]


def export_classes(conn: sqlite3.Connection) -> list[dict]:
    """Classes an export can choose from: CE2 classes and classes with saved bilans."""
    rows = conn.execute(
        "SELECT c.id, c.nom, n.ref AS niveau, c.id_onde, "
        "(SELECT count(*) FROM eleve e WHERE e.classe_id = c.id AND e.actif = 1) AS nb_eleves, "
        "(SELECT count(*) FROM eleve e JOIN bilan_cycle b ON b.eleve_id = e.id "
        "WHERE e.classe_id = c.id AND e.actif = 1) AS nb_bilans FROM classe c "
        "JOIN niveau n ON n.id = c.niveau_id ORDER BY n.ordre, c.nom COLLATE FR, c.id"
    ).fetchall()
    return [dict(r) for r in rows if r["niveau"] == socle2016.NIVEAU_BILAN or r["nb_bilans"]]


def classes_named(conn: sqlite3.Connection, names: list[str]) -> list[int]:
    """Class ids for names typed by a user: a class's nom or ref, or the ONDE libellé (source)
    shared by the parts of a multi-level class. Unknown names: a French UserError."""
    rows = conn.execute("SELECT id, nom, ref, source FROM classe ORDER BY nom").fetchall()
    ids = []
    for name in names:
        wanted = " ".join(name.split()).casefold()
        found = [r["id"] for r in rows if wanted in
                 (r["nom"].casefold(), r["ref"].casefold(), r["source"].casefold())]
        if not found:
            known = ", ".join(f"« {r['nom']} »" for r in rows) or "aucune"
            raise UserError(f"Classe « {name[:60]} » introuvable. Classes de l'école : {known}.")
        ids += found
    return ids


def school_problems(conn: sqlite3.Connection, teacher: bool = False) -> list[str]:
    """What the file needs from the school; ``teacher``: said to a teacher, who has no
    Réglages (the director fixes it)."""
    identity = get_identity(conn)
    ask = "demandez au directeur ou à la directrice de l'indiquer dans Réglages."
    out = []
    if not identity["uai"]:
        out.append("L'école n'a pas de numéro UAI : " + (ask if teacher else
                                                          "indiquez-le dans Réglages."))
    else:
        try:  # a UAI stored before its check letter was checked
            check_uai(identity["uai"], optional=False, fix=(
                "Demandez au directeur ou à la directrice de le corriger dans Réglages."
                if teacher else "Corrigez-le dans Réglages."))
        except UserError as e:
            out.append(str(e))
    d = identity["directeur"]
    if d is None:
        out.append("L'école n'a pas de compte de directeur ou de directrice.")
    elif not d["civilite"]:
        out.append("La civilité du directeur ou de la directrice n'est pas indiquée : "
                   + (ask if teacher else "indiquez-la dans Réglages."))
    return out


def _check_pupil(p: Pupil, ines: dict[str, int]) -> None:
    b = p.bilan
    if b is None:
        p.problemes.append("aucun bilan de fin de cycle enregistré")
    p.problemes += export_pupils.identity_problems(p, ines)
    if b is None:
        return
    missing = [socle2016.BY_CODE[c].court for c in socle2016.CODES if c not in b.positions]
    if missing:
        p.problemes.append(("composante non positionnée : " if len(missing) == 1 else
                            "composantes non positionnées : ") + ", ".join(missing))
    if not b.synthese.strip():
        p.problemes.append("synthèse vide")
    if not b.auteurs:
        p.problemes.append("aucun enseignant n'est indiqué comme auteur du bilan")
    for a in b.auteurs:
        if not a["civilite"]:
            p.problemes.append(f"la civilité de {bilan.person_text(a)} n'est pas indiquée "
                               "(Professeurs ou Réglages)")


def checked_pupils(conn: sqlite3.Connection, classe_ids: list[int] | None) -> list[Pupil]:
    """The pupils of the export, each with his ``problemes``."""
    pupils = _pupils(conn, classe_ids)
    ines: dict[str, int] = {}
    for p in pupils:
        _check_pupil(p, ines)
    return pupils


def preflight(conn: sqlite3.Connection, classe_ids: list[int] | None,
              millesime: str | None = None, teacher: bool = False) -> dict:
    """What LSU would refuse, per pupil, before exporting (``millesime``: as ``export``;
    ``teacher``: as ``school_problems``)."""
    pupils = checked_pupils(conn, classe_ids)
    years = millesimes.offered(pupils)
    return _preflight_json(conn, pupils, millesimes.choose(pupils, millesime), years, teacher)


def _preflight_json(conn: sqlite3.Connection, pupils: list[Pupil], kept: str | None = None,
                    years: list[dict] | None = None, teacher: bool = False) -> dict:
    ok = [p for p in pupils if not p.problemes]
    return {
        "ecole": school_problems(conn, teacher),
        "millesime": kept,  # the one school year the file carries
        "millesimes": years or [],  # the school years of the complete bilans, most recent first
        "nb_exportables": len(ok),
        "eleves": export_pupils.preflight_list(pupils),
    }


def _attrs(**values) -> str:
    """XML attributes (``classe_ref`` -> ``classe-ref``), escaped; empty optional ones left out."""
    return " ".join(f'{k.replace("_", "-")}="{xml_escape(str(v))}"'
                    for k, v in values.items() if v != "")


def _cut(text: str, n: int) -> str:
    return " ".join(text.split())[:n].strip()


def build_xml(conn: sqlite3.Connection, pupils: list[Pupil]) -> bytes:
    """The file for ``pupils`` (all complete, checked by ``preflight``)."""
    identity = get_identity(conn)
    d = identity["directeur"]
    teachers: dict[tuple, str] = {}
    classes: dict[int, str] = {}
    for p in pupils:
        classes.setdefault(p.id_onde, _cut(p.libelle, 50))
        for a in p.bilan.auteurs:
            teachers.setdefault((a["civilite"], a["nom"], a["prenom"]), f"ENS{len(teachers) + 1}")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           (f'<lsun-bilans xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{NS} {XSD_NAME}" schemaVersion="{SCHEMA_VERSION}">'),
           " <entete>", f"  <editeur>{EDITEUR}</editeur>",
           f"  <application>{xml_escape(APPLICATION)}</application>",
           f"  <etablissement>{identity['uai']}</etablissement>", " </entete>", " <donnees>",
           "  <directeurs>",
           f"   <directeur {_attrs(id='DIR1', civilite=d['civilite'], nom=_cut(d['nom'], 100), prenom=_cut(d['prenom'], 100))}/>",
           "  </directeurs>", "  <classes>"]
    out += [f"   <classe {_attrs(id=f'CL{i}', id_be=i, libelle=lib)}/>" for i, lib in classes.items()]
    out += ["  </classes>", "  <eleves>"]
    out += [f"   <eleve {_attrs(id=f'EL{p.ine}', ine=p.ine, classe_ref=f'CL{p.id_onde}', nom=_cut(p.nom, 100), prenom=_cut(p.prenom, 100))}/>"
            for p in pupils]
    out += ["  </eleves>", "  <enseignants>"]
    out += [f"   <enseignant {_attrs(id=ref, civilite=c, nom=_cut(n, 100), prenom=_cut(pr, 100))}/>"
            for (c, n, pr), ref in teachers.items()]
    out += ["  </enseignants>", "  <bilans-cycle>"]
    for p in pupils:
        refs = " ".join(dict.fromkeys(teachers[(a["civilite"], a["nom"], a["prenom"])]
                                      for a in p.bilan.auteurs))
        out += cycle_lines(p, refs)
    out += ["  </bilans-cycle>", " </donnees>", "</lsun-bilans>", ""]
    return "\n".join(out).encode("utf-8")


def cycle_lines(p: Pupil, refs: str) -> list[str]:
    """One <bilan-cycle> (also written by lsu.livret_export beside bilans périodiques)."""
    b = p.bilan
    out = [f"   <bilan-cycle {_attrs(eleve_ref=f'EL{p.ine}', cycle=bilan.CYCLE, millesime=b.millesime, enseignant_refs=refs, date_creation=b.date_creation, date_verrou=b.date_verrou, directeur_ref='DIR1')}>",
           "    <socle>"]
    out += [f'     <domaine code="{c}" positionnement="{b.positions[c]}"/>'
            for c in socle2016.CODES]
    return out + ["    </socle>", f"    <synthese>{xml_escape(b.synthese)}</synthese>",
                  "   </bilan-cycle>"]


@dataclass
class Export:
    filename: str
    data: bytes
    preflight: dict

    @property
    def message(self) -> str:
        n, total = self.preflight["nb_exportables"], len(self.preflight["eleves"])
        left = total - n
        text = (f"Fichier LSU prêt : {plural(n, 'bilan', 'bilans')} de fin de cycle 2 de "
                f"l'année {millesimes.annee(self.preflight['millesime'])}.")
        if left:
            text += (f" {plural(left, 'élève', 'élèves')} non exporté{'s' if left > 1 else ''} : "
                     "voir la liste.")
        return text


def export(conn: sqlite3.Connection, classe_ids: list[int] | None,
           now: datetime.datetime, millesime: str | None = None, teacher: bool = False) -> Export:
    """The file of the complete bilans of one millésime (``millesime``, else the most recent
    among the chosen pupils' bilans); the others are left out and listed."""
    pupils = checked_pupils(conn, classe_ids)
    years = millesimes.offered(pupils)
    report = _preflight_json(conn, pupils, millesimes.choose(pupils, millesime), years, teacher)
    if report["ecole"]:
        raise UserError("Export LSU impossible : " + " ".join(report["ecole"]),
                        preflight=report)
    ok = [p for p in pupils if not p.problemes]
    if not ok:
        raise UserError("Aucun bilan de fin de cycle 2 n'est complet dans les classes choisies : "
                        "rien à exporter. Voyez la liste des élèves et ce qu'il leur manque.",
                        preflight=report)
    data = build_xml(conn, ok)
    errors = lsu_schema.export_errors(data)
    if errors:  # a bug of ours: never offer a file LSU would refuse
        raise UserError("Le fichier LSU produit ne respecte pas le schéma import-bilan-1d "
                        f"({errors[0]}). Rien n'a été téléchargé : signalez ce problème.")
    uai = db.get_meta(conn, "uai", "")
    name = f"LSU_bilans-cycle2_{uai}_{now:%Y-%m-%d_%H-%M-%S}.xml"
    return Export(name, data, report)


# -- import -------------------------------------------------------------------------------------

ETRANGER = ("Ce fichier n'est pas un fichier LSU de bilans (import-bilan-1d) : {why}. Choisissez "
            "le fichier XML exporté par Cartable ou par le logiciel de l'école.")


@dataclass
class FileBilan:
    ine: str
    nom: str
    prenom: str
    bilan: bilan.Bilan


def _parse(data: bytes):
    if not data:
        raise UserError("Le fichier est vide. Choisissez le fichier XML des bilans LSU.")
    if len(data) > MAX_BYTES:
        raise UserError(f"Le fichier dépasse la taille maximale de {MAX_BYTES // 2**20} Mo "
                        "pour un fichier LSU de bilans. Vérifiez que c'est le bon fichier.")
    try:
        root = xml_limits.fromstring(data)
    except xml_limits.Refused as exc:
        raise UserError(ETRANGER.format(why=exc.why)) from None
    except defusedxml.DefusedXmlException:
        raise UserError("Le fichier contient une déclaration de type de document (DTD) ou des "
                        "entités : refusé par sécurité. Un fichier LSU n'en contient pas ; "
                        "exportez-le à nouveau depuis le logiciel d'origine.") from None
    except SafeET.ParseError as exc:
        line = getattr(exc, "position", (0, 0))[0]
        raise UserError(ETRANGER.format(why=f"le XML est mal formé (ligne {line})")) from None
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if local != "lsun-bilans":
        raise UserError(ETRANGER.format(why=f"l'élément racine est <{local[:40]}>"))
    if ns != NS:
        raise UserError(ETRANGER.format(
            why=f"son espace de noms est « {ns[:80] or 'aucun'} » au lieu de « {NS} »"))
    if root.get("schemaVersion") != SCHEMA_VERSION:
        raise UserError(ETRANGER.format(why=f"sa version de schéma est « "
                                        f"{_shown(root.get('schemaVersion'), 20)} » au lieu de "
                                        f"« {SCHEMA_VERSION} »"))
    return root


def _shown(value, limit: int) -> str:
    """An attribute read from the file, for a message: "absent" when missing, never None."""
    if value is None:
        return "absent"
    return "".join(c if c.isprintable() else "?" for c in str(value))[:limit]


def _people(root, path: str) -> dict[str, dict]:
    for e in root.iterfind(path):
        if e.get("civilite") not in CIVILITES:
            who = f"{e.get('nom') or ''} {e.get('prenom') or ''}".strip()[:80] or "une personne"
            raise UserError(f"La civilité « {_shown(e.get('civilite'), 10)} » de {who} "
                            "est invalide : LSU n'accepte que M ou MME.")
    return {e.get("id"): {"civilite": e.get("civilite") or "", "nom": e.get("nom") or "",
                          "prenom": e.get("prenom") or "", "utilisateur_id": None}
            for e in root.iterfind(path)}


def _who(e: dict | None, ine: str) -> str:
    return f"{e['nom']} {e['prenom']}".strip() if e and e.get("nom") else f"l'élève INE {ine}"


def _read_bilan(el, eleves: dict, teachers: dict) -> FileBilan:
    """One <bilan-cycle>, checked (French messages for the rules LSU states)."""
    e = eleves.get(el.get("eleve-ref"))
    if e is None:
        raise UserError(f"Un bilan désigne l'élève « {_shown(el.get('eleve-ref'), 40)} », absent "
                        "de la liste des élèves du fichier : le fichier est incohérent.")
    who = _who(e, e["ine"])
    if el.get("cycle") != str(bilan.CYCLE):
        raise UserError(f"Le bilan de {who} est un bilan de cycle « {_shown(el.get('cycle'), 5)} » :"
                        " seul le bilan de fin de cycle 2 est accepté.")
    domaines = el.findall(f"{_Q}socle/{_Q}domaine")
    if len(domaines) != len(socle2016.CODES):
        raise UserError(f"Le bilan de {who} compte "
                        f"{plural(len(domaines), 'composante', 'composantes')} au lieu de "
                        f"{len(socle2016.CODES)} : chaque composante du socle doit être "
                        "positionnée une fois.")
    positions = {}
    for d in domaines:
        code, value = d.get("code"), d.get("positionnement")
        if code not in socle2016.BY_CODE or code in positions:
            raise UserError(f"Le bilan de {who} contient la composante « {_shown(code, 20)} », "
                            "inconnue ou en double.")
        if value not in {"0", "1", "2", "3", "4"}:
            raise UserError(f"Le positionnement « {_shown(value, 20)} » de {who} (composante "
                            f"{socle2016.BY_CODE[code].court}) est invalide : de 0 à 4 attendu.")
        positions[code] = int(value)
    synthese = el.find(f"{_Q}synthese")
    if synthese is None or not (synthese.text or "").strip():
        raise UserError(f"Le bilan de {who} n'a pas de synthèse : LSU l'exige.")
    if len(synthese.text) > socle2016.SYNTHESE_MAX:
        raise UserError(f"La synthèse de {who} compte {len(synthese.text)} caractères : LSU en "
                        f"accepte au plus {socle2016.SYNTHESE_MAX}.")
    refs = (el.get("enseignant-refs") or "").split()
    if not refs or any(r not in teachers for r in refs):
        raise UserError(f"Le bilan de {who} désigne un enseignant absent de la liste des "
                        "enseignants du fichier : le fichier est incohérent.")
    created, locked = el.get("date-creation") or "", el.get("date-verrou") or ""
    if not _DATE.fullmatch(created) or not _valid_date(created):
        raise UserError(f"La date de création « {created[:20]} » du bilan de {who} est invalide "
                        "(AAAA-MM-JJ attendu).")
    b = bilan.Bilan(0, (el.get("millesime") or "")[:4], synthese.text, created, locked[:19],
                    "import", positions, [dict(teachers[r]) for r in dict.fromkeys(refs)])
    return FileBilan(e["ine"], e["nom"], e["prenom"], b)


def _valid_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def read(data: bytes) -> list[FileBilan]:
    """The file's bilans de fin de cycle 2, or UserError for a file that cannot be trusted."""
    return read_all(data)[0]


def read_all(data: bytes):
    """The file's bilans de fin de cycle 2 and its bilans périodiques (``lsu.livret_import``),
    or UserError for a file that cannot be trusted."""
    return _read(data)[1:]


def _read(data: bytes):
    """``(root, bilans de fin de cycle 2, bilans périodiques)``: ``read_all`` and the parsed
    file (for ``caution.check_school``)."""
    from cartable.lsu import livret_import

    root = _parse(data)
    eleves: dict[str, dict] = {}
    seen_ine: set[str] = set()
    for e in root.iterfind(f"{_Q}donnees/{_Q}eleves/{_Q}eleve"):
        ine = e.get("ine") or ""
        if not ine.strip():
            raise UserError(f"Un élève du fichier ({(e.get('nom') or '')[:40]} "
                            f"{(e.get('prenom') or '')[:40]}) n'a pas d'INE : LSU rattache chaque "
                            "bilan à l'élève par son INE. Le fichier est refusé.")
        if ine in seen_ine:
            raise UserError(f"L'INE « {ine[:20]} » figure deux fois dans la liste des élèves "
                            "du fichier : un INE identifie un seul élève. Le fichier est refusé.")
        seen_ine.add(ine)
        eleves[e.get("id")] = {"ine": ine, "nom": e.get("nom") or "",
                               "prenom": e.get("prenom") or ""}
    teachers = _people(root, f"{_Q}donnees/{_Q}enseignants/{_Q}enseignant")
    found = [_read_bilan(el, eleves, teachers)
             for el in root.iterfind(f"{_Q}donnees/{_Q}bilans-cycle/{_Q}bilan-cycle")]
    periodic = livret_import.read(root, eleves, teachers)
    errors = schema_fr.french_errors(root)
    if errors:
        raise UserError("Le fichier ne respecte pas le schéma LSU import-bilan-1d (version "
                        f"{SCHEMA_VERSION}) : {errors[0][:300]}. Il est refusé.")
    if not found and not periodic.bilans:
        raise UserError("Le fichier ne contient aucun bilan de fin de cycle 2 ni aucun bilan "
                        "périodique : rien à importer.")
    return root, found, periodic


@dataclass
class Plan:
    reports: list[dict]
    writes: list[bilan.Bilan]
    periodic: object = None  # lsu.livret_import.Plan
    note: str = ""  # the file's bilans of another school year (lsu.millesimes.import_note)

    def message(self, applied: bool) -> str:
        n = {s: sum(r["statut"] == s for r in self.reports)
             for s in ("ajouté", "remplacé", "inchangé", "ignoré", "à confirmer")}
        verb = "importés" if applied else "à importer"
        text = (f"Bilans {verb} : {plural(n['ajouté'], 'ajouté', 'ajoutés')}, "
                f"{plural(n['remplacé'], 'remplacé', 'remplacés')} ; "
                f"{plural(n['inchangé'], 'inchangé', 'inchangés')}, "
                f"{plural(n['ignoré'], 'ignoré', 'ignorés')} (élève inconnu de l'école)")
        text += caution.pending_text(self.reports) + "."
        if self.note:
            text += f" {self.note}"
        if self.periodic is None or not self.periodic.reports:
            return text
        other = self.periodic.message(applied)
        return other if not self.reports else f"{text} {other}"

    @property
    def all_reports(self) -> list[dict]:
        return self.reports + (self.periodic.reports if self.periodic else [])

    @property
    def nb_writes(self) -> int:
        return len(self.writes) + (len(self.periodic.writes) if self.periodic else 0)


HIDDEN_REMOVED = ("caractères invisibles (de contrôle ou de sens d'écriture) retirés de la "
                  "synthèse ou des noms des enseignants")


def _cautious(conn: sqlite3.Connection, root, found: list[FileBilan]) -> list[list[str]]:
    """``caution``'s checks (refusals) and cleaning: per bilan, what was removed."""
    caution.check_school(conn, root)
    today, notes = _compat.today(), []
    for f in found:
        f.nom, f.prenom = caution.clean(f.nom)[0], caution.clean(f.prenom)[0]  # as reported
        who = _who({"nom": f.nom, "prenom": f.prenom}, f.ine)
        caution.check_date(f.bilan.date_creation, who, today)
        f.bilan.synthese, dirty = caution.clean(f.bilan.synthese)
        for author in f.bilan.auteurs:
            dirty |= caution.clean_all(author, ("nom", "prenom"))
        if not f.bilan.synthese.strip():
            raise UserError(f"Le bilan de {who} n'a pas de synthèse : LSU l'exige.")
        notes.append([HIDDEN_REMOVED] if dirty else [])
    return notes


def plan_import(conn: sqlite3.Connection, data: bytes, confirmed=()) -> Plan:
    """Match the file's bilans to the school's pupils by INE and decide, per pupil. A bilan
    (de fin de cycle 2 or périodique) whose pupil names differ from ours is applied only if its
    INE is in ``confirmed``. The file is first the school's own (``caution.check_school``)."""
    from cartable.lsu import livret_import

    root, found, periodic = _read(data)
    notes = _cautious(conn, root, found)
    by_ine: dict[str, sqlite3.Row] = {}
    for r in conn.execute(
        "SELECT e.id, e.nom, e.prenom, e.ine, c.nom AS classe FROM eleve e LEFT JOIN classe c "
        "ON c.id = e.classe_id WHERE e.ine <> '' ORDER BY e.actif, e.id"
    ):
        by_ine[r["ine"]] = r  # an active pupil (read last) wins over an inactive one
    ours = bilan.load(conn, [r["id"] for r in by_ine.values()])
    reports, writes = [], []
    for f, note in zip(found, notes, strict=True):
        report = _report(f, by_ine.get(f.ine), ours, set(confirmed), writes)
        if note:
            report["avertissements"] = note
        reports.append(report)
    note = millesimes.import_note(reports, found, _compat.today())
    return Plan(reports, writes, livret_import.plan(conn, periodic, set(confirmed)), note)


def _report(f: FileBilan, row, ours: dict, confirmed: set, writes: list) -> dict:
    report = {"ine": f.ine, "nom": f.nom, "prenom": f.prenom, "classe": None,
              "eleve_id": None, "date_creation": f.bilan.date_creation,
              "bilan": "fin de cycle 2"}
    if row is None:
        report.update(statut="ignoré", raison="aucun élève de l'école n'a cet INE")
        return report
    report.update(nom=row["nom"], prenom=row["prenom"], classe=row["classe"],
                  eleve_id=row["id"])
    mine = ours.get(row["id"])
    if caution.pending(report, (row["nom"], row["prenom"]), (f.nom, f.prenom), f.ine,
                       confirmed):
        return report
    if mine is not None and mine.date_creation >= f.bilan.date_creation:
        day = datetime.date.fromisoformat(mine.date_creation).strftime("%d/%m/%Y")
        report.update(statut="inchangé", raison=(
            f"le bilan de l'école (du {day}) est aussi récent ou plus récent"))
    else:
        f.bilan.eleve_id = row["id"]
        report["statut"] = "ajouté" if mine is None else "remplacé"
        writes.append(f.bilan)
    return report


def apply_import(conn: sqlite3.Connection, plan: Plan) -> None:
    from cartable.lsu import livret_import

    with db.transaction(conn):
        for b in plan.writes:
            bilan.write(conn, b)
        if plan.periodic is not None:
            livret_import.apply(conn, plan.periodic)
