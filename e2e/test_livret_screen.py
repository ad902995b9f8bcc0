"""The livret scolaire clicked through in the built app (file://), in Chromium.

The school is made through ``Cartable.call`` (setup, ONDE import in Pyodide, a CM1 teacher);
the director sets the periods in « Périodes » (a refusal first, then the proposal); the CM1
teacher enters the class's éléments de programme and a projet for period 1, positions the class
with rubrique arrows, a pupil arrow, single clicks and the keyboard (1–4, N, Space), undoes a
click with Ctrl+Z, writes appréciations, a parcours comment and a PPRE in the pupils' fiches,
saves, and opens the families' printed livrets (PDF from Chromium, nothing past the right edge);
the director sees the progress on the home page, the pre-flight list of the period, and
downloads the LSU file, whose bilans must be exactly what the clicks made.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from lsu_helpers import periodic_of
from school_helpers import DIRECTOR, TEACHER, login, menu, notice, school_with_teacher

TIMEOUT = 60_000
CM1 = "[CM1] CE2-CM1 Mme LUCAS"
CYCLE = [None, 1, 2, 3, 4, 0]  # a cell's click: empty -> 1 -> … -> 4 -> non évalué -> empty
ELEMENTS = {"FRA-LEC": "Lecture suivie d'un roman", "MAT-NBC": "Les fractions simples",
            "EPS-RAC": "Course d'orientation", "HIG-RAC": "La Préhistoire"}
PROJET = "Élection des délégués et premier conseil d'élèves."
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

def settle(page):
    expect(page.locator("#grille-livret")).not_to_have_class(re.compile("en-cours"), timeout=TIMEOUT)


def set_periods(page, e2e) -> str:
    """A refused period first (French, at the top), then the proposed dates saved."""
    menu(page, "periodes")
    expect(page.locator("#nombre-periodes")).to_have_value("3", timeout=TIMEOUT)
    debut = page.locator("#periode-1-debut").input_value()
    fin = page.locator("#periode-1-fin")
    proposed = fin.input_value()
    fin.fill(f"{int(debut[:4]) - 1}{debut[4:]}")
    page.click("#enregistrer-periodes")
    expect(page.locator(".alertes .alerte.erreur")).to_contain_text("avant de commencer", timeout=TIMEOUT)
    fin.fill(proposed)
    page.click("#enregistrer-periodes")
    notice(page, "enregistrées : 3 périodes.")
    expect(page.locator(".periodes-annee tbody tr")).to_have_count(3, timeout=TIMEOUT)
    e2e.screenshot(page, "livret-01-periodes")
    return debut[:4]


def enter_elements(page, e2e):
    page.click("#onglet-elements")
    expect(page.locator("#elements-classe")).to_be_visible(timeout=TIMEOUT)
    for code, libelle in ELEMENTS.items():
        page.click(f'button[data-ajouter="{code}"]')
        page.locator(f'ol.liste-elements[data-rubrique="{code}"] textarea').last.fill(libelle)
    page.fill('textarea[data-projet="PAR_CIT"]', PROJET)
    counter = page.locator('textarea[data-projet="PAR_CIT"] + .compteur')
    expect(counter).to_have_text(f"{len(PROJET)} / 600 caractères", timeout=TIMEOUT)
    e2e.screenshot(page, "livret-02-elements")
    page.click("#enregistrer-elements")
    notice(page, "Éléments de programme et projets de la classe enregistrés.")
    page.click("#onglet-grille")
    expect(page.locator("#grille-livret")).to_be_visible(timeout=TIMEOUT)


class Model:
    """The cells as the clicks make them: {(eleve_id, code): position}."""

    def __init__(self, pupils, codes):
        self.pupils, self.codes, self.cells, self.arrows = pupils, codes, {}, {}

    def set(self, key, value):
        if value is None:
            self.cells.pop(key, None)
        else:
            self.cells[key] = value

    def cell(self, eid, code, valeur="next"):
        key = (eid, code)
        self.set(key, CYCLE[(CYCLE.index(self.cells.get(key)) + 1) % 6] if valeur == "next" else valeur)

    def arrow(self, name, keys):
        state = self.arrows.get(name, 1)
        for key in keys:
            self.set(key, state)
        self.arrows[name] = CYCLE[(CYCLE.index(state) + 1) % 6]


def position_class(page, pupils, codes) -> Model:
    grid = page.locator("#grille-livret")
    m = Model(pupils, codes)
    ids = [eid for eid, _ in pupils]
    for _ in range(2):  # Lecture: everyone 1, then everyone 2
        grid.locator('button[data-fleche="rubrique:FRA-LEC"]').click()
        m.arrow("FRA-LEC", [(e, "FRA-LEC") for e in ids])
    grid.locator('button[data-fleche="rubrique:MAT-NBC"]').click()
    m.arrow("MAT-NBC", [(e, "MAT-NBC") for e in ids])
    settle(page)
    arrow = grid.locator('button[data-fleche="rubrique:FRA-LEC"]')
    expect(arrow).to_have_attribute("title", re.compile(r"^Tout positionner à 3 \(atteints\) : la colonne « Lecture"), timeout=TIMEOUT)
    last = ids[-1]  # the last pupil: his whole line at 1 (positions without éléments)
    grid.locator(f'button[data-fleche="eleve:{last}"]').click()
    m.arrow(f"eleve:{last}", [(last, c) for c in codes])
    for _ in range(3):  # single clicks: 1, 2, 3
        grid.locator(f'td[data-key="{ids[0]}:EPS-RAC"]').click()
        m.cell(ids[0], "EPS-RAC")
    grid.locator(f'td[data-key="{ids[1]}:EPS-RAC"]').click()
    m.cell(ids[1], "EPS-RAC")
    cell = grid.locator(f'td[data-key="{ids[2]}:HIG-RAC"]')  # the keyboard
    cell.click()
    m.cell(ids[2], "HIG-RAC")
    cell.press("4")
    m.cell(ids[2], "HIG-RAC", 4)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("n")
    m.cell(ids[3], "HIG-RAC", 0)
    page.keyboard.press("ArrowDown")
    page.keyboard.press(" ")
    m.cell(ids[4], "HIG-RAC")
    page.keyboard.press("ArrowDown")  # a click taken back with Ctrl+Z
    page.keyboard.press("3")
    settle(page)
    expect(grid.locator(f'td[data-key="{ids[5]}:HIG-RAC"]')).to_have_attribute("data-position", "3", timeout=TIMEOUT)
    expect(page.locator("#annuler-livret")).to_have_attribute("title", re.compile("^Annuler : "), timeout=TIMEOUT)
    page.keyboard.press("Control+z")
    settle(page)
    shown = {(eid, c): grid.locator(f'td[data-key="{eid}:{c}"]').get_attribute("data-position")
             for eid in ids for c in codes}
    assert {k: v for k, v in shown.items() if v} == {k: str(v) for k, v in m.cells.items()}
    return m


def write_fiches(page, pupils) -> dict:
    """Appréciations for every pupil but the last; a parcours comment and a PPRE for the first."""
    texts = {}
    for eid, name in pupils[:-1]:
        page.click(f'button.bouton-fiche[data-eleve="{eid}"]')
        fiche = page.locator(f'#fiche-livret[data-eleve="{eid}"]')
        expect(fiche).to_be_visible(timeout=TIMEOUT)
        generale = f"{name} travaille avec sérieux <trimestre 1> & progresse."
        fiche.locator("#appreciation-generale").fill(generale)
        fiche.locator("#appreciation-generale").press("Tab")
        hig = f"{name} s'intéresse à la Préhistoire."
        fiche.locator('textarea[data-appreciation="HIG-RAC"]').fill(hig)
        fiche.locator('textarea[data-appreciation="HIG-RAC"]').press("Tab")
        texts[eid] = (generale, hig)
        settle(page)
    eid = pupils[0][0]
    page.click(f'button.bouton-fiche[data-eleve="{eid}"]')
    fiche = page.locator(f'#fiche-livret[data-eleve="{eid}"]')
    fiche.locator('textarea[data-parcours="PAR_CIT"]').fill("A animé le premier conseil.")
    fiche.locator('textarea[data-parcours="PAR_CIT"]').press("Tab")
    settle(page)
    fiche.locator('input[data-modalite="PPRE"]').check()
    settle(page)
    area = page.locator('#fiche-livret textarea[data-complement="PPRE"]')
    area.fill("Lecture à voix haute")
    area.press("Tab")
    settle(page)
    counter = page.locator("#fiche-livret #appreciation-generale + .compteur")
    expect(counter).to_have_text(f"{len(texts[eid][0])} / 1500 caractères", timeout=TIMEOUT)
    expect(page.locator("#fiche-livret .alerte.succes")).to_contain_text("Livret complet", timeout=TIMEOUT)
    return texts


def fits(page) -> dict:
    return page.evaluate("""() => {
      const w = document.querySelector('.defilement-livret'), f = document.querySelector('#fiche-livret');
      const r = f.getBoundingClientRect();
      return {page: document.documentElement.scrollWidth <= innerWidth,
              table: w.scrollWidth <= w.clientWidth, fiche: r.right <= innerWidth && r.width > 250,
              height: document.documentElement.scrollHeight <= innerHeight + 1};
    }""")


def print_livrets(page, e2e, pupils):
    page.click("#imprimer-livrets")
    pages = page.locator("#impression-livrets .page-livret")
    expect(pages).to_have_count(len(pupils) - 1, timeout=TIMEOUT)
    expect(page.locator("#note-impression")).to_contain_text("1 livret incomplet n'est pas imprimé", timeout=TIMEOUT)
    first = pages.first
    expect(first).to_contain_text("Livret scolaire — Trimestre 1", timeout=TIMEOUT)
    expect(first).to_contain_text(ELEMENTS["FRA-LEC"], timeout=TIMEOUT)
    row = first.locator('tr[data-rubrique="FRA-LEC"]')
    expect(row.locator('td.marque[data-valeur="2"]')).to_have_text("×", timeout=TIMEOUT)
    expect(row.locator('td.marque[data-valeur="1"]')).to_have_text("", timeout=TIMEOUT)
    expect(first).to_contain_text("Programme personnalisé de réussite éducative : Lecture à voix haute", timeout=TIMEOUT)
    expect(first.locator(".signatures div")).to_have_count(3, timeout=TIMEOUT)
    page.click("#imprimer-tous")
    expect(pages).to_have_count(len(pupils), timeout=TIMEOUT)
    e2e.screenshot(page, "livret-04-impression")
    page.emulate_media(media="print")
    expect(page.locator("#app")).to_be_hidden(timeout=TIMEOUT)
    page.set_viewport_size({"width": 703, "height": 1000})  # A4's printable width (186 mm)
    cut = page.evaluate("""() => [...document.querySelectorAll('.page-livret')].flatMap((p) => {
      const right = p.getBoundingClientRect().right;
      return [p, ...p.querySelectorAll('table, th, td, li, p, div')]
        .filter((n) => n.scrollWidth > n.clientWidth + 1 || n.getBoundingClientRect().right > right + 0.5)
        .map((n) => n.tagName + ': ' + n.textContent.slice(0, 40));
    })""")
    assert cut == []
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "livret-impression.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= len(pupils)  # a page (or two) each
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.click("#fermer-impression")


def expected(m, pupils, texts):
    """{eleve_id: {code: (positionnement, non-evalue)}} for the complete pupils: a rubrique
    with éléments and no position 1–4 goes to LSU as « non évalué »."""
    out = {}
    for eid, _ in pupils[:-1]:
        out[eid] = dict.fromkeys(ELEMENTS, ("", "true"))
        out[eid].update({code: ("", "true") if v == 0 else (str(v), None)
                         for (e, code), v in m.cells.items() if e == eid})
    return out


def positions_of(bilan) -> dict:
    got = {}
    for rub, _appr, subs in bilan["acquis"].values():
        for r in subs or [rub]:
            if r[2] is not None or r[3] is not None:
                got[r[0]] = (r[2] or "", r[3])
    return got


def check_file(data: bytes, m, pupils, texts, year):
    bilans = periodic_of(data)
    by_name = {f"{b['eleve'][0]} {b['eleve'][1]}": b for b in bilans.values()}
    names = dict(pupils)
    assert sorted(by_name) == sorted(names[e] for e, _ in pupils[:-1])
    want = expected(m, pupils, texts)
    for eid, name in pupils[:-1]:
        b = by_name[name]
        got = positions_of(b)
        assert {c: (p if p else "", ne) for c, (p, ne) in got.items()} == {
            c: (p, ne) for c, (p, ne) in want[eid].items()}, name
        assert b["appreciation"] == texts[eid][0]
        assert b["acquis"]["HIG-RAC"][1] == texts[eid][1]
        assert [s[1] for s in b["acquis"]["FRA-RAC"][2] if s[0] == "FRA-LEC"] == [[ELEMENTS["FRA-LEC"]]]
        assert b["auteurs"] == [("MME", "LUCAS", "Claire")]
        assert b["periode"][:3] == (year, "1", "3")
        assert b["communs"] == [("PAR_CIT", PROJET)]
    first = by_name[pupils[0][1]]
    assert first["parcours"] == [("PAR_CIT", "A animé le premier conseil.")]
    assert first["modalites"] == [("PPRE", ["Lecture à voix haute"])]


def test_livret_from_periods_to_lsu(page, e2e):
    page.set_viewport_size({"width": 1366, "height": 768})
    assert school_with_teacher(page, e2e, CM1, uai="0441234C", civilite="MME") == 11
    login(page, *DIRECTOR)
    year = set_periods(page, e2e)
    page.click("#deconnexion")

    login(page, *TEACHER)
    menu(page, "livret")
    page.locator("#livret-periode").select_option(index=0)
    page.click("#ouvrir-livret")
    expect(page.locator("#grille-livret")).to_be_visible(timeout=TIMEOUT)
    enter_elements(page, e2e)
    rows = page.locator("#grille-livret tbody tr")
    pupils = [(int(r.get_attribute("data-eleve")), r.locator(".nom-ligne").inner_text())
              for r in rows.all()]
    codes = [th.get_attribute("data-code") for th in page.locator("#grille-livret th.rubrique").all()]
    assert len(pupils) == 11 and len(codes) == 15
    m = position_class(page, pupils, codes)
    texts = write_fiches(page, pupils)
    expect(page.locator("#etat-livret")).to_contain_text("11 élèves modifiés non enregistrés", timeout=TIMEOUT)
    e2e.screenshot(page, "livret-03-grille")
    assert fits(page) == {"page": True, "table": True, "fiche": True, "height": True}
    page.click("#enregistrer-livrets")
    notice(page, "Livrets enregistrés : 11 élèves.")
    expect(page.locator("#etat-livret")).to_contain_text("10 livrets complets sur 11", timeout=TIMEOUT)
    print_livrets(page, e2e, pupils)
    page.click("#deconnexion")

    login(page, *DIRECTOR)
    expect(page.locator("#avancement-livrets")).to_contain_text(
        f"{CM1}, Trimestre 1 : 10 livrets complets sur 11.", timeout=TIMEOUT)
    menu(page, "lsu")
    expect(page.locator("#lsu-bilans option")).to_have_count(4, timeout=TIMEOUT)
    value = page.evaluate("""() => [...document.querySelectorAll('#lsu-bilans option')]
      .find((o) => o.textContent.startsWith('Bilans périodiques : Trimestre 1 ')).value""")
    page.locator("#lsu-bilans").select_option(value)
    expect(page.locator("#preflight-lsu")).to_contain_text("10 bilans complets seront exportés",
                                                           timeout=TIMEOUT)
    expect(page.locator("#liste-preflight")).to_contain_text(pupils[-1][1], timeout=TIMEOUT)
    expect(page.locator("#liste-preflight")).to_contain_text("positionnement sans élément", timeout=TIMEOUT)
    e2e.screenshot(page, "livret-05-export")
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#exporter-lsu")
    download = info.value
    assert download.suggested_filename.startswith(f"LSU_bilans-periodiques_0441234C_{year}-P1_")
    check_file(Path(download.path()).read_bytes(), m, pupils, texts, year)
