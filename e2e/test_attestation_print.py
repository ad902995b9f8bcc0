"""The printable palier attestation (one page per pupil, print stylesheet) and the professeur
principal chosen among the class's teachers (issue 10). Screenshots: ``e2e/artifacts/
attestation-*.png``."""

from __future__ import annotations

import datetime as dt
import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from test_grid import login

TIMEOUT = 60_000
PASSWORD = "Directrice-2026"
PUPILS = [("ZOLA", "Émile"), ("ÉMERY", "Éloïse"), ("ABADIE", "Léa"), ("VINCENT", "Zoé"),
          ("ÇELIK", "Ayşe")]
FRENCH_ORDER = ["Léa ABADIE", "Ayşe ÇELIK", "Éloïse ÉMERY", "Zoé VINCENT", "Émile ZOLA"]
CSV = "\r\n".join(['"Nom Elève";"Prénom Elève";"Niveau";"Classe"']
                  + [f'"{n}";"{p}";"CM2";"CM2 A"' for n, p in PUPILS]) + "\r\n"

# The director validates compétence 1 for ÉMERY and compétence 3a for everybody (API).
PREPARE = """async ({csv, password}) => {
  const C = window.Cartable;
  await C.call("app.setup", {nom: "École du Parc", uai: "0441234C", directeur:
    {nom: "Durand", prenom: "Sophie", login: "direction", password}});
  await C.whenPandas();
  await C.call("base_eleves.apply", {data: new TextEncoder().encode(csv), filename: "e.csv"});
  const cm2 = (await C.call("classes.list", {})).find((c) => c.nom === "CM2 A");
  const eleves = await C.call("eleves.list", {classe_id: cm2.id});
  const emery = eleves.find((e) => e.nom === "ÉMERY");
  const grid = await C.call("validation.grid", {palier_id: 2, classe_id: cm2.id,
    eleve_ids: eleves.map((e) => e.id), competence_id: null});
  const rows = grid.domaines[0].rows;
  await C.call("validation.click", {target: {kind: "cell", eleve_id: emery.id, row_id: rows[0].id}});
  await C.call("validation.click", {target: {kind: "row", row_id: rows[2].id}});
  await C.call("validation.save", {});
  const a = await C.call("professeurs.create", {nom: "Petit", prenom: "Luc", password: "Maitre-2026"});
  const b = await C.call("professeurs.create", {nom: "Autre", prenom: "Anne", password: "Maitre-2026"});
  await C.call("affectations.set", {professeur_id: a.id, classe_id: cm2.id, affecte: true});
  await C.call("auth.logout", {});
  return {cm2: cm2.id, luc: a.id, anne: b.id};
}"""


def test_attestations_one_page_per_pupil_and_the_principal_choice(page, e2e):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    assert e2e.wait_state(page) == "ready"
    ids = page.evaluate(PREPARE, {"csv": CSV, "password": PASSWORD})
    page.evaluate("() => window.CartableApp.start()")
    login(page, "direction", PASSWORD)

    # Professeur principal: only the class's own teachers are offered.
    page.click('nav.menu button[data-vue="affectations"]')
    select = page.get_by_label("Professeur principal de CM2 A", exact=False)
    expect(select).to_be_enabled()
    options = select.evaluate("s => [...s.options].map(o => o.textContent)")
    assert options == ["— aucun —", "PETIT Luc"]
    select.select_option(label="PETIT Luc")
    expect(page.locator(".messages")).to_contain_text("Professeur principal de CM2 A enregistré")
    e2e.screenshot(page, "attestation-01-professeur-principal")

    # The attestations of CM2 A, palier 2: one page per pupil, in French order.
    page.click('nav.menu button[data-vue="attestation"]')
    expect(page.get_by_label("Classe", exact=True)).to_be_visible()
    assert page.get_by_label("Palier", exact=True).evaluate(
        "s => s.selectedOptions[0].textContent") == "Palier 2 (fin CM2)"
    page.click("#afficher-attestations")
    pages = page.locator(".attestation")
    expect(pages).to_have_count(5, timeout=TIMEOUT)
    assert page.locator(".attestation-eleve").all_inner_texts() == FRENCH_ORDER
    today = dt.date.today().strftime("%d/%m/%Y")
    emery = pages.nth(2)
    expect(emery).to_contain_text("École du Parc (UAI 0441234C)")
    expect(emery).to_contain_text("Palier 2 (fin CM2)")
    rows = emery.locator("tbody tr")
    expect(rows).to_have_count(8)
    texts = rows.locator("td").all_inner_texts()
    assert texts[0] == f"validée le {today}" and texts[2] == f"validée le {today}"
    assert texts[1] == "non validée" and texts.count("non validée") == 6
    assert pages.nth(0).locator("tbody td").all_inner_texts().count("non validée") == 7
    expect(emery.locator(".attestation-signature")).to_contain_text(
        "Le directeur ou la directrice : Sophie DURAND")
    expect(page.locator("#imprimer-attestations")).to_have_text("Imprimer les 5 attestations")
    e2e.screenshot(page, "attestation-02-ecran")

    # Printed: the pages alone, one per pupil.
    page.emulate_media(media="print")
    expect(page.locator("nav.menu")).to_be_hidden()
    expect(page.locator(".selection-attestation")).to_be_hidden()
    expect(page.locator("#imprimer-attestations")).to_be_hidden()
    expect(pages.first).to_be_visible()
    breaks = pages.evaluate_all("ns => ns.map(n => getComputedStyle(n).breakAfter)")
    assert breaks == ["page"] * 4 + ["auto"], breaks
    pdf = page.pdf(format="A4")  # what Chromium prints: exactly one A4 page per pupil
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 5
    e2e.screenshot(page, "attestation-03-impression")
    page.emulate_media(media="screen")

    # The teacher prints those of his class too.
    page.click("#deconnexion")
    login(page, "luc.petit", "Maitre-2026")
    page.click('nav.menu button[data-vue="attestation"]')
    page.click("#afficher-attestations")
    expect(page.locator(".attestation")).to_have_count(5, timeout=TIMEOUT)
    assert ids["cm2"]

    # Another palier chosen: the pages shown (and their print button) were the other one's.
    page.click("#deconnexion")
    login(page, "direction", PASSWORD)
    e2e.call(page, "paliers.set", "{actifs: [1, 2]}")
    page.click('nav.menu button[data-vue="attestation"]')
    page.click("#afficher-attestations")
    expect(page.locator(".attestation")).to_have_count(5, timeout=TIMEOUT)
    palier = page.get_by_label("Palier", exact=True)
    assert palier.evaluate("s => s.options.length") > 1
    palier.select_option(index=0 if palier.evaluate("s => s.selectedIndex") else 1)
    expect(page.locator(".attestation")).to_have_count(0)
    expect(page.locator("#imprimer-attestations")).to_have_count(0)
