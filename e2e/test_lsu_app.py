"""The bilan de fin de cycle 2 and the LSU export, clicked through in the built app (file://).

The school is made through ``Cartable.call`` (setup, ONDE import in Pyodide, the CE2 teacher);
the director gives the UAI and civilités in Réglages and Professeurs; the CE2 teacher positions
the class with pupil arrows, a composante arrow, single clicks and the keyboard, writes the
synthèses (one left empty), saves and opens the printable bilans; the director sees the
pre-flight list and downloads the LSU file, which must hold exactly the positions and synthèses
computed here from the clicks, signed by the teacher.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from school_helpers import DIRECTOR, TEACHER, login, menu, notice, school_with_teacher

expect = pytest.importorskip("playwright.sync_api").expect

NS = {"l": "urn:fr:edu:scolarite:lsun:bilans:import"}
TIMEOUT = 60_000
CE2 = "[CE2] CE2-CM1 Mme LUCAS"
CODES = ["CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND"]
CYCLE = [None, 1, 2, 3, 4, 0]


def settle(page):
    expect(page.locator("#grille-bilan")).not_to_have_class(re.compile("en-cours"), timeout=TIMEOUT)


def director_identity(page):
    """UAI and the director's civilité in Réglages; the teacher's civilité in Professeurs."""
    menu(page, "reglages")
    page.get_by_label("Numéro UAI").fill("0441234C")
    page.locator(".vue-reglages form").first.get_by_role("button", name="Enregistrer").click()
    notice(page, "Les informations de l'école sont enregistrées")
    page.select_option("#directeur-civilite", "MME")
    page.locator("#identite-directeur").get_by_role("button", name="Enregistrer").click()
    notice(page, "L'identité du directeur ou de la directrice est enregistrée")
    menu(page, "professeurs")
    row = page.locator("#liste-professeurs tr", has_text="cla.lucas")
    row.get_by_role("button", name="Modifier").click()
    page.locator("tr.edition select").select_option("MME")
    page.locator("tr.edition").get_by_role("button", name="Enregistrer").click()
    notice(page, "Professeur modifié")
    expect(page.locator("#liste-professeurs tr", has_text="cla.lucas").locator("td.civilite")
           ).to_have_text("Mme")


def position_class(page, pupils):
    """The teacher's clicks; returns the expected positions {name: {code: value}}."""
    grid = page.locator("#grille-bilan")
    model = {name: dict.fromkeys(CODES) for _, name in pupils}
    for i, (eid, name) in enumerate(pupils):  # pupil arrow clicked 1 to 4 times: 1, 2, 3, 4
        for _ in range(i % 4 + 1):
            grid.locator(f'button[data-fleche="eleve:{eid}"]').click()
        model[name].update(dict.fromkeys(CODES, i % 4 + 1))
    grid.locator('button[data-fleche="composante:CPD_ETR"]').click()  # everyone: 1
    for positions in model.values():
        positions["CPD_ETR"] = 1
    eid, name = pupils[0]
    for _ in range(2):  # a single cell, twice: 1 -> 2 -> 3
        grid.locator(f'td[data-key="{eid}:CPD_SCI"]').click()
        model[name]["CPD_SCI"] = CYCLE[(CYCLE.index(model[name]["CPD_SCI"]) + 1) % len(CYCLE)]
    eid, name = pupils[1]  # the keyboard: Space on CPD_ART, → then Enter on MET_APP
    cell = grid.locator(f'td[data-key="{eid}:CPD_ART"]')
    cell.click()
    model[name]["CPD_ART"] = CYCLE[(CYCLE.index(model[name]["CPD_ART"]) + 1) % len(CYCLE)]
    cell.press(" ")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    for code in ("CPD_ART", "MET_APP"):
        model[name][code] = CYCLE[(CYCLE.index(model[name][code]) + 1) % len(CYCLE)]
    settle(page)
    shown = {name: {c: grid.locator(f'td[data-key="{eid}:{c}"]').get_attribute("data-position")
                    for c in CODES} for eid, name in pupils}
    assert shown == {n: {c: str(v) for c, v in m.items()} for n, m in model.items()}
    return model


