/* Start-up, in named steps (start() runs them), and pandas, loaded in the background.
 *
 * The page sends "init" first (then the start-up files), and "open" once this tab is the
 * active one (boot/tabs.js): until then the worker loads Python but reads and writes no
 * school data, another tab may be using it. */
import { TO_PAGE } from "../shared/protocol.js";
import { worker } from "./state.js";
import { assetBytes, assetText } from "./assets.js";
import { DB_PATH, idbReadSchool, persist, storedBytes } from "./store.js";
import { enqueue } from "./commands.js";
import { enterDamaged } from "./damaged.js";

// "open" from the page: this tab is the active one.
let allowOpen = null;
const openAllowed = new Promise((resolve) => { allowOpen = resolve; });

/** The page said "open". */
export function openAllowedNow() {
  allowOpen();
}

function progress(step, label) {
  self.postMessage({ type: TO_PAGE.PROGRESS, step, label });
  mark(step);
}

// Start-up timings, for the console (`?trace` in the page URL) and bench/startup.py.
function mark(what) {
  self.postMessage({ type: TO_PAGE.MARK, what, at: performance.timeOrigin + performance.now() });
}

function importText(text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
  try {
    importScripts(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Step 1: Pyodide itself (its loader and the wasm), from the embedded files. */
async function loadPython() {
  progress("python", "Préparation de Cartable…");
  // pyodide.asm.js first: pyodide.js would otherwise try import(), refused from file://.
  const [asm, loader] = await Promise.all([assetText("pyodide.asm.js"), assetText("pyodide.js")]);
  importText(asm);
  importText(loader);
  mark("loader");
  // Ask for the start-up wheels now, so that they are read and decoded while Pyodide boots.
  const wheels = worker.config.wheels.map((name) => {
    const bytes = assetBytes(name);
    bytes.catch(() => {}); // reported by assetBytes; awaited (and thrown) in installWheels
    return bytes;
  });
  // indexURL is the folder's own assets/ URL: never fetched for real, the wrapped fetch
  // serves every file Pyodide asks for by its name.
  worker.pyodide = await loadPyodide({ indexURL: worker.config.indexURL, fullStdLib: false });
  return wheels;
}

/** Step 2: the start-up wheels, without loadPackage/micropip (~3x slower): the pure-Python
 * ones (the app's, pre-compiled, and defusedxml) are imported from the wheel file itself, a
 * zip on sys.path (nothing to unpack); sqlite3's is unpacked, its .so then loaded by `import
 * sqlite3`. The app is thus installed without its dependencies (pandas: see loadPandas). */
async function installWheels(wheels) {
  progress("packages", "Chargement des outils de Cartable…");
  const { pyodide, config } = worker;
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
  worker.bridge = pyodide.pyimport("cartable.bridge");
  mark("bridge-import");
}

/** Step 3: the school database stored in IndexedDB (`saved`, read since "open"), opened by the
 * bridge; a new school is created (and saved) when none is stored. False when the stored
 * database is damaged (the page shows its screen) or a new one could not be created. */
async function openSchool(saved) {
  progress("database", "Ouverture des données de l'école…");
  const { pyodide, bridge } = worker;
  const stored = await saved;
  mark("idb-read");
  if (stored.readError) {
    enterDamaged(null, "Le navigateur n'arrive pas à les lire.", String(stored.readError));
    return false;
  }
  let bytes = null;
  if (stored.value !== undefined) {
    const found = await storedBytes(stored.value);
    if (!found.bytes) {
      enterDamaged(found.unreadable, "Ce n'est pas un fichier d'école.", typeof stored.value);
      return false;
    }
    bytes = found.bytes;
    pyodide.FS.writeFile(DB_PATH, bytes); // a copy: `bytes` stays what IndexedDB holds
  }
  const opened = JSON.parse(bridge.try_open(DB_PATH));
  mark("bridge-open");
  if (!opened.ok) {
    if (bytes) {
      enterDamaged(bytes, opened.error, opened.detail || "");
    } else {
      self.postMessage({ type: TO_PAGE.ERROR, message: "La base de l'école n'a pas pu être " +
        "créée : " + opened.error, detail: opened.detail || "" });
    }
    return false;
  }
  worker.bridgeCall = bridge.call;
  // The chunks stored are known (a save writes the changed ones); the first format: unknown.
  worker.stored = stored.chunked ? bytes : null;
  if (!bytes) persist(); // a new school: keep it from the start (not awaited)
  return true;
}

/** The whole start-up, from "init": "ready" once the school is open. */
export async function start() {
  // Read as soon as allowed, while Python loads (idbReadSchool never rejects).
  const saved = openAllowed.then(idbReadSchool);
  const wheels = await loadPython();
  await installWheels(wheels);
  if (await openSchool(saved)) self.postMessage({ type: TO_PAGE.READY });
}

// -- pandas, loaded in the background (importing it takes seconds) --------------------------

let pandasPromise = null;
export function loadPandas() {
  if (!pandasPromise) {
    pandasPromise = (async () => {
      await worker.pyodide.loadPackage(worker.config.laterPackages, { messageCallback: () => {} });
      // Separate steps so that user commands can run in between.
      for (const mod of ["numpy", "dateutil", "pytz", "pandas"]) {
        await enqueue(() => worker.pyodide.runPython(`import ${mod}`));
      }
    })();
    pandasPromise.then(
      () => self.postMessage({ type: TO_PAGE.PANDAS_READY }),
      (e) => {
        console.error("Cartable: pandas failed to load", e);
        self.postMessage({ type: TO_PAGE.PANDAS_ERROR, message: String(e && e.message || e) });
      },
    );
  }
  return pandasPromise;
}
