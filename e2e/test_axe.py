"""Accessibility: axe-core (as RGAA audits use it) finds no WCAG 2.1 A/AA violation on any screen.

At 1366×768, in Chromium: the creation screen (empty storage), the login screen, then every
screen of the director's menu and of a CE2/CM2 teacher's menu, each grid shown (the item grid,
the compétences grid and its lock confirmation, the bilan de fin de cycle 2 grid after an arrow
and its families' print, the livret's table, éléments and printed pages) and the five steps of
the import wizard (up to its confirmation, nothing imported, then the question when it is chosen
again), the item grid with its menu unfolded; the dialog showing what a school file holds before
it is opened, and the one asking before the director logs out with decisions not saved.
axe-core 4.14.1 comes from ``e2e/node_modules``
(``e2e/package-lock.json``). The page's CSP refuses an injected ``<script>``
(``page.add_script_tag``: "Executing inline script violates … script-src"), so axe's source is
evaluated through Playwright (the debugger protocol, which the CSP does not govern) and runs
with ``preload: false`` (its stylesheet preloading would fetch the CSS files, which the CSP
refuses too: ``connect-src``). Rules: tags wcag2a, wcag2aa, wcag21a, wcag21aa. Each violation
is printed with its rule, the node and axe's help, then the test fails listing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from grid_helpers import login, open_competence_1
from test_trust_file import make_school

from cartable.socle2008 import referentiel

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT = 60_000
PASSWORD = "Directrice-2026"
TEACHER = {"login": "luc.petit", "password": "Maitre-CE2-2026"}
CSV = "\r\n".join(['"Nom Elève";"Prénom Elève";"Niveau";"Classe"']
                  + [f'"ELEVE{i:02d}";"Prénom{i:02d}";"CM2";"CM2 A"' for i in range(6)]
                  + [f'"BILAN{i:02d}";"Léa{i:02d}";"CE2";"CE2 A"' for i in range(4)]) + "\r\n"
IMPORT_CSV = CSV.replace("ELEVE05", "NOUVEAU")  # a re-import with one pupil changed

PREPARE = """async ({csv, password, teacher}) => {
  const C = window.Cartable;
  await C.call("app.setup", {nom: "École du Centre", uai: "0441234C", directeur:
    {nom: "Durand", prenom: "Sophie", login: "direction", password}});
  await C.call("paliers.set", {actifs: [1, 2]});
  await C.whenPandas();
  await C.call("base_eleves.apply", {data: new TextEncoder().encode(csv), filename: "e.csv"});
  const prof = await C.call("professeurs.create",
    {nom: "Petit", prenom: "Luc", password: teacher.password});
  for (const classe of await C.call("classes.list", {})) {
    await C.call("affectations.set", {professeur_id: prof.id, classe_id: classe.id, affecte: true});
    await C.call("affectations.set_principal", {classe_id: classe.id, professeur_id: prof.id});
  }
  const proposal = await C.call("periodes.default", {});
  await C.call("periodes.set", {periodes: proposal.periodes.map((p) => [p.date_debut, p.date_fin])});
  await C.call("auth.logout", {});
  return prof.login;
}"""

RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, preload: false,
                                     resultTypes: ["violations"]});
  return r.violations.map((v) => ({rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 160)}))}));
}"""


class Audit:
    """Runs axe on the page as it is now; keeps every violation with the screen's name."""

    def __init__(self, page):
        self.page = page
        self.source = AXE.read_text(encoding="utf-8")
        self.found: list[tuple[str, dict, dict]] = []  # (screen, violation, node)
        self.screens: list[str] = []

    def __call__(self, screen: str, settled: bool = True) -> None:
        page = self.page
        if settled:  # wait until the screen's data are shown (the busy indicator is gone)
            expect(page.locator("main[aria-busy=true]")).to_have_count(0, timeout=TIMEOUT)
        page.wait_for_timeout(150)  # screens that load data fill in
        if page.evaluate("typeof window.axe") != "object":
            page.evaluate(self.source + "\n;0")
        self.screens.append(screen)
        for violation in page.evaluate(RUN, TAGS):
            for node in violation["nodes"]:
                self.found.append((screen, violation, node))

    def report(self) -> str:
        return "\n".join(
            f"  {screen}: {v['rule']} ({v['impact']}) on {n['target']}: {v['help']}\n"
            f"      {n['html']}\n      {v['url']}" for screen, v, n in self.found)


def menu(page) -> list[str]:
    return page.locator("nav.menu button[data-vue]").evaluate_all(
        "bs => bs.map((b) => b.dataset.vue)")


