"""The SACoche validations file: export (golden bytes, fixture round trip, speed) and import
(matching, merge rule, every kind of bad file). Bad inputs tried are named in each test."""

from __future__ import annotations

import datetime
import hashlib
import html
import io
import re
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from helpers import NOW, SchoolBuilder, call_as_director

from cartable import api, db
from cartable.errors import PermissionDenied, UserError
from cartable.sacoche import container as sacoche_zip
from cartable.sacoche import export as sacoche_export

HERE = Path(__file__).parent
FIXTURE_ZIP = HERE / "fixtures/sacoche/import-sacoche_0_2012-06-15_10-30-00_1804289383.zip"
GOLDEN_XML = HERE / "golden/sacoche_export.xml"


# -- helpers ------------------------------------------------------------------------------


@pytest.fixture
def school(tmp_path, clock):
    """An empty school (CM1 and CM2 classes) with a fixed clock (helpers.NOW)."""
    a = api.Api(str(tmp_path / "ecole.sqlite3"))
    build = SchoolBuilder(a)
    build.classe("CM2 A", "CM2A", "CM2", id=1)
    build.classe("CM2 B", "CM2B", "CM2", id=2)
    build.classe("CM1", "CM1", "CM1", id=3)
    yield a
    a.close()


def add_eleve(a, nom, prenom, classe_id=1, sconet=0, actif=1) -> int:
    return SchoolBuilder(a).eleve(nom, prenom, classe_id, actif=actif, sconet_id=sconet)


def add_item(a, eid, item_id, etat=1, date="2024-06-01", info="DUPUIS M."):
    SchoolBuilder(a).item(eid, item_id, etat, date, info)


def add_comp(a, eid, comp_id, etat=1, date="2024-06-01", info="DUPUIS M."):
    SchoolBuilder(a).competence(eid, comp_id, etat, date, info)


def items_of(a, eid):
    return {
        r[0]: (r[1], r[2], r[3])
        for r in a.db.execute(
            "SELECT item_id, etat, date, info FROM validation_item WHERE eleve_id = ?", (eid,)
        )
    }


def db_hash(a) -> str:
    return hashlib.sha256(Path(a.path).read_bytes()).hexdigest()


def xml_doc(*eleves: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sacoche><donnees>'
            + "".join(eleves) + "</donnees></sacoche>").encode()


def eleve_xml(nom="MARTIN", prenom="Jules", sconet=0, body=None) -> str:
    if body is None:
        body = '<palier id="2"><competence id="8">' + item_xml(2111) + "</competence></palier>"
    return f'<eleve id="{sconet}" nom="{nom}" prenom="{prenom}">{body}</eleve>'


def item_xml(item_id, date="2024-06-10", etat="1", info="DURAND P.") -> str:
    parts = ""
    if date is not None:
        parts += f"<date>{date}</date>"
    if etat is not None:
        parts += f"<etat>{etat}</etat>"
    if info is not None:
        parts += f"<info>{info}</info>"
    return f'<item id="{item_id}"><renseignement>{parts}</renseignement></item>'


