/* One tab at a time, in the browser (the names, delays and heartbeat rules: boot/lock.js).
 *
 * A first tab gets the Web Lock at once (ifAvailable); a reload waits up to RELOAD_WAIT_MS for
 * its previous page to let go. A tab opened while Cartable is active elsewhere runs no
 * Python (boot/main.js started its worker before this check; it is stopped): data-state is
 * "other-tab" and a French screen (#boot-other-tab, data-reason="other") offers "Utiliser
 * Cartable dans cet onglet". Taking over: the new tab writes TAKEOVER_KEY (a `storage` event in
 * the active tab) and waits for the lock (or for the heartbeat to be
 * handed to it, or to go stale). The active tab shows the same screen with data-reason="taken"
 * ("Reprendre ici" takes over again and reloads), tells its worker to stop — the worker first
 * finishes the commands and saves already asked, then refuses commands and writes nothing more
 * — and only then lets go. An active tab that does not answer within TAKEOVER_WAIT_MS loses its
 * lock anyway (steal) and stops writing at once. In the deactivated tab, Cartable.call rejects
 * (.code "other-tab"); the draft in localStorage is left alone. <html data-tabs> says which
 * mechanism is used: "locks" or "heartbeat" (see docs/SECURITY.md §7).
 */
import { Boot } from "./state.js";
import * as BootLink from "./link.js";
import * as TabLock from "./lock.js";
import * as BootTabScreen from "./tab_screen.js";
import { TO_WORKER } from "../shared/protocol.js";

const { root, $ } = Boot;
const L = TabLock;
const tabId = L.newTabId(Date.now(), Math.random());
const OTHER_TAB = "Cartable est utilisé dans un autre onglet : cet onglet est désactivé. " +
  "Fermez-le, ou cliquez sur «\u00a0Reprendre ici\u00a0».";
let guard = null;
let active = false; // this tab runs Cartable

function otherTabError() {
  const err = new Error(OTHER_TAB);
  err.code = "other-tab";
  return err;
}

/** Web Locks: this tab is active while it holds LOCK_NAME. */
function lockGuard(onLost) {
  let release = null;
  // Resolves true once the lock is held (until release()), false if not granted.
  const request = (options) => new Promise((resolve) => {
    let granted = false;
    navigator.locks.request(L.LOCK_NAME, options, (lock) => {
      if (!lock) return resolve(false); // ifAvailable, and another tab holds it
      granted = true;
      resolve(true);
      return new Promise((r) => { release = r; });
    }).catch((e) => {
      if (!granted) {
        if (e.name !== "AbortError") console.error("Cartable: lock", e);
        resolve(false);
      } else if (release) { // stolen by a tab that waited too long
        release = null;
        onLost();
      }
    });
  });
  const waitFor = async (ms) => {
    const abort = new AbortController();
    const t = setTimeout(() => abort.abort(), ms);
    const ok = await request({ signal: abort.signal });
    clearTimeout(t);
    return ok;
  };
  return {
    kind: "locks",
    async acquire() { return await request({ ifAvailable: true }) || waitFor(L.RELOAD_WAIT_MS); },
    async takeOver() {
      L.writeEntry(localStorage, L.TAKEOVER_KEY, tabId, Date.now());
      if (!await waitFor(L.TAKEOVER_WAIT_MS)) await request({ steal: true });
    },
    release() {
      const r = release;
      release = null;
      if (r) r();
    },
  };
}

/** localStorage heartbeat: this tab is active while TAB_KEY holds its id, kept fresh. */
function heartbeatGuard(onLost) {
  const hb = L.heartbeat(localStorage, Date.now, tabId);
  let beat = null;
  const stopBeating = () => { clearInterval(beat); beat = null; };
  const lost = () => { stopBeating(); onLost(); };
  const start = () => {
    clearInterval(beat);
    beat = setInterval(() => { if (!hb.beat()) lost(); }, L.BEAT_MS);
  };
  window.addEventListener("storage", (ev) => {
    if (ev.key === L.TAB_KEY && beat && hb.lost()) lost(); // the last writer wins
  });
  window.addEventListener("pagehide", () => { // a reload must not find its own heartbeat
    if (beat) hb.release();
  });
  return {
    kind: "heartbeat",
    acquire() {
      const ok = hb.acquire();
      if (ok) start();
      return ok;
    },
    takeOver() {
      hb.askTakeOver();
      const started = Date.now();
      return new Promise((resolve) => {
        const poll = setInterval(() => {
          if (!hb.mayTakeOver(started)) return;
          clearInterval(poll);
          hb.claim();
          start();
          resolve();
        }, 150);
      });
    },
    release(nextId) {
      stopBeating();
      hb.release(nextId);
    },
  };
}

