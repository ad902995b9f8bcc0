/* The shell: application state, the frame (header, menu, message areas), navigation between
 * screens, messages / notices / busy indicator, and the leave guard.
 *
 * Screens register themselves (one file each in ui/screens/, imported by ui/main.js):
 *
 *   Shell.screen({id, label, roles, order, render(section, opts)})   a screen of the menu
 *   Shell.screen({id, title, simple: true, render(card, opts)})       a screen without menu
 *                                                                     (setup, login…)
 *
 * `roles` lists who sees it in the menu ("directeur", "professeur"), `order` sorts the menu.
 * `render` fills its <section> (or its card) and may return a promise (errors are shown).
 * Shell.go(id, opts) shows a menu screen, Shell.open(id, opts) a simple one.
 *
 * It renders what the Python core returns (through window.Cartable, provided by boot.js) and
 * holds no rule of its own.
 */
import { el, append, clear, button, heading } from "../shared/dom.js";

const state = {
  status: null, // app.status result
  user: null, // logged-in user
  view: null, // current screen id
  leaveGuard: null, // (target screen id, or undefined at logout) -> bool: may we leave?
  validation: null, // selection kept between grids (palier, classe, élèves)
  strings: {}, // ui.strings: the core's rules and texts for the interface
  busy: [], // the busy indicator's stack: {text} of each running action, {text: null} while
  // the user is asked something (awaitUser): the top one is shown, none (or null) hides it
};
const dom = {}; // root, header, banners, nav, main, messages (= alerts = notices), busy, content
const screens = new Map();
const leaving = []; // onLeave: each () -> message while leaving the page would lose work, else null
const hooks = { enter: [], logout: [], start: [] };

// -- registry ---------------------------------------------------------------------------

function screen(spec) {
  if (!spec || !spec.id || typeof spec.render !== "function") {
    throw new Error("Shell.screen: id and render are required");
  }
  if (screens.has(spec.id)) throw new Error(`Shell.screen: ${spec.id} registered twice`);
  screens.set(spec.id, { roles: [], order: 0, ...spec });
}

function menuFor(user) {
  const role = user && user.role;
  return [...screens.values()]
    .filter((s) => !s.simple && s.roles.includes(role))
    .sort((a, b) => a.order - b.order);
}

function label(id) {
  const s = screens.get(id);
  return s ? s.label : id;
}

/** Register `unsaved` (() -> a message while closing or reloading the page would lose work,
 *  else null), asked by the page's leave guard with every other one; returns the function
 *  that unregisters it. */
function onLeave(unsaved) {
  leaving.push(unsaved);
  return () => {
    const i = leaving.indexOf(unsaved);
    if (i >= 0) leaving.splice(i, 1);
  };
}

/** The first registered `unsaved` message, or null when leaving loses nothing. */
function unsavedMessage() {
  for (const unsaved of leaving) {
    const message = unsaved();
    if (message) return message;
  }
  return null;
}

/** Run fn(arg) for each listener of `name` ("enter", "logout", "start"). */
function on(name, fn) { hooks[name].push(fn); }
function fire(name, arg) { for (const fn of hooks[name]) fn(arg); }

/** The page's beforeunload handler: the browser asks before closing or reloading the page
 *  while an onLeave guard says that work would be lost. */
function warnBeforeUnload(e) {
  const message = unsavedMessage();
  if (!message) return undefined;
  e.preventDefault();
  e.returnValue = message;
  return message;
}

// -- frame ------------------------------------------------------------------------------

function buildFrame() {
  const root = document.getElementById("app");
  clear(root);
  dom.root = root;
  dom.skip = el("a", { class: "evitement", href: "#contenu", text: "Aller au contenu" });
  dom.header = el("header", { class: "entete" });
  dom.banners = el("div", { class: "bandeaux" });
  dom.nav = el("nav", { class: "menu", "aria-label": "Menu principal" });
  // One message area per screen, kept in sight at the top of the window (sticky): each message
  // replaces the last; an error is role="alert" (read at once), a notice polite.
  dom.messages = el("div", { class: "messages alertes", "aria-live": "polite" });
  dom.alerts = dom.notices = dom.messages;
  dom.busy = el("div", { class: "occupe", role: "status", "aria-live": "polite", hidden: true });
  dom.content = el("div", { class: "contenu" });
  dom.main = el("main", { id: "contenu", tabindex: "-1" }, dom.messages, dom.busy, dom.content);
  dom.body = el("div", { class: "corps" }, dom.nav, dom.main);
  append(root, [dom.skip, dom.header, dom.banners, dom.body]);
}