def zip_of(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def fixture_xml() -> bytes:
    with zipfile.ZipFile(FIXTURE_ZIP) as zf:
        return zf.read("import_validations.xml")


def small_school(a):
    """The school behind tests/golden/sacoche_export.xml."""
    e1 = add_eleve(a, "D'ALMEIDA", "léa", sconet=1234567)
    e2 = add_eleve(a, "ÉMERY", "jean-françois")  # sorts with the E (accents ignored)
    e3 = add_eleve(a, "DURAND", "Zoé", classe_id=2)
    add_eleve(a, "SANS", "Décision")  # no decision: not exported
    gone = add_eleve(a, "PARTI", "Paul", actif=0)  # inactive: not exported
    add_item(a, gone, 2111)
    cm1 = add_eleve(a, "AUTRE", "Niveau", classe_id=3)
    add_item(a, cm1, 2111, info="LEGRAND A.")
    # e1: compétence 8 validated, items out of id order (21210 is displayed after 2129)
    add_comp(a, e1, 8, 1, "2024-06-12", 'Dupuis & "Fils" <M.>')
    add_item(a, e1, 21210, 0, "2024-06-11")
    add_item(a, e1, 2129, 1, "2024-06-11")
    add_item(a, e1, 2111, 1, "2024-06-10")
    add_item(a, e1, 2733, 1, "2024-06-10", "UN NOM BEAUCOUP TROP LONG POUR SACOCHE")
    # e2: only a compétence decision, and a palier-1 item (exported too, palier 1 first)
    add_comp(a, e2, 15, 0, "2024-06-13")
    add_item(a, e2, 1, 1, "2024-06-13")
    # e3: one item
    add_item(a, e3, 2311, 1, "2024-06-14")


# -- export -------------------------------------------------------------------------------


def test_export_matches_golden_file(school, monkeypatch):
    monkeypatch.setattr(sacoche_export.secrets, "randbelow", lambda n: 42)
    small_school(school)
    r = call_as_director(school, "sacoche.export", {})
    assert r["filename"] == "import-sacoche_0_2024-06-20_16-05-09_42.zip"
    with zipfile.ZipFile(io.BytesIO(r["data"])) as zf:
        (info,) = zf.infolist()
        assert info.filename == "import_validations.xml"
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.date_time == (2024, 6, 20, 16, 5, 8)  # ZIP times have 2-s resolution
        xml = zf.read(info)
    assert xml == GOLDEN_XML.read_bytes()
    assert r["nb_eleves"] == 4 and r["nb_items"] == 7 and r["nb_competences"] == 2
    assert r["message"] == (
        "Fichier d'export généré : 2 validations de compétences et 7 validations d'items "
        "concernant 4 élèves. 1 élève sélectionné n'a aucune décision enregistrée : il n'est "
        "donc pas dans le fichier."
    )
    assert (r["nb_selectionnes"], r["nb_sans_decision"]) == (5, 1)  # SANS Décision
    assert r["note"] == (
        "3 élèves n'ont pas d'identifiant Sconet : c'est normal à l'école. Ils sont exportés "
        "avec l'identifiant 0 et le collège les retrouvera par leur nom et prénom. Vous n'avez "
        "rien à faire."
    )
    assert r["notes"] == [r["note"]]
    assert r["noms_coupes"] == [] and r["note_noms_coupes"] is None


def test_golden_file_is_the_documented_format():
    raw = GOLDEN_XML.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\r\n<sacoche>\r\n\t<donnees>')
    assert raw.endswith(b"\t</donnees>\r\n</sacoche>\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    root = ET.fromstring(raw)
    eleves = root.findall("donnees/eleve")
    assert [(e.get("id"), e.get("nom"), e.get("prenom")) for e in eleves] == [
        ("0", "AUTRE", "Niveau"),
        ("1234567", "D'ALMEIDA", "Léa"),
        ("0", "DURAND", "Zoé"),
        ("0", "ÉMERY", "Jean-François"),
    ]
    comp8 = eleves[1].find("palier/competence")
    assert [c.tag for c in comp8] == ["validation", "item", "item", "item"]
    assert [i.get("id") for i in comp8.findall("item")] == ["2111", "2129", "21210"]
    assert comp8.find("validation/info").text == 'Dupuis & "Fils" <M.>'
    assert b"<info>Dupuis &amp; &quot;Fils&quot; &lt;M.&gt;</info>" in raw
    assert b"<info>UN NOM BEAUCOUP TROP LONG</info>" in raw  # cut to 25 characters
    # palier 1 comes before palier 2
    assert [p.get("id") for p in eleves[3].findall("palier")] == ["1", "2"]


def test_export_regroupements(school):
    small_school(school)
    by_class = call_as_director(school, "sacoche.export", {"classe_ids": [1]})
    assert by_class["nb_eleves"] == 2  # D'ALMEIDA, ÉMERY (inactive PARTI not exported)
    assert call_as_director(school, "sacoche.export", {"classe_ids": [1, "2"]})["nb_eleves"] == 3
    assert call_as_director(school, "sacoche.export", {"niveau": "cm2"})["nb_eleves"] == 3
    assert call_as_director(school, "sacoche.export", {"niveau": "CM1"})["nb_eleves"] == 1
    assert call_as_director(school, "sacoche.export", {})["nb_eleves"] == 4
    one = call_as_director(school, "sacoche.export", {"classe_ids": [2]})
    assert one["note"] == (
        "1 élève n'a pas d'identifiant Sconet : c'est normal à l'école. Il est exporté avec "
        "l'identifiant 0 et le collège le retrouvera par son nom et prénom. Vous n'avez rien à "
        "faire."
    )
    assert one["nb_sans_decision"] == 0 and one["message"].endswith("concernant 1 élève.")
    with_id = add_eleve(school, "ZOLA", "Emile", classe_id=3, sconet=99)
    school.db.execute("DELETE FROM validation_item WHERE eleve_id != ?", (with_id,))
    add_item(school, with_id, 2111)
    assert call_as_director(school, "sacoche.export", {"niveau": "CM1"})["note"] is None


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"classe_ids": []}, "au moins une classe"),
        ({"classe_ids": "1"}, "au moins une classe"),
        ({"classe_ids": [999]}, "n'existe pas"),
        ({"classe_ids": ["x"]}, "invalide"),
        ({"niveau": "6EME"}, "n'existe pas"),
        ({"niveau": 18}, "Niveau invalide"),
        ({"niveau": "CP"}, "Aucune classe de niveau CP"),
        ({"niveau": "CM2", "classe_ids": [1]}, "pas les deux"),
    ],
)
def test_export_bad_regroupement(school, payload, message):
    small_school(school)
    with pytest.raises(UserError, match=message):
        call_as_director(school, "sacoche.export", payload)


