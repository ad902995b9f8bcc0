#!/usr/bin/env python3
"""The livret's core in the browser, against CPython: a school of 400 pupils in 16 classes with a
complete year (3 periods, every livret filled, appréciations of 300–600 characters).

    python3 bench/livret.py [--runs N] [--build]

Made here, in CPython, through the core's own functions: the school (director with civilité,
UAI), 16 classes of 25 pupils (CP to CM2, INE, ONDE class ids), the 3 trimestres of 2025–2026,
per class and period two éléments per rubrique and a parcours commun, per pupil and period a
positionnement on every rubrique and an appréciation on every domaine (300–600 characters), an
appréciation générale, signed by a teacher with a civilité.

In headless Chromium on ``dist/cartable/index.html`` (file://): the school is loaded with
``school.replace_file`` and the director logs in (not timed); then timed with
``performance.now()`` around ``await Cartable.call(...)``: ``lsu.export`` of period 1 for the
whole school (400 bilans, XML built and checked against the XSD; goal <= 1 s), ``lsu.preview``
of that file (read, checked, matched), ``livret.grid`` of a 25-pupil class, ``livret.click`` on
a cell (goal <= 16 ms) and on a column arrow (25 cells), ``livret.print`` of a class (the data
of its 25 pages; the page itself is the screen's), ``livret.progress`` (16 classes x 3
periods). The same commands run in CPython through ``Api.handle``. Numbers are printed, never
asserted. (Persisting to IndexedDB, the automatic save and the start-up are the web side's.)
"""

from __future__ import annotations

import argparse
import base64
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, ensure_built, open_ready_page

sys.path.insert(0, str(ROOT / "py"))

TIMEOUT = 300_000
LOGIN, PASSWORD = "direction", "Directrice-2026"
WORDS = ("lecture", "élève", "progrès", "attentive", "travail", "calcul", "écrit", "oral",
         "curieux", "régulier", "efforts", "autonomie")
NIVEAUX = ((14, "CP"), (15, "CE1"), (16, "CE2"), (17, "CM1"), (18, "CM2"))


def _text(rnd: random.Random, n: int) -> str:
    words = []
    while len(" ".join(words)) < n:
        words.append(rnd.choice(WORDS))
    return " ".join(words)[:n].strip()


def _fill(a, rnd, periods) -> None:
    from cartable.lsu import domaines, livret

    author = [{"utilisateur_id": None, "civilite": "MME", "nom": "LUCAS", "prenom": "Claire"}]
    for p in periods:
        for c in range(16):
            cycle = domaines.cycle_of(NIVEAUX[c % 5][1])
            livret.write_classe(a.db, livret.Classe(c + 1, p.id, {
                code: [f"{code} T{p.indice} élément {i} : {_text(rnd, 60)}" for i in range(2)]
                for code in domaines.rubriques(cycle)}, {"PAR_CIT": _text(rnd, 300)}))
            for k in range(25):
                b = livret.Bilan(c * 25 + k + 1, p.id, _text(rnd, rnd.randint(300, 600)),
                                 "2025-11-27", "2025-11-28T18:00:00", "", "saisie",
                                 {code: livret.Acquis(rnd.randint(1, 4))
                                  for code in domaines.rubriques(cycle)}, auteurs=author)
                for d in domaines.domaines_of(cycle):
                    b.acquis.setdefault(d.code, livret.Acquis()).appreciation = _text(
                        rnd, rnd.randint(300, 600))
                livret.write(a.db, b)


def make_school(path: Path) -> None:
    from cartable import db
    from cartable.api import Api, run
    from cartable.lsu import periodes

    # Real hashes: the browser refuses a school file whose hashes use another count
    # (school/file_check.py).
    a = Api(str(path))
    call = lambda c, p, s=None: run(a.handle(c, p, s))
    call("app.setup", {"nom": "École du banc d'essai", "uai": "0441234C", "directeur": {
        "nom": "Durand", "prenom": "Sophie", "civilite": "MME", "login": LOGIN,
        "password": PASSWORD}})
    d = call("auth.login", {"login": LOGIN, "password": PASSWORD})["session"]
    call("periodes.set", {"periodes": [["2025-09-01", "2025-11-28"], ["2025-12-01", "2026-03-06"],
                                       ["2026-03-09", "2026-07-04"]]}, d)
    rnd = random.Random(2025)
    with db.transaction(a.db):
        for c in range(16):
            niveau_id, ref = NIVEAUX[c % 5]
            a.db.execute("INSERT INTO classe (id, niveau_id, nom, ref, source, id_onde) VALUES "
                         "(?, ?, ?, ?, ?, ?)", (c + 1, niveau_id, f"{ref} {c}", f"C{c}",
                                                f"{ref} {c}", 45300 + c))
            for k in range(25):
                eid = c * 25 + k + 1
                a.db.execute("INSERT INTO eleve (id, nom, prenom, classe_id, ine) VALUES "
                             "(?, ?, ?, ?, ?)", (eid, f"ELEVE{eid:03d}", "Léa", c + 1,
                                                 f"44{eid:08d}A"))
        _fill(a, rnd, periodes.periods_of(a.db, "2025"))
    a.db.execute("VACUUM")
    a.close()


