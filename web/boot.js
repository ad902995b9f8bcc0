/* Cartable boot (page side): loading screen, the Python worker, and the API for app.js.
 *
 * API used by the user interface (app.js) — keep it exactly:
 *
 *   Cartable.ready                      Promise, resolved when Python is ready.
 *   Cartable.call(command, payload)     -> Promise<result>. Calls run one at a time, in order.
 *                                       Rejects with an Error whose .message is a French
 *                                       sentence for the user (.code: optional machine code,
 *                                       e.g. "login", "session"); details go to the console.
 *                                       Any Uint8Array in payload reaches Python as bytes;
 *                                       bytes in the result come back as Uint8Array.
 *   Cartable.whenPandas()               -> Promise, resolved once pandas is imported in the
 *                                       worker (starts loading it if not started yet).
 *   Cartable.download(bytes, filename, mime)   saves a Uint8Array as a file (Blob + <a download>).
 *   Cartable.onPersistError(callback)   callback(error) when saving the database in the
 *                                       browser (IndexedDB) fails: quota, private mode...
 *
 * When Python is ready, <html data-state> goes from "loading" to "ready" and
 * window.CartableApp.start() is called if app.js defined it. On failure, data-state is
 * "error" and a French error screen says what to do. `?timeout=MS` in the URL changes the
 * start-up time limit (tests).
 */