def test_export_without_any_decision_is_refused(school):
    add_eleve(school, "MARTIN", "Jules")
    with pytest.raises(UserError, match="Aucune validation à exporter"):
        call_as_director(school, "sacoche.export", {})


def test_export_escapes_and_reads_back_every_special_character(school):
    eid = add_eleve(school, "O'BRIEN & <FILS>", 'anne "nanou"')
    add_item(school, eid, 2111, info="A&B <C> \"D\" 'E'\x01")
    xml = sacoche_export.build_xml(school.db, None)[0]
    el = ET.fromstring(xml).find("donnees/eleve")
    assert el.get("nom") == "O'BRIEN & <FILS>"
    assert el.get("prenom") == 'Anne "Nanou"'
    assert el.find("palier/competence/item/renseignement/info").text == "A&B <C> \"D\" 'E'"


def test_title_case():
    assert sacoche_export.title_case(" jean-FRANÇOIS ") == "Jean-François"
    assert sacoche_export.title_case("marie ève") == "Marie Ève"
    assert sacoche_export.title_case("maëlys") == "Maëlys"


def test_teacher_without_class_cannot_export_and_no_teacher_imports(school):
    """A teacher exports only the classes she validates (tests/test_access_control.py)."""
    teacher = api.Session(5, "professeur", "jea.dupont", "DUPONT", "Jean")
    school.sessions[teacher.token] = teacher  # as if logged in
    for cmd in ("sacoche.export", "sacoche.preview", "sacoche.import"):
        with pytest.raises(PermissionDenied):
            call_as_director(school, cmd, {"data": b""}, session=teacher)


def test_export_of_a_large_school(school):
    """500 pupils x every palier-2 item decided (55 000 decisions): every one in the file, in
    SACoche's order. (Speed is measured in bench/import_export.py, medians against a baseline
    in the same run, not asserted here: the test machine's load makes wall clocks flaky.)"""
    from cartable.socle2008 import referentiel

    item_ids = [i.id for c in referentiel.get().palier(2).competences for i in c.items]
    eleves = [(f"NOM{n:03d}", f"Prénom{n}", 1 + n % 2) for n in range(500)]
    build = SchoolBuilder(school)
    for nom, prenom, classe in eleves:
        build.eleve(nom, prenom, classe)
    ids = [r[0] for r in school.db.execute("SELECT id FROM eleve")]
    with db.transaction(school.db):
        school.db.executemany(
            "INSERT INTO validation_item VALUES (?, ?, ?, '2024-06-01', 'DUPUIS M.')",
            [(e, i, (e + i) % 2) for e in ids for i in item_ids],
        )
    start = time.perf_counter()
    result = sacoche_export.export(school.db, None, NOW)
    print(f"export of 55 000 decisions: {time.perf_counter() - start:.3f} s")
    assert result.nb_items == 55_000 and result.nb_eleves == 500
    root = ET.fromstring(result.xml)
    assert [e.get("nom") for e in root.iter("eleve")] == [f"NOM{n:03d}" for n in range(500)]
    assert sum(1 for _ in root.iter("item")) == 55_000


# -- round trip with the reference file ---------------------------------------------------


def fixture_school(a) -> dict[tuple[str, str], int]:
    """Pupils named as in the reference file, in one CM2 class."""
    text = fixture_xml().decode()
    ids = {}
    for nom, prenom in re.findall(r'<eleve id="0" nom="([^"]*)" prenom="([^"]*)"', text):
        nom, prenom = html.unescape(nom), html.unescape(prenom)
        ids[(nom, prenom)] = add_eleve(a, nom, prenom)
    return ids


def test_fixture_round_trip_is_byte_identical(school, clock):
    clock.set(datetime.date(2012, 6, 15))
    ids = fixture_school(school)
    assert len(ids) == 42
    data = FIXTURE_ZIP.read_bytes()
    r = call_as_director(school, "sacoche.import", {"data": data, "filename": FIXTURE_ZIP.name})
    assert r["nb_modifies"] == 42 and r["nb_validations"] == 4024
    assert {e["statut"] for e in r["eleves"]} == {"modifié"}
    louise = ids[("ANDRÉ", "Louise")]
    assert items_of(school, louise)[2112] == (0, "2012-06-15", "DUPUIS M.")
    out = call_as_director(school, "sacoche.export", {})
    assert (out["nb_competences"], out["nb_items"], out["nb_eleves"]) == (103, 3921, 42)
    with zipfile.ZipFile(io.BytesIO(out["data"])) as zf:
        assert zf.read("import_validations.xml") == fixture_xml()
    # importing the same file again changes nothing
    again = call_as_director(school, "sacoche.import", {"data": data})
    assert again["nb_inchanges"] == 42 and again["nb_validations"] == 0
    assert again["message"] == (
        "Import terminé : 0 élève modifié (0 validation), 42 inchangés, 0 ignoré."
    )


