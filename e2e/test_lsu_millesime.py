"""Issue 17, point 10 at 1366×768: the LSU screen of a school whose CE2 bilans are of two school
years offers the year of the file (the most recent first), lists the bilans of the other year as
left out, and downloads a file of the chosen year only; an import names the file's bilans of
another school year before anything is written."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers import call
from lsu_helpers import LSU_XML, bilans_of, newer_year, uai_of
from school_helpers import built_once, onde_school, open_stored
from test_axe import Audit

from cartable.lsu import bilan, lsu_schema

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "Directrice-2026"
TIMEOUT = 90_000
NS = {"l": "urn:fr:edu:scolarite:lsun:bilans:import"}
XML = LSU_XML.read_bytes()
INES = sorted(bilans_of(XML))


def make_school(path: Path) -> bytes:
    """The ONDE school with the example's six bilans (2025-2026), three of them made again in
    2026-2027 (in CPython, in a thread of its own: Playwright's loop runs in the test's)."""
    def bilans(a, d):
        assert call(a, "lsu.import", {"data": XML}, d)["nb_importes"] == 6
        assert call(a, "lsu.import", {"data": newer_year(XML, INES[:3])}, d)["nb_importes"] == 3

    return onde_school(path, PASSWORD, uai=uai_of(XML), then=bilans)


@pytest.fixture(scope="module")
def school_bytes(tmp_path_factory) -> bytes:
    return built_once(tmp_path_factory, "lsu-millesime", make_school)


def test_lsu_screen_offers_the_school_year_and_exports_one(page, e2e, school_bytes, tmp_path):
    open_stored(page, e2e, school_bytes, TIMEOUT)
    page.get_by_label("Identifiant").fill("direction")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.click('nav.menu button[data-vue="lsu"]')

    year = page.locator("#millesime-lsu")
    expect(year).to_be_visible()
    assert year.locator("option").all_inner_texts() == [
        "2026-2027 (3 bilans complets)", "2025-2026 (3 bilans complets)"]
    assert year.input_value() == "2026"
    preflight = page.locator("#preflight-lsu")
    expect(preflight).to_contain_text("3 bilans complets seront exportés (année 2026-2027)")
    left = page.locator("#liste-preflight tbody tr",
                        has_text="bilan de l'année 2025-2026 : le fichier est celui de 2026-2027")
    expect(left).to_have_count(3)
    e2e.screenshot(page, "lsu-millesime-2026")
    audit = Audit(page)  # the school year's choice: no WCAG 2.1 A/AA violation
    audit("lsu: année scolaire du fichier")
    assert not audit.found, audit.report()
    page.set_viewport_size({"width": 683, "height": 384})  # 200 % zoom
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    e2e.screenshot(page, "lsu-millesime-zoom-200")
    page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as download:
        page.click("#exporter-lsu")
    data = Path(download.value.path()).read_bytes()
    assert lsu_schema.errors(data) == []
    assert sorted(bilans_of(data)) == INES[:3]
    root = ElementTree.fromstring(data)
    assert {b.get("millesime") for b in root.iterfind(".//l:bilan-cycle", NS)} == {"2026"}

    year.select_option("2025")
    expect(preflight).to_contain_text("3 bilans complets seront exportés (année 2025-2026)")
    expect(page.locator("#liste-preflight tbody tr", has_text="bilan de l'année 2026-2027")
           ).to_have_count(3)
    with page.expect_download() as download:
        page.click("#exporter-lsu")
    data = Path(download.value.path()).read_bytes()
    assert sorted(bilans_of(data)) == INES[3:]
    e2e.screenshot(page, "lsu-millesime-2025")

    # An import of the example (2025-2026): named as another school year, nothing written yet.
    before = e2e.idb_get(page)
    path = tmp_path / "exemple.xml"
    path.write_bytes(XML)
    page.locator(".vue-lsu input[type=file]").set_input_files(str(path))
    page.click("#analyser-lsu")
    report = page.locator(".rapport-lsu")
    expect(page.locator("#rapport-import-lsu tbody tr")).to_have_count(6)
    current = int(bilan.millesime(datetime.date.today()))  # the browser's clock is the same
    if current != 2025:  # the example's bilans are of 2025-2026
        expect(report).to_contain_text(
            f"Attention : 6 bilans du fichier sont d'une autre année scolaire que "
            f"{current}-{current + 1} : 2025-2026 (6 bilans).")
        expect(page.locator("#rapport-import-lsu tbody tr", has_text="bilan de l'année 2025-2026")
               ).to_have_count(6)
    assert e2e.idb_get(page) == before
    report.scroll_into_view_if_needed()
    e2e.screenshot(page, "lsu-millesime-import")
