/* Clicks and keyboard of a grid table (the validation grid, the bilan grid): one listener each
 * for the whole table, a roving tabindex, GridKeys for where a key goes.
 *
 * GridNav.listen(view, table, selector, handlers): `view.nav` is the rows of focusable nodes,
 * `view.where` maps a node to its [row, column]; a click on a node matching `selector` (a <td>
 * cell or a button) focuses it and calls handlers.onCell(td) or handlers.onArrow(button); Space
 * or Enter on a cell calls onCell (a button does its own click).
 */
import { first, move } from "./keys.js";

function listen(view, t, selector, handlers) {
  t.addEventListener("click", (e) => {
    const target = e.target.closest(selector);
    if (!target || !t.contains(target)) return;
    focus(view, target);
    if (target.tagName === "TD") handlers.onCell(target);
    else handlers.onArrow(target);
  });
  t.addEventListener("keydown", (e) => {
    const pos = view.where.get(document.activeElement);
    if (!pos) return;
    const r = move(view.nav.map((row) => row.length), pos, e.key, e.ctrlKey);
    if (!r) return;
    if (r.activate) {
      const node = document.activeElement;
      if (node.tagName !== "TD") return; // a button: its native click does it
      e.preventDefault();
      handlers.onCell(node);
      return;
    }
    e.preventDefault();
    focus(view, view.nav[r.to[0]][r.to[1]]);
  });
  const start = first(view.nav.map((row) => row.length));
  if (start) {
    view.focused = view.nav[start[0]][start[1]];
    view.focused.setAttribute("tabindex", "0");
  }
}

function focus(view, node) {
  if (!node) return;
  if (view.focused && view.focused !== node) view.focused.setAttribute("tabindex", "-1");
  node.setAttribute("tabindex", "0");
  view.focused = node;
  node.focus();
}

export { listen, focus };
