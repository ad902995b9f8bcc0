/* Cartable worker: runs Pyodide and the Python core, off the page's main thread.
 *
 * boot.js creates this classic worker from a Blob URL (a page opened from file:// may not
 * start a worker from a file, nor fetch files). The page loads the embedded assets
 * (assets/NAME.js, gzip + base64) with <script> tags and posts them here; a wrapped fetch()
 * serves them to Pyodide by file name, waiting for those that have not arrived yet.
 *
 * Messages from the page:  {type: "init", config} | {type: "asset", name, b64}
 *                          | {type: "call", id, command, payload} | {type: "pandas"}
 *                          | {type: "recover", id, action: "download"|"open"|"new", data}
 *                          | {type: "rescue", id} | {type: "stop", id, now}
 * Messages to the page:    {type: "progress", step, label} | {type: "ready"}
 *                          | {type: "error", message, detail} | {type: "want", name}
 *                          | {type: "result", id, ok, result, error, code, detail}
 *                          | {type: "pandas-ready"} | {type: "pandas-error", message}
 *                          | {type: "persist-error", message, detail} | {type: "persist-ok"}
 *                          | {type: "recovery", reason, detail, size} | {type: "mark", what, at}
 *
 * "recover" and "rescue" answer with a "result" like "call" (result: {filename, data} for
 * downloads); a successful "recover" open/new is followed by "ready".
 *
 * "stop" (another tab takes over, see boot.js): from then on every "call" is refused; the
 * calls received before it still run and are saved, then nothing is ever written to IndexedDB
 * again, and only then the "result" of "stop" is sent (the other tab may read IndexedDB from
 * then on). With `now` (the other tab did not wait), nothing more is written at all.
 */
"use strict";

const DB_PATH = "/home/pyodide/cartable.sqlite3";
const IDB_NAME = "cartable"; // all file:// pages share one storage origin: prefix names
const IDB_STORE = "files";
const IDB_KEY = "school.sqlite3";

let config = null;
let pyodide = null;
let bridgeCall = null;

// -- embedded assets ------------------------------------------------------------------------

const slots = new Map(); // name -> {promise, resolve, requested}

function slot(name) {
  let s = slots.get(name);
  if (!s) {
    s = { requested: false };
    s.promise = new Promise((resolve) => { s.resolve = resolve; });
    slots.set(name, s);
  }
  return s;
}