def write_syntheses(page, pupils) -> dict:
    texts = {}
    for eid, name in pupils[:-1]:  # the last pupil keeps an empty synthèse
        text = f"{name} a bien travaillé en CE2 <cycle 2> & progresse."
        area = page.locator(f'textarea.synthese[data-eleve="{eid}"]')
        area.fill(text)
        area.press("Tab")  # change: sent to the core
        texts[name] = text
    counter = page.locator(f'textarea.synthese[data-eleve="{pupils[0][0]}"] + .compteur')
    expect(counter).to_have_text(f"{len(texts[pupils[0][1]])} / 1500 caractères")
    settle(page)
    return texts


def test_bilan_grid_and_lsu_export(page, e2e):
    assert school_with_teacher(page, e2e, CE2) == 12
    login(page, *DIRECTOR)
    director_identity(page)
    page.click("#deconnexion")

    login(page, *TEACHER)
    menu(page, "bilan")
    page.get_by_role("button", name=re.compile(re.escape(CE2))).click()
    expect(page.locator("#grille-bilan")).to_be_visible(timeout=TIMEOUT)
    rows = page.locator("#grille-bilan tbody tr")
    pupils = [(r.get_attribute("data-eleve"), r.locator(".nom-ligne").inner_text())
              for r in rows.all()]
    assert len(pupils) == 12
    model = position_class(page, pupils)
    texts = write_syntheses(page, pupils)
    expect(page.locator("#etat-bilan")).to_contain_text("12 élèves modifiés non enregistrés")
    page.click("#enregistrer-bilans")
    notice(page, "Bilans enregistrés : 12 élèves.")
    expect(page.locator("#etat-bilan")).to_contain_text("Bilans complets : 11 sur 12")
    e2e.screenshot(page, "lsu-01-bilan")

    page.click("#imprimer-bilans")
    pages = page.locator("#impression-bilans .page-bilan")  # the 11 complete bilans
    expect(pages).to_have_count(11, timeout=TIMEOUT)
    expect(pages.first).to_contain_text("Bilan de fin de cycle 2")
    expect(pages.first.locator("td.position").first).to_have_text(
        {1: "Maîtrise insuffisante", 2: "Maîtrise fragile", 3: "Maîtrise satisfaisante",
         4: "Très bonne maîtrise"}[model[pupils[0][1]]["CPD_FRA"]])
    e2e.screenshot(page, "lsu-02-impression")
    page.emulate_media(media="print")  # the print stylesheet: only the families' pages
    expect(page.locator("#app")).to_be_hidden()
    expect(pages.nth(10)).to_be_visible()
    expect(page.locator("#impression-bilans button").first).to_be_hidden()
    page.emulate_media(media="screen")
    page.click("#fermer-impression")
    page.click("#deconnexion")

    login(page, *DIRECTOR)
    menu(page, "lsu")
    expect(page.locator("#preflight-lsu")).to_contain_text("11 bilans complets seront exportés",
                                                           timeout=TIMEOUT)
    expect(page.locator("#liste-preflight")).to_contain_text(pupils[-1][1])
    expect(page.locator("#liste-preflight")).to_contain_text("synthèse vide")
    e2e.screenshot(page, "lsu-03-export")
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#exporter-lsu")
    download = info.value
    assert download.suggested_filename.startswith("LSU_bilans-cycle2_0441234C_")
    check_file(Path(download.path()).read_bytes(), model, texts)


def check_file(data: bytes, model: dict, texts: dict):
    root = ElementTree.fromstring(data)
    d = "l:donnees/"
    names = {e.get("id"): f"{e.get('nom')} {e.get('prenom')}"
             for e in root.iterfind(d + "l:eleves/l:eleve", NS)}
    [teacher] = root.iterfind(d + "l:enseignants/l:enseignant", NS)
    assert (teacher.get("civilite"), teacher.get("nom"), teacher.get("prenom")) == (
        "MME", "LUCAS", "Claire")
    [director] = root.iterfind(d + "l:directeurs/l:directeur", NS)
    assert director.get("civilite") == "MME"
    got = {}
    for b in root.iterfind(d + "l:bilans-cycle/l:bilan-cycle", NS):
        assert b.get("enseignant-refs") == teacher.get("id")
        got[names[b.get("eleve-ref")]] = (
            {x.get("code"): int(x.get("positionnement")) for x in b.iterfind("l:socle/l:domaine", NS)},
            b.find("l:synthese", NS).text)
    assert got == {name: (model[name], texts[name]) for name in texts}