(function () {
  "use strict";

  const root = document.documentElement;
  const params = new URLSearchParams(location.search);
  const TIMEOUT_MS = Number(params.get("timeout")) || 120000;
  const config = self.__CARTABLE_CONFIG__;
  const $ = (id) => document.getElementById(id);

  let worker = null;
  let failed = false;
  let readyResolve, readyReject;
  const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });
  ready.catch(() => {}); // failures are shown on screen; callers get them from call()

  // -- loading screen ----------------------------------------------------------------------

  // The bar: loading the files fills the first 30%; then each of Python's start-up steps
  // fills its share, creeping forward with time inside a step (no step reports finer).
  const STEPS = { // step -> [share of the bar where it starts, typical seconds]
    python: [0.3, 1.2], packages: [0.8, 0.2], database: [0.9, 0.2],
  };
  const NEXT = { python: "packages", packages: "database", database: null };
  let filesDone = 0;
  let filesTotal = 0;
  let workerStep = null;
  let workerLabel = "";
  let stepStarted = 0;

  function render() {
    if (root.dataset.state !== "loading") return;
    const files = filesTotal ? Math.min(1, filesDone / filesTotal) : 0;
    let value = 0.3 * files;
    if (workerStep && files >= 1) {
      const [start, seconds] = STEPS[workerStep];
      const end = NEXT[workerStep] ? STEPS[NEXT[workerStep]][0] : 1;
      const elapsed = (performance.now() - stepStarted) / 1000;
      value = start + (end - start) * 0.9 * (1 - Math.exp(-elapsed / seconds));
    }
    $("boot-progress").value = Math.round(100 * value);
    if (files < 1) {
      $("boot-step").textContent = "Chargement des fichiers de Cartable…";
      $("boot-detail").textContent =
        `${(filesDone / 1e6).toFixed(1)} Mo sur ${(filesTotal / 1e6).toFixed(1)} Mo`;
    } else {
      $("boot-step").textContent = workerLabel || "Démarrage de Python…";
      $("boot-detail").textContent = "";
    }
  }
  const renderTimer = setInterval(render, 100);

  function fail(message, detail) {
    if (failed || root.dataset.state === "ready") return;
    failed = true;
    clearInterval(renderTimer);
    console.error("Cartable: start-up failed:", message, detail || "");
    $("boot-error-message").textContent = message;
    $("boot-error-detail").textContent = detail || "";
    $("boot").hidden = true;
    $("boot-error").hidden = false;
    root.dataset.state = "error";
    if (worker) worker.terminate();
    readyReject(new Error(message));
  }

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
      script.onload = () => {
        script.remove();
        const key = name + ".gz";
        const embed = self.__EMBED__ || {};
        if (typeof embed[key] !== "string") {
          reject(new Error(`Le fichier ${file.script} est incomplet ou abîmé.`));
          return;
        }
        worker.postMessage({ type: "asset", name, b64: embed[key] });
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
  function startWorker() {
    const source = self.__CARTABLE_WORKER__;
    if (typeof source !== "string") {
      throw new Error("Le fichier assets/worker.js.js est introuvable ou abîmé.");
    }
    delete self.__CARTABLE_WORKER__;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    worker = new Worker(url);
    worker.onmessage = onWorkerMessage;
    worker.onerror = onWorkerError;
    worker.postMessage({ type: "init",
      config: { ...config, indexURL: new URL("assets/", location.href).href } });
  }

  // -- messages from the worker --------------------------------------------------------------

  let nextId = 1;
  const pending = new Map(); // call id -> {resolve, reject}
  const persistListeners = [];
  let pandasWaiters = null;

  function onWorkerMessage(event) {
    const msg = event.data;
    switch (msg.type) {
      case "progress":
        workerStep = msg.step;
        workerLabel = msg.label;
        stepStarted = performance.now();
        render();
        break;
      case "want":
        sendAsset(msg.name).catch((e) => {
          if (root.dataset.state === "ready") console.error("Cartable:", e);
          else fail(e.message);
        });
        break;
      case "mark":
        performance.mark("cartable:" + msg.what, { startTime: msg.at - performance.timeOrigin });
        if (params.has("trace")) {
          console.log(`cartable: ${msg.what} at ${(msg.at - performance.timeOrigin).toFixed(0)} ms`);
        }
        break;
      case "ready":
        becomeReady();
        break;
      case "error":
        fail(msg.message, msg.detail);
        break;
      case "result": {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) {
          p.resolve(msg.result);
        } else {
          if (msg.detail) console.error(`Cartable: ${p.command}:`, msg.detail);
          const err = new Error(msg.error);
          if (msg.code) err.code = msg.code;
          p.reject(err);
        }
        break;
      }
      case "pandas-ready":
        performance.mark("cartable:pandas");
        pandasWaiters.resolve();
        break;
      case "pandas-error":
        pandasWaiters.reject(new Error(
          "Le module d'import (pandas) n'a pas pu se charger. Rechargez la page."));
        console.error("Cartable: pandas:", msg.message);
        break;
      case "persist-error": {
        console.error("Cartable: persist:", msg.detail);
        const err = new Error(msg.message);
        for (const cb of persistListeners) {
          try { cb(err); } catch (e) { console.error(e); }
        }
        break;
      }
    }
  }

  function onWorkerError(e) {
    const detail = `${e.message || "worker error"} (${e.filename || ""}:${e.lineno || ""})`;
    if (root.dataset.state !== "ready") {
      fail("Python n'a pas pu démarrer dans ce navigateur.", detail);
      return;
    }
    console.error("Cartable: the worker failed:", detail);
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new Error("Le moteur de Cartable s'est arrêté. Rechargez la page (touche F5)."));
    }
  }

  function becomeReady() {
    if (failed) return;
    clearTimeout(timer);
    clearInterval(renderTimer);
    performance.mark("cartable:ready"); // bench/startup.py reads it
    $("boot-progress").value = 100;
    root.dataset.state = "ready";
    readyResolve();
    if (window.CartableApp && typeof window.CartableApp.start === "function") {
      try {
        window.CartableApp.start();
      } catch (e) {
        console.error("Cartable: CartableApp.start failed", e);
      }
    } else {
      const p = document.createElement("p");
      p.className = "boot-ready";
      p.textContent = "Python prêt.";
      $("app").appendChild(p);
    }
    // pandas (for imports) loads in the background once the interface is up.
    setTimeout(() => Cartable.whenPandas().catch(() => {}), 1500);
  }

  // -- public API ------------------------------------------------------------------------------

  let chain = ready;

  const Cartable = {
    ready,

    call(command, payload) {
      const run = () => new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject, command });
        worker.postMessage({ type: "call", id, command, payload: payload ?? {} });
      });
      const result = chain.then(run, () => {
        throw new Error("Cartable n'a pas démarré : rechargez la page.");
      });
      chain = result.catch(() => {});
      return result;
    },

    whenPandas() {
      if (!pandasWaiters) {
        let resolve, reject;
        const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
        pandasWaiters = { promise, resolve, reject };
        ready.then(() => {
          for (const f of config.files) if (f.group !== "startup") sendAsset(f.name);
          worker.postMessage({ type: "pandas" });
        }, reject);
      }
      return pandasWaiters.promise;
    },

    download(bytes, filename, mime) {
      const blob = new Blob([bytes], { type: mime || "application/octet-stream" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    },

    onPersistError(callback) {
      persistListeners.push(callback);
    },
  };
  window.Cartable = Cartable;

  // -- go ------------------------------------------------------------------------------------

  const timer = setTimeout(() => fail(
    "Le démarrage a pris trop de temps (plus de " + Math.round(TIMEOUT_MS / 1000) +
    " secondes) : un fichier de Cartable manque ou est abîmé, ou ce navigateur ne convient pas."),
  TIMEOUT_MS);

  if (!config || !Array.isArray(config.files)) {
    fail("Le fichier assets/config.js est introuvable : le dossier de Cartable est incomplet.");
    return;
  }
  if (typeof WebAssembly !== "object" || typeof DecompressionStream !== "function") {
    fail("Ce navigateur est trop ancien pour Cartable.");
    return;
  }
  root.dataset.state = "loading";
  const startup = config.files.filter((f) => f.group === "startup");
  filesTotal = startup.reduce((sum, f) => sum + f.size, 0);
  render();
  try {
    startWorker();
  } catch (e) {
    fail(e.message, e.stack);
    return;
  }
  Promise.all(startup.map((f) => sendAsset(f.name).then(() => {
    filesDone += f.size;
    render();
  }))).catch((e) => fail(e.message, e.stack));
})();
