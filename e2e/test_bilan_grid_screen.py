"""The bilan de fin de cycle 2 screen as solid as the item grid (issue 17, points 5-9), clicked
through at 1366×768 in the built app (file://):

- two pupils changed before saving: no error, the counter counts the 12 pupils shown (point 5);
- a composante arrow says what its next click does to saved bilans, says what it did, and
  « Annuler » / Ctrl+Z take clicks and arrows back (point 6);
- the 8 composantes and the synthèse fit the window, the side menu folds; usable at 200 % (7);
- « Imprimer les bilans (familles) » prints the complete bilans unless asked for all, nothing
  beyond the page's right edge (8);
- the LSU pre-flight list is refreshed by an LSU import (9);
- leaving right after typing a synthèse (its reply not back yet) still asks first.

Screenshots: ``e2e/artifacts/bilan-*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from school_helpers import DIRECTOR, TEACHER, login, school_with_teacher
from zoom_helpers import assert_fits, zoomed_context

expect = pytest.importorskip("playwright.sync_api").expect

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60_000
CE2 = "[CE2] CE2-CM1 Mme LUCAS"
CODES = ["CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND"]
LAPTOP = {"width": 1366, "height": 768}
ARTIFACTS = ROOT / "e2e" / "artifacts"

# Everything in the grid's box is reachable without sideways scrolling, and inside the window.
FITS = """() => {
  const wrap = document.querySelector(".grille-defilement");
  const box = wrap.getBoundingClientRect();
  const cols = [...document.querySelectorAll("#grille-bilan th.composante, #grille-bilan th.entete-synthese")];
  const areas = [...document.querySelectorAll("#grille-bilan textarea.synthese")];
  const cut = cols.filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent);
  return {scroll: wrap.scrollWidth - wrap.clientWidth, cols: cols.length, cut,
          outside: [...cols, ...areas].filter((n) => {
            const r = n.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1 || r.right > innerWidth;
          }).map((n) => n.textContent || n.getAttribute("aria-label")),
          page: document.scrollingElement.scrollWidth - innerWidth};
}"""


@pytest.fixture
def context(browser):
    context = browser.new_context(offline=True, accept_downloads=True, viewport=LAPTOP)
    yield context
    context.close()


@pytest.fixture
def errors(page):
    """Uncaught errors of the page, collected for the test to assert none."""
    seen: list[str] = []
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def prepare(page, e2e):
    assert school_with_teacher(page, e2e, CE2, uai="0441234C", civilite="MME") == 12


def open_grid(page) -> list[tuple[str, str]]:
    """The teacher's CE2 grid; its pupils [(eleve_id, name)] in the order shown."""
    page.click('nav.menu button[data-vue="bilan"]')
    page.get_by_role("button", name=re.compile(re.escape(CE2))).click()
    expect(page.locator("#grille-bilan")).to_be_visible(timeout=TIMEOUT)
    rows = page.locator("#grille-bilan tbody tr")
    return [(r.get_attribute("data-eleve"), r.locator(".nom-ligne").inner_text())
            for r in rows.all()]


def settle(page):
    expect(page.locator("#grille-bilan")).not_to_have_class(re.compile("en-cours"), timeout=TIMEOUT)


def no_error(page, errors):
    if page.locator("#grille-bilan").count():
        settle(page)
    expect(page.locator(".alerte.erreur")).to_have_count(0)
    assert errors == []


def status(page, text):
    expect(page.locator("#etat-bilan")).to_have_text(text, timeout=TIMEOUT)


def arrow(page, key):
    return page.locator(f'#grille-bilan button[data-fleche="{key}"]')


def cell(page, eid, code):
    return page.locator(f'#grille-bilan td[data-key="{eid}:{code}"]')


def synthese(page, eid, text):
    area = page.locator(f'textarea.synthese[data-eleve="{eid}"]')
    area.fill(text)
    area.press("Tab")  # change: sent to the core


def complete(page, eid, clicks=3):
    """A whole bilan for one pupil: his arrow ``clicks`` times (position ``clicks``), a synthèse."""
    for _ in range(clicks):
        arrow(page, f"eleve:{eid}").click()
    synthese(page, eid, "Élève investi, qui progresse bien.")


def save(page, text):
    page.click("#enregistrer-bilans")
    expect(page.locator(".messages .alerte.succes").last).to_contain_text(text, timeout=TIMEOUT)


def positions(page, eid):
    return [cell(page, eid, c).get_attribute("data-position") for c in CODES]


