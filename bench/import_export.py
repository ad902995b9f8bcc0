#!/usr/bin/env python3
"""Import / export at school scale, in the browser once pandas is loaded, against CPython.

    python3 bench/import_export.py [--runs N] [--build] [--keep DIR]
    python3 bench/import_export.py --cpython [--lines 1500,50000] [--core DIR]

``--cpython`` skips the browser: CPython only, for each CSV size of ``--lines`` (the 50 000-line
file has only the columns the import reads, so that it stays under the 5 Mo limit), through
``bridge.call``: ``plan``, first ``apply`` on a fresh school, re-``apply``, and the whole wizard
(``read`` -> ``plan`` -> ``plan`` with choices -> ``apply``; with the token when ``read`` returns
one, else sending the file at each step as before). ``--core DIR`` imports the core from
``DIR/py`` instead of this tree: run it once on an older checkout (``git worktree add``) and once
here to compare before / after on the same machine; ``--cpu`` reads this process's CPU time
instead of wall time (steadier on a shared machine).

Made here, in CPython, through the API (``cartable.api.Api``) and direct SQL:
- an empty school (a director, no pupils): the "fresh school" every first import starts from;
- a 500-pupil school (20 classes) with every palier-2 item decided (500 x 110 = 55 000 rows
  of ``validation_item``, inserted with SQL);
- a 1 500-line Base-Élèves CSV (60 classes, CP to CM2): Windows-1252, ``;``, every field quoted,
  CRLF, the header of ``tests/fixtures/base_eleves/CSVExtraction.csv``.

Then, in headless Chromium on ``dist/cartable/index.html`` (file://), once
``Cartable.whenPandas()`` has resolved, each school file is loaded with
``Cartable.call("school.replace_file", {data})`` and the director logs in (not timed); timed in
the page with ``performance.now()`` around ``await Cartable.call(...)`` (so: postMessage, the
worker's base64/JSON wire format, Python, and for commands that change the database the
IndexedDB save the worker does before answering):

- ``sacoche.export`` of the 500-pupil school (whole school);
- ``base_eleves.plan`` of the 1 500-line CSV on the fresh school;
- ``base_eleves.apply``: first apply on a fresh school (reloaded before each run), and re-apply
  of the same file right after (a no-op: nothing to write);
- baseline: a bare ``Cartable.call("app.status")`` round trip, interleaved.

The same commands run in CPython through ``cartable.bridge.call`` (JSON and base64 in and out,
as in the worker) and through ``Api.handle`` alone; the table gives browser / CPython ratios.
Goal: <= 0.5 s each in the browser once pandas is loaded. Exit status 0 always.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, ensure_built, open_ready_page

TIMEOUT = 180_000
LOGIN, PASSWORD = "direction", "Directrice-2012"
GOAL_S = 0.5
# What the CPython measures read: wall time, or with --cpu this process's CPU time (steadier
# when other programs share the machine).
CLOCK = [time.perf_counter]

_core = sys.argv[sys.argv.index("--core") + 1] if "--core" in sys.argv else str(ROOT)
sys.path.insert(0, str(Path(_core) / "py"))

HEADER = ["Nom Elève", "Nom d'usage", "Prénom Elève", "Prénom 2", "Prénom 3", "Date naissance",
          "Sexe", "Commune naissance", "Département naissance", "Pays naissance", "Adresse",
          "Code postal", "Commune", "Date entrée école", "Niveau", "Classe", "Cycle"]
NOMS = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND",
        "LEROY", "MOREAU", "SIMON", "LAURENT", "LEFÈVRE", "MICHEL", "GARCIA", "DAVID",
        "BERTRAND", "ROUX", "VINCENT", "FOURNIER", "MOREL", "GIRARD", "ANDRÉ", "LEFEBVRE",
        "MERCIER", "DUPONT", "LAMBERT", "BONNET", "FRANÇOIS", "MARTINEZ", "LEGRAND", "GARNIER",
        "FAURE", "ROUSSEAU", "BLANC", "GUÉRIN", "MULLER", "HENRY", "ROUSSEL", "NICOLAS",
        "PERRIN", "MORIN", "MATHIEU", "CLÉMENT", "GAUTHIER", "DUMONT", "LOPEZ", "FONTAINE",
        "CHEVALIER", "ROBIN", "MASSON", "SANCHEZ", "GÉRARD", "NGUYEN", "BOYER", "DENIS",
        "LEMAIRE", "DUVAL", "JOLY", "GAUTIER"]
PRENOMS = ["Léa", "Maël", "Chloé", "Noé", "Inès", "Théo", "Zoé", "Jérôme", "Clémence", "Hugo",
           "Manon", "Lucas", "Camille", "Enzo", "Anaïs", "Louis", "Jade", "Gabriel", "Eloïse",
           "Raphaël", "Léna", "Arthur", "Emma", "Nathan", "Agathe", "Timothée", "Margaux",
           "Éric", "Océane", "Loïc", "Maëlys", "Baptiste", "Lou", "Adèle", "Benoît", "Célia",
           "Gaëlle", "Héloïse", "Jules", "Noémie"]
NIVEAUX = ["CP", "CE1", "CE2", "CM1", "CM2"]
CYCLE = {"CP": "Cycle 2", "CE1": "Cycle 2", "CE2": "Cycle 3", "CM1": "Cycle 3", "CM2": "Cycle 3"}



def base_eleves_csv(n: int, per_class: int = 25, seed: int = 1, narrow: bool = False) -> bytes:
    """``n`` pupils with distinct names, ``per_class`` per class, CP..CM2 in turn. Over 2 400
    pupils, the noms are double ("MARTIN-DUBOIS"). ``narrow``: only the four columns read."""
    rng = random.Random(seed)
    names = [(nom, prenom) for nom in NOMS for prenom in PRENOMS]
    if n > len(names):
        names = [(f"{a}-{b}", prenom) for a in NOMS for b in NOMS for prenom in PRENOMS]
    rng.shuffle(names)
    if n > len(names):
        raise ValueError(f"at most {len(names)} distinct pupils")
    header = ["Nom Elève", "Prénom Elève", "Niveau", "Classe"] if narrow else HEADER
    lines = [";".join(f'"{h}"' for h in header)]
    for i, (nom, prenom) in enumerate(names[:n]):
        k = i // per_class
        niveau = NIVEAUX[k % len(NIVEAUX)]
        rank = k // len(NIVEAUX)
        classe = f"{niveau} {chr(ord('A') + rank) if rank < 26 else rank + 1}"
        birth = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{2001 + NIVEAUX.index(niveau)}"
        fields = ([nom, prenom, niveau, classe] if narrow else
                  [nom, "", prenom, "", "", birth, rng.choice("MF"), "NANTES", "44", "FRANCE",
                   "12 rue des Écoles", "44000", "NANTES", "02/09/2010", niveau, classe,
                   CYCLE[niveau]])
        lines.append(";".join(f'"{f}"' for f in fields))
    return ("\r\n".join(lines) + "\r\n").encode("windows-1252")


# -- CPython: making the schools, and the baseline -----------------------------------------


def _run(coro):
    from cartable import api as api_module

    return api_module.run(coro)


def make_fresh(tmp: Path) -> Path:
    """fresh.sqlite3: a school with its director, no pupils."""
    from cartable import api as api_module

    fresh = tmp / "fresh.sqlite3"
    api = api_module.Api(str(fresh))
    try:
        _run(api.handle("app.setup", {"nom": "École du banc d'essai", "directeur": {
            "nom": "Dupuis", "prenom": "Marie", "login": LOGIN, "password": PASSWORD}}))
    finally:
        api.close()
    return fresh


def make_schools(tmp: Path) -> dict:
    """fresh.sqlite3 (director only), school500.sqlite3 (+55 000 decisions), csv1500 bytes."""
    from cartable import api as api_module
    from cartable.socle2008 import referentiel

    fresh = make_fresh(tmp)
    school = tmp / "school500.sqlite3"
    shutil.copy(fresh, school)
    api = api_module.Api(str(school))
    try:
        director = api.director_session()
        result = _run(api.handle("base_eleves.apply", {
            "data": base_eleves_csv(500, per_class=25, seed=2), "filename": "eleves500.csv"},
            director))
        assert result["eleves_ajoutes"] == 500, result
    finally:
        api.close()
    items = [i.id for c in referentiel.get().palier(2).competences for i in c.items]
    rng = random.Random(3)
    with sqlite3.connect(school) as conn:
        pupils = [r[0] for r in conn.execute("SELECT id FROM eleve WHERE actif = 1")]
        conn.executemany(
            "INSERT INTO validation_item (eleve_id, item_id, etat, date, info) "
            "VALUES (?, ?, ?, ?, ?)",
            ((e, i, int(rng.random() < 0.85), f"2012-0{rng.randint(1, 6)}-1{rng.randint(0, 9)}",
              "DUPUIS M.") for e in pupils for i in items))
        decisions = conn.execute("SELECT count(*) FROM validation_item").fetchone()[0]
    conn.close()
    return {"fresh": fresh, "school500": school, "csv": base_eleves_csv(1500),
            "pupils": len(pupils), "items": len(items), "decisions": decisions}


class CPythonSchool:
    """A copy of a school file opened through cartable.bridge (as the worker does), with the
    director's session (no password hashing: not what is measured)."""

    def __init__(self, source: Path, tmp: Path):
        from cartable import bridge

        self.bridge = bridge
        self.path = tmp / f"cpython-{time.perf_counter_ns()}.sqlite3"
        shutil.copy(source, self.path)
        bridge.open(str(self.path))
        bridge._session = bridge._api.director_session().token

    def call(self, command: str, payload: dict) -> tuple[dict, float]:
        """Through bridge.call: JSON + base64 in and out, as in the worker."""
        wire = json.dumps({k: ({"__bytes__": base64.b64encode(v).decode("ascii")}
                               if isinstance(v, bytes) else v) for k, v in payload.items()})
        t0 = CLOCK[0]()
        reply = json.loads(asyncio.run(self.bridge.call(command, wire)))
        seconds = CLOCK[0]() - t0
        if not reply["ok"]:
            raise SystemExit(f"CPython {command}: {reply['error']}")
        return reply["result"], seconds

    def handle(self, command: str, payload: dict) -> tuple[dict, float]:
        """Api.handle alone."""
        t0 = time.perf_counter()
        result = _run(self.bridge._api.handle(command, payload, self.bridge._session))
        return result, time.perf_counter() - t0

    def close(self) -> None:
        self.bridge.close()


