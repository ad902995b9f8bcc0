/* Professeurs (director): create, edit, reset, deactivate and delete teachers' accounts. */
import * as Dom from "../../shared/dom.js";
import { el, append, clear, field, button } from "../../shared/dom.js";
import { byName } from "../format.js";
import * as Shell from "../shell.js";
import { fail, guard } from "../forms.js";

const { call, busy, showNotice } = Shell;

/** The printable sheet with logins and passwords (shown once). */
function credentialsSheet(rows, title) {
  document.body.classList.add("avec-fiche");
  const t = Dom.table({ class: "tableau identifiants" }, ["Nom", "Prénom", "Identifiant", "Mot de passe"],
    rows.map((r) => [r.nom, r.prenom, el("td", { class: "cred-login code", text: r.login }),
      el("td", { class: "cred-password code", text: r.password })]));
  const school = Shell.state.status && Shell.state.status.school;
  const sheet = el("div", { class: "fiche-identifiants", role: "region", "aria-label": "Fiche d'identifiants" },
    el("h3", { text: title || "Identifiants de connexion" }),
    el("p", { class: "important", text: "Notez soigneusement ces identifiants : le mot de passe ne sera plus jamais affiché. Remettez cette fiche au professeur ; à sa première connexion, il choisira son propre mot de passe." }),
    t,
    el("p", { class: "aide", text: `École : ${(school && school.nom) || ""} — fiche éditée le ${new Date().toLocaleDateString("fr-FR")}.` }));
  const close = button("J'ai noté ces identifiants", () => {
    sheet.remove();
    document.body.classList.remove("avec-fiche");
  }, { class: "secondaire" });
  const print = button("Imprimer", () => window.print(), { class: "principal" });
  sheet.appendChild(el("div", { class: "actions" }, print, close));
  return sheet;
}

function civilites() {
  return Shell.state.strings.civilites || [];
}

function createForm() {
  const form = el("form", { class: "formulaire en-ligne", novalidate: true });
  const f = {
    form,
    civilite: Dom.select("Civilité (pour LSU)", { name: "civilite" },
      civilites().map((c) => ({ value: c.valeur, text: c.nom }))),
    nom: field("Nom", { name: "nom", required: true }),
    prenom: field("Prénom", { name: "prenom", required: true }),
    login: field("Identifiant (facultatif)", { name: "login" }, LOGIN_HINT),
    pwd: field("Mot de passe (facultatif)", { name: "password", autocomplete: "new-password" }, "Vide : généré automatiquement."),
    submit: el("button", { type: "submit", class: "principal", text: "Créer le professeur" }),
  };
  append(form, el("fieldset", {}, el("legend", { text: "Nouveau professeur" }), f.civilite.row, f.nom.row, f.prenom.row,
    f.login.row, f.pwd.row, el("div", { class: "actions" }, f.submit)));
  proposedLogin(f);
  return f;
}

const LOGIN_HINT = "Vide : fabriqué à partir du prénom et du nom.";

/** The login hint names the login the core would make from the names typed (not an example). */
function proposedLogin(f) {
  const hint = f.login.row.querySelector(".aide");
  const update = async () => {
    const nom = f.nom.input.value.trim();
    const prenom = f.prenom.input.value.trim();
    if (!nom || !prenom) { hint.textContent = LOGIN_HINT; return; }
    try {
      const r = await call("accounts.propose_login", { nom, prenom });
      if (nom === f.nom.input.value.trim() && prenom === f.prenom.input.value.trim()) {
        hint.textContent = `Vide : « ${r.login} », fabriqué à partir du prénom et du nom.`;
      }
    } catch (e) { hint.textContent = LOGIN_HINT; /* names not usable yet: the core says why at creation */ }
  };
  f.nom.input.addEventListener("change", update);
  f.prenom.input.addEventListener("change", update);
  f.form.addEventListener("reset-hint", update);
}

/** The screen's parts: the sheet area, the form, the list; reload() redraws the list. */
function page(section) {
  const sheetBox = el("div", { class: "zone-fiche" });
  const f = createForm();
  const listBox = el("div");
  append(section, [sheetBox, f.form, el("h3", { text: "Liste des professeurs" }), listBox]);
  const ctx = {
    showSheet(rows, title) {
      clear(sheetBox);
      sheetBox.appendChild(credentialsSheet(rows, title));
      sheetBox.scrollIntoView();
    },
    async reload() { renderList(ctx, listBox, await call("professeurs.list")); },
  };
  f.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const fields = { nom: f.nom.input, prenom: f.prenom.input, login: f.login.input, password: f.pwd.input };
    busy(f.submit, "Création du compte…", () => guard(fields, () => create(ctx, f)));
  });
  return ctx;
}

