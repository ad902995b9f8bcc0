// The validation grid's table (web/ui/grid/table.js) on a fake DOM (tests/js/fake_dom.mjs):
// the words each cell says to a screen reader.
import test from "node:test";
import assert from "node:assert/strict";
import { installFakeDom } from "./fake_dom.mjs";

installFakeDom();
const GridModel = await import("../../web/ui/grid/model.js");
const GridTable = await import("../../web/ui/grid/table.js");

// A compétences grid: one pupil, two compétences; 1 item of 3 validated, 0 of 2, 2 of 4.
function competencesGrid() {
  return {
    level: "competences", palier_id: 2, dirty: 0,
    textes: { verrouille: "verrouillé", verrouille_titre: "compétence validée" },
    eleves: [{ id: 7, nom: "MARTIN", prenom: "Jules" }],
    domaines: [{ id: 1, nom: "Maîtrise de la langue", rows: [
      { id: 10, nom: "Lire" }, { id: 11, nom: "Écrire" }, { id: 12, nom: "Dire" }] }],
    cells: {
      "7:10": { etat: null }, "7:11": { etat: null }, "7:12": { etat: null },
    },
    aid: {
      "7:10": { valides: 1, total: 3, pourcentage: 33 },
      "7:11": { valides: 0, total: 2, pourcentage: 0 },
      "7:12": { valides: 2, total: 4, pourcentage: 50 },
    },
    arrows: {}, arrow_labels: {},
  };
}

test("a compétence cell counts its validated items with French plurals", () => {
  const view = GridTable.create(GridModel.create(competencesGrid()), { onCell() {}, onArrow() {} });
  const aria = (key) => view.nodes[key].getAttribute("aria-label");
  assert.equal(aria("7:10"), "MARTIN Jules, Lire : pas de décision, 1 item validé sur 3");
  assert.equal(aria("7:11"), "MARTIN Jules, Écrire : pas de décision, 0 item validé sur 2");
  assert.equal(aria("7:12"), "MARTIN Jules, Dire : pas de décision, 2 items validés sur 4");
});
