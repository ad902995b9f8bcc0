/* The livret scolaire of one class and period as a component: LivretScreen.mount(section, grid)
 * shows the core's grid (livret.grid) in two tabs — the positionnement table with the selected
 * pupil's fiche beside it, and the class's éléments de programme and projets — sends clicks and
 * texts to the core one at a time, undoes (button, Ctrl+Z), saves, prints, and guards leaving
 * with unsaved work. The side menu folds while the table is shown (livret.css), as for the item
 * grid; « Menu » unfolds it.
 */
import { el, append, button } from "../../shared/dom.js";
import { plural } from "../format.js";
import * as Shell from "../shell.js";
import * as LivretTable from "./table.js";
import * as LivretFiche from "./fiche.js";
import * as LivretElements from "./elements.js";
import * as LivretPrint from "./print.js";
import * as GridDraft from "../grid/draft.js";
import * as GridToolbar from "../grid/toolbar.js";

const { call, busy, showError, showNotice } = Shell;
let current = null;

Shell.on("logout", () => { current = null; });
Shell.onLeave(() => (unsaved(current) ? "Des livrets ne sont pas enregistrés." : null));
GridToolbar.listenUndo(() => current, undo, ["INPUT", "TEXTAREA", "SELECT"]);

function unsaved(g) {
  if (!g) return 0;
  // A click or a text sent but not answered yet counts (its reply makes the grid dirty), and
  // so does a text being typed (sent when its box loses the focus, which closing the page does
  // not do) — as on the bilan's screen.
  const waiting = g.pending > 0 || g.typing ? 1 : 0;
  return Math.max((g.grid.dirty || 0) + (g.elements && g.elements.dirty() ? 1 : 0), waiting);
}

function leaveGuard() {
  const g = current;
  if (!unsaved(g)) { current = null; return true; }
  const what = g.grid.dirty ? plural(g.grid.dirty, "élève modifié", "élèves modifiés")
    : g.elements && g.elements.dirty() ? "les éléments de programme" : "une saisie en cours";
  if (!window.confirm(`Des livrets ne sont pas enregistrés (${what}). Quitter sans enregistrer ?`)) return false;
  call("livret.discard").catch(() => {});
  GridDraft.forget("livret");
  current = null;
  return true;
}

/** Merge a reply (click, undo, texts, set_elements) into the grid; repaint what changed. */
function applyResult(g, r) {
  const grid = g.grid;
  for (const [key, value] of Object.entries(r.cells || {})) {
    if (value === null) delete grid.cells[key];
    else grid.cells[key] = value;
    g.view.paintCell(key);
  }
  Object.assign(grid.arrow_labels, r.arrow_labels || {});
  for (const [key, value] of Object.entries(r.arrows || {})) {
    grid.arrows[key] = value;
    g.view.paintArrow(key);
  }
  const etats = { ...(r.etat && r.eleve_id === undefined ? r.etat : {}) };
  if (r.eleve_id !== undefined) {
    etats[r.eleve_id] = r.etat;
    grid.textes[r.eleve_id] = r.textes;
  }
  for (const [id, etat] of Object.entries(etats)) {
    grid.etat[id] = etat;
    g.view.paintPupil(id);
    if (g.fiche && String(g.fiche.eleveId) === String(id)) g.fiche.paint();
  }
  if (r.dirty !== undefined) grid.dirty = r.dirty;
  if (r.undo) grid.undo = r.undo;
  updateStatus(g);
}

/** Requests go to the core one after the other, in order. */
function queued(g, request, after) {
  g.pending += 1;
  g.view.node.classList.add("en-cours");
  g.queue = g.queue.then(async () => {
    try {
      const r = await request();
      applyResult(g, r);
      if (after) after(r);
      // Keep the draft for an accidental reload; in a burst of clicks, the last one does.
      if (g.pending <= 1) await GridDraft.keep(g.grid.dirty, "livret");
    } catch (e) {
      showError(e);
      for (const key of Object.keys(g.view.cells)) g.view.paintCell(key);
    }
    g.pending -= 1;
    if (!g.pending) g.view.node.classList.remove("en-cours");
  });
  return g.queue;
}

function clickCell(g, td, valeur) {
  const target = { kind: "cell", eleve_id: td._eleve.id, code: td._col.code };
  if (valeur !== undefined) target.valeur = valeur;
  queued(g, () => call("livret.click", { target }));
}

function undo(g) {
  if (!g.pending && !(g.grid.undo && g.grid.undo.count)) return g.queue;
  return queued(g, () => call("livret.undo"));
}

function updateStatus(g) {
  const etats = Object.values(g.grid.etat);
  const complets = etats.filter((e) => e.complet).length;
  const dirty = g.grid.dirty;
  g.status.classList.toggle("a-enregistrer", dirty > 0);
  g.status.textContent = `${dirty > 0 ? `${plural(dirty, "élève modifié non enregistré", "élèves modifiés non enregistrés")}.` : "Tout est enregistré."} ${plural(complets, "livret complet", "livrets complets")} sur ${etats.length}.`;
  GridToolbar.paintUndo(g.undoBtn, g.grid.undo, "Rien à annuler");
}

function openFiche(g, id, focus) {
  g.selected = id;
  g.view.select(id);
  const fiche = LivretFiche.create(g.grid, id, { socle: g.socle,
    onTexts: (payload, rebuild) => queued(g, () => call("livret.texts", payload), () => {
      if (rebuild) openFiche(g, id, false);
    }) });
  if (g.fiche) g.fiche.node.replaceWith(fiche.node);
  else g.side.appendChild(fiche.node);
  g.fiche = fiche;
  if (focus) fiche.node.querySelector("textarea").focus();
}

