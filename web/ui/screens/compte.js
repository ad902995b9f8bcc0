/* No lockout: the code de secours shown once (at the school's creation, after a reset, after
 * drawing a new one) with a print button; "Mot de passe oublié ? Code de secours" from the
 * login screen (the director sets a new password with her code); "Mon compte" (every user:
 * the login, change the password; the director: a new code de secours). */
import { el, append, field, button, clear, heading } from "../../shared/dom.js";
import * as Shell from "../shell.js";
import { passwordPair, checkSame, guard, fail } from "../forms.js";
import * as Secours from "../secours.js";

const { call, busy, showNotice } = Shell;

Shell.screen({
  id: "mot-de-passe-oublie",
  simple: true,
  title: "Mot de passe oublié : code de secours",
  render(card) {
    append(card, el("p", { text: "Le directeur ou la directrice tape son identifiant, le code de secours remis à la création de l'école (ou lors du dernier changement), puis choisit un nouveau mot de passe. Un professeur qui a oublié son mot de passe le demande au directeur ou à la directrice." }));
    const form = el("form", { class: "formulaire", novalidate: true });
    const login = field("Identifiant", { autocomplete: "username", autocapitalize: "none", spellcheck: "false" });
    const code = field("Code de secours", { autocomplete: "off", autocapitalize: "characters", spellcheck: "false" }, "16 lettres et chiffres, par exemple K7MP-3QXR-W9DT-H4NB (les tirets sont facultatifs).");
    append(form, [login.row, code.row]);
    const pair = passwordPair(form, "Nouveau mot de passe");
    const submit = el("button", { type: "submit", class: "principal", text: "Changer le mot de passe" });
    append(form, el("div", { class: "actions" }, submit, button("Retour à la connexion", () => Shell.open("connexion"), { class: "secondaire" })));
    card.appendChild(form);
    const fields = { login: login.input, code: code.input, password: pair.first, password_again: pair.second };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(submit, "Vérification du code…", () => guard(fields, async () => {
        if (!login.input.value.trim()) fail("login", "Tapez votre identifiant.");
        if (!code.input.value.trim()) fail("code", "Tapez le code de secours.");
        checkSame(pair);
        const r = await call("auth.reset_with_code", { login: login.input.value.trim(), code: code.input.value, new_password: pair.first.value });
        await Shell.refreshStatus();
        Shell.enterApp(r.user);
        Secours.banner(r.user.login, r.code_secours);
        showNotice("Votre mot de passe est changé. Voici votre nouveau code de secours : l'ancien ne fonctionne plus.");
      }));
    });
    login.input.focus();
  },
});

function passwordForm(section) {
  const form = el("form", { class: "formulaire", novalidate: true, id: "changer-mot-de-passe" },
    el("h3", { text: "Changer mon mot de passe" }));
  const old = field("Mot de passe actuel", { type: "password", autocomplete: "current-password" });
  form.appendChild(old.row);
  const pair = passwordPair(form, "Nouveau mot de passe");
  const submit = el("button", { type: "submit", class: "principal", text: "Changer le mot de passe" });
  append(form, el("div", { class: "actions" }, submit));
  section.appendChild(form);
  const fields = { old_password: old.input, password: pair.first, password_again: pair.second };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(submit, "Changement du mot de passe…", () => guard(fields, async () => {
      checkSame(pair);
      await call("auth.change_password", { old_password: old.input.value, new_password: pair.first.value });
      for (const input of Object.values(fields)) input.value = "";
      showNotice("Votre mot de passe est changé. Utilisez-le dès la prochaine connexion.");
    }));
  });
}

function codeForm(section, user) {
  const box = el("form", { class: "formulaire", novalidate: true, id: "nouveau-code" },
    el("h3", { text: "Code de secours" }),
    el("p", { text: user.has_recovery_code
      ? "Vous avez un code de secours (remis à la création de l'école ou lors du dernier changement). Si vous l'avez perdu, ou s'il a pu être vu, tirez-en un nouveau : l'ancien ne fonctionnera plus."
      : "Vous n'avez pas encore de code de secours : tirez-en un et rangez-le en lieu sûr. Sans lui, un mot de passe oublié ne peut pas être retrouvé." }));
  const pwd = field("Mot de passe actuel", { type: "password", autocomplete: "current-password" });
  const submit = el("button", { type: "submit", class: "principal", text: "Tirer un nouveau code de secours" });
  const result = el("div", { class: "resultat-code" });
  append(box, [pwd.row, el("div", { class: "actions" }, submit), result]);
  section.appendChild(box);
  box.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(submit, "Nouveau code de secours…", () => guard({ old_password: pwd.input }, async () => {
      const r = await call("auth.regenerate_recovery_code", { password: pwd.input.value });
      pwd.input.value = "";
      clear(result);
      result.appendChild(Secours.codeBox(r.user.login, r.code_secours));
      showNotice("Nouveau code de secours tiré : l'ancien ne fonctionne plus.");
    }));
  });
}

Shell.screen({
  id: "compte",
  label: "Mon compte",
  roles: ["directeur", "professeur"],
  order: 200,
  async render(section) {
    append(section, heading("Mon compte"));
    const user = await call("auth.whoami");
    append(section, el("dl", { class: "mon-compte" },
      el("dt", { text: "Nom" }), el("dd", { text: `${user.prenom} ${user.nom}` }),
      el("dt", { text: "Identifiant de connexion" }), el("dd", { id: "mon-identifiant", text: user.login }),
      el("dt", { text: "Rôle" }), el("dd", { text: user.role === "directeur" ? "directeur ou directrice" : "professeur" })));
    passwordForm(section);
    if (user.role === "directeur") codeForm(section, user);
  },
});
