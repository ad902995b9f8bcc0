/* Réglages (director): the school's name and UAI, the director's identity for LSU, and who may
 * validate. */
import * as Dom from "../../shared/dom.js";
import { el, append, field, checkbox } from "../../shared/dom.js";
import * as Shell from "../shell.js";

const { call, busy, showNotice } = Shell;

function schoolForm() {
  const school = (Shell.state.status && Shell.state.status.school) || {};
  const form = el("form", { class: "formulaire", novalidate: true });
  const nom = field("Nom de l'école", { value: school.nom || "" });
  const uai = field("Numéro UAI (facultatif, nécessaire pour LSU)", { value: school.uai || "", maxlength: String(Shell.state.strings.uai_length) });
  const submit = el("button", { type: "submit", class: "principal", text: "Enregistrer" });
  append(form, el("fieldset", {}, el("legend", { text: "L'école" }), nom.row, uai.row, el("div", { class: "actions" }, submit)));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(submit, "Enregistrement…", async () => {
      await call("school.update", { nom: nom.input.value.trim(), uai: uai.input.value.trim() || null });
      await Shell.refreshStatus();
      showNotice("Les informations de l'école sont enregistrées.");
    });
  });
  return form;
}

/** A <select> of the core's civilités (ui.strings), `value` selected. */
function civiliteSelect(label, value, attrs) {
  return Dom.select(label, attrs, (Shell.state.strings.civilites || []).map((c) =>
    ({ value: c.valeur, text: c.nom, selected: c.valeur === (value || "") })));
}

function directorForm(identity) {
  const d = identity.directeur;
  const form = el("form", { class: "formulaire", novalidate: true, id: "identite-directeur" });
  if (!d) return form;
  const civ = civiliteSelect("Civilité", d.civilite, { id: "directeur-civilite" });
  const nom = field("Nom", { value: d.nom, id: "directeur-nom" });
  const prenom = field("Prénom", { value: d.prenom, id: "directeur-prenom" });
  const submit = el("button", { type: "submit", class: "principal", text: "Enregistrer" });
  append(form, el("fieldset", {}, el("legend", { text: "Le directeur ou la directrice (pour LSU)" }),
    civ.row, nom.row, prenom.row, el("div", { class: "actions" }, submit)));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(submit, "Enregistrement…", async () => {
      await call("school.set_identity", { directeur: { civilite: civ.select.value,
        nom: nom.input.value.trim(), prenom: prenom.input.value.trim() } });
      await Shell.refreshStatus();
      showNotice("L'identité du directeur ou de la directrice est enregistrée.");
    });
  });
  return form;
}

function validationSetting(settings) {
  const c = checkbox("Les professeurs simplement affectés à une classe (pas seulement le professeur principal) peuvent valider pour ses élèves",
    { checked: !!settings.professeurs_affectes_valident, id: "reglage-affectes" });
  c.input.addEventListener("change", () => {
    busy(c.input, "Enregistrement…", async () => {
      let s;
      try {
        s = await call("settings.set", { professeurs_affectes_valident: c.input.checked });
      } catch (e) {
        c.input.checked = !c.input.checked;
        throw e;
      }
      c.input.checked = !!s.professeurs_affectes_valident;
      showNotice(s.professeurs_affectes_valident
        ? "Les professeurs affectés à une classe peuvent désormais valider pour ses élèves."
        : "Seuls les professeurs principaux (et le directeur) peuvent valider.");
    });
  });
  return el("fieldset", {}, el("legend", { text: "Validation" }), c.row);
}

Shell.screen({
  id: "reglages",
  label: "Réglages",
  roles: ["directeur"],
  order: 110,
  async render(section) {
    append(section, Dom.heading("Réglages"));
    const box = el("div");
    section.appendChild(box);
    const settings = await call("settings.get");
    const identity = await call("school.identity");
    append(box, [schoolForm(), directorForm(identity), validationSetting(settings)]);
  },
});