# -- import: matching and merging ---------------------------------------------------------


def test_preview_writes_nothing_and_import_applies(school):
    eid = add_eleve(school, "MARTIN", "Jules")
    before = db_hash(school)
    data = xml_doc(eleve_xml())
    p = call_as_director(school, "sacoche.preview", {"data": data, "filename": "x.xml"})
    assert db_hash(school) == before
    assert p["eleves"] == [{"nom": "MARTIN", "prenom": "Jules", "sconet_id": 0, "id": eid,
                            "statut": "modifié", "code": "modifie", "nb": 1}]
    assert p["message"] == (
        "Aperçu de l'import : 1 élève modifié (1 validation), 0 inchangé, 0 ignoré. "
        "Rien n'est encore enregistré."
    )
    r = call_as_director(school, "sacoche.import", {"data": data, "filename": "x.xml"})
    assert r["eleves"] == p["eleves"]
    assert items_of(school, eid) == {2111: (1, "2024-06-10", "DURAND P.")}


def test_merge_rule_only_a_later_date_replaces(school):
    eid = add_eleve(school, "MARTIN", "Jules")
    add_item(school, eid, 2111, 0, "2024-06-10", "ANCIEN")  # same date: kept
    add_item(school, eid, 2112, 0, "2024-06-11", "ANCIEN")  # file is older: kept
    add_item(school, eid, 2113, 0, "2024-06-01", "ANCIEN")  # file is later: replaced
    add_comp(school, eid, 8, 0, "2024-06-01", "ANCIEN")  # file is later: replaced
    body = ('<palier id="2"><competence id="8">'
            "<validation><date>2024-06-02</date><etat>1</etat><info>NEUF</info></validation>"
            + item_xml(2111, "2024-06-10") + item_xml(2112, "2024-06-10")
            + item_xml(2113, "2024-06-10") + item_xml(2114, "2024-06-10")  # 2114 absent: added
            + "</competence></palier>")
    r = call_as_director(school, "sacoche.import", {"data": xml_doc(eleve_xml(body=body))})
    assert r["eleves"][0]["nb"] == 3
    assert items_of(school, eid) == {
        2111: (0, "2024-06-10", "ANCIEN"),
        2112: (0, "2024-06-11", "ANCIEN"),
        2113: (1, "2024-06-10", "DURAND P."),
        2114: (1, "2024-06-10", "DURAND P."),
    }
    comp = school.db.execute("SELECT etat, date, info FROM validation_competence").fetchone()
    assert tuple(comp) == (1, "2024-06-02", "NEUF")


def test_matching_by_sconet_then_by_name(school):
    by_id = add_eleve(school, "AUTRE", "Nom", sconet=555)  # name differs: the id wins
    by_name = add_eleve(school, "Dupont", "marie")  # case and spaces ignored
    add_eleve(school, "DOUBLE", "Jean")
    add_eleve(school, "DOUBLE", "Jean", classe_id=2)
    other_id = add_eleve(school, "BERNARD", "Paul", sconet=777)
    old = add_eleve(school, "PARTI", "Paul", actif=0)  # inactive, but the only match
    add_eleve(school, "RETOUR", "Lou", actif=0)
    back = add_eleve(school, "RETOUR", "Lou")  # the active one is preferred
    data = xml_doc(
        eleve_xml("MARTIN", "Jules", sconet=555),
        eleve_xml("DUPONT ", " Marie", sconet=123),  # unknown id: falls back on the name
        eleve_xml("DOUBLE", "Jean"),
        eleve_xml("BERNARD", "Paul", sconet=888),  # another Sconet id: another child
        eleve_xml("PARTI", "Paul"),
        eleve_xml("RETOUR", "Lou"),
        eleve_xml("DUPONT", "Mariette"),
        eleve_xml("GUERIN", "Léa"),  # accents count: not GUÉRIN
    )
    add_eleve(school, "GUÉRIN", "Léa")
    reports = call_as_director(school, "sacoche.import", {"data": data})["eleves"]
    got = [(r["statut"], r["id"], r.get("raison", "")) for r in reports]
    assert got[0] == ("modifié", by_id, "")
    assert got[1] == ("modifié", by_name, "")
    assert got[2][:2] == ("ignoré", None) and "2 élèves de l'école portent" in got[2][2]
    assert got[3][:2] == ("ignoré", None) and "aucun élève" in got[3][2]
    assert got[4] == ("modifié", old, "")
    assert got[5] == ("modifié", back, "")
    assert got[6][0] == "ignoré" and got[7][0] == "ignoré"
    assert items_of(school, other_id) == {}
    # a file without Sconet id matches by name whatever the school's pupil has
    r = call_as_director(school, "sacoche.import", {"data": xml_doc(eleve_xml("BERNARD", "Paul"))})
    assert r["eleves"][0]["id"] == other_id


