/* The validation grid's table: builds it from a GridModel and paints cells, arrows and the
 * per-pupil aid; clicks and keys go to the handlers given by grid.js.
 *
 * GridTable.create(model, {onCell(td), onArrow(button)}) -> view:
 *   view.node (the <table>), view.paintCell(key), view.paintArrow(key), view.paintAid(eleveId),
 *   view.keys (the cell keys shown).
 */
import { el, clear } from "../../shared/dom.js";
import { fullName, date, plural } from "../format.js";
import * as GridArrows from "./arrows.js";
import * as GridModel from "./model.js";
import { ETATS, etatKey } from "./model.js";
import * as GridNav from "./nav.js";


function create(model, handlers) {
  const view = { model, level: model.level, nodes: {}, arrows: {}, aidNodes: {}, nav: [], where: new Map() };
  view.paintCell = (key) => paintCell(view, key);
  view.paintArrow = (key) => paintArrow(view, view.arrows[key]);
  view.paintAid = (id) => paintAid(view, id);
  const t = el("table", { class: `grille grille-${view.level}`, role: "grid", id: "grille-validations",
    "aria-label": view.level === "items" ? "Validations des items" : "Validations des compétences",
    "aria-rowcount": "-1" });
  t.appendChild(el("thead", {}, headerRow(view)));
  for (const d of model.grid.domaines) t.appendChild(domaineBody(view, d));
  view.nav.forEach((row, r) => row.forEach((node, c) => view.where.set(node, [r, c])));
  view.keys = Object.keys(view.nodes);
  GridNav.listen(view, t, "td.case-grille, button.fleche", handlers);
  view.node = t;
  return view;
}

function headerRow(view) {
  const head = el("tr", { role: "row" });
  head.appendChild(el("th", { class: "coin", role: "columnheader", scope: "col" },
    el("span", { text: view.level === "items" ? "Items" : "Compétences" })));
  for (const e of view.model.grid.eleves) {
    const aidNode = el("span", { class: "aide-eleve" });
    view.aidNodes[e.id] = aidNode;
    head.appendChild(el("th", { class: "eleve", role: "columnheader", scope: "col", title: fullName(e),
      "data-eleve": e.id, "data-nom": e.nom, "data-prenom": e.prenom },
      el("span", { class: "nom-vertical" }, el("span", { class: "nom", text: e.nom }), " ",
        el("span", { class: "prenom", text: e.prenom })),
      view.level === "items" ? aidNode : null));
    if (view.level === "items") paintAid(view, e.id);
  }
  return head;
}

/** A domaine: its arrow row (whole domaine, one column each), then one row per item. */
function domaineBody(view, d) {
  const eleves = view.model.grid.eleves;
  const tb = el("tbody", { class: "domaine", "data-domaine": d.id });
  const hr = el("tr", { class: "ligne-domaine", role: "row" });
  const corner = GridArrows.button(view, "↘", { kind: "domaine", domaine_id: d.id }, `domaine:${d.id}`,
    { cls: "fleche-domaine" });
  const navRow = [corner];
  hr.appendChild(el("th", { class: "entete-domaine", role: "rowheader", scope: "row" }, corner,
    el("span", { class: "nom-domaine", text: d.nom })));
  for (const e of eleves) {
    const b = GridArrows.button(view, "↓", { kind: "column", eleve_id: e.id, domaine_id: d.id },
      `column:${d.id}:${e.id}`, { cls: "fleche-colonne" });
    b.setAttribute("data-eleve", e.id);
    navRow.push(b);
    hr.appendChild(el("td", { class: "cellule-fleche", role: "gridcell" }, b));
  }
  view.nav.push(navRow);
  tb.appendChild(hr);
  for (const r of d.rows) tb.appendChild(itemRow(view, r));
  return tb;
}

