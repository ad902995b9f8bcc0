/* The school file is the copy that lasts: keeping it up to date.
 *
 * - Where the File System Access API exists (Chromium, Edge): the director chooses once where
 *   the school file lives (showSaveFilePicker: the USB stick or the disk); its handle is kept in
 *   IndexedDB ("cartable-fichier", store "handles"), and after each change of the school
 *   (Cartable.onChange) the file is rewritten while the director is logged in. At the next
 *   start the browser asks permission again: one click on "Reprendre l'enregistrement
 *   automatique dans NOM" (the banner shown when the director logs in).
 * - Elsewhere (Firefox): the screens say when the school file was last saved; every time the
 *   core's number of changes (school.saving_texts) is reached, and when the director logs in with
 *   that many changes unsaved (teachers' work, say), a banner offers a one-click download.
 *
 * localStorage "cartable.fichier" = {enregistre: ISO date-time of the last save or opening,
 * modifications: changes since, nom: the auto-saved file's name}.
 *
 *   Keeper.supported            File System Access available
 *   Keeper.statusBlock()        the "where is the school file" block (Fichier screen)
 *   Keeper.firstRunBlock(card)  the first-run screen's "Ouvrir un fichier d'école" part
 *   Keeper.download()           download the school file now (and record it)
 *   Keeper.opened(name)         a school file was just opened: nothing unsaved
 *   Keeper.savingTexts()        the core's texts about saving (school.saving_texts), once loaded
 */
import { el, append, button } from "../shared/dom.js";
import { plural } from "./format.js";
import * as Shell from "./shell.js";
import * as SchoolOpen from "./school_open.js";
import { downloadSchoolFile } from "./school_download.js";

const RECORD = "cartable.fichier";
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

// -- the record ---------------------------------------------------------------------------

function record() {
  try {
    return JSON.parse(localStorage.getItem(RECORD) || "null") || { modifications: 0 };
  } catch (e) {
    return { modifications: 0 };
  }
}

function setRecord(r) {
  try { localStorage.setItem(RECORD, JSON.stringify(r)); } catch (e) { /* full: shown elsewhere */ }
  for (const fn of listeners) fn();
}

function saved(name) {
  setRecord({ enregistre: new Date().toISOString(), modifications: 0, nom: name || null });
}

function when(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `le ${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} à ${pad(d.getHours())} h ${pad(d.getMinutes())}`;
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
  saved(handle.name);
  return true;
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
      Shell.showError(new Error(fill(texts.auto_erreur, { nom: handle ? handle.name : "", raison: e.message || "" })));
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
    Shell.showNotice(fill(texts.auto_actif, { nom: h.name, quand: when(new Date().toISOString()) }));
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
  saved(null);
  hideBanner();
}

// -- changes, reminders ---------------------------------------------------------------

function onChange(command) {
  if (command === "school.replace_file" || command === "auth.login") return;
  const r = record();
  r.modifications = (r.modifications || 0) + 1;
  setRecord(r);
  if (canWrite()) { autoSave(); return; }
  const every = texts ? texts.rappel_modifications : 0;
  if (every && r.modifications % every === 0 && Shell.isDirector()) remind();
}

function hideBanner() {
  if (banner && banner.isConnected) banner.remove();
  banner = null;
}

function showBanner(text, action) {
  hideBanner();
  banner = el("div", { class: "alerte information bandeau-fichier", role: "status" },
    el("span", { class: "alerte-texte", text }), action);
  Shell.dom.banners.appendChild(banner);
}

function downloadButton(id) {
  const b = button("Enregistrer le fichier de l'école", () => Shell.busy(b, "Préparation du fichier de l'école…", download),
    { class: "principal", id });
  return b;
}

function remind() {
  const n = record().modifications || 0;
  if (!n || !texts) return;
  showBanner(fill(texts.rappel, { n }), downloadButton("rappel-enregistrer"));
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
  if (handle && permission !== "granted") {
    showBanner(texts.auto_attente, resumeButton("reprendre-auto"));
  } else if (canWrite() && record().modifications) {
    autoSave();
  } else if (!handle && (record().modifications || 0) >= texts.rappel_modifications) {
    remind();
  }
}

// -- blocks for the screens -------------------------------------------------------------

function statusLine() {
  const r = record();
  if (handle && permission === "granted" && !paused && r.enregistre) {
    return fill(texts.auto_actif, { nom: handle.name, quand: when(r.enregistre) });
  }
  const base = r.enregistre ? fill(texts.dernier, { quand: when(r.enregistre) }) : texts.jamais;
  const n = r.modifications || 0;
  return n ? `${base} ${plural(n, "modification", "modifications")} depuis.` : base;
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
  ensure().then(render, Shell.showError);
  return box;
}

function firstRunBlock(card) {
  const intro = el("p");
  const note = firefox ? el("p", { class: "aide", id: "note-firefox-creation" }) : null;
  const block = el("section", { class: "bloc premiere-ouverture-fichier" }, intro,
    el("div", { class: "actions" }, SchoolOpen.picker(card, { class: "principal" })), note);
  const h2 = card.querySelector("h2");
  card.insertBefore(block, h2 ? h2.nextSibling : card.firstChild);
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

/** A school file was just opened (school_open.js): nothing is unsaved. */
function opened(name) {
  saved(name);
}

/** The core's texts about saving (school.saving_texts), once loaded. */
function savingTexts() {
  return texts;
}

export { supported, statusBlock, firstRunBlock, download, opened, savingTexts };