def visit(page, audit: Audit, who: str, vue: str, tmp_path: Path) -> None:
    unfold = page.locator("#deplier-menu")  # a grid folds the side menu
    if unfold.count() and unfold.is_visible():
        unfold.click()
    page.click(f'nav.menu button[data-vue="{vue}"]')
    expect(page.locator(f".vue-{vue} h2").first).to_be_visible(timeout=TIMEOUT)
    audit(f"{who}/{vue}")
    if vue in ("items", "competences"):
        if vue == "items":
            open_competence_1(page)
        else:
            page.wait_for_selector(".liste-eleves input[type=checkbox]", timeout=TIMEOUT)
            page.click("#afficher-tableau")
            expect(page.locator("#grille-validations")).to_be_visible(timeout=TIMEOUT)
        audit(f"{who}/{vue}: grille")
        if vue == "items":  # the menu unfolded as a bar above the grid (issue 17, point 17)
            page.click("#deplier-menu")
            audit(f"{who}/items: grille, menu déplié")
            page.click("#deplier-menu")
        if vue == "competences" and who == "directeur":
            lock_dialog(page, audit)
    elif vue == "bilan":
        page.locator("button[data-classe]").first.click()
        expect(page.locator("#grille-bilan")).to_be_visible(timeout=TIMEOUT)
        audit(f"{who}/bilan: grille")
        if who == "directeur":
            bilan_states(page, audit)
    elif vue == "import":
        import_steps(page, audit, who, tmp_path)
    elif vue == "livret":
        livret_states(page, audit, who)
    elif vue == "lsu":
        lsu_states(page, audit, who)


def lsu_states(page, audit: Audit, who: str) -> None:
    """A period's export with the bilans de fin de cycle 2 (the pre-flight of both)."""
    choice = page.locator("#lsu-bilans")
    choice.select_option(index=1)  # the first period
    page.locator("#avec-bilans-cycle").check()
    expect(page.locator("#preflight-lsu")).to_contain_text("Bilans de fin de cycle 2 :",
                                                           timeout=TIMEOUT)
    audit(f"{who}/lsu: bilans périodiques et de fin de cycle")


def livret_states(page, audit: Audit, who: str) -> None:
    """The livret's table with a pupil's fiche, the class's éléments, the printed livrets."""
    page.click("#ouvrir-livret")
    expect(page.locator("#grille-livret")).to_be_visible(timeout=TIMEOUT)
    page.locator("#grille-livret td.case-livret").first.click()
    expect(page.locator("#grille-livret.en-cours")).to_have_count(0, timeout=TIMEOUT)
    audit(f"{who}/livret: grille et fiche")
    if who == "professeur":  # a reload: the unsaved click offered again at the next login
        expect(page.locator("#etat-livret")).to_contain_text("1 élève modifié non enregistré")
        page.reload()
        login(page, TEACHER["login"], TEACHER["password"])
        expect(page.locator(".brouillon-retrouve")).to_contain_text("dans le livret scolaire",
                                                                    timeout=TIMEOUT)
        audit("professeur/accueil: brouillon du livret retrouvé")
        page.click("#reprendre-brouillon")
        expect(page.locator("#grille-livret")).to_be_visible(timeout=TIMEOUT)
        audit("professeur/livret: brouillon repris")
    page.click("#onglet-elements")
    expect(page.locator("#elements-classe")).to_be_visible(timeout=TIMEOUT)
    page.locator("#elements-classe button[data-ajouter]").first.click()
    audit(f"{who}/livret: éléments de programme")
    page.click("#onglet-grille")
    page.click("#imprimer-livrets")
    page.click("#imprimer-tous")
    expect(page.locator("#impression-livrets .page-livret").first).to_be_visible(timeout=TIMEOUT)
    audit(f"{who}/livret: livrets imprimés")
    page.click("#fermer-impression")


def bilan_states(page, audit: Audit) -> None:
    """The bilan grid after an arrow (undo offered), then its families' print, every pupil."""
    page.locator("#grille-bilan button[data-fleche^='composante:']").first.click()
    expect(page.locator("#grille-bilan.en-cours")).to_have_count(0, timeout=TIMEOUT)
    expect(page.locator("#annuler-bilan")).to_be_enabled(timeout=TIMEOUT)
    audit("directeur/bilan: grille, une flèche cliquée")
    page.click("#annuler-bilan")
    expect(page.locator("#annuler-bilan")).to_be_disabled(timeout=TIMEOUT)
    page.click("#imprimer-bilans")
    expect(page.locator("#resume-impression")).to_contain_text("Aucun bilan complet", timeout=TIMEOUT)
    page.locator("#impression-bilans input[type=checkbox]").check()
    expect(page.locator("#impression-bilans .page-bilan")).to_have_count(4, timeout=TIMEOUT)
    audit("directeur/bilan: impression (tous les élèves)")
    page.click("#fermer-impression")