def cpython_runs(path: Path, runs: int) -> dict:
    from cartable.api import Api, run

    a = Api(str(path))
    d = run(a.handle("auth.login", {"login": LOGIN, "password": PASSWORD}))["session"]
    call = lambda c, p: run(a.handle(c, p, d))
    out = {k: [] for k in ("export", "preview", "grid", "click", "arrow", "print", "progress")}
    t0 = time.perf_counter()
    data = call("lsu.export", {"periode": 1})["data"]
    out["export_first"] = time.perf_counter() - t0
    p1 = call("livret.choices", {})["periodes"][0]["id"]
    for _ in range(runs):
        for key, command, payload in (
                ("export", "lsu.export", {"periode": 1}), ("preview", "lsu.preview", {"data": data}),
                ("grid", "livret.grid", {"classe_id": 1, "periode_id": p1}),
                ("print", "livret.print", {"classe_id": 1, "periode_id": p1}),
                ("progress", "livret.progress", {})):
            t0 = time.perf_counter()
            call(command, payload)
            out[key].append(time.perf_counter() - t0)
        for _ in range(5):
            t0 = time.perf_counter()
            call("livret.click", {"target": {"kind": "cell", "eleve_id": 1, "code": "FRA-LEC"}})
            out["click"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            call("livret.click", {"target": {"kind": "rubrique", "code": "MAT-NBC"}})
            out["arrow"].append(time.perf_counter() - t0)
    a.close()
    return out


PAGE = r"""async ({b64, runs}) => {
  const C = window.Cartable;
  const file = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  await C.call("school.replace_file", {data: file});
  await C.call("auth.login", {login: "%LOGIN%", password: "%PASSWORD%"});
  const timed = async (command, payload) => {
    const t0 = performance.now();
    const r = await C.call(command, payload);
    return [r, (performance.now() - t0) / 1000];
  };
  const out = {status: [], export: [], preview: [], grid: [], click: [], arrow: [], print: [],
               progress: []};
  const [first, s0] = await timed("lsu.export", {periode: 1});
  out.export_first = s0;
  out.exported = first.preflight.nb_exportables;
  out.size = first.data.length;
  const data = first.data;
  const p1 = (await C.call("livret.choices", {})).periodes[0].id;
  for (let i = 0; i < runs; i++) {
    out.status.push((await timed("app.status", {}))[1]);
    out.export.push((await timed("lsu.export", {periode: 1}))[1]);
    out.preview.push((await timed("lsu.preview", {data}))[1]);
    out.grid.push((await timed("livret.grid", {classe_id: 1, periode_id: p1}))[1]);
    out.print.push((await timed("livret.print", {classe_id: 1, periode_id: p1}))[1]);
    out.progress.push((await timed("livret.progress", {}))[1]);
    for (let j = 0; j < 5; j++) {
      out.click.push((await timed("livret.click",
        {target: {kind: "cell", eleve_id: 1, code: "FRA-LEC"}}))[1]);
      out.arrow.push((await timed("livret.click", {target: {kind: "rubrique", code: "MAT-NBC"}}))[1]);
    }
  }
  return out;
}""".replace("%LOGIN%", LOGIN).replace("%PASSWORD%", PASSWORD)


def browser_runs(path: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page = open_ready_page(p, TIMEOUT)
        out = page.evaluate(PAGE, {"b64": base64.b64encode(path.read_bytes()).decode(),
                                   "runs": runs})
        browser.close()
    return out


def ms(values) -> str:
    p90 = sorted(values)[int(0.9 * (len(values) - 1))]
    return f"{1000 * statistics.median(values):8.1f} ms (p90 {1000 * p90:.1f})"


ROWS = (("export", "lsu.export period 1 (400), goal 1 s"), ("preview", "lsu.preview of that file"),
        ("grid", "livret.grid (25 pupils)"), ("click", "livret.click cell, goal 16 ms"),
        ("arrow", "livret.click arrow (25 cells)"), ("print", "livret.print (25 pupils)"),
        ("progress", "livret.progress (16 x 3)"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", action="store_true")
    args = parser.parse_args()
    ensure_built(args.build)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ecole.sqlite3"
        make_school(path)
        size = path.stat().st_size
        browser = browser_runs(path, args.runs)
        cpython = cpython_runs(path, args.runs)
    print(f"school file: {size / 2**20:.1f} Mo; period 1 exported: {browser['exported']} bilans "
          f"({browser['size'] / 2**20:.1f} Mo of XML)")
    print(f"{'':40}{'browser':>30}{'CPython':>30}{'ratio':>8}")
    print(f"{'app.status (baseline)':40}{ms(browser['status']):>30}")
    print(f"{'lsu.export, first (install xsd)':40}{1000 * browser['export_first']:>27.1f} ms"
          f"{1000 * cpython['export_first']:>27.1f} ms")
    for key, label in ROWS:
        ratio = statistics.median(browser[key]) / statistics.median(cpython[key])
        print(f"{label:40}{ms(browser[key]):>30}{ms(cpython[key]):>30}{ratio:>7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
