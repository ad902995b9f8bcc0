"""Issue 17, imports (points 13, 15, 17) at 1366×768: an ONDE extraction saved by Excel as
« Texte Unicode » (UTF-16 with a BOM, tab separated) is read; re-imported over the Base-Élèves
pupils it says how they were matched and that it adds the INE (not a change of class), in words
naming ONDE; the step markers go back; choosing « Importer les élèves » again asks first, then
starts again from step 1."""

from __future__ import annotations

from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from school_helpers import director_only, login

TIMEOUT = 90_000
PASSWORD = "Directrice-2012"
FIXTURES = Path(__file__).parent.parent / "tests/fixtures"


def _login(page, e2e):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    director_only(page, PASSWORD)
    login(page, "direction", PASSWORD)
    page.click('nav.menu button[data-vue="import"]')


def _to_step4(page, path: Path):
    page.set_input_files("#fichier-eleves", str(path))
    expect(page.locator(".fichier-choisi")).to_contain_text(path.name)
    page.click("#etape-suivante")
    expect(page.locator("#bilan-extraction")).to_contain_text("143 élèves trouvés")
    page.click("#etape-suivante")
    expect(page.locator("#classes-import")).to_be_visible()
    page.click("#etape-suivante")
    expect(page.locator("#bilan-eleves")).to_be_visible()


def test_utf16_onde_reimport_matching_and_wizard_restart(page, e2e, tmp_path):
    _login(page, e2e)
    # The Base-Élèves extraction first (no INE), imported through the whole wizard.
    _to_step4(page, FIXTURES / "base_eleves/CSVExtraction.csv")
    expect(page.locator("#bilan-eleves")).to_contain_text("143 élèves à ajouter")
    page.click("#etape-suivante")
    page.click("#etape-suivante")  # « Confirmer l'import »
    expect(page.locator("#bilan-import")).to_be_visible()

    # The ONDE extraction as Excel's « Texte Unicode »: UTF-16 with a BOM, tab separated.
    text = (FIXTURES / "onde/CSVExtraction.csv").read_text(encoding="utf-8")
    unicode_txt = tmp_path / "Extraction ONDE.txt"
    unicode_txt.write_bytes(text.replace(";", "\t").encode("utf-16"))
    page.click('nav.menu button[data-vue="import"]')
    page.set_input_files("#fichier-eleves", str(unicode_txt))
    page.click("#etape-suivante")
    step2 = page.locator(".etape")
    expect(step2).to_contain_text("encodage UTF-16 (Texte Unicode), séparateur « tabulation »")
    expect(page.locator("#bilan-extraction")).to_contain_text("143 élèves trouvés, 9 classes trouvées")
    expect(page.locator("#bilan-extraction")).to_contain_text("classes ONDE")
    e2e.screenshot(page, "imports-utf16-etape2")
    page.click("#etape-suivante")
    expect(page.locator("#classes-import thead")).to_contain_text("Classe ONDE")
    page.click("#etape-suivante")
    summary = page.locator("#bilan-eleves")
    expect(summary).to_contain_text("0 élève à ajouter, 143 élèves à modifier (143 INE ajoutés)")
    expect(page.locator("#appariement")).to_have_text(
        "Élèves rapprochés de ceux de l'école par l'INE d'abord, puis par le nom et le prénom : "
        "0 élève retrouvé par l'INE, 143 élèves retrouvés par le nom et le prénom, "
        "0 élève nouveau.")
    body = page.locator(".vue-import").inner_text()
    assert "changement de classe" not in body and "Base-Élèves" not in body.split("Étape 4")[1]
    first = page.locator("#eleves-modifier tbody tr").first
    expect(first).to_contain_text("retrouvé par son nom et son prénom ; INE ajouté")
    e2e.screenshot(page, "imports-onde-etape4")
    # At 200 % zoom (683×384 CSS pixels): nothing overflows sideways, the markers still work.
    page.set_viewport_size({"width": 683, "height": 384})
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    e2e.screenshot(page, "imports-zoom-200-etape4")
    page.set_viewport_size({"width": 1366, "height": 768})

    # The step markers go back: step 2, then forward again to step 4.
    back = page.locator("ol.etapes button.etape-retour")
    expect(back).to_have_count(3)
    back.nth(1).click()
    expect(page.locator(".etape h3")).to_have_text("Étape 2 — Extraction des données")
    expect(page.locator("ol.etapes li.en-cours")).to_contain_text("Extraction des données")
    expect(page.locator("ol.etapes button.etape-retour")).to_have_count(1)
    page.click("#etape-suivante")
    page.click("#etape-suivante")
    expect(summary).to_contain_text("143 INE ajoutés")

    # « Importer les élèves » again: asked first (a plan is held); going on keeps step 4.
    page.click('nav.menu button[data-vue="import"]')
    dialog = page.locator("#dialogue-import")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Recommencer l'import des élèves ?")
    expect(dialog).to_contain_text("« Extraction ONDE.txt » n'est pas terminé (étape 4 sur 5)")
    e2e.screenshot(page, "imports-recommencer")
    page.click("#dialogue-annuler")
    expect(dialog).to_have_count(0)
    expect(page.locator(".etape h3")).to_have_text("Étape 4 — Élèves")
    page.click('nav.menu button[data-vue="import"]')
    page.click("#dialogue-confirmer")
    expect(page.locator(".etape h3")).to_have_text("Étape 1 — Récupération du fichier")
    expect(page.locator(".fichier-choisi")).to_have_text("Aucun fichier choisi.")
    expect(page.locator("ol.etapes button.etape-retour")).to_have_count(0)
    # Nothing was written: the pupils still have no INE.
    counts = e2e.query(e2e.idb_get(page), tmp_path,
                       "SELECT count(*), count(nullif(ine, '')) FROM eleve")
    assert [tuple(r) for r in counts] == [(143, 0)]
    # Without a plan (a file chosen only), choosing it again starts again at once.
    page.set_input_files("#fichier-eleves", str(unicode_txt))
    expect(page.locator(".fichier-choisi")).to_contain_text("Extraction ONDE.txt")
    page.click('nav.menu button[data-vue="import"]')
    expect(page.locator("#dialogue-import")).to_have_count(0)
    expect(page.locator(".fichier-choisi")).to_have_text("Aucun fichier choisi.")
