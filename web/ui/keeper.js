/* The school file is the copy that lasts: keeping it up to date.
 *
 * - Where the File System Access API exists (Chromium, Edge): the director chooses once where
 *   the school file lives (showSaveFilePicker: the USB stick or the disk); its handle is kept in
 *   IndexedDB ("cartable-fichier", store "handles"), and after each change of the school
 *   (Cartable.onChange) the file is rewritten while the director is logged in. At the next
 *   start the browser asks permission again: one click on "Reprendre l'enregistrement
 *   automatique dans NOM" (the banner shown when the director logs in).
 * - Elsewhere (Firefox): the core counts the work not yet in a saved file (the decisions and
 *   bilans changed since the last save, school.saving_state, one number for every screen); each
 *   time it reaches a multiple of the core's threshold, when the director logs in with that
 *   many unsaved (teachers' work, say), a banner offers a one-click download; logging out with
 *   unsaved work asks first (save, leave without saving, or stay).
 * The save time is the core's too (in the school file itself): "last saved" means saved.
 *
 *   Keeper.supported            File System Access available
 *   Keeper.statusBlock()        the "where is the school file" block (Fichier screen)
 *   Keeper.firstRunBlock()      the first screen's « Vous avez déjà une école ? » half
 *   Keeper.download()           download the school file now
 *   Keeper.refresh()            ask the core's count again (after another download of the file)
 *   Keeper.savingTexts()        the core's texts about saving (school.saving_texts), once loaded
 */
import { el, button } from "../shared/dom.js";
import * as Shell from "./shell.js";
import * as SchoolOpen from "./school_open.js";
import * as Confirm from "./confirm.js";
import { downloadSchoolFile } from "./school_download.js";

const HANDLES = "cartable-fichier";
const supported = typeof window.showSaveFilePicker === "function";
// Only Firefox ties a file:// page's storage to the folder's exact place: its warning is for it.
const firefox = /\bFirefox\//.test(navigator.userAgent);
let texts = null; // school.saving_texts
let handle = null; // FileSystemFileHandle
let permission = "none"; // "granted" | "prompt" | "denied" | "none"
let checked = false; // the file's content was checked (or accepted) before this page wrote it
let paused = false; // the director refused to overwrite the file: no automatic saving here
let writing = null; // the current automatic save
let again = false; // another change arrived while writing
let banner = null;
const listeners = new Set(); // re-render callbacks of visible status blocks

// -- the core's count ------------------------------------------------------------------

let fileState = null; // school.saving_state: the work unsaved, the save time, the sentences

/** Ask the core again (the director's only); re-renders the visible status blocks. */
async function refreshState() {
  fileState = Shell.isDirector() ? await Shell.call("school.saving_state") : null;
  for (const fn of listeners) fn();
  return fileState;
}

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

// -- the handle in IndexedDB ------------------------------------------------------------

function handles(mode, fn) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(HANDLES, 1);
    req.onupgradeneeded = () => req.result.createObjectStore("handles");
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction("handles", mode);
      const r = fn(tx.objectStore("handles"));
      tx.oncomplete = () => { db.close(); resolve(r && r.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
  });
}

async function loadHandle() {
  if (!supported) return;
  try {
    handle = (await handles("readonly", (s) => s.get("ecole"))) || null;
    permission = handle ? await handle.queryPermission({ mode: "readwrite" }) : "none";
  } catch (e) {
    console.error("Cartable: the school file's handle", e);
    handle = null;
    permission = "none";
  }
}

// -- saving -------------------------------------------------------------------------------

/** Before the first write of this page: what the file holds now may be another school, or
 *  this one changed elsewhere (on another computer with the same USB stick). The core then
 *  writes a confirmation naming both; refused, nothing is written and saving is paused. */
async function mayOverwrite() {
  if (checked) return true;
  const current = await handle.getFile();
  const data = new Uint8Array(await current.arrayBuffer());
  const about = await Shell.call("school.describe_file", { data, pour_ecrire: true, nom_fichier: handle.name });
  if (about.confirmation && !window.confirm(about.confirmation)) {
    paused = true;
    Shell.showNotice(`L'enregistrement automatique dans « ${handle.name} » est suspendu : le fichier n'a pas été modifié.`, "information");
    return false;
  }
  checked = true;
  return true;
}

async function writeNow() {
  if (paused || !(await mayOverwrite())) return false;
  const r = await Shell.call("school.file_bytes");
  const w = await handle.createWritable();
  await w.write(r.data);
  await w.close();
  await refreshState();
  return true;
}

