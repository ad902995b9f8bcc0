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
 *                                       (error.message: French sentence); again after each
 *                                       later failure; callback(null) once a later save
 *                                       succeeds. A failure before the callback was
 *                                       registered (e.g. at start-up) is reported at once.
 *   Cartable.rescueFile()               -> Promise<{filename, data}>: the school file as it is
 *                                       in memory, for any user, but only while saving in
 *                                       the browser fails (see docs/SECURITY.md).
 *
 * When Python is ready, <html data-state> goes from "loading" to "ready" and
 * window.CartableApp.start() is called if app.js defined it. On failure, data-state is
 * "error" and a French error screen says what to do. If the school database stored in the
 * browser cannot be opened, data-state is "recovery": a French screen (#boot-recovery) offers
 * to download the stored bytes, to open a school file, or to start a new school (confirmed);
 * nothing overwrites the stored bytes before that choice; then data-state becomes "ready".
 * `?timeout=MS` in the URL changes the start-up time limit (tests).
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
  let persistError = null; // the last failure to save, until a later save succeeds

  function notifyPersist(err) {
    for (const cb of persistListeners) {
      try { cb(err); } catch (e) { console.error(e); }
    }
  }

  /** A request to the worker outside the command queue of Cartable.call. */
  function control(type, fields) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, command: type });
      worker.postMessage({ type, id, ...fields });
    });
  }

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
      case "persist-error":
        console.error("Cartable: persist:", msg.detail);
        persistError = new Error(msg.message);
        notifyPersist(persistError);
        break;
      case "persist-ok":
        persistError = null;
        notifyPersist(null);
        break;
      case "recovery":
        showRecovery(msg);
        break;
    }
  }

  function onWorkerError(e) {
    const detail = `${e.message || "worker error"} (${e.filename || ""}:${e.lineno || ""})`;
    if (root.dataset.state !== "ready" && root.dataset.state !== "recovery") {
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
    const recoveryScreen = $("boot-recovery");
    if (recoveryScreen) recoveryScreen.remove();
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

  // -- recovery: the school database stored in this browser cannot be opened ---------------
  //
  // Built here (not in index.html) because it is needed before app.js starts. Every text is
  // put with textContent.

  function node(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") n.textContent = v;
      else if (k === "class") n.className = v;
      else n.setAttribute(k, v);
    }
    for (const c of children) if (c) n.append(c);
    return n;
  }

  function showRecovery(msg) {
    if (failed) return;
    clearTimeout(timer); // the user takes the time needed to choose
    clearInterval(renderTimer);
    $("boot").hidden = true;
    root.dataset.state = "recovery";

    const status = node("p", { id: "recuperation-etat", class: "boot-recovery-status",
                                role: "status", "aria-live": "polite" });
    const say = (text, isError) => {
      status.textContent = text;
      status.classList.toggle("boot-recovery-error", !!isError);
    };
    const buttons = [];
    const button = (id, label, cls, onClick) => {
      const b = node("button", { type: "button", id, class: cls, text: label });
      b.addEventListener("click", onClick);
      buttons.push(b);
      return b;
    };
    const busy = (on) => { for (const b of buttons) b.disabled = on; };
    const act = (label, work) => {
      busy(true);
      say(label);
      return work().then((r) => { busy(false); return r; }, (e) => {
        busy(false);
        say(e.message, true);
      });
    };

    const download = button("recuperation-telecharger",
      "Télécharger ces données (copie de secours)", "boot-button", () => act(
        "Préparation de la copie de secours…", () => control("recover", { action: "download" })
          .then((r) => {
            Cartable.download(r.data, r.filename, "application/octet-stream");
            say(`La copie de secours « ${r.filename} » a été téléchargée. Gardez-la : ` +
                "un spécialiste pourra peut-être en récupérer une partie.");
          })));
    if (!msg.size) download.disabled = true;

    const input = node("input", { type: "file", id: "recuperation-fichier", hidden: "",
      accept: ".sqlite3,.sqlite,.db,application/octet-stream,application/vnd.sqlite3" });
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = "";
      if (!file) return;
      act(`Ouverture de « ${file.name} »…`, () => file.arrayBuffer().then((buf) =>
        control("recover", { action: "open", data: new Uint8Array(buf) })));
    });
    const open = button("recuperation-ouvrir", "Ouvrir un fichier d'école…", "boot-button",
      () => input.click());

    const confirmBox = node("div", { id: "recuperation-confirmation",
                                     class: "boot-recovery-confirm", role: "alertdialog",
                                     "aria-labelledby": "recuperation-confirmation-texte" });
    confirmBox.hidden = true;
    const fresh = button("recuperation-nouvelle", "Commencer une nouvelle école",
      "boot-button boot-danger", () => {
        confirmBox.hidden = false;
        $("recuperation-confirmer").focus();
      });
    confirmBox.append(
      node("p", { id: "recuperation-confirmation-texte", text: "Vous allez commencer une école " +
        "vide : configuration, comptes, élèves et validations seront à refaire (ou à " +
        "reprendre d'un fichier d'école). Les données illisibles seront mises de côté dans ce " +
        "navigateur, pas effacées. Avez-vous téléchargé la copie de secours ?" }),
      button("recuperation-confirmer", "Oui, commencer une nouvelle école",
        "boot-button boot-danger", () => {
          confirmBox.hidden = true;
          act("Création d'une nouvelle école…", () => control("recover", { action: "new" }));
        }),
      button("recuperation-annuler", "Annuler", "boot-button boot-secondary", () => {
        confirmBox.hidden = true;
        fresh.focus();
      }));

    const size = msg.size ? ` (${(msg.size / 1024).toFixed(0)} Ko)` : "";
    const screen = node("div", { id: "boot-recovery", class: "boot boot-recovery",
                                 role: "alert" },
      node("h1", { class: "boot-title", text: "Les données de l'école sont illisibles" }),
      node("p", { class: "boot-error-text", text: "Les données de l'école enregistrées dans " +
        `ce navigateur${size} sont illisibles : elles ont peut-être été abîmées (arrêt ` +
        "brutal de l'ordinateur, disque plein, nettoyage du navigateur…). Cartable ne les a " +
        "pas modifiées et ne les remplacera pas sans votre accord." }),
      node("p", { class: "boot-recovery-reason", text: "Détail : " + (msg.reason || "") }),
      node("h2", { class: "boot-recovery-question", text: "Que voulez-vous faire ?" }),
      node("ol", { class: "boot-recovery-choices" },
        node("li", {}, download, node("p", { text: "Gardez une copie de ces données " +
          "(sur une clé USB, par exemple) avant toute autre chose." })),
        node("li", {}, open, input, node("p", { text: "Si vous avez enregistré le fichier de " +
          "l'école (ecole-cartable-….sqlite3), ouvrez-le : il remplace les données illisibles " +
          "et l'école repart de ce fichier." })),
        node("li", {}, fresh, node("p", { text: "Seulement si vous n'avez aucun fichier de " +
          "l'école : l'école repart de zéro." }), confirmBox)),
      status,
      node("details", { class: "boot-error-details" },
        node("summary", { text: "Détails techniques" }),
        node("pre", { text: msg.detail || "" })));
    document.body.insertBefore(screen, $("app"));
    (msg.size ? download : open).focus();
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
      if (persistError) {
        const err = persistError;
        queueMicrotask(() => { if (persistError === err) callback(err); });
      }
    },

    rescueFile() {
      return ready.then(() => control("rescue", {}));
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