def test_two_pupils_changed_before_saving_and_the_counts(page, e2e, errors):
    prepare(page, e2e)
    login(page, *TEACHER)
    pupils = open_grid(page)
    assert len(pupils) == 12
    status(page, "Tout est enregistré. Bilans complets : 0 sur 12.")
    (a, _), (b, _), (c, _) = pupils[:3]
    synthese(page, a, "Première synthèse.")  # a synthèse, then a second pupil: the old error
    cell(page, b, "CPD_FRA").click()
    synthese(page, b, "Deuxième synthèse.")
    complete(page, a)
    no_error(page, errors)
    status(page, "2 élèves modifiés non enregistrés. Bilans complets : 1 sur 12.")
    complete(page, c, clicks=2)
    synthese(page, a, "Première synthèse, reprise.")
    no_error(page, errors)
    status(page, "3 élèves modifiés non enregistrés. Bilans complets : 2 sur 12.")
    expect(page.locator(f'tr[data-eleve="{a}"] .etat-bilan')).to_have_text("complet, non enregistré")
    expect(page.locator(f'tr[data-eleve="{b}"] .etat-bilan')).to_have_text("1 / 8, non enregistré")
    save(page, "Bilans enregistrés : 3 élèves.")
    status(page, "Tout est enregistré. Bilans complets : 2 sur 12.")
    no_error(page, errors)
    e2e.screenshot(page, "bilan-05-deux-eleves")


def test_a_composante_arrow_says_what_it_does_and_is_undone(page, e2e, errors):
    prepare(page, e2e)
    login(page, *TEACHER)
    pupils = open_grid(page)
    (a, name_a), (b, _), (c, _) = pupils[:3]
    complete(page, a)
    complete(page, b)
    save(page, "Bilans enregistrés : 2 élèves.")
    rep = arrow(page, "composante:REP_MND")
    expect(rep).to_have_attribute("title", "Tout mettre à 1 (Maîtrise insuffisante) : la "
                                  "composante « Représentations du monde » de toute la classe "
                                  "(12 cases changent, dont 2 bilans déjà enregistrés)")
    expect(rep.locator(".prochain")).to_have_text("1")
    expect(page.locator("#annuler-bilan")).to_be_disabled()
    rep.click()
    settle(page)
    info = page.locator(".messages .alerte.information").last
    expect(info).to_contain_text("La composante « Représentations du monde » est mise à "
                                 "« Maîtrise insuffisante » : 2 bilans déjà enregistrés sont "
                                 "modifiés (rien n'est encore enregistré).")
    assert {cell(page, e, "REP_MND").get_attribute("data-position") for e, _ in pupils} == {"1"}
    expect(rep.locator(".prochain")).to_have_text("2")
    expect(rep).to_have_attribute("title", re.compile(r"^Tout mettre à 2 \(Maîtrise fragile\).*"
                                                      r"\(12 cases changent, dont 2 bilans"))
    expect(page.locator("#annuler-bilan")).to_have_attribute(
        "aria-label", "Annuler : Tout mettre à 1 (Maîtrise insuffisante) : la composante "
        "« Représentations du monde » de toute la classe (Ctrl+Z)")
    status(page, "12 élèves modifiés non enregistrés. Bilans complets : 2 sur 12.")
    e2e.screenshot(page, "bilan-06-fleche-composante")
    page.locator(f'tr[data-eleve="{c}"] th').click()  # the focus in the page, not in a text box
    page.keyboard.press("Control+z")
    settle(page)
    status(page, "Tout est enregistré. Bilans complets : 2 sur 12.")
    assert positions(page, a) == ["3"] * 8 and positions(page, c) == [""] * 8
    expect(rep.locator(".prochain")).to_have_text("1")
    cell(page, c, "CPD_FRA").click()  # two clicks on a cell, then the button: one step back
    cell(page, c, "CPD_FRA").click()
    settle(page)
    assert cell(page, c, "CPD_FRA").get_attribute("data-position") == "2"
    expect(page.locator("#annuler-bilan")).to_have_attribute(
        "title", re.compile(r"^Annuler : clic sur la case de .+, « Langue française »$"))
    page.click("#annuler-bilan")
    settle(page)
    assert cell(page, c, "CPD_FRA").get_attribute("data-position") == "1"
    page.click("#annuler-bilan")
    settle(page)
    assert cell(page, c, "CPD_FRA").get_attribute("data-position") == ""
    expect(page.locator("#annuler-bilan")).to_be_disabled()
    status(page, "Tout est enregistré. Bilans complets : 2 sur 12.")
    assert name_a
    no_error(page, errors)
    e2e.screenshot(page, "bilan-06-annule")


