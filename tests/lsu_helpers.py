"""Shared by the LSU tests: a school made from the ONDE fixture, with INE and ONDE class ids."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree import ElementTree as ET

from cartable.api import Api, run

HERE = Path(__file__).parent
ONDE_CSV = HERE / "fixtures/onde/CSVExtraction.csv"
LSU_XML = HERE / "fixtures/lsu/exemple_bilans_cycle2.xml"
NS = {"l": "urn:fr:edu:scolarite:lsun:bilans:import"}
CE2 = "[CE2] CE2-CM1 Mme LUCAS"  # the CE2 part of ONDE class 45121, where the six pupils are


def call(api, command, payload=None, session=None):
    return run(api.handle(command, payload or {}, session))


def onde_rows() -> list[dict]:
    text = ONDE_CSV.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def set_onde_ids(api: Api) -> int:
    """Give the pupils their INE and the classes their ONDE id from the ONDE fixture (what the
    ONDE import keeps once it is merged). Returns the number of pupils updated."""
    n = 0
    with api.db:
        for row in onde_rows():
            found = api.db.execute(
                "SELECT id, classe_id FROM eleve WHERE nom = ? AND prenom = ?",
                (row["Nom élève"].upper(), row["Prénom élève"]),
            ).fetchall()
            assert len(found) == 1, row
            api.db.execute("UPDATE eleve SET ine = ? WHERE id = ?", (row["INE"], found[0]["id"]))
            api.db.execute("UPDATE classe SET id_onde = ? WHERE id = ?",
                           (int(row["Identifiant classe"]), found[0]["classe_id"]))
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
