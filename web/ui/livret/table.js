/* The livret's positionnement table: pupils (rows) × the rubriques of the class's cycle
 * (columns: a sous-domaine, or a domaine without sous-domaines, grouped under their domaine),
 * an arrow per pupil and per rubrique whose title is the core's words for its next click, and a
 * last column per pupil: where the livret stands, a button that opens the pupil's fiche.
 *
 * LivretTable.create(grid, {onCell(td, valeur?), onArrow(button), onFiche(eleveId)}) -> view:
 *   view.node (the <table>), view.paintCell(key), view.paintArrow(key), view.paintPupil(id),
 *   view.select(id) (marks the pupil whose fiche is open).
 * Keyboard (GridNav): arrows move, Space / Enter cycle a cell; 1–4 set it, N or 0 « non
 * évalué », Suppr / Retour arrière empty it (livret.click with `valeur`).
 */
import { el } from "../../shared/dom.js";
import { fullName, date } from "../format.js";
import * as GridArrows from "../grid/arrows.js";
import * as GridNav from "../grid/nav.js";
import * as GridPositions from "../grid/positions.js";

const KEYS = { 1: 1, 2: 2, 3: 3, 4: 4, 0: 0, n: 0, N: 0, Delete: null, Backspace: null };

/** The columns: [{code, nom, domaine}] in LSU's order for the class's cycle. */
function columns(domaines) {
  const cols = [];
  for (const d of domaines.domaines) {
    if (!d.sous_domaines.length) cols.push({ code: d.code, nom: d.nom, domaine: d, court: d.nom });
    for (const s of d.sous_domaines) cols.push({ code: s.code, nom: `${d.nom} — ${s.nom}`, domaine: d, court: s.nom });
  }
  return cols;
}

function create(grid, handlers) {
  const domaines = grid.cycles[String(grid.classe.cycle)] || Object.values(grid.cycles)[0];
  const view = { grid, domaines, cols: columns(domaines), cells: {}, arrows: {}, rows: {}, nav: [], where: new Map() };
  view.positions = new Map(domaines.positions.map((p) => [p.valeur, p]));
  view.paintCell = (key) => paintCell(view, key);
  view.paintArrow = (key) => paintArrow(view, key);
  view.paintPupil = (id) => paintPupil(view, id);
  view.select = (id) => Object.values(view.rows).forEach((r) => r.tr.classList.toggle("choisi", r.eleve.id === id));
  const t = el("table", { class: "grille grille-livret", role: "grid", id: "grille-livret",
    "aria-label": `Positionnements, classe ${grid.classe.nom}, ${grid.periode.nom} ${grid.periode.annee}` });
  t.appendChild(el("thead", {}, domaineRow(view), headerRow(view)));
  const tb = el("tbody");
  for (const e of grid.eleves) tb.appendChild(pupilRow(view, e, handlers));
  t.appendChild(tb);
  view.nav.forEach((row, r) => row.forEach((node, c) => view.where.set(node, [r, c])));
  GridNav.listen(view, t, "td.case-livret, button.fleche", handlers);
  t.addEventListener("keydown", (e) => {
    const td = document.activeElement;
    if (!td || td.tagName !== "TD" || !t.contains(td) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!Object.prototype.hasOwnProperty.call(KEYS, e.key)) return;
    e.preventDefault();
    handlers.onCell(td, KEYS[e.key]);
  });
  view.node = t;
  return view;
}

function domaineRow(view) {
  const tr = el("tr", { class: "ligne-domaines" }, el("td", { class: "coin" }));
  for (const d of view.domaines.domaines) {
    // A domaine without sous-domaines is named by its own column's header below.
    if (!d.sous_domaines.length) tr.appendChild(el("td", { class: "sans-sous-domaine" }));
    else {
      tr.appendChild(el("th", { scope: "colgroup", colspan: String(d.sous_domaines.length),
        class: "entete-domaine-livret", title: d.nom, text: d.nom }));
    }
  }
  tr.appendChild(el("td", { class: "coin" }));
  return tr;
}

