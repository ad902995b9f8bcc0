"""The livret's unsaved work survives a reload and an expired session; the teacher's home page
shows her class's livrets (issues 16 and 18), in the built app (file://), in Chromium.

The school is made through ``Cartable.call`` (school_helpers.with_teacher, the proposed periods
of the current school year). A CM1 teacher lands on « Accueil », sees « 0 livret complet sur
11 » for the current period and opens the livret from there; she clicks cells, reloads the page:
after she logs in again the draft is offered, « Reprendre » brings the cells back as clicked.
Then her session ends after 30 idle minutes (the core's clock of that session moved back) with
the browser's copy gone: the draft that ``auth.login`` gives back is offered the same way (the
offer and the home page checked at 200 % zoom, nothing past the right edge).
"""

from __future__ import annotations

import json
import re

import pytest
from school_helpers import with_teacher
from test_livret_screen import CM1, DIRECTOR, TEACHER, TIMEOUT, login, settle

CE2 = "[CE2] CE2-CM1 Mme LUCAS"

expect = pytest.importorskip("playwright.sync_api").expect

PERIODS = """async ({director}) => {
  const C = Cartable;
  await C.call("auth.login", {login: director[0], password: director[1]});
  const d = await C.call("periodes.default", {});
  await C.call("periodes.set", {periodes: d.periodes.map((p) => [p.date_debut, p.date_fin])});
  await C.call("auth.logout", {});
}"""

ZOOM_200 = {"width": 683, "height": 384}  # the 1366×768 laptop at 200 %, in CSS pixels
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
# Every session of the core idle for 31 minutes (accounts/idle.py reads Session.last_seen).
AGE_SESSIONS = """() => CartableWorker.state.pyodide.runPython(`
import datetime
from cartable import bridge
for s in bridge._api.sessions.values():
    s.last_seen -= datetime.timedelta(minutes=31)
len(bridge._api.sessions)
`)"""


def stored(page):
    text = page.evaluate("() => localStorage.getItem('cartable.draft')")
    return json.loads(text) if text else None


def school(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    assert with_teacher(page, CM1, uai="0441234C", civilite="MME") == 11
    page.evaluate(PERIODS, {"director": DIRECTOR})
    page.reload()


def open_from_home(page, e2e) -> list[int]:
    """The teacher's home page: her class's livrets of the current period, and its link."""
    expect(page.locator(".vue-accueil h2")).to_be_visible(timeout=TIMEOUT)
    row = page.locator("#avancement-livrets li")
    expect(row).to_have_count(1, timeout=TIMEOUT)
    expect(row).to_contain_text(re.compile(re.escape(CM1) + r", Trimestre \d : 0 livret complet sur 11\."))
    expect(page.locator("#accueil-professeur")).to_contain_text("pour votre classe")
    e2e.screenshot(page, "livret-accueil-professeur")
    row.get_by_role("button", name=f"Ouvrir le livret de la classe {CM1}").click()
    expect(page.locator("#grille-livret")).to_be_visible(timeout=TIMEOUT)
    return [int(r.get_attribute("data-eleve"))
            for r in page.locator("#grille-livret tbody tr").all()]


def cell(page, eid, code):
    return page.locator(f'#grille-livret td[data-key="{eid}:{code}"]')


def resume(page, e2e, shot):
    banner = page.locator(".brouillon-retrouve")
    expect(banner).to_contain_text("Des modifications non enregistrées ont été retrouvées",
                                   timeout=TIMEOUT)
    expect(banner).to_contain_text("dans le livret scolaire")
    e2e.screenshot(page, shot)
    page.click("#reprendre-brouillon")
    expect(page.locator("#grille-livret")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".messages")).to_contain_text("Les modifications ont été reprises")


