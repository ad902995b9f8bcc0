"""Shared by the LSU tests: the ONDE and LSU fixtures, the ONDE school made through the API
(``onde_school``), reading an LSU file's bilans."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from xml.etree import ElementTree as ET

from helpers import call

from cartable.api import Api

HERE = Path(__file__).parent
ONDE_CSV = HERE / "fixtures/onde/CSVExtraction.csv"
LSU_XML = HERE / "fixtures/lsu/exemple_bilans_cycle2.xml"
NS = {"l": "urn:fr:edu:scolarite:lsun:bilans:import"}
CE2 = "[CE2] CE2-CM1 Mme LUCAS"  # the CE2 part of ONDE class 45121, where the six pupils are


def onde_school(api: Api, director: dict, uai: str = "0441234C", civilite: str | None = "MME",
                nom: str = "École Jules Ferry") -> str:
    """The ONDE school through the API: app.setup (Sophie Durand directs it, ``director``'s
    login and password, ``civilite`` when given), the director signed in, the ONDE extraction
    imported. Returns the director's session."""
    directeur = {"nom": "Durand", "prenom": "Sophie", "login": director["login"],
                 "password": director["password"], **({"civilite": civilite} if civilite else {})}
    call(api, "app.setup", {"nom": nom, "uai": uai, "directeur": directeur})
    d = call(api, "auth.login", {"login": director["login"],
                                 "password": director["password"]})["session"]
    call(api, "base_eleves.apply", {"data": ONDE_CSV.read_bytes(),
                                    "filename": "CSVExtraction.csv"}, d)
    return d


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


LIVRET_XML = HERE / "fixtures/lsu/exemple_bilans_periodiques.xml"
FIXTURE_PERIODS = ["2025-09-01:2025-11-28", "2025-12-01:2026-03-06", "2026-03-09:2026-07-04"]


def _rubrique(x, elements) -> tuple:
    return (x.get("code-domaine"), [elements[r] for r in (x.get("element-programme-refs")
                                                          or "").split()],
            x.get("positionnement"), x.get("non-evalue"))


def periodic_of(xml: bytes) -> dict[str, dict]:
    """The bilans périodiques of an LSU file by INE, every reference resolved (éléments as
    libellés, authors as people, the period as its attributes, the class's parcours communs)."""
    root = ET.fromstring(xml)
    d = "l:donnees/"
    eleves = {e.get("id"): e for e in root.iterfind(d + "l:eleves/l:eleve", NS)}
    people = {e.get("id"): (e.get("civilite"), e.get("nom"), e.get("prenom"))
              for e in root.iterfind(d + "l:enseignants/l:enseignant", NS)}
    directors = {e.get("id"): (e.get("civilite"), e.get("nom"), e.get("prenom"))
                 for e in root.iterfind(d + "l:directeurs/l:directeur", NS)}
    periods = {p.get("id"): tuple(p.get(a) for a in ("millesime", "indice", "nb-periodes",
                                                     "date-debut", "date-fin"))
               for p in root.iterfind(d + "l:periodes/l:periode", NS)}
    elements = {e.get("id"): e.get("libelle")
                for e in root.iterfind(d + "l:elements-programme/l:element-programme", NS)}
    classes = {c.get("id"): c.get("id-be") for c in root.iterfind(d + "l:classes/l:classe", NS)}
    communs = {(pc.get("periode-ref"), pc.get("classe-ref")):
               [(p.get("code"), p.text) for p in pc.iterfind("l:parcours", NS)]
               for pc in root.iterfind(d + "l:parcours-communs/l:parcours-commun", NS)}
    out = {}
    for b in root.iterfind(d + "l:bilans-periodiques/l:bilan-periodique", NS):
        e = eleves[b.get("eleve-ref")]
        acquis = {}  # by code (the example's own order is not always the domaines')
        for a in b.iterfind("l:liste-acquis/l:acquis", NS):
            appr = a.find("l:appreciation", NS)
            acquis[a.get("code-domaine")] = (
                _rubrique(a, elements), None if appr is None else appr.text,
                [_rubrique(s, elements) for s in a.iterfind("l:sous-domaines/l:sous-domaine", NS)])
        out[e.get("ine")] = {
            "eleve": (e.get("nom"), e.get("prenom"), classes[e.get("classe-ref")]),
            "periode": periods[b.get("periode-ref")],
            "dates": tuple(b.get(a) for a in ("date-creation", "date-scolarite", "date-verrou")),
            "auteurs": [people[r] for r in b.get("enseignant-refs").split()],
            "directeur": directors[b.get("directeur-ref")],
            "acquis": acquis,
            "parcours": [(p.get("code"), p.text) for p in b.iterfind(
                "l:liste-parcours/l:parcours", NS)],
            "modalites": [(m.get("code"), [c.text for c in m]) for m in b.iterfind(
                "l:modalites-accompagnement/l:modalite-accompagnement", NS)],
            "appreciation": b.find("l:appreciation-generale", NS).text,
            "socle": [(x.get("code"), x.get("positionnement"))
                      for x in b.iterfind("l:socle/l:domaine", NS)],
            "communs": communs.get((b.get("periode-ref"), e.get("classe-ref")), []),
        }
    return out


def uai_of(xml: bytes) -> str:
    return re.search(rb"<etablissement>(\w+)</etablissement>", xml).group(1).decode()


def newer_year(xml: bytes, ines: list[str]) -> bytes:
    """The file with the bilans of ``ines`` made again the next school year (millésime 2026,
    created in November 2026): they replace the school's, which are of 2025."""
    for ine in ines:
        old = (f'eleve-ref="EL{ine}" cycle="2" millesime="2025" enseignant-refs="ENS1" '
               'date-creation="2026-06-12" date-verrou="2026-06-19T17:30:00"').encode()
        assert old in xml
        xml = xml.replace(old, old.replace(b'"2025"', b'"2026"')
                          .replace(b"2026-06-12", b"2026-11-20")
                          .replace(b"2026-06-19T17:30:00", b"2026-11-27T17:30:00"))
    return xml
