"""Golden tests from SACoche's own output (its 2012 export code, run by the project's replay tool:
see docs/SACOCHE.md).

* ``fixtures/sacoche/import-sacoche_0_2012-06-15_10-30-00_1804289383.zip``: what SACoche writes
  for the public school (``fixtures/base_eleves/CSVExtraction.csv``, 42 CM2 pupils' decisions).
  Cartable's export of the same school must be the same bytes.
* ``fixtures/sacoche/edge/``: a school of hard names (over 25 characters, Œ, Æ, Ø, ’, an
  apostrophe in a prénom) and odd decisions: ``edge_base_eleves.csv`` + ``edge_decisions.zip``
  imported into an empty school; ``edge_sacoche_export.xml`` is what SACoche exports for it. No
  decision may be lost in either direction.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from helpers import call_as_director

from cartable import api
from cartable.sacoche import export as sacoche_export
from cartable.sacoche.read import html_decode

HERE = Path(__file__).parent
PUBLIC_CSV = HERE / "fixtures/base_eleves/CSVExtraction.csv"
PUBLIC_ZIP = HERE / "fixtures/sacoche/import-sacoche_0_2012-06-15_10-30-00_1804289383.zip"
EDGE = HERE / "fixtures/sacoche/edge"
NOW = datetime.datetime(2012, 6, 15, 10, 30, 0)


def build_school(path: Path, csv: Path, decisions: Path) -> api.Api:
    a = api.Api(str(path))
    call_as_director(a, "base_eleves.apply", {"data": csv.read_bytes()})
    r = call_as_director(a, "sacoche.import", {"data": decisions.read_bytes()})
    assert r["nb_ignores"] == 0
    return a


@pytest.fixture
def clock(clock):
    return clock.set(NOW)


@pytest.fixture
def public_school(tmp_path, clock):
    a = build_school(tmp_path / "public.sqlite3", PUBLIC_CSV, PUBLIC_ZIP)
    yield a
    a.close()


@pytest.fixture
def edge_school(tmp_path, clock):
    a = build_school(tmp_path / "edge.sqlite3", EDGE / "edge_base_eleves.csv",
                     EDGE / "edge_decisions.zip")
    yield a
    a.close()


def xml_of(reply) -> bytes:
    with zipfile.ZipFile(io.BytesIO(reply["data"])) as zf:
        return zf.read("import_validations.xml")


def school_decisions(a) -> dict[tuple, tuple]:
    """{(pupil id, "item"/"competence", id): (etat, date, info)} of the whole school."""
    out = {}
    for kind, table, key in (("item", "validation_item", "item_id"),
                             ("competence", "validation_competence", "competence_id")):
        for r in a.db.execute(f"SELECT eleve_id, {key}, etat, date, info FROM {table}"):
            out[(r[0], kind, r[1])] = (r[2], r[3], r[4])
    return out


def as_sacoche_reads_it(xml: bytes) -> dict[tuple, tuple]:
    """The decisions of a file as SACoche's import reads them: XML, then ``html_decode`` on
    ``info``; pupils by (nom, prénom) compared without case (SACoche re-cases both)."""
    out = {}
    for e in ET.fromstring(xml).iter("eleve"):
        who = (e.get("nom").upper(), e.get("prenom").casefold())
        for comp in e.iter("competence"):
            v = comp.find("validation")
            if v is not None:
                out[(who, "competence", int(comp.get("id")))] = (
                    int(v.findtext("etat")), v.findtext("date"), html_decode(v.findtext("info")))
            for item in comp.iter("item"):
                r = item.find("renseignement")
                out[(who, "item", int(item.get("id")))] = (
                    int(r.findtext("etat")), r.findtext("date"), html_decode(r.findtext("info")))
    return out


# -- the public school --------------------------------------------------------------------


def test_public_school_export_is_sacoches_file_byte_for_byte(public_school):
    with zipfile.ZipFile(PUBLIC_ZIP) as zf:
        sacoche = zf.read("import_validations.xml")
    for payload in ({}, {"niveau": "CM2"}):
        reply = call_as_director(public_school, "sacoche.export", payload)
        assert xml_of(reply) == sacoche
        assert (reply["nb_competences"], reply["nb_items"], reply["nb_eleves"]) == (103, 3921, 42)
    assert b"&#x27;" not in sacoche and b'nom="D\'ALMEIDA"' in sacoche  # the apostrophe as is
    assert reply["nb_selectionnes"] == 42 and reply["nb_sans_decision"] == 0
    assert reply["noms_coupes"] == []


# -- the edge school ----------------------------------------------------------------------


def test_edge_school_export_differs_from_sacoches_only_where_explained(edge_school):
    ours = xml_of(call_as_director(edge_school, "sacoche.export", {})).decode().split("\r\n")
    sacoche = (EDGE / "edge_sacoche_export.xml").read_bytes().decode().split("\r\n")
    assert len(ours) == len(sacoche) == 2298
    differ = [(n, a, b) for n, (a, b) in enumerate(zip(ours, sacoche), 1) if a != b]
    assert [(n, a.strip(), b.strip()) for n, a, b in differ] == [
        # (1) SACoche exported this school when Cartable stored the info undecoded; SACoche's
        # import decodes <info> a second time, so both lines give it "A & B" (test below).
        (165, "<info>A &amp; B</info>", "<info>A &amp;amp; B</info>"),
        # (2) SACoche's clean_prenom under PHP 8 (mb_convert_case) reads "'" as inside a word;
        # Cartable capitalises after it, as SACoche does for an ASCII prénom ("N'Deye").
        # SACoche's import re-cases the file's prénom the same way: matching is unaffected.
        (324, '<eleve id="0" nom="SARR" prenom="N\'Dèye">',
         '<eleve id="0" nom="SARR" prenom="N\'dèye">'),
    ]


def test_edge_school_no_decision_lost_from_cartable_to_sacoche(edge_school):
    """Cartable's file read as SACoche reads it holds every decision of the school, under the
    names SACoche holds (cut to 25 characters), in SACoche's order; and it is the same as what
    SACoche's own export of the school holds."""
    reply = call_as_director(edge_school, "sacoche.export", {})
    ours = as_sacoche_reads_it(xml_of(reply))
    sacoche = as_sacoche_reads_it((EDGE / "edge_sacoche_export.xml").read_bytes())
    assert ours == sacoche
    names = {r["id"]: (sacoche_export.held_nom(r["nom"]), r["prenom"].casefold()[:25])
             for r in edge_school.db.execute("SELECT id, nom, prenom FROM eleve")}
    school = {(names[eid], kind, kid): d for (eid, kind, kid), d in
              school_decisions(edge_school).items()}
    assert ours == school and len(school) == 312
    assert ours[(("INFO", "test"), "item", 2113)][2] == "A & B"
    assert ours[(("INFO", "test"), "item", 2112)][2] == "Import SACoche"  # <info/> missing
    cut = {(c["nom_fichier"], c["prenom_fichier"]) for c in reply["noms_coupes"]}
    assert cut == {("DE LA TOUR D'AUVERGNE-LAU", "Marie-Charlotte"),
                   ("MARTIN", "Anne-Charlotte-Éléonore-M")}
    assert "Vérifiez qu'ils figurent ainsi sur la liste du collège" in reply["note_noms_coupes"]
    assert reply["note_noms_coupes"] in reply["notes"]


