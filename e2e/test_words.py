"""Words and messages (issue 17, points 11, 12, 14, 16, 17), at 1366×768 in Chromium:

- the UAI's check letter checked at the first screen, whose example is a valid UAI;
- one message area per screen: each message replaces the last, an error goes when the next
  action starts, the message stays in sight on a long page (sticky);
- no busy text left: none behind the lock confirmation, none after a wrong passphrase;
- labels on the Réglages and passphrase fields; civilités written « Mme »; the teacher's login
  hint made from the names typed; one line for the chosen CSV; the Protection des données page
  names the synthèses; no « (s) » on any screen visited;
- the SACoche export as its how-to says: « Générer le fichier » downloads nothing, the link
  « Récupérer le fichier au format ZIP » downloads it once; a teacher ticks his own class.

Screenshots: ``e2e/artifacts/mots-*.png``."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from grid_helpers import login

TIMEOUT = 60_000
PASSWORD = "Directrice-2026"
TEACHER = {"nom": "Petit", "prenom": "Luc", "password": "Maitre-CM2-2026"}
CLASSES = [f"CM2 {letter}" for letter in "ABCDEFGHJKLMN"]  # a long Professeurs & classes page
CSV = "\r\n".join(['"Nom Elève";"Prénom Elève";"Niveau";"Classe"']
                  + [f'"ELEVE{i:02d}";"Océane{i:02d}";"CM2";"{c}"'
                     for i, c in enumerate(CLASSES * 2)]) + "\r\n"
MARK = re.compile(r"\w\((?:s|e|es|x)\)")  # « classe(s) », « affecté(e) »

PREPARE = """async ({csv, teacher}) => {
  const C = window.Cartable;
  await C.call("paliers.set", {actifs: [2]});
  await C.whenPandas();
  await C.call("base_eleves.apply", {data: new TextEncoder().encode(csv), filename: "e.csv"});
  const prof = await C.call("professeurs.create",
    {nom: teacher.nom, prenom: teacher.prenom, password: teacher.password});
  const classes = await C.call("classes.list", {});
  const [first, last] = [classes[0], classes[classes.length - 1]];
  for (const c of [first, last]) {
    await C.call("affectations.set", {professeur_id: prof.id, classe_id: c.id, affecte: true});
  }
  await C.call("affectations.set_principal", {classe_id: first.id, professeur_id: prof.id});
  // one decision, for the SACoche export: the first item of compétence 1, first pupil
  const pupils = await C.call("eleves.list", {classe_id: first.id});
  const g = await C.call("validation.grid", {palier_id: 2, classe_id: first.id,
    eleve_ids: pupils.map((e) => e.id), competence_id: 8});
  const grid = g.grid || g;
  await C.call("validation.click", {target: {kind: "cell", eleve_id: pupils[0].id,
    row_id: grid.domaines[0].rows[0].id}});
  await C.call("validation.save", {});
  return {login: prof.login, classes: [first.nom, last.nom]};
}"""


class Screens:
    """Keeps the text of every screen shown, to look for « (s) » at the end."""

    def __init__(self, page, e2e):
        self.page, self.e2e, self.texts = page, e2e, {}

    def shot(self, name: str, full_page: bool = True) -> None:
        path = self.e2e.screenshot(self.page, f"mots-{name}")
        if not full_page:  # the window as the user sees it, scrolled
            self.page.screenshot(path=str(path.with_name(f"mots-{name}-fenetre.png")))
        self.texts[name] = self.page.locator("#app").inner_text()


def messages(page):
    return page.locator(".messages .alerte")


def menu(page, vue: str) -> None:
    page.click(f'nav.menu button[data-vue="{vue}"]')
    expect(page.locator(f".vue-{vue} h2").first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("main[aria-busy=true]")).to_have_count(0, timeout=TIMEOUT)


def create_school(page, shots) -> None:
    """The first screen: a valid example, and 0441234X refused at its field."""
    expect(page.locator(".ecran-creation h2")).to_be_visible(timeout=TIMEOUT)
    uai = page.get_by_label("Numéro UAI (facultatif)")
    hint = page.locator(f"#{uai.get_attribute('aria-describedby').split()[0]}")
    expect(hint).to_contain_text("par exemple 0441234C")
    page.get_by_label("Nom de l'école").fill("École Jules Ferry")
    uai.fill("0441234X")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Prénom", exact=True).fill("Sophie")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer l'école").click()
    expect(uai).to_have_attribute("aria-invalid", "true", timeout=TIMEOUT)
    error = page.locator(f"#{uai.get_attribute('aria-describedby').split()[0]}")
    expect(error).to_contain_text("« 0441234X » n'est pas valide")
    expect(error).to_contain_text("la lettre serait C")
    expect(error).to_contain_text("par exemple 0441234C")
    shots.shot("01-uai-refuse")
    uai.fill("0441234C")
    page.get_by_role("button", name="Créer l'école").click()
    expect(page.locator("nav.menu")).to_be_visible(timeout=TIMEOUT)
    expect(messages(page)).to_have_count(1)
    expect(messages(page)).to_contain_text("L'école est créée")


def reglages(page, shots) -> None:
    """An error, then another form's success replaces it; labels on every field."""
    menu(page, "reglages")
    form = page.locator(".vue-reglages form").first
    form.get_by_label("Numéro UAI").fill("0441234X")
    form.get_by_role("button", name="Enregistrer").click()
    expect(messages(page)).to_contain_text("la lettre serait C", timeout=TIMEOUT)
    expect(messages(page)).to_have_count(1)
    director = page.locator("#identite-directeur")
    director.get_by_label("Civilité").select_option("MME")
    expect(director.get_by_label("Nom", exact=True)).to_have_value("DURAND")
    expect(director.get_by_label("Prénom", exact=True)).to_have_value("Sophie")
    director.get_by_role("button", name="Enregistrer").click()
    expect(messages(page)).to_have_count(1)
    expect(messages(page)).to_have_class(re.compile(r"\bsucces\b"), timeout=TIMEOUT)
    expect(messages(page)).to_contain_text("L'identité du directeur ou de la directrice")
    shots.shot("02-reglages-un-message")
    form.get_by_label("Numéro UAI").fill("0441234C")
    form.get_by_role("button", name="Enregistrer").click()
    expect(messages(page)).to_contain_text("Les informations de l'école sont enregistrées")
    expect(messages(page)).to_have_count(1)