def test_the_livret_draft_survives_a_reload_and_an_expired_session(page, e2e):
    page.on("dialog", lambda d: d.accept())  # "leave the page?" on unsaved changes
    assert e2e.wait_state(page) == "ready"
    school(page)
    assert e2e.wait_state(page) == "ready"
    login(page, *TEACHER)
    ids = open_from_home(page, e2e)
    for _ in range(3):  # 1, 2, 3
        cell(page, ids[0], "MAT-GEO").click()
    cell(page, ids[1], "FRA-LEC").click()
    settle(page)
    expect(page.locator("#etat-livret")).to_contain_text("2 élèves modifiés non enregistrés")
    kept = stored(page)
    assert kept["grille"] == "livret" and kept["login"] == TEACHER[0]
    assert kept["draft"]["eleves"][str(ids[0])]["cells"] == {"MAT-GEO": 3}

    page.reload()  # an accidental reload: the offer after the next login
    assert e2e.wait_state(page) == "ready"
    login(page, *TEACHER)
    resume(page, e2e, "livret-brouillon-retrouve")
    expect(cell(page, ids[0], "MAT-GEO")).to_have_attribute("data-position", "3")
    expect(cell(page, ids[1], "FRA-LEC")).to_have_attribute("data-position", "1")
    expect(page.locator("#etat-livret")).to_contain_text("2 élèves modifiés non enregistrés")

    # The session ends after 30 idle minutes, and the browser's copy is gone: the core's own
    # copy (auth.login's brouillon) is offered.
    cell(page, ids[2], "EPS-RAC").click()
    settle(page)
    page.evaluate("() => localStorage.removeItem('cartable.draft')")
    assert page.workers[0].evaluate(AGE_SESSIONS) == 1
    cell(page, ids[2], "EPS-RAC").click()  # refused: the session has ended
    expect(page.locator(".ecran-connexion h2")).to_have_text("Connexion", timeout=TIMEOUT)
    expect(page.locator(".messages")).to_contain_text("30 minutes sans activité")
    assert stored(page) is None
    page.set_viewport_size(ZOOM_200)  # the offer and the home page at 200 % zoom
    login(page, *TEACHER)
    expect(page.locator(".brouillon-retrouve #reprendre-brouillon")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#avancement-livrets li")).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate(OVERFLOW) <= 1, "the page scrolls sideways at 200 %"
    e2e.screenshot(page, "zoom-200-livret-brouillon-accueil")
    page.set_viewport_size({"width": 1366, "height": 768})
    resume(page, e2e, "livret-brouillon-session-expiree")
    expect(cell(page, ids[0], "MAT-GEO")).to_have_attribute("data-position", "3")
    expect(cell(page, ids[2], "EPS-RAC")).to_have_attribute("data-position", "1")
    expect(page.locator("#etat-livret")).to_contain_text("3 élèves modifiés non enregistrés")
    page.click("#enregistrer-livrets")
    expect(page.locator(".messages .alerte.succes").last).to_contain_text(
        "Livrets enregistrés : 3 élèves.", timeout=TIMEOUT)
    assert stored(page) is None
    page.click("#deplier-menu")
    page.click('nav.menu button[data-vue="accueil"]')
    expect(page.locator("#avancement-livrets li")).to_contain_text("0 livret complet sur 11")


def test_the_bilan_de_fin_de_cycle_draft_survives_a_reload(page, e2e):
    """The same for the bilan de fin de cycle 2's grid (the director, the CE2 class); and a draft
    of the item grid stored in the older shape (without its grid's name) is still offered."""
    page.on("dialog", lambda d: d.accept())
    assert e2e.wait_state(page) == "ready"
    school(page)
    assert e2e.wait_state(page) == "ready"
    login(page, *DIRECTOR)
    page.click('nav.menu button[data-vue="bilan"]')
    page.get_by_role("button", name=re.compile(re.escape(CE2))).click()
    grid = page.locator("#grille-bilan")
    expect(grid).to_be_visible(timeout=TIMEOUT)
    first = grid.locator("tbody tr").first.get_attribute("data-eleve")
    target = grid.locator(f'td[data-key="{first}:CPD_FRA"]')
    target.click()
    target.click()
    expect(grid).not_to_have_class(re.compile("en-cours"), timeout=TIMEOUT)
    expect(target).to_have_attribute("data-position", "2")
    assert stored(page)["grille"] == "bilan"
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, *DIRECTOR)
    banner = page.locator(".brouillon-retrouve")
    expect(banner).to_contain_text("dans le bilan de fin de cycle 2", timeout=TIMEOUT)
    page.click("#reprendre-brouillon")
    expect(grid).to_be_visible(timeout=TIMEOUT)
    expect(grid.locator(f'td[data-key="{first}:CPD_FRA"]')).to_have_attribute("data-position", "2")
    expect(page.locator("#etat-bilan")).to_contain_text("1 élève")
    e2e.screenshot(page, "bilan-brouillon-repris")

    # A draft stored by the previous version (no "grille": the validation grid's) still works.
    page.evaluate("""async (nom) => {
      const C = Cartable;
      await C.call("bilan.discard", {});
      await C.call("paliers.set", {actifs: [1, 2]});
      const classe = (await C.call("classes.list", {})).find((c) => c.nom === nom);
      const eleves = (await C.call("eleves.list", {classe_id: classe.id})).map((e) => e.id);
      const grid = await C.call("validation.grid", {palier_id: 2, classe_id: classe.id,
        eleve_ids: eleves, competence_id: 9});
      await C.call("validation.click", {target: {kind: "row", row_id: grid.domaines[0].rows[0].id}});
      const draft = await C.call("validation.draft", {});
      localStorage.setItem("cartable.draft", JSON.stringify({login: "direction",
        at: new Date().toISOString(), draft}));
    }""", CM1)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, *DIRECTOR)
    expect(banner).to_contain_text("dans le tableau des validations", timeout=TIMEOUT)
    page.click("#reprendre-brouillon")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#etat-brouillon")).to_contain_text("11 modifications non enregistrées")
    assert stored(page)["draft"]["competence_id"] == 9