function renderHeader() {
  clear(dom.header);
  const school = state.status && state.status.school;
  const title = el("div", { class: "titre" },
    el("span", { class: "nom-appli", text: "Cartable" }),
    school ? el("span", { class: "nom-ecole",
      text: school.nom + (school.uai ? ` (${school.uai})` : "") }) : null);
  let who = null;
  if (state.user) {
    const role = state.user.role === "directeur" ? "direction" : "professeur";
    who = el("div", { class: "utilisateur" },
      el("span", { class: "connecte",
        text: `Connecté : ${state.user.prenom} ${state.user.nom} (${role})` }),
      button("Se déconnecter", logout, { class: "secondaire", id: "deconnexion" }));
  }
  append(dom.header, [title, who]);
}

// -- the message area, busy --------------------------------------------------------------

function closable(kind, message, closeLabel) {
  const box = el("div", { class: `alerte ${kind}`, role: kind === "erreur" ? "alert" : "status" },
    el("span", { class: "alerte-texte", text: message }),
    button("Fermer", () => box.remove(), { class: "fermer", "aria-label": closeLabel }));
  return box;
}

/** The screen's one message: `box` replaces whatever was shown. */
function say(box) {
  clear(dom.messages);
  dom.messages.appendChild(box);
  return box;
}

function showError(err) {
  const message = err && err.message ? err.message : String(err);
  console.error(err);
  say(closable("erreur", message, "Fermer ce message d'erreur"));
  if (err && (err.code === "session" || err.code === "login") && state.user) {
    endSession();
    open("connexion", { message }); // the login screen says why (an ended session: its draft)
  }
}

function showNotice(message, kind) {
  return say(closable(kind || "succes", message, "Fermer ce message"));
}

function clearMessages() {
  clear(dom.messages);
}

/** An error of an earlier action goes when a new action starts (it answers for itself). */
function clearErrors() {
  for (const box of dom.messages.querySelectorAll(".alerte.erreur")) box.remove();
}

function paintBusy() {
  if (!dom.busy) return;
  const top = state.busy[state.busy.length - 1];
  const shown = !!(top && top.text);
  dom.busy.hidden = !shown;
  dom.busy.textContent = shown ? top.text : "";
  if (shown) dom.main.setAttribute("aria-busy", "true");
  else dom.main.removeAttribute("aria-busy");
}

/** Run `fn` with `entry` on the busy stack; it leaves the stack however fn ends. */
async function withBusyEntry(entry, fn) {
  state.busy.push(entry);
  paintBusy();
  try {
    return await fn();
  } finally {
    state.busy.splice(state.busy.indexOf(entry), 1);
    paintBusy();
  }
}

/** The running action's text (the innermost busy) changes. */
function setBusyText(text) {
  const top = [...state.busy].reverse().find((b) => b.text !== null);
  if (top) top.text = text;
  paintBusy();
}

/** While the user is asked something (a dialog, a passphrase), no busy text is shown: `fn`'s
 *  promise is the wait. An action started from there shows its own text, then none again. */
function awaitUser(fn) {
  return withBusyEntry({ text: null }, fn);
}

/** Run fn() (returning a promise) with the button disabled and the busy indicator shown.
 *  An earlier error is cleared; an error is shown in the message area; resolves to fn's result
 *  or undefined on error. */
async function busy(btn, text, fn) {
  if (btn) {
    btn.disabled = true;
    btn.setAttribute("aria-busy", "true");
  }
  clearErrors();
  try {
    return await withBusyEntry({ text: text || "Traitement en cours…" }, fn);
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    if (btn) {
      btn.disabled = false;
      btn.removeAttribute("aria-busy");
    }
  }
}

function call(command, payload) {
  return window.Cartable.call(command, payload || {});
}

// -- start, status, simple screens ------------------------------------------------------

