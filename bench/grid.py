#!/usr/bin/env python3
"""Grid latency: a click on a cell, or on a domaine arrow, until the table shows it.

    python3 bench/grid.py [--samples N] [--build] [--headed]

The built app (``dist/cartable/index.html``) is opened from file:// in headless Chromium. A
30-pupil CM2 class is made through ``Cartable.call`` (as in ``e2e/test_grid.py``), the director
logs in through the UI and opens the 30 x 29 table of palier 2, compétence 1. Then, inside the
page, each sample dispatches a click (``performance.now()`` just before ``dispatchEvent``) and a
MutationObserver on the cell (or the domaine's <tbody>) timestamps the DOM updates; a double
requestAnimationFrame after an update gives "next frame painted". Samples are interleaved:

- baseline ``app.status``: a bare ``Cartable.call`` round trip (page -> worker -> Python -> page);
- baseline "idle 2 rAF": a double requestAnimationFrame from an idle page (the frame clock:
  what "next frame painted" costs even when nothing has to be drawn);
- cell click: "optimistic DOM" (app.js paints the expected state at once), "core DOM" (the
  cell repainted from ``validation.click``'s result), "settled" (``en-cours`` removed from the
  table: after the ``validation.draft`` call and the localStorage copy), each "+ frame";
- domaine arrow (the largest domaine: 10 items x 30 pupils = 300 cells): "DOM" when every cell of
  the domaine shows the new state, "+ frame", "settled".

Each ``Cartable.call`` made by app.js is timed too (a wrapper around ``Cartable.call``), which
splits a click into worker RPC / JS repaint / frame. The same Python commands are then timed in
CPython through ``cartable.bridge.call`` (JSON in and out, as in the worker) on the same school,
for the Pyodide/CPython ratio.

Goals: cell click <= 16 ms (median), domaine arrow <= 50 ms (median). Exit status 0 always (the
numbers are printed, not asserted: this machine is noisy).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, VIEWPORT, ensure_built, launch, new_context, open_ready
from grid_helpers import DIRECTOR_LOGIN, class_csv, login, open_competence_1, prepare_class

TIMEOUT = 120_000
PASSWORD = "Directrice-2012"
GOAL_CELL_MS, GOAL_ARROW_MS = 16.0, 50.0



# In-page instruments (installed once the grid is shown). All times are performance.now() ms.
INSTRUMENT = r"""() => {
  const now = () => performance.now();
  const NEXT = { "null": "1", "1": "0", "0": "null" };
  const rpc = [];
  const orig = window.Cartable.call;
  window.Cartable.call = function (command, payload) {
    const rec = { command, start: now(), end: null };
    rpc.push(rec);
    return orig.call(window.Cartable, command, payload).then(
      (r) => { rec.end = now(); return r; }, (e) => { rec.end = now(); throw e; });
  };
  const frame2 = () => new Promise((r) => requestAnimationFrame(() =>
    requestAnimationFrame(() => r(now()))));
  // The frame rendered: a message posted from rAF runs once the frame's style, layout and
  // paint are done on the main thread (closer to "painted" than a second rAF, which waits
  // for the start of the frame after).
  // rendered() resolves to that time; its .work is the time from the frame's rAF to then (the
  // frame's own rendering work, without the wait for the frame).
  let lastWork = null;
  const rendered = () => new Promise((r) => requestAnimationFrame(() => {
    const raf = now();
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { const t = now(); lastWork = t - raf; r(t); };
    ch.port2.postMessage(0);
  }));
  // Event Timing API: trusted input whose input -> next paint took >= 16 ms.
  const slowEvents = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.target && e.target.closest && e.target.closest("#grille-validations")) {
        slowEvents.push({ name: e.name, duration: e.duration, id: e.interactionId,
          processing: e.processingEnd - e.processingStart, delay: e.processingStart - e.startTime });
      }
    }
  }).observe({ type: "event", durationThreshold: 16, buffered: false });
  const table = () => document.getElementById("grille-validations");
  const settled = () => new Promise((resolve) => {
    const t = table();
    if (!t.classList.contains("en-cours")) { resolve(now()); return; }
    const mo = new MutationObserver(() => {
      if (!t.classList.contains("en-cours")) { mo.disconnect(); resolve(now()); }
    });
    mo.observe(t, { attributes: true, attributeFilter: ["class"] });
  });
  const timeout = (ms) => new Promise((_, reject) =>
    setTimeout(() => reject(new Error("timeout")), ms));
  const click = (node) => node.dispatchEvent(new MouseEvent("click",
    { bubbles: true, cancelable: true, view: window }));
  const rpcOf = (name, t0) => {
    const r = rpc.find((x) => x.command === name && x.start >= t0);
    return r && r.end !== null ? r : null;
  };

  window.__bench = {
    async status() {
      const t0 = now();
      await window.Cartable.call("app.status", {});
      return now() - t0;
    },
    async idleFrame() {
      const t0 = now();
      return (await frame2()) - t0;
    },
    async idleRendered() {
      const t0 = now();
      return (await rendered()) - t0;
    },
    lastWork() { return lastWork; },
    waitSettled() { return settled(); },
    slowEvents() { return slowEvents.splice(0); },
    async cell(key) {
      await settled();
      const td = table().querySelector(`td.case-grille[data-key="${key}"]`);
      const expected = NEXT[td.dataset.etat];
      const m = {};
      const frames = [];
      let batches = 0;
      let coreSeen;
      const core = new Promise((r) => { coreSeen = r; });
      const mo = new MutationObserver(() => {
        const t = now();
        batches += 1;
        if (td.dataset.etat !== expected) return;
        if (m.optimistic === undefined) {
          m.optimistic = t;
          frames.push(frame2().then((f) => { m.optimisticFrame = f; }));
          frames.push(rendered().then((f) => { m.optimisticRendered = f; m.optWork = lastWork; }));
        } else if (m.core === undefined) {
          m.core = t;
          frames.push(frame2().then((f) => { m.coreFrame = f; }));
          frames.push(rendered().then((f) => { m.coreRendered = f; m.coreWork = lastWork; }));
          coreSeen();
        }
      });
      mo.observe(td, { attributes: true, childList: true, subtree: true, characterData: true });
      const t0 = now();
      click(td);
      m.sync = now();
      await Promise.race([core, timeout(10000)]);
      m.settled = await Promise.race([settled(), timeout(10000)]);
      frames.push(frame2().then((f) => { m.settledFrame = f; }));
      await Promise.all(frames);
      mo.disconnect();
      const c = rpcOf("validation.click", t0);
      const d = rpcOf("validation.draft", t0);
      return {
        handler: m.sync - t0,
        optimistic: m.optimistic - t0, optimisticFrame: m.optimisticFrame - t0,
        optimisticRendered: m.optimisticRendered - t0, optWork: m.optWork, coreWork: m.coreWork,
        core: m.core - t0, coreFrame: m.coreFrame - t0, coreRendered: m.coreRendered - t0,
        settled: m.settled - t0, settledFrame: m.settledFrame - t0,
        rpcClick: c && c.end - c.start, rpcDraft: d && d.end - d.start,
        repaint: c && m.core - c.end, batches,
      };
    },
    async arrow(domaine) {
      await settled();
      const tb = table().querySelector(`tbody.domaine[data-domaine="${domaine}"]`);
      const btn = tb.querySelector(`button[data-fleche="domaine:${domaine}"]`);
      const cells = [...tb.querySelectorAll("td.case-grille")];
      const expected = btn.dataset.prochain;
      const m = {};
      const frames = [];
      let done;
      const dom = new Promise((r) => { done = r; });
      const mo = new MutationObserver(() => {
        const t = now();
        if (m.dom !== undefined || !cells.every((td) => td.dataset.etat === expected)) return;
        m.dom = t;
        frames.push(frame2().then((f) => { m.domFrame = f; }));
        frames.push(rendered().then((f) => { m.domRendered = f; m.domWork = lastWork; }));
        done();
      });
      mo.observe(tb, { attributes: true, childList: true, subtree: true, characterData: true });
      const t0 = now();
      click(btn);
      m.sync = now();
      await Promise.race([dom, timeout(10000)]);
      m.settled = await Promise.race([settled(), timeout(10000)]);
      frames.push(frame2().then((f) => { m.settledFrame = f; }));
      await Promise.all(frames);
      mo.disconnect();
      const c = rpcOf("validation.click", t0);
      const d = rpcOf("validation.draft", t0);
      return {
        handler: m.sync - t0, dom: m.dom - t0, domFrame: m.domFrame - t0,
        domRendered: m.domRendered - t0, domWork: m.domWork,
        settled: m.settled - t0, settledFrame: m.settledFrame - t0,
        rpcClick: c && c.end - c.start, rpcDraft: d && d.end - d.start,
        repaint: c && m.dom - c.end, cells: cells.length, expected,
      };
    },
    // The JS cost of a repaint alone: the same domaine painted by app.js, without the worker.
    layoutInfo() {
      const t = table();
      return {
        eleves: t.querySelectorAll("th.eleve").length,
        rows: t.querySelectorAll("tr[data-row]").length,
        cells: t.querySelectorAll("td.case-grille").length,
        domaines: [...t.querySelectorAll("tbody.domaine")].map((tb) => ({
          id: Number(tb.dataset.domaine),
          rows: tb.querySelectorAll("tr[data-row]").length,
          keys: [...tb.querySelectorAll("td.case-grille")].map((td) => td.dataset.key),
        })),
      };
    },
  };
  return true;
}"""


# Rendering work of the frame after one kind of DOM change alone (no worker, no app.js):
# where the ~7 ms of rendering after a click go. Run last (it leaves the DOM edited).
ATTRIBUTION = r"""async (keys) => {
  const now = () => performance.now();
  const frameWork = () => new Promise((r) => requestAnimationFrame(() => {
    const raf = now();
    const ch = new MessageChannel();
    ch.port1.onmessage = () => r(now() - raf);
    ch.port2.postMessage(0);
  }));
  const t = document.getElementById("grille-validations");
  const status = document.getElementById("etat-brouillon");
  const tds = keys.map((k) => t.querySelector(`td[data-key="${k}"]`));
  const aid = t.querySelector("th.eleve .aide-eleve");
  const cases = {
    "nothing changed": () => {},
    "table class en-cours toggled": () => t.classList.toggle("en-cours"),
    "focus moved to another cell": (i) => tds[i].focus({ preventScroll: true }),
    "one cell's colour class swapped": (i) => {
      tds[i].classList.toggle("etat-valide"); tds[i].classList.toggle("etat-aucun"); },
    "one cell's symbol text changed": (i) => { tds[i].firstChild.textContent = i % 2 ? "?" : "✓"; },
    "one cell's title/aria-label": (i) => {
      tds[i].title = "x" + i; tds[i].setAttribute("aria-label", "y" + i); },
    "status line text (#etat-brouillon)": (i) => { status.textContent = "statut " + i; },
    "a pupil's aid (hidden by default)": (i) => { aid.textContent = "✓" + i; },
  };
  const out = {};
  for (const [name, change] of Object.entries(cases)) {
    out[name] = [];
    for (let i = 0; i < keys.length; i++) {
      await frameWork(); // start right after a frame
      change(i);
      out[name].push(await frameWork());
    }
  }
  return out;
}"""


def open_grid(page) -> None:
    """The e2e grid test's set-up (``e2e/grid_helpers.py``): a 30-pupil CM2 class made through
    the API, the director logged in through the UI, palier 2 compétence 1 shown."""
    open_ready(page, TIMEOUT)
    result = prepare_class(page, class_csv(30), PASSWORD)
    if result.get("eleves_ajoutes") != 30:
        raise SystemExit(f"could not prepare the class: {result}")
    login(page, DIRECTOR_LOGIN, PASSWORD)
    open_competence_1(page)


def stats(values: list[float]) -> tuple[float, float, int]:
    values = sorted(v for v in values if v is not None)
    if not values:
        return float("nan"), float("nan"), 0
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    return statistics.median(values), p90, len(values)


def row(label: str, values: list[float], goal: float | None = None) -> str:
    med, p90, n = stats(values)
    verdict = ""
    if goal is not None:
        verdict = f"goal <= {goal:.0f} ms: {'ok' if med <= goal else 'MISSED'}"
    return f"  {label:<50} {med:>8.1f} {p90:>8.1f} {n:>4}  {verdict}"


def browser_samples(samples: int, headed: bool) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, headless=not headed)
        context = new_context(browser, viewport=VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.on("dialog", lambda d: d.accept())
        page.on("console", lambda m: m.type == "error" and print(f"[console] {m.text}"))
        open_grid(page)
        page.evaluate(INSTRUMENT)
        info = page.evaluate("() => __bench.layoutInfo()")
        biggest = max(info["domaines"], key=lambda d: d["rows"])
        # Cells to click: outside the arrow's domaine, each one once per pass (null -> 1 -> ...).
        keys = [k for d in info["domaines"] if d["id"] != biggest["id"] for k in d["keys"]]
        keys = keys[:: max(1, len(keys) // (samples + 10))]
        out = {"info": info, "domaine": biggest, "status": [], "idle": [], "idleRendered": [],
               "idleWork": [],
               "cell": [], "arrow": []}
        for i in range(5):  # warm-up (JIT, Python caches), not counted
            page.evaluate("k => __bench.cell(k)", keys[-1 - i])
            page.evaluate("d => __bench.arrow(d)", biggest["id"])
            page.evaluate("() => __bench.status()")
        for i in range(samples):  # interleaved: the same conditions for each kind
            out["status"].append(page.evaluate("() => __bench.status()"))
            out["idle"].append(page.evaluate("() => __bench.idleFrame()"))
            out["idleRendered"].append(page.evaluate("() => __bench.idleRendered()"))
            out["idleWork"].append(page.evaluate("() => __bench.lastWork()"))
            out["cell"].append(page.evaluate("k => __bench.cell(k)", keys[i % len(keys)]))
            out["arrow"].append(page.evaluate("d => __bench.arrow(d)", biggest["id"]))
        out["trusted"] = trusted_clicks(page, keys, biggest["id"], samples)
        out["attribution"] = page.evaluate(ATTRIBUTION, keys[:20])
        context.close()
        browser.close()
    return out


def trusted_clicks(page, keys: list[str], domaine: int, samples: int) -> dict:
    """Real mouse clicks (Playwright, trusted events), judged by the Event Timing API: the
    browser reports every input whose input -> next paint took >= 16 ms."""
    page.evaluate("() => __bench.slowEvents()")  # forget the earlier ones
    out = {}
    for kind, selectors in (
        ("cell", [f'#grille-validations td[data-key="{k}"]' for k in keys]),
        ("arrow", [f'#grille-validations button[data-fleche="domaine:{domaine}"]']),
    ):
        slow: dict[int, dict] = {}
        n = min(samples, 30)
        for i in range(n):
            page.locator(selectors[(i + 3) % len(selectors)]).click()
            page.evaluate("() => __bench.waitSettled()")
            page.wait_for_timeout(50)  # let the Event Timing entries arrive
            for e in page.evaluate("() => __bench.slowEvents()"):
                if not e["id"]:  # hover events: not part of a click interaction
                    continue
                worst = slow.setdefault(e["id"], {"duration": 0, "processing": 0, "delay": 0})
                for k in worst:
                    worst[k] = max(worst[k], e[k])
        out[kind] = {"n": n, "slow": sorted(slow.values(), key=lambda x: x["duration"])}
    return out


def cpython_samples(samples: int, domaine_rows: int) -> dict:
    """The same commands through cartable.bridge in CPython (JSON in/out, as in the worker)."""
    sys.path.insert(0, str(ROOT / "py"))
    from cartable import bridge

    def call(command: str, payload: dict | None = None):
        t0 = time.perf_counter()
        reply = json.loads(asyncio.run(bridge.call(command, json.dumps(payload or {}))))
        ms = (time.perf_counter() - t0) * 1000
        if not reply["ok"]:
            raise SystemExit(f"CPython {command}: {reply['error']}")
        return reply["result"], ms

    def handler_only(command: str, payload: dict):
        """api.handle alone (no JSON, no bridge)."""
        t0 = time.perf_counter()
        asyncio.run(bridge._api.handle(command, payload, bridge._session))
        return (time.perf_counter() - t0) * 1000

    out = {"status": [], "click": [], "arrow": [], "draft": [], "click_h": [], "arrow_h": []}
    with tempfile.TemporaryDirectory() as tmp:
        bridge.open(str(Path(tmp) / "ecole.sqlite3"))
        try:
            call("app.setup", {"nom": "École de test", "directeur": {
                "nom": "Dupuis", "prenom": "Marie", "login": "direction", "password": PASSWORD}})
            call("auth.login", {"login": "direction", "password": PASSWORD})
            call("paliers.set", {"actifs": [1, 2]})
            data = base64.b64encode(class_csv(30).encode("utf-8")).decode("ascii")
            call("base_eleves.apply", {"data": {"__bytes__": data}, "filename": "eleves.csv"})
            choices, _ = call("validation.choices")
            classe = choices["classes"][0]["id"]
            eleves, _ = call("eleves.list", {"classe_id": classe})
            grid, _ = call("validation.grid", {"palier_id": 2, "classe_id": classe,
                                               "competence_id": 8,
                                               "eleve_ids": [e["id"] for e in eleves]})
            doms = grid["domaines"]
            big = next(d for d in doms if len(d["rows"]) == domaine_rows)
            others = [(e["id"], r["id"]) for d in doms if d is not big
                      for r in d["rows"] for e in grid["eleves"]]
            arrow = {"target": {"kind": "domaine", "domaine_id": big["id"]}}
            for i in range(samples + 5):
                e, r = others[(i * 7) % len(others)]
                cell = {"target": {"kind": "cell", "eleve_id": e, "row_id": r}}
                status = call("app.status")[1]
                click = call("validation.click", cell)[1]
                draft = call("validation.draft")[1]
                arrow_ms = call("validation.click", arrow)[1]
                click_h = handler_only("validation.click", cell)
                arrow_h = handler_only("validation.click", arrow)
                if i >= 5:  # warm-up
                    for k, v in (("status", status), ("click", click), ("draft", draft),
                                 ("arrow", arrow_ms), ("click_h", click_h),
                                 ("arrow_h", arrow_h)):
                        out[k].append(v)
        finally:
            bridge.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=40, help="samples of each kind (>= 30)")
    parser.add_argument("--build", action="store_true", help="run build.py first")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    args = parser.parse_args()
    samples = max(args.samples, 30)
    ensure_built(args.build)

    t_start = time.perf_counter()
    b = browser_samples(samples, args.headed)
    c = cpython_samples(samples, b["domaine"]["rows"])

    cell, arrow = b["cell"], b["arrow"]
    col = lambda rows, k: [r[k] for r in rows]
    net = lambda rows, a, w: [r[a] + r[w] for r in rows]
    info = b["info"]
    print(f"\nGrid: {info['eleves']} pupils x {info['rows']} items = {info['cells']} cells "
          f"(palier 2, compétence 1); domaine arrow on domaine {b['domaine']['id']} "
          f"({b['domaine']['rows']} items = {len(b['domaine']['keys'])} cells).")
    print("Headless Chromium, file://, times in ms from the click's dispatch "
          "(performance.now()).\n")
    print(f"  {'measure':<50} {'median':>8} {'p90':>8} {'n':>4}")
    print("  baselines")
    print(row("Cartable.call('app.status') round trip", b["status"]))
    print(row("idle page: rAF + message (frame rendered)", b["idleRendered"]))
    print(row("idle page: double rAF (frame clock)", b["idle"]))
    print("    (a click dispatched from page.evaluate lands just after a frame: the wait for the\n"
          "     next one is ~15 ms here; a real click lands anywhere in the 16.7 ms frame)")
    print(row("idle page: rendering work in a frame", b["idleWork"]))
    print("  cell click")
    print(row("click handler (sync, optimistic paint)", col(cell, "handler")))
    print(row("optimistic DOM updated", col(cell, "optimistic"), GOAL_CELL_MS))
    print(row("optimistic + frame rendered (incl. frame wait)", col(cell, "optimisticRendered")))
    print(row("  rendering work in that frame (rAF->message)", col(cell, "optWork")))
    print(row("optimistic DOM + that frame's work (no wait)", net(cell, "optimistic", "optWork"),
              GOAL_CELL_MS))
    print(row("optimistic + next frame (double rAF)", col(cell, "optimisticFrame")))
    print(row("  worker RPC validation.click", col(cell, "rpcClick")))
    print(row("  JS repaint after RPC (applyResult)", col(cell, "repaint")))
    print(row("core-confirmed DOM updated", col(cell, "core"), GOAL_CELL_MS))
    print(row("core-confirmed + frame rendered (incl. wait)", col(cell, "coreRendered")))
    print(row("  rendering work in that frame (rAF->message)", col(cell, "coreWork")))
    print(row("core DOM + that frame's work (no wait)", net(cell, "core", "coreWork"),
              GOAL_CELL_MS))
    print(row("core-confirmed + next frame (double rAF)", col(cell, "coreFrame")))
    print(row("  worker RPC validation.draft", col(cell, "rpcDraft")))
    print(row("settled (en-cours removed)", col(cell, "settled")))
    print(row("settled + next frame (double rAF)", col(cell, "settledFrame")))
    print(f"  domaine arrow ({len(b['domaine']['keys'])} cells)")
    print(row("click handler (sync)", col(arrow, "handler")))
    print(row("  worker RPC validation.click", col(arrow, "rpcClick")))
    print(row("  JS repaint after RPC (applyResult)", col(arrow, "repaint")))
    print(row("all cells of the domaine updated (DOM)", col(arrow, "dom"), GOAL_ARROW_MS))
    print(row("DOM + frame rendered (incl. frame wait)", col(arrow, "domRendered"),
              GOAL_ARROW_MS))
    print(row("  rendering work in that frame (rAF->message)", col(arrow, "domWork")))
    print(row("DOM + that frame's work (no wait)", net(arrow, "dom", "domWork"), GOAL_ARROW_MS))
    print(row("DOM + next frame (double rAF)", col(arrow, "domFrame"), GOAL_ARROW_MS))
    print(row("  worker RPC validation.draft", col(arrow, "rpcDraft")))
    print(row("settled (en-cours removed)", col(arrow, "settled")))
    print(row("settled + next frame (double rAF)", col(arrow, "settledFrame")))
    print("  real mouse clicks (Playwright, trusted), Event Timing API: interactions whose "
          "input -> next paint\n  took >= 16 ms (the API reports no shorter ones; 8 ms "
          "granularity)")
    for kind, t in b["trusted"].items():
        slow = t["slow"]
        line = f"    {kind:<6} {len(slow):>2} of {t['n']}"
        if slow:
            d = [x["duration"] for x in slow]
            line += (f": median {statistics.median(d):.0f} ms, worst {d[-1]:.0f} ms; of which "
                     f"input delay max {max(x['delay'] for x in slow):.1f} ms, handlers max "
                     f"{max(x['processing'] for x in slow):.1f} ms (the rest: render + frame "
                     "wait)")
        print(line)
    print("  rendering work of the frame after one change alone (rAF -> message, 20 each)")
    for label, values in b["attribution"].items():
        print(row("  " + label, values))
    print("  CPython, same commands through cartable.bridge.call (JSON in/out)")
    print(row("app.status", c["status"]))
    print(row("validation.click (cell)", c["click"]))
    print(row("validation.click (cell), api.handle only", c["click_h"]))
    print(row("validation.click (domaine arrow)", c["arrow"]))
    print(row("validation.click (domaine arrow), api.handle only", c["arrow_h"]))
    print(row("validation.draft", c["draft"]))

    def ratio(a, b_):
        return stats(a)[0] / stats(b_)[0]

    print("\n  ratios (medians)")
    print(f"  browser RPC / CPython bridge: app.status {ratio(b['status'], c['status']):.1f}x, "
          f"cell click {ratio(col(cell, 'rpcClick'), c['click']):.1f}x, "
          f"arrow {ratio(col(arrow, 'rpcClick'), c['arrow']):.1f}x, "
          f"draft {ratio(col(cell, 'rpcDraft'), c['draft']):.1f}x")
    print(f"  cell core DOM / app.status round trip: "
          f"{ratio(col(cell, 'core'), b['status']):.1f}x; "
          f"arrow DOM / app.status: {ratio(col(arrow, 'dom'), b['status']):.1f}x")
    print(f"\n  ({time.perf_counter() - t_start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
