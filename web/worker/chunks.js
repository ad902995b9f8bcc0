/* The school file in chunks, as store.js keeps it in IndexedDB: which chunks a save writes,
 * and the file put back together from them. No IndexedDB here: node-testable
 * (tests/js/chunks.test.mjs).
 *
 * Chunk i holds bytes [i * CHUNK, (i + 1) * CHUNK) of the file, under `PREFIX#` and i on six
 * digits (keys sort in file order); the manifest {format: FORMAT, size, chunk: CHUNK, count}
 * says how many there are. */
export const CHUNK = 64 * 1024;
export const FORMAT = "cartable-chunks-1";

export const chunkKey = (prefix, i) => `${prefix}#${String(i).padStart(6, "0")}`;

export function isManifest(value) {
  return !!value && typeof value === "object" && value.format === FORMAT;
}

/** Is chunk i of `bytes` the same as chunk i of `previous` (same bounds, same bytes)? */
export function unchanged(bytes, previous, i) {
  const start = i * CHUNK;
  const end = Math.min(bytes.length, start + CHUNK);
  if (Math.min(previous.length, start + CHUNK) !== end) return false;
  const n = end - start;
  if (n % 4 === 0 && (bytes.byteOffset + start) % 4 === 0 &&
      (previous.byteOffset + start) % 4 === 0) { // 4 bytes at a time
    const a = new Int32Array(bytes.buffer, bytes.byteOffset + start, n / 4);
    const b = new Int32Array(previous.buffer, previous.byteOffset + start, n / 4);
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  }
  for (let k = start; k < end; k++) if (bytes[k] !== previous[k]) return false;
  return true;
}

/** What saving `bytes` writes when `previous` is stored (null: unknown, or the first format):
 *  {entries: [[key, value], ...] (the changed chunks, as copies, then the manifest),
 *   deleteFrom: null, or the first chunk index to delete (0: all, before the puts),
 *   written: how many chunks}. */
export function planSave(prefix, bytes, previous) {
  const count = Math.ceil(bytes.length / CHUNK);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (previous && unchanged(bytes, previous, i)) continue;
    // slice, not subarray: IndexedDB would clone (and store) the whole underlying buffer
    entries.push([chunkKey(prefix, i), bytes.slice(i * CHUNK, (i + 1) * CHUNK)]);
  }
  const written = entries.length;
  entries.push([prefix, { format: FORMAT, size: bytes.length, chunk: CHUNK, count }]);
  let deleteFrom = null;
  if (!previous) deleteFrom = 0;
  else if (Math.ceil(previous.length / CHUNK) > count) deleteFrom = count;
  return { entries, deleteFrom, written };
}

/** The file from the stored `chunks` (values in key order) and their `keys`, each checked
 *  against `manifest`: a missing, extra or wrong-sized chunk throws. */
export function assemble(prefix, manifest, keys, chunks) {
  const { size, chunk, count } = manifest;
  if (!Number.isInteger(size) || size < 0 || chunk !== CHUNK ||
      count !== Math.ceil(size / CHUNK) || keys.length !== count || chunks.length !== count) {
    throw new Error(`stored school file: ${keys.length} chunks for ${JSON.stringify(manifest)}`);
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < count; i++) {
    const part = chunks[i];
    const length = Math.min(CHUNK, size - i * CHUNK);
    if (keys[i] !== chunkKey(prefix, i) || !(part instanceof Uint8Array) || part.length !== length) {
      throw new Error(`stored school file: chunk ${i} missing or damaged`);
    }
    out.set(part, i * CHUNK);
  }
  return out;
}
