/* Protection des données (director): the core's page for the IEN / the académie's DPO
 * (protection.texte), printable, and "Effacer les données de cet ordinateur". */
import { el, append, button, heading } from "../../shared/dom.js";
import * as Shell from "../shell.js";
import * as SchoolOpen from "../school_open.js";
import * as Keeper from "../keeper.js";


function eraseBlock() {
  const box = el("section", { class: "bloc effacement" });
  const start = button("Effacer les données de cet ordinateur", () => {
    box.querySelector(".confirmation-effacement")?.remove();
    const dl = button("Télécharger d'abord le fichier de l'école", () => Shell.busy(dl, "Préparation du fichier de l'école…", Keeper.download),
      { class: "principal", id: "effacer-telecharger" });
    const yes = button("Oui, effacer définitivement", () => Shell.busy(yes, "Effacement…", SchoolOpen.erase),
      { class: "danger", id: "effacer-confirmer" });
    const no = button("Annuler", () => confirmBox.remove(), { class: "secondaire" });
    const school = (Shell.state.status && Shell.state.status.school) || {};
    const confirmBox = el("div", { class: "alerte avertissement confirmation-effacement", role: "alertdialog" },
      el("p", { text: `Toute l'école « ${school.nom || ""} » (élèves, comptes, validations) va être effacée de ce navigateur. Seuls les fichiers de l'école que vous avez enregistrés la conserveront. Téléchargez-en d'abord une dernière copie si vous en aurez besoin.` }),
      el("div", { class: "actions" }, dl, yes, no));
    box.appendChild(confirmBox);
    dl.focus();
  }, { class: "danger", id: "effacer-donnees" });
  append(box, [el("h3", { text: "Effacer les données de cet ordinateur" }),
    el("p", { text: "Efface l'école de ce navigateur (sa base IndexedDB « cartable » et ses réglages « cartable.… ») et rien d'autre. Les fichiers de l'école enregistrés ailleurs ne sont pas touchés." }),
    el("div", { class: "actions" }, start)]);
  return box;
}

Shell.screen({
  id: "protection",
  label: "Protection des données",
  roles: ["directeur"],
  order: 105,
  async render(section) {
    const page = await Shell.call("protection.texte");
    append(section, heading(page.titre));
    const text = el("article", { class: "texte-protection" });
    for (const s of page.sections) {
      append(text, el("h3", { text: s.titre }));
      for (const p of s.paragraphes) append(text, el("p", { text: p }));
      if (s.liste.length) append(text, el("ul", {}, s.liste.map((li) => el("li", { text: li }))));
    }
    const print = button("Imprimer cette page", () => window.print(), { class: "secondaire", id: "imprimer-protection" });
    append(section, [el("div", { class: "actions" }, print), text, eraseBlock()]);
  },
});
