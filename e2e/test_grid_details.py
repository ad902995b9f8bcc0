"""Issue 17, point 17 at 1366×768 with a 30-pupil class: the menu unfolded over the item grid
hides no pupil; « verrouillé » never covers a cell's ✓ nor its percentage; printed, the grid
repeats its header row on every page (thead as a table-header-group, nothing sticky, a header
short enough for browsers to repeat it). Screenshots: ``e2e/artifacts/details-*.png``."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from grid_helpers import settle
from test_grid import login
from test_grid_fit import MEASURE, PASSWORD, TEACHER, TIMEOUT, prepare

# Every header cell of the grid, printed: its position and the thead's display and height.
PRINTED = """() => {
  const t = document.querySelector('#grille-validations');
  const all = [t, ...t.querySelectorAll('thead, tbody, tr, th, td'), ...document.querySelectorAll(
    '.grille-defilement, .vue, main, .corps, #app')];
  return {
    thead: getComputedStyle(t.tHead).display,
    sticky: all.filter((n) => getComputedStyle(n).position === 'sticky').length,
    overflow: getComputedStyle(document.querySelector('.grille-defilement')).overflow,
    flexAncestors: all.filter((n) => !t.contains(n) && getComputedStyle(n).display.includes('flex')).length,
    theadHeight: t.tHead.getBoundingClientRect().height,
    rows: t.tBodies.length ? t.querySelectorAll('tbody tr').length : 0,
  };
}"""

# For each locked cell: does « verrouillé » overlap the ✓ / ✗ or the percentage's text?
OVERLAPS = """() => {
  const box = (n) => { const r = document.createRange(); r.selectNodeContents(n); return r.getBoundingClientRect(); };
  const meet = (a, b) => a.width && b.width && a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const inside = (a, c) => a.left >= c.left - 1 && a.right <= c.right + 1 && a.top >= c.top - 1 && a.bottom <= c.bottom + 1;
  return [...document.querySelectorAll('td.case-grille.verrouille')].map((td) => {
    const lock = box(td.querySelector('.verrou'));
    const sym = box(td.querySelector('.symbole'));
    const part = td.querySelector('.part');
    const cell = td.getBoundingClientRect();
    const r = (b) => [b.left, b.top, b.right, b.bottom].map(Math.round).join(",");
    return {sym: meet(lock, sym), part: part ? meet(lock, box(part)) : false,
            at: `cell ${r(cell)} lock ${r(lock)} sym ${r(sym)} part ${part ? r(box(part)) : ""}`,
            inside: inside(lock, cell) && inside(sym, cell) && (!part || inside(box(part), cell)),
            hasPart: !!part};
  });
}"""


def _items_grid(page):
    page.click('nav.menu button[data-vue="items"]')
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    page.check('.liste-competences input[data-ref="1"]')
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    settle(page)


def test_menu_over_the_grid_hides_no_pupil_and_print_repeats_the_header(page, e2e):
    artifacts = e2e.screenshot(page, "details-start").parent
    prepare(page, e2e)
    login(page, "direction", PASSWORD)
    _items_grid(page)
    page.click("#deplier-menu")
    expect(page.locator("nav.menu")).to_be_visible()
    m = page.evaluate(MEASURE)
    assert m["columns"] == 30 and m["menuShown"]
    assert m["pageScrollWidth"] <= m["viewport"], "the page scrolls sideways"
    assert m["boxScroll"] <= 0, f"the grid box scrolls sideways by {m['boxScroll']} px"
    assert max(m["rights"]) <= min(m["viewport"], m["boxRight"]), m["rights"][-3:]
    menu = page.locator("nav.menu").bounding_box()
    first = page.locator("#grille-validations th.eleve").first.bounding_box()
    assert menu["y"] + menu["height"] <= first["y"], "the menu covers the grid"
    expect(page.locator('nav.menu button[data-vue="lsu"]')).to_be_visible()
    page.screenshot(path=str(artifacts / "details-menu-deplie-1366x768.png"))
    page.click("#deplier-menu")
    expect(page.locator("nav.menu")).to_be_hidden()

    # Printed: the header row repeats on every page.
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    assert printed["thead"] == "table-header-group", printed
    assert printed["sticky"] == 0, printed
    assert printed["overflow"] == "visible" and printed["flexAncestors"] == 0, printed
    # Firefox repeats a header only when it is at most a quarter of the page: A4 landscape is
    # 210 mm high (794 px), less its margins.
    assert printed["theadHeight"] < 794 / 4 - 40, printed
    page.screenshot(path=str(artifacts / "details-impression.png"), full_page=True)
    pdf = page.pdf(landscape=True, format="A4", print_background=True)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") + pdf.count(b"/Type/Page") >= 1
    page.emulate_media(media="screen")


def test_verrouille_never_covers_the_check_nor_the_percentage(page, e2e):
    artifacts = e2e.screenshot(page, "details-start").parent
    prepare(page, e2e)
    login(page, "direction", PASSWORD)
    # Every item of compétence 1 validated: the compétence's cells show « 100 % », the widest.
    _items_grid(page)
    for d in page.locator("#grille-validations tbody.domaine").evaluate_all(
            "ns => ns.map(n => n.dataset.domaine)"):
        page.click(f'button[data-fleche="domaine:{d}"]')
        settle(page)
    page.click("#enregistrer-validations")
    expect(page.locator("#etat-brouillon")).to_contain_text(
        "Toutes les modifications sont enregistrées", timeout=TIMEOUT)
    page.click("#deplier-menu")
    page.click('nav.menu button[data-vue="competences"]')
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    row = page.locator("#grille-validations tbody.domaine tr[data-row]").first.get_attribute("data-row")
    page.click(f'button[data-fleche="row:{row}"]')
    settle(page)
    page.click("#enregistrer-validations")
    page.locator("#confirmer-verrouillage #dialogue-confirmer").click()
    expect(page.locator("#etat-brouillon")).to_contain_text(
        "Toutes les modifications sont enregistrées", timeout=TIMEOUT)
    page.click("#deconnexion")
    login(page, TEACHER["login"], TEACHER["password"])
    page.click('nav.menu button[data-vue="competences"]')
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    settle(page)
    cells = page.evaluate(OVERLAPS)
    assert len(cells) == 30
    assert sum(c["hasPart"] for c in cells) == 30, "each locked cell shows its percentage"
    assert page.locator("td.case-grille.verrouille .part", has_text="100").count() == 30
    assert not [c for c in cells if c["sym"] or c["part"] or not c["inside"]], [
        c["at"] for c in cells[:3]]
    page.locator("td.case-grille.verrouille").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "details-verrouille-1366x768.png"))
    cell = page.locator("td.case-grille.verrouille").first
    cell.screenshot(path=str(artifacts / "details-verrouille-case.png"))
