/* The cells of the two positionnement tables (the bilan de fin de cycle, the livret): a pupil's
 * position on one column (a composante, a rubrique), shown by its short label and its colour.
 *
 * GridPositions.cell(view, e, c, cls) -> the <td class="case-grille {cls}"> of pupil `e` and
 *   column `c` (key "eleveId:code", kept in view.cells, td._eleve and td._col), painted by
 *   view.paintCell(key).
 * GridPositions.paint(td, cls, value, positions) -> whether the cell holds a position: its
 *   classes (pos-N or pos-aucune), data-position, the short label (`positions`: value ->
 *   {court}); the table then writes its title and accessible name.
 */
import { el, clear } from "../../shared/dom.js";

function cell(view, e, c, cls) {
  const key = `${e.id}:${c.code}`;
  const td = el("td", { class: `case-grille ${cls}`, role: "gridcell", tabindex: "-1",
    "data-key": key, "data-eleve": e.id, "data-code": c.code });
  td._eleve = e;
  td._col = c;
  view.cells[key] = td;
  view.paintCell(key);
  return td;
}

function paint(td, cls, value, positions) {
  const has = value !== undefined && value !== null;
  td.className = `case-grille ${cls} ${has ? `pos-${value}` : "pos-aucune"}`;
  td.setAttribute("data-position", has ? String(value) : "");
  clear(td);
  td.appendChild(el("span", { class: "symbole", "aria-hidden": "true", text: has ? positions.get(value).court : "·" }));
  return has;
}

export { cell, paint };