def cpython_runs(files: dict, tmp: Path, runs: int) -> dict:
    csv = {"data": files["csv"], "filename": "CSVExtraction.csv"}
    out: dict[str, list[float]] = {k: [] for k in (
        "status", "export", "export_h", "plan", "plan_h", "apply", "apply_h", "reapply",
        "reapply_h")}
    s = CPythonSchool(files["school500"], tmp)
    try:
        s.call("sacoche.export", {})  # warm-up (imports, référentiel)
        for _ in range(runs):
            out["status"].append(s.call("app.status", {})[1])
            result, t = s.call("sacoche.export", {})
            out["export"].append(t)
            out["export_h"].append(s.handle("sacoche.export", {})[1])
        out["export_size"] = len(base64.b64decode(result["data"]["__bytes__"]))
        out["export_counts"] = (result["nb_eleves"], result["nb_items"])
    finally:
        s.close()
    s = CPythonSchool(files["fresh"], tmp)
    try:
        s.call("base_eleves.plan", csv)  # warm-up (pandas)
        for _ in range(runs):
            out["plan"].append(s.call("base_eleves.plan", csv)[1])
            out["plan_h"].append(s.handle("base_eleves.plan", csv)[1])
    finally:
        s.close()
    for i in range(runs):
        for via in ("call", "handle"):
            s = CPythonSchool(files["fresh"], tmp)
            try:
                first, t1 = getattr(s, via)("base_eleves.apply", csv)
                again, t2 = getattr(s, via)("base_eleves.apply", csv)
            finally:
                s.close()
            suffix = "" if via == "call" else "_h"
            out["apply" + suffix].append(t1)
            out["reapply" + suffix].append(t2)
            out["apply_counts"] = (first["eleves_ajoutes"], first["classes_ajoutees"],
                                   again["changements"])
    return out


