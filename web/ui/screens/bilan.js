/* Bilan de fin de cycle 2 (CE2 teachers and the director): choose a CE2 class, position each
 * pupil on the 8 composantes (cells, arrows per pupil and per composante), write the synthèses,
 * take back clicks and arrows (« Annuler », Ctrl+Z), save; print the families' bilans. Rules
 * (positions, cycle, limit, what an arrow will do, messages) come from the core. While the grid
 * is shown the side menu is folded (fit.css; the « Menu » button unfolds it), as for the item
 * grid.
 */
import { el, append, clear, button, heading } from "../../shared/dom.js";
import { plural } from "../format.js";
import * as Shell from "../shell.js";
import * as BilanTable from "../bilan/table.js";
import * as BilanPrint from "../bilan/print.js";
import * as GridDraft from "../grid/draft.js";
import * as GridToolbar from "../grid/toolbar.js";

const { call, busy, showError, showNotice } = Shell;
let current = null; // the grid being edited

Shell.on("logout", () => { current = null; });
// Ctrl+Z (Cmd+Z) takes back the last click or arrow while the grid is shown (not in a synthèse:
// the text box has its own undo).
GridToolbar.listenUndo(() => current, undo);
Shell.onLeave(() => (dirtyCount() ? "Des bilans ne sont pas enregistrés." : null));

function dirtyCount() {
  if (!current) return 0;
  // A click or a synthèse sent but not answered yet counts: its reply makes the grid dirty; so
  // does a synthèse being typed (sent when its box loses the focus, which closing the page
  // does not do).
  return Math.max(current.grid.dirty, current.pending > 0 || current.typing ? 1 : 0);
}

function leaveGuard() {
  if (!dirtyCount()) {
    current = null;
    return true;
  }
  if (window.confirm(`Des bilans ne sont pas enregistrés (${plural(dirtyCount(), "élève", "élèves")}). Quitter sans enregistrer ?`)) {
    call("bilan.discard").catch(() => {});
    GridDraft.forget("bilan");
    current = null;
    return true;
  }
  return false;
}

/** Merge a click's, an undo's or a synthèse's reply into the grid and repaint what changed. */
function applyResult(g, r) {
  for (const [key, value] of Object.entries(r.cells || {})) {
    if (value === null) delete g.grid.cells[key];
    else g.grid.cells[key] = value;
    g.view.paintCell(key);
  }
  for (const [key, value] of Object.entries(r.arrows || {})) g.grid.arrows[key] = value;
  Object.assign(g.grid.arrow_labels, r.arrow_labels || {});
  for (const key of Object.keys(g.view.arrowKeys())) g.view.paintArrow(key);
  if (r.eleve_id !== undefined) { // a synthèse: one pupil's state
    g.grid.etat[r.eleve_id] = r.etat;
    g.view.paintPupil(r.eleve_id);
  } else {
    for (const [id, etat] of Object.entries(r.etat || {})) { // a click: {eleve_id: state}
      g.grid.etat[id] = etat;
      g.view.paintPupil(id);
    }
  }
  if (r.undo) g.grid.undo = r.undo;
  g.grid.dirty = r.dirty;
  if (r.message) note(g, r.message);
  updateStatus(g);
}

/** One notice of this grid at a time (an arrow that rewrote saved bilans), the last one. */
function note(g, message) {
  if (g.notice) g.notice.remove();
  g.notice = showNotice(message, "information");
}

/** Calls go to the core one after the other, in order. */
function send(g, command, payload, undo) {
  g.pending += 1;
  g.view.node.classList.add("en-cours");
  g.queue = g.queue.then(async () => {
    try {
      applyResult(g, await call(command, payload));
      // Keep the draft for an accidental reload; in a burst of clicks, the last one does.
      if (g.pending <= 1) await GridDraft.keep(g.grid.dirty, "bilan");
    } catch (e) {
      if (undo) undo();
      showError(e);
    }
    g.pending -= 1;
    if (!g.pending) g.view.node.classList.remove("en-cours");
  });
  return g.queue;
}

function clickCell(g, td) {
  const key = td.getAttribute("data-key");
  // Optimistic paint, in the order of the core's positions; the reply repaints from the core.
  const before = g.grid.cells[key];
  const cycle = [undefined, ...g.grid.socle.positions.map((p) => p.valeur)];
  const next = cycle[(cycle.indexOf(before) + 1) % cycle.length];
  if (next === undefined) delete g.grid.cells[key];
  else g.grid.cells[key] = next;
  g.view.paintCell(key);
  if (before === undefined) delete g.grid.cells[key];
  else g.grid.cells[key] = before;
  send(g, "bilan.click", { target: { kind: "cell", eleve_id: td._eleve.id, code: td._col.code } },
    () => g.view.paintCell(key));
}

/** Take back the last click or arrow (after the clicks already sent). */
function undo(g) {
  if (!g.pending && !(g.grid.undo && g.grid.undo.count)) return g.queue;
  return send(g, "bilan.undo", {});
}

