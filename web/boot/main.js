/* boot.js's entry point: check the folder and the browser, start the worker and send it the
 * start-up files; then, if this tab is the active one (boot/tabs.js), let the worker open the
 * school. Importing api.js defines window.Cartable, the API app.js uses. */
import { TO_WORKER } from "../shared/protocol.js";
import { Boot } from "./state.js";
import * as BootLoading from "./loading.js";
import { fail } from "./loading.js";
import * as BootLink from "./link.js";
import * as BootTabs from "./tabs.js";
import "./api.js";

const { root, config } = Boot;

function armTimer() {
  clearTimeout(Boot.timer);
  Boot.startedAt = performance.now();
  Boot.timer = setTimeout(() => fail(
    `Le démarrage a pris trop de temps (plus de ${Math.round(Boot.timeoutMs / 1000)} ` +
    "secondes) : un fichier de Cartable manque ou est abîmé, ou ce navigateur ne convient " +
    "pas."), Boot.timeoutMs);
}

/** app.js (the interface), loaded once the start-up files are sent: its parsing then runs
 * while the worker boots Python, instead of holding back the first files Python needs (the
 * page's thread hands them over). boot/link.js starts it when Python is ready. */
function loadApp() {
  if (Boot.app) return;
  Boot.app = new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "app.js";
    script.onload = resolve;
    script.onerror = () => reject(new Error("Le fichier app.js est introuvable : le dossier de " +
      "Cartable est incomplet."));
    document.head.appendChild(script);
  });
  Boot.app.catch((e) => fail(e.message));
}

/** Start the worker and send it the start-up files, before the one-tab check: Python loads
 * meanwhile (README, "Start-up"). The worker touches no school data until `open`. */
function prepare() {
  armTimer();
  const startup = config.files.filter((f) => f.group === "startup");
  let done = 0;
  BootLoading.files(0, startup.reduce((sum, f) => sum + f.size, 0));
  try {
    BootLink.startWorker({ otherTabMessage: BootTabs.OTHER_TAB });
  } catch (e) {
    fail(e.message, e.stack);
    return false;
  }
  const send = (files) => Promise.all(files.map((f) => BootLink.sendAsset(f.name).then(() => {
    done += f.size;
    BootLoading.files(done);
  })));
  // Pyodide's own files first, then the wheels: sent together, the smaller wheels arrived first
  // and their decoding held back Pyodide's (the worker decodes what comes, in order).
  // (A worker stopped meanwhile, for another tab, gets no wheels: the next prepare() sends
  // every file to its new worker.)
  const isWheel = (f) => f.name.endsWith(".whl");
  const worker = Boot.worker;
  send(startup.filter((f) => !isWheel(f)))
    .then(() => (Boot.worker === worker ? send(startup.filter(isWheel)) : null))
    .then(loadApp, (e) => fail(e.message, e.stack));
  return true;
}

/** This tab is the active one: the worker may read and open the school. */
function start() {
  if (Boot.failed || (!Boot.worker && !prepare())) return; // stopped while another tab was active
  armTimer();
  root.dataset.state = "loading";
  Boot.worker.postMessage({ type: TO_WORKER.OPEN });
}

if (!config || !Array.isArray(config.files)) {
  fail("Le fichier assets/config.js est introuvable : le dossier de Cartable est incomplet.");
} else if (typeof WebAssembly !== "object" || typeof DecompressionStream !== "function") {
  fail("Ce navigateur est trop ancien pour Cartable.");
} else if (prepare()) {
  BootTabs.begin(start);
}