function headerRow(view) {
  const tr = el("tr", { role: "row" });
  const navRow = [];
  tr.appendChild(el("th", { class: "coin", role: "columnheader", scope: "col", text: "Élèves" }));
  for (const c of view.cols) {
    const b = GridArrows.button(view, "↓", { kind: "rubrique", code: c.code }, `rubrique:${c.code}`);
    navRow.push(b);
    tr.appendChild(el("th", { class: "rubrique", role: "columnheader", scope: "col", title: c.nom,
      "data-code": c.code }, b, el("span", { class: "nom-rubrique", text: c.court })));
  }
  tr.appendChild(el("th", { class: "entete-etat", role: "columnheader", scope: "col", text: "Livret" }));
  view.nav.push([navRow[0], ...navRow]); // column 0 is the pupils' arrows
  return tr;
}

function pupilRow(view, e, handlers) {
  const tr = el("tr", { role: "row", "data-eleve": e.id });
  const b = GridArrows.button(view, "→", { kind: "eleve", eleve_id: e.id }, `eleve:${e.id}`);
  const fiche = el("button", { type: "button", class: "bouton-fiche", tabindex: "-1", "data-eleve": e.id,
    on: { click: () => handlers.onFiche(e.id) } });
  view.rows[e.id] = { tr, fiche, eleve: e };
  tr.appendChild(el("th", { class: "entete-ligne", role: "rowheader", scope: "row" }, b,
    el("span", { class: "nom-ligne", text: fullName(e) })));
  const navRow = [b];
  const own = view.grid.cycles[String(e.cycle)];
  const inCycle = new Set(own ? own.rubriques : []);
  for (const c of view.cols) {
    if (!inCycle.has(c.code)) {
      tr.appendChild(el("td", { class: "hors-cycle", role: "gridcell", text: "—", title: "Pas dans le cycle de l'élève" }));
      continue;
    }
    const td = GridPositions.cell(view, e, c, "case-livret");
    navRow.push(td);
    tr.appendChild(td);
  }
  tr.appendChild(el("td", { class: "cellule-etat" }, fiche));
  navRow.push(fiche);
  view.nav.push(navRow);
  paintPupil(view, e.id);
  return tr;
}

function positionName(view, value) {
  const p = view.positions.get(value);
  return p ? p.nom : "non positionné";
}

function paintArrow(view, key) {
  const b = view.arrows[key];
  if (!b) return;
  GridArrows.label(b, view.grid.arrow_labels[key] || "", GridArrows.prochain(view.grid.arrows[key]));
}

function paintCell(view, key) {
  const td = view.cells[key];
  if (!td) return;
  const value = view.grid.cells[key];
  const has = GridPositions.paint(td, "case-livret", value, view.positions);
  // The accessible name starts with what the cell shows (« 1 », « NE »), then says it in words.
  const name = has ? `${view.positions.get(value).court} — ${positionName(view, value)}` : positionName(view, null);
  td.title = `${td._col.nom} : ${name}`;
  td.setAttribute("aria-label", `${fullName(td._eleve)}, ${td._col.court} : ${name}`);
}

function paintPupil(view, id) {
  const row = view.rows[id];
  if (!row) return;
  const etat = view.grid.etat[id] || {};
  const saved = view.grid.bilans[id];
  row.tr.classList.toggle("modifie", !!etat.modifie);
  row.tr.classList.toggle("complet", !!etat.complet);
  let text = etat.complet ? "complet" : "incomplet";
  if (etat.modifie) text += ", non enregistré";
  else if (saved) text += `, enregistré le ${date(saved.date_creation)}`;
  row.fiche.textContent = text;
  row.fiche.setAttribute("aria-label", `Fiche de ${fullName(row.eleve)} : ${text}`);
  row.fiche.title = (etat.manques || []).join(" ; ") || text;
}

export { create, columns };
