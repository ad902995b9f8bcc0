#!/usr/bin/env python3
"""LSU in the browser: the bilan grid click and the export of 150 bilans, against CPython.

    python3 bench/lsu.py [--runs N] [--build]

Made here, in CPython, through the API and direct SQL: a school (director with civilité, UAI) with
6 CE2 classes of 25 pupils (INE, ONDE class ids), each with a complete bilan de fin de cycle 2
signed by a teacher with a civilité (150 bilans).

In headless Chromium on ``dist/cartable/index.html`` (file://): the school is loaded with
``school.replace_file`` and the director logs in (not timed); then timed with
``performance.now()`` around ``await Cartable.call(...)``:

- ``lsu.export`` of the whole school (150 bilans, XML built and validated against the XSD): the
  first one (micropip installs xmlschema from the folder, the schema is compiled) and the next
  ones (goal <= 0.5 s);
- ``bilan.click`` on a cell of a 25-pupil grid (goal <= 16 ms per click) and on a composante
  arrow (25 cells);
- in the interface (the "Bilan fin de cycle 2" screen, a 25-pupil class): a click on a cell until
  its optimistic paint, until the core's reply is painted, until the next frame is rendered;
- baseline: a bare ``Cartable.call("app.status")`` round trip, interleaved.

The same commands run in CPython through ``Api.handle``. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, ensure_built, lsu_school, open_ready_page, page_script

sys.path.insert(0, str(ROOT / "py"))

TIMEOUT = 180_000
LOGIN, PASSWORD = "direction", "Directrice-2026"
CODES = ("CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND")


def make_school(path: Path) -> None:
    a, call, d = lsu_school(path, LOGIN, PASSWORD)
    prof = call("professeurs.create", {"nom": "Lucas", "prenom": "Claire", "civilite": "MME"}, d)
    with a.db:
        for k in range(6):
            cid = a.db.execute(
                "INSERT INTO classe (niveau_id, nom, ref, source, id_onde) VALUES "
                "(16, ?, ?, ?, ?)", (f"CE2 {k}", f"CE2-{k}", f"CE2 {k}", 45200 + k)).lastrowid
            for i in range(25):
                eid = a.db.execute(
                    "INSERT INTO eleve (nom, prenom, classe_id, ine) VALUES (?, ?, ?, ?)",
                    (f"ELEVE{k}{i:02d}", "Léa", cid, f"44{k:02d}{i:06d}A")).lastrowid
                a.db.execute("INSERT INTO bilan_cycle VALUES (?, 2, '2025', ?, '2026-06-12', "
                             "'2026-06-19T17:30:00', 'saisie')",
                             (eid, "Léa termine le cycle 2 avec de bons acquis. " * 10))
                a.db.executemany("INSERT INTO bilan_position VALUES (?, 2, ?, ?)",
                                 [(eid, c, 1 + (i + j) % 4) for j, c in enumerate(CODES)])
                a.db.execute("INSERT INTO bilan_auteur VALUES (?, 2, 0, ?, 'MME', 'LUCAS', "
                             "'Claire')", (eid, prof["id"]))
    a.close()


def cpython_runs(path: Path, runs: int) -> dict:
    import datetime

    from cartable import _compat
    from cartable.api import Api, run

    _compat.now = lambda: datetime.datetime(2026, 6, 20, 16, 0, 0)
    a = Api(str(path))
    d = run(a.handle("auth.login", {"login": LOGIN, "password": PASSWORD}))["session"]
    out = {"export": [], "click": [], "arrow": []}
    t0 = time.perf_counter()
    run(a.handle("lsu.export", {}, d))
    out["export_first"] = time.perf_counter() - t0
    for _ in range(runs):
        t0 = time.perf_counter()
        run(a.handle("lsu.export", {}, d))
        out["export"].append(time.perf_counter() - t0)
    grid = run(a.handle("bilan.grid", {"classe_id": 1}, d))
    e = grid["eleves"][0]["id"]
    for _ in range(runs * 5):
        t0 = time.perf_counter()
        run(a.handle("bilan.click", {"target": {"kind": "cell", "eleve_id": e, "code": "CPD_FRA"}},
                     d))
        out["click"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run(a.handle("bilan.click", {"target": {"kind": "composante", "code": "MET_APP"}}, d))
        out["arrow"].append(time.perf_counter() - t0)
    a.close()
    return out


PAGE = page_script(r"""  const out = {status: [], export: [], click: [], arrow: []};
  const [first, s0] = await timed("lsu.export", {});
  out.export_first = s0;
  out.exported = first.preflight.nb_exportables;
  out.size = first.data.length;
  for (let i = 0; i < runs; i++) {
    out.status.push((await timed("app.status", {}))[1]);
    out.export.push((await timed("lsu.export", {}))[1]);
  }
  const grid = await C.call("bilan.grid", {classe_id: 1});
  const e = grid.eleves[0].id;
  for (let i = 0; i < runs * 5; i++) {
    out.click.push((await timed("bilan.click",
      {target: {kind: "cell", eleve_id: e, code: "CPD_FRA"}}))[1]);
    out.arrow.push((await timed("bilan.click", {target: {kind: "composante", code: "MET_APP"}}))[1]);
  }
  return out;
