/* The validation grid's state, as the core sent it (no DOM: node-testable, tests/js/).
 *
 * A cell key is "eleveId:rowId"; a state (etat) is 1 (validé, vert), 0 (invalidé, rouge) or
 * null (pas de décision, bleu). The state shown always comes from the core
 * (validation.grid / validation.click replies): the model only keeps it, and predicts the next
 * state of a clicked cell for the optimistic paint (bleu -> vert -> rouge -> bleu).
 */
const ETATS = {
  1: { cls: "etat-valide", sym: "✓", label: "validé", verb: "Validé" },
  0: { cls: "etat-invalide", sym: "✗", label: "invalidé", verb: "Invalidé" },
  null: { cls: "etat-aucun", sym: "?", label: "pas de décision", verb: "" },
};

/** "1", "0" or "null": the key of ETATS for a state. */
function etatKey(etat) {
  if (etat === 1 || etat === true) return "1";
  if (etat === 0 || etat === false) return "0";
  return "null";
}

/** The state a click gives a cell: bleu (null) -> vert (1) -> rouge (0) -> bleu. */
function nextState(etat) {
  const k = etatKey(etat);
  if (k === "null") return 1;
  return k === "1" ? 0 : null;
}

/** A model for the grid reply `grid` (validation.grid). */
function create(grid) {
  const model = { grid, level: grid.level, cells: {}, saved: {}, aid: {}, dirty: 0, arrows: {},
    arrowLabels: {}, undo: { count: 0, label: null } };
  load(model, grid);
  return model;
}

/** Take every cell, aid, arrow and the dirty count from a full grid reply. */
function load(model, grid) {
  model.grid = grid;
  model.cells = {};
  model.saved = {};
  for (const [k, c] of Object.entries(grid.cells || {})) {
    model.cells[k] = c.etat;
    if (c.date && !c.modifie) model.saved[k] = c; // a stored decision: its date and author
  }
  model.aid = { ...grid.aid };
  model.dirty = grid.dirty || 0;
  model.arrows = { ...grid.arrows };
  model.arrowLabels = { ...grid.arrow_labels }; // each arrow's next action, in the core's words
  model.undo = grid.undo || { count: 0, label: null };
  return model;
}

/** Take a click or undo reply (validation.click / validation.undo); returns what changed:
 *  {cells, aid, arrows} keys. */
function apply(model, reply) {
  const cells = Object.keys(reply.cells || {});
  for (const key of cells) {
    const v = reply.cells[key];
    model.cells[key] = v && typeof v === "object" ? v.etat : v;
  }
  const aid = Object.keys(reply.aid || {});
  for (const k of aid) model.aid[k] = reply.aid[k];
  if (typeof reply.dirty === "number") model.dirty = reply.dirty;
  const arrows = Object.keys(reply.arrows || {});
  for (const k of arrows) model.arrows[k] = reply.arrows[k];
  Object.assign(model.arrowLabels, reply.arrow_labels || {});
  if (reply.undo) model.undo = reply.undo;
  return { cells, aid, arrows };
}

/** The state the next click on arrow `key` sets ("1", "0" or "null"); a fresh arrow validates. */
function arrowNext(model, key) {
  return etatKey(Object.prototype.hasOwnProperty.call(model.arrows, key) ? model.arrows[key] : 1);
}

/** How many of `keys` (the cells shown) have no decision: the goal is none left. */
function blues(model, keys) {
  let n = 0;
  for (const k of keys) if (etatKey(model.cells[k]) === "null") n += 1;
  return n;
}

/** The pupils for whom `row` is locked (a validated compétence, for a teacher). */
function lockedFor(row, eleves) {
  if (row.locked === true) return new Set(eleves.map((e) => e.id));
  return new Set(row.locked_for || []);
}

export { ETATS, etatKey, nextState, create, load, apply, arrowNext, blues, lockedFor };
