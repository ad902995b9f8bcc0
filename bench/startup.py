#!/usr/bin/env python3
"""Start-up time of the offline app, against a bare page that only boots the same Pyodide.

    python3 bench/startup.py [--runs N] [--build] [--pandas] [--firefox] [--compare DIR]

Both pages are opened from file:// in headless Chromium, each run in a new browser context
(cold: empty storage and caches; the OS file cache is warm). "Ready" is the
``cartable:ready`` performance mark, in seconds from navigation start; for the app, the
``cartable:screen`` mark (its first screen shown: the creation screen) is printed too. The bare page is
written to a temporary folder and uses the app's own embedded assets (``dist/cartable/assets``)
and the same loading technique: classic <script> assets, a Blob-URL worker, a wrapped fetch.

With ``--firefox``, the app is also opened in Debian's firefox-esr (``e2e/firefox/ready.mjs``:
a new profile per run, as users have it, driven over WebDriver BiDi), one run interleaved after
each Chromium round; its median is printed beside Chromium's (not part of the goals).

With ``--compare DIR`` (another built folder, e.g. an older commit's ``dist/cartable``), that
app is opened too, interleaved in the same rounds, and its ratio to bare Pyodide printed beside
this one's: a before/after comparison that the machine's load affects alike.

Goals: app median <= 3.0 s and <= 1.25 x the bare median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import DIST, ROOT, ensure_built, launch, new_context
from browser import wait_state

GOAL_SECONDS, GOAL_RATIO = 3.0, 1.25

BARE_HTML = """<!DOCTYPE html>
<html lang="fr" data-state="loading"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' blob:
 'wasm-unsafe-eval'; worker-src blob:">
