/* Fichier de l'école (director): where the school file is, save it (protected or not), open
 * another one. Keeping it up to date is web/ui/keeper.js; opening is web/ui/school_open.js. */
import { el, append, button, field, filePicker, nextId, heading } from "../../shared/dom.js";
import * as Shell from "../shell.js";
import * as Passphrase from "../passphrase.js";
import * as SchoolOpen from "../school_open.js";
import * as Keeper from "../keeper.js";

const { busy, showError } = Shell;

function openBlock(section) {
  const id = nextId("fichier-ecole");
  const input = el("input", { type: "file", id, accept: ".sqlite3,.sqlite,.db,application/octet-stream,application/vnd.sqlite3" });
  const openBtn = button("Ouvrir ce fichier d'école", () => {
    const f = input.files && input.files[0];
    if (!f) {
      showError(new Error("Choisissez d'abord le fichier de l'école à ouvrir."));
      return;
    }
    // The core's confirmation names both schools before anything is replaced.
    busy(openBtn, "Ouverture du fichier de l'école…", () => SchoolOpen.open(f, section));
  }, { class: "danger", id: "ouvrir-fichier" });
  return el("section", { class: "bloc" }, el("h3", { text: "Ouvrir un fichier d'école" }),
    el("p", { class: "avertissement-texte", text: "L'école actuelle sera remplacée par celle du fichier : Cartable vous dira d'abord de quelle école et de quelle date est le fichier." }),
    el("div", { class: "champ" }, el("label", { for: id, text: "Fichier de l'école" }), filePicker(input)),
    el("div", { class: "actions" }, openBtn));
}

async function downloadProtected(p1, p2) {
  if (p1.value !== p2.value) throw new Error("Les deux phrases ne sont pas identiques. Tapez-les à nouveau.");
  await Shell.call("school.check_passphrase", { passphrase: p1.value });
  const r = await Shell.call("school.file_bytes");
  const sealed = await Passphrase.protect(r.data, p1.value);
  const name = r.filename.replace(/\.sqlite3$/, "-protege.sqlite3");
  window.Cartable.download(sealed, name, "application/octet-stream");
  p1.value = "";
  p2.value = "";
  await Keeper.refresh(); // the file handed out carries its save time: "last saved" is now
  Shell.showNotice(`Le fichier protégé « ${name} » a été téléchargé. Sans la phrase de passe, personne ne peut l'ouvrir, vous non plus : notez-la en lieu sûr.`);
}

function protectBlock() {
  const attrs = { type: "password", autocomplete: "new-password" };
  const p1 = field("Phrase de passe", { ...attrs, id: "phrase-protection" },
    (Keeper.savingTexts() || {}).phrase_aide); // the core's rule (school.saving_texts)
  const p2 = field("Confirmez la phrase de passe", { ...attrs, id: "phrase-protection-2" });
  const go = button("Télécharger le fichier protégé", () => busy(go, "Protection du fichier…", () => downloadProtected(p1.input, p2.input)),
    { class: "principal", id: "telecharger-protege" });
  return el("section", { class: "bloc" }, el("h3", { text: "Protéger le fichier qui quitte l'ordinateur" }),
    el("p", { text: "Pour envoyer ou transporter le fichier de l'école, protégez-le par une phrase de passe : il est alors chiffré, et Cartable demandera la phrase pour l'ouvrir." }),
    p1.row, p2.row, el("div", { class: "actions" }, go));
}

Shell.screen({
  id: "fichier",
  label: "Fichier de l'école",
  roles: ["directeur"],
  order: 100,
  render(section) {
    append(section, heading("Fichier de l'école"));
    append(section, el("p", { text: "Tout est enregistré dans ce navigateur, sur cet ordinateur. Le fichier de l'école (sur une clé USB, par exemple) contient toute l'école (niveaux, classes, élèves, comptes, validations) : c'est la copie qui permet de la retrouver sur un autre ordinateur, après un incident, ou quand le dossier Cartable a été déplacé." }));
    const saveBtn = button("Enregistrer le fichier de l'école", () => {
      busy(saveBtn, "Préparation du fichier de l'école…", Keeper.download);
    }, { class: "principal", id: "enregistrer-fichier" });
    const save = el("section", { class: "bloc" }, el("h3", { text: "Enregistrer le fichier de l'école" }),
      el("div", { class: "actions" }, saveBtn));
    append(section, [Keeper.statusBlock(), save, protectBlock(), openBlock(section)]);
  },
});
