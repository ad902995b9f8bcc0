// One tab at a time, the heartbeat's rules (web/boot/lock.js) with a shared fake storage and
// clock: two tabs of the same browser profile.
import test from "node:test";
import assert from "node:assert/strict";
import * as TabLock from "../../web/boot/lock.js";

function profile() {
  const data = new Map();
  const storage = {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
  const clock = { now: 1_000_000 };
  const tab = (id) => TabLock.heartbeat(storage, () => clock.now, id);
  return { storage, clock, tab, data };
}

test("the first tab gets it; a second one does not while the first beats", () => {
  const { tab, clock } = profile();
  const a = tab("a");
  const b = tab("b");
  assert.equal(a.acquire(), true);
  for (let i = 0; i < 10; i++) {
    clock.now += TabLock.BEAT_MS;
    assert.equal(a.beat(), true);
    assert.equal(b.acquire(), false);
  }
});

test("a heartbeat older than STALE_MS is stale: the other tab may claim, the first then stops", () => {
  const { tab, clock } = profile();
  const a = tab("a");
  const b = tab("b");
  a.acquire();
  clock.now += TabLock.STALE_MS - 1;
  assert.equal(b.acquire(), false); // just fresh
  clock.now += 1;
  assert.equal(b.acquire(), true); // a stopped beating (crash, frozen tab)
  assert.equal(a.lost(), true);
  assert.equal(a.beat(), false); // a wakes up: it must stop, not claim back
  assert.equal(b.lost(), false);
});

test("a heartbeat from the future (clock changed) is judged by distance, not sign", () => {
  const { tab, clock } = profile();
  tab("a").acquire();
  clock.now -= TabLock.STALE_MS + 5;
  assert.equal(tab("b").acquire(), true);
});

test("take-over waits until the active tab hands over", () => {
  const { tab, clock, storage } = profile();
  const a = tab("a");
  const b = tab("b");
  a.acquire();
  b.askTakeOver();
  assert.equal(TabLock.readEntry(storage, TabLock.TAKEOVER_KEY).id, "b");
  const started = clock.now;
  for (let t = 0; t < 3; t++) { // a finishes its work meanwhile, still beating
    clock.now += TabLock.BEAT_MS;
    a.beat();
    assert.equal(b.mayTakeOver(started), false);
  }
  a.release("b"); // after its last save: the heartbeat is b's
  assert.equal(b.mayTakeOver(started), true);
  b.claim();
  assert.equal(a.lost(), true);
  assert.equal(b.beat(), true);
});

test("take-over goes on once the active tab stopped beating, or after TAKEOVER_WAIT_MS", () => {
  const { tab, clock } = profile();
  const a = tab("a");
  const b = tab("b");
  a.acquire();
  const started = clock.now;
  clock.now += TabLock.STALE_MS; // a stopped (closed without pagehide)
  assert.equal(b.mayTakeOver(started), true);

  const c = tab("c");
  b.claim();
  const again = clock.now;
  for (let t = TabLock.BEAT_MS; t <= TabLock.TAKEOVER_WAIT_MS; t += TabLock.BEAT_MS) {
    clock.now = again + t;
    b.beat(); // b hangs in its work but its timer still beats
    assert.equal(c.mayTakeOver(again), false, `at ${t} ms`);
  }
  clock.now = again + TabLock.TAKEOVER_WAIT_MS + 1;
  assert.equal(c.mayTakeOver(again), true);
});

test("release without a successor drops the heartbeat; a tab never drops another's", () => {
  const { tab, data } = profile();
  const a = tab("a");
  a.acquire();
  tab("b").release();
  assert.equal(data.has(TabLock.TAB_KEY), true);
  a.release();
  assert.equal(data.has(TabLock.TAB_KEY), false);
  assert.equal(tab("b").acquire(), true);
});

test("unreadable entries count as absent; a refused storage does not throw", () => {
  const { storage, tab } = profile();
  storage.setItem(TabLock.TAB_KEY, "{not json");
  assert.equal(TabLock.readEntry(storage, TabLock.TAB_KEY), null);
  storage.setItem(TabLock.TAB_KEY, JSON.stringify({ id: 3, ts: "x" }));
  assert.equal(tab("a").acquire(), true);
  const refusing = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); }, removeItem() {} };
  assert.doesNotThrow(() => TabLock.heartbeat(refusing, () => 0, "a").acquire());
});

test("tab ids differ", () => {
  assert.notEqual(TabLock.newTabId(1, 0.123456789), TabLock.newTabId(1, 0.987654321));
  assert.match(TabLock.newTabId(Date.now(), Math.random()), /^[0-9a-z]+-[0-9a-z]{1,8}$/);
});
