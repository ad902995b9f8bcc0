"""The livret's bilans périodiques in the browser, through Cartable.call: the example imports,
the export of period 1 is schema-valid and carries the five bilans unchanged; the grid commands
answer (a whole sous-domaine positioned, saved) — the Python core under Pyodide, with the
on-demand xmlschema."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers import call
from lsu_helpers import FIXTURE_PERIODS, LIVRET_XML, periodic_of
from school_helpers import built_once, onde_school

from cartable.lsu import lsu_schema

PASSWORD = "Directrice-2026"


def make_school(path: Path) -> bytes:
    return onde_school(path, PASSWORD, then=lambda a, d: call(
        a, "periodes.set", {"periodes": [p.split(":") for p in FIXTURE_PERIODS]}, d))


@pytest.fixture(scope="module")
def school_bytes(tmp_path_factory) -> bytes:
    return built_once(tmp_path_factory, "livret-e2e", make_school)


IMPORT_EXPORT = """(async () => {
  const bytes = Uint8Array.from(atob(%r), (c) => c.charCodeAt(0));
  await Cartable.call("auth.login", {login: "direction", password: %r});
  const imported = await Cartable.call("lsu.import", {data: bytes});
  const t0 = performance.now();
  const exported = await Cartable.call("lsu.export", {periode: 1, millesime: "2025"});
  const t1 = performance.now();
  const choices = await Cartable.call("livret.choices", {});
  const cm2 = choices.classes.find((c) => c.nom === "CM2 B");
  const periode = choices.periodes[1].id;
  await Cartable.call("livret.set_elements", {classe_id: cm2.id, periode_id: periode,
                                              elements: {"FRA-LEC": ["Lire un roman"]}});
  const grid = await Cartable.call("livret.grid", {classe_id: cm2.id, periode_id: periode});
  const t2 = performance.now();
  const click = await Cartable.call("livret.click", {target: {kind: "rubrique", code: "FRA-LEC"}});
  const t3 = performance.now();
  const cell = {kind: "cell", eleve_id: grid.eleves[0].id, code: "MAT-NBC"};
  const times = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    await Cartable.call("livret.click", {target: cell});
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const saved = await Cartable.call("livret.save", {});
  let s = "";
  for (const b of exported.data) s += String.fromCharCode(b);
  return {statuts: imported.eleves.map((e) => e.statut), b64: btoa(s), export_ms: t1 - t0,
          click_ms: t3 - t2, cell_click_ms: times[3], n_cells: Object.keys(click.cells).length,
          n_eleves: grid.eleves.length, saved: saved.message};
})()"""


def test_livret_import_export_and_grid_in_the_browser(page, e2e, school_bytes, record_property):
    assert e2e.wait_state(page) == "ready"
    e2e.idb_put(page, school_bytes)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    result = e2e.js(page, IMPORT_EXPORT % (base64.b64encode(LIVRET_XML.read_bytes()).decode(),
                                           PASSWORD))
    assert "error" not in result, result
    assert result["statuts"] == ["ajouté"] * 5
    data = base64.b64decode(result["b64"])
    assert lsu_schema.errors(data) == []
    assert periodic_of(data) == periodic_of(LIVRET_XML.read_bytes())
    assert result["n_cells"] == result["n_eleves"] == 26
    assert result["saved"] == "Livrets enregistrés : 26 élèves."
    for key in ("export_ms", "click_ms", "cell_click_ms"):
        record_property(key, round(result[key]))
    print({k: round(result[k]) for k in ("export_ms", "click_ms", "cell_click_ms")})
