/* Screens without menu: first start (create the school), login, account activation. */
import * as Dom from "../../shared/dom.js";
import { el, append, field } from "../../shared/dom.js";
import * as Shell from "../shell.js";
import { passwordPair, checkSame, fail, guard } from "../forms.js";
import * as Keeper from "../keeper.js";
import * as Secours from "../secours.js";
import * as GridDraft from "../grid/draft.js";

const { call, busy, showNotice } = Shell;

function setupForm() {
  const form = el("form", { class: "formulaire", novalidate: true });
  const ecole = el("fieldset", {}, el("legend", { text: "L'école" }));
  const nom = field("Nom de l'école", { required: true, autocomplete: "organization", name: "ecole" });
  const uai = field("Numéro UAI (facultatif)", { name: "uai", maxlength: String(Shell.state.strings.uai_length) },
    `Le numéro de l'établissement : 7 chiffres et une lettre, par exemple ${Shell.state.strings.uai_example}.`);
  append(ecole, [nom.row, uai.row]);
  const dir = el("fieldset", {}, el("legend", { text: "Le compte du directeur / de la directrice" }));
  const dnom = field("Nom", { required: true, autocomplete: "family-name", name: "dnom" });
  const dprenom = field("Prénom", { required: true, autocomplete: "given-name", name: "dprenom" });
  const dlogin = field("Identifiant de connexion", { name: "dlogin", autocomplete: "username", autocapitalize: "none", spellcheck: "false" },
    "Proposé à partir du prénom et du nom : vous pouvez le changer. Il vous sera demandé à chaque ouverture.");
  append(dir, [dnom.row, dprenom.row, dlogin.row]);
  proposeLogin(dnom.input, dprenom.input, dlogin.input);
  const pair = passwordPair(dir);
  const submit = el("button", { type: "submit", class: "principal", text: "Créer l'école" });
  append(form, [ecole, dir, el("div", { class: "actions" }, submit)]);
  return { form, submit, pair, nom, uai, dnom, dprenom, dlogin };
}

/** The core proposes a login from the names, until the user types one. */
function proposeLogin(nom, prenom, login) {
  login.addEventListener("input", () => { login.dataset.typed = login.value.trim() ? "1" : ""; });
  const propose = async () => {
    if (login.dataset.typed || !nom.value.trim() || !prenom.value.trim()) return;
    try {
      const r = await call("accounts.propose_login", { nom: nom.value, prenom: prenom.value });
      if (!login.dataset.typed) login.value = r.login;
    } catch (e) { /* names not usable yet: the user may type a login */ }
  };
  nom.addEventListener("change", propose);
  prenom.addEventListener("change", propose);
}

function setupFields(f) {
  return { ecole: f.nom.input, uai: f.uai.input, nom: f.dnom.input, prenom: f.dprenom.input,
    login: f.dlogin.input, password: f.pair.first, password_again: f.pair.second };
}

function setupPayload(f) {
  const value = (x) => x.input.value.trim();
  if (!value(f.nom)) fail("ecole", "Indiquez le nom de l'école.");
  if (!value(f.dnom)) fail("nom", "Indiquez le nom du directeur ou de la directrice.");
  if (!value(f.dprenom)) fail("prenom", "Indiquez le prénom du directeur ou de la directrice.");
  checkSame(f.pair);
  const payload = {
    nom: value(f.nom),
    directeur: { nom: value(f.dnom), prenom: value(f.dprenom), password: f.pair.first.value },
  };
  if (value(f.uai)) payload.uai = value(f.uai);
  if (value(f.dlogin)) payload.directeur.login = value(f.dlogin);
  return payload;
}

