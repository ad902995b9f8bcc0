/* The bilan de fin de cycle 2 grid's table: pupils (rows) × the 8 composantes (columns), an arrow
 * per pupil and per composante, a synthèse per pupil with its character counter.
 *
 * BilanTable.create(grid, {onCell(td), onArrow(button), onSynthese(eleveId, textarea)}) -> view:
 *   view.node (the <table>), view.paintCell(key), view.paintArrow(key), view.paintPupil(id),
 *   view.arrowKeys() (the arrows' keys), view.grid (the core's grid, kept up to date by the
 *   caller).
 * Everything shown (labels, positions, limit, what an arrow's next click does: arrow_labels)
 * comes from the grid the core sent. An arrow shows beside it the position its next click sets.
 */
import { el, nextId } from "../../shared/dom.js";
import * as Format from "../format.js";
import { fullName } from "../format.js";
import * as GridArrows from "../grid/arrows.js";
import * as GridNav from "../grid/nav.js";
import * as GridPositions from "../grid/positions.js";


function create(grid, handlers) {
  const view = { grid, cells: {}, arrows: {}, rows: {}, counters: {}, nav: [], where: new Map() };
  view.positions = new Map(grid.socle.positions.map((p) => [p.valeur, p]));
  view.paintCell = (key) => paintCell(view, key);
  view.paintArrow = (key) => paintArrow(view, key);
  view.paintPupil = (id) => paintPupil(view, id);
  view.arrowKeys = () => view.arrows;
  const t = el("table", { class: "grille grille-bilan", role: "grid", id: "grille-bilan",
    "aria-label": `Bilan de fin de cycle ${grid.socle.cycle}, classe ${grid.classe.nom}` });
  t.appendChild(el("thead", {}, headerRow(view)));
  const tb = el("tbody");
  for (const e of grid.eleves) tb.appendChild(pupilRow(view, e, handlers));
  t.appendChild(tb);
  view.nav.forEach((row, r) => row.forEach((node, c) => view.where.set(node, [r, c])));
  GridNav.listen(view, t, "td.case-bilan, button.fleche", handlers);
  view.node = t;
  return view;
}

function headerRow(view) {
  const tr = el("tr", { role: "row" });
  const navRow = [];
  tr.appendChild(el("th", { class: "coin", role: "columnheader", scope: "col", text: "Élèves" }));
  for (const c of view.grid.socle.composantes) {
    const b = GridArrows.button(view, "↓", { kind: "composante", code: c.code }, `composante:${c.code}`,
      { next: true });
    navRow.push(b);
    tr.appendChild(el("th", { class: "composante", role: "columnheader", scope: "col", title: c.nom,
      "data-code": c.code }, b, el("span", { class: "nom-composante", text: c.court })));
  }
  tr.appendChild(el("th", { class: "entete-synthese", role: "columnheader", scope: "col", text: "Synthèse" }));
  // Column 0 is the pupils' arrows: the composante arrows start at column 1, above their cells.
  view.nav.push([navRow[0], ...navRow]);
  return tr;
}

function pupilRow(view, e, handlers) {
  const tr = el("tr", { role: "row", "data-eleve": e.id });
  const b = GridArrows.button(view, "→", { kind: "eleve", eleve_id: e.id }, `eleve:${e.id}`, { next: true });
  const state = el("span", { class: "etat-bilan" });
  view.rows[e.id] = { tr, state, eleve: e };
  tr.appendChild(el("th", { class: "entete-ligne", role: "rowheader", scope: "row" }, b,
    el("span", { class: "nom-ligne", text: fullName(e) }), state));
  const navRow = [b];
  for (const c of view.grid.socle.composantes) {
    const td = GridPositions.cell(view, e, c, "case-bilan");
    navRow.push(td);
    tr.appendChild(td);
  }
  tr.appendChild(el("td", { class: "cellule-synthese" }, synthese(view, e, handlers)));
  view.nav.push(navRow);
  paintPupil(view, e.id);
  return tr;
}

function synthese(view, e, handlers) {
  const max = view.grid.socle.synthese_max;
  const id = nextId("synthese");
  const area = el("textarea", { id, class: "synthese", rows: "2", maxlength: String(max),
    "data-eleve": e.id, "aria-label": `Synthèse de ${fullName(e)}`,
    value: view.grid.syntheses[e.id] || "" });
  const counter = el("span", { class: "compteur", id: `${id}-compteur`, "aria-live": "polite" });
  area.setAttribute("aria-describedby", counter.id);
  view.counters[e.id] = () => {
    const n = [...area.value].length;
    counter.textContent = `${n} / ${max} caractères`;
    counter.classList.toggle("trop", n > max);
  };
  view.counters[e.id]();
  area.addEventListener("input", view.counters[e.id]);
  area.addEventListener("change", () => handlers.onSynthese(e.id, area));
  return el("div", { class: "bloc-synthese" }, area, counter);
}

function positionName(view, value) {
  const p = view.positions.get(value);
  return p ? p.nom : view.grid.socle.non_positionne;
}

function paintArrow(view, key) {
  const b = view.arrows[key];
  if (!b) return;
  const next = view.grid.arrows[key];
  const has = next !== null && next !== undefined;
  // the core's words: the next click and what it changes
  GridArrows.label(b, view.grid.arrow_labels[key], GridArrows.prochain(next));
  b.lastChild.textContent = has ? view.positions.get(next).court : "·";
}

function paintCell(view, key) {
  const td = view.cells[key];
  if (!td) return;
  const value = view.grid.cells[key];
  const has = GridPositions.paint(td, "case-bilan", value, view.positions);
  const name = positionName(view, has ? value : null);
  td.title = `${td._col.nom} : ${name}`;
  // the accessible name holds the short label the cell shows (1…4, D), then its name
  const shown = has ? `${view.positions.get(value).court} (${name})` : name;
  td.setAttribute("aria-label", `${fullName(td._eleve)}, ${td._col.court} : ${shown}`);
}

function paintPupil(view, id) {
  const row = view.rows[id];
  const etat = view.grid.etat[id] || {};
  const saved = view.grid.bilans[id];
  row.tr.classList.toggle("modifie", !!etat.modifie);
  row.tr.classList.toggle("complet", !!etat.complet);
  let text = etat.complet ? "complet" : `${etat.positionnes || 0} / ${view.grid.socle.composantes.length}`;
  if (etat.modifie) text += ", non enregistré";
  else if (saved) text += `, enregistré le ${Format.date(saved.date_creation)}${saved.auteurs ? ` (${saved.auteurs})` : ""}`;
  row.state.textContent = text;
}

export { create };
