"""Work that must not look lost (issue 17, points 1-4), in Chromium at 1366x768.

- the first screen on an empty storage (a moved folder) offers both ways as equals, and opening
  a school file always shows what it holds (school, UAI, last change, pupils, decisions,
  bilans) and asks first: cancelled, nothing is opened;
- the reminder counts the decisions changed (saving 26 cells is 26), the banner and the
  Fichier screen say the same number, and the banner keeps its whole height over a grid;
- the download is named to the minute, the notice names it and warns about « (1) », and the
  downloaded file carries its save time ("last saved" means saved);
- logging out with unsaved work asks: stay, leave, or save then leave.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

import school_helpers
from school_helpers import cm2_school, in_thread

from cartable.socle2008 import referentiel

TIMEOUT = 60_000
PASSWORD = "Directrice-2012"
NAME = re.compile(r"ecole-cartable-\d{4}-\d\d-\d\d-\d\dh\d\d\.sqlite3")


def make_school(path: Path) -> Path:
    """A school file made by the core in CPython (in a thread: Playwright's sync API runs an
    event loop in this one): 30 pupils of CM2 A, 3 decisions, 2 bilans, its last change set."""
    return in_thread(lambda: cm2_school(path, PASSWORD, pupils=30, name="ÉLÈVE{i:02d}",
                                        stamp="2026-12-01T20:14:00", more=_decisions))


def _decisions(db) -> None:
    for item in (1, 2, 3):
        db.execute("INSERT INTO validation_item VALUES (1, ?, 1, '2026-11-30', 'DUPUIS M.')",
                   (item,))
    for eleve in (1, 2):
        db.execute("INSERT INTO bilan_cycle VALUES (?, 2, '2026', '', '2026-11-30', "
                   "'2026-11-30T10:00:00', 'saisie')", (eleve,))


def login(page, user="direction", password=PASSWORD):
    school_helpers.login(page, user, password)


def menu(page, vue: str):
    folded = page.locator('#deplier-menu[aria-expanded="false"]')
    if folded.count() and folded.is_visible():
        folded.click()
    school_helpers.menu(page, vue)


def meta_of(data: bytes, tmp_path: Path) -> dict:
    p = tmp_path / "lu.sqlite3"
    p.write_bytes(data)
    with sqlite3.connect(p) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    p.unlink()
    return meta


@pytest.fixture
def screen(page, e2e):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    assert e2e.wait_state(page) == "ready"
    return page


def open_from_first_screen(page, e2e, source: Path):
    """The first screen, both ways side by side; the file's contents shown and confirmed."""
    card = page.locator(".ecran-creation")
    expect(card.locator("h2")).to_have_text("Bienvenue dans Cartable", timeout=TIMEOUT)
    opening = card.locator(".premiere-ouverture-fichier")
    creating = card.locator(".voie-creation")
    expect(opening.locator("h3")).to_have_text("Vous avez déjà une école ? Ouvrez son fichier")
    expect(creating.locator("h3")).to_have_text("Créer l'école")
    expect(page.locator("#note-firefox-creation")).to_have_count(0)  # Firefox only
    a, b = opening.bounding_box(), creating.bounding_box()
    assert abs(a["y"] - b["y"]) < 2 and abs(a["width"] - b["width"]) < 2, (a, b)  # as equals
    assert a["x"] + a["width"] <= b["x"]  # side by side
    assert b["x"] + b["width"] <= 1366
    e2e.screenshot(page, "confiance-01-premier-ecran")

    # Cancelled: nothing opened, the storage still empty.
    page.set_input_files("#ouvrir-fichier-ecole", str(source))
    dialog = page.locator("#confirmer-ouverture")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    expect(dialog.locator("h2")).to_have_text("Ouvrir ce fichier d'école ?")
    assert dialog.locator("li").all_inner_texts() == [
        f"Fichier : {source.name}", "École : École Jules Ferry", "UAI : 0441234C",
        "Dernière modification : le 01/12/2026 à 20 h 14", "Élèves : 30 élèves",
        "Décisions (items et compétences) : 3 décisions", "Bilans : 2 bilans"]
    e2e.screenshot(page, "confiance-02-ouvrir-confirmation")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_have_count(0)
    assert e2e.call(page, "app.status")["needs_setup"] is True
    expect(card).to_be_visible()

    page.set_input_files("#ouvrir-fichier-ecole", str(source))
    dialog.get_by_role("button", name="Ouvrir cette école").click()
    expect(page.locator(".ecran-connexion")).to_contain_text(source.name, timeout=TIMEOUT)
    login(page)


