/* The validation grid as a component: Grid.mount(section, grid) shows the grid reply of
 * validation.grid (or restore_draft / save) with its toolbar, sends clicks to the core one at
 * a time, saves, and guards leaving with unsaved changes.
 *
 * Parts: model.js (state from the core), table.js (DOM), keys.js (keyboard), draft.js (the
 * localStorage copy of unsaved changes).
 */
import { el, append, button } from "../../shared/dom.js";
import { plural, byName } from "../format.js";
import * as Shell from "../shell.js";
import * as Confirm from "../confirm.js";
import * as GridModel from "./model.js";
import * as GridTable from "./table.js";
import * as GridDraft from "./draft.js";
import * as GridToolbar from "./toolbar.js";

const { call, busy, showError, showNotice } = Shell;
let current = null; // the grid shown, while it is shown

Shell.onLeave(() => (current && unsaved(current) > 0 ? "Des validations ne sont pas enregistrées." : null));
Shell.on("logout", () => { current = null; });
// Ctrl+Z (Cmd+Z) takes back the last click or arrow while a grid is shown.
GridToolbar.listenUndo(() => current, undo);

/** Remember the grid's selection, so that the selection screen offers it again. */
function remember(grid) {
  const sel = Shell.state.validation || (Shell.state.validation = { done: {} });
  sel.palier_id = grid.palier_id;
  if (grid.classe) sel.classe_id = grid.classe.id;
  sel.eleve_ids = grid.eleves.map((e) => e.id);
  if (grid.competence) {
    sel.competence_id = grid.competence.id;
    sel.done = sel.done || {};
    sel.done[grid.competence.id] = true;
  }
  return sel;
}

/** The changes not saved: the core's count, at least 1 while a click is sent but not answered
 *  (its reply makes the grid dirty). */
function unsaved(g) {
  return Math.max(g.model.dirty, g.pending > 0 ? 1 : 0);
}

function leaveGuard(g) {
  return () => {
    if (!(unsaved(g) > 0)) {
      current = null;
      return true;
    }
    if (window.confirm(`Des validations ne sont pas enregistrées (${plural(unsaved(g), "modification", "modifications")}). Quitter sans enregistrer ?`)) {
      call("validation.discard").catch(() => {});
      GridDraft.forget();
      current = null;
      return true;
    }
    return false;
  };
}

/** The subtitle and the legend: the click cycle's help and the lock sentence for this user
 *  are the core's (grid.textes, from grid_words.py). */
function intro(grid) {
  const { aide, verrou } = grid.textes;
  const subtitle = el("p", { class: "sous-titre" },
    el("strong", { text: grid.classe ? `Classe ${grid.classe.nom}` : "" }),
    grid.competence ? ` — ${grid.competence.nom}` : ` — Compétences du palier ${grid.palier_id}`);
  const legend = el("p", { class: "legende" },
    el("span", { class: "pastille etat-valide", text: "✓" }), " validé  ",
    el("span", { class: "pastille etat-invalide", text: "✗" }), " invalidé  ",
    el("span", { class: "pastille etat-aucun", text: "?" }), " pas de décision. ",
    verrou ? `${aide} ${verrou}` : aide);
  return [subtitle, legend];
}

function toolbar(g) {
  const aidLabel = () => (g.showAid ? "Masquer les pourcentages" : "Afficher les pourcentages");
  g.status = el("p", { class: "etat-brouillon", "aria-live": "polite", id: "etat-brouillon" });
  g.saveBtn = button("Enregistrer les validations", () => save(g), { class: "principal", id: "enregistrer-validations" });
  const back = button("Retour", () => goBack(g), { class: "secondaire", id: "retour" });
  const aidBtn = button(aidLabel(), () => {
    g.showAid = !g.showAid;
    Shell.state.validation.showAid = g.showAid;
    aidBtn.textContent = aidLabel();
    aidBtn.setAttribute("aria-pressed", g.showAid ? "true" : "false");
    g.wrap.classList.toggle("avec-aide", g.showAid);
  }, { class: "secondaire", "aria-pressed": g.showAid ? "true" : "false", id: "basculer-pourcentages" });
  const printBtn = button("Imprimer", () => window.print(), { class: "secondaire" });
  g.undoBtn = button("Annuler (Ctrl+Z)", () => undo(g), { class: "secondaire", id: "annuler-clic" });
  // The side menu is folded while a grid is shown (the grid needs the width): « Menu » unfolds
  // it beside the grid, and folds it again.
  const menuBtn = GridToolbar.menuButton();
  return el("div", { class: "actions barre-grille" }, menuBtn, back, g.saveBtn, g.undoBtn, g.level === "items" ? aidBtn : null, printBtn, g.status);
}