""", LOGIN, PASSWORD)


# In the interface: a click on a cell of the bilan grid, until the optimistic paint (synchronous,
# in the click handler) and until the table is settled (the core's reply painted, "en-cours" gone),
# then the next frame rendered.
UI_CLICKS = r"""async ({runs}) => {
  const table = document.getElementById("grille-bilan");
  const td = table.querySelector("td.case-bilan");
  const settled = () => new Promise((resolve) => {
    if (!table.classList.contains("en-cours")) { resolve(); return; }
    const obs = new MutationObserver(() => {
      if (!table.classList.contains("en-cours")) { obs.disconnect(); resolve(); }
    });
    obs.observe(table, {attributes: true, attributeFilter: ["class"]});
  });
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const out = {paint: [], settled: [], frame: []};
  for (let i = 0; i < runs; i++) {
    await frame();
    const t0 = performance.now();
    td.click();
    out.paint.push((performance.now() - t0) / 1000);
    await settled();
    out.settled.push((performance.now() - t0) / 1000);
    await frame();
    out.frame.push((performance.now() - t0) / 1000);
  }
  return out;
}"""


def ui_runs(page, runs: int) -> dict:
    page.evaluate("() => window.CartableApp.start()")
    page.click('nav.menu button[data-vue="bilan"]', timeout=TIMEOUT)
    page.click('button[data-classe="1"]', timeout=TIMEOUT)
    page.wait_for_selector("#grille-bilan", timeout=TIMEOUT)
    return page.evaluate(UI_CLICKS, {"runs": runs * 5})


def browser_runs(path: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page = open_ready_page(p, TIMEOUT)
        out = page.evaluate(PAGE, {"b64": base64.b64encode(path.read_bytes()).decode(),
                                   "runs": runs})
        out["ui"] = ui_runs(page, runs)
        browser.close()
    return out


def ms(values) -> str:
    return f"{1000 * statistics.median(values):8.1f} ms (p90 {1000 * sorted(values)[int(0.9 * (len(values) - 1))]:.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--build", action="store_true")
    args = parser.parse_args()
    ensure_built(args.build)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ecole.sqlite3"
        make_school(path)
        browser = browser_runs(path, args.runs)
        cpython = cpython_runs(path, args.runs)
    print(f"150 bilans exported: {browser['exported']} ({browser['size'] / 1024:.0f} Ko)")
    print(f"{'':34}{'browser':>30}{'CPython':>30}{'ratio':>8}")
    print(f"{'app.status (baseline)':34}{ms(browser['status']):>30}")
    print(f"{'lsu.export, first (install xsd)':34}{1000 * browser['export_first']:>27.1f} ms"
          f"{1000 * cpython['export_first']:>27.1f} ms")
    for key, label in (("export", "lsu.export (150), goal 500 ms"),
                       ("click", "bilan.click cell, goal 16 ms"),
                       ("arrow", "bilan.click arrow (25 cells)")):
        ratio = statistics.median(browser[key]) / statistics.median(cpython[key])
        print(f"{label:34}{ms(browser[key]):>30}{ms(cpython[key]):>30}{ratio:>7.1f}x")
    ui = browser["ui"]
    for key, label in (("paint", "UI click: optimistic paint"), ("settled", "UI click: core reply painted"),
                       ("frame", "UI click: next frame rendered")):
        print(f"{label:34}{ms(ui[key]):>30}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
