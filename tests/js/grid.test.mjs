// The validation grid's model and keyboard (web/ui/grid/model.js, keys.js): no DOM.
import test from "node:test";
import assert from "node:assert/strict";
import * as GridModel from "../../web/ui/grid/model.js";
import * as GridKeys from "../../web/ui/grid/keys.js";

// A grid reply as validation.grid sends it: 2 pupils x 2 items, one decision stored.
function gridReply() {
  return {
    level: "items", palier_id: 2, dirty: 0,
    eleves: [{ id: 7, nom: "MARTIN", prenom: "Jules" }, { id: 8, nom: "PETIT", prenom: "Léa" }],
    domaines: [{ id: 1, nom: "Lire", rows: [{ id: 10, nom: "Lire seul" }, { id: 11, nom: "Dire", locked_for: [8] }] }],
    cells: {
      "7:10": { etat: 1, date: "2012-05-02", info: "DUPUIS M.", modifie: false },
      "8:10": { etat: null, date: null, info: null, modifie: false },
      "7:11": { etat: 0, date: null, info: null, modifie: true },
      "8:11": { etat: null, date: null, info: null, modifie: false },
    },
    aid: { 7: { valides: 1, invalides: 1, non_decides: 0, pourcentage: 50 } },
    arrows: { "row:10": 0 },
  };
}

test("a click cycles a cell bleu -> vert -> rouge -> bleu", () => {
  const seen = [null];
  for (let i = 0; i < 6; i++) seen.push(GridModel.nextState(seen[seen.length - 1]));
  assert.deepEqual(seen, [null, 1, 0, null, 1, 0, null]);
  assert.equal(GridModel.nextState(true), 0); // booleans from the core count as states
  assert.equal(GridModel.nextState(false), null);
  assert.deepEqual(["1", "0", "null", "null"], [1, 0, null, undefined].map(GridModel.etatKey));
});

test("the model keeps the core's cells, stored decisions and arrows", () => {
  const m = GridModel.create(gridReply());
  assert.deepEqual(m.cells, { "7:10": 1, "8:10": null, "7:11": 0, "8:11": null });
  assert.deepEqual(Object.keys(m.saved), ["7:10"]); // dated and not modified
  assert.equal(m.saved["7:10"].info, "DUPUIS M.");
  assert.equal(GridModel.arrowNext(m, "row:10"), "0"); // as the core said
  assert.equal(GridModel.arrowNext(m, "row:11"), "1"); // a fresh arrow validates first
  assert.equal(GridModel.blues(m, Object.keys(m.cells)), 2);
});

test("a click reply updates only what it names and says what changed", () => {
  const m = GridModel.create(gridReply());
  const changed = GridModel.apply(m, {
    cells: { "8:10": 1, "8:11": { etat: 0 } }, arrows: { "domaine:1": null },
    aid: { 8: { valides: 1 } }, dirty: 3,
  });
  assert.deepEqual(changed, { cells: ["8:10", "8:11"], aid: ["8"], arrows: ["domaine:1"] });
  assert.deepEqual(m.cells, { "7:10": 1, "8:10": 1, "7:11": 0, "8:11": 0 });
  assert.equal(m.dirty, 3);
  assert.equal(GridModel.arrowNext(m, "domaine:1"), "null");
  assert.equal(m.aid[7].pourcentage, 50); // untouched
  assert.equal(GridModel.blues(m, Object.keys(m.cells)), 0);
  GridModel.apply(m, { cells: {} }); // no dirty count: kept
  assert.equal(m.dirty, 3);
});

test("reloading after a save replaces everything", () => {
  const m = GridModel.create(gridReply());
  GridModel.apply(m, { cells: { "8:10": 1 }, dirty: 1 });
  const saved = gridReply();
  saved.cells["8:10"] = { etat: 1, date: "2012-06-01", info: "X", modifie: false };
  GridModel.load(m, saved);
  assert.equal(m.dirty, 0);
  assert.deepEqual(Object.keys(m.saved).sort(), ["7:10", "8:10"]);
});

test("locks: per pupil, or the whole row", () => {
  const eleves = gridReply().eleves;
  assert.deepEqual([...GridModel.lockedFor({ locked_for: [8] }, eleves)], [8]);
  assert.deepEqual([...GridModel.lockedFor({ locked: true }, eleves)], [7, 8]);
  assert.equal(GridModel.lockedFor({}, eleves).size, 0);
});

// Rows of positions: an arrow row (corner + 3 column arrows), then 3 item rows (arrow + 3 cells).
const ROWS = [4, 4, 4, 4];

test("arrows move one step and stop at the edges", () => {
  const m = (pos, key, ctrl) => GridKeys.move(ROWS, pos, key, ctrl);
  assert.deepEqual(m([1, 1], "ArrowRight"), { to: [1, 2] });
  assert.deepEqual(m([1, 3], "ArrowRight"), { to: [1, 3] }); // last column: stays
  assert.deepEqual(m([1, 0], "ArrowLeft"), { to: [1, 0] }); // first column: stays
  assert.deepEqual(m([0, 2], "ArrowUp"), { to: [0, 2] }); // top row: stays
  assert.deepEqual(m([3, 2], "ArrowDown"), { to: [3, 2] }); // last row: stays
  assert.deepEqual(m([2, 2], "ArrowUp"), { to: [1, 2] });
  assert.deepEqual(m([2, 2], "ArrowDown"), { to: [3, 2] });
});

test("Home / End (with Ctrl: first / last row), PageUp / PageDown by ten rows", () => {
  const rows = Array(25).fill(4);
  assert.deepEqual(GridKeys.move(rows, [5, 2], "Home", false), { to: [5, 0] });
  assert.deepEqual(GridKeys.move(rows, [5, 2], "Home", true), { to: [0, 0] });
  assert.deepEqual(GridKeys.move(rows, [5, 1], "End", false), { to: [5, 3] });
  assert.deepEqual(GridKeys.move(rows, [5, 1], "End", true), { to: [24, 3] });
  assert.deepEqual(GridKeys.move(rows, [5, 1], "PageDown"), { to: [15, 1] });
  assert.deepEqual(GridKeys.move(rows, [20, 1], "PageDown"), { to: [24, 1] });
  assert.deepEqual(GridKeys.move(rows, [5, 1], "PageUp"), { to: [0, 1] });
});

test("moving into a shorter row lands on its last position", () => {
  assert.deepEqual(GridKeys.move([2, 5], [1, 4], "ArrowUp"), { to: [0, 1] });
});

test("Space and Enter activate; other keys are left to the browser", () => {
  for (const key of [" ", "Spacebar", "Enter"]) assert.deepEqual(GridKeys.move(ROWS, [1, 1], key), { activate: true });
  for (const key of ["Tab", "a", "Escape"]) assert.equal(GridKeys.move(ROWS, [1, 1], key), null);
});

test("the focus starts on the first cell, after the arrows", () => {
  assert.deepEqual(GridKeys.first(ROWS), [1, 1]);
  assert.deepEqual(GridKeys.first([3]), [0, 0]);
  assert.equal(GridKeys.first([]), null);
});
