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
 *   Cartable.onChange(callback)         callback(command) after each command that changed the
 *                                       school and was saved in the browser (the page keeps
 *                                       the school file up to date, web/ui/keeper.js).
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
 *
 * One tab at a time (see "one tab at a time" below): every tab would keep its own copy of the
 * school in memory and save it whole, so a second tab would silently undo the first one's
 * changes. A tab opened while Cartable is active elsewhere (same browser profile) starts no
 * Python: data-state is "other-tab" and a French screen (#boot-other-tab, data-reason="other")
 * offers "Utiliser Cartable dans cet onglet". Taking over makes the active tab finish the
 * commands and saves already asked, stop writing, and show the same screen with
 * data-reason="taken" ("Reprendre ici" takes over again and reloads); only then does the new
 * tab start, reading the latest saved database. In the deactivated tab, Cartable.call rejects
 * (.code "other-tab"); the draft in localStorage is left alone. <html data-tabs> says which
 * mechanism is used: "locks" (Web Locks, lock "cartable-ecole") or "heartbeat" (localStorage
 * "cartable.onglet", where Web Locks are missing).
 */
(function () {
  "use strict";

  const root = document.documentElement;
  const params = new URLSearchParams(location.search);
  const TIMEOUT_MS = Number(params.get("timeout")) || 60000;
  const SLOW_MS = 15000; // then say that it is slow, and that waiting is fine
  const config = self.__CARTABLE_CONFIG__;
  const $ = (id) => document.getElementById(id);

  let worker = null;
  let failed = false;
  let timer = null; // the start-up time limit, from start()
  let startedAt = 0; // performance.now() when start() began
  let deactivated = false; // another tab took over (see "one tab at a time")
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
    if (startedAt && performance.now() - startedAt > SLOW_MS) {
      $("boot-detail").textContent = "Le démarrage prend plus de temps que d'habitude " +
        "(ordinateur lent, ou Cartable lancé depuis une clé USB). Patientez encore un peu.";
    }
  }
  const renderTimer = setInterval(render, 100);

  function fail(message, detail) {
    if (deactivated) {
      console.error("Cartable: after another tab took over:", message, detail || "");
      return;
    }
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
  const changeListeners = [];
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
        if (!p) break;
        pending.delete(msg.id);
        if (msg.ok && msg.changed) {
          for (const cb of changeListeners) queueMicrotask(() => cb(p.command));
        }
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
    if (!deactivated && root.dataset.state !== "ready" && root.dataset.state !== "recovery") {
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
    if (failed || deactivated) return;
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
    if (failed || deactivated) return;
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
        if (deactivated) {
          reject(otherTabError());
          return;
        }
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

    onChange(callback) {
      changeListeners.push(callback);
    },

    rescueFile() {
      return ready.then(() => control("rescue", {}));
    },
  };
  window.Cartable = Cartable;

  // -- one tab at a time --------------------------------------------------------------------
  //
  // Every tab keeps its own copy of the school database in its worker and saves it whole after
  // each change: with two active tabs, the last save would silently undo the other tab's
  // changes. So only one tab of the browser profile (all file:// pages share one storage) runs
  // Python: the one holding the Web Lock LOCK_NAME ("locks": released by the browser when the
  // page goes away, even after a crash) or, where Web Locks are missing or refused, the one
  // whose heartbeat in localStorage TAB_KEY ({id, ts}, refreshed every BEAT_MS) is fresh
  // ("heartbeat"). A first tab gets the lock at once (ifAvailable); a reload waits up to
  // RELOAD_WAIT_MS for its previous page to let go.
  //
  // Taking over: the new tab writes TAKEOVER_KEY (a `storage` event in the active tab) and
  // waits for the lock (or for the heartbeat to be handed to it, or to go stale). The active
  // tab shows the "taken" screen, tells its worker to stop — the worker first finishes the
  // commands and saves already asked, then refuses commands and writes nothing more — and only
  // then lets go. The new tab therefore starts its worker, which reads IndexedDB, after the last
  // save of the old one. An active tab that does not answer within TAKEOVER_WAIT_MS (frozen,
  // hung) loses its lock anyway (steal) and stops writing at once.

  const LOCK_NAME = "cartable-ecole";
  const TAB_KEY = "cartable.onglet";
  const TAKEOVER_KEY = "cartable.onglet.reprise";
  const BEAT_MS = 2000;
  const STALE_MS = 6000;
  const RELOAD_WAIT_MS = 1000;
  const TAKEOVER_WAIT_MS = 10000;
  const tabId = Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  let guard = null;
  let active = false; // this tab runs Cartable

  function otherTabError() {
    const err = new Error("Cartable est utilisé dans un autre onglet : cet onglet est " +
      "désactivé. Fermez-le, ou cliquez sur «\u00a0Reprendre ici\u00a0».");
    err.code = "other-tab";
    return err;
  }

  function readEntry(key) {
    try {
      const e = JSON.parse(localStorage.getItem(key) || "null");
      return e && typeof e.id === "string" && typeof e.ts === "number" ? e : null;
    } catch (e) {
      return null;
    }
  }

  function writeEntry(key, id) {
    try {
      localStorage.setItem(key, JSON.stringify({ id, ts: Date.now() }));
    } catch (e) { /* storage refused: the guard cannot work, Cartable still does */ }
  }

  /** Web Locks: this tab is active while it holds LOCK_NAME. */
  function lockGuard(onLost) {
    let release = null;
    // Resolves true once the lock is held (until release()), false if not granted.
    const request = (options) => new Promise((resolve) => {
      let granted = false;
      navigator.locks.request(LOCK_NAME, options, (lock) => {
        if (!lock) return resolve(false); // ifAvailable, and another tab holds it
        granted = true;
        resolve(true);
        return new Promise((r) => { release = r; });
      }).catch((e) => {
        if (!granted) {
          if (e.name !== "AbortError") console.error("Cartable: lock", e);
          resolve(false);
        } else if (release) { // stolen by a tab that waited too long
          release = null;
          onLost();
        }
      });
    });
    const waitFor = async (ms) => {
      const abort = new AbortController();
      const t = setTimeout(() => abort.abort(), ms);
      const ok = await request({ signal: abort.signal });
      clearTimeout(t);
      return ok;
    };
    return {
      kind: "locks",
      async acquire() {
        return await request({ ifAvailable: true }) || await waitFor(RELOAD_WAIT_MS);
      },
      async takeOver() {
        writeEntry(TAKEOVER_KEY, tabId);
        if (!await waitFor(TAKEOVER_WAIT_MS)) await request({ steal: true });
      },
      release() {
        const r = release;
        release = null;
        if (r) r();
      },
    };
  }

  /** localStorage heartbeat: this tab is active while TAB_KEY holds its id, kept fresh. */
  function heartbeatGuard(onLost) {
    let beat = null;
    const fresh = (e) => e && Math.abs(Date.now() - e.ts) < STALE_MS;
    const lost = () => {
      clearInterval(beat);
      beat = null;
      onLost();
    };
    const claim = () => {
      writeEntry(TAB_KEY, tabId);
      clearInterval(beat);
      beat = setInterval(() => {
        const e = readEntry(TAB_KEY);
        if (e && e.id !== tabId) lost(); // another tab claimed it (ours looked stale)
        else writeEntry(TAB_KEY, tabId);
      }, BEAT_MS);
    };
    window.addEventListener("storage", (ev) => {
      if (ev.key !== TAB_KEY || !beat) return;
      const e = readEntry(TAB_KEY); // the current value: the last writer wins
      if (e && e.id !== tabId) lost();
    });
    window.addEventListener("pagehide", () => { // a reload must not find its own heartbeat
      const e = readEntry(TAB_KEY);
      if (beat && e && e.id === tabId) localStorage.removeItem(TAB_KEY);
    });
    return {
      kind: "heartbeat",
      acquire() {
        const e = readEntry(TAB_KEY);
        if (fresh(e) && e.id !== tabId) return false;
        claim();
        return true;
      },
      takeOver() {
        writeEntry(TAKEOVER_KEY, tabId);
        const started = Date.now();
        return new Promise((resolve) => {
          const poll = setInterval(() => {
            const e = readEntry(TAB_KEY);
            if (!fresh(e) || e.id === tabId || Date.now() - started > TAKEOVER_WAIT_MS) {
              clearInterval(poll);
              claim();
              resolve();
            }
          }, 150);
        });
      },
      release(nextId) { // hand the heartbeat to the tab taking over, or drop it
        clearInterval(beat);
        beat = null;
        const e = readEntry(TAB_KEY);
        if (!e || e.id !== tabId) return;
        if (nextId) writeEntry(TAB_KEY, nextId);
        else localStorage.removeItem(TAB_KEY);
      },
    };
  }

  async function chooseGuard(onLost) {
    try {
      if (navigator.locks && typeof navigator.locks.request === "function") {
        await navigator.locks.query(); // throws where the page's origin may not use locks
        return lockGuard(onLost);
      }
    } catch (e) {
      console.warn("Cartable: Web Locks unavailable, using a heartbeat", e);
    }
    return heartbeatGuard(onLost);
  }

  // The active tab: another one asks to take over.
  window.addEventListener("storage", (ev) => {
    if (ev.key !== TAKEOVER_KEY || !active || !ev.newValue) return;
    const e = readEntry(TAKEOVER_KEY);
    if (e && e.id !== tabId) deactivate(false, e.id);
  });

  // A page restored from the back-forward cache checks again, like a new page.
  window.addEventListener("pageshow", (ev) => { if (ev.persisted) location.reload(); });

  /** Stop being the active tab: `stolen` when the lock is already gone (stop writing at once),
   * otherwise finish the work already asked, then let `nextId` go on. */
  async function deactivate(stolen, nextId) {
    if (!active) return;
    active = false;
    deactivated = true;
    clearTimeout(timer);
    showTabScreen("taken");
    try {
      if (worker && !failed) await control("stop", { now: stolen });
    } catch (e) {
      console.error("Cartable: stopping the worker", e);
    } finally {
      if (!stolen) guard.release(nextId);
    }
  }

  /** The "other-tab" screen: `reason` "other" (another tab is active) or "taken" (this tab
   * was active until another one took over). */
  function showTabScreen(reason) {
    const old = $("boot-other-tab");
    if (old) old.remove();
    const recoveryScreen = $("boot-recovery");
    if (recoveryScreen) recoveryScreen.remove();
    $("boot").hidden = true;
    $("boot-error").hidden = true;
    $("app").hidden = true;
    root.dataset.state = "other-tab";

    const status = node("p", { id: "onglet-etat", class: "boot-recovery-status",
                                role: "status", "aria-live": "polite" });
    const taken = reason === "taken";
    const go = node("button", { type: "button", class: "boot-button",
      id: taken ? "onglet-reprendre" : "onglet-utiliser",
      text: taken ? "Reprendre ici" : "Utiliser Cartable dans cet onglet" });
    go.addEventListener("click", () => {
      go.disabled = true;
      status.textContent = "Fermeture de Cartable dans l'autre onglet…";
      guard.takeOver().then(() => {
        if (taken) { // this page's copy is out of date: start again from the saved database
          guard.release();
          status.textContent = "Rechargement…";
          location.reload();
          setTimeout(() => { go.disabled = false; status.textContent = ""; }, 3000);
        } else {
          screen.remove();
          active = true;
          $("boot").hidden = false;
          $("app").hidden = false;
          start();
        }
      });
    });
    const screen = node("div", { id: "boot-other-tab", class: "boot boot-other-tab",
                                 role: "alert", "data-reason": reason },
      node("h1", { class: "boot-title", text: taken ? "Cet onglet est désactivé"
        : "Cartable est déjà ouvert" }),
      node("p", { class: "boot-error-text", text: taken
        ? "Cartable a été ouvert dans un autre onglet : cet onglet est désactivé pour ne rien " +
          "perdre. Fermez-le, ou cliquez sur «\u00a0Reprendre ici\u00a0»."
        : "Cartable est déjà ouvert dans un autre onglet ou une autre fenêtre. Pour ne rien " +
          "perdre, un seul onglet peut être utilisé à la fois." }),
      node("p", {}, go),
      node("p", { class: "boot-other-tab-hint", text: taken
        ? "«\u00a0Reprendre ici\u00a0» désactive l'autre onglet et recharge celui-ci avec les " +
          "dernières données enregistrées."
        : "Ce bouton désactive l'autre onglet après avoir enregistré son travail. Sinon, " +
          "fermez cet onglet et revenez à l'autre." }),
      status);
    if (taken && persistError) {
      // The last changes made here could not be stored: offer them before anything else.
      const rescue = node("button", { type: "button", class: "boot-button boot-danger",
        id: "onglet-secours", text: "Télécharger le fichier de l'école" });
      rescue.addEventListener("click", () => {
        control("rescue", {}).then((r) => Cartable.download(r.data, r.filename,
          "application/octet-stream"), (e) => { status.textContent = e.message; });
      });
      screen.insertBefore(node("div", { class: "boot-other-tab-warning" },
        node("p", { text: "Attention : les dernières modifications faites dans cet onglet " +
          "n'avaient pas pu être enregistrées dans ce navigateur. Téléchargez le fichier de " +
          "l'école pour les garder." }), rescue), status);
    }
    document.body.insertBefore(screen, $("app"));
    go.focus();
  }

  // -- go ------------------------------------------------------------------------------------

  /** Start Python (this tab is the active one). */
  function start() {
    startedAt = performance.now();
    timer = setTimeout(() => fail(
      "Le démarrage a pris trop de temps (plus de " + Math.round(TIMEOUT_MS / 1000) +
      " secondes) : un fichier de Cartable manque ou est abîmé, ou ce navigateur ne convient " +
      "pas."), TIMEOUT_MS);
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
  }

  if (!config || !Array.isArray(config.files)) {
    fail("Le fichier assets/config.js est introuvable : le dossier de Cartable est incomplet.");
    return;
  }
  if (typeof WebAssembly !== "object" || typeof DecompressionStream !== "function") {
    fail("Ce navigateur est trop ancien pour Cartable.");
    return;
  }
  chooseGuard(() => deactivate(true)).then(async (g) => {
    guard = g;
    root.dataset.tabs = g.kind;
    const ok = await g.acquire();
    performance.mark("cartable:tab");
    return ok;
  }).catch((e) => {
    console.error("Cartable: the one-tab check failed", e);
    return true; // better a working Cartable than none
  }).then((ok) => {
    if (ok) {
      active = true;
      start();
    } else {
      showTabScreen("other");
    }
  });
})();