def test_same_pupil_twice_in_the_file_is_ignored(school):
    eid = add_eleve(school, "MARTIN", "Jules", sconet=42)
    twice = xml_doc(eleve_xml(), eleve_xml("martin", "JULES"), eleve_xml("LEROY", "Ana"))
    reports = call_as_director(school, "sacoche.import", {"data": twice})["eleves"]
    assert [r["statut"] for r in reports] == ["ignoré", "ignoré", "ignoré"]
    assert "plusieurs fois dans le fichier (positions 1, 2)" in reports[0]["raison"]
    # once by Sconet id and once by name: both land on the same pupil
    both = xml_doc(eleve_xml(sconet=42), eleve_xml("MARTIN", "Jules"))
    reports = call_as_director(school, "sacoche.import", {"data": both})["eleves"]
    assert all("même élève de l'école" in r["raison"] for r in reports)
    assert items_of(school, eid) == {}


def test_ambiguous_sconet_id(school):
    add_eleve(school, "A", "B", sconet=9)
    add_eleve(school, "C", "D", sconet=9)
    r = call_as_director(school, "sacoche.preview", {"data": xml_doc(eleve_xml(sconet=9))})
    assert "2 élèves de l'école ont cet identifiant Sconet" in r["eleves"][0]["raison"]


def test_sacoche_defaults_and_decision_problems(school):
    """Bad decisions tried: etat 7, date 2024-13-45, date 20/06/2024, future date, no date,
    no renseignement, unknown palier 9, compétence 1 (palier 3) under palier 2, item 1
    (palier 1) under compétence 8, item "abc", the same item twice."""
    eid = add_eleve(school, "MARTIN", "Jules")
    body = (
        '<palier id="2"><competence id="8">'
        + item_xml(2111, etat=None, info=None)  # etat missing → 1, info → procedure name
        + item_xml(2112, etat="7")
        + item_xml(2113, date="2024-13-45")
        + item_xml(2114, date="20/06/2024")
        + item_xml(2115, date="2024-06-21")  # tomorrow
        + item_xml(2121, date=None)
        + '<item id="2122"/>'
        + item_xml(1)
        + item_xml("abc")
        + item_xml(2123, date="2024-06-01", etat="0")
        + item_xml(2123, date="2024-06-05", etat="1", info="X" * 40)
        + item_xml(2123, date="2024-06-02", etat="0")
        + "<validation><date>2024-06-01</date><info></info></validation>"
        + '</competence><competence id="1">' + item_xml(2211) + "</competence></palier>"
        + '<palier id="9"><competence id="8">' + item_xml(2111) + "</competence></palier>"
        + "<palier>" + item_xml(2111) + "</palier>"
    )
    r = call_as_director(school, "sacoche.import", {"data": xml_doc(eleve_xml(body=body))})
    report = r["eleves"][0]
    assert report["statut"] == "modifié" and report["nb"] == 3
    assert items_of(school, eid) == {
        2111: (1, "2024-06-10", "Import SACoche"),
        2123: (1, "2024-06-05", "X" * 25),
    }
    comp = school.db.execute("SELECT etat, info FROM validation_competence").fetchone()
    assert tuple(comp) == (1, "Import SACoche")
    warnings = "\n".join(report["avertissements"])
    for expected in (
        "item 2112 : état « 7 » invalide",
        "item 2113 : date « 2024-13-45 » invalide",
        "item 2114 : date « 20/06/2024 » invalide",
        "item 2115 : date 2024-06-21 dans le futur",
        "item 2121 : pas de date",
        "item 2122 : pas de date",
        "item « 1 » inconnu dans la compétence 1 (palier 2)",
        "item « abc » inconnu",
        "item 2123 présent deux fois",
        "compétence « 1 » inconnue au palier 2",
        "palier « 9 » inconnu",
        "palier « sans identifiant » inconnu",
    ):
        assert expected in warnings


@pytest.mark.parametrize(
    "eleve, reason",
    [
        ('<eleve id="-3" nom="MARTIN" prenom="Jules"/>', "identifiant Sconet invalide"),
        ('<eleve id="12ab" nom="MARTIN" prenom="Jules"/>', "identifiant Sconet invalide"),
        ('<eleve id="9999999999999999999" nom="A" prenom="B"/>', "identifiant Sconet invalide"),
        ('<eleve id="0" nom="MARTIN"/>', "nom ou prénom absent"),
        ('<eleve id="0" nom="  " prenom="Jules"/>', "nom ou prénom absent"),
        (f'<eleve id="0" nom="{"A" * 100_000}" prenom="Jules"/>', "plus de 100 caractères"),
    ],
    ids=["negative-id", "letters-in-id", "id-too-big", "no-prenom", "blank-nom", "huge-nom"],
)
def test_pupil_level_problems_skip_the_pupil(school, eleve, reason):
    add_eleve(school, "MARTIN", "Jules")
    data = xml_doc(eleve, eleve_xml("LEROY", "Ana"))
    r = call_as_director(school, "sacoche.preview", {"data": data})
    assert r["eleves"][0]["statut"] == "ignoré"
    assert reason in r["eleves"][0]["raison"]
    assert len(r["eleves"][0]["nom"]) <= 100
    assert r["nb_ignores"] == 2