function updateStatus(g) {
  // Counted over the pupils shown (one state per pupil, whatever the replies carried).
  const complets = g.grid.eleves.filter((e) => (g.grid.etat[e.id] || {}).complet).length;
  const dirty = g.grid.dirty;
  g.status.classList.toggle("a-enregistrer", dirty > 0);
  g.status.textContent = `${dirty > 0 ? `${plural(dirty, "élève modifié non enregistré", "élèves modifiés non enregistrés")}.` : "Tout est enregistré."} Bilans complets : ${complets} sur ${g.grid.eleves.length}.`;
  GridToolbar.paintUndo(g.undoBtn, g.grid.undo);
}

function mountGrid(section, grid) {
  const g = { grid, queue: Promise.resolve(), pending: 0 };
  current = g;
  Shell.state.leaveGuard = leaveGuard;
  g.status = el("p", { class: "etat-brouillon", id: "etat-bilan", "aria-live": "polite" });
  g.saveBtn = button("Enregistrer les bilans", () => save(g), { class: "principal", id: "enregistrer-bilans" });
  const back = button("Changer de classe", () => { if (leaveGuard()) Shell.go("bilan", { force: true }); },
    { class: "secondaire" });
  const print = button("Imprimer les bilans (familles)", () => busy(print, "Préparation des bilans à imprimer…",
    () => BilanPrint.show(grid.classe.id)), { class: "secondaire", id: "imprimer-bilans" });
  g.undoBtn = button("Annuler (Ctrl+Z)", () => undo(g), { class: "secondaire", id: "annuler-bilan" });
  // The side menu is folded while the grid is shown (fit.css): « Menu » unfolds it, and folds
  // it again.
  const menuBtn = GridToolbar.menuButton();
  GridToolbar.foldMenu();
  const legend = el("p", { class: "legende" },
    ...grid.socle.positions.map((p) => el("span", { class: `pastille pos-${p.valeur}`, text: `${p.court} ${p.nom}` })),
    ` Un clic sur une case la fait passer d'une position à la suivante (puis « ${grid.socle.non_positionne} »). `,
    "Les flèches règlent toute la ligne d'un élève ou toute une composante : le chiffre à côté de la flèche est ce que fera son prochain clic, et sa bulle dit combien de cases et de bilans déjà enregistrés il change. « Annuler » (Ctrl+Z) reprend le dernier clic. Au clavier : flèches pour se déplacer, Espace ou Entrée pour changer.");
  g.wrap = el("div", { class: "grille-defilement" });
  append(section, [el("p", { class: "sous-titre" }, el("strong", { text: `Classe ${grid.classe.nom}` })),
    legend, el("div", { class: "actions barre-grille" }, menuBtn, back, g.saveBtn, g.undoBtn, print, g.status), g.wrap]);
  build(g);
}

function build(g) {
  const old = g.view && g.view.node;
  g.view = BilanTable.create(g.grid, {
    onCell: (td) => clickCell(g, td),
    onArrow: (b) => send(g, "bilan.click", { target: b._target }),
    // a synthèse reply is one pupil's: {eleve_id, etat, dirty}
    onSynthese: (id, area) => {
      g.typing = false;
      return send(g, "bilan.synthese", { eleve_id: Number(id), texte: area.value });
    },
  });
  g.view.node.addEventListener("input", (e) => {
    if (e.target.tagName === "TEXTAREA") g.typing = true;
  });
  if (old) g.wrap.replaceChild(g.view.node, old);
  else g.wrap.appendChild(g.view.node);
  updateStatus(g);
}

function save(g) {
  busy(g.saveBtn, "Enregistrement des bilans…", async () => {
    await g.queue;
    const r = await call("bilan.save");
    GridDraft.forget("bilan");
    g.grid = r.grid;
    build(g);
    Shell.clearMessages();
    g.notice = null;
    showNotice(r.message);
  });
}

async function choose(section) {
  const choices = await call("bilan.choices");
  if (!choices.classes.length) {
    section.appendChild(el("p", { class: "aide", text: Shell.isDirector()
      ? "Aucune classe de CE2 : importez les élèves (extraction ONDE) pour remplir les bilans de fin de cycle 2."
      : "Vous n'êtes professeur principal d'aucune classe de CE2 : le directeur peut vous en attribuer une." }));
    return;
  }
  const list = el("ul", { class: "choix-classes" });
  for (const c of choices.classes) {
    const b = button(`${c.nom} (${plural(c.nb_eleves, "élève", "élèves")})`, () => {
      busy(b, "Ouverture du bilan…", async () => {
        const grid = await call("bilan.grid", { classe_id: c.id });
        clear(section);
        append(section, heading("Bilan de fin de cycle 2"));
        mountGrid(section, grid);
      });
    }, { class: "lien", "data-classe": c.id });
    list.appendChild(el("li", {}, b));
  }
  append(section, [el("p", { text: "Choisissez une classe de CE2 :" }), list]);
}

Shell.screen({
  id: "bilan",
  label: "Bilan fin de cycle 2",
  roles: ["directeur", "professeur"],
  order: 75,
  async render(section, opts = {}) {
    current = null;
    append(section, heading("Bilan de fin de cycle 2"));
    if (opts.grid) { // a draft taken back (ui/grid/draft.js)
      mountGrid(section, opts.grid);
      return;
    }
    section.appendChild(el("p", { class: "aide", text: "Pour chaque élève de CE2 : un positionnement sur chacune des 8 composantes du socle commun et une synthèse, transmis au Livret Scolaire Unique (LSU) par le directeur." }));
    await choose(section);
  },
});