function itemRow(view, r) {
  const eleves = view.model.grid.eleves;
  const locked = GridModel.lockedFor(r, eleves);
  const tr = el("tr", { role: "row", "data-row": r.id });
  const rb = GridArrows.button(view, "→", { kind: "row", row_id: r.id }, `row:${r.id}`, { cls: "fleche-ligne" });
  const rowNav = [rb];
  tr.appendChild(el("th", { class: "entete-ligne", role: "rowheader", scope: "row" }, rb,
    el("span", { class: "nom-ligne", text: r.nom })));
  for (const e of eleves) {
    const key = `${e.id}:${r.id}`;
    const td = el("td", { class: "case-grille", role: "gridcell", tabindex: "-1", "data-key": key,
      "data-eleve": e.id, "data-row": r.id });
    td._eleve = e;
    td._row = r;
    td._locked = locked.has(e.id);
    if (td._locked) {
      td.classList.add("verrouille");
      td.setAttribute("aria-disabled", "true");
    }
    view.nodes[key] = td;
    paintCell(view, key);
    rowNav.push(td);
    tr.appendChild(td);
  }
  view.nav.push(rowNav);
  return tr;
}

function paintArrow(view, b) {
  if (!b) return;
  const k = GridModel.arrowNext(view.model, b._key);
  // What the next click does, in the core's words ("Valider tout : la colonne de …").
  GridArrows.label(b, view.model.arrowLabels[b._key], k);
}

// -- painting ------------------------------------------------------------------------------

function paintCell(view, key) {
  const td = view.nodes[key];
  if (!td) return;
  const model = view.model;
  const texts = model.grid.textes; // the core's words for a locked cell (grid_words.py)
  const k = etatKey(model.cells[key]);
  const et = ETATS[k];
  td.classList.remove("etat-valide", "etat-invalide", "etat-aucun");
  td.classList.add(et.cls);
  td.setAttribute("data-etat", k);
  clear(td);
  td.appendChild(el("span", { class: "symbole", "aria-hidden": "true", text: et.sym }));
  if (td._locked) td.appendChild(el("span", { class: "verrou", "aria-hidden": "true", text: texts.verrouille }));
  const share = view.level === "competences" ? model.aid[key] : null;
  if (share && share.pourcentage !== undefined && share.pourcentage !== null) {
    td.appendChild(el("span", { class: "part", "aria-hidden": "true", text: `${Math.round(share.pourcentage)}\u202f%` }));
  }
  const saved = model.saved[key];
  const stored = saved && etatKey(saved.etat) === k && k !== "null";
  let title;
  if (stored) title = `${et.verb} le ${date(saved.date)}${saved.info ? ` par ${saved.info}` : ""}`;
  else if (saved || k !== "null") title = `Modification non enregistrée (${et.label})`;
  else title = "Pas de décision";
  if (share && share.total !== undefined) title += ` — items validés : ${share.valides} sur ${share.total}`;
  if (td._locked) title += ` — ${texts.verrouille_titre}`;
  td.title = title;
  let aria = `${fullName(td._eleve)}, ${td._row.nom} : ${et.label}${td._locked ? ` (${texts.verrouille})` : ""}`;
  if (stored) aria += `, ${title}`;
  if (share && share.total !== undefined) aria += `, ${plural(share.valides, "item validé", "items validés")} sur ${share.total}`;
  td.setAttribute("aria-label", aria);
}

function paintAid(view, eleveId) {
  const node = view.aidNodes[eleveId];
  if (!node) return;
  const a = view.model.aid[eleveId];
  clear(node);
  if (!a) return;
  const pct = a.pourcentage === undefined || a.pourcentage === null ? "" : `${Math.round(a.pourcentage)}\u202f%`;
  const [v, i, n] = [a.valides || 0, a.invalides || 0, a.non_decides || 0];
  node.appendChild(el("span", { class: "pourcentage", text: pct }));
  node.appendChild(el("span", { class: "compte" },
    el("span", { text: `✓${v}` }), el("span", { text: `✗${i}` }), el("span", { text: `?${n}` })));
  node.title = `${plural(v, "validé", "validés")}, ${plural(i, "invalidé", "invalidés")}, ${n} sans décision${pct ? ` (${pct})` : ""}`;
}

export { create };
