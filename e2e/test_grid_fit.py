"""The grid on the school laptop (1366×768, 100 %) with a 30-pupil CM2 class (issue 10: a grid
that fits, safer decisions, right defaults, French order on screen).

The school is prepared through the API: paliers 1 and 2, a CE1 class (listed first) and a
30-pupil CM2 class whose names need French collation (ÇELIK, ÉMERY…), a teacher who is its
professeur principal. Screenshots: ``e2e/artifacts/fit-*.png``.
"""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from grid_helpers import grid_cells, grid_layout, settle
from test_grid import login

TIMEOUT = 60_000
PASSWORD = "Directrice-2026"
TEACHER = {"login": "luc.petit", "password": "Maitre-CM2-2026"}
SPECIAL = [("ÇELIK", "Ayşe"), ("ÉMERY", "Éloïse"), ("ZOLA", "Émile"), ("VINCENT", "Zoé"),
           ("ABADIE", "Léa")]
FRENCH_ORDER = (["ABADIE", "ÇELIK"] + [f"ELEVE{i:02d}" for i in range(25)]
                + ["ÉMERY", "VINCENT", "ZOLA"])


def make_csv() -> str:
    lines = ['"Nom Elève";"Prénom Elève";"Niveau";"Classe"']
    lines += [f'"PETIT{i}";"Ce{i}";"CE1";"CE1 A"' for i in range(4)]
    lines += [f'"ELEVE{i:02d}";"Prénom{i:02d}";"CM2";"CM2 A"' for i in range(25)]
    lines += [f'"{n}";"{p}";"CM2";"CM2 A"' for n, p in SPECIAL]
    return "\r\n".join(lines) + "\r\n"


PREPARE = """async ({csv, password, teacher}) => {
  const C = window.Cartable;
  await C.call("app.setup", {nom: "École du Parc", directeur:
    {nom: "Durand", prenom: "Sophie", login: "direction", password}});
  await C.call("paliers.set", {actifs: [1, 2]});
  await C.whenPandas();
  const r = await C.call("base_eleves.apply", {data: new TextEncoder().encode(csv), filename: "e.csv"});
  const prof = await C.call("professeurs.create", {nom: "Petit", prenom: "Luc", password: teacher.password});
  const cm2 = (await C.call("classes.list", {})).find((c) => c.nom === "CM2 A");
  await C.call("affectations.set", {professeur_id: prof.id, classe_id: cm2.id, affecte: true});
  await C.call("affectations.set_principal", {classe_id: cm2.id, professeur_id: prof.id});
  await C.call("auth.logout", {});
  return r;
}"""

MEASURE = """() => {
  const wrap = document.querySelector('.grille-defilement');
  const box = wrap.getBoundingClientRect();
  const heads = [...document.querySelectorAll('#grille-validations th.eleve')];
  return {
    viewport: innerWidth, height: innerHeight,
    pageScrollWidth: document.scrollingElement.scrollWidth,
    pageScrollHeight: document.scrollingElement.scrollHeight,
    boxRight: box.right, boxScroll: wrap.scrollWidth - wrap.clientWidth,
    columns: heads.length,
    rights: heads.map((th) => th.getBoundingClientRect().right),
    menuShown: getComputedStyle(document.querySelector('nav.menu')).display !== 'none',
  };
}"""


def prepare(page, e2e):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("dialog", lambda d: d.accept())
    assert e2e.wait_state(page) == "ready"
    expect(page.locator(".ecran-creation")).to_be_visible(timeout=TIMEOUT)
    result = page.evaluate(PREPARE, {"csv": make_csv(), "password": PASSWORD, "teacher": TEACHER})
    assert result["eleves_ajoutes"] == 34, result
    page.evaluate("() => window.CartableApp.start()")


def selected_text(page, label):
    return page.get_by_label(label, exact=True).evaluate("s => s.selectedOptions[0].textContent")


