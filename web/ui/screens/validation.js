/* Valider les items / Valider les compétences: choose palier, classe, pupils (and the
 * compétence for items), then the grid (ui/grid/grid.js) replaces the selection. */
import { el, append, clear, nextId, checkbox, button, heading, select } from "../../shared/dom.js";
import { byName, fullName } from "../format.js";
import * as Shell from "../shell.js";
import * as Grid from "../grid/grid.js";

const { call, busy } = Shell;

/** The selection kept between grids, made valid for the choices the core offers; at first,
 *  where the core says this user lands (`defaut`: own class, the palier of its niveau). */
function selection(choices) {
  const sel = Shell.state.validation || (Shell.state.validation = { palier_id: null, classe_id: null, eleve_ids: null, competence_id: null, done: {} });
  const landing = choices.defaut || {};
  if (!sel.classe_id || !choices.classes.some((k) => k.id === sel.classe_id)) {
    sel.classe_id = landing.classe_id || choices.classes[0].id;
    sel.eleve_ids = null;
    sel.palier_id = null; // a new class: its own palier
  }
  if (!sel.palier_id || !choices.paliers.some((p) => p.id === sel.palier_id)) {
    sel.palier_id = (choices.paliers.find((p) => p.id === landing.palier_id) || choices.paliers[0]).id;
  }
  return sel;
}

function nothingToShow(box, choices) {
  const director = Shell.isDirector();
  let text = null;
  if (!choices.paliers.length) {
    text = director ? "Aucun palier n'est activé : choisissez d'abord les paliers (menu Paliers du socle)."
      : "Aucun palier n'est activé : demandez au directeur de choisir les paliers du socle.";
  } else if (!choices.classes.length) {
    text = director ? "Aucune classe : importez d'abord les élèves (menu Importer les élèves)."
      : "Vous n'êtes professeur principal d'aucune classe : demandez au directeur de vous attribuer votre classe.";
  }
  if (text) box.appendChild(el("p", { class: "alerte avertissement", text }));
  return !!text;
}

/** The pupils of the chosen class, ticked (all, or those of the last grid). */
async function loadEleves(box, sel) {
  clear(box);
  box.appendChild(el("legend", { text: "Élèves" }));
  box.inputs = [];
  const list = await call("eleves.list", { classe_id: sel.classe_id });
  if (!list.length) {
    box.appendChild(el("p", { text: "Cette classe n'a aucun élève." }));
    return;
  }
  const keep = sel.eleve_ids ? new Set(sel.eleve_ids) : null;
  const grid = el("div", { class: "cases-eleves" });
  box.inputs = [...list].sort(byName).map((e) => {
    const c = checkbox(fullName(e), { checked: keep ? keep.has(e.id) : true, "data-id": e.id });
    grid.appendChild(c.row);
    return c.input;
  });
  const setAll = (v) => { for (const i of box.inputs) i.checked = v; };
  const tools = el("div", { class: "outils" },
    button("Tout cocher", () => setAll(true), { class: "petit" }),
    button("Tout décocher", () => setAll(false), { class: "petit" }));
  append(box, [tools, grid]);
}

/** The compétences of the palier (items grid only), the next one not opened yet chosen. */
async function loadCompetences(box, sel) {
  clear(box);
  box.appendChild(el("legend", { text: "Compétence" }));
  const ref = await call("referentiel.get", { palier_id: sel.palier_id });
  const palier = ref.find((p) => p.id === sel.palier_id) || ref[0];
  if (!palier) return;
  const comps = palier.competences;
  if (!sel.competence_id || !comps.some((k) => k.id === sel.competence_id)) {
    sel.competence_id = (comps.find((k) => !sel.done[k.id]) || comps[0]).id;
  }
  const name = nextId("competence");
  for (const k of comps) {
    const id = nextId("comp");
    const r = el("input", { type: "radio", name, id, value: String(k.id), checked: k.id === sel.competence_id, "data-ref": k.ref });
    r.addEventListener("change", () => { if (r.checked) sel.competence_id = k.id; });
    const done = sel.done[k.id] ? el("span", { class: "deja-vue", text: " (déjà ouverte)" }) : null;
    box.appendChild(el("div", { class: "case" }, r, el("label", { for: id }, k.nom, done)));
  }
}

function buildForm(box, level, choices, sel) {
  clear(box);
  const form = el("form", { class: "formulaire", novalidate: true });
  const palier = select("Palier", {}, choices.paliers.map((p) => ({ value: String(p.id), text: p.nom, selected: p.id === sel.palier_id })));
  const classe = select("Classe", {}, choices.classes.map((k) => ({ value: String(k.id), text: k.nom + (k.niveau ? ` (${k.niveau})` : ""), selected: k.id === sel.classe_id })));
  const eleves = el("fieldset", { class: "liste-eleves" }, el("legend", { text: "Élèves" }));
  const comps = el("fieldset", { class: "liste-competences" }, el("legend", { text: level === "items" ? "Compétence" : "Compétences" }));
  const submit = el("button", { type: "submit", class: "principal", text: "Afficher le tableau des validations", id: "afficher-tableau" });
  const items = level === "items";
  append(form, [palier.row, classe.row, eleves, items ? comps : null, el("div", { class: "actions" }, submit)]);
  box.appendChild(form);
  const loadComps = () => (items ? loadCompetences(comps, sel) : Promise.resolve());
  palier.select.addEventListener("change", () => {
    Object.assign(sel, { palier_id: Number(palier.select.value), competence_id: null, done: {} });
    loadComps().catch(Shell.showError);
  });
  classe.select.addEventListener("change", () => {
    Object.assign(sel, { classe_id: Number(classe.select.value), eleve_ids: null, done: {} });
    loadEleves(eleves, sel).catch(Shell.showError);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(submit, "Préparation du tableau…", () => showGrid(level, sel, eleves.inputs || []));
  });
  return Promise.all([loadEleves(eleves, sel), loadComps()]);
}

async function showGrid(level, sel, inputs) {
  const ids = inputs.filter((i) => i.checked).map((i) => Number(i.getAttribute("data-id")));
  if (!ids.length) throw new Error("Cochez au moins un élève.");
  sel.eleve_ids = ids;
  if (level === "items" && !sel.competence_id) throw new Error("Choisissez une compétence.");
  const grid = await call("validation.grid", { palier_id: sel.palier_id, classe_id: sel.classe_id, eleve_ids: ids,
    competence_id: level === "items" ? sel.competence_id : null });
  Shell.go(level, { grid, force: true, noFocus: true });
}

function register(level, label, order) {
  Shell.screen({
    id: level,
    label,
    roles: ["directeur", "professeur"],
    order,
    async render(section, opts) {
      append(section, heading(label));
      if (opts.grid) {
        Grid.mount(section, opts.grid);
        return;
      }
      const box = el("div", { class: "selection" });
      section.appendChild(box);
      const choices = await call("validation.choices");
      if (nothingToShow(box, choices)) return;
      await buildForm(box, level, choices, selection(choices));
    },
  });
}

register("items", "Valider les items", 70);
register("competences", "Valider les compétences", 80);