def _wizard(s: CPythonSchool, csv: dict) -> tuple[float, dict]:
    """read -> plan -> plan with choices -> apply, as the UI does; seconds, and the result."""
    t0 = CLOCK[0]()
    read = s.call("base_eleves.read", csv)[0]
    step = {"token": read["token"]} if "token" in read else csv
    plan = s.call("base_eleves.plan", step)[0]
    choices = {plan["classes"][0]["ref"]: {"nom": "Classe renommée"}}
    s.call("base_eleves.plan", {**step, "classes": choices})
    result = s.call("base_eleves.apply", {**step, "classes": choices})[0]
    return CLOCK[0]() - t0, result


def cpython_sizes(fresh: Path, tmp: Path, runs: int, sizes: list[int]) -> None:
    """``--cpython``: plan / apply / re-apply / the whole wizard, per CSV size."""
    print(f"core: {_core}/py")
    print(f"  {'operation (seconds, median)':<30} " + " ".join(f"{n:>10}" for n in sizes))
    rows: dict[str, list[str]] = {k: [] for k in ("plan", "apply", "reapply", "wizard")}
    for n in sizes:
        data = base_eleves_csv(n, narrow=n > 2400)
        csv = {"data": data, "filename": "CSVExtraction.csv"}
        times: dict[str, list[float]] = {k: [] for k in rows}
        for i in range(runs + 1):  # the first round warms up (imports, pandas)
            s = CPythonSchool(fresh, tmp)
            try:
                plan = s.call("base_eleves.plan", csv)
                first = s.call("base_eleves.apply", csv)
                again = s.call("base_eleves.apply", csv)
            finally:
                s.close()
            assert plan[0]["nb_eleves"] == n and first[0]["eleves_ajoutes"] == n, first[0]
            assert again[0]["changements"] == 0, again[0]
            s = CPythonSchool(fresh, tmp)
            try:
                wizard, result = _wizard(s, csv)
            finally:
                s.close()
            assert result["eleves_ajoutes"] == n, result
            if i:
                for key, t in (("plan", plan[1]), ("apply", first[1]), ("reapply", again[1]),
                               ("wizard", wizard)):
                    times[key].append(t)
        for key, cells in rows.items():
            cells.append(f"{statistics.median(times[key]):>10.3f}")
    labels = {"plan": "base_eleves.plan", "apply": "base_eleves.apply, first",
              "reapply": "base_eleves.apply, re-apply", "wizard": "wizard read-plan-plan-apply"}
    for key, cells in rows.items():
        print(f"  {labels[key]:<30} " + " ".join(cells))
    clock = "CPU" if CLOCK[0] is time.process_time else "wall"
    print(f"  ({runs} runs each, {clock} time, through cartable.bridge.call: JSON and base64 as "
          "in the worker)")


