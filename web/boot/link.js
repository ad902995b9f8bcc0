/* The link with the worker: starting it, sending it the embedded files, and its messages
 * (their names and fields: web/shared/protocol.js). */
import { el } from "../shared/dom.js";
import { TO_PAGE, TO_WORKER } from "../shared/protocol.js";
import { Boot } from "./state.js";
import * as BootLoading from "./loading.js";
import { fail } from "./loading.js";
import * as DamagedScreen from "./damaged.js";

const { root, $, config, params } = Boot;

// -- embedded files ------------------------------------------------------------------------

const loading = new Map(); // name -> Promise

/** Load assets/NAME.js (a classic script) and hand its content to the worker. */
function sendAsset(name) {
  if (loading.has(name)) return loading.get(name);
  const file = config.files.find((f) => f.name === name);
  const p = new Promise((resolve, reject) => {
    if (!file) {
      reject(new Error(`Fichier inconnu : ${name}`));
      return;
    }
    const script = document.createElement("script");
    script.src = file.script;
    const worker = Boot.worker; // stopWorker may replace it meanwhile
    script.onload = () => {
      script.remove();
      const key = `${name}.gz`;
      const embed = self.__EMBED__ || {};
      if (typeof embed[key] !== "string") {
        reject(new Error(`Le fichier ${file.script} est incomplet ou abîmé.`));
        return;
      }
      if (worker && worker === Boot.worker) worker.postMessage({ type: TO_WORKER.ASSET, name, b64: embed[key] });
      delete embed[key]; // the worker keeps its own copy
      resolve();
    };
    script.onerror = () => reject(new Error(`Le fichier ${file.script} est introuvable.`));
    document.head.appendChild(script);
  });
  loading.set(name, p);
  return p;
}

/** Start the worker from the source that assets/worker.js.js put in the page. */
function startWorker(extraConfig) {
  const source = self.__CARTABLE_WORKER__;
  if (typeof source !== "string") {
    throw new Error("Le fichier assets/worker.js.js est introuvable ou abîmé.");
  }
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  Boot.worker = new Worker(url);
  Boot.worker.onmessage = (event) => onWorkerMessage(event.data);
  Boot.worker.onerror = onWorkerError;
  Boot.worker.postMessage({ type: TO_WORKER.INIT,
    config: { ...config, ...extraConfig, indexURL: new URL("assets/", location.href).href } });
}

/** Stop the worker started before the one-tab check: this tab is not the active one, and an
 * inactive tab runs no Python. `startWorker` starts it again (the files are sent again). */
function stopWorker() {
  if (!Boot.worker) return;
  Boot.worker.terminate();
  Boot.worker = null;
  loading.clear();
}

// -- requests and replies ------------------------------------------------------------------

let nextId = 1;
const pending = new Map(); // request id -> {resolve, reject, command}
const persistListeners = [];
const changeListeners = []; // Cartable.onChange: after a command changed the school (saved)
const pandas = {}; // {promise, resolve, reject} once asked for

/** Send a request of `type` (TO_WORKER.CALL, REPAIR, MEMORY_FILE or STOP); resolves with its
 * "result". */
function request(type, fields, command) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, command: command || type });
    Boot.worker.postMessage({ type, id, ...fields });
  });
}

function onResult(msg) {
  const p = pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  if (msg.ok && msg.changed) {
    for (const cb of changeListeners) queueMicrotask(() => cb(p.command));
  }
  if (msg.ok) {
    p.resolve(msg.result);
    return;
  }
  if (msg.detail) console.error(`Cartable: ${p.command}:`, msg.detail);
  const err = new Error(msg.error);
  if (msg.code) err.code = msg.code;
  if (msg.field) err.field = msg.field; // the form field the message is about
  p.reject(err);
}

function notifyPersist(err) {
  Boot.persistError = err;
  for (const cb of persistListeners) {
    try { cb(err); } catch (e) { console.error(e); }
  }
}

