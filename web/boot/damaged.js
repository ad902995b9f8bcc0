/* The damaged-database screen: the school database stored in this browser cannot be opened
 * (its ids keep their first French name, "recuperation-…", and <html data-state="recovery">).
 *
 * Built here (not in index.html) because it is needed before app.js starts. It offers to
 * download the stored bytes, to open a school file, or to start a new school (confirmed);
 * the worker writes nothing over the stored bytes before that choice. */
import { el, download } from "../shared/dom.js";
import { TO_WORKER } from "../shared/protocol.js";
import { Boot } from "./state.js";
import * as BootLoading from "./loading.js";
import * as BootLink from "./link.js";
import * as Passphrase from "../ui/passphrase.js";

const { root, $ } = Boot;

/** The status line, the buttons, and act(label, work): run `work` with buttons disabled. */
function controls() {
  const status = el("p", { id: "recuperation-etat", class: "boot-recovery-status", role: "status", "aria-live": "polite" });
  const buttons = [];
  const say = (text, isError) => {
    status.textContent = text;
    status.classList.toggle("boot-recovery-error", !!isError);
  };
  const button = (id, label, cls, onClick) => {
    const b = el("button", { type: "button", id, class: cls, text: label });
    b.addEventListener("click", onClick);
    buttons.push(b);
    return b;
  };
  const act = (label, work) => {
    const busy = (on) => { for (const b of buttons) b.disabled = on; };
    busy(true);
    say(label);
    return work().then((r) => { busy(false); return r; }, (e) => {
      busy(false);
      say(e.message, true);
    });
  };
  return { status, say, button, act };
}

function downloadChoice(ui, size) {
  const button = ui.button("recuperation-telecharger", "Télécharger ces données (copie de secours)", "boot-button",
    () => ui.act("Préparation de la copie de secours…", async () => {
      const r = await BootLink.request(TO_WORKER.REPAIR, { action: "download" });
      download(r.data, r.filename, "application/octet-stream");
      ui.say(`La copie de secours « ${r.filename} » a été téléchargée. Gardez-la : ` +
        "un spécialiste pourra peut-être en récupérer une partie.");
    }));
  if (!size) button.disabled = true;
  return button;
}

/** A passphrase form in `where` for a protected school file; resolves to its decrypted bytes,
 * or null if cancelled (a wrong phrase says so and changes nothing). */
function askPassphrase(ui, where, bytes, name) {
  return new Promise((resolve) => {
    const form = el("form", { id: "recuperation-phrase", class: "boot-recovery-confirm", novalidate: true });
    const input = el("input", { type: "password", id: "recuperation-phrase-saisie", autocomplete: "off" });
    const error = el("p", { class: "boot-recovery-error", role: "alert", hidden: true });
    const ok = el("button", { type: "submit", class: "boot-button", text: "Ouvrir le fichier protégé" });
    const done = (value) => { form.remove(); resolve(value); };
    const cancel = ui.button("recuperation-phrase-annuler", "Annuler", "boot-button boot-secondary", () => done(null));
    form.append(el("p", { text: `« ${name} » est protégé par une phrase de passe. Tapez-la pour l'ouvrir.` }),
      el("label", { for: input.id, text: "Phrase de passe du fichier" }), input, error,
      el("div", { class: "boot-recovery-actions" }, ok, cancel));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      ok.disabled = true;
      Passphrase.unprotect(bytes, input.value).then(done, (err) => {
        ok.disabled = false;
        error.textContent = err.message;
        error.hidden = false;
        input.select();
      });
    });
    where.appendChild(form);
    input.focus();
  });
}

/** The file's contents and the question (from the core); resolves true once confirmed. */
function askOpen(ui, where, about) {
  return new Promise((resolve) => {
    const box = el("div", { id: "recuperation-ouverture", class: "boot-recovery-confirm", role: "alertdialog",
      "aria-labelledby": "recuperation-ouverture-titre" });
    const done = (value) => { box.remove(); resolve(value); };
    box.append(el("p", { id: "recuperation-ouverture-titre", class: "boot-recovery-question", text: about.titre }),
      el("ul", {}, ...about.contenu.map((line) => el("li", { text: line }))),
      el("p", { text: about.message }),
      el("div", { class: "boot-recovery-actions" },
        ui.button("recuperation-ouverture-confirmer", "Ouvrir cette école", "boot-button", () => done(true)),
        ui.button("recuperation-ouverture-annuler", "Annuler", "boot-button boot-secondary", () => done(false))));
    where.appendChild(box);
    $("recuperation-ouverture-confirmer").focus();
  });
}

/** "Open a school file": a protected file asks for its passphrase, then the screen shows what
 * the file holds (school, UAI, last change, pupils) and opens it once confirmed. */
