"""The seed procedure, clicked through as a user would, in the built app opened as file://.

Director creates the school, sets niveaux and paliers, imports the Base-Élèves CSV through the
five-step wizard, creates a teacher (credentials read from the printable sheet) and makes him
professeur principal of a CM2 class. The teacher activates his account, validates compétence 1
with single clicks, a pupil-column arrow, an item-row arrow and a domaine arrow clicked three
times, saves, reloads the page (everything saved is still there), validates the other
compétences and one compétence. The director exports the CM2 classes; the downloaded ZIP's
XML must hold exactly the decisions computed here from the clicks.

Screenshots of every screen go to ``e2e/artifacts/NN-*.png``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from grid_helpers import GridModel, grid_cells, grid_layout, settle

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "tests" / "fixtures" / "base_eleves" / "CSVExtraction.csv"
TIMEOUT = 60_000
DIRECTOR_PASSWORD = "Directrice-2012"
TEACHER_NEW_PASSWORD = "MaClasse-CM2b"


# -- page helpers ---------------------------------------------------------------------------------


def notice(page, text: str):
    expect(page.locator(".messages .alerte.succes").last).to_contain_text(text, timeout=TIMEOUT)


def no_error(page):
    errors = page.locator(".alertes .alerte.erreur")
    assert errors.count() == 0, errors.all_inner_texts()


def menu(page, vue: str):
    folded = page.locator('#deplier-menu[aria-expanded="false"]')
    if folded.count():  # the side menu folds while a grid is shown: unfold it, as a user does
        folded.click()
    page.click(f'nav.menu button[data-vue="{vue}"]')
    expect(page.locator(f".vue-{vue} h2")).to_be_visible()


def login(page, user: str, password: str):
    expect(page.locator(".ecran-connexion h2")).to_have_text("Connexion", timeout=TIMEOUT)
    page.get_by_label("Identifiant").fill(user)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def logout(page):
    page.click("#deconnexion")
    expect(page.locator(".ecran-connexion h2")).to_be_visible(timeout=TIMEOUT)


def open_grid(page, competence_ref: str | None):
    """From the selection screen: keep palier/classe/all pupils, choose the compétence."""
    page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
    if competence_ref is not None:
        page.check(f'.liste-competences input[data-ref="{competence_ref}"]')
    page.click("#afficher-tableau")
    expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)


def save_grid(page, locks: str | None = None) -> str:
    """Save; ``locks``: a text the lock confirmation must show (saving compétences), confirmed."""
    page.click("#enregistrer-validations")
    if locks is not None:
        dialog = page.locator("#confirmer-verrouillage")
        expect(dialog).to_be_visible(timeout=TIMEOUT)
        expect(dialog).to_contain_text(locks)
        dialog.locator("#dialogue-confirmer").click()
    box = page.locator(".messages .alerte.succes").last
    expect(box).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#etat-brouillon")).to_contain_text("Toutes les modifications sont enregistrées")
    return box.inner_text()


# -- the test -------------------------------------------------------------------------------------


def test_seed_procedure(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("dialog", lambda d: d.accept())
    assert e2e.wait_state(page) == "ready"
    today = dt.date.today().isoformat()

    # 1. First opening: the school and the director's account.
    expect(page.locator(".ecran-creation h2")).to_have_text("Bienvenue dans Cartable")
    page.get_by_label("Nom de l'école").fill("École Jules Ferry")
    page.get_by_label("Numéro UAI (facultatif)").fill("0441234C")
    page.get_by_label("Nom", exact=True).fill("Dupuis")
    page.get_by_label("Prénom", exact=True).fill("Marie")
    page.get_by_label("Mot de passe", exact=True).fill(DIRECTOR_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(DIRECTOR_PASSWORD)
    e2e.screenshot(page, "01-creation-ecole")
    page.get_by_role("button", name="Créer l'école").click()
    created = page.locator(".messages .alerte.succes").last
    expect(created).to_contain_text("Votre identifiant de connexion est", timeout=TIMEOUT)
    director_login = re.search(r"« (.+?) »", created.inner_text()).group(1)
    expect(page.locator(".entete")).to_contain_text("École Jules Ferry")
    expect(page.locator(".entete")).to_contain_text("Marie")
    e2e.screenshot(page, "02-accueil-directeur")

    # 2. Niveaux (CP to CM2 are there by default; save them explicitly as the director would).
    menu(page, "niveaux")
    for ref in ("CP", "CE1", "CE2", "CM1", "CM2"):
        page.check(f'input[data-ref="{ref}"]')
    page.get_by_role("button", name="Enregistrer les niveaux").click()
    notice(page, "Niveaux enregistrés")
    e2e.screenshot(page, "03-niveaux")

    # 3. Paliers 1 and 2.
    menu(page, "paliers")
    page.check('.liste-cases input[data-id="1"]')
    page.check('.liste-cases input[data-id="2"]')
    page.get_by_role("button", name="Valider ce choix de paliers").click()
    notice(page, "Choix des paliers enregistré")
    e2e.screenshot(page, "04-paliers")

    # 4. Import the Base-Élèves extraction, five steps.
    menu(page, "import")
    page.set_input_files("#fichier-eleves", str(CSV))
    expect(page.locator(".fichier-choisi")).to_contain_text("CSVExtraction.csv")
    e2e.screenshot(page, "05-import-1-fichier")
    page.click("#etape-suivante")
    expect(page.locator("#bilan-extraction")).to_contain_text("143 élèves trouvés", timeout=TIMEOUT)
    no_error(page)
    e2e.screenshot(page, "06-import-2-extraction")
    page.click("#etape-suivante")
    classes_table = page.locator("#classes-import")
    expect(classes_table).to_contain_text("CM2 B")
    assert classes_table.locator("tbody tr").count() == 9  # 6 classes, 3 mixed -> 9
    e2e.screenshot(page, "07-import-3-classes")
    page.click("#etape-suivante")
    expect(page.locator("#bilan-eleves")).to_contain_text("143 élèves à ajouter")
    e2e.screenshot(page, "08-import-4-eleves")
    page.click("#etape-suivante")
    e2e.screenshot(page, "09-import-5-confirmation")
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.locator("#bilan-import")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".etape")).to_contain_text("143 élèves ajoutés")
    expect(page.locator(".etape")).to_contain_text("Nettoyage")
    no_error(page)
    e2e.screenshot(page, "10-import-bilan")

    # 5. A teacher; the generated credentials are read from the printable sheet.
    menu(page, "professeurs")
    page.get_by_label("Nom", exact=True).fill("Crespin")
    page.get_by_label("Prénom", exact=True).fill("Thomas")
    page.get_by_role("button", name="Créer le professeur").click()
    sheet = page.locator(".fiche-identifiants")
    expect(sheet).to_contain_text("Notez soigneusement")
    teacher_login = sheet.locator(".cred-login").inner_text().strip()
    teacher_password = sheet.locator(".cred-password").inner_text().strip()
    assert teacher_login == "tho.crespin"
    assert len(teacher_password) >= 8
    expect(sheet.get_by_role("button", name="Imprimer")).to_be_visible()
    expect(page.locator("#liste-professeurs")).to_contain_text("tho.crespin")
    e2e.screenshot(page, "11-professeurs-fiche")
    page.emulate_media(media="print")  # printing gives the sheet alone
    expect(sheet).to_be_visible()
    expect(page.locator("nav.menu")).to_be_hidden()
    expect(page.locator("#liste-professeurs")).to_be_hidden()
    e2e.screenshot(page, "11b-impression-fiche")
    page.emulate_media(media="screen")

    # 6. Assign him to CM2 B, as professeur principal.
    menu(page, "affectations")
    page.get_by_label(re.compile(r"Thomas CRESPIN enseigne en CM2 B", re.IGNORECASE)).check()
    expect(page.locator("#grille-affectations input:checked")).to_have_count(1)
    page.get_by_label(re.compile(r"^Professeur principal de CM2 B")).select_option(
        label=_prof_label(page))
    notice(page, "Professeur principal de CM2 B enregistré")
    expect(page.get_by_label(re.compile(r"^Professeur principal de CM2 B"))).not_to_have_value("")
    e2e.screenshot(page, "12-professeurs-classes")
    logout(page)

    # 7. The teacher's first login: activation.
    e2e.screenshot(page, "13-connexion")
    login(page, teacher_login, teacher_password)
    expect(page.locator(".ecran-activation h2")).to_have_text(
        "Activez votre compte : choisissez un nouveau mot de passe")
    page.get_by_label("Nouveau mot de passe").fill(TEACHER_NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(TEACHER_NEW_PASSWORD)
    e2e.screenshot(page, "14-activation")
    page.get_by_role("button", name="Activer mon compte").click()

    # 8. The teacher lands on her home page (her class's livrets); Valider les items, compétence 1.
    expect(page.locator(".vue-accueil h2")).to_have_text("Accueil")
    page.click('nav.menu button[data-vue="items"]')
    expect(page.locator(".vue-items h2")).to_have_text("Valider les items")
    open_grid_selection = page.locator(".liste-eleves input[type=checkbox]")
    expect(open_grid_selection.first).to_be_visible()
    assert open_grid_selection.count() == 26
    assert all(open_grid_selection.nth(i).is_checked() for i in range(26))
    e2e.screenshot(page, "15-choix-validation")
    open_grid(page, "1")
    layout = grid_layout(page)
    assert len(layout["eleves"]) == 26
    assert sum(len(d["rows"]) for d in layout["domaines"]) == 29
    model = GridModel(layout)
    models = {}
    e0, e1, e2 = layout["eleves"][:3]
    d0, d2 = layout["domaines"][0]["id"], layout["domaines"][2]["id"]
    rows0 = layout["domaines"][0]["rows"]
    r_first, r_second = rows0[0], rows0[1]
    r_of_d1 = layout["domaines"][1]["rows"][0]

    def cell(e, r):
        page.click(f'td.case-grille[data-key="{e}:{r}"]')
        model.cell(e, r)

    cell(e0, r_first)                      # validé
    cell(e0, r_second)
    cell(e0, r_second)                     # invalidé
    cell(e1, r_first)
    cell(e1, r_first)
    cell(e1, r_first)                      # back to no decision
    settle(page)
    td = page.locator(f'td.case-grille[data-key="{e0}:{r_first}"]')
    expect(td).to_have_attribute("data-etat", "1")
    expect(td).to_have_text("✓")
    assert "validé" in td.get_attribute("aria-label")
    page.click(f'button[data-fleche="column:{d0}:{e2}"]')   # pupil column arrow
    model.column(d0, e2)
    page.click(f'button[data-fleche="row:{r_of_d1}"]')       # item row arrow
    model.row(r_of_d1)
    for _ in range(3):                                      # domaine arrow: all, none, cleared
        page.click(f'button[data-fleche="domaine:{d2}"]')
        model.domaine(d2)
        settle(page)
        assert grid_cells(page) == model.cells
    page.click("#basculer-pourcentages")
    expect(page.locator(f'th.eleve[data-eleve="{e0}"] .aide-eleve')).to_be_visible()
    expect(page.locator("#etat-brouillon")).to_contain_text("modifications non enregistrées")
    e2e.screenshot(page, "16-grille-items")
    page.emulate_media(media="print")  # the printed grid: no menu, no buttons, no arrows
    expect(page.locator("#grille-validations")).to_be_visible()
    expect(page.locator("nav.menu")).to_be_hidden()
    expect(page.locator("#grille-validations .fleche").first).to_be_hidden()
    e2e.screenshot(page, "16b-impression-grille")
    page.emulate_media(media="screen")
    message = save_grid(page)
    assert re.search(r"\d", message), message
    assert grid_cells(page) == model.cells
    title = page.locator(f'td.case-grille[data-key="{e0}:{r_first}"]').get_attribute("title")
    assert title == f"Validé le {dt.date.today():%d/%m/%Y} par CRESPIN T."
    e2e.screenshot(page, "17-grille-enregistree")
    models["1"] = model

    # 9. Reload in the middle of the procedure: everything saved is still there.
    page.reload()
    assert e2e.wait_state(page) == "ready"
    login(page, teacher_login, TEACHER_NEW_PASSWORD)
    expect(page.locator(".vue-accueil h2")).to_be_visible()
    page.click('nav.menu button[data-vue="items"]')
    expect(page.locator(".vue-items h2")).to_be_visible()
    open_grid(page, "1")
    assert grid_cells(page) == model.cells
    e2e.screenshot(page, "18-apres-rechargement")

    # 10. The other compétences: the first domaine arrow of each (validates that domaine).
    page.click("#retour")
    page.wait_for_selector(".liste-competences input[type=radio]")
    refs = page.locator(".liste-competences input[type=radio]").evaluate_all(
        "els => els.map(e => e.dataset.ref)")
    assert refs == ["1", "2", "3a", "3b", "4", "5", "6", "7"]
    for ref in refs[1:]:
        open_grid(page, ref)
        lay = grid_layout(page)
        m = GridModel(lay)
        first_domaine = lay["domaines"][0]["id"]
        page.click(f'button[data-fleche="domaine:{first_domaine}"]')
        m.domaine(first_domaine)
        settle(page)
        assert grid_cells(page) == m.cells
        save_grid(page)
        models[ref] = m
        page.click("#retour")

    # 11. Valider les compétences: compétence 1 for the first pupil, then it is locked.
    menu(page, "competences")
    open_grid(page, None)
    lay = grid_layout(page)
    comp_rows = lay["domaines"][0]["rows"]
    comp_ids = dict(zip(refs, comp_rows))
    share = page.locator(f'td.case-grille[data-key="{e2}:{comp_ids["1"]}"] .part')
    expect(share).to_be_visible()
    page.click(f'td.case-grille[data-key="{e0}:{comp_ids["1"]}"]')
    settle(page)
    save_grid(page, locks="Compétence 1")
    locked = page.locator(f'td.case-grille[data-key="{e0}:{comp_ids["1"]}"]')
    expect(locked).to_have_class(re.compile(r"\bverrouille\b"))
    expect(locked).to_have_attribute("data-etat", "1")
    e2e.screenshot(page, "19-grille-competences")
    competence_decisions = {(e0, comp_ids["1"]): 1}

    # 11b. Two computers: the teacher exports his own class, to hand it to the director.
    menu(page, "echanges")
    expect(page.locator("#titre-import")).to_have_count(0)  # importing is the director's
    expect(page.locator("#classes-export input")).to_have_count(1)  # his class only
    expect(page.locator(".vue-echanges")).not_to_contain_text("Toute l'école")
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#generer-export")
    expect(page.locator("#message-export")).to_contain_text("Fichier d'export généré", timeout=TIMEOUT)
    with page.expect_download() as info:  # the how-to's link downloads it
        page.click("#recuperer-zip")
    teacher_zip = tmp_path / "enseignant.zip"
    info.value.save_as(teacher_zip)
    expect(page.locator("#telechargement-export")).to_contain_text(info.value.suggested_filename)
    assert len(downloads) == 1  # once: generating downloaded nothing
    with zipfile.ZipFile(teacher_zip) as z:
        teacher_xml = z.read("import_validations.xml")
    logout(page)

    # 12. The director exports the CM2 classes.
    login(page, director_login, DIRECTOR_PASSWORD)
    menu(page, "echanges")
    cm2 = page.locator('.cases-classes input[data-niveau="CM2"]')
    expect(cm2).to_have_count(2)
    assert all(cm2.nth(i).is_checked() for i in range(2))
    director_downloads = []
    page.on("download", lambda d: director_downloads.append(d))
    page.click("#generer-export")  # SACoche's words and clicks: generate, then the link
    expect(page.locator("#message-export")).to_contain_text("Fichier d'export généré", timeout=TIMEOUT)
    expect(page.locator("#note-export")).to_contain_text("Sconet")
    assert page.locator("#recuperer-zip").evaluate("a => a.tagName") == "A"
    with page.expect_download() as info:
        page.click("#recuperer-zip")
    download = info.value
    expect(page.locator("#telechargement-export")).to_contain_text(download.suggested_filename)
    assert len(director_downloads) == 1  # downloaded once
    assert re.fullmatch(r"import-sacoche_0_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_\d+\.zip",
                        download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    e2e.screenshot(page, "20-export")

    # 13. The XML holds exactly what was clicked.
    with zipfile.ZipFile(target) as z:
        assert z.namelist() == ["import_validations.xml"]
        xml = z.read("import_validations.xml")
    assert teacher_xml == xml  # only the teacher's class has decisions: the same file
    root = ElementTree.parse(io.BytesIO(xml)).getroot()
    names = {int(k): tuple(v) for k, v in layout["noms"].items()}
    by_name = {(n.upper(), p): e for e, (n, p) in names.items()}
    got_items, got_competences = {}, {}
    for eleve in root.iter("eleve"):
        assert eleve.get("id") == "0"  # no Sconet id in this extraction
        e = by_name[(eleve.get("nom"), eleve.get("prenom"))]
        for palier in eleve.iter("palier"):
            assert palier.get("id") == "2"
            for comp in palier.iter("competence"):
                v = comp.find("validation")
                if v is not None:
                    assert v.findtext("date") == today
                    assert v.findtext("info") == "CRESPIN T."
                    got_competences[(e, int(comp.get("id")))] = int(v.findtext("etat"))
                for item in comp.iter("item"):
                    r = item.find("renseignement")
                    assert r.findtext("date") == today
                    assert r.findtext("info") == "CRESPIN T."
                    got_items[(e, int(item.get("id")))] = int(r.findtext("etat"))
    expected_items = {k: v for m in models.values() for k, v in m.cells.items()}
    assert got_items == expected_items
    assert got_competences == competence_decisions
    expect(page.locator("#message-export")).to_contain_text(
        f"{len(expected_items)} validations d'items concernant "
        f"{len({k[0] for k in expected_items} | {e0})} élèves")

    # 14. Reading the exported file back: every pupil is unchanged.
    page.set_input_files(".vue-echanges input[type=file]", str(target))
    page.click("#lire-sacoche")
    report = page.locator("#rapport-sacoche")
    expect(report).to_be_visible(timeout=TIMEOUT)
    expect(report.locator("tbody tr").first).to_contain_text("inchangé")
    e2e.screenshot(page, "21-import-sacoche-apercu")

    # 15. Remaining director screens, for the record.
    menu(page, "fichier")
    e2e.screenshot(page, "22-fichier-ecole")
    menu(page, "reglages")
    e2e.screenshot(page, "23-reglages")

    # 16. The home page says where the school stands.
    menu(page, "accueil")
    steps = page.locator(".etapes-accueil")
    expect(steps).to_contain_text("143 élèves dans 9 classes")
    expect(steps).to_contain_text("1 professeur")
    expect(steps).to_contain_text("8 classes sans professeur principal")
    n_valides = sum(expected_items.values())
    expect(steps).to_contain_text(
        f"Palier 2 (fin CM2) : {round(100 * len(expected_items) / (42 * 110))} % des items "
        f"décidés pour 42 élèves de CM2 ({n_valides} items validés")
    e2e.screenshot(page, "24-accueil-avancement")
    no_error(page)


def _prof_label(page) -> str:
    """The text of the teacher's option in the professeur principal select."""
    return page.locator("select[data-classe] option", has_text=re.compile("CRESPIN", re.IGNORECASE)).first \
        .inner_text()
