"""No lockout (issue 10): the director's proposed and editable login, the code de secours shown
once and printable, « Mon compte » (login, change password, new code) for every user, the
reset from the login screen with the code; errors at the field; the loading screen's words.
Screenshots at 1366×768: ``e2e/artifacts/compte-*.png``."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from test_grid import login

TIMEOUT = 60_000
PASSWORD = "Directrice-2026"
CODE_RE = re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$")
# Every text the loading screen shows, recorded from the first script on.
RECORD_STEPS = """
window.__steps = [];
new MutationObserver(() => {
  const s = document.getElementById('boot-step');
  if (s && window.__steps[window.__steps.length - 1] !== s.textContent) window.__steps.push(s.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def error_at(page, label):
    """The error shown at a field: aria-invalid, described by the message, focused."""
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true", timeout=TIMEOUT)  # a loaded machine
    expect(field).to_be_focused()
    described = field.get_attribute("aria-describedby").split()
    return page.locator(f"#{described[0]}").inner_text()


def test_setup_code_mon_compte_and_reset(page, e2e):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.add_init_script(RECORD_STEPS)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    steps = page.evaluate("window.__steps")
    assert "Préparation de Cartable…" in steps and not [s for s in steps if "Python" in s], steps

    # Creation: errors at the field; the login is proposed from the names, and editable.
    expect(page.locator(".ecran-creation h2")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Créer l'école").click()
    assert error_at(page, "Nom de l'école") == "Indiquez le nom de l'école."
    page.get_by_label("Nom de l'école").fill("École des Tilleuls")
    page.get_by_label("Numéro UAI (facultatif)").fill("12")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Prénom", exact=True).fill("Sophie")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    login_field = page.get_by_label("Identifiant de connexion")
    expect(login_field).to_have_value("sop.durand", timeout=TIMEOUT)
    page.get_by_role("button", name="Créer l'école").click()
    assert "UAI « 12 » n'est pas valide" in error_at(page, "Numéro UAI (facultatif)")
    page.get_by_label("Numéro UAI (facultatif)").fill("")
    login_field.fill("Sophie Durand")
    page.get_by_role("button", name="Créer l'école").click()
    assert "n'est pas accepté" in error_at(page, "Identifiant de connexion")
    login_field.fill("sophie.durand")
    e2e.screenshot(page, "compte-01-creation")
    page.get_by_role("button", name="Créer l'école").click()

    # The code de secours, once, with the login, above every screen until noted; « Imprimer le
    # code » prints it alone.
    expect(page.locator(".messages")).to_contain_text(
        "Votre identifiant de connexion est « sophie.durand »", timeout=TIMEOUT)
    banner = page.locator(".bandeaux .bandeau-code")
    expect(banner).to_be_visible()
    code = page.locator("#code-secours").inner_text()
    assert CODE_RE.match(code), code
    expect(banner.locator(".identifiant-code")).to_have_text("sophie.durand")
    e2e.screenshot(page, "compte-02-code-secours")
    page.click('nav.menu button[data-vue="niveaux"]')  # still there on another screen
    expect(banner).to_be_visible()
    page.evaluate("() => { window.print = () => {}; }")  # the print dialog, left open
    page.click("#imprimer-code")
    page.emulate_media(media="print")
    expect(page.locator("#code-secours")).to_be_visible()
    assert page.locator(".vue h2").evaluate("n => getComputedStyle(n).visibility") == "hidden"
    expect(page.locator("#imprimer-code")).to_be_hidden()
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")  # the dialog closed
    assert page.locator(".vue h2").evaluate("n => getComputedStyle(n).visibility") == "visible"
    page.emulate_media(media="screen")
    page.click("#code-note")
    expect(banner).to_have_count(0)
    assert code not in page.content()  # shown once

    # Mon compte: the login; changing the password needs the current one.
    page.click('nav.menu button[data-vue="compte"]')
    expect(page.locator("#mon-identifiant")).to_have_text("sophie.durand", timeout=TIMEOUT)
    form = page.locator("#changer-mot-de-passe")
    form.get_by_label("Mot de passe actuel").fill("pas-le-bon-1")
    form.get_by_label("Nouveau mot de passe").fill("Tilleuls-2027")
    form.get_by_label("Confirmez le mot de passe").fill("Tilleuls-2027")
    form.get_by_role("button", name="Changer le mot de passe").click()
    field = form.get_by_label("Mot de passe actuel")
    expect(field).to_have_attribute("aria-invalid", "true", timeout=TIMEOUT)  # a loaded machine
    expect(field).to_be_focused()
    expect(form).to_contain_text("L'ancien mot de passe est incorrect")
    e2e.screenshot(page, "compte-03-erreur-au-champ")
    field.fill(PASSWORD)
    form.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.locator(".messages")).to_contain_text("Votre mot de passe est changé")
    expect(field).not_to_have_attribute("aria-invalid", "true")

    # A new code from Mon compte (current password); the first one is spent.
    regen = page.locator("#nouveau-code")
    regen.get_by_label("Mot de passe actuel").fill("Tilleuls-2027")
    regen.get_by_role("button", name="Tirer un nouveau code de secours").click()
    second = page.locator("#nouveau-code .code-secours")
    expect(second).to_have_text(CODE_RE)
    second_code = second.inner_text()
    assert second_code != code
    e2e.screenshot(page, "compte-04-mon-compte")

    # Errors at the field elsewhere too: a teacher's login already taken.
    page.click('nav.menu button[data-vue="professeurs"]')
    page.get_by_label("Nom", exact=True).fill("Petit")
    page.get_by_label("Prénom", exact=True).fill("Luc")
    page.get_by_label("Identifiant (facultatif)").fill("sophie.durand")
    page.get_by_role("button", name="Créer le professeur").click()
    assert "déjà utilisé" in error_at(page, "Identifiant (facultatif)")
    expect(page.locator(".alertes .alerte")).to_have_count(0)

    # Forgotten password: the spent code is refused at its field, the new one works.
    page.click("#deconnexion")
    page.get_by_role("button", name="Se connecter").click()
    assert error_at(page, "Identifiant") == "Tapez votre identifiant."
    page.click("#mot-de-passe-oublie")
    reset = page.locator(".ecran-mot-de-passe-oublie")
    reset.get_by_label("Identifiant").fill("sophie.durand")
    reset.get_by_label("Code de secours").fill(code)
    reset.get_by_label("Nouveau mot de passe").fill("Retrouve-2027")
    reset.get_by_label("Confirmez le mot de passe").fill("Retrouve-2027")
    reset.get_by_role("button", name="Changer le mot de passe").click()
    assert "code de secours incorrect" in error_at(page, "Code de secours")
    reset.get_by_label("Code de secours").fill(second_code.lower().replace("-", " "))
    e2e.screenshot(page, "compte-05-mot-de-passe-oublie")
    reset.get_by_role("button", name="Changer le mot de passe").click()
    third = page.locator(".bandeau-code #code-secours")  # logged in, the new code shown once
    expect(third).to_have_text(CODE_RE, timeout=TIMEOUT)
    assert third.inner_text() not in (code, second_code)
    expect(page.locator(".entete")).to_contain_text("Sophie DURAND")
    expect(page.locator(".messages")).to_contain_text("l'ancien ne fonctionne plus")
    page.click("#code-note")
    page.click("#deconnexion")
    login(page, "sophie.durand", "Retrouve-2027")


def test_teacher_changes_his_password_in_mon_compte(page, e2e):
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1366, "height": 768})
    assert e2e.wait_state(page) == "ready"
    page.evaluate("""async (password) => {
      const C = window.Cartable;
      await C.call("app.setup", {nom: "École", directeur: {nom: "Durand", prenom: "Sophie", password}});
      await C.call("professeurs.create", {nom: "Petit", prenom: "Luc", password: "Maitre-2026"});
      await C.call("auth.logout", {});
    }""", PASSWORD)
    page.evaluate("() => window.CartableApp.start()")
    login(page, "luc.petit", "Maitre-2026")
    page.click('nav.menu button[data-vue="compte"]')
    expect(page.locator("#mon-identifiant")).to_have_text("luc.petit", timeout=TIMEOUT)
    expect(page.locator("#nouveau-code")).to_have_count(0)  # the code is the director's
    form = page.locator("#changer-mot-de-passe")
    form.get_by_label("Mot de passe actuel").fill("Maitre-2026")
    form.get_by_label("Nouveau mot de passe").fill("Classe-2027")
    form.get_by_label("Confirmez le mot de passe").fill("Classe-2028")
    form.get_by_role("button", name="Changer le mot de passe").click()
    assert "pas identiques" in error_at(page, "Confirmez le mot de passe")
    form.get_by_label("Confirmez le mot de passe").fill("Classe-2027")
    form.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.locator(".messages")).to_contain_text("Votre mot de passe est changé")
    e2e.screenshot(page, "compte-06-professeur")
    page.click("#deconnexion")
    login(page, "luc.petit", "Classe-2027")