def lock_dialog(page, audit: Audit) -> None:
    """The confirmation before compétences are validated for good; cancelled, nothing saved."""
    page.locator("#grille-validations button[data-fleche^='row:']").first.click()
    expect(page.locator("#grille-validations.en-cours")).to_have_count(0, timeout=TIMEOUT)
    page.click("#enregistrer-validations")
    dialog = page.locator("#confirmer-verrouillage")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    # No busy text behind the question: nothing is saved before the answer (issue 17, point 14).
    expect(page.locator(".occupe")).to_be_hidden()
    audit("directeur/competences: confirmation du verrouillage")
    dialog.locator("#dialogue-annuler").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)


def opening_dialog(page, audit: Audit, tmp_path: Path) -> None:
    """What a school file holds, shown before it is opened; cancelled, the storage stays empty."""
    page.set_input_files("#ouvrir-fichier-ecole", str(make_school(tmp_path / "ecole.sqlite3")))
    dialog = page.locator("#confirmer-ouverture")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    audit("création de l'école: ouvrir un fichier, confirmation", settled=False)
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_have_count(0, timeout=TIMEOUT)


def logout_dialog(page, audit: Audit) -> None:
    """A decision saved and the school file not: logging out asks first; left without saving."""
    item = referentiel.get().competences[8].domaines[0].items[0].id
    page.evaluate("""async (item) => {
      const C = window.Cartable;
      const classe = (await C.call("classes.list", {})).find((c) => c.nom === "CM2 A");
      const eleve = (await C.call("eleves.list", {classe_id: classe.id}))[0];
      await C.call("validation.grid", {palier_id: 2, classe_id: classe.id, eleve_ids: [eleve.id],
                                       competence_id: 8});
      await C.call("validation.click", {target: {kind: "cell", eleve_id: eleve.id, row_id: item}});
      await C.call("validation.save", {});
    }""", item)
    page.remove_locator_handler(page.locator("#rappel-deconnexion"))  # conftest's: looked at here
    page.click("#deconnexion")
    dialog = page.locator("#rappel-deconnexion")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    audit("directeur: déconnexion, fichier de l'école pas à jour", settled=False)
    dialog.get_by_role("button", name="Se déconnecter sans enregistrer").click()


def import_steps(page, audit: Audit, who: str, tmp_path: Path) -> None:
    """The wizard's five steps, up to its confirmation (nothing is imported)."""
    csv = tmp_path / "extraction.csv"
    csv.write_bytes(IMPORT_CSV.encode("cp1252"))
    page.set_input_files("#fichier-eleves", str(csv))
    expect(page.locator(".fichier-choisi")).to_contain_text("extraction.csv", timeout=TIMEOUT)
    audit(f"{who}/import: étape 1, fichier choisi")
    for step in (2, 3, 4, 5):
        page.click("#etape-suivante")
        expect(page.locator(".etape h3")).to_contain_text(f"Étape {step}", timeout=TIMEOUT)
        audit(f"{who}/import: étape {step}")
    # « Importer les élèves » chosen again: the question before starting again (kept going).
    page.click('nav.menu button[data-vue="import"]')
    expect(page.locator("#dialogue-import")).to_be_visible(timeout=TIMEOUT)
    audit(f"{who}/import: recommencer ?", settled=False)
    page.click("#dialogue-annuler")
    expect(page.locator("#dialogue-import")).to_have_count(0, timeout=TIMEOUT)


def test_no_wcag_violation_on_any_screen(page, e2e, tmp_path):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("dialog", lambda d: d.accept())
    assert AXE.exists(), "e2e/node_modules/axe-core is missing: run .ci/setup (npm ci in e2e)"
    audit = Audit(page)
    assert e2e.wait_state(page) == "ready"
    expect(page.locator(".ecran-creation h2")).to_be_visible(timeout=TIMEOUT)
    audit("création de l'école")
    opening_dialog(page, audit, tmp_path)
    teacher = page.evaluate(PREPARE, {"csv": CSV, "password": PASSWORD, "teacher": TEACHER})
    assert teacher == TEACHER["login"]
    page.evaluate("() => window.CartableApp.start()")
    expect(page.locator(".ecran-connexion h2")).to_be_visible(timeout=TIMEOUT)
    audit("connexion")

    for who, (user, password) in (("directeur", ("direction", PASSWORD)),
                                  ("professeur", (TEACHER["login"], TEACHER["password"]))):
        login(page, user, password)
        vues = menu(page)
        assert len(vues) >= (12 if who == "directeur" else 4), vues
        for vue in vues:
            visit(page, audit, who, vue, tmp_path)
        if who == "directeur":
            logout_dialog(page, audit)
        else:
            page.click("#deconnexion")
        expect(page.locator(".ecran-connexion h2")).to_be_visible(timeout=TIMEOUT)

    print(f"axe-core 4.14.1 on {len(audit.screens)} screens: {', '.join(audit.screens)}")
    if audit.found:
        print(f"{len(audit.found)} WCAG 2.1 A/AA violation(s):\n{audit.report()}")
    assert not audit.found, (f"{len(audit.found)} WCAG 2.1 A/AA violation(s) (axe-core):\n"
                             + audit.report())
