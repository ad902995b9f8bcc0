"""The validation grid at full size: 30 pupils x the 29 items of compétence 1.

The school is prepared through the API (``Cartable.call`` in the page): a 30-pupil CM2 class
imported from a CSV made here, two of whose pupils have HTML in their names. Then, in the UI:
keyboard navigation (arrows move a visible focus, Space and Enter cycle, arrows' buttons are
reachable), the three kinds of arrows, sticky headers, names rendered as text, and an
accidental reload with unsaved changes ("Reprendre").
"""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from grid_helpers import (
    GridModel,
    class_csv,
    grid_cells,
    grid_layout,
    login,
    open_competence_1,
    prepare_class,
    settle,
)

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
HTML_NOM = "<b>X</b>"
HTML_PRENOM = "<img src=x onerror=window.__xss=1>"


def make_csv() -> str:
    return class_csv(30, [(HTML_NOM, "Zoé"), ("DURAND", HTML_PRENOM)])


def focused(page):
    return page.evaluate(
        """() => { const a = document.activeElement;
                   return a.dataset.key || a.dataset.fleche || a.tagName; }"""
    )


def test_grid_30_pupils_keyboard_arrows_and_safe_names(page, e2e):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("dialog", lambda d: d.accept())
    assert e2e.wait_state(page) == "ready"
    result = prepare_class(page, make_csv(), PASSWORD)
    assert result["eleves_ajoutes"] == 30, result
    login(page, "direction", PASSWORD)

    # Names with HTML are shown as text in the pupil list, never as markup.
    page.click('nav.menu button[data-vue="items"]')
    labels = page.locator(".liste-eleves label")
    expect(labels).to_have_count(30, timeout=TIMEOUT)
    texts = labels.all_inner_texts()
    assert any("<b>X</b>" in t.upper() or "<B>X</B>" in t for t in texts), texts
    assert any(HTML_PRENOM in t for t in texts), texts

    open_competence_1(page)
    layout = grid_layout(page)
    assert len(layout["eleves"]) == 30
    assert sum(len(d["rows"]) for d in layout["domaines"]) == 29
    assert page.locator("#grille-validations td.case-grille").count() == 30 * 29
    assert page.locator("#grille-validations img, #grille-validations b").count() == 0
    assert page.locator("main img").count() == 0
    headers = page.locator("#grille-validations th.eleve").all_inner_texts()
    assert any("<B>X</B>" in h.upper() for h in headers), headers
    assert any(HTML_PRENOM in h.replace("\n", " ") for h in headers), headers
    assert page.evaluate("() => window.__xss") is None
    e2e.screenshot(page, "grille-30-eleves")

    # ARIA grid roles and labels.
    grid = page.get_by_role("grid")
    expect(grid).to_have_count(1)
    first_key = f"{layout['eleves'][0]}:{layout['domaines'][0]['rows'][0]}"
    first = page.locator(f'td[data-key="{first_key}"]')
    expect(first).to_have_attribute("role", "gridcell")
    assert "pas de décision" in first.get_attribute("aria-label")

    model = GridModel(layout)
    el = layout["eleves"]
    d0 = layout["domaines"][0]
    rows0 = d0["rows"]

    # Keyboard: the grid has one tab stop (the first cell); arrows move a visible focus.
    expect(first).to_have_attribute("tabindex", "0")
    first.focus()
    assert focused(page) == first_key
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("ArrowRight")
    assert focused(page) == f"{el[1]}:{rows0[0]}"
    page.keyboard.press("ArrowDown")
    assert focused(page) == f"{el[1]}:{rows0[1]}"
    page.keyboard.press("Space")
    model.cell(el[1], rows0[1])
    settle(page)
    assert grid_cells(page) == model.cells  # validé
    page.keyboard.press("Enter")
    model.cell(el[1], rows0[1])
    assert grid_cells(page) == model.cells  # invalidé
    page.keyboard.press(" ")
    model.cell(el[1], rows0[1])
    assert grid_cells(page) == model.cells  # no decision again
    page.keyboard.press("Enter")
    model.cell(el[1], rows0[1])
    assert grid_cells(page) == model.cells
    # the roving tab stop follows the focus
    assert page.locator("#grille-validations [tabindex='0']").count() == 1
    page.keyboard.press("End")
    assert focused(page) == f"{el[-1]}:{rows0[1]}"
    page.keyboard.press("ArrowRight")  # stays on the last column
    assert focused(page) == f"{el[-1]}:{rows0[1]}"

    # Up from the first item row reaches the domaine header row: the column arrows.
    page.keyboard.press("Home")
    assert focused(page) == f"row:{rows0[1]}"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert focused(page) == f"domaine:{d0['id']}"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert focused(page) == f"column:{d0['id']}:{el[1]}"
    page.keyboard.press("Enter")  # column arrow of pupil 2: validate the whole column
    model.column(d0["id"], el[1])
    assert grid_cells(page) == model.cells
    page.keyboard.press("Space")  # second click: invalidate the column
    model.column(d0["id"], el[1])
    assert grid_cells(page) == model.cells
    arrow = page.locator(f'button[data-fleche="column:{d0["id"]}:{el[1]}"]')
    expect(arrow).to_have_attribute("data-prochain", "null")
    # the next click in the core's words, with what it covers (test_grid_fit.py has more)
    assert arrow.get_attribute("aria-label").startswith("Effacer tout : la colonne d")
    assert arrow.get_attribute("title") == arrow.get_attribute("aria-label")

    # Row arrow (mouse) on the last item: all 30 pupils.
    last_domaine = layout["domaines"][-1]
    last_row = last_domaine["rows"][-1]
    page.click(f'button[data-fleche="row:{last_row}"]')
    model.row(last_row)
    assert grid_cells(page) == model.cells
    assert sum(1 for (e, r) in model.cells if r == last_row) == 30

    # Domaine arrow: validate all, invalidate all, clear all.
    for _ in range(3):
        page.click(f'button[data-fleche="domaine:{last_domaine["id"]}"]')
        model.domaine(last_domaine["id"])
        assert grid_cells(page) == model.cells
    assert not any(r in last_domaine["rows"] for (e, r) in model.cells)

    # Sticky headers: scroll the table; the pupil names and the item column stay in view.
    wrap = page.locator(".grille-defilement")
    header = page.locator(f'th.eleve[data-eleve="{el[5]}"]')
    assert page.evaluate("() => getComputedStyle(document.querySelector('th.eleve')).position") \
        == "sticky"
    wrap.evaluate("w => { w.scrollTop = 900; w.scrollLeft = 600; }")
    box_wrap = wrap.bounding_box()
    box_head = header.bounding_box()
    assert abs(box_head["y"] - box_wrap["y"]) < 3, (box_head, box_wrap)
    row_head = page.locator(f'tr[data-row="{last_row}"] th')
    assert abs(row_head.bounding_box()["x"] - box_wrap["x"]) < 3
    e2e.screenshot(page, "grille-30-eleves-defilee")

    # An accidental reload with unsaved changes: the draft is offered back.
    dirty = page.locator("#etat-brouillon")
    expect(dirty).to_contain_text("modifications non enregistrées")
    assert page.evaluate("() => localStorage.getItem('cartable.draft')") is not None
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, "direction", PASSWORD)
    banner = page.locator(".brouillon-retrouve")
    expect(banner).to_contain_text("Des modifications non enregistrées ont été retrouvées")
    e2e.screenshot(page, "grille-brouillon-retrouve")
    page.click("#reprendre-brouillon")
    expect(page.locator("#grille-validations")).to_be_visible()
    assert grid_cells(page) == model.cells
    page.click("#enregistrer-validations")
    expect(page.locator(".messages .alerte.succes").last).to_contain_text(
        "Validations enregistrées")
    assert page.evaluate("() => localStorage.getItem('cartable.draft')") is None
    assert grid_cells(page) == model.cells
    assert page.evaluate("() => window.__xss") is None