def test_closing_the_page_while_typing_an_appreciation_asks_first(page, e2e):
    """An appréciation typed and not sent yet (its box still has the focus): closing or
    reloading the page must ask — the browser sends nothing on its way out."""
    assert e2e.wait_state(page) == "ready"
    school(page)
    assert e2e.wait_state(page) == "ready"
    login(page, *TEACHER)
    ids = open_from_home(page, e2e)
    unload = ("() => { const e = new Event('beforeunload', {cancelable: true});"
              " window.dispatchEvent(e); return e.defaultPrevented; }")
    assert page.evaluate(unload) is False
    page.click(f'button.bouton-fiche[data-eleve="{ids[0]}"]')
    fiche = page.locator(f'#fiche-livret[data-eleve="{ids[0]}"]')
    expect(fiche).to_be_visible(timeout=TIMEOUT)
    fiche.locator("#appreciation-generale").fill("Une appréciation en cours de frappe.")
    assert page.evaluate(unload) is True
    fiche.locator("#appreciation-generale").press("Tab")  # sent: the draft holds it now
    settle(page)
    expect(page.locator("#etat-livret")).to_contain_text("1 élève modifié non enregistré")
    assert page.evaluate(unload) is True
    # The pupil's own éléments, one per line: the counter measures each line (two lines of 200
    # characters are within the limit of 300 for each).
    fiche.locator('.elements-eleve[data-rubrique="FRA-LEC"] button.lien').click()
    box = fiche.locator('textarea[data-elements="FRA-LEC"]')
    box.fill("x" * 200 + "\n" + "y" * 200)
    counter = fiche.locator('textarea[data-elements="FRA-LEC"] + .compteur')
    expect(counter).to_have_text("200 / 300 caractères (la ligne la plus longue)")
    expect(counter).not_to_have_class(re.compile(r"\btrop\b"))
