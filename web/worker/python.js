/* Python: start-up, the command queue (calls run one at a time, in order), pandas. */

// -- Python tasks run one at a time, in order ------------------------------------------------

let queue = Promise.resolve();
function enqueue(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

function call(id, command, payload) {
  if (refuseCalls) {
    self.postMessage({ type: "result", id, ok: false, code: "other-tab", error: config.otherTabMessage });
    return Promise.resolve();
  }
  return enqueue(async () => {
    let reply;
    try {
      reply = JSON.parse(await bridgeCall(command, JSON.stringify(Wire.toWire(payload ?? {}))));
    } catch (e) {
      reply = { ok: false, error: "Erreur interne : " + e.message, detail: String(e.stack || e) };
    }
    if (reply.ok && reply.changed) await persist(); // saved before the page hears "done"
    const transfer = [];
    const result = reply.ok ? Wire.fromWire(reply.result, transfer) : undefined;
    self.postMessage({ type: "result", id, ok: reply.ok, result, error: reply.error,
                       code: reply.code, field: reply.field, detail: reply.detail,
                       changed: !!reply.changed }, transfer);
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
  // The file name is the core's (ui.strings), like school.file_bytes's.
  const strings = JSON.parse(await bridgeCall("ui.strings", "{}"));
  return { filename: strings.result.school_file_name, data: pyodide.FS.readFile(DB_PATH) };
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

// "open" from the page: this tab is the active one (boot/tabs.js). Until then the worker loads
// Python but reads and writes no school data: another tab may be using it.
let allowOpen = null;
const openAllowed = new Promise((resolve) => { allowOpen = resolve; });

async function boot() {
  // Read as soon as allowed, while Python loads (idbReadSchool never rejects).
  const saved = openAllowed.then(idbReadSchool);
  progress("python", "Préparation de Cartable…");
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

  // Start-up wheels, without loadPackage/micropip (~3x slower): the pure-Python ones (the
  // app's, pre-compiled, and defusedxml) are imported from the wheel file itself, a zip on
  // sys.path (nothing to unpack); sqlite3's is unpacked, its .so then loaded by `import
  // sqlite3`. The app is thus installed without its dependencies (pandas: see loadPandas).
  progress("packages", "Chargement des outils de Cartable…");
  const sitePackages = `/lib/python${config.python}/site-packages`;
  const zipped = [];
  for (const [i, name] of config.wheels.entries()) {
    const data = await wheels[i];
    if (name.endsWith("-none-any.whl")) {
      pyodide.FS.writeFile(`/lib/${name}`, data);
      zipped.push(`/lib/${name}`);
    } else {
      pyodide.unpackArchive(data, "wheel", { extractDir: sitePackages });
    }
  }
  pyodide.runPython(`import sys; sys.path.extend(${JSON.stringify(zipped)})`);
  mark("wheels");
  bridge = pyodide.pyimport("cartable.bridge");
  mark("bridge-import");

  progress("database", "Ouverture des données de l'école…");
  const stored = await saved;
  mark("idb-read");
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