Shell.screen({
  id: "creation",
  simple: true,
  title: "Bienvenue dans Cartable",
  render(card) {
    // Both ways as equals: a moved folder (an empty browser) must not look like a vanished school.
    append(card, el("p", { text: "Ce navigateur ne contient encore aucune école : c'est la première ouverture de Cartable ici, ou le dossier Cartable a été déplacé ou copié ailleurs." }));
    const f = setupForm();
    const create = el("section", { class: "bloc voie voie-creation", "aria-labelledby": "titre-creer-ecole" },
      el("h3", { id: "titre-creer-ecole", text: "Créer l'école" }),
      el("p", { text: "Une nouvelle école : indiquez son nom, puis créez le compte du directeur ou de la directrice (c'est ce compte qui paramètre l'école, importe les élèves et crée les comptes des professeurs)." }),
      f.form);
    card.appendChild(el("div", { class: "deux-voies" }, Keeper.firstRunBlock(), create));
    f.form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(f.submit, "Création de l'école…", () => guard(setupFields(f), async () => {
        const r = await call("app.setup", setupPayload(f)); // logs the director in
        await Shell.refreshStatus();
        Shell.enterApp(r.user);
        showNotice(`L'école est créée. Votre identifiant de connexion est « ${r.login} » : notez-le, il vous sera demandé à chaque ouverture.`);
        Secours.banner(r.login, r.code_secours); // shown once, until she noted it
      }));
    });
    f.nom.input.focus();
  },
});

Shell.screen({
  id: "connexion",
  simple: true,
  title: "Connexion",
  render(card, opts) {
    if (opts.message) showNotice(opts.message, "information"); // the screen's one message area
    const form = el("form", { class: "formulaire", novalidate: true });
    const login = field("Identifiant", { autocomplete: "username", name: "login", autocapitalize: "none", spellcheck: "false" });
    const pwd = field("Mot de passe", { type: "password", autocomplete: "current-password", name: "password" });
    const submit = el("button", { type: "submit", class: "principal", text: "Se connecter" });
    append(form, [login.row, pwd.row, el("div", { class: "actions" }, submit)]);
    append(card, form);
    append(card, el("p", { class: "aide" },
      Dom.button("Mot de passe oublié ? Code de secours", () => Shell.open("mot-de-passe-oublie"), { class: "lien", id: "mot-de-passe-oublie" }),
      " Professeurs : le directeur ou la directrice réinitialise votre mot de passe (menu Professeurs)."));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(submit, "Connexion…", () => guard({ login: login.input, password: pwd.input }, async () => {
        if (!login.input.value.trim()) fail("login", "Tapez votre identifiant.");
        if (!pwd.input.value) fail("password", "Tapez votre mot de passe.");
        const password = pwd.input.value;
        const res = await call("auth.login", { login: login.input.value.trim(), password });
        GridDraft.fromLogin(res); // the unsaved grid of a session ended by inactivity
        Shell.clearMessages();
        if (res.user.must_change_password) Shell.open("activation", { user: res.user, password });
        else Shell.enterApp(res.user);
      }));
    });
    login.input.focus();
  },
});

Shell.screen({
  id: "activation",
  simple: true,
  title: "Activez votre compte : choisissez un nouveau mot de passe",
  render(card, { user, password }) {
    Shell.state.user = user;
    Shell.renderHeader();
    append(card, el("p", { text: `Bonjour ${user.prenom} ${user.nom}. Le mot de passe qui vous a été remis était provisoire. Choisissez-en un nouveau, connu de vous seulement.` }));
    const form = el("form", { class: "formulaire", novalidate: true });
    const pair = passwordPair(form, "Nouveau mot de passe");
    const submit = el("button", { type: "submit", class: "principal", text: "Activer mon compte" });
    append(form, el("div", { class: "actions" }, submit));
    card.appendChild(form);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(submit, "Activation du compte…", () => guard({ password: pair.first, password_again: pair.second }, async () => {
        checkSame(pair);
        const r = await call("auth.change_password", { old_password: password, new_password: pair.first.value });
        Shell.enterApp(r.user || { ...user, must_change_password: false });
        showNotice("Votre compte est activé. Utilisez désormais ce nouveau mot de passe.");
      }));
    });
    pair.first.focus();
  },
});
