/* Cartable worker: runs Pyodide and the Python core, off the page's main thread.
 *
 * boot.js creates this classic worker from a Blob URL (a page opened from file:// may not
 * start a worker from a file, nor fetch files). The page loads the embedded assets
 * (assets/NAME.js, gzip + base64) with <script> tags and posts them here; a wrapped fetch()
 * serves them to Pyodide by file name, waiting for those that have not arrived yet.
 *
 * Messages from the page:  {type: "init", config} | {type: "asset", name, b64}
 *                          | {type: "call", id, command, payload} | {type: "pandas"}
 * Messages to the page:    {type: "progress", step, label} | {type: "ready"}
 *                          | {type: "error", message, detail} | {type: "want", name}
 *                          | {type: "result", id, ok, result, error, code, detail}
 *                          | {type: "pandas-ready"} | {type: "pandas-error", message}
 *                          | {type: "persist-error", message, detail} | {type: "mark", what, at}
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

function idbOpen() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(IDB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(IDB_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}

async function idbGet(key) {
  const db = await idbOpen();
  try {
    return await new Promise((resolve, reject) => {
      const req = db.transaction(IDB_STORE, "readonly").objectStore(IDB_STORE).get(key);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

async function idbPut(key, value) {
  const db = await idbOpen();
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction(IDB_STORE, "readwrite");
      tx.objectStore(IDB_STORE).put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
    });
  } finally {
    db.close();
  }
}

// Saves run one after the other, each with the bytes of the moment it was asked for.
let saving = Promise.resolve();
function persist() {
  const bytes = pyodide.FS.readFile(DB_PATH);
  saving = saving.then(() => save(bytes));
  return saving;
}

async function save(bytes) {
  try {
    await idbPut(IDB_KEY, bytes);
  } catch (e) {
    console.error("Cartable: could not save the database in IndexedDB", e);
    self.postMessage({
      type: "persist-error",
      message: "Les dernières modifications n'ont pas pu être enregistrées dans ce navigateur " +
        "(espace plein ou navigation privée). Enregistrez le fichier école sur une clé USB " +
        "ou sur le disque, puis vérifiez l'espace disponible.",
      detail: String(e && e.stack || e),
    });
  }
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
                       code: reply.code, detail: reply.detail }, transfer);
  });
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

async function boot() {
  const saved = idbGet(IDB_KEY).catch((e) => {
    console.error("Cartable: IndexedDB unavailable", e);
    return undefined;
  });
  progress("python", "Démarrage de Python…");
  // pyodide.asm.js first: pyodide.js would otherwise try import(), refused from file://.
  const [asm, loader] = await Promise.all([assetText("pyodide.asm.js"), assetText("pyodide.js")]);
  importText(asm);
  importText(loader);
  mark("loader");
  // indexURL is the folder's own assets/ URL: never fetched for real, the wrapped fetch
  // serves every file Pyodide asks for by its name.
  pyodide = await loadPyodide({ indexURL: config.indexURL, fullStdLib: false });

  // Start-up wheels (sqlite3, the app, defusedxml) are unpacked directly: ~3x faster than
  // loadPackage/micropip; sqlite3's .so is then loaded by `import sqlite3`. The app wheel is
  // thus installed without its dependencies (pandas comes later, see loadPandas).
  progress("packages", "Chargement des modules…");
  const sitePackages = `/lib/python${config.python}/site-packages`;
  for (const wheel of config.wheels) {
    pyodide.unpackArchive(await assetBytes(wheel), "wheel", { extractDir: sitePackages });
  }
  mark("wheels");

  progress("database", "Ouverture de la base de l'école…");
  const bytes = await saved;
  mark("idb-read");
  if (bytes) pyodide.FS.writeFile(DB_PATH, new Uint8Array(bytes));
  const bridge = pyodide.pyimport("cartable.bridge");
  mark("bridge-import");
  const opened = JSON.parse(bridge.try_open(DB_PATH));
  mark("bridge-open");
  if (!opened.ok) {
    self.postMessage({
      type: "error",
      message: (bytes ? "La base de l'école enregistrée dans ce navigateur n'a pas pu être " +
        "ouverte : " : "La base de l'école n'a pas pu être créée : ") + opened.error,
      detail: opened.detail || "",
    });
    return;
  }
  bridgeCall = bridge.call;
  if (!bytes) persist(); // a new school: keep it from the start (not awaited)
  self.postMessage({ type: "ready" });
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
  }
};