# -- the browser -------------------------------------------------------------------------------

PAGE_HELPERS = r"""({files}) => {
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const store = {};
  for (const [k, v] of Object.entries(files)) store[k] = bytes(v);
  const C = window.Cartable;
  const now = () => performance.now();
  const timed = async (command, payload) => {
    const t0 = now();
    const result = await C.call(command, payload);
    return [result, (now() - t0) / 1000];
  };
  window.__bench = {
    store,
    // Load a school file and log in as its director (not timed). Replacing the file needs
    // the director of the current one (still logged in), or a school without a director.
    async load(name) {
      await C.call("school.replace_file", { data: store[name] });
      await C.call("auth.login", { login: "%LOGIN%", password: "%PASSWORD%" });
    },
    async status() { return (await timed("app.status", {}))[1]; },
    async exportAll() {
      const [r, s] = await timed("sacoche.export", {});
      return { s, size: r.data.length, eleves: r.nb_eleves, items: r.nb_items };
    },
    async plan() {
      const [r, s] = await timed("base_eleves.plan", { data: store.csv, filename: "CSVExtraction.csv" });
      return { s, eleves: r.nb_eleves, classes: r.nb_classes };
    },
    async apply() {
      const [r, s] = await timed("base_eleves.apply", { data: store.csv, filename: "CSVExtraction.csv" });
      return { s, ajoutes: r.eleves_ajoutes, changements: r.changements };
    },
  };
  return true;
}""".replace("%LOGIN%", LOGIN).replace("%PASSWORD%", PASSWORD)


