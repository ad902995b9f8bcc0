"""Shared by the LSU tests: the ONDE and LSU fixtures, reading an LSU file's bilans."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree import ElementTree as ET

from cartable.api import Api

HERE = Path(__file__).parent
ONDE_CSV = HERE / "fixtures/onde/CSVExtraction.csv"
LSU_XML = HERE / "fixtures/lsu/exemple_bilans_cycle2.xml"
NS = {"l": "urn:fr:edu:scolarite:lsun:bilans:import"}
CE2 = "[CE2] CE2-CM1 Mme LUCAS"  # the CE2 part of ONDE class 45121, where the six pupils are


def onde_rows() -> list[dict]:
    text = ONDE_CSV.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def onde_ids_kept(api: Api) -> int:
    """Check that the ONDE import kept every pupil's INE and class id (LSU needs both).
    Returns the number of pupils checked."""
    n = 0
    for row in onde_rows():
        found = api.db.execute(
            "SELECT e.ine, c.id_onde FROM eleve e JOIN classe c ON c.id = e.classe_id "
            "WHERE e.nom = ? AND e.prenom = ?", (row["Nom élève"].upper(), row["Prénom élève"]),
        ).fetchall()
        assert [tuple(f) for f in found] == [(row["INE"], int(row["Identifiant classe"]))], row
        n += 1
    return n


def bilans_of(xml: bytes) -> dict[str, dict]:
    """The bilans of an LSU file by INE: positions, synthèse, dates, authors (as people)."""
    root = ET.fromstring(xml)
    d = "l:donnees/"
    ine = {e.get("id"): e.get("ine") for e in root.iterfind(d + "l:eleves/l:eleve", NS)}
    people = {e.get("id"): (e.get("civilite"), e.get("nom"), e.get("prenom"))
              for e in root.iterfind(d + "l:enseignants/l:enseignant", NS)}
    out = {}
    for b in root.iterfind(d + "l:bilans-cycle/l:bilan-cycle", NS):
        out[ine[b.get("eleve-ref")]] = {
            "cycle": b.get("cycle"), "millesime": b.get("millesime"),
            "date-creation": b.get("date-creation"), "date-verrou": b.get("date-verrou"),
            "auteurs": [people[r] for r in b.get("enseignant-refs").split()],
            "socle": [(x.get("code"), x.get("positionnement"))
                      for x in b.iterfind("l:socle/l:domaine", NS)],
            "synthese": b.find("l:synthese", NS).text,
        }
    return out
