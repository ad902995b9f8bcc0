// French order on screen (web/ui/format.js) and the grid model's words and undo state
// (web/ui/grid/model.js): no DOM.
import test from "node:test";
import assert from "node:assert/strict";
import * as Format from "../../web/ui/format.js";
import * as GridModel from "../../web/ui/grid/model.js";

test("names sort in French order, not by code point", () => {
  const people = [["ZOLA", "Émile"], ["ÇELIK", "Ayşe"], ["VINCENT", "Zoé"], ["ÉMERY", "Éloïse"],
    ["émery", "Ali"], ["ABADIE", "Léa"], ["DUPONT", "Éloïse"], ["DUPONT", "Zoé"], ["DUPONT", "Eric"]]
    .map(([nom, prenom]) => ({ nom, prenom }));
  const sorted = [...people].sort(Format.byName).map((p) => `${p.nom} ${p.prenom}`);
  assert.deepEqual(sorted, ["ABADIE Léa", "ÇELIK Ayşe", "DUPONT Éloïse", "DUPONT Eric", "DUPONT Zoé",
    "émery Ali", "ÉMERY Éloïse", "VINCENT Zoé", "ZOLA Émile"]);
  assert.ok(Format.byName({ nom: "EMERY", prenom: "A" }, { nom: "ÉMERY", prenom: "A" }) < 0); // then the spelling
});

test("the model keeps the core's words for arrows and the undo state", () => {
  const grid = { level: "items", eleves: [], domaines: [], cells: {}, aid: {}, arrows: { "row:1": 1 },
    arrow_labels: { "row:1": "Valider tout : la ligne « Lire »" }, undo: { count: 0, label: null } };
  const model = GridModel.create(grid);
  assert.equal(model.arrowLabels["row:1"], "Valider tout : la ligne « Lire »");
  assert.deepEqual(model.undo, { count: 0, label: null });
  GridModel.apply(model, { cells: {}, arrows: { "row:1": 0 }, arrow_labels: { "row:1": "Invalider tout : la ligne « Lire »" },
    undo: { count: 1, label: "Annuler : Valider tout : la ligne « Lire »" } });
  assert.equal(model.arrowLabels["row:1"], "Invalider tout : la ligne « Lire »");
  assert.equal(model.undo.count, 1);
  GridModel.apply(model, { cells: {}, arrows: {} }); // a reply without them keeps them
  assert.equal(model.undo.count, 1);
  assert.equal(GridModel.create({ ...grid, arrow_labels: undefined, undo: undefined }).undo.count, 0);
});

test("sizes are said with real plurals", () => {
  assert.equal(Format.size(0), "0 octet");
  assert.equal(Format.size(1), "1 octet");
  assert.equal(Format.size(900), "900 octets");
  assert.equal(Format.size(2048), "2 Ko");
  assert.equal(Format.size(3 * 1024 * 1024 + 200 * 1024), "3,2 Mo");
});
