"""The livret scolaire at 200 % zoom on the 1366×768 laptop (a 683×384 CSS-pixel viewport at
device scale 2): the periods' form, the positionnement table and the pupil's fiche stack, nothing
overflows the page sideways, a click still positions, a fiche's text still goes to the core.
Screenshots ``e2e/artifacts/zoom-200-livret-*.png``."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from school_helpers import csv_school, login
from zoom_helpers import assert_fits, zoomed_context

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
CSV = "\r\n".join(['"Nom Elève";"Prénom Elève";"Niveau";"Classe"'] +
                  [f'"ELEVE{i:02d}";"Prénom{i:02d}";"CM1";"CM1 A"' for i in range(12)]) + "\r\n"


@pytest.fixture
def context(browser):
    context = zoomed_context(browser)
    yield context
    context.close()


def test_livret_at_200_percent_zoom(page, e2e):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    csv_school(page, CSV, PASSWORD)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, "direction", PASSWORD)
    page.click('nav.menu button[data-vue="periodes"]')
    expect(page.locator("#periode-3-fin")).to_be_visible()
    assert_fits(page, "periods")
    e2e.screenshot(page, "zoom-200-livret-periodes")
    page.click("#enregistrer-periodes")
    expect(page.locator(".messages .alerte.succes")).to_contain_text("3 périodes")

    page.click('nav.menu button[data-vue="livret"]')
    page.click("#ouvrir-livret")
    expect(page.locator("#grille-livret")).to_be_visible()
    assert_fits(page, "livret")
    cell = page.locator("#grille-livret td.case-livret").first
    cell.scroll_into_view_if_needed()
    cell.click()
    expect(cell).to_have_attribute("data-position", "1")
    e2e.screenshot(page, "zoom-200-livret-grille")
    area = page.locator("#fiche-livret #appreciation-generale")
    area.scroll_into_view_if_needed()
    area.fill("Un trimestre sérieux.")
    area.press("Tab")
    expect(page.locator("#etat-livret")).to_contain_text("1 élève modifié non enregistré")
    assert_fits(page, "fiche")
    e2e.screenshot(page, "zoom-200-livret-fiche")
    page.click("#onglet-elements")
    expect(page.locator("#elements-classe")).to_be_visible()
    assert_fits(page, "éléments")
    e2e.screenshot(page, "zoom-200-livret-elements")