// The browser's own reasons (DOMException messages) are English: the reason said in French.
const WRITE_FAILURES = {
  NotFoundError: "le fichier est introuvable (la clé USB est-elle branchée ?).",
  NotAllowedError: "le navigateur n'a pas l'autorisation d'écrire dans ce fichier.",
  SecurityError: "le navigateur n'a pas l'autorisation d'écrire dans ce fichier.",
  NoModificationAllowedError: "le fichier ne peut pas être modifié (clé USB protégée en écriture ?).",
  QuotaExceededError: "le disque ou la clé USB est plein.",
  InvalidStateError: "le fichier a été modifié ou déplacé entre-temps.",
};

/** Why an automatic save failed, in French: Cartable's own message, or the browser's reason. */
function failureReason(e) {
  const browser = typeof DOMException !== "undefined" && e instanceof DOMException;
  if (!browser) return (e && e.message) || "";
  return WRITE_FAILURES[e.name] || "le navigateur a refusé d'écrire dans ce fichier.";
}

/** Rewrite the chosen file; changes arriving meanwhile make one more write afterwards. */
function autoSave() {
  if (writing) { again = true; return writing; }
  writing = (async () => {
    let wrote = false;
    try {
      do { again = false; wrote = await writeNow(); } while (again && wrote);
      if (wrote) hideBanner();
    } catch (e) {
      console.error("Cartable: automatic save", e);
      permission = handle ? await handle.queryPermission({ mode: "readwrite" }).catch(() => "none") : "none";
      Shell.showError(new Error(fill(texts.auto_erreur, { nom: handle ? handle.name : "", raison: failureReason(e) })));
    } finally {
      writing = null;
      for (const fn of listeners) fn();
    }
    return wrote;
  })();
  return writing;
}

const canWrite = () => handle && permission === "granted" && !paused && Shell.isDirector();

async function choose() {
  let h;
  try {
    h = await window.showSaveFilePicker({ suggestedName: "ecole-cartable.sqlite3",
      types: [{ description: "Fichier de l'école Cartable", accept: { "application/vnd.sqlite3": [".sqlite3"] } }] });
  } catch (e) {
    if (e && e.name === "AbortError") return; // the director closed the picker
    throw e;
  }
  handle = h;
  permission = "granted";
  checked = false;
  paused = false;
  await handles("readwrite", (s) => s.put(h, "ecole"));
  if (await autoSave()) {
    Shell.showNotice(fill(texts.auto_actif, { nom: h.name, quand: fileState ? fileState.quand : "" }));
  }
}

async function resume() {
  permission = await handle.requestPermission({ mode: "readwrite" });
  if (permission === "granted") await autoSave();
  hideBanner();
  for (const fn of listeners) fn();
}

async function download() {
  await downloadSchoolFile();
  hideBanner();
  await refreshState();
}

// -- changes, reminders ---------------------------------------------------------------

// Commands whose change is no work of the school: opening a file, signing in, saving the file.
const NOT_WORK = new Set(["school.replace_file", "auth.login", "auth.logout", "school.file_bytes"]);

async function onChange(command) {
  // Another school file replaced the school: the chosen file holds what was here before, so
  // the next automatic save checks it again (mayOverwrite) instead of writing over it.
  if (command === "school.replace_file") checked = false;
  if (NOT_WORK.has(command) || !Shell.isDirector()) return;
  if (canWrite()) { autoSave(); return; }
  const before = fileState ? fileState.modifications : 0;
  const s = await refreshState();
  if (!s || handle) return; // a chosen file without permission: its banner says so
  const every = s.rappel_modifications;
  const shown = banner && banner.isConnected && banner.id === "rappel-fichier";
  if (!s.modifications) { if (shown) hideBanner(); return; }
  if (shown || Math.floor(s.modifications / every) > Math.floor(before / every)) remind();
}

function hideBanner() {
  if (banner && banner.isConnected) banner.remove();
  banner = null;
}

function showBanner(text, action, id) {
  hideBanner();
  banner = el("div", { class: "alerte information bandeau-fichier", role: "status", id: id || null },
    el("span", { class: "alerte-texte", text }), action);
  Shell.dom.banners.appendChild(banner);
}

function downloadButton(id) {
  const b = button("Enregistrer le fichier de l'école", () => Shell.busy(b, "Préparation du fichier de l'école…", download),
    { class: "principal", id });
  return b;
}

function remind() {
  if (!fileState || !fileState.rappel) return;
  showBanner(fileState.rappel, downloadButton("rappel-enregistrer"), "rappel-fichier");
}

function resumeButton(id) {
  const b = button(fill(texts.auto_reprendre, { nom: handle.name }),
    () => Shell.busy(b, "Enregistrement du fichier de l'école…", resume), { class: "principal", id });
  return b;
}