def test_pupil_without_valid_decision_is_unchanged(school):
    add_eleve(school, "MARTIN", "Jules")
    body = '<palier id="2"><competence id="8">' + item_xml(2111, etat="2") + "</competence></palier>"
    r = call_as_director(school, "sacoche.import", {"data": xml_doc(eleve_xml(body=body))})
    assert r["eleves"][0]["statut"] == "inchangé" and r["eleves"][0]["avertissements"]


# -- import: files refused as a whole -----------------------------------------------------


def _zip_with_lying_size(xml: bytes) -> bytes:
    data = bytearray(zip_of({"import_validations.xml": xml}))
    cd = data.rfind(b"PK\x01\x02")  # central directory: uncompressed size at offset 24
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    data[22:26] = (10).to_bytes(4, "little")  # local header too
    return bytes(data)


def _encrypted_flag_zip() -> bytes:
    """A ZIP whose entry says "encrypted" (zipfile cannot write one: set the flag by hand)."""
    data = bytearray(zip_of({"import_validations.xml": xml_doc(eleve_xml())}))
    data[6] |= 0x1  # local header flags
    data[data.rfind(b"PK\x01\x02") + 8] |= 0x1  # central directory flags
    return bytes(data)


GOOD_XML = xml_doc(eleve_xml())
XXE = (b'<?xml version="1.0"?><!DOCTYPE sacoche [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b"<sacoche><donnees>&x;</donnees></sacoche>")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
          b"<sacoche><donnees>&lol3;</donnees></sacoche>")

