/* What the three grid screens (the validation grid, the bilan, the livret) share around their
 * table: Ctrl+Z (Cmd+Z) takes back the last click or arrow, « Annuler » says what it would take
 * back, « Menu » unfolds the side menu (folded while a grid is shown: fit.css, livret.css).
 *
 * GridToolbar.listenUndo(current, undo, skip): on Ctrl+Z, undo(current()) while the grid
 *   current() returns is shown, unless the key goes to a field whose tag is in `skip` (a text
 *   box has its own undo).
 * GridToolbar.paintUndo(btn, undo, nothing): the button from the core's undo ({count, label}):
 *   disabled when there is nothing to take back, `nothing` its title then.
 * GridToolbar.menuButton({focus}) -> « Menu » (#deplier-menu); `focus`: opening it focuses the
 *   menu's first entry. GridToolbar.foldMenu(): the menu folded (a grid is shown; at logout).
 */
import { button } from "../../shared/dom.js";
import * as Shell from "../shell.js";

function listenUndo(current, undo, skip = ["INPUT", "TEXTAREA"]) {
  document.addEventListener("keydown", (e) => {
    const g = current();
    if (!g || !g.view.node.isConnected || e.altKey || e.shiftKey) return;
    if ((e.ctrlKey || e.metaKey) && (e.key === "z" || e.key === "Z")) {
      const t = e.target;
      if (t && skip.includes(t.tagName)) return;
      e.preventDefault();
      undo(g);
    }
  });
}

function paintUndo(btn, undo, nothing = "Rien à annuler depuis le dernier enregistrement") {
  const u = undo || { count: 0, label: null };
  btn.disabled = !u.count;
  btn.title = u.label || nothing;
  btn.setAttribute("aria-label", u.label ? `${u.label} (Ctrl+Z)` : "Annuler : rien à annuler");
}

function menuButton({ focus = true } = {}) {
  const btn = button("Menu", () => {
    const open = document.body.classList.toggle("menu-deplie");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    if (open && focus) Shell.dom.nav.querySelector("button").focus();
  }, { class: "secondaire", id: "deplier-menu", "aria-expanded": "false" });
  return btn;
}

function foldMenu() {
  document.body.classList.remove("menu-deplie");
}

Shell.on("logout", foldMenu);

export { listenUndo, paintUndo, menuButton, foldMenu };
