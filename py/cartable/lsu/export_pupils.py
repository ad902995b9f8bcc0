"""The pupils of an LSU export, shared by the bilans de fin de cycle (``lsu_file``) and the
bilans périodiques (``livret_export``): one query for the pupils and their classes, the
identity checks LSU makes on every pupil (INE, the class's ONDE id), the pre-flight's list.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

INE_LENGTH = 11


@dataclass
class ExportPupil:
    """An active pupil and his class, as the export reads them (``rows``' columns, in order)."""
    id: int
    nom: str
    prenom: str
    ine: str
    classe_id: int
    classe: str
    id_onde: int | None
    libelle: str  # the ONDE class's libellé (``source``), else the class's nom
    niveau: str
    problemes: list[str] = field(default_factory=list)  # what LSU would refuse, in French


def rows(conn: sqlite3.Connection, classe_ids: list[int] | None) -> list[sqlite3.Row]:
    """Active pupils of the classes (None: the whole school) in ``ExportPupil``'s columns, by
    class then name."""
    where, params = "e.actif = 1", []
    if classe_ids is not None:
        where += f" AND e.classe_id IN ({','.join('?' * len(classe_ids))})"
        params = list(classe_ids)
    return conn.execute(
        "SELECT e.id, e.nom, e.prenom, e.ine, c.id, c.nom, c.id_onde, "
        "CASE WHEN c.source <> '' THEN c.source ELSE c.nom END, n.ref FROM eleve e "
        "JOIN classe c ON c.id = e.classe_id JOIN niveau n ON n.id = c.niveau_id "
        f"WHERE {where} ORDER BY c.nom COLLATE FR, c.id, e.nom COLLATE FR, e.prenom COLLATE FR, "
        "e.id", params,
    ).fetchall()


def identity_problems(p: ExportPupil, ines: dict[str, int]) -> list[str]:
    """What LSU would refuse in the pupil's INE and class (``ines``: INE -> pupil id of the
    pupils checked so far, to find an INE given twice)."""
    out = []
    if not p.ine:
        out.append("pas d'INE (importez l'extraction ONDE des élèves)")
    elif len(p.ine) != INE_LENGTH or not p.ine.isalnum():
        out.append(f"INE « {p.ine} » invalide ({INE_LENGTH} lettres ou chiffres)")
    elif ines.setdefault(p.ine, p.id) != p.id:
        out.append(f"INE « {p.ine} » déjà porté par un autre élève exporté")
    if p.id_onde is None:
        out.append(f"la classe {p.classe} n'a pas d'identifiant ONDE (importez "
                   "l'extraction ONDE des élèves)")
    return out


def preflight_list(pupils: list) -> list[dict]:
    """The pre-flight's pupils: who, and what LSU would refuse (``problemes``)."""
    return [{"id": p.id, "nom": p.nom, "prenom": p.prenom, "classe": p.classe,
             "ine": p.ine, "exportable": not p.problemes, "problemes": p.problemes}
            for p in pupils]