def test_the_grid_fits_the_laptop_and_the_menu_folds(page, e2e, errors, browser):
    prepare(page, e2e)
    login(page, *TEACHER)
    pupils = open_grid(page)
    complete(page, pupils[0][0])
    settle(page)
    fit = page.evaluate(FITS)
    assert fit == {"scroll": 0, "cols": 9, "cut": [], "outside": [], "page": 0}, fit
    expect(page.locator("nav.menu")).to_be_hidden()
    e2e.screenshot(page, "bilan-07-1366")
    page.click("#deplier-menu")
    expect(page.locator("nav.menu")).to_be_visible()
    expect(page.locator("#deplier-menu")).to_have_attribute("aria-expanded", "true")
    e2e.screenshot(page, "bilan-07-menu-deplie")
    page.click("#deplier-menu")
    expect(page.locator("nav.menu")).to_be_hidden()
    no_error(page, errors)


def test_the_grid_is_usable_at_200_percent(browser, dist, e2e):
    context = zoomed_context(browser)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        e2e.open_app(page)
        prepare(page, e2e)
        login(page, *TEACHER)
        pupils = open_grid(page)
        eid = pupils[-1][0]
        assert_fits(page, "bilan grid")
        target = cell(page, eid, "REP_MND")  # the last column: the grid scrolls in its box
        target.scroll_into_view_if_needed()
        target.click()
        settle(page)
        assert target.get_attribute("data-position") == "1"
        synthese(page, eid, "Écrite à 200 %.")
        settle(page)
        status(page, "1 élève modifié non enregistré. Bilans complets : 0 sur 12.")
        assert_fits(page, "bilan grid")
        no_error(page, errors)
        e2e.screenshot(page, "bilan-07-zoom-200")
    finally:
        context.close()


PRINT_FITS = """() => {
  const pages = [...document.querySelectorAll("#impression-bilans .page-bilan")];
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const p of pages) for (const n of p.querySelectorAll("*")) {
    const r = n.getBoundingClientRect();
    if (r.width && r.right > width - 2) over.push(`${n.tagName}.${n.className}: ${r.right} > ${width}`);
    if (n.scrollWidth > n.clientWidth + 1 && getComputedStyle(n).display !== "inline") {
      over.push(`${n.tagName}.${n.className}: its text is ${n.scrollWidth - n.clientWidth} px too wide`);
    }
  }
  const wide = [...document.querySelectorAll("body *")].filter((n) => n.getBoundingClientRect().right > width + 0.5)
    .map((n) => `${n.tagName}.${n.className}#${n.id}`);
  return {pages: pages.length, over: over.slice(0, 5), wide: wide.slice(0, 5),
          scroll: document.scrollingElement.scrollWidth - width};
}"""


def test_printing_holds_the_complete_bilans_unless_asked_and_fits_the_page(page, e2e, errors):
    prepare(page, e2e)
    login(page, *TEACHER)
    pupils = open_grid(page)
    (a, name_a), (b, _), (c, name_c) = pupils[:3]
    complete(page, a)
    complete(page, c, clicks=4)
    arrow(page, f"eleve:{b}").click()  # 8 positions, no synthèse: incomplete
    save(page, "Bilans enregistrés : 3 élèves.")
    page.click("#imprimer-bilans")
    pages = page.locator("#impression-bilans .page-bilan")
    expect(pages).to_have_count(2, timeout=TIMEOUT)
    assert [p.get_attribute("data-eleve") for p in pages.all()] == [a, c]
    expect(page.locator("#resume-impression")).to_have_text(
        "2 bilans complets à imprimer ; 10 élèves aux bilans incomplets ne sont pas imprimés.")
    expect(pages.nth(1)).to_contain_text("Très bonne maîtrise")
    expect(pages.first).not_to_contain_text("(e)")
    e2e.screenshot(page, "bilan-08-impression")
    page.get_by_label(re.compile("Imprimer aussi les bilans incomplets")).check()
    expect(pages).to_have_count(12, timeout=TIMEOUT)
    expect(page.locator("#resume-impression")).to_have_text(
        "Tous les élèves de la classe sont imprimés (12 pages), y compris 10 bilans incomplets.")
    page.get_by_label(re.compile("Imprimer aussi les bilans incomplets")).uncheck()
    expect(pages).to_have_count(2, timeout=TIMEOUT)
    # The print stylesheet on an A4 page's printable width (210 mm - 2 × 15 mm = 680 px)
    page.set_viewport_size({"width": 680, "height": 962})
    page.emulate_media(media="print")
    expect(page.locator("#app")).to_be_hidden()
    expect(page.locator("#resume-impression")).to_be_hidden()
    fit = page.evaluate(PRINT_FITS)
    assert (fit["pages"], fit["over"], fit["wide"]) == (2, [], []), fit
    e2e.screenshot(page, "bilan-08-page-imprimee")
    pdf = page.pdf(format="A4", print_background=True)  # @page's margins, one pupil a page
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 2
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bilan-08-bilans.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")
    page.set_viewport_size(LAPTOP)
    page.click("#fermer-impression")
    assert name_a and name_c
    no_error(page, errors)


