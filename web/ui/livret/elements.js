/* The class's éléments de programme travaillés for a period, per domaine or sous-domaine (each
 * ≤ the core's limit, with its counter), with the core's suggestions (the class's previous
 * period, the other classes of the same niveau) one click away, and the class's projets of the
 * parcours for the period. Written at once by « Enregistrer » (livret.set_elements).
 *
 * LivretElements.create(data, domaines, {onSave(payload)}) -> {node, dirty()}; `data` is the
 * reply of livret.elements.
 */
import { el, append, button } from "../../shared/dom.js";
import { area } from "./fiche.js";

function line(ed, list, rubrique, nom, value) {
  const max = ed.limites.element;
  const n = list.children.length + 1;
  const field = area(`${nom} : élément ${n}`, value, max, () => { ed.changed = true; },
    { rows: "1", extra: { "data-element": rubrique } });
  const input = field.querySelector("textarea");
  input.addEventListener("input", () => { ed.changed = true; });
  const remove = button("Retirer", () => { row.remove(); ed.changed = true; },
    { class: "lien", "aria-label": `Retirer l'élément ${n} (${nom})` });
  const row = el("li", { class: "ligne-element" }, field, remove);
  list.appendChild(row);
  return input;
}

function rubriqueBlock(ed, rubrique, nom, titled) {
  const list = el("ol", { class: "liste-elements", "data-rubrique": rubrique });
  ed.lists[rubrique] = list;
  for (const libelle of ed.data.elements[rubrique] || []) line(ed, list, rubrique, nom, libelle);
  const add = button("Ajouter un élément", () => { line(ed, list, rubrique, nom, "").focus(); ed.changed = true; },
    { class: "secondaire petit", "data-ajouter": rubrique });
  const suggestions = (ed.data.suggestions[rubrique] || []).map((s) => {
    const b = button(`+ ${s.libelle}`, () => { line(ed, list, rubrique, nom, s.libelle); b.remove(); ed.changed = true; },
      { class: "suggestion", title: `Repris de : ${s.source}`, "data-suggestion": rubrique });
    return el("li", {}, b, el("span", { class: "source", text: ` (${s.source})` }));
  });
  return el("div", { class: "rubrique-elements", "data-rubrique": rubrique },
    titled ? el("h5", { text: nom }) : null, list,
    suggestions.length ? el("div", { class: "suggestions" }, el("p", { class: "aide", text: "Proposés :" }),
      el("ul", {}, ...suggestions)) : null,
    add);
}

function create(data, domaines, handlers) {
  const ed = { data, limites: domaines.limites, lists: {}, parcours: {}, changed: false };
  const node = el("div", { class: "elements-classe", id: "elements-classe" });
  node.appendChild(el("p", { class: "aide", text: "Les éléments de programme travaillés pendant la période, saisis une fois pour la classe : ils figurent dans le livret de chaque élève (et peuvent être adaptés dans la fiche d'un élève)." }));
  for (const d of domaines.domaines) {
    const subs = d.sous_domaines.length ? d.sous_domaines : [d];
    node.appendChild(el("section", { class: "domaine-elements", "data-domaine": d.code }, el("h4", { text: d.nom }),
      ...subs.map((s) => rubriqueBlock(ed, s.code, s.nom, d.sous_domaines.length > 0))));
  }
  const projets = el("section", { class: "projets-classe" }, el("h4", { text: "Projets de la classe (parcours éducatifs)" }));
  for (const p of domaines.parcours) {
    const box = area(p.nom, data.parcours[p.code], ed.limites.parcours, () => { ed.changed = true; },
      { rows: "2", extra: { "data-projet": p.code } });
    ed.parcours[p.code] = box.querySelector("textarea");
    ed.parcours[p.code].addEventListener("input", () => { ed.changed = true; });
    projets.appendChild(box);
  }
  node.appendChild(projets);
  const save = button("Enregistrer les éléments et les projets", () => handlers.onSave(payload(ed), save),
    { class: "principal", id: "enregistrer-elements" });
  append(node, el("div", { class: "actions" }, save));
  return { node, dirty: () => ed.changed, saved: () => { ed.changed = false; } };
}

function payload(ed) {
  const elements = {};
  for (const [rubrique, list] of Object.entries(ed.lists)) {
    elements[rubrique] = [...list.querySelectorAll("textarea")].map((t) => t.value.trim()).filter(Boolean);
  }
  const parcours = {};
  for (const [code, input] of Object.entries(ed.parcours)) parcours[code] = input.value.trim();
  return { elements, parcours };
}

export { create };