<title>Pyodide nu</title></head><body>
<script src="assets/config.js"></script><script src="bare.js"></script></body></html>
"""

# Only Pyodide: the same core files, decoded the same way, nothing else.
BARE_JS = r"""
(function () {
  const CORE = ["pyodide.asm.js", "pyodide.js", "pyodide-lock.json", "pyodide.asm.wasm",
                "python_stdlib.zip"];
  const workerSource = `
    const slots = {};
    const slot = (n) => slots[n] ||= (() => { let r; const p = new Promise((x) => r = x);
                                               return { p, r }; })();
    async function bytes(name) {
      const b64 = await slot(name).p;
      const gz = Uint8Array.fromBase64 ? Uint8Array.fromBase64(b64)
        : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const s = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Uint8Array(await new Response(s).arrayBuffer());
    }
    const type = (n) => n.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
    self.fetch = async (url) => {
      const name = String(url.url || url).split("/").pop();
      return new Response(await bytes(name), { headers: { "Content-Type": type(name) } });
    };
    const run = async (name) => { const t = new TextDecoder().decode(await bytes(name));
      const u = URL.createObjectURL(new Blob([t], { type: "text/javascript" }));
      importScripts(u); };
    self.onmessage = async (e) => {
      if (e.data.type === "asset") { slot(e.data.name).r(e.data.b64); return; }
      await run("pyodide.asm.js"); await run("pyodide.js");
      const py = await loadPyodide({ indexURL: e.data.indexURL });
      py.runPython("1 + 1");
      self.postMessage("ready");
    };`;
  const worker = new Worker(URL.createObjectURL(new Blob([workerSource])));
  worker.onmessage = () => {
    performance.mark("cartable:ready");
    document.documentElement.dataset.state = "ready";
  };
  worker.postMessage({ type: "start", indexURL: new URL("assets/", location.href).href });
  for (const name of CORE) {
    const file = self.__CARTABLE_CONFIG__.files.find((f) => f.name === name);
    const script = document.createElement("script");
    script.src = file.script;
    script.onload = () => {
      worker.postMessage({ type: "asset", name, b64: self.__EMBED__[name + ".gz"] });
      delete self.__EMBED__[name + ".gz"];
    };
    document.head.appendChild(script);
  }
})();
"""


def measure_pandas(browser, url: str) -> float:
    """Seconds from navigation start to pandas imported (loaded in the background)."""
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(url)
        if wait_state(page, 120_000) != "ready":
            raise SystemExit(f"{url} did not start (data-state=error)")
        page.evaluate("Cartable.whenPandas()")
        return page.evaluate(
            "performance.getEntriesByName('cartable:pandas')[0].startTime") / 1000
    finally:
        context.close()


def measure(browser, url: str, screens: list | None = None, app: bool = False) -> float:
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(url)
        state = wait_state(page, 120_000)
        if state != "ready":
            raise SystemExit(f"{url} did not start (data-state={state})")
        ready = page.evaluate("performance.getEntriesByName('cartable:ready')[0].startTime")
        if screens is not None or app:  # an app: also when its first screen was shown
            page.wait_for_selector(".ecran-creation", timeout=120_000)
        if screens is not None:
            screens.append(page.evaluate(
                "performance.getEntriesByName('cartable:screen')[0].startTime") / 1000)
        return ready / 1000
    finally:
        context.close()


def measure_firefox(url: str) -> float:
    """One cold start of the app in firefox-esr (fresh profile), seconds to ready."""
    node = ROOT / "e2e" / "firefox"
    if not (node.parent / "node_modules" / "puppeteer-core").is_dir():
        raise SystemExit("e2e/node_modules is missing: run .ci/setup")
    out = subprocess.run(["node", str(node / "ready.mjs"), url, "1"], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="cold runs of each page (>= 5)")
    parser.add_argument("--build", action="store_true", help="run build.py first")
    parser.add_argument("--pandas", action="store_true",
                        help="also time the app until pandas is imported (background load)")
    parser.add_argument("--firefox", action="store_true",
                        help="also time the app in firefox-esr (fresh profile per run)")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="another built folder (its index.html), timed in the same rounds")
    args = parser.parse_args()
    ensure_built(args.build)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp)
        (bare / "assets").symlink_to(DIST / "assets", target_is_directory=True)
        (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
        (bare / "bare.js").write_text(BARE_JS, encoding="utf-8")
        pages = {"app": (DIST / "index.html").as_uri(), "bare": (bare / "index.html").as_uri()}
        if args.compare:
            if not (args.compare / "index.html").is_file():
                raise SystemExit(f"{args.compare} has no index.html (a built folder is expected)")
            pages["compare"] = (args.compare.resolve() / "index.html").as_uri()
        times: dict[str, list[float]] = {name: [] for name in pages}
        with sync_playwright() as p:
            browser = launch(p)
            measure(browser, pages["bare"])  # warm the OS file cache, not counted
            firefox: list[float] = []
            screens: list[float] = []
            for _ in range(max(args.runs, 5)):
                for name, url in pages.items():  # interleaved: same conditions for both
                    times[name].append(measure(browser, url, screens if name == "app" else None,
                                               name == "compare"))
                if args.firefox:
                    firefox.append(measure_firefox(pages["app"]))
            pandas = [measure_pandas(browser, pages["app"]) for _ in range(3 * args.pandas)]
            browser.close()

    med = {name: statistics.median(t) for name, t in times.items()}
    ratio = med["app"] / med["bare"]
    print(f"{'page':<6} {'median':>8}  runs (s, navigation start -> Python ready)")
    for name, t in times.items():
        print(f"{name:<6} {med[name]:>7.2f}s  " + " ".join(f"{x:.2f}" for x in t))
    print(f"app, first screen shown (the creation screen): median "
          f"{statistics.median(screens):.2f}s  " + " ".join(f"{x:.2f}" for x in screens))
    if pandas:
        print(f"app, pandas imported (background, starts 1.5 s after ready): median "
              f"{statistics.median(pandas):.2f}s  " + " ".join(f"{x:.2f}" for x in pandas))
    if firefox:
        ff = statistics.median(firefox)
        print(f"app in Firefox ESR: median {ff:.2f}s  " + " ".join(f"{x:.2f}" for x in firefox)
              + f"  (Firefox / Chromium: {ff / med['app']:.2f})")
    if "compare" in med:
        print(f"ratio {args.compare}/bare: {med['compare'] / med['bare']:.2f}; "
              f"app / {args.compare}: {med['app'] / med['compare']:.2f}")
    ok_time, ok_ratio = med["app"] <= GOAL_SECONDS, ratio <= GOAL_RATIO
    print(f"ratio app/bare: {ratio:.2f} (goal <= {GOAL_RATIO}: {'ok' if ok_ratio else 'MISSED'})")
    print(f"app median: {med['app']:.2f} s (goal <= {GOAL_SECONDS} s: "
          f"{'ok' if ok_time else 'MISSED'})")
    return 0 if ok_time and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