def test_the_lsu_preflight_is_refreshed_by_an_import(page, e2e, errors):
    prepare(page, e2e)
    login(page, *TEACHER)
    pupils = open_grid(page)
    (a, name_a), (b, _) = pupils[:2]
    complete(page, a)
    complete(page, b)
    save(page, "Bilans enregistrés : 2 élèves.")
    page.click("#deconnexion")
    login(page, *DIRECTOR)
    page.click('nav.menu button[data-vue="lsu"]')
    preflight = page.locator("#preflight-lsu")
    expect(preflight).to_contain_text("2 bilans complets seront exportés", timeout=TIMEOUT)
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#exporter-lsu")
    exported = Path(info.value.path()).read_bytes()
    page.click("#deconnexion")
    # The teacher erases one of them (position by position back to nothing, no synthèse)
    login(page, *TEACHER)
    open_grid(page)
    for _ in range(6):  # the arrow (from 1 again in a new grid): 1, 2, 3, 4, dispensé, nothing
        arrow(page, f"eleve:{a}").click()
    synthese(page, a, "")
    save(page, "effacé")
    page.click("#deconnexion")
    login(page, *DIRECTOR)
    page.click('nav.menu button[data-vue="lsu"]')
    expect(preflight).to_contain_text("1 bilan complet sera exporté", timeout=TIMEOUT)
    expect(page.locator("#liste-preflight")).to_contain_text(name_a)
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "bilans.xml", "mimeType": "application/xml", "buffer": exported}])
    page.click("#analyser-lsu")
    expect(page.locator("#confirmer-import-lsu")).to_be_visible(timeout=TIMEOUT)
    page.click("#confirmer-import-lsu")
    expect(page.locator("#rapport-import-lsu")).to_contain_text("ajouté", timeout=TIMEOUT)
    # without leaving the screen: the pre-flight counts the imported bilan, the list is gone
    expect(preflight).to_contain_text("2 bilans complets seront exportés", timeout=TIMEOUT)
    expect(page.locator("#liste-preflight")).not_to_contain_text(name_a)
    expect(page.locator(f'.bloc-export-lsu label:has-text("{CE2}")')).to_contain_text("2 bilans")
    no_error(page, errors)
    e2e.screenshot(page, "bilan-09-import-lsu")


def test_leaving_right_after_typing_a_synthese_asks_first(page, e2e, errors):
    """A synthèse typed, then « Changer de classe » clicked at once: the click sends the
    synthèse (the text box loses the focus) but the core has not answered yet; leaving must
    still ask, or the text is lost when the grid is opened again."""
    prepare(page, e2e)
    login(page, *TEACHER)
    (a, _), *_ = open_grid(page)
    dialogs = []

    def dismiss(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dismiss)
    page.locator(f'textarea.synthese[data-eleve="{a}"]').fill("Une synthèse tapée puis le menu.")
    page.get_by_role("button", name="Changer de classe").click()
    for _ in range(50):
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs and dialogs[0].startswith("Des bilans ne sont pas enregistrés"), dialogs
    expect(page.locator("#grille-bilan")).to_be_visible()
    status(page, "1 élève modifié non enregistré. Bilans complets : 0 sur 12.")
    no_error(page, errors)


def test_closing_the_page_while_typing_a_synthese_asks_first(page, e2e, errors):
    """A synthèse typed and not sent yet (its box still has the focus): closing or reloading
    the page must ask, the browser sends nothing on its way out."""
    prepare(page, e2e)
    login(page, *TEACHER)
    (a, _), *_ = open_grid(page)
    unload = ("() => { const e = new Event('beforeunload', {cancelable: true});"
              " window.dispatchEvent(e); return e.defaultPrevented; }")
    assert page.evaluate(unload) is False
    page.locator(f'textarea.synthese[data-eleve="{a}"]').fill("Une synthèse en cours de frappe.")
    assert page.evaluate(unload) is True
    no_error(page, errors)