def long_page_message(page, shots) -> None:
    """The message of a choice made at the bottom of a long page is in the window."""
    menu(page, "affectations")
    last = page.locator("select[data-classe]").last  # its teacher is ticked (PREPARE)
    last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 300  # the page was scrolled down
    last.select_option(index=1)
    box = messages(page)
    expect(box).to_contain_text("Professeur principal de CM2", timeout=TIMEOUT)
    assert box.evaluate("b => { const r = b.getBoundingClientRect(); "
                        "return r.top >= 0 && r.bottom <= innerHeight; }"), "message out of sight"
    shots.shot("03-message-en-vue", full_page=False)


def lsu_and_professeurs(page, shots, teacher_login) -> None:
    menu(page, "lsu")
    identity = page.locator(".vue-lsu p.aide").first
    expect(identity).to_contain_text("Mme Sophie DURAND")
    assert "MME" not in identity.inner_text()
    shots.shot("04-lsu-civilite")
    menu(page, "professeurs")
    login_field = page.get_by_label("Identifiant (facultatif)")
    hint = page.locator(f"#{login_field.get_attribute('aria-describedby').split()[0]}")
    page.get_by_label("Nom", exact=True).fill("Bernard")
    page.get_by_label("Prénom", exact=True).fill("Élise")
    page.get_by_label("Prénom", exact=True).blur()
    proposed = page.evaluate(
        "async () => (await Cartable.call('accounts.propose_login', {nom: 'Bernard', prenom: 'Élise'})).login")
    expect(hint).to_have_text(f"Vide : « {proposed} », fabriqué à partir du prénom et du nom.")
    row = page.locator("#liste-professeurs tr", has_text=teacher_login)
    expect(row.locator("td.civilite")).to_have_text("")
    shots.shot("05-professeurs-identifiant")