def assert_fits(page, name):
    m = page.evaluate(MEASURE)
    assert m["columns"] == 30, m
    assert not m["menuShown"], "the side menu is folded while a grid is shown"
    assert m["pageScrollWidth"] <= m["viewport"], "the page scrolls sideways"
    assert m["pageScrollHeight"] <= m["height"], "the page scrolls: the grid box must be the one scroll area"
    assert m["boxScroll"] <= 0, f"the grid box scrolls sideways by {m['boxScroll']} px"
    assert max(m["rights"]) <= min(m["viewport"], m["boxRight"]), m["rights"][-3:]
    page.screenshot(path=str(page.e2e_artifacts / f"fit-{name}.png"))


@pytest.fixture
def shots(page, e2e):
    page.e2e_artifacts = e2e.screenshot(page, "fit-start").parent
    return page


def test_director_defaults_fit_arrows_words_and_undo(shots, e2e):
    page = shots
    prepare(page, e2e)
    login(page, "direction", PASSWORD)
    # Paliers du socle: palier 3 (the collège's) is apart, folded while not in use.
    page.click('nav.menu button[data-vue="paliers"]')
    expect(page.locator(".liste-cases legend").first).to_have_text("École élémentaire")
    apart = page.locator("details.paliers-college")
    expect(apart.locator("summary")).to_have_text("Collège (rarement utile à l'école)")
    expect(apart).not_to_have_attribute("open", "")
    expect(page.locator('input[data-id="3"]')).to_be_hidden()
    expect(page.locator('.liste-cases input[data-id="2"]')).to_be_checked()
    page.screenshot(path=str(page.e2e_artifacts / "fit-paliers.png"))
    page.click('nav.menu button[data-vue="items"]')
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    # Right defaults: the first CM2 class and palier 2; only the primary school's paliers.
    assert selected_text(page, "Classe").startswith("CM2 A")
    assert selected_text(page, "Palier") == "Palier 2 (fin CM2)"
    options = page.get_by_label("Palier", exact=True).evaluate(
        "s => [...s.options].map(o => o.textContent)")
    assert options == ["Palier 1 (fin CE1)", "Palier 2 (fin CM2)"]
    # French order on screen: the pupils' list and the grid's columns.
    labels = page.locator(".liste-eleves .case label").all_inner_texts()
    assert [x.split(" ")[0] for x in labels] == FRENCH_ORDER
    page.check('.liste-competences input[data-ref="1"]')
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    lay = grid_layout(page)
    assert [lay["noms"][str(e)][0] for e in lay["eleves"]] == FRENCH_ORDER

    # Every pupil column within the window, no sideways scroll, one scroll area.
    page.click("#basculer-pourcentages")
    d0 = lay["domaines"][0]["id"]
    e3 = lay["eleves"][3]
    column = page.locator(f'button[data-fleche="column:{d0}:{e3}"]')
    name = " ".join(reversed(lay["noms"][str(e3)]))
    of = f"d'{name}" if name[0].lower() in "aeiouyàâéèêëîïôûü" else f"de {name}"  # text.de
    expect(column).to_have_attribute("aria-label", f"Valider tout : la colonne {of} (domaine « Dire »)")
    assert column.get_attribute("title") == column.get_attribute("aria-label")
    column.click()
    settle(page)
    expect(column).to_have_attribute("aria-label", f"Invalider tout : la colonne {of} (domaine « Dire »)")
    row_arrow = page.locator(f'button[data-fleche="row:{lay["domaines"][0]["rows"][0]}"]')
    assert row_arrow.get_attribute("aria-label").startswith("Valider tout : la ligne « ")
    expect(page.locator(f'button[data-fleche="domaine:{d0}"]')).to_have_attribute(
        "aria-label", "Valider tout : tout le domaine « Dire »")
    assert_fits(page, "items-1366x768")
    pct = page.locator(f'th.eleve[data-eleve="{e3}"] .pourcentage')
    expect(pct).to_have_text(re.compile(r"^\d+\u202f%$"))
    one_line = pct.evaluate("n => n.getClientRects().length === 1 && n.getBoundingClientRect().height"
                            " < 1.6 * parseFloat(getComputedStyle(n).fontSize)")
    assert one_line, "the percentage wraps"

    # Headers stay in view when the grid box scrolls (sticky inside the one scroll area).
    page.evaluate("() => { document.querySelector('.grille-defilement').scrollTop = 400; }")
    tops = page.evaluate("""() => [document.querySelector('.grille-defilement').getBoundingClientRect().top,
        document.querySelector('#grille-validations th.eleve').getBoundingClientRect().top]""")
    assert abs(tops[1] - tops[0]) <= 2, tops
    page.evaluate("() => { document.querySelector('.grille-defilement').scrollTop = 0; }")

    # Undo: Ctrl+Z takes back the arrow, the button the cell click; then nothing to undo.
    cells = grid_cells(page)
    assert {k for k in cells if k[0] == e3} and set(cells.values()) == {1}
    page.keyboard.press("Control+z")
    settle(page)
    assert grid_cells(page) == {}
    expect(column).to_have_attribute("aria-label", re.compile(r"^Valider tout : "))
    undo = page.locator("#annuler-clic")
    expect(undo).to_be_disabled()
    first = page.locator(f'td.case-grille[data-key="{e3}:{lay["domaines"][0]["rows"][0]}"]')
    first.click()
    settle(page)
    expect(undo).to_be_enabled()
    assert undo.get_attribute("title").startswith(f"Annuler : clic sur la case {of}")
    undo.click()
    settle(page)
    assert grid_cells(page) == {}
    expect(page.locator("#etat-brouillon")).to_contain_text("Toutes les modifications sont enregistrées")

    # The folded menu unfolds over the page, and folds again.
    page.click("#deplier-menu")
    expect(page.locator("nav.menu")).to_be_visible()
    page.screenshot(path=str(page.e2e_artifacts / "fit-menu-deplie.png"))
    page.click("#deplier-menu")
    expect(page.locator("nav.menu")).to_be_hidden()


