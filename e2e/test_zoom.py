"""At 200 % zoom on the common 1366×768 school laptop (a 683×384 CSS-pixel viewport at device
scale 2), every screen stays usable: nothing overflows the page sideways (wide tables scroll
inside their own box), and the grid keeps working. A screenshot of each screen goes to
``e2e/artifacts/zoom-200-*.png``."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from grid_helpers import grid_cells, open_competence_1
from school_helpers import csv_school, login
from zoom_helpers import assert_fits, zoomed_context

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
CSV = "\r\n".join(['"Nom Elève";"Prénom Elève";"Niveau";"Classe"'] +
                  [f'"ELEVE{i:02d}";"Prénom{i:02d}";"CM2";"CM2 A"' for i in range(12)] +
                  [f'"BILAN{i:02d}";"Prénom{i:02d}";"CE2";"CE2 A"' for i in range(6)]) + "\r\n"
SCREENS = ["accueil", "niveaux", "paliers", "import", "professeurs", "affectations", "items",
           "competences", "bilan", "periodes", "livret", "attestation", "echanges", "lsu", "fichier", "reglages",
           "compte"]


@pytest.fixture
def context(browser):
    context = zoomed_context(browser)
    yield context
    context.close()


def test_every_screen_fits_at_200_percent_zoom(page, e2e):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    # The first screen: its two ways (open a school file, create the school) one above the other.
    opening = page.locator(".premiere-ouverture-fichier")
    expect(opening).to_be_visible()
    expect(page.locator(".voie-creation")).to_be_visible()
    assert_fits(page, "first screen")
    a, b = opening.bounding_box(), page.locator(".voie-creation").bounding_box()
    assert a["y"] + a["height"] <= b["y"], (a, b)
    e2e.screenshot(page, "zoom-200-premier-ecran")
    csv_school(page, CSV, PASSWORD)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, "direction", PASSWORD)
    for name in SCREENS:
        page.click(f'nav.menu button[data-vue="{name}"]')
        expect(page.locator(f".vue-{name} h2")).to_be_visible()
        page.wait_for_timeout(100)  # screens that load data fill in
        assert_fits(page, name)
        e2e.screenshot(page, f"zoom-200-{name}")

    # The grid: wide, so it scrolls in its own box; a click still validates.
    open_competence_1(page)
    assert_fits(page, "grid")
    cell = page.locator("#grille-validations td.case-grille").first
    cell.scroll_into_view_if_needed()
    cell.click()
    assert list(grid_cells(page).values()) == [1]
    e2e.screenshot(page, "zoom-200-grille")

    # The bilan de fin de cycle 2 grid (8 composantes and the synthèses): its own box scrolls.
    page.once("dialog", lambda d: d.accept())  # leave the validation grid without saving
    page.click('nav.menu button[data-vue="bilan"]')
    page.click('button[data-classe]')
    expect(page.locator("#grille-bilan")).to_be_visible()
    assert_fits(page, "bilan grid")
    cell = page.locator("#grille-bilan td.case-bilan").first
    cell.scroll_into_view_if_needed()
    cell.click()
    expect(cell).to_have_attribute("data-position", "1")
    e2e.screenshot(page, "zoom-200-bilan")

    # The screen's one message, at the bottom of a long form: in the window, closable.
    page.once("dialog", lambda d: d.accept())  # leave the bilan grid without saving
    page.click('nav.menu button[data-vue="reglages"]')
    uai = page.get_by_label("Numéro UAI (facultatif, nécessaire pour LSU)")
    uai.fill("0441234X")
    uai.press("Enter")
    expect(page.locator(".messages .alerte.erreur")).to_contain_text("la lettre serait C")
    director = page.locator("#identite-directeur")
    director.get_by_label("Civilité").select_option("M")
    director.get_by_role("button", name="Enregistrer").scroll_into_view_if_needed()
    director.get_by_role("button", name="Enregistrer").click()
    box = page.locator(".messages .alerte")
    expect(box).to_have_count(1)
    expect(box).to_contain_text("L'identité du directeur ou de la directrice est enregistrée")
    assert box.evaluate("b => { const r = b.getBoundingClientRect(); "
                        "return r.top >= 0 && r.bottom <= innerHeight; }"), "message out of sight"
    assert_fits(page, "réglages")
    page.screenshot(path=str(e2e.screenshot(page, "zoom-200-message").with_name(
        "zoom-200-message-fenetre.png")))
    box.get_by_role("button", name="Fermer").click()
    expect(box).to_have_count(0)