def passphrase(page, shots, tmp_path) -> None:
    """A protected school file opened with a wrong phrase: the error, no busy text left."""
    menu(page, "fichier")
    page.get_by_label("Phrase de passe", exact=True).fill("trois mots de passe solides")
    page.get_by_label("Confirmez la phrase de passe").fill("trois mots de passe solides")
    with page.expect_download() as info:
        page.click("#telecharger-protege")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    page.locator(".vue-fichier input[type=file]").last.set_input_files(str(path))
    page.click("#ouvrir-fichier")
    phrase = page.get_by_label("Phrase de passe du fichier")
    phrase.fill("une autre phrase que la bonne")
    page.get_by_role("button", name="Ouvrir le fichier protégé").click()
    expect(page.locator(".phrase-de-passe .alerte.erreur")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".occupe")).to_be_hidden()
    expect(page.locator("main[aria-busy=true]")).to_have_count(0)
    shots.shot("06-phrase-fausse")
    page.locator(".phrase-de-passe").get_by_role("button", name="Annuler").click()
    expect(page.locator(".occupe")).to_be_hidden(timeout=TIMEOUT)


def import_file_line(page, shots, tmp_path) -> None:
    menu(page, "import")
    csv = tmp_path / "extraction.csv"
    csv.write_bytes(CSV.encode("cp1252"))
    page.set_input_files("#fichier-eleves", str(csv))
    zone = page.locator(".depot")
    expect(zone).to_contain_text("Fichier choisi : extraction.csv", timeout=TIMEOUT)
    assert "Aucun fichier choisi" not in zone.inner_text()
    shots.shot("07-import-fichier-choisi")


def protection(page, shots) -> None:
    menu(page, "protection")
    main = page.locator(".vue-protection")
    expect(main).to_contain_text("la synthèse du bilan de fin de cycle 2", timeout=TIMEOUT)
    assert "ni appréciation" not in main.inner_text()
    shots.shot("08-protection")


def export_director(page, shots) -> None:
    menu(page, "echanges")
    page.locator(".cases-classes input").first.check()
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#generer-export")
    expect(page.locator("#message-export")).to_contain_text("Fichier d'export généré", timeout=TIMEOUT)
    link = page.get_by_role("link", name="Récupérer le fichier au format ZIP")
    expect(link).to_be_visible()
    page.wait_for_timeout(500)
    assert downloads == []  # « Générer le fichier » downloads nothing
    with page.expect_download() as info:
        link.click()
    assert re.fullmatch(r"import-sacoche_0_.+\.zip", info.value.suggested_filename)
    expect(page.locator("#telechargement-export")).to_contain_text("est téléchargé")
    page.wait_for_timeout(500)
    assert len(downloads) == 1  # once
    shots.shot("09-export-directeur")


def export_teacher(page, shots, teacher) -> None:
    page.click("#deconnexion")
    expect(messages(page)).to_have_count(1)  # « La session est fermée », and nothing else
    login(page, teacher["login"], TEACHER["password"])
    menu(page, "echanges")
    section = page.locator(".vue-echanges")
    expect(section.locator("#classes-export legend")).to_have_text("Vos classes")
    expect(section.locator("#classes-export input")).to_have_count(2)
    for name in teacher["classes"]:
        expect(section.locator("#classes-export")).to_contain_text(name)
    assert "Toute l'école" not in section.inner_text() and "Un niveau" not in section.inner_text()
    shots.shot("10-export-professeur")


def wrong_logins(page, shots) -> None:
    """Three wrong passwords: one message at a time on the login page."""
    page.click("#deconnexion")
    expect(messages(page)).to_have_text(re.compile("La session est fermée"), timeout=TIMEOUT)
    for _ in range(3):
        page.get_by_label("Identifiant").fill("direction-inconnue")
        page.get_by_label("Mot de passe").fill("pas le bon")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.locator(".alerte.erreur, .erreur-champ").first).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("main[aria-busy=true]")).to_have_count(0, timeout=TIMEOUT)
    assert page.locator(".alerte.erreur, .erreur-champ").count() == 1
    assert "La session est fermée" not in page.locator("main").inner_text()  # replaced
    shots.shot("11-connexion-un-message")


def test_words_and_messages(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("dialog", lambda d: d.accept())
    assert e2e.wait_state(page) == "ready"
    shots = Screens(page, e2e)
    create_school(page, shots)
    teacher = page.evaluate(PREPARE, {"csv": CSV, "teacher": TEACHER})
    reglages(page, shots)
    long_page_message(page, shots)
    lsu_and_professeurs(page, shots, teacher["login"])
    passphrase(page, shots, tmp_path)
    import_file_line(page, shots, tmp_path)
    protection(page, shots)
    export_director(page, shots)
    export_teacher(page, shots, teacher)
    wrong_logins(page, shots)
    marks = {name: MARK.findall(text) for name, text in shots.texts.items()}
    assert not any(marks.values()), marks
