// The school file in chunks (web/worker/chunks.js): what a save writes, the file read back.
import test from "node:test";
import assert from "node:assert/strict";
import { CHUNK, FORMAT, assemble, chunkKey, planSave, unchanged } from "../../web/worker/chunks.js";

const P = "school.sqlite3";
const file = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed * 13) % 251);
const keysOf = (entries) => entries.map(([k]) => k);
// What IndexedDB would hold after the puts of a plan, from `stored` (a Map).
function apply(stored, { entries, deleteFrom }) {
  if (deleteFrom !== null) {
    for (const k of [...stored.keys()]) if (k.startsWith(`${P}#`) && k >= chunkKey(P, deleteFrom)) stored.delete(k);
  }
  for (const [k, v] of entries) stored.set(k, v);
  return stored;
}
function readBack(stored) {
  const keys = [...stored.keys()].filter((k) => k.startsWith(`${P}#`)).sort();
  return assemble(P, stored.get(P), keys, keys.map((k) => stored.get(k)));
}

test("a first save (nothing known) writes every chunk, the manifest, and clears old chunks", () => {
  const bytes = file(3 * CHUNK + 100);
  const plan = planSave(P, bytes, null);
  assert.equal(plan.written, 4);
  assert.equal(plan.deleteFrom, 0);
  assert.deepEqual(keysOf(plan.entries), [chunkKey(P, 0), chunkKey(P, 1), chunkKey(P, 2), chunkKey(P, 3), P]);
  assert.deepEqual(plan.entries.at(-1)[1], { format: FORMAT, size: bytes.length, chunk: CHUNK, count: 4 });
  assert.equal(plan.entries[3][1].length, 100);
  // copies, each with its own buffer (not views on the whole file)
  assert.equal(plan.entries[1][1].buffer.byteLength, CHUNK);
  assert.deepEqual(readBack(apply(new Map(), plan)), bytes);
});

test("a small change writes only the chunks it touched", () => {
  const before = file(10 * CHUNK);
  const after = before.slice();
  after[2 * CHUNK + 5] ^= 1;
  after[7 * CHUNK] ^= 0xff;
  const plan = planSave(P, after, before);
  assert.equal(plan.written, 2);
  assert.equal(plan.deleteFrom, null);
  assert.deepEqual(keysOf(plan.entries), [chunkKey(P, 2), chunkKey(P, 7), P]);
  const stored = apply(new Map(), planSave(P, before, null));
  assert.deepEqual(readBack(apply(stored, plan)), after);
  assert.equal(planSave(P, after, after).written, 0); // nothing changed: only the manifest
});

test("a file that grows or shrinks: new chunks written, chunks past the end deleted", () => {
  const base = file(5 * CHUNK + 10);
  const stored = apply(new Map(), planSave(P, base, null));
  const grown = new Uint8Array(6 * CHUNK + 3);
  grown.set(base);
  grown.fill(9, base.length);
  const g = planSave(P, grown, base);
  assert.deepEqual(keysOf(g.entries), [chunkKey(P, 5), chunkKey(P, 6), P]); // the partial one too
  assert.deepEqual(readBack(apply(stored, g)), grown);
  const shrunk = grown.slice(0, 2 * CHUNK);
  const s = planSave(P, shrunk, grown);
  assert.equal(s.written, 0);
  assert.equal(s.deleteFrom, 2);
  assert.deepEqual(readBack(apply(stored, s)), shrunk);
  assert.deepEqual([...stored.keys()].filter((k) => k !== P).sort(), [chunkKey(P, 0), chunkKey(P, 1)]);
});

test("unchanged compares bounds and every byte, aligned or not", () => {
  const a = file(CHUNK + 7);
  assert.ok(unchanged(a, a.slice(), 0) && unchanged(a, a.slice(), 1));
  const b = a.slice();
  b[CHUNK + 6] ^= 1; // last byte of the odd-sized last chunk
  assert.ok(unchanged(a, b, 0) && !unchanged(a, b, 1));
  assert.ok(!unchanged(a, a.slice(0, CHUNK + 6), 1)); // same bytes, shorter: changed
  const shifted = new Uint8Array(CHUNK * 2 + 1).subarray(1); // a view at an odd offset
  shifted.set(a.subarray(0, CHUNK));
  assert.ok(unchanged(a.subarray(0, CHUNK), shifted.subarray(0, CHUNK), 0));
});

test("a stored file with a chunk missing, extra or cut short is refused, not guessed", () => {
  const bytes = file(3 * CHUNK + 1);
  const stored = apply(new Map(), planSave(P, bytes, null));
  const keys = [chunkKey(P, 0), chunkKey(P, 1), chunkKey(P, 2), chunkKey(P, 3)];
  const values = keys.map((k) => stored.get(k));
  assert.deepEqual(assemble(P, stored.get(P), keys, values), bytes);
  const without = [0, 1, 3];
  assert.throws(() => assemble(P, stored.get(P), without.map((i) => keys[i]), without.map((i) => values[i])), /chunks/);
  assert.throws(() => assemble(P, stored.get(P), [keys[0], keys[1], keys[3], chunkKey(P, 4)], values), /chunk 2/);
  const cut = values.slice();
  cut[1] = cut[1].slice(1);
  assert.throws(() => assemble(P, stored.get(P), keys, cut), /chunk 1/);
  assert.throws(() => assemble(P, { ...stored.get(P), size: bytes.length + CHUNK }, keys, values), /chunks/);
});