function openChoice(ui) {
  const input = el("input", { type: "file", id: "recuperation-fichier", hidden: true,
    accept: ".sqlite3,.sqlite,.db,application/octet-stream,application/vnd.sqlite3" });
  const where = el("div", { class: "boot-recovery-open" });
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    where.replaceChildren();
    let data = new Uint8Array(await file.arrayBuffer());
    if (Passphrase.isProtected(data)) {
      ui.say("");
      data = await askPassphrase(ui, where, data, file.name);
      if (!data) return;
    }
    const about = await ui.act(`Lecture de « ${file.name} »…`, () =>
      BootLink.request(TO_WORKER.REPAIR, { action: "describe", data: data.slice(), name: file.name }));
    if (!about) return; // refused: the reason is on the status line
    ui.say("");
    if (!(await askOpen(ui, where, about))) {
      open.focus();
      return;
    }
    await ui.act(`Ouverture de « ${file.name} »…`, () =>
      BootLink.request(TO_WORKER.REPAIR, { action: "open", data }));
  });
  const open = ui.button("recuperation-ouvrir", "Ouvrir un fichier d'école…", "boot-button", () => input.click());
  return { open, input, where };
}

/** `size`: the unreadable bytes the worker holds (null: none could be read, so none can be
 *  kept aside: the new school replaces them). */
function newSchoolChoice(ui, size) {
  const confirmBox = el("div", { id: "recuperation-confirmation", class: "boot-recovery-confirm", role: "alertdialog",
    "aria-labelledby": "recuperation-confirmation-texte", hidden: true });
  const fresh = ui.button("recuperation-nouvelle", "Commencer une nouvelle école", "boot-button boot-danger", () => {
    confirmBox.hidden = false;
    $("recuperation-confirmer").focus();
  });
  confirmBox.append(
    el("p", { id: "recuperation-confirmation-texte", text: "Vous allez commencer une école " +
      "vide : configuration, comptes, élèves et validations seront à refaire (ou à " +
      "reprendre d'un fichier d'école). " + (size
        ? "Les données illisibles seront mises de côté dans ce navigateur, pas effacées. " +
          "Avez-vous téléchargé la copie de secours ?"
        : "Le navigateur n'a pas pu lire les données enregistrées : elles seront remplacées " +
          "par l'école vide et ne pourront plus être récupérées. Essayez d'abord de fermer " +
          "puis de rouvrir le navigateur, ou ouvrez un fichier d'école.") }),
    ui.button("recuperation-confirmer", "Oui, commencer une nouvelle école", "boot-button boot-danger", () => {
      confirmBox.hidden = true;
      ui.act("Création d'une nouvelle école…", () => BootLink.request(TO_WORKER.REPAIR, { action: "new" }));
    }),
    ui.button("recuperation-annuler", "Annuler", "boot-button boot-secondary", () => {
      confirmBox.hidden = true;
      fresh.focus();
    }));
  return { fresh, confirmBox };
}

/** Show the screen for the worker's "damaged" message {reason, detail, size}. */
function show(msg) {
  if (Boot.failed || Boot.deactivated) return;
  clearTimeout(Boot.timer); // the user takes the time needed to choose
  BootLoading.stop();
  $("boot").hidden = true;
  root.dataset.state = "recovery";
  const ui = controls();
  const downloadButton = downloadChoice(ui, msg.size);
  const { open, input, where } = openChoice(ui);
  const { fresh, confirmBox } = newSchoolChoice(ui, msg.size);
  const size = msg.size ? ` (${(msg.size / 1024).toFixed(0)} Ko)` : "";
  const screen = el("div", { id: "boot-recovery", class: "boot boot-recovery", role: "alert" },
    el("h1", { class: "boot-title", text: "Les données de l'école sont illisibles" }),
    el("p", { class: "boot-error-text", text: "Les données de l'école enregistrées dans " +
      `ce navigateur${size} sont illisibles : elles ont peut-être été abîmées (arrêt ` +
      "brutal de l'ordinateur, disque plein, nettoyage du navigateur…). Cartable ne les a " +
      "pas modifiées et ne les remplacera pas sans votre accord." }),
    el("p", { class: "boot-recovery-reason", text: `Détail : ${msg.reason || ""}` }),
    el("h2", { class: "boot-recovery-question", text: "Que voulez-vous faire ?" }),
    el("ol", { class: "boot-recovery-choices" },
      el("li", {}, downloadButton, el("p", { text: "Gardez une copie de ces données " +
        "(sur une clé USB, par exemple) avant toute autre chose." })),
      el("li", {}, open, input, el("p", { text: "Si vous avez enregistré le fichier de " +
        "l'école (ecole-cartable-….sqlite3), ouvrez-le : Cartable vous montre ce qu'il " +
        "contient ; il remplace ensuite les données illisibles et l'école repart de ce fichier." }), where),
      el("li", {}, fresh, el("p", { text: "Seulement si vous n'avez aucun fichier de " +
        "l'école : l'école repart de zéro." }), confirmBox)),
    ui.status,
    el("details", { class: "boot-error-details" },
      el("summary", { text: "Détails techniques" }),
      el("pre", { text: msg.detail || "" })));
  document.body.insertBefore(screen, $("app"));
  (msg.size ? downloadButton : open).focus();
}

export { show };