function mount(section, grid) {
  const sel = remember(grid);
  GridToolbar.foldMenu(); // the menu starts folded (fit.css)
  grid.eleves.sort(byName); // columns in French order (Éloïse with the E)
  const g = { level: grid.level, model: GridModel.create(grid), queue: Promise.resolve(), pending: 0, showAid: !!sel.showAid };
  current = g;
  Shell.state.leaveGuard = leaveGuard(g);
  g.wrap = el("div", { class: `grille-defilement${g.showAid ? " avec-aide" : ""}` });
  append(section, [...intro(grid), toolbar(g), g.wrap]);
  g.view = GridTable.create(g.model, { onCell: (td) => clickCell(g, td), onArrow: (b) => send(g, b._target, null) });
  g.wrap.appendChild(g.view.node);
  updateStatus(g);
}

/** Take back the last click or arrow (after the clicks already sent). */
function undo(g) {
  if (!g.pending && !(g.model.undo && g.model.undo.count)) return g.queue;
  return queued(g, () => call("validation.undo"), null);
}

function updateStatus(g) {
  const dirty = g.model.dirty;
  const text = dirty > 0
    ? `${plural(dirty, "modification non enregistrée", "modifications non enregistrées")}.`
    : "Toutes les modifications sont enregistrées.";
  g.status.classList.toggle("a-enregistrer", dirty > 0);
  // Count blues left (the goal is a table with no blue left).
  const blues = GridModel.blues(g.model, g.view.keys);
  g.status.textContent = `${text} ${blues ? `${plural(blues, "case sans décision", "cases sans décision")}.` : "Aucune case sans décision."}`;
  GridToolbar.paintUndo(g.undoBtn, g.model.undo);
}

function applyResult(g, r) {
  const changed = GridModel.apply(g.model, r);
  for (const k of changed.arrows) g.view.paintArrow(k);
  for (const k of changed.cells) g.view.paintCell(k);
  if (g.level === "items") for (const k of changed.aid) g.view.paintAid(k);
  else for (const k of changed.aid) g.view.paintCell(k);
  updateStatus(g);
}

/** Clicks are sent one after the other, in order; the painted state comes from the core. */
function send(g, target, optimistic) {
  return queued(g, () => call("validation.click", { target }), optimistic);
}

/** Run request() after the clicks already sent; paint its reply (a click or undo reply). */
function queued(g, request, optimistic) {
  g.pending += 1;
  const table = g.view.node;
  table.classList.add("en-cours");
  g.queue = g.queue.then(async () => {
    try {
      applyResult(g, await request());
      // Keep the draft for an accidental reload; in a burst of clicks, the last one does.
      if (g.pending <= 1) await GridDraft.keep(g.model.dirty);
    } catch (e) {
      if (optimistic) optimistic.forEach(g.view.paintCell); // back to the core's last state
      showError(e);
    }
    g.pending -= 1;
    if (!g.pending) table.classList.remove("en-cours");
  });
  return g.queue;
}

function clickCell(g, td) {
  if (td._locked) {
    showNotice(Shell.state.strings.locked_message, "avertissement");
    return;
  }
  const key = td.getAttribute("data-key");
  // Optimistic paint (bleu -> vert -> rouge -> bleu); the reply repaints from the core.
  const before = g.model.cells[key];
  g.model.cells[key] = GridModel.nextState(before);
  g.view.paintCell(key);
  g.model.cells[key] = before;
  send(g, { kind: "cell", eleve_id: td._eleve.id, row_id: td._row.id }, [key]);
}

function save(g) {
  busy(g.saveBtn, "Enregistrement des validations…", async () => {
    await g.queue;
    if (!(await confirmLocks())) return;
    const r = await call("validation.save");
    GridDraft.forget();
    if (!r.grid) {
      current = null;
      Shell.go(g.level, { force: true });
      showNotice(r.message);
      return;
    }
    r.grid.eleves.sort(byName);
    GridModel.load(g.model, r.grid);
    // Rebuild the table: locks (validated compétences) and dates come from the reply.
    const old = g.view.node;
    g.view = GridTable.create(g.model, { onCell: (td) => clickCell(g, td), onArrow: (b) => send(g, b._target, null) });
    g.wrap.replaceChild(g.view.node, old);
    updateStatus(g);
    Shell.clearMessages();
    showNotice(r.message);
  });
}

/** Before saving compétences: the core lists what will be locked; the user confirms. */
async function confirmLocks() {
  const p = await call("validation.preview_save");
  if (!p.a_verrouiller.length) return true;
  const ok = await Confirm.ask({
    id: "confirmer-verrouillage", title: p.titre, message: p.message,
    items: p.a_verrouiller.map((x) => `${x.eleve} — ${x.competence}`),
    ok: "Enregistrer et verrouiller", cancel: "Revenir au tableau",
  });
  if (!ok) showNotice("Rien n'a été enregistré : vous pouvez modifier le tableau puis enregistrer.", "information");
  return ok;
}

function goBack(g) {
  if (!Shell.state.leaveGuard()) return;
  current = null;
  // Offer the next compétence not opened yet.
  if (Shell.state.validation && g.level === "items") Shell.state.validation.competence_id = null;
  Shell.go(g.level, { force: true });
}

export { mount };