BAD_FILES = {
    "empty": (b"", "il est vide"),
    "pdf": (b"%PDF-1.4 ...", "ni une archive ZIP ni un fichier XML"),
    "truncated zip": (zip_of({"import_validations.xml": GOOD_XML})[:40], "endommagée"),
    "dot-dot entry": (zip_of({"../import_validations.xml": GOOD_XML}), "chemin dangereux"),
    "absolute entry": (zip_of({"/etc/import_validations.xml": GOOD_XML}), "chemin dangereux"),
    "windows entry": (zip_of({"C:\\import_validations.xml": GOOD_XML}), "chemin dangereux"),
    "nested zip": (zip_of({"inner.zip": zip_of({"import_validations.xml": GOOD_XML})}),
                   "une autre archive ZIP"),
    "zip bytes as xml": (zip_of({"import_validations.xml": zip_of({"a.xml": GOOD_XML})}),
                         "une autre archive ZIP"),
    "no xml": (zip_of({"lisezmoi.txt": b"bonjour"}), "ne contient pas de fichier"),
    "two xml": (zip_of({"a.xml": GOOD_XML, "b.xml": GOOD_XML}), "ne contient pas de fichier"),
    "two import_validations": (zip_of({"import_validations.xml": GOOD_XML,
                                       "x/import_validations.xml": GOOD_XML}), "plusieurs"),
    "encrypted": (_encrypted_flag_zip(), "mot de passe"),
    "lying size": (_zip_with_lying_size(GOOD_XML), "endommagée"),
    "xxe": (XXE, "DTD"),
    "billion laughs": (LAUGHS, "DTD"),
    "malformed": (b"<sacoche><donnees><eleve></donnees></sacoche>", "mal formé"),
    "not utf-8": (b'<?xml version="1.0" encoding="UTF-8"?><sacoche nom="\xff"/>', "mal formé"),
    "wrong root": (b"<livret><donnees/></livret>", "<livret> au lieu de <sacoche>"),
    "no pupil": (b"<sacoche><donnees/></sacoche>", "aucun élève"),
    "csv": (b"Nom;Prenom\r\nMARTIN;Jules\r\n", "ni une archive ZIP ni un fichier XML"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_is_refused_and_database_unchanged(school, name):
    data, message = BAD_FILES[name]
    eid = add_eleve(school, "MARTIN", "Jules")
    add_item(school, eid, 2111)
    before = db_hash(school)
    for cmd in ("sacoche.preview", "sacoche.import"):
        with pytest.raises(UserError, match=re.escape(message)) as err:
            call_as_director(school, cmd, {"data": data, "filename": "f.zip"})
        assert "Choisissez le fichier" in str(err.value)
    assert db_hash(school) == before


def test_size_limits(school, monkeypatch):
    """Too large: the file itself, the declared size of the entry, the inflated content."""
    monkeypatch.setattr(sacoche_zip, "MAX_BYTES", 1000)
    monkeypatch.setattr(sacoche_zip, "_CHUNK", 100)
    big = xml_doc(*[eleve_xml(f"NOM{n}", "Jules") for n in range(40)])
    with pytest.raises(UserError, match="taille maximale"):
        call_as_director(school, "sacoche.preview", {"data": big})
    with pytest.raises(UserError, match="décompressé dépasse"):
        call_as_director(school, "sacoche.preview", {"data": zip_of({"import_validations.xml": big})})
    # the entry declares 10 bytes: refused while reading, whatever zipfile does with the lie
    lying = _zip_with_lying_size(big)
    with pytest.raises(UserError):
        call_as_director(school, "sacoche.preview", {"data": lying})


def test_inflating_more_than_the_limit_is_stopped(monkeypatch):
    """Even if the entry declares 10 bytes and the unzipper trusted nothing, reading stops at
    MAX_BYTES."""
    monkeypatch.setattr(sacoche_zip, "MAX_BYTES", 1000)
    monkeypatch.setattr(sacoche_zip, "_CHUNK", 100)
    data = zip_of({"import_validations.xml": b"<sacoche>" + b" " * 5000 + b"</sacoche>"})
    real_infolist = zipfile.ZipFile.infolist
    real_init = zipfile.ZipExtFile.__init__

    def lying_infolist(self):
        infos = real_infolist(self)
        for info in infos:
            info.file_size = 10  # what a forged header says
        return infos

    def careless_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self._left = 1 << 40  # an unzipper that does not stop at the declared size

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_infolist)
    monkeypatch.setattr(zipfile.ZipExtFile, "__init__", careless_init)
    monkeypatch.setattr(zipfile.ZipExtFile, "_update_crc", lambda self, data: None)
    with pytest.raises(UserError, match="décompressé dépasse"):
        sacoche_zip.extract_xml(data)
    with pytest.raises(UserError, match="Aucun fichier reçu"):
        sacoche_zip.extract_xml("<sacoche/>")


def test_decisions_unknown_to_the_referentiel_are_not_exported(school):
    eid = add_eleve(school, "MARTIN", "Jules")
    add_item(school, eid, 999_999)
    add_comp(school, eid, 999)
    with pytest.raises(UserError, match="Aucune validation à exporter"):
        call_as_director(school, "sacoche.export", {})
    add_item(school, eid, 2111)
    assert call_as_director(school, "sacoche.export", {})["nb_items"] == 1


def test_bare_xml_with_bom_accepted_zip_needs_the_exact_entry_name(school):
    """As SACoche: a bare XML is read; a ZIP must hold ``import_validations.xml`` at its root.
    Tried: another name, the right name in a folder, another case."""
    eid = add_eleve(school, "MARTIN", "Jules")
    r = call_as_director(school, "sacoche.preview", {"data": b"\xef\xbb\xbf\r\n" + GOOD_XML})
    assert r["eleves"][0]["id"] == eid
    before = db_hash(school)
    for name in ("export/validations.xml", "validations.xml", "export/import_validations.xml",
                 "Import_Validations.XML"):
        for cmd in ("sacoche.preview", "sacoche.import"):
            with pytest.raises(UserError) as err:
                call_as_director(school, cmd, {"data": zip_of({name: GOOD_XML})})
            assert str(err.value).startswith(
                "Ce fichier ne peut pas être importé : l'archive ZIP ne contient pas de fichier "
                f"« import_validations.xml » (elle contient « {name} »). SACoche exige ce nom "
                "exact, à la racine de l'archive")
    assert db_hash(school) == before
    r = call_as_director(school, "sacoche.preview", {"data": zip_of({"import_validations.xml": GOOD_XML})})
    assert r["eleves"][0]["statut"] == "modifié"


@pytest.mark.parametrize("payload", [{}, {"data": "UEsDBA=="}, {"data": None}])
def test_import_without_bytes(school, payload):
    with pytest.raises(UserError, match="Aucun fichier reçu"):
        call_as_director(school, "sacoche.preview", payload)


def test_summary_message_uses_french_singular_for_one():
    from cartable.sacoche.export import Export

    one = Export("f.zip", b"", b"", nb_competences=0, nb_items=1, nb_eleves=1, nb_sans_sconet=0)
    assert one.message == (
        "Fichier d'export généré : 0 validation de compétence et 1 validation d'item "
        "concernant 1 élève."
    )
    many = Export("f.zip", b"", b"", nb_competences=2, nb_items=3, nb_eleves=2, nb_sans_sconet=0)
    assert many.message == (
        "Fichier d'export généré : 2 validations de compétences et 3 validations d'items "
        "concernant 2 élèves."
    )


# -- names cut to 25 characters (SACoche's VARCHAR(25)) -----------------------------------


def test_export_cuts_names_to_25_characters_and_says_so(school):
    long_nom = "DE LA TOUR D'AUVERGNE-LAURAGAIS"  # 31 characters
    eid = add_eleve(school, long_nom.lower(), "marie-charlotte")
    exact = add_eleve(school, "X" * 25, "Exactement")  # 25: not cut
    add_item(school, eid, 2111)
    add_item(school, exact, 2111)
    r = call_as_director(school, "sacoche.export", {})
    xml = r["data"] and sacoche_export.build_xml(school.db, None)[0]
    assert b'nom="DE LA TOUR D\'AUVERGNE-LAU" prenom="Marie-Charlotte"' in xml
    assert r["noms_coupes"] == [{"id": eid, "nom": long_nom.lower(), "prenom": "marie-charlotte",
                                 "nom_fichier": "DE LA TOUR D'AUVERGNE-LAU",
                                 "prenom_fichier": "Marie-Charlotte"}]
    assert r["note_noms_coupes"] == (
        "1 élève a un nom ou un prénom de plus de 25 caractères, la limite de SACoche : il est "
        "écrit coupé dans le fichier, comme SACoche le garde. Vérifiez qu'il figure ainsi sur "
        "la liste du collège : de la tour d'auvergne-lauragais marie-charlotte → DE LA TOUR "
        "D'AUVERGNE-LAU Marie-Charlotte.")


def test_a_cut_name_matches_the_longer_name_only_when_unique(school):
    """Tried: a cut nom (unique), a cut prénom shared by two pupils, a 24-character prefix
    (not SACoche's cut), and a 25-character name equal to a pupil's own 25-character name."""
    tour = add_eleve(school, "DE LA TOUR D'AUVERGNE-LAURAGAIS", "Marie-Charlotte")
    add_eleve(school, "MARTIN", "Anne-Charlotte-Éléonore-Marie")
    add_eleve(school, "MARTIN", "Anne-Charlotte-Éléonore-Marine")
    short = add_eleve(school, "DURAND-DE-LA-FONTAINE-XYZ", "Léo")  # exactly 25
    add_eleve(school, "DURAND-DE-LA-FONTAINE-XYZW", "Léo")  # cut to the same 25
    data = xml_doc(
        eleve_xml("DE LA TOUR D'AUVERGNE-LAU", "Marie-Charlotte"),
        eleve_xml("MARTIN", "Anne-Charlotte-Éléonore-M"),
        eleve_xml("DE LA TOUR D'AUVERGNE-LA", "Marie-Charlotte"),
        eleve_xml("DURAND-DE-LA-FONTAINE-XYZ", "Léo"),
    ).replace(b"D'", b"D&apos;")
    before = db_hash(school)
    reports = call_as_director(school, "sacoche.preview", {"data": data})["eleves"]
    assert db_hash(school) == before
    assert reports[0]["id"] == tour and reports[0]["statut"] == "modifié"
    assert reports[0]["note"].startswith(
        "nom coupé à 25 caractères par SACoche : reconnu comme DE LA TOUR D'AUVERGNE-LAURAGAIS "
        "Marie-Charlotte")
    assert reports[1]["statut"] == "ignoré" and reports[1]["raison"] == (
        "2 élèves de l'école ont ce nom et ce prénom (ou un nom plus long que SACoche coupe "
        "ainsi à 25 caractères) : impossible de savoir lequel")
    assert reports[2]["raison"] == "aucun élève de l'école ne porte ce nom et ce prénom"
    # the pupil whose own name is these 25 characters, and the one cut to them: homonyms
    assert reports[3]["statut"] == "ignoré" and "2 élèves" in reports[3]["raison"]
    assert short not in [r["id"] for r in reports]


def test_info_is_decoded_a_second_time_as_sacoche_does(school):
    eid = add_eleve(school, "MARTIN", "Jules")
    body = ('<palier id="2"><competence id="8">'
            + item_xml(2111, info="A &amp;amp; B") + item_xml(2112, info="&amp;lt;b&amp;gt;")
            + item_xml(2113, info="L&amp;#039;ÉCOLE") + "</competence></palier>")
    call_as_director(school, "sacoche.import", {"data": xml_doc(eleve_xml(body=body))})
    assert {k: v[2] for k, v in items_of(school, eid).items()} == {
        2111: "A & B", 2112: "<b>", 2113: "L&#039;ÉCOLE"}  # ENT_COMPAT: &#039; stays


def test_a_name_cut_just_after_a_space_is_written_as_sacoche_holds_it_and_read_back(school):
    eid = add_eleve(school, "ABCDEFGHIJKLMNOPQRSTUVWX YZ", "Léo")  # 25th character: a space
    add_item(school, eid, 2111)
    xml = sacoche_export.build_xml(school.db, None)[0]
    assert b'nom="ABCDEFGHIJKLMNOPQRSTUVWX " prenom="L\xc3\xa9o"' in xml
    school.db.execute("DELETE FROM validation_item")
    r = call_as_director(school, "sacoche.import", {"data": xml})
    assert r["eleves"][0]["id"] == eid
    assert r["eleves"][0]["nom_ecole"] == "ABCDEFGHIJKLMNOPQRSTUVWX YZ"
    assert items_of(school, eid) == {2111: (1, "2024-06-01", "DUPUIS M.")}