/** When the director logs in: the one-click resume, or write what teachers changed. */
async function onEnter() {
  await ensure();
  if (!Shell.isDirector()) return;
  const s = await refreshState();
  if (handle && permission !== "granted") {
    showBanner(texts.auto_attente, resumeButton("reprendre-auto"));
  } else if (canWrite() && s.modifications) {
    autoSave();
  } else if (!handle && s.rappeler) {
    remind();
  }
}

/** Before the director logs out with work not in a saved file: save it, leave, or stay. */
async function beforeLogout() {
  if (!Shell.isDirector()) return true;
  if (writing) await writing;
  const s = await refreshState().catch(() => null);
  if (!s || !s.modifications || canWrite()) return true;
  const choice = await Confirm.choose({ id: "rappel-deconnexion", title: texts.deconnexion_titre,
    message: s.rappel, choices: [
      { label: "Enregistrer le fichier, puis se déconnecter", value: "enregistrer", class: "principal", id: "deconnexion-enregistrer" },
      { label: "Se déconnecter sans enregistrer", value: "partir", id: "deconnexion-sans-enregistrer" },
      { label: "Annuler", value: null, id: "deconnexion-annuler" }] });
  if (choice === "enregistrer") await download();
  return choice !== null;
}

// -- blocks for the screens -------------------------------------------------------------

function statusLine() {
  const s = fileState;
  if (!s) return "";
  if (handle && permission === "granted" && !paused && s.dernier_enregistrement) {
    return fill(texts.auto_actif, { nom: handle.name, quand: s.quand });
  }
  return s.etat;
}

function statusBlock() {
  const box = el("section", { class: "bloc etat-fichier" });
  const render = () => {
    if (!box.isConnected && box.dataset.rendered) { listeners.delete(render); return; }
    box.dataset.rendered = "1";
    box.replaceChildren(el("h3", { text: "Où est le fichier de l'école" }),
      el("p", { class: "etat-enregistrement", id: "etat-fichier", text: statusLine() }));
    const actions = el("div", { class: "actions" });
    if (supported && (!handle || paused)) {
      box.appendChild(el("p", { text: texts.auto_choisir }));
      const b = button("Choisir où enregistrer le fichier de l'école", () => Shell.busy(b, "Enregistrement du fichier de l'école…", choose),
        { class: "principal", id: "choisir-fichier-auto" });
      actions.appendChild(b);
    } else if (supported && permission !== "granted") { // a new start: one click
      actions.appendChild(resumeButton("reprendre-auto-fichier"));
    }
    if (firefox) box.appendChild(el("p", { class: "avertissement-texte", id: "note-firefox", text: texts.firefox }));
    if (actions.childElementCount) box.appendChild(actions);
  };
  listeners.add(render);
  ensure().then(refreshState).then(render, Shell.showError);
  return box;
}

/** The first screen's half for a school that exists already (a moved folder, another
 *  computer): as visible as « Créer l'école » beside it. */
function firstRunBlock() {
  const intro = el("p");
  const note = firefox ? el("p", { class: "aide", id: "note-firefox-creation" }) : null;
  const block = el("section", { class: "bloc premiere-ouverture-fichier voie", "aria-labelledby": "titre-ouvrir-ecole" },
    el("h3", { id: "titre-ouvrir-ecole", text: "Vous avez déjà une école ? Ouvrez son fichier" }), intro);
  block.append(el("div", { class: "actions" }, SchoolOpen.picker(block, { class: "principal" })), ...(note ? [note] : []));
  if (sessionStorage.getItem("cartable.efface")) {
    sessionStorage.removeItem("cartable.efface");
    Shell.showNotice("Les données de Cartable ont été effacées de ce navigateur.");
  }
  ensure().then(() => {
    intro.textContent = texts.premiere_ouverture;
    if (note) note.textContent = texts.firefox;
  }, Shell.showError);
  return block;
}

// -- start --------------------------------------------------------------------------------

let loading = null;
function ensure() {
  loading = loading || (async () => {
    texts = await Shell.call("school.saving_texts");
    await loadHandle();
  })();
  return loading;
}

let subscribed = false;
Shell.on("start", () => {
  ensure().catch(Shell.showError);
  if (subscribed || !window.Cartable.onChange) return;
  subscribed = true; // start() runs again after a school file was opened in the recovery screen
  window.Cartable.onChange(onChange);
});
Shell.on("enter", () => { onEnter().catch(Shell.showError); });
Shell.on("logout", () => { fileState = null; hideBanner(); });
Shell.beforeLogout(beforeLogout);

/** The core's texts about saving (school.saving_texts), once loaded. */
function savingTexts() {
  return texts;
}

export { supported, statusBlock, firstRunBlock, download, savingTexts, refreshState as refresh };
