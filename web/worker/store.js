/* IndexedDB: the school database survives reloads.
 *
 * The database file is stored in chunks of CHUNK bytes, under `school.sqlite3#000000`,
 * `#000001`…, and a manifest under IDB_KEY ({format: FORMAT, size, chunk, count}). A save
 * writes only the chunks that differ from what is stored (a small change touches 2–3 pages of
 * the file), the manifest, and deletes the chunks past the end when the file shrank, all in
 * ONE readwrite transaction: IndexedDB commits a transaction entirely or not at all, so a
 * reload, a crash or a full disk in the middle leaves the previous file or the new one, never
 * a mix nor an empty store. What is stored is known in memory (`worker.stored`, the bytes of
 * the last save that committed, or read at start-up); after a failed save it is forgotten and
 * the next save rewrites every chunk. Saves run one after the other, in the order they were
 * asked for: the latest always wins.
 *
 * The first format (before chunks: the whole file as one value under IDB_KEY) is still read;
 * the first save then writes the chunks and replaces that value by the manifest, in the same
 * transaction. (A copy of Cartable from before chunks finds a manifest where it expects a file:
 * it shows its damaged-database screen and overwrites nothing.)
 *
 * If the stored file cannot be opened at start-up, the database is "damaged" (damaged.js): the
 * worker keeps the stored bytes untouched (nothing writes IDB_KEY until the user chooses, on
 * the page's damaged-database screen, to open a school file or to start a new school) and can
 * hand them to the page for download.
 */
import { TO_PAGE } from "../shared/protocol.js";
import { worker } from "./state.js";
import { assemble, chunkKey, isManifest, planSave } from "./chunks.js";

export const DB_PATH = "/home/pyodide/cartable.sqlite3";
const IDB_NAME = "cartable"; // all file:// pages share one storage origin: prefix names
const IDB_STORE = "files";
export const IDB_KEY = "school.sqlite3";
// Every chunk key, and only them (the kept-aside copies are "school.sqlite3.illisible-…").
const chunksFrom = (i) => IDBKeyRange.bound(chunkKey(IDB_KEY, i), `${IDB_KEY}#\uffff`);

function idbOpen() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(IDB_NAME, 1); // throws (-> reject) where IndexedDB is missing
    req.onupgradeneeded = () => req.result.createObjectStore(IDB_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}

const done = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

/** The stored school file: {value, chunked} (value undefined when none; chunked: the file
 *  put together from its chunks, a Uint8Array), {unavailable} or {readError}. */
export async function idbReadSchool() {
  let db;
  try {
    db = await idbOpen();
  } catch (e) {
    console.error("Cartable: IndexedDB unavailable", e);
    return { unavailable: e };
  }
  try {
    const store = db.transaction(IDB_STORE, "readonly").objectStore(IDB_STORE);
    // Asked together, in one transaction: the manifest and the chunks it names agree.
    const [value, keys, chunks] = await Promise.all([done(store.get(IDB_KEY)),
      done(store.getAllKeys(chunksFrom(0))), done(store.getAll(chunksFrom(0)))]);
    if (!isManifest(value)) return { value, chunked: false };
    return { value: assemble(IDB_KEY, value, keys, chunks), chunked: true };
  } catch (e) {
    console.error("Cartable: the stored school file could not be read", e);
    return { readError: e };
  } finally {
    db.close();
  }
}

/** In ONE readwrite transaction, all of it or nothing: delete the key ranges `deletions`,
 *  then put the [key, value] pairs `entries`. */
async function idbWrite(entries, deletions = []) {
  const db = await idbOpen();
  try {
    if (worker.stopped) return; // another tab took over meanwhile ("stop" with `now`)
    await new Promise((resolve, reject) => {
      const tx = db.transaction(IDB_STORE, "readwrite", { durability: "strict" });
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error || new DOMException("transaction aborted", "AbortError"));
      try {
        const store = tx.objectStore(IDB_STORE);
        for (const range of deletions) store.delete(range);
        for (const [key, value] of entries) store.put(value, key);
      } catch (e) { // e.g. QuotaExceededError, DataCloneError thrown by put()
        try { tx.abort(); } catch (_) { /* already finished */ }
        reject(e);
      }
    });
  } finally {
    db.close();
  }
}

/** The bytes of a stored value, or null if it is not a file (then `unreadable` is its text). */
export async function storedBytes(value) {
  if (value instanceof Uint8Array) return { bytes: value };
  if (value instanceof ArrayBuffer) return { bytes: new Uint8Array(value) };
  if (ArrayBuffer.isView(value)) {
    return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  }
  if (typeof Blob !== "undefined" && value instanceof Blob) {
    return { bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  let text;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value);
  } catch (e) {
    text = String(value);
  }
  return { bytes: null, unreadable: new TextEncoder().encode(String(text)) };
}

export function localDate() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Save the database file now (after the saves already asked, each with the bytes of the
 *  moment it was asked for); resolves true when it was written. */
export function persist() {
  if (worker.damaged) return worker.saving; // never write over the unreadable file before the user chose
  if (worker.stopped) return worker.saving; // another tab has the school now
  const bytes = worker.pyodide.FS.readFile(DB_PATH);
  worker.saving = worker.saving.then(() => save(bytes));
  return worker.saving;
}

async function save(bytes) {
  if (worker.stopped) return false; // asked before a "stop" with `now`: dropped
  const { entries, deleteFrom, written } = planSave(IDB_KEY, bytes, worker.stored);
  const deletions = deleteFrom === null ? [] : [chunksFrom(deleteFrom)];
  if (worker.pendingBackup) entries.push(worker.pendingBackup);
  try {
    await idbWrite(entries, deletions);
  } catch (e) {
    console.error("Cartable: could not save the database in IndexedDB", e);
    worker.stored = null; // unknown now: the next save rewrites every chunk
    worker.persistFailed = true;
    self.postMessage({ type: TO_PAGE.PERSIST_ERROR, message: persistMessage(e),
                       detail: String(e && e.stack || e) });
    return false;
  }
  if (!worker.stopped) worker.stored = bytes;
  worker.lastSave = { chunks: written, size: bytes.length }; // for tests and bench/livret.py
  worker.pendingBackup = null;
  if (worker.persistFailed) {
    worker.persistFailed = false;
    self.postMessage({ type: TO_PAGE.PERSIST_OK });
  }
  return true;
}

function persistMessage(e) {
  const name = e && e.name;
  let why, advice;
  if (name === "QuotaExceededError") {
    why = "l'espace de stockage du navigateur est plein";
    advice = "puis libérez de l'espace sur le disque.";
  } else if (typeof indexedDB === "undefined" || ["InvalidStateError", "SecurityError",
    "NotAllowedError", "UnknownError"].includes(name)) {
    why = "le stockage du navigateur est indisponible, par exemple en navigation privée";
    advice = "puis ouvrez Cartable dans une fenêtre normale (pas en navigation privée).";
  } else {
    why = "le stockage du navigateur a refusé l'écriture";
    advice = "puis vérifiez l'espace disque disponible et rechargez la page.";
  }
  return "Les dernières modifications n'ont pas pu être enregistrées dans ce navigateur (" +
    why + "). Elles sont encore dans cette page : téléchargez le fichier de l'école et " +
    "gardez-le (clé USB, disque) avant de fermer la page, " + advice;
}
