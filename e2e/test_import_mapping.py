"""The import wizard when the CSV's columns are not recognised (step 2, "Correspondance des
colonnes"): the field names come from the core (base_eleves.read "labels"), a missing choice is
refused by the core with its own message, and the counts shown come from the plan ("comptes").
"""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from school_helpers import director_only, login

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
CSV = ("Famille;Appelé;Niv.;Groupe\r\n"
       "MARTIN;Jules;CM2;CM2 A\r\nPETIT;Léa;CM2;CM2 A\r\nDURAND;Inès;CM1;CM1 B\r\n")



def test_unrecognised_columns_are_chosen_by_hand(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    assert e2e.wait_state(page) == "ready"
    director_only(page, PASSWORD)
    login(page, "direction", PASSWORD)
    page.click('nav.menu button[data-vue="import"]')
    csv = tmp_path / "extraction.csv"
    csv.write_bytes(CSV.encode("cp1252"))
    page.set_input_files("#fichier-eleves", str(csv))
    expect(page.locator(".fichier-choisi")).to_contain_text("extraction.csv", timeout=TIMEOUT)
    page.click("#etape-suivante")

    warning = page.locator(".etape .alerte.avertissement")
    expect(warning).to_contain_text("Nom Elève, Prénom Elève, Niveau, Classe", timeout=TIMEOUT)
    form = page.locator("fieldset.correspondance")
    assert [form.locator(f'select[data-champ="{f}"]').count()
            for f in ("nom", "prenom", "niveau", "classe")] == [1, 1, 1, 1]
    page.get_by_label("Nom Elève", exact=True).select_option("Famille")
    page.get_by_label("Prénom Elève").select_option("Appelé")
    page.get_by_label("Niveau", exact=True).select_option("Niv.")
    # "Classe" left empty: the core says which column is still missing.
    page.get_by_role("button", name="Utiliser ces colonnes").click()
    error = page.locator(".alertes .alerte.erreur").last
    expect(error).to_contain_text("« Classe »", timeout=TIMEOUT)
    expect(page.locator("#bilan-extraction")).to_have_count(0, timeout=TIMEOUT)

    page.get_by_label("Classe", exact=True).select_option("Groupe")
    page.get_by_role("button", name="Utiliser ces colonnes").click()
    expect(page.locator("#bilan-extraction")).to_contain_text(
        "3 élèves trouvés, 2 classes trouvées", timeout=TIMEOUT)
    page.click("#etape-suivante")
    expect(page.locator(".etape")).to_contain_text(
        "2 classes à créer, 0 classe à garder, 0 classe à retirer", timeout=TIMEOUT)
    page.locator("#classes-import tbody tr", has_text="CM1 B").locator("input[type=checkbox]").uncheck()
    page.click("#etape-suivante")
    expect(page.locator("#bilan-eleves")).to_contain_text("2 élèves à ajouter", timeout=TIMEOUT)
    page.click("#etape-suivante")
    summary = page.locator(".etape ul")
    expect(summary).to_contain_text("1 classe à créer", timeout=TIMEOUT)
    expect(summary).to_contain_text("1 classe décochée (ignorée)", timeout=TIMEOUT)