def test_edge_school_no_decision_lost_from_sacoche_to_cartable(edge_school):
    """SACoche's export (bare XML, cut names) imported into the school without its decisions
    gives back every decision; the cut names find the pupils they were cut from."""
    before = school_decisions(edge_school)
    for table in ("validation_item", "validation_competence"):
        edge_school.db.execute(f"DELETE FROM {table}")
    reply = call_as_director(edge_school, "sacoche.import",
                 {"data": (EDGE / "edge_sacoche_export.xml").read_bytes()})
    assert (reply["nb_modifies"], reply["nb_ignores"], reply["nb_validations"]) == (17, 0, 312)
    assert school_decisions(edge_school) == before
    notes = {(r["nom"], r["prenom"]): r for r in reply["eleves"] if "note" in r}
    assert set(notes) == {("DE LA TOUR D'AUVERGNE-LAU", "Marie-Charlotte"),
                          ("MARTIN", "Anne-Charlotte-Éléonore-M")}
    tour = notes[("DE LA TOUR D'AUVERGNE-LAU", "Marie-Charlotte")]
    assert (tour["nom_ecole"], tour["prenom_ecole"]) == ("DE LA TOUR D'AUVERGNE-LAURAGAIS",
                                                         "Marie-Charlotte")
    assert re.match(r"nom coupé à 25 caractères par SACoche : reconnu comme DE LA TOUR "
                    r"D'AUVERGNE-LAURAGAIS Marie-Charlotte", tour["note"])
    # Importing it again changes nothing.
    again = call_as_director(edge_school, "sacoche.import",
                 {"data": (EDGE / "edge_sacoche_export.xml").read_bytes()})
    assert again["nb_validations"] == 0 and again["nb_inchanges"] == 17


def test_command_line_export_names_the_cut_pupils(tmp_path, capsys):
    """`python -m cartable export-sacoche` prints the summary, then the notes: Sconet and the
    pupils whose names were cut (the director checks them against the collège's list)."""
    from cartable.__main__ import main

    db = str(tmp_path / "edge.sqlite3")
    setup = ('{"nom": "École des cas limites", "directeur": {"nom": "Durand", "prenom": "Sophie", '
             '"password": "Directrice-2012"}}')
    assert main(["--db", db, "call", "app.setup", setup]) == 0
    assert main(["--db", db, "import-base-eleves", str(EDGE / "edge_base_eleves.csv"),
                 "--yes"]) == 0
    assert main(["--db", db, "import-sacoche", str(EDGE / "edge_decisions.zip"), "--yes"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "export-sacoche", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("Fichier d'export généré : 20 validations de compétences et 292 "
                        "validations d'items concernant 17 élèves.")
    assert lines[1].startswith("17 élèves n'ont pas d'identifiant Sconet : c'est normal")
    assert lines[2] == (
        "2 élèves ont un nom ou un prénom de plus de 25 caractères, la limite de SACoche : ils "
        "sont écrits coupés dans le fichier, comme SACoche les garde. Vérifiez qu'ils figurent "
        "ainsi sur la liste du collège : DE LA TOUR D'AUVERGNE-LAURAGAIS Marie-Charlotte → DE "
        "LA TOUR D'AUVERGNE-LAU Marie-Charlotte ; MARTIN Anne-Charlotte-Éléonore-Marie → MARTIN "
        "Anne-Charlotte-Éléonore-M.")
    assert lines[3].startswith("Fichier écrit : ")


def test_command_line_import_says_which_cut_name_matched(edge_school, tmp_path, capsys):
    from cartable.__main__ import main

    path = edge_school.path
    edge_school.close()  # the command line opens the file itself (closing twice is harmless)
    code = main(["--db", path, "import-sacoche", str(EDGE / "edge_sacoche_export.xml")])
    out = capsys.readouterr().out
    assert code == 0
    assert ("  DE LA TOUR D'AUVERGNE-LAU Marie-Charlotte : inchangé — nom coupé à 25 caractères "
            "par SACoche : reconnu comme DE LA TOUR D'AUVERGNE-LAURAGAIS Marie-Charlotte") in out