function buildTable(g) {
  const old = g.view && g.view.node;
  g.view = LivretTable.create(g.grid, {
    onCell: (td, valeur) => clickCell(g, td, valeur),
    onArrow: (b) => queued(g, () => call("livret.click", { target: b._target })),
    onFiche: (id) => openFiche(g, id, true),
  });
  if (old) old.replaceWith(g.view.node);
  else g.wrap.appendChild(g.view.node);
  g.fiche = null;
  g.side.replaceChildren();
  const first = g.selected && g.grid.eleves.some((e) => e.id === g.selected) ? g.selected : (g.grid.eleves[0] || {}).id;
  if (first !== undefined) openFiche(g, first, false);
  updateStatus(g);
}

function save(g) {
  return busy(g.saveBtn, "Enregistrement des livrets…", async () => {
    await g.queue;
    const r = await call("livret.save");
    GridDraft.forget("livret");
    g.grid = r.grid;
    buildTable(g);
    Shell.clearMessages();
    showNotice(r.message);
  });
}

async function showElements(g) {
  const cycle = g.grid.cycles[String(g.grid.classe.cycle)];
  const data = await call("livret.elements", { classe_id: g.grid.classe.id, periode_id: g.grid.periode.id });
  const ed = LivretElements.create(data, cycle, {
    onSave: (payload, btn) => busy(btn, "Enregistrement des éléments…", async () => {
      await g.queue;
      const r = await call("livret.set_elements", { classe_id: g.grid.classe.id, periode_id: g.grid.periode.id, ...payload });
      ed.saved();
      Object.assign(g.grid, { elements: r.elements, parcours: r.parcours });
      if (r.etat) applyResult(g, { etat: r.etat });
      buildTable(g);
      showNotice("Éléments de programme et projets de la classe enregistrés.");
    }),
  });
  g.elements = ed;
  g.elementsBox.replaceChildren(ed.node);
}

function tabs(g) {
  const tableTab = button("Positionnements et appréciations", () => show(false), { class: "onglet", id: "onglet-grille", "aria-pressed": "true" });
  const elementsTab = button("Éléments de programme et projets", () => show(true), { class: "onglet", id: "onglet-elements", "aria-pressed": "false" });
  const show = (elements) => {
    if (!elements && g.elements && g.elements.dirty()
      && !window.confirm("Les éléments de programme ne sont pas enregistrés. Revenir au tableau sans les enregistrer ?")) return;
    tableTab.setAttribute("aria-pressed", elements ? "false" : "true");
    elementsTab.setAttribute("aria-pressed", elements ? "true" : "false");
    g.body.hidden = elements;
    g.elementsBox.hidden = !elements;
    if (elements) busy(elementsTab, "Chargement des éléments…", () => showElements(g));
    else g.elements = null;
  };
  return el("div", { class: "onglets", role: "group", "aria-label": "Partie du livret" }, tableTab, elementsTab);
}

function toolbar(g) {
  g.status = el("p", { class: "etat-brouillon", id: "etat-livret", "aria-live": "polite" });
  g.saveBtn = button("Enregistrer les livrets", () => save(g), { class: "principal", id: "enregistrer-livrets" });
  g.undoBtn = button("Annuler (Ctrl+Z)", () => undo(g), { class: "secondaire", id: "annuler-livret" });
  const menuBtn = GridToolbar.menuButton({ focus: false });
  const back = button("Changer de classe ou de période", () => { if (leaveGuard()) Shell.go("livret", { force: true }); },
    { class: "secondaire" });
  const print = button("Imprimer les livrets (familles)", () => busy(print, "Préparation des livrets…", async () => {
    await g.queue;
    await LivretPrint.show(g.grid.classe.id, g.grid.periode.id);
  }), { class: "secondaire", id: "imprimer-livrets" });
  return el("div", { class: "actions barre-grille" }, menuBtn, back, g.saveBtn, g.undoBtn, print, g.status);
}

async function mount(section, grid) {
  GridToolbar.foldMenu();
  const g = { grid, queue: Promise.resolve(), pending: 0, selected: null, elements: null, socle: null };
  g.socle = await call("socle2016.get").catch(() => null);
  current = g;
  Shell.state.leaveGuard = leaveGuard;
  const positions = grid.cycles[String(grid.classe.cycle)].positions;
  const legend = el("p", { class: "legende" },
    ...positions.map((p) => el("span", { class: `pastille pos-${p.valeur}`, text: `${p.court} ${p.nom}` })),
    " Un clic sur une case la fait passer à la position suivante (puis case vide). Les flèches règlent toute la ligne d'un élève ou toute une colonne ; leur bulle dit ce que fera le prochain clic. Au clavier : flèches pour se déplacer, 1 à 4, N (non évalué), Suppr (vider), Espace pour la position suivante.");
  g.wrap = el("div", { class: "grille-defilement defilement-livret" });
  g.side = el("div", { class: "cote-fiche" });
  g.body = el("div", { class: "partie-grille" }, legend, el("div", { class: "corps-livret" }, g.wrap, g.side));
  g.elementsBox = el("div", { class: "zone-elements", hidden: true });
  append(section, [el("p", { class: "sous-titre" }, el("strong", { text: `Classe ${grid.classe.nom}` }),
    ` — ${grid.periode.nom} ${grid.periode.annee} (cycle ${grid.classe.cycle})`),
    toolbar(g), tabs(g), g.body, g.elementsBox]);
  g.side.addEventListener("input", (e) => { if (e.target.tagName === "TEXTAREA") g.typing = true; });
  g.side.addEventListener("change", () => { g.typing = false; }); // sent (fiche.js, livret.texts)
  buildTable(g);
}

export { mount };