def browser_runs(files: dict, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {k: [] for k in ("status", "export", "plan", "apply", "reapply")}
    with sync_playwright() as p:
        browser, page = open_ready_page(p, TIMEOUT)
        page.evaluate("Cartable.whenPandas()")
        out["pandas_at"] = page.evaluate(
            "performance.getEntriesByName('cartable:pandas')[0].startTime") / 1000
        page.evaluate(PAGE_HELPERS, {"files": {
            "fresh": base64.b64encode(files["fresh"].read_bytes()).decode("ascii"),
            "school500": base64.b64encode(files["school500"].read_bytes()).decode("ascii"),
            "csv": base64.b64encode(files["csv"]).decode("ascii"),
        }})

        page.evaluate("__bench.load('school500')")
        first = page.evaluate("__bench.exportAll()")
        out["export_first"] = first["s"]
        for _ in range(runs):
            out["status"].append(page.evaluate("__bench.status()"))
            r = page.evaluate("__bench.exportAll()")
            out["export"].append(r["s"])
        out["export_size"] = r["size"]
        out["export_counts"] = (r["eleves"], r["items"])

        page.evaluate("__bench.load('fresh')")
        out["plan_first"] = page.evaluate("__bench.plan()")["s"]
        for _ in range(runs):
            out["status"].append(page.evaluate("__bench.status()"))
            r = page.evaluate("__bench.plan()")
            out["plan"].append(r["s"])
        out["plan_counts"] = (r["eleves"], r["classes"])

        for _ in range(runs):
            page.evaluate("__bench.load('fresh')")
            out["status"].append(page.evaluate("__bench.status()"))
            first = page.evaluate("__bench.apply()")
            again = page.evaluate("__bench.apply()")
            out["apply"].append(first["s"])
            out["reapply"].append(again["s"])
            out["apply_counts"] = (first["ajoutes"], again["changements"])
        browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (>= 5)")
    parser.add_argument("--build", action="store_true", help="run build.py first")
    parser.add_argument("--keep", metavar="DIR", help="also copy the generated files there")
    parser.add_argument("--cpython", action="store_true",
                        help="CPython only (no browser), per CSV size of --lines")
    parser.add_argument("--lines", default="1500,50000", help="CSV sizes for --cpython")
    parser.add_argument("--core", metavar="DIR", help="import the core from DIR/py")
    parser.add_argument("--cpu", action="store_true",
                        help="with --cpython: CPU time of this process instead of wall time")
    args = parser.parse_args()
    runs = max(args.runs, 5)
    if args.cpu:
        CLOCK[0] = time.process_time
    if args.cpython:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            cpython_sizes(make_fresh(tmp), tmp, runs, [int(n) for n in args.lines.split(",")])
        return 0
    ensure_built(args.build)

    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        files = make_schools(tmp)
        made = time.perf_counter() - t0
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(files["fresh"], keep / "fresh.sqlite3")
            shutil.copy(files["school500"], keep / "school500.sqlite3")
            (keep / "CSVExtraction_1500.csv").write_bytes(files["csv"])
        cpy = cpython_runs(files, tmp, runs)
        web = browser_runs(files, runs)

        size500 = files["school500"].stat().st_size
    print(f"\nMade in {made:.1f} s: school file of {files['pupils']} pupils with "
          f"{files['decisions']} item decisions ({files['items']} palier-2 items each), "
          f"{size500 / 1e6:.1f} MB; Base-Élèves CSV of {len(files['csv'].splitlines()) - 1} "
          f"pupils, {len(files['csv']) / 1e3:.0f} kB (Windows-1252).")
    print(f"Browser: pandas imported {web['pandas_at']:.1f} s after navigation start; "
          f"export {web['export_counts'][1]} items of {web['export_counts'][0]} pupils, "
          f"ZIP {web['export_size'] / 1e3:.0f} kB; plan {web['plan_counts'][0]} pupils, "
          f"{web['plan_counts'][1]} classes; apply +{web['apply_counts'][0]} pupils, "
          f"re-apply {web['apply_counts'][1]} changes.\n")

    def med(v):
        return statistics.median(v)

    print(f"  {'operation (seconds)':<34} {'browser':>8} {'p90':>7} {'CPython':>8} "
          f"{'handler':>8} {'ratio':>6}  n   goal <= {GOAL_S} s (browser median)")

    def p90(v):
        v = sorted(v)
        return v[min(len(v) - 1, round(0.9 * (len(v) - 1)))]

    for label, key, goal in (
        ("app.status round trip (baseline)", "status", False),
        ("sacoche.export, 500 pupils", "export", True),
        ("base_eleves.plan, 1 500 lines", "plan", True),
        ("base_eleves.apply, first", "apply", True),
        ("base_eleves.apply, re-apply", "reapply", True),
    ):
        b, c = web[key], cpy[key]
        h = cpy.get(key + "_h")
        verdict = ("ok" if med(b) <= GOAL_S else "MISSED") if goal else ""
        print(f"  {label:<34} {med(b):>8.3f} {p90(b):>7.3f} {med(c):>8.3f} "
              f"{(f'{med(h):.3f}' if h else '-'):>8} {med(b) / med(c):>5.1f}x {len(b):>2}   "
              f"{verdict}")
    print(f"\n  first call after loading (not in the medians): export {web['export_first']:.3f} s, "
          f"plan {web['plan_first']:.3f} s")
    print("  browser: Cartable.call from the page; CPython: cartable.bridge.call (JSON/base64 "
          "as in the worker);\n  handler: Api.handle alone in CPython; ratio: browser / "
          "CPython bridge.")
    print(f"\n  ({time.perf_counter() - t_start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
