/* Opening a school file, and erasing Cartable's data from this computer.
 *
 *   SchoolOpen.open(file, where)   the whole opening: a protected file asks for its passphrase
 *                                  (a form in `where`; a wrong one changes nothing); the core
 *                                  describes the file (school.describe_file): a dialog always
 *                                  shows what it holds (school, UAI, last change, pupils,
 *                                  decisions, bilans) and, when a school would be replaced, the
 *                                  core's sentence naming both; confirmed, school.replace_file,
 *                                  then the login screen. Even on an empty browser (a moved
 *                                  folder): the director sees which of her files she opens.
 *   SchoolOpen.picker(where, attrs) a button "Ouvrir un fichier d'école" and its hidden input
 *                                  (id "ouvrir-fichier-ecole" unless attrs.id), opening on change.
 *   SchoolOpen.erase()             deletes Cartable's IndexedDB databases and its localStorage
 *                                  keys ("cartable.…") — nothing else: every file:// page of
 *                                  the browser shares this storage — then reloads the page.
 */
import { el, button, field, readFile } from "../shared/dom.js";
import * as Shell from "./shell.js";
import * as Passphrase from "./passphrase.js";
import * as Confirm from "./confirm.js";

const DATABASES = ["cartable", "cartable-fichier"]; // the school; the chosen file (keeper.js)
const KEY_PREFIX = "cartable.";

/** A passphrase form in `where`; resolves to the decrypted bytes, or null if cancelled. */
function askPassphrase(bytes, where, name) {
  return new Promise((resolve) => {
    const form = el("form", { class: "formulaire bloc phrase-de-passe", novalidate: true });
    const phrase = field("Phrase de passe du fichier", { type: "password", autocomplete: "off",
      id: "phrase-ouverture" });
    const error = el("p", { class: "alerte erreur", role: "alert", hidden: true });
    const ok = el("button", { type: "submit", class: "principal", text: "Ouvrir le fichier protégé" });
    const cancel = button("Annuler", () => { form.remove(); resolve(null); }, { class: "secondaire" });
    form.append(el("p", { text: `« ${name} » est protégé par une phrase de passe. Tapez-la pour l'ouvrir.` }),
      phrase.row, error, el("div", { class: "actions" }, ok, cancel));
    where.appendChild(form);
    phrase.input.focus();
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      Shell.busy(ok, "Déchiffrement du fichier…", async () => {
        try {
          const plain = await Passphrase.unprotect(bytes, phrase.input.value);
          form.remove();
          resolve(plain);
        } catch (err) {
          error.textContent = err.message;
          error.hidden = false;
          phrase.input.focus();
          phrase.input.select();
        }
      });
    });
  });
}

async function open(file, where) {
  let data = await readFile(file);
  if (Passphrase.isProtected(data)) {
    const bytes = data;
    data = await Shell.awaitUser(() => askPassphrase(bytes, where, file.name));
    if (!data) return false;
  }
  const about = await Shell.call("school.describe_file", { data, nom_fichier: file.name });
  const yes = await Confirm.ask({ id: "confirmer-ouverture", title: about.titre,
    message: about.message, items: about.contenu,
    ok: "Ouvrir cette école", cancel: "Annuler" });
  if (!yes) return false;
  await Shell.call("school.replace_file", { data });
  Shell.endSession(); // the file has its own accounts: every session ended
  await Shell.refreshStatus();
  if (Shell.state.status.needs_setup) Shell.open("creation");
  else Shell.open("connexion", { message: `L'école « ${about.fichier.nom} » a été ouverte depuis le fichier « ${file.name} ». Connectez-vous avec un compte de cette école.` });
  return true;
}

function picker(where, attrs = {}) {
  const input = el("input", { type: "file", id: attrs.id || "ouvrir-fichier-ecole", class: "fichier-natif",
    accept: ".sqlite3,.sqlite,.db,application/octet-stream,application/vnd.sqlite3",
    "aria-label": "Fichier de l'école à ouvrir" });
  const btn = button(attrs.label || "Ouvrir un fichier d'école", () => input.click(),
    { class: attrs.class || "secondaire", id: `${input.id}-bouton` });
  input.addEventListener("change", () => {
    const f = input.files && input.files[0];
    if (!f) return;
    Shell.busy(btn, "Ouverture du fichier de l'école…", async () => {
      try {
        await open(f, where);
      } finally {
        input.value = "";
      }
    });
  });
  return el("span", { class: "ouvrir-fichier" }, input, btn);
}

function deleteDatabase(name) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    // "blocked" only while a save is writing: success follows once it closes its connection
  });
}

async function erase() {
  for (const name of DATABASES) await deleteDatabase(name);
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k && k.startsWith(KEY_PREFIX)) keys.push(k);
  }
  for (const k of keys) localStorage.removeItem(k);
  sessionStorage.setItem("cartable.efface", "1");
  location.reload();
}

export { open, picker, erase, DATABASES, KEY_PREFIX };