function base64ToBytes(b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes) {
  if (bytes.toBase64) return bytes.toBase64();
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** The bytes of embedded file `name` (asks the page to load it if needed). */
async function assetBytes(name) {
  const s = slot(name);
  if (!s.requested) {
    s.requested = true;
    self.postMessage({ type: "want", name });
  }
  const b64 = await s.promise;
  try {
    const stream = new Blob([base64ToBytes(b64)]).stream()
      .pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    // Pyodide would hang on a failed fetch: say so at once.
    self.postMessage({ type: "error", message: `Le fichier assets/${name}.js est abîmé.`,
                       detail: String(e && e.stack || e) });
    throw e;
  }
}

async function assetText(name) {
  return new TextDecoder().decode(await assetBytes(name));
}

function contentType(name) {
  if (name.endsWith(".wasm")) return "application/wasm";
  if (name.endsWith(".json")) return "application/json";
  if (name.endsWith(".js")) return "text/javascript";
  return "application/octet-stream";
}

// Serve embedded files by their base name; anything else goes to the real fetch, which the
// Content-Security-Policy refuses (there must be no such request).
const realFetch = self.fetch.bind(self);
self.fetch = async function (input, init) {
  const url = typeof input === "string" ? input : (input && input.url) || String(input);
  const name = url.split(/[?#]/)[0].split("/").pop();
  if (config && config.files.some((f) => f.name === name)) {
    const bytes = await assetBytes(name);
    return new Response(bytes, { headers: { "Content-Type": contentType(name) } });
  }
  return realFetch(input, init);
};

// -- IndexedDB: the school database survives reloads ----------------------------------------
//
// Every save is ONE transaction writing the whole database file under IDB_KEY: IndexedDB
// commits a transaction entirely or not at all, so a reload, a crash or a full disk in the
// middle leaves the previous file or the new one, never a mix nor an empty store. Saves run
// one after the other, in the order they were asked for: the latest always wins.
//
// If the stored file cannot be opened at start-up, the worker enters "recovery": it keeps the
// stored bytes untouched (nothing writes IDB_KEY until the user chooses, on the page's
// recovery screen, to open a school file or to start a new school) and can hand them to the
// page for download.

function idbOpen() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(IDB_NAME, 1); // throws (-> reject) where IndexedDB is missing
    req.onupgradeneeded = () => req.result.createObjectStore(IDB_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}

/** The stored school file: {value} (undefined when none), {unavailable} or {readError}. */
async function idbReadSchool() {
  let db;
  try {
    db = await idbOpen();
  } catch (e) {
    console.error("Cartable: IndexedDB unavailable", e);
    return { unavailable: e };
  }
  try {
    const value = await new Promise((resolve, reject) => {
      const req = db.transaction(IDB_STORE, "readonly").objectStore(IDB_STORE).get(IDB_KEY);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return { value };
  } catch (e) {
    console.error("Cartable: the stored school file could not be read", e);
    return { readError: e };
  } finally {
    db.close();
  }
}

/** Write [key, value] pairs in ONE readwrite transaction: all of them or none. */
async function idbWrite(entries) {
  const db = await idbOpen();
  try {
    if (stopped) return; // another tab took over meanwhile ("stop" with `now`)
    await new Promise((resolve, reject) => {
      const tx = db.transaction(IDB_STORE, "readwrite", { durability: "strict" });
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error || new DOMException("transaction aborted", "AbortError"));
      try {
        const store = tx.objectStore(IDB_STORE);
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

/** The bytes of a stored value, or null if it is not a file (then `rescue` is what it is). */
async function storedBytes(value) {
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
  return { bytes: null, rescue: new TextEncoder().encode(String(text)) };
}

function localDate() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

let persistFailed = false; // the last save failed: the page shows a warning until one succeeds
let pendingBackup = null;  // [key, bytes] of unreadable data to keep, written with the next save
let recovery = null;       // {bytes} while the stored file cannot be opened (see above)
let refuseCalls = false;   // another tab is taking over: no new command runs
let stopped = false;       // another tab took over: nothing is written to IndexedDB any more

// Saves run one after the other, each with the bytes of the moment it was asked for.
let saving = Promise.resolve(true);
function persist() {
  if (recovery) return saving; // never write over the unreadable file before the user chose
  if (stopped) return saving; // another tab has the school now
  const bytes = pyodide.FS.readFile(DB_PATH);
  saving = saving.then(() => save(bytes));
  return saving;
}

async function save(bytes) {
  if (stopped) return false; // asked before a "stop" with `now`: dropped
  const entries = [[IDB_KEY, bytes]];
  if (pendingBackup) entries.push(pendingBackup);
  try {
    await idbWrite(entries);
  } catch (e) {
    console.error("Cartable: could not save the database in IndexedDB", e);
    persistFailed = true;
    self.postMessage({ type: "persist-error", message: persistMessage(e),
                       detail: String(e && e.stack || e) });
    return false;
  }
  pendingBackup = null;
  if (persistFailed) {
    persistFailed = false;
    self.postMessage({ type: "persist-ok" });
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

// -- Python tasks run one at a time, in order ------------------------------------------------

let queue = Promise.resolve();
function enqueue(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

function toWire(value) {
  if (value instanceof Uint8Array) return { __bytes__: bytesToBase64(value) };
  if (value instanceof ArrayBuffer) return toWire(new Uint8Array(value));
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toWire(v);
    return out;
  }
  return value;
}

function fromWire(value, transfer) {
  if (Array.isArray(value)) return value.map((v) => fromWire(v, transfer));
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "__bytes__") {
      const bytes = base64ToBytes(value.__bytes__);
      transfer.push(bytes.buffer);
      return bytes;
    }
    const out = {};
    for (const k of keys) out[k] = fromWire(value[k], transfer);
    return out;
  }
  return value;
}

function call(id, command, payload) {
  if (refuseCalls) {
    self.postMessage({ type: "result", id, ok: false, code: "other-tab",
      error: "Cartable est utilisé dans un autre onglet : cet onglet est désactivé. " +
        "Fermez-le, ou cliquez sur «\u00a0Reprendre ici\u00a0»." });
    return Promise.resolve();
  }
  return enqueue(async () => {
    let reply;
    try {
      reply = JSON.parse(await bridgeCall(command, JSON.stringify(toWire(payload ?? {}))));
    } catch (e) {
      reply = { ok: false, error: "Erreur interne : " + e.message, detail: String(e.stack || e) };
    }
    if (reply.ok && reply.changed) await persist(); // saved before the page hears "done"
    const transfer = [];
    const result = reply.ok ? fromWire(reply.result, transfer) : undefined;
    self.postMessage({ type: "result", id, ok: reply.ok, result, error: reply.error,
                       code: reply.code, detail: reply.detail, changed: !!reply.changed },
                     transfer);
  });
}

/** Run `task` in the queue and answer like a call; `ready` after a successful recovery. */
function control(id, task, ready) {
  enqueue(async () => {
    let reply;
    try {
      reply = { ok: true, result: await task() };
    } catch (e) {
      reply = { ok: false, error: e.message, detail: String(e && e.stack || e) };
    }
    const data = reply.ok && reply.result && reply.result.data;
    const transfer = data instanceof Uint8Array ? [data.buffer] : []; // fresh copies
    self.postMessage({ type: "result", id, ok: reply.ok, result: reply.result,
                       error: reply.error, detail: reply.detail }, transfer);
    if (ready && reply.ok) self.postMessage({ type: "ready" });
  });
}

/** The database file as it is now, for the page to download when the browser cannot keep it.
 * Not limited to the director (unlike school.file_bytes): the bytes are this computer's own
 * copy, that the browser would have stored in its profile anyway (docs/SECURITY.md). */
async function rescue() {
  if (!persistFailed) {
    throw new Error("L'enregistrement dans le navigateur fonctionne : enregistrez le fichier " +
      "de l'école depuis le menu « Fichier de l'école ».");
  }
  return { filename: `ecole-cartable-${localDate()}.sqlite3`,
           data: pyodide.FS.readFile(DB_PATH) };
}

// -- pandas, loaded in the background (importing it takes seconds) --------------------------

let pandasPromise = null;
function loadPandas() {
  if (!pandasPromise) {
    pandasPromise = (async () => {
      await pyodide.loadPackage(config.laterPackages, { messageCallback: () => {} });
      // Separate steps so that user commands can run in between.
      for (const mod of ["numpy", "dateutil", "pytz", "pandas"]) {
        await enqueue(() => pyodide.runPython(`import ${mod}`));
      }
    })();
    pandasPromise.then(
      () => self.postMessage({ type: "pandas-ready" }),
      (e) => {
        console.error("Cartable: pandas failed to load", e);
        self.postMessage({ type: "pandas-error", message: String(e && e.message || e) });
      },
    );
  }
  return pandasPromise;
}

// -- start-up ------------------------------------------------------------------------------

function progress(step, label) {
  self.postMessage({ type: "progress", step, label });
  mark(step);
}

// Start-up timings, for the console (`?trace` in the page URL) and bench/startup.py.
function mark(what) {
  self.postMessage({ type: "mark", what, at: performance.timeOrigin + performance.now() });
}

function importText(text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
  try {
    importScripts(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

let bridge = null;

async function boot() {
  const saved = idbReadSchool();
  progress("python", "Démarrage de Python…");
  // pyodide.asm.js first: pyodide.js would otherwise try import(), refused from file://.
  const [asm, loader] = await Promise.all([assetText("pyodide.asm.js"), assetText("pyodide.js")]);
  importText(asm);
  importText(loader);
  mark("loader");
  // Ask for the start-up wheels now, so that they are read and decoded while Pyodide boots.
  const wheels = config.wheels.map((name) => {
    const bytes = assetBytes(name);
    bytes.catch(() => {}); // reported by assetBytes; awaited (and thrown) below
    return bytes;
  });
  // indexURL is the folder's own assets/ URL: never fetched for real, the wrapped fetch
  // serves every file Pyodide asks for by its name.
  pyodide = await loadPyodide({ indexURL: config.indexURL, fullStdLib: false });

  // Start-up wheels (sqlite3, the app, defusedxml) are unpacked directly: ~3x faster than
  // loadPackage/micropip; sqlite3's .so is then loaded by `import sqlite3`. The app wheel is
  // thus installed without its dependencies (pandas comes later, see loadPandas).
  progress("packages", "Chargement des modules…");
  const sitePackages = `/lib/python${config.python}/site-packages`;
  for (const bytes of wheels) {
    pyodide.unpackArchive(await bytes, "wheel", { extractDir: sitePackages });
  }
  mark("wheels");

  progress("database", "Ouverture de la base de l'école…");
  const stored = await saved;
  mark("idb-read");
  bridge = pyodide.pyimport("cartable.bridge");
  mark("bridge-import");
  if (stored.readError) {
    enterRecovery(null, "Le navigateur n'arrive pas à les lire.", String(stored.readError));
    return;
  }
  let bytes = null;
  if (stored.value !== undefined) {
    const found = await storedBytes(stored.value);
    if (!found.bytes) {
      enterRecovery(found.rescue, "Ce n'est pas un fichier d'école.", typeof stored.value);
      return;
    }
    bytes = found.bytes;
    pyodide.FS.writeFile(DB_PATH, bytes);
  }
  const opened = JSON.parse(bridge.try_open(DB_PATH));
  mark("bridge-open");
  if (!opened.ok) {
    if (bytes) {
      enterRecovery(bytes, opened.error, opened.detail || "");
    } else {
      self.postMessage({ type: "error", message: "La base de l'école n'a pas pu être créée : " +
        opened.error, detail: opened.detail || "" });
    }
    return;
  }
  bridgeCall = bridge.call;
  if (!bytes) persist(); // a new school: keep it from the start (not awaited)
  self.postMessage({ type: "ready" });
}

// -- recovery: the stored school file cannot be opened ---------------------------------------

function enterRecovery(bytes, reason, detail) {
  recovery = { bytes };
  self.postMessage({ type: "recovery", reason, detail, size: bytes ? bytes.length : null });
}

function removeDbFiles() {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    try { pyodide.FS.unlink(DB_PATH + suffix); } catch (e) { /* not there */ }
  }
}

/** Open `data` (a school file, checked first) or, with data null, a new empty school. */
async function recover(action, data) {
  if (!recovery) throw new Error("Cartable n'est pas en mode récupération.");
  if (action === "download") {
    if (!recovery.bytes) {
      throw new Error("Ces données ne peuvent pas être lues par le navigateur : il n'y a rien " +
        "à télécharger.");
    }
    return { filename: `cartable-donnees-illisibles-${localDate()}.sqlite3`,
             data: recovery.bytes.slice() };
  }
  if (action === "open") {
    if (!(data instanceof Uint8Array)) throw new Error("Aucun fichier reçu.");
    const candidate = DB_PATH + ".candidate";
    pyodide.FS.writeFile(candidate, data);
    const checked = JSON.parse(bridge.check_file(candidate));
    pyodide.FS.unlink(candidate);
    if (!checked.ok) throw new Error(checked.error);
  } else if (action !== "new") {
    throw new Error(`unknown recovery action ${action}`);
  }
  removeDbFiles();
  if (data) pyodide.FS.writeFile(DB_PATH, data);
  const opened = JSON.parse(bridge.try_open(DB_PATH));
  if (!opened.ok) throw new Error(opened.error);
  if (action === "new" && recovery.bytes) {
    // The unreadable data are kept aside (same transaction as the new school).
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    pendingBackup = [`${IDB_KEY}.illisible-${stamp}`, recovery.bytes];
  }
  recovery = null;
  bridgeCall = bridge.call;
  await persist(); // a failure is reported as persist-error, like any later save
  return { opened: action };
}

self.onmessage = (event) => {
  const msg = event.data;
  switch (msg.type) {
    case "init":
      config = msg.config;
      boot().catch((e) => {
        console.error("Cartable: start-up failed", e);
        self.postMessage({
          type: "error",
          message: "Python n'a pas pu démarrer dans ce navigateur.",
          detail: String(e && e.stack || e),
        });
      });
      break;
    case "asset":
      slot(msg.name).resolve(msg.b64);
      break;
    case "call":
      call(msg.id, msg.command, msg.payload);
      break;
    case "pandas":
      loadPandas();
      break;
    case "recover": // from the recovery screen, before "ready"
      control(msg.id, () => recover(msg.action, msg.data), true);
      break;
    case "rescue": // the raw database file, while saving in the browser fails
      control(msg.id, rescue);
      break;
    case "stop": // another tab takes over (see the top of this file)
      refuseCalls = true;
      if (msg.now) stopped = true;
      control(msg.id, async () => {
        await saving;
        stopped = true;
        return { stopped: true };
      });
      break;
  }
};
