"""The LSU screen's missing pieces (issues 16 and 18), at 1366×768 in Chromium:

- the director imports a file of bilans périodiques in which one INE carries another name: the
  pupil is listed « à confirmer » with both names and the reason; imported unchecked, his bilan
  is not (the report says so); checked, it is;
- a period's export with « Ajouter les bilans de fin de cycle »: the pre-flight of both, and the
  downloaded XML carries both kinds;
- a teacher reaches the LSU screen from the menu, sees the export of her own classes only (no
  import), and downloads their bilans.

Each new state is audited with axe-core (no WCAG 2.1 A/AA violation) and shown at 200 % zoom.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers import call
from lsu_helpers import FIXTURE_PERIODS, LIVRET_XML, LSU_XML, bilans_of, periodic_of
from school_helpers import built_once, onde_school, open_stored
from test_axe import Audit

from cartable.lsu import lsu_schema

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD, TEACHER = "Directrice-2026", ("cla.lucas", "Maitresse-2026")
TIMEOUT = 90_000
MAEL = "4400000000A"  # MERCIER Maël (CP): the file names him MARTIN Paul
RENAMED = LIVRET_XML.read_bytes().replace('nom="MERCIER" prenom="Maël"'.encode(),
                                          b'nom="MARTIN" prenom="Paul"', 1)
PERIOD = "Bilans périodiques : Trimestre 1 2025-2026"


def make_school(path: Path) -> bytes:
    """The ONDE school with the example's periods and its six bilans de fin de cycle 2, and Mme
    LUCAS, professeur principal of both parts of CE2-CM1 (real hashes: the browser refuses a
    school file whose hashes use another count)."""
    return onde_school(path, PASSWORD, then=_bilans_and_teacher)


def _bilans_and_teacher(a, d) -> None:
    call(a, "periodes.set", {"periodes": [p.split(":") for p in FIXTURE_PERIODS]}, d)
    assert call(a, "lsu.import", {"data": LSU_XML.read_bytes()}, d)["nb_importes"] == 6
    prof = call(a, "professeurs.create", {"nom": "Lucas", "prenom": "Claire", "civilite": "MME",
                                          "login": TEACHER[0], "password": TEACHER[1]}, d)
    for c in call(a, "classes.list", {}, d):
        if "CE2-CM1 Mme LUCAS" in c["nom"]:
            call(a, "affectations.set", {"professeur_id": prof["id"], "classe_id": c["id"],
                                         "affecte": True}, d)
            call(a, "affectations.set_principal", {"classe_id": c["id"],
                                                   "professeur_id": prof["id"]}, d)


@pytest.fixture(scope="module")
def school_bytes(tmp_path_factory) -> bytes:
    return built_once(tmp_path_factory, "lsu-screen", make_school)


def login(page, user, password):
    page.get_by_label("Identifiant").fill(user)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.click('nav.menu button[data-vue="lsu"]')
    expect(page.locator(".vue-lsu h2")).to_be_visible()


def at_200_percent(page, e2e, name: str) -> None:
    page.set_viewport_size({"width": 683, "height": 384})
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    e2e.screenshot(page, name)
    page.set_viewport_size({"width": 1366, "height": 768})


def analyse(page, path: Path):
    page.locator(".vue-lsu input[type=file]").set_input_files(str(path))
    page.click("#analyser-lsu")
    expect(page.locator("#rapport-import-lsu tbody tr")).to_have_count(5)


def result_of(page, name: str):
    return page.locator("#rapport-import-lsu tbody tr", has_text=name).locator("td").last


def import_with_a_differing_name(page, e2e, audit, path: Path):
    analyse(page, path)
    pending = page.locator("#liste-a-confirmer tbody tr")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("MERCIER Maël")
    expect(pending).to_contain_text("MARTIN Paul")
    expect(pending).to_contain_text("le fichier nomme l'élève de cet INE « MARTIN Paul »")
    expect(pending).to_contain_text("bilan périodique (Trimestre 1 2025-2026)")
    expect(page.locator(".a-confirmer-lsu h4")).to_have_text("1 élève à confirmer")
    box = pending.locator("input[type=checkbox]")
    expect(box).not_to_be_checked()
    pending.scroll_into_view_if_needed()
    e2e.screenshot(page, "lsu-screen-01-a-confirmer")
    audit("lsu: élèves à confirmer")
    at_200_percent(page, e2e, "lsu-screen-01-a-confirmer-zoom-200")
    # Another file chosen: the first file's report and « Importer ces bilans » go (the button
    # imported the file analysed before, whatever the picker showed).
    other = path.with_name("autre-" + path.name)
    other.write_bytes(path.read_bytes())
    page.locator(".vue-lsu input[type=file]").set_input_files(str(other))
    expect(page.locator("#rapport-import-lsu")).to_have_count(0)
    expect(page.locator("#liste-a-confirmer")).to_have_count(0)
    expect(page.locator("#confirmer-import-lsu")).to_be_hidden()
    analyse(page, path)

    page.click("#confirmer-import-lsu")  # unchecked: not imported
    expect(page.locator(".message-import-lsu")).to_contain_text(
        "Bilans périodiques importés : 4 ajoutés, 0 remplacé ; 0 inchangé, 0 ignoré (élève "
        "inconnu de l'école) ; 1 bilan à confirmer (noms différents de ceux de l'école), non "
        "importé.")
    expect(result_of(page, "MERCIER")).to_contain_text("à confirmer — le fichier nomme")
    expect(page.locator("#liste-a-confirmer")).to_have_count(0)
    e2e.screenshot(page, "lsu-screen-02-non-confirme")

    analyse(page, path)  # again: Maël's bilan is still not there; this time checked
    expect(result_of(page, "LEGRAND")).to_contain_text("inchangé")
    page.locator("#liste-a-confirmer input[type=checkbox]").check()
    page.click("#confirmer-import-lsu")
    expect(page.locator(".message-import-lsu")).to_contain_text(
        "Bilans périodiques importés : 1 ajouté, 0 remplacé ; 4 inchangés")
    expect(result_of(page, "MERCIER")).to_have_text("ajouté")
    expect(page.locator(".messages .alerte.succes").last).to_contain_text(
        "Noms confirmés : 1 élève.")
    e2e.screenshot(page, "lsu-screen-03-confirme")


def export_both_kinds(page, e2e, audit) -> bytes:
    cycle = page.locator("#avec-bilans-cycle")
    expect(cycle).to_be_hidden()  # bilans de fin de cycle chosen: nothing to add
    page.select_option("#lsu-bilans", label=PERIOD)
    expect(cycle).to_be_visible()
    preflight = page.locator("#preflight-lsu")
    expect(preflight).to_contain_text("5 bilans complets seront exportés")
    expect(page.locator("#liste-preflight-cycle")).to_have_count(0)
    cycle.check()
    expect(preflight).to_contain_text("Bilans périodiques : 5 bilans complets seront exportés")
    expect(preflight).to_contain_text("Bilans de fin de cycle 2 : 6 bilans complets seront "
                                      "exportés")
    e2e.screenshot(page, "lsu-screen-04-export-deux-bilans")
    audit("lsu: bilans périodiques et de fin de cycle")
    at_200_percent(page, e2e, "lsu-screen-04-export-deux-bilans-zoom-200")
    with page.expect_download() as download:
        page.click("#exporter-lsu")
    expect(page.locator(".messages .alerte.succes").last).to_contain_text(
        "5 bilans périodiques (trimestre 1 2025-2026) et 6 bilans de fin de cycle 2")
    return Path(download.value.path()).read_bytes()


def test_confirm_names_then_export_both_kinds_then_a_teachers_export(page, e2e, school_bytes,
                                                                    tmp_path):
    open_stored(page, e2e, school_bytes, TIMEOUT)
    audit = Audit(page)
    login(page, "direction", PASSWORD)
    path = tmp_path / "bilans-periodiques.xml"
    path.write_bytes(RENAMED)
    import_with_a_differing_name(page, e2e, audit, path)

    data = export_both_kinds(page, e2e, audit)
    assert lsu_schema.errors(data) == []
    assert periodic_of(data) == periodic_of(LIVRET_XML.read_bytes())  # Maël's too, as ours
    assert MAEL in periodic_of(data)
    assert bilans_of(data) == bilans_of(LSU_XML.read_bytes())
    page.click("#deconnexion")

    expect(page.locator(".ecran-connexion h2")).to_be_visible()
    login(page, *TEACHER)
    expect(page.locator(".vue-lsu h2")).to_have_text(
        "Export vers le Livret Scolaire Unique (LSU)")
    expect(page.locator("#analyser-lsu")).to_have_count(0)  # the import is the director's
    page.select_option("#lsu-bilans", label=PERIOD)
    classes = page.locator(".bloc-export-lsu fieldset input[type=checkbox]")
    expect(classes).to_have_count(2)
    assert sorted(page.locator(".bloc-export-lsu fieldset label").all_inner_texts()) == [
        "[CE2] CE2-CM1 Mme LUCAS (1 bilan sur 12 élèves)",
        "[CM1] CE2-CM1 Mme LUCAS (1 bilan sur 11 élèves)"]
    page.locator("#avec-bilans-cycle").check()
    expect(page.locator("#preflight-lsu")).to_contain_text(
        "Bilans de fin de cycle 2 : 6 bilans complets seront exportés")
    e2e.screenshot(page, "lsu-screen-05-professeur")
    audit("professeur/lsu: export de ses classes")
    at_200_percent(page, e2e, "lsu-screen-05-professeur-zoom-200")
    with page.expect_download() as download:
        page.click("#exporter-lsu")
    mine = Path(download.value.path()).read_bytes()
    assert lsu_schema.errors(mine) == []
    assert sorted(periodic_of(mine)) == ["4400069897A", "4400082053N"]  # NICOLAS, LAURENT
    assert bilans_of(mine) == bilans_of(LSU_XML.read_bytes())
    assert not audit.found, audit.report()