async function start() {
  buildFrame();
  fire("start");
  window.addEventListener("beforeunload", warnBeforeUnload);
  try {
    state.strings = await call("ui.strings");
    await refreshStatus();
    if (state.status.needs_setup) open("creation");
    else if (state.status.user && !state.status.user.must_change_password) enterApp(state.status.user);
    else open("connexion");
    performance.mark("cartable:screen"); // the first screen is shown (bench/startup.py)
  } catch (e) {
    buildFrame();
    showError(e);
  }
}

async function refreshStatus() {
  state.status = await call("app.status");
  renderHeader();
  return state.status;
}

/** Show the simple screen `id` (no menu): its render(card, opts) fills a card. */
function open(id, opts) {
  const spec = screens.get(id);
  state.view = id;
  state.leaveGuard = null;
  dom.root.className = `ecran-simple ecran-${id}`;
  clear(dom.nav);
  dom.nav.hidden = true;
  clearMessages();
  clear(dom.content);
  renderHeader();
  const card = el("section", { class: "carte" }, heading(spec.title));
  dom.content.appendChild(card);
  run(() => spec.render(card, opts || {}));
}

/** The session ended without a logout (another school file was opened, the session expired):
 *  forget the user, and let every part drop what it showed for that session ("logout"). */
function endSession() {
  state.user = null;
  state.validation = null;
  state.leaveGuard = null;
  fire("logout");
}

const logoutChecks = [];
/** fn() -> Promise<boolean>, asked before logging out: false keeps the user logged in
 *  (keeper.js: the school file not saved since decisions changed). */
function beforeLogout(fn) {
  logoutChecks.push(fn);
}

async function logout() {
  if (!mayLeave()) return;
  for (const check of logoutChecks) if (!(await check())) return;
  await busy(document.getElementById("deconnexion"), "Déconnexion…", async () => {
    await call("auth.logout").catch(() => { /* already logged out */ });
    state.user = null;
    state.validation = null;
    clearMessages();
    fire("logout");
    await refreshStatus();
    open("connexion", { message: "La session est fermée. À bientôt !" });
  });
}

// -- the main frame with its menu -------------------------------------------------------

function isDirector() {
  return !!(state.user && state.user.role === "directeur");
}

function enterApp(user) {
  state.user = user;
  state.validation = null;
  dom.root.className = "ecran-appli";
  renderHeader();
  renderNav();
  dom.nav.hidden = false;
  const first = menuFor(user)[0];
  go(first ? first.id : null, { force: true });
  fire("enter", user);
}

function renderNav() {
  clear(dom.nav);
  const list = el("ul");
  for (const s of menuFor(state.user)) {
    const b = button(s.label, () => go(s.id), { class: "lien-menu", "data-vue": s.id });
    if (state.view === s.id) b.setAttribute("aria-current", "page");
    list.appendChild(el("li", {}, b));
  }
  dom.nav.appendChild(list);
}

function mayLeave(target) {
  return !(state.leaveGuard && !state.leaveGuard(target));
}

/** Show menu screen `id`. opts: force (skip the leave guard), keepMessages, noFocus, and
 *  anything the screen reads (e.g. {grid} for the validation screens). */
function go(id, opts = {}) {
  if (!opts.force && !mayLeave(id)) return;
  const spec = screens.get(id);
  state.leaveGuard = null;
  state.view = id;
  document.body.classList.remove("avec-fiche");
  renderNav();
  if (!opts.keepMessages) clearMessages();
  clear(dom.content);
  const section = el("section", { class: `vue vue-${id}` });
  dom.content.appendChild(section);
  if (spec) run(() => spec.render(section, opts));
  const h2 = section.querySelector("h2");
  if (h2 && !opts.noFocus) h2.focus();
}

function run(render) {
  let result;
  try {
    result = render();
  } catch (e) {
    result = Promise.reject(e);
  }
  Promise.resolve(result).catch(showError);
}

export {
  state, dom, screen, label, on, onLeave, beforeLogout, call, busy, setBusyText, awaitUser,
  showError, showNotice, clearMessages, start, refreshStatus, open, go, enterApp, isDirector, mayLeave,
  renderHeader, warnBeforeUnload, endSession,
};
