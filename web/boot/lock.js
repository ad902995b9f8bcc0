/* One tab at a time: the names, delays and the heartbeat's decisions (no DOM, no timer:
 * node-testable, tests/js/). boot/tabs.js runs them with the browser's storage and timers.
 *
 * Every tab keeps its own copy of the school database in its worker and saves it whole after
 * each change: with two active tabs, the last save would silently undo the other tab's
 * changes. So only one tab of the browser profile (all file:// pages share one storage) runs
 * Python: the one holding the Web Lock LOCK_NAME or, where Web Locks are missing or refused,
 * the one whose heartbeat in localStorage TAB_KEY ({id, ts}, refreshed every BEAT_MS) is
 * fresh (younger than STALE_MS). A tab taking over writes TAKEOVER_KEY and waits until the
 * heartbeat is handed to it or goes stale (the other tab stopped), at most TAKEOVER_WAIT_MS.
 */
export const LOCK_NAME = "cartable-ecole";
export const TAB_KEY = "cartable.onglet";
export const TAKEOVER_KEY = "cartable.onglet.reprise";
export const BEAT_MS = 2000;
export const STALE_MS = 6000;
export const RELOAD_WAIT_MS = 1000;
export const TAKEOVER_WAIT_MS = 10000;

function newTabId(now, random) {
  return `${now.toString(36)}-${random.toString(36).slice(2, 10)}`;
}

/** {id, ts} stored under `key`, or null (absent, unreadable, or not an entry). */
function readEntry(storage, key) {
  try {
    const e = JSON.parse(storage.getItem(key) || "null");
    return e && typeof e.id === "string" && typeof e.ts === "number" ? e : null;
  } catch (e) {
    return null;
  }
}

function writeEntry(storage, key, id, now) {
  try {
    storage.setItem(key, JSON.stringify({ id, ts: now }));
  } catch (e) { /* storage refused: the guard cannot work, Cartable still does */ }
}

/** Is the heartbeat `entry` recent enough to say that its tab is alive? */
function fresh(entry, now) {
  return !!entry && Math.abs(now - entry.ts) < STALE_MS;
}

/** The heartbeat of tab `tabId` on `storage` (localStorage-like), with `clock()` in ms. */
function heartbeat(storage, clock, tabId) {
  const read = () => readEntry(storage, TAB_KEY);
  const claim = () => writeEntry(storage, TAB_KEY, tabId, clock());
  return {
    claim,
    /** Become the active tab unless another one's heartbeat is fresh. */
    acquire() {
      const e = read();
      if (fresh(e, clock()) && e.id !== tabId) return false;
      claim();
      return true;
    },
    /** Every BEAT_MS while active: false when another tab claimed the heartbeat (ours
     *  looked stale to it): this tab must stop. */
    beat() {
      const e = read();
      if (e && e.id !== tabId) return false;
      claim();
      return true;
    },
    /** Another tab holds the heartbeat now. */
    lost() {
      const e = read();
      return !!e && e.id !== tabId;
    },
    askTakeOver() {
      writeEntry(storage, TAKEOVER_KEY, tabId, clock());
    },
    /** While taking over (since `started`): may this tab go on? Only once the active tab
     *  handed the heartbeat over or stopped beating, or after TAKEOVER_WAIT_MS (it hangs). */
    mayTakeOver(started) {
      const e = read();
      return !fresh(e, clock()) || e.id === tabId || clock() - started > TAKEOVER_WAIT_MS;
    },
    /** Stop being active: hand the heartbeat to `nextId` (the tab taking over), or drop it. */
    release(nextId) {
      const e = read();
      if (!e || e.id !== tabId) return;
      if (nextId) writeEntry(storage, TAB_KEY, nextId, clock());
      else storage.removeItem(TAB_KEY);
    },
  };
}

export { newTabId, readEntry, writeEntry, fresh, heartbeat };
