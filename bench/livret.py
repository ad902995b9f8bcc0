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
asserted.

Then the school stored in the browser, with one complete year (the same file) and with three
(2023–2024 to 2025–2026, each filled the same way), each in a fresh browser:

- one change saved: a positionnement clicked, then ``livret.save`` (one pupil's livret written),
  its round trip including the IndexedDB save the worker does before answering; inside the
  worker, the core's save alone and ``persist()`` alone (goal <= 100 ms at p90);
- the automatic save to the director's chosen file after that change, as web/ui/keeper.js's
  ``writeNow`` does it: ``school.file_bytes``, then a writable (a fake, as in
  e2e/test_school_file.py, that copies the bytes into a Blob) (goal <= 100 ms);
- start-up with that school stored (``cartable:ready``, as bench/startup.py), each page reloaded
  in its own context, interleaved: the school as the app stored it, the same file stored as one
  IndexedDB value (the format before chunks), an empty browser, bare Pyodide; ratios to bare.

``--only core`` / ``--only store``: one half of the measures.
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

from _common import (
    DIST,
    INDEX,
    ROOT,
    ensure_built,
    lsu_school,
    new_context,
    open_ready_page,
    page_script,
)
from _common import browser as launcher

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


YEARS = {"2023": (("2023-09-04", "2023-12-01"), ("2023-12-04", "2024-03-08"),
                  ("2024-03-11", "2024-07-05")),
         "2024": (("2024-09-02", "2024-11-29"), ("2024-12-02", "2025-03-07"),
                  ("2025-03-10", "2025-07-04")),
         "2025": (("2025-09-01", "2025-11-28"), ("2025-12-01", "2026-03-06"),
                  ("2026-03-09", "2026-07-04"))}


def make_school(path: Path, years=("2025",)) -> None:
    """The school, with every livret of each school year of ``years`` filled (3 periods each)."""
    from cartable import db
    from cartable.lsu import periodes

    a, call, d = lsu_school(path, LOGIN, PASSWORD)
    for year in years:
        call("periodes.set", {"periodes": [list(p) for p in YEARS[year]]}, d)
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
        for year in years:
            _fill(a, rnd, periodes.periods_of(a.db, year))
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


PAGE = page_script(r"""  const out = {status: [], export: [], preview: [], grid: [], click: [], arrow: [], print: [],
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
""", LOGIN, PASSWORD)


def browser_runs(path: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page = open_ready_page(p, TIMEOUT)
        out = page.evaluate(PAGE, {"b64": base64.b64encode(path.read_bytes()).decode(),
                                   "runs": runs})
        browser.close()
    return out


LOAD = r"""async ({b64}) => {
  const file = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  await Cartable.call("school.replace_file", {data: file});
  await Cartable.call("auth.login", {login: "%LOGIN%", password: "%PASSWORD%"});
  const p1 = (await Cartable.call("livret.choices", {})).periodes[0].id;
  await Cartable.call("livret.grid", {classe_id: 1, periode_id: p1});
  return p1;
}""".replace("%LOGIN%", LOGIN).replace("%PASSWORD%", PASSWORD)

# One change saved (a positionnement clicked, then the livret saved), seen from the page:
# livret.save's round trip includes the IndexedDB save the worker does before answering; then
# the automatic save to the director's file as web/ui/keeper.js's writeNow does it
# (school.file_bytes, then a writable), with a fake writable that copies the bytes into a Blob.
SAVES = r"""async ({runs}) => {
  const C = Cartable;
  const timed = async (fn) => { const t0 = performance.now(); const r = await fn();
                                return [r, (performance.now() - t0) / 1000]; };
  const writable = () => { const parts = [];
    return { async write(d) { parts.push(d); }, async close() { return new Blob(parts).size; } }; };
  const out = {status: [], save: [], file_bytes: [], autosave: []};
  for (let i = 0; i < runs; i++) {
    out.status.push((await timed(() => C.call("app.status", {})))[1]);
    await C.call("livret.click", {target: {kind: "cell", eleve_id: 1 + (i % 25), code: "FRA-LEC"}});
    out.save.push((await timed(() => C.call("livret.save", {})))[1]);
    out.autosave.push((await timed(async () => {
      const t0 = performance.now();
      const r = await C.call("school.file_bytes", {});
      out.file_bytes.push((performance.now() - t0) / 1000);
      const w = writable(); await w.write(r.data); return w.close();
    }))[1]);
  }
  return out;
}"""

# The same change inside the worker: the core's save alone, then persist() alone (the bytes read
# from Pyodide's file system and written to IndexedDB), and the wasm memory afterwards.
WORKER = r"""async ({runs}) => {
  const W = self.CartableWorker, w = W.state;
  const out = {core: [], persist: []};
  for (let i = 0; i < runs; i++) {
    await w.bridgeCall("livret.click", JSON.stringify(
      {target: {kind: "cell", eleve_id: 1 + (i % 25), code: "MAT-NBC"}}));
    let t0 = performance.now();
    const reply = JSON.parse(await w.bridgeCall("livret.save", "{}"));
    out.core.push((performance.now() - t0) / 1000);
    if (!reply.ok || !reply.changed) throw new Error("livret.save changed nothing: " + reply.error);
    t0 = performance.now();
    await W.persist();
    out.persist.push((performance.now() - t0) / 1000);
  }
  out.wasm_mib = w.pyodide._module.HEAPU8.byteLength / 2 ** 20;
  out.chunks = w.lastSave ? w.lastSave.chunks : null; // chunks the last save wrote (if chunked)
  return out;
}"""


def _ready_at(page) -> float:
    if launcher.wait_state(page, TIMEOUT) != "ready":
        raise SystemExit("the app did not start (data-state=error)")
    return page.evaluate("performance.getEntriesByName('cartable:ready')[0].startTime") / 1000


def _bare_page(tmp: Path) -> str:
    """bench/startup.py's bare Pyodide page, on the app's own assets."""
    from startup import BARE_HTML, BARE_JS

    (tmp / "assets").symlink_to(DIST / "assets", target_is_directory=True)
    (tmp / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (tmp / "bare.js").write_text(BARE_JS, encoding="utf-8")
    return (tmp / "index.html").as_uri()


PUT_FIRST_FORMAT = r"""async ({b64}) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("cartable", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("files");
    r.onsuccess = () => ok(r.result); r.onerror = ko; });
  await new Promise((ok, ko) => { const tx = db.transaction("files", "readwrite");
    tx.objectStore("files").put(bytes, "school.sqlite3"); tx.oncomplete = ok; tx.onerror = ko; });
  db.close();
}"""


def _page(browser, url: str):
    page = new_context(browser).new_page()
    page.set_default_timeout(TIMEOUT)
    launcher.open_app(page, url)
    _ready_at(page)
    return page


def store_runs(path: Path, runs: int) -> dict:
    """The school of ``path`` stored in the browser: saves, automatic save, start-up."""
    from playwright.sync_api import sync_playwright

    b64 = base64.b64encode(path.read_bytes()).decode()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser, page = open_ready_page(p, TIMEOUT)
        page.evaluate(LOAD, {"b64": b64})
        out = page.evaluate(SAVES, {"runs": runs})
        out.update(page.workers[0].evaluate(WORKER, {"runs": runs}))
        # Start-up: each page reloaded in its own context (so each keeps its storage and its
        # warm caches alike): the school as the app stored it, the same file stored as one
        # value (the first format: what main stored before chunks), an empty browser (a new
        # school), bare Pyodide.
        first = _page(browser, INDEX.as_uri())
        first.evaluate(PUT_FIRST_FORMAT, {"b64": b64})
        pages = {"start_stored": page, "start_first": first,
                 "start_empty": _page(browser, INDEX.as_uri()),
                 "start_bare": _page(browser, _bare_page(Path(tmp)))}
        for key in pages:
            out[key] = []
        for _ in range(max(runs // 4, 5)):  # interleaved: the same conditions for all
            for key, each in pages.items():
                each.reload()
                out[key].append(_ready_at(each))
        out["stored_ok"] = page.evaluate("Cartable.call('app.status', {})") is not None
        browser.close()
    return out


PRINT = r"""async () => {
  const t0 = performance.now();
  document.getElementById("imprimer-livrets").click();
  const pages = () => document.querySelectorAll("#impression-livrets .page-livret").length;
  await new Promise((ok, ko) => { const check = () => {
    if (document.getElementById("impression-livrets") && pages() > 0) ok();
    else if (performance.now() - t0 > 120000) ko(new Error("no printable livret shown"));
    else requestAnimationFrame(check); }; check(); });
  const dom = (performance.now() - t0) / 1000;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const n = pages();
  document.getElementById("fermer-impression").click();
  return [dom, (performance.now() - t0) / 1000, n];
}"""


def print_runs(path: Path, runs: int) -> dict:
    """The printable livrets of class 1 (25 pupils), period 1, opened from the Livret screen."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page = open_ready_page(p, TIMEOUT)
        page.evaluate(LOAD, {"b64": base64.b64encode(path.read_bytes()).decode()})
        page.reload()
        _ready_at(page)
        page.get_by_label("Identifiant").fill(LOGIN)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.click('nav.menu button[data-vue="livret"]')
        page.locator("#livret-classe").select_option(value="1")
        page.locator("#livret-periode").select_option(index=0)
        page.click("#ouvrir-livret")
        page.wait_for_selector("#grille-livret")
        out = {"dom": [], "frame": []}
        for _ in range(runs):
            dom, frame, out["pages"] = page.evaluate(PRINT)
            out["dom"].append(dom)
            out["frame"].append(frame)
        browser.close()
    return out


def print_store(label: str, size: int, out: dict) -> None:
    chunks = "" if out.get("chunks") is None else f"; chunks written by the last save: {out['chunks']}"
    print(f"\n{label}: school file {size / 2**20:.1f} Mo (wasm memory after the saves: "
          f"{out['wasm_mib']:.0f} MiB{chunks})")
    for key, text in (("status", "app.status (baseline)"),
                      ("save", "one change saved (livret.save + IDB)"),
                      ("core", "  of which the core's save (worker)"),
                      ("persist", "  persist() to IndexedDB, goal p90 100 ms"),
                      ("file_bytes", "school.file_bytes round trip"),
                      ("autosave", "automatic save (file_bytes + write)"),
                      ("start_stored", "start-up, this school stored by the app"),
                      ("start_first", "start-up, stored as one value (1st format)"),
                      ("start_empty", "start-up, empty browser"),
                      ("start_bare", "start-up, bare Pyodide")):
        print(f"{text:45}{ms(out[key]):>30}")
    bare = statistics.median(out["start_bare"])
    ratio = {k: statistics.median(out[k]) / bare for k in ("start_stored", "start_first",
                                                            "start_empty")}
    print(f"start-up ratio to bare Pyodide: this school stored {ratio['start_stored']:.2f}, "
          f"as one value {ratio['start_first']:.2f}, empty {ratio['start_empty']:.2f} "
          f"(goal <= 1.25)")


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
    parser.add_argument("--only", choices=("core", "store", "print"), help="one part of the measures")
    args = parser.parse_args()
    ensure_built(args.build)
    with tempfile.TemporaryDirectory() as tmp:
        path, path3 = Path(tmp) / "ecole.sqlite3", Path(tmp) / "ecole-3-ans.sqlite3"
        make_school(path)
        size = path.stat().st_size
        if args.only in (None, "core"):
            browser = browser_runs(path, args.runs)
            cpython = cpython_runs(path, args.runs)
            print_core(size, browser, cpython)
        if args.only in (None, "print"):
            out = print_runs(path, args.runs)
            print(f"printable livrets of a class, period 1 ({out['pages']} pages), goal 2 s: "
                  f"shown {ms(out['dom'])}, next frame rendered {ms(out['frame'])}")
        if args.only in (None, "store"):
            print_store("one year", size, store_runs(path, args.runs * 4))
            make_school(path3, tuple(YEARS))
            print_store("three years", path3.stat().st_size, store_runs(path3, args.runs * 4))
    return 0


def print_core(size: int, browser: dict, cpython: dict) -> None:
    print(f"school file: {size / 2**20:.1f} Mo; period 1 exported: {browser['exported']} bilans "
          f"({browser['size'] / 2**20:.1f} Mo of XML)")
    print(f"{'':40}{'browser':>30}{'CPython':>30}{'ratio':>8}")
    print(f"{'app.status (baseline)':40}{ms(browser['status']):>30}")
    print(f"{'lsu.export, first (install xsd)':40}{1000 * browser['export_first']:>27.1f} ms"
          f"{1000 * cpython['export_first']:>27.1f} ms")
    for key, label in ROWS:
        ratio = statistics.median(browser[key]) / statistics.median(cpython[key])
        print(f"{label:40}{ms(browser[key]):>30}{ms(cpython[key]):>30}{ratio:>7.1f}x")


if __name__ == "__main__":
    sys.exit(main())
