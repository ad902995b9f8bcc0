// Debian's firefox-esr started as a user has it, driven by puppeteer-core over WebDriver BiDi.
//
// Why not puppeteer.launch(): it writes ~80 automation prefs into the profile, among them
// security.fileuri.strict_origin_policy=false, which makes every file:// page one origin and
// hides the real behaviour (Firefox keys file:// storage by the exact path of index.html).
// Firefox's remote agent applies similar "recommended" prefs unless remote.prefs.recommended is
// false. So: a fresh profile whose user.js holds only that pref and the download prefs, Firefox
// started here, and puppeteer.connect() to the BiDi endpoint it prints.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

export const FIREFOX = process.env.CARTABLE_FIREFOX || "/usr/bin/firefox-esr";
export const ALLOWED_SCHEMES = ["file:", "blob:", "data:"];

function userJs(downloadDir) {
  const prefs = {
    "remote.prefs.recommended": false,
    "browser.download.folderList": 2,
    "browser.download.dir": downloadDir,
    "browser.download.useDownloadDir": true,
    "browser.download.always_ask_before_handling_new_types": false,
    "browser.download.start_downloads_in_tmp_dir": false,
  };
  return Object.entries(prefs)
    .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join("\n") + "\n";
}

/** Start Firefox on a new profile; resolves to {browser, downloadDir, close()}. */
export async function startFirefox({ workDir, timeoutMs = 60000 } = {}) {
  if (!existsSync(FIREFOX)) {
    throw new Error(`${FIREFOX} is missing: run .ci/setup (apt-get install firefox-esr)`);
  }
  const base = workDir || mkdtempSync(join(tmpdir(), "cartable-ff-"));
  const tag = `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  const profile = join(base, `profile-${tag}`);
  const downloadDir = join(base, `downloads-${tag}`); // kept after close() when workDir is given
  mkdirSync(profile, { recursive: true });
  mkdirSync(downloadDir, { recursive: true });
  writeFileSync(join(profile, "user.js"), userJs(downloadDir));
  const proc = spawn(FIREFOX, ["--headless", "--no-remote", "--profile", profile,
    "--remote-debugging-port=0"], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const ws = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no BiDi endpoint after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`firefox exited (${code}):\n${output}`)); });
  });
  const browser = await puppeteer.connect({ browserWSEndpoint: ws + "/session", protocol: "webDriverBiDi" });
  const close = async () => {
    try { await browser.close(); } catch { /* already gone */ }
    try { process.kill(-proc.pid, "SIGKILL"); } catch { /* already gone */ }
    if (!workDir) rmSync(base, { recursive: true, force: true });
    else rmSync(profile, { recursive: true, force: true });
  };
  return { browser, downloadDir, close };
}

/** A new page that records every request URL (page.requests) and console errors. */
export async function newPage(browser) {
  const page = await browser.newPage();
  page.requests = [];
  page.on("request", (r) => page.requests.push(r.url()));
  page.on("console", (m) => { if (m.type() === "error") process.stderr.write(`[console] ${m.text()}\n`); });
  return page;
}

export function badRequests(page) {
  return [...new Set(page.requests.filter((u) => !ALLOWED_SCHEMES.some((s) => u.startsWith(s))))];
}

/** Wait for <html data-state> to be one of `states`; returns it. */
export async function waitState(page, states = ["ready", "error"], timeout = 60000) {
  const sel = states.map((s) => `html[data-state="${s}"]`).join(", ");
  await page.waitForSelector(sel, { timeout });
  return page.evaluate(() => document.documentElement.dataset.state);
}

/** Seconds from navigation start to the app's "cartable:ready" mark. */
export function readySeconds(page) {
  return page.evaluate(() => performance.getEntriesByName("cartable:ready")[0].startTime / 1000);
}

/** Wait for a finished download in `dir` whose name is not in `before`; returns its path. */
export async function waitDownload(dir, before, timeout = 30000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    const done = readdirSync(dir).filter((n) => !before.includes(n) && !n.endsWith(".part"));
    if (done.length && statSync(join(dir, done[0])).size > 0) {
      await new Promise((r) => setTimeout(r, 200));
      const again = readdirSync(dir).filter((n) => !before.includes(n) && !n.endsWith(".part"));
      if (again.length) return join(dir, again[0]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no download in ${dir} after ${timeout} ms`);
}