async function create(ctx, f) {
  if (!f.nom.input.value.trim()) fail("nom", "Indiquez le nom du professeur.");
  if (!f.prenom.input.value.trim()) fail("prenom", "Indiquez le prénom du professeur.");
  const payload = { nom: f.nom.input.value.trim(), prenom: f.prenom.input.value.trim(),
    civilite: f.civilite.select.value };
  if (f.login.input.value.trim()) payload.login = f.login.input.value.trim();
  if (f.pwd.input.value) payload.password = f.pwd.input.value;
  const r = await call("professeurs.create", payload);
  ctx.showSheet([{ nom: payload.nom, prenom: payload.prenom, login: r.login, password: r.password }], "Identifiants du nouveau professeur");
  for (const x of [f.nom, f.prenom, f.login, f.pwd]) x.input.value = "";
  f.form.dispatchEvent(new Event("reset-hint"));
  showNotice(`Compte créé pour ${payload.prenom} ${payload.nom} (identifiant « ${r.login} »).`);
  return ctx.reload();
}

function renderList(ctx, listBox, list) {
  clear(listBox);
  if (!list.length) {
    listBox.appendChild(el("p", { text: "Aucun professeur pour l'instant." }));
    return;
  }
  const rows = [...list].sort(byName).map((p) => row(ctx, p));
  listBox.appendChild(el("div", { class: "defilement" }, Dom.table({ id: "liste-professeurs" },
    ["Civilité", "Nom", "Prénom", "Identifiant", "État", "Classes", "Actions"], rows)));
}

function row(ctx, p) {
  const who = `${p.prenom} ${p.nom}`;
  const etat = !p.actif ? "désactivé" : (p.must_change_password ? "compte à activer" : "actif");
  const tr = el("tr", { "data-id": p.id });
  const edit = button("Modifier", () => tr.replaceWith(editRow(ctx, p)), { class: "petit" });
  const reset = button("Réinitialiser le mot de passe", () => {
    if (!window.confirm(`Réinitialiser le mot de passe de ${who} ? L'ancien ne fonctionnera plus.`)) return;
    busy(reset, "Réinitialisation…", async () => {
      const r = await call("professeurs.reset_password", { id: p.id });
      ctx.showSheet([{ nom: p.nom, prenom: p.prenom, login: r.login, password: r.password }], "Nouveau mot de passe");
      return ctx.reload();
    });
  }, { class: "petit" });
  const toggle = button(p.actif ? "Désactiver" : "Activer", () => {
    busy(toggle, "Enregistrement…", async () => {
      await call("professeurs.set_actif", { id: p.id, actif: !p.actif });
      return ctx.reload();
    });
  }, { class: "petit" });
  const del = button("Supprimer", () => {
    if (!window.confirm(`Supprimer le compte de ${who} ? Ses décisions de validation sont conservées.`)) return;
    busy(del, "Suppression…", async () => {
      await call("professeurs.delete", { id: p.id });
      showNotice(`Le compte de ${who} a été supprimé.`);
      return ctx.reload();
    });
  }, { class: "petit danger" });
  const civ = civilites().find((c) => c.valeur === (p.civilite || ""));
  append(tr, [el("td", { class: "civilite", text: civ ? (civ.court || "") : p.civilite }), el("td", { text: p.nom }),
    el("td", { text: p.prenom }), el("td", { class: "code", text: p.login }),
    el("td", { text: etat }), el("td", { text: String((p.classes || []).length) }),
    el("td", { class: "boutons" }, edit, reset, toggle, del)]);
  return tr;
}

function editRow(ctx, p) {
  const tr = el("tr", { "data-id": p.id, class: "edition" });
  const n = el("input", { type: "text", value: p.nom, "aria-label": "Nom" });
  const pr = el("input", { type: "text", value: p.prenom, "aria-label": "Prénom" });
  const lg = el("input", { type: "text", value: p.login, "aria-label": "Identifiant" });
  const cv = el("select", { "aria-label": "Civilité" }, civilites().map((c) =>
    el("option", { value: c.valeur, text: c.nom, selected: c.valeur === (p.civilite || "") })));
  const save = button("Enregistrer", () => {
    busy(save, "Enregistrement…", async () => {
      await call("professeurs.update", { id: p.id, nom: n.value.trim(), prenom: pr.value.trim(), login: lg.value.trim(),
        civilite: cv.value });
      showNotice("Professeur modifié.");
      return ctx.reload();
    });
  }, { class: "petit principal" });
  const cancel = button("Annuler", () => tr.replaceWith(row(ctx, p)), { class: "petit" });
  append(tr, [el("td", {}, cv), el("td", {}, n), el("td", {}, pr), el("td", {}, lg), el("td"), el("td"),
    el("td", { class: "boutons" }, save, cancel)]);
  return tr;
}

Shell.screen({
  id: "professeurs",
  label: "Professeurs",
  roles: ["directeur"],
  order: 50,
  render(section) {
    append(section, Dom.heading("Professeurs"));
    return page(section).reload();
  },
});