def test_first_screen_opening_and_the_work_counted(screen, e2e, tmp_path):
    page = screen
    source = make_school(tmp_path / "ecole-cartable-2026-12-01-20h14(1).sqlite3")
    open_from_first_screen(page, e2e, source)

    # Opened: nothing unsaved; the last save is the file's (never saved from a browser).
    menu(page, "fichier")
    state = page.locator("#etat-fichier")
    expect(state).to_have_text("Le fichier de l'école n'a encore jamais été enregistré.",
                               timeout=TIMEOUT)

    # 26 cells clicked and saved in the grid: 26 decisions, one reminder saying so, over the grid.
    menu(page, "items")
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    page.check('.liste-competences input[data-ref="1"]')
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
    validated = page.locator("#grille-validations td.case-grille[data-etat='1']")
    before = validated.count()
    cells = page.locator("#grille-validations td.case-grille")
    for i in range(26):
        cells.nth(2 * i).click()  # 26 different cells, undecided -> validated
    expect(validated).to_have_count(before + 26, timeout=TIMEOUT)
    banner = page.locator("#rappel-fichier")
    assert banner.count() == 0  # the draft is not the school yet
    page.click("#enregistrer-validations")
    expect(page.locator("#etat-brouillon")).to_contain_text(
        "Toutes les modifications sont enregistrées", timeout=TIMEOUT)
    expect(banner).to_contain_text("26 décisions ou bilans modifiés et le fichier de l'école "
                                   "n'a encore jamais été enregistré", timeout=TIMEOUT)
    # Readable over the grid: the banner area holds the whole banner.
    area = page.evaluate("""() => { const a = document.querySelector('.bandeaux');
        const b = document.getElementById('rappel-fichier');
        return {area: a.getBoundingClientRect().height, banner: b.getBoundingClientRect().height,
                scroll: b.scrollHeight, client: b.clientHeight,
                bottom: b.getBoundingClientRect().bottom, top: a.getBoundingClientRect().top}; }""")
    assert area["banner"] >= 40 and area["area"] >= area["banner"], area
    assert area["scroll"] <= area["client"] + 1, area
    expect(banner.get_by_role("button", name="Enregistrer le fichier de l'école")).to_be_in_viewport()
    e2e.screenshot(page, "confiance-03-rappel-sur-la-grille")

    # The Fichier screen says the same number.
    menu(page, "fichier")
    expect(state).to_have_text("Le fichier de l'école n'a encore jamais été enregistré. 26 "
                               "décisions ou bilans modifiés depuis la création de l'école.",
                               timeout=TIMEOUT)
    assert e2e.call(page, "school.saving_state")["modifications"] == 26

    # Saved from the banner: named to the minute, the notice names it and warns about « (1) ».
    with page.expect_download() as saved:
        banner.get_by_role("button", name="Enregistrer le fichier de l'école").click()
    name = saved.value.suggested_filename
    assert NAME.fullmatch(name), name
    notice = page.locator(".messages .alerte.succes").last
    expect(notice).to_contain_text(f"« {name} » a été téléchargé", timeout=TIMEOUT)
    expect(notice).to_contain_text("« (1) »")
    expect(banner).to_have_count(0, timeout=TIMEOUT)
    meta = meta_of(Path(saved.value.path()).read_bytes(), tmp_path)
    assert meta["modifications_non_enregistrees"] == "0"
    stamp = meta["dernier_enregistrement"]
    day, hour = name[len("ecole-cartable-"):-len(".sqlite3")].rsplit("-", 1)
    assert stamp.startswith(f"{day}T{hour.replace('h', ':')}"), (stamp, name)
    d, t = stamp.split("T")
    when = f"le {d[8:10]}/{d[5:7]}/{d[:4]} à {t[:2]} h {t[3:5]}"
    expect(state).to_have_text(f"Fichier de l'école enregistré pour la dernière fois {when}. "
                               "Rien n'a changé depuis.", timeout=TIMEOUT)
    e2e.screenshot(page, "confiance-04-fichier-enregistre")

    # One decision more, then logging out: asked first (stay, leave, or save then leave).
    item = referentiel.get().competences[8].domaines[-1].items[-1].id
    e2e.call(page, "validation.grid", "{palier_id: 2, classe_id: 1, eleve_ids: [30], "
             "competence_id: 8}")
    e2e.call(page, "validation.click",
             f"{{target: {{kind: 'cell', eleve_id: 30, row_id: {item}}}}}")
    e2e.call(page, "validation.save")
    menu(page, "accueil")
    menu(page, "fichier")
    expect(state).to_contain_text("1 décision ou bilan modifié depuis.", timeout=TIMEOUT)
    page.remove_locator_handler(page.locator("#rappel-deconnexion"))  # conftest's: looked at here
    page.click("#deconnexion")
    ask = page.locator("#rappel-deconnexion")
    expect(ask).to_be_visible(timeout=TIMEOUT)
    expect(ask.locator("h2")).to_have_text("Le fichier de l'école n'est pas à jour")
    expect(ask).to_contain_text("1 décision ou bilan modifié depuis le dernier enregistrement "
                                f"du fichier de l'école ({when})")
    e2e.screenshot(page, "confiance-05-deconnexion")
    ask.get_by_role("button", name="Annuler").click()
    expect(ask).to_have_count(0)
    expect(page.locator("nav.menu")).to_be_visible()  # still logged in
    page.click("#deconnexion")
    with page.expect_download() as last:
        ask.get_by_role("button", name="Enregistrer le fichier, puis se déconnecter").click()
    expect(page.locator(".ecran-connexion")).to_be_visible(timeout=TIMEOUT)
    assert NAME.fullmatch(last.value.suggested_filename)
    with sqlite3.connect(last.value.path()) as conn:
        assert conn.execute("SELECT etat FROM validation_item WHERE eleve_id = 30 AND "
                            "item_id = ?", (item,)).fetchone() == (1,)
