"""The SACoche validations file, import step 2: match the file's pupils to the school's and
plan, then apply, the decisions (``plan_import`` writes nothing; ``apply_import`` writes all or
nothing).

Matching: by Sconet id when the file's id is not 0 and a pupil of the school has it; otherwise by
nom + prénom (when the file's id is not 0, only among the school's pupils without a Sconet id: a
pupil with another id is another child). Names are compared after Unicode NFC normalisation,
ignoring case and repeated spaces, but accents count ("GUERIN" is not "GUÉRIN"). When no name is
equal, a nom or prénom of 25 characters (SACoche's ``VARCHAR(25)``) matches the longer name it
was cut from, as ``sacoche_export`` writes it; only when that match is unique (several: reported,
never guessed). Active pupils are tried first; inactive ones only when no active pupil matches.
Skipped with the reason: no pupil matches, several do, or two pupils of the file match the same
pupil of the school.

A decision is added when absent and replaces the school's one only when the file's date is later
(SACoche's rule).
"""

from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass

from cartable import db
from cartable.sacoche.export import held_nom, held_prenom
from cartable.sacoche.read import FileEleve, match_key, read
from cartable.text import plural

_SAME_TARGET = "plusieurs élèves du fichier correspondent au même élève de l'école"
_NO_MATCH = "aucun élève de l'école ne porte ce nom et ce prénom"


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
            f"{plural(c['modifie'], 'élève modifié', 'élèves modifiés')} "
            f"({plural(nb, 'validation', 'validations')}), "
            f"{plural(c['inchange'], 'inchangé', 'inchangés')}, "
            f"{plural(c['ignore'], 'ignoré', 'ignorés')}."
        )
        if applied:
            return "Import terminé : " + text
        return "Aperçu de l'import : " + text + " Rien n'est encore enregistré."


@dataclass
class _Match:
    eleve_id: int | None
    reason: str = ""
    cut_from: tuple[str, str] | None = None  # the school's full names, when matched cut


class _School:
    """The school's pupils, indexed by Sconet id, by name and by name as SACoche cuts it."""

    def __init__(self, conn: sqlite3.Connection):
        self.by_sconet: dict[int, list[int]] = {}
        self.by_name: dict[tuple, list[tuple[int, bool, int]]] = {}
        self.by_cut: dict[tuple, list[tuple[int, bool, int]]] = {}
        self.names: dict[int, tuple[str, str]] = {}
        for eid, nom, prenom, actif, sconet in conn.execute(
            "SELECT id, nom, prenom, actif, sconet_id FROM eleve"
        ):
            if sconet:
                self.by_sconet.setdefault(sconet, []).append(eid)
            entry = (eid, bool(actif), sconet)
            self.by_name.setdefault(match_key(nom, prenom), []).append(entry)
            self.names[eid] = (nom, prenom)
            cut = match_key(held_nom(nom), held_prenom(prenom))
            if cut != match_key(nom, prenom):
                self.by_cut.setdefault(cut, []).append(entry)

    def by_id(self, e: FileEleve) -> _Match:
        found = self.by_sconet[e.sconet_id]
        if len(found) > 1:
            return _Match(None, f"{len(found)} élèves de l'école ont cet identifiant Sconet")
        return _Match(found[0])

    def by_names(self, e: FileEleve) -> _Match:
        key = match_key(e.nom, e.prenom)
        exact = self.by_name.get(key, [])
        if not e.maybe_cut:
            return _outcome(_pick(exact, e.sconet_id), "portent ce nom et ce prénom")
        # A 25-character name: the same name, or a longer one SACoche cut to it (homonyms
        # for SACoche too, so several candidates are reported, never guessed).
        found = _pick(exact + self.by_cut.get(key, []), e.sconet_id)
        match = _outcome(found, "ont ce nom et ce prénom (ou un nom plus long que SACoche "
                                "coupe ainsi à 25 caractères)")
        if match.eleve_id is not None:
            nom, prenom = self.names[match.eleve_id]
            if match_key(nom, prenom) != key:
                match.cut_from = (nom, prenom)
        return match

    def match(self, e: FileEleve) -> _Match:
        if e.sconet_id and e.sconet_id in self.by_sconet:
            return self.by_id(e)
        return self.by_names(e)


def _pick(candidates: list[tuple[int, bool, int]], sconet_id: int) -> list[int]:
    """Active candidates first; with an unknown Sconet id, only pupils without one."""
    if sconet_id:  # unknown id: only a pupil without Sconet id can be the same child
        candidates = [c for c in candidates if not c[2]]
    active = [eid for eid, actif, _ in candidates if actif]
    return active or [eid for eid, _, _ in candidates]


def _outcome(found: list[int], what: str) -> _Match:
    if not found:
        return _Match(None, _NO_MATCH)
    if len(found) > 1:
        return _Match(None, f"{len(found)} élèves de l'école {what} : impossible de savoir lequel")
    return _Match(found[0])


def _match(conn: sqlite3.Connection, eleves: list[FileEleve]) -> dict[int, _Match]:
    """file position → match (the school's pupil, or None and the reason)."""
    school = _School(conn)
    result = {e.position: school.match(e) for e in eleves if not e.error}
    # Two pupils of the file must not land on the same pupil of the school.
    targets: dict[int, list[int]] = {}
    for pos, m in result.items():
        if m.eleve_id is not None:
            targets.setdefault(m.eleve_id, []).append(pos)
    for positions in targets.values():
        if len(positions) > 1:
            for pos in positions:
                result[pos] = _Match(None, _SAME_TARGET)
    return result


def _existing(conn: sqlite3.Connection, matched: set[int]):
    """The dates of the school's decisions of the matched pupils, per (pupil, id)."""
    items: dict[tuple[int, int], str] = {}
    comps: dict[tuple[int, int], str] = {}
    if matched:
        for table, key, target in (
            ("validation_item", "item_id", items),
            ("validation_competence", "competence_id", comps),
        ):
            for eid, kid, date in conn.execute(f"SELECT eleve_id, {key}, date FROM {table}"):
                if eid in matched:
                    target[(eid, kid)] = date
    return items, comps


def _report(e: FileEleve, m: _Match | None) -> dict:
    report = {"nom": e.nom, "prenom": e.prenom, "sconet_id": e.sconet_id, "id": None,
              "statut": "ignoré", "code": "ignore", "nb": 0}
    if e.warnings:
        report["avertissements"] = e.warnings
    if m is None or m.eleve_id is None:
        report["raison"] = e.error or (m.reason if m else "")
    else:
        report["id"] = m.eleve_id
        if m.cut_from:
            nom, prenom = m.cut_from
            report["nom_ecole"], report["prenom_ecole"] = nom, prenom
            report["note"] = (f"nom coupé à 25 caractères par SACoche : reconnu comme {nom} "
                              f"{prenom}, le seul élève de l'école dont le nom commence ainsi")
    return report


def plan_import(conn: sqlite3.Connection, data: bytes, today: datetime.date) -> ImportPlan:
    """Read the file and compute what the import would change, writing nothing."""
    eleves = read(data, today)
    matches = _match(conn, eleves)
    matched = {m.eleve_id for m in matches.values() if m.eleve_id is not None}
    existing_items, existing_comps = _existing(conn, matched)
    plan = ImportPlan([], [], [])
    for e in eleves:
        m = matches.get(e.position)
        report = _report(e, m)
        plan.reports.append(report)
        eid = report["id"]
        if eid is None:
            continue
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