def test_competences_confirmation_lock_and_the_teachers_view(shots, e2e):
    page = shots
    prepare(page, e2e)
    login(page, "direction", PASSWORD)
    page.click('nav.menu button[data-vue="competences"]')
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    lay = grid_layout(page)
    c1 = lay["domaines"][0]["rows"][0]
    page.click(f'button[data-fleche="row:{c1}"]')   # compétence 1 for all 30 pupils
    settle(page)
    assert_fits(page, "competences-1366x768")

    # Saving asks first, listing what will be locked; going back saves nothing.
    page.click("#enregistrer-validations")
    dialog = page.locator("#confirmer-verrouillage")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    expect(dialog.locator("h2")).to_have_text("Valider définitivement 30 compétences ?")
    items = dialog.locator("li").all_inner_texts()
    assert items[0] == "Léa ABADIE — Compétence 1" and len(items) == 30
    expect(dialog).to_contain_text("directrice, le vôtre, pourra annuler")
    page.screenshot(path=str(page.e2e_artifacts / "fit-confirmation-verrouillage.png"))
    dialog.locator("#dialogue-annuler").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#etat-brouillon")).to_contain_text("30 modifications non enregistrées")
    page.click("#enregistrer-validations")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.locator("#dialogue-confirmer").click()
    expect(page.locator("#etat-brouillon")).to_contain_text(
        "Toutes les modifications sont enregistrées", timeout=TIMEOUT)

    # The teacher lands on his class and palier 2; his compétences grid fits, locks legible.
    page.click("#deconnexion")
    login(page, TEACHER["login"], TEACHER["password"])
    page.click('nav.menu button[data-vue="competences"]')
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    assert selected_text(page, "Classe").startswith("CM2 A")
    assert selected_text(page, "Palier") == "Palier 2 (fin CM2)"
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    assert_fits(page, "competences-professeur-1366x768")
    locks = page.locator("td.case-grille.verrouille .verrou")
    expect(locks).to_have_count(30)
    clipped = locks.evaluate_all("""ns => ns.filter(n => {
        const r = n.getBoundingClientRect(), c = n.closest('td').getBoundingClientRect();
        return n.scrollHeight > n.clientHeight + 1 || n.scrollWidth > n.clientWidth + 1
          || r.top < c.top - 1 || r.bottom > c.bottom + 1 || r.left < c.left - 1 || r.right > c.right + 1;
      }).length""")
    assert clipped == 0, f"{clipped} « verrouillé » labels are cut"