async function chooseGuard(onLost) {
  try {
    if (navigator.locks && typeof navigator.locks.request === "function") {
      await navigator.locks.query(); // throws where the page's origin may not use locks
      return lockGuard(onLost);
    }
  } catch (e) {
    console.warn("Cartable: Web Locks unavailable, using a heartbeat", e);
  }
  return heartbeatGuard(onLost);
}

/** Stop being the active tab: `stolen` when the lock is already gone (stop writing at once),
 * otherwise finish the work already asked, then let `nextId` go on. */
async function deactivate(stolen, nextId) {
  if (!active) {
    // Deactivated already (a takeover was asked), and the lock or heartbeat is gone before the
    // worker answered (it is busy): from now on it must write nothing at all.
    if (stolen && Boot.deactivated && Boot.worker && !Boot.failed) {
      BootLink.request(TO_WORKER.STOP, { now: true })
        .catch((e) => console.error("Cartable: stopping the worker", e));
    }
    return;
  }
  active = false;
  Boot.deactivated = true;
  clearTimeout(Boot.timer);
  showScreen("taken");
  try {
    if (Boot.worker && !Boot.failed) await BootLink.request(TO_WORKER.STOP, { now: stolen });
  } catch (e) {
    console.error("Cartable: stopping the worker", e);
  } finally {
    if (!stolen) guard.release(nextId);
  }
}

// The active tab: another one asks to take over.
window.addEventListener("storage", (ev) => {
  if (ev.key !== L.TAKEOVER_KEY || !active || !ev.newValue) return;
  const e = L.readEntry(localStorage, L.TAKEOVER_KEY);
  if (e && e.id !== tabId) deactivate(false, e.id);
});

// A page restored from the back-forward cache checks again, like a new page.
window.addEventListener("pageshow", (ev) => { if (ev.persisted) location.reload(); });

/** Decide whether this tab runs Cartable; then `start()` it, or show the "other" screen. */
async function begin(start) {
  let ok = true;
  performance.mark("cartable:tab-check"); // e2e/test_tabs.py: how long the check itself took
  try {
    guard = await chooseGuard(() => deactivate(true));
    root.dataset.tabs = guard.kind;
    ok = await guard.acquire();
    performance.mark("cartable:tab");
  } catch (e) {
    console.error("Cartable: the one-tab check failed", e);
    ok = true; // better a working Cartable than none
  }
  if (ok) {
    active = true;
    start();
  } else {
    clearTimeout(Boot.timer);
    BootLink.stopWorker(); // started again by `start` if this tab takes over
    showScreen("other", start);
  }
}

/** The "other-tab" screen: `reason` "other" (another tab is active) or "taken" (this tab
 * was active until another one took over). */
function showScreen(reason, start) {
  for (const id of ["boot-other-tab", "boot-recovery"]) if ($(id)) $(id).remove();
  $("boot").hidden = true;
  $("boot-error").hidden = true;
  $("app").hidden = true;
  root.dataset.state = "other-tab";
  const screen = BootTabScreen.build(reason, Boot.persistError);
  screen.go.addEventListener("click", () => {
    screen.go.disabled = true;
    screen.status.textContent = "Fermeture de Cartable dans l'autre onglet…";
    guard.takeOver().then(() => {
      if (reason === "taken") { // this page's copy is out of date: start again from the saved database
        guard.release();
        screen.status.textContent = "Rechargement…";
        location.reload();
        setTimeout(() => { screen.go.disabled = false; screen.status.textContent = ""; }, 3000);
      } else {
        screen.node.remove();
        active = true;
        $("boot").hidden = false;
        $("app").hidden = false;
        start();
      }
    });
  });
  document.body.insertBefore(screen.node, $("app"));
  screen.go.focus();
}

export { begin, otherTabError, OTHER_TAB };