const HANDLERS = {
  [TO_PAGE.PROGRESS]: (msg) => BootLoading.step(msg.step, msg.label),
  [TO_PAGE.WANT]: (msg) => sendAsset(msg.name).catch((e) => {
    if (root.dataset.state === "ready") console.error("Cartable:", e);
    else fail(e.message);
  }),
  [TO_PAGE.MARK]: (msg) => {
    performance.mark(`cartable:${msg.what}`, { startTime: msg.at - performance.timeOrigin });
    if (params.has("trace")) {
      console.log(`cartable: ${msg.what} at ${(msg.at - performance.timeOrigin).toFixed(0)} ms`);
    }
  },
  [TO_PAGE.READY]: () => becomeReady(),
  [TO_PAGE.ERROR]: (msg) => fail(msg.message, msg.detail),
  [TO_PAGE.RESULT]: onResult,
  [TO_PAGE.PANDAS_READY]: () => {
    performance.mark("cartable:pandas");
    pandas.resolve();
  },
  [TO_PAGE.PANDAS_ERROR]: (msg) => {
    pandas.reject(new Error("Le module d'import (pandas) n'a pas pu se charger. Rechargez la page."));
    console.error("Cartable: pandas:", msg.message);
  },
  [TO_PAGE.PERSIST_ERROR]: (msg) => {
    console.error("Cartable: persist:", msg.detail);
    notifyPersist(new Error(msg.message));
  },
  [TO_PAGE.PERSIST_OK]: () => notifyPersist(null),
  [TO_PAGE.DAMAGED]: (msg) => DamagedScreen.show(msg),
};

function onWorkerMessage(msg) {
  const handler = HANDLERS[msg.type];
  if (handler) handler(msg);
}

function onWorkerError(e) {
  const detail = `${e.message || "worker error"} (${e.filename || ""}:${e.lineno || ""})`;
  if (!Boot.deactivated && root.dataset.state !== "ready" && root.dataset.state !== "recovery") {
    fail("Cartable n'a pas pu démarrer dans ce navigateur.", detail);
    return;
  }
  console.error("Cartable: the worker failed:", detail);
  for (const [id, p] of pending) {
    pending.delete(id);
    p.reject(new Error("Le moteur de Cartable s'est arrêté. Rechargez la page (touche F5)."));
  }
}

function becomeReady() {
  if (Boot.failed || Boot.deactivated) return;
  clearTimeout(Boot.timer);
  BootLoading.stop();
  performance.mark("cartable:ready"); // bench/startup.py reads it
  $("boot-progress").value = 100;
  const recoveryScreen = $("boot-recovery");
  if (recoveryScreen) recoveryScreen.remove();
  root.dataset.state = "ready";
  Boot.readyResolve();
  // app.js is loaded by now, almost always (boot/main.js loadApp: during Python's start-up).
  Promise.resolve(Boot.app).then(() => {
    if (Boot.failed || Boot.deactivated) return;
    if (window.CartableApp && typeof window.CartableApp.start === "function") {
      try {
        window.CartableApp.start();
      } catch (e) {
        console.error("Cartable: CartableApp.start failed", e);
      }
    } else {
      $("app").appendChild(el("p", { class: "boot-ready", text: "Cartable est prêt." }));
    }
  }, () => { /* boot/main.js shows the failure */ });
  // pandas (for imports) loads in the background once the interface is up.
  setTimeout(() => whenPandas().catch(() => {}), 1500);
}

/** Start loading pandas (once); resolves when it is imported in the worker. */
function whenPandas() {
  if (!pandas.promise) {
    pandas.promise = new Promise((resolve, reject) => Object.assign(pandas, { resolve, reject }));
    Boot.ready.then(() => {
      for (const f of config.files) if (f.group === "later") sendAsset(f.name);
      Boot.worker.postMessage({ type: TO_WORKER.PANDAS });
    }, pandas.reject);
  }
  return pandas.promise;
}

export { sendAsset, startWorker, stopWorker, request, whenPandas, persistListeners, changeListeners };
