/* The "other tab" screen (#boot-other-tab): its texts and buttons; boot/tabs.js shows it and
 * wires its main button. */
import { el, download } from "../shared/dom.js";
import { TO_WORKER } from "../shared/protocol.js";
import * as BootLink from "./link.js";

const TEXTS = {
  other: {
    id: "onglet-utiliser", button: "Utiliser Cartable dans cet onglet",
    title: "Cartable est déjà ouvert",
    text: "Cartable est déjà ouvert dans un autre onglet ou une autre fenêtre. Pour ne rien " +
      "perdre, un seul onglet peut être utilisé à la fois.",
    hint: "Ce bouton désactive l'autre onglet après avoir enregistré son travail. Sinon, " +
      "fermez cet onglet et revenez à l'autre.",
  },
  taken: {
    id: "onglet-reprendre", button: "Reprendre ici",
    title: "Cet onglet est désactivé",
    text: "Cartable a été ouvert dans un autre onglet : cet onglet est désactivé pour ne rien " +
      "perdre. Fermez-le, ou cliquez sur «\u00a0Reprendre ici\u00a0».",
    hint: "«\u00a0Reprendre ici\u00a0» désactive l'autre onglet et recharge celui-ci avec les " +
      "dernières données enregistrées.",
  },
};

/** The last changes made here could not be stored: offer them before anything else. */
function memoryFileWarning(status) {
  const downloadButton = el("button", { type: "button", class: "boot-button boot-danger", id: "onglet-secours",
    text: "Télécharger le fichier de l'école" });
  downloadButton.addEventListener("click", () => {
    BootLink.request(TO_WORKER.MEMORY_FILE, {}).then((r) => download(r.data, r.filename, "application/octet-stream"),
      (e) => { status.textContent = e.message; });
  });
  return el("div", { class: "boot-other-tab-warning" },
    el("p", { text: "Attention : les dernières modifications faites dans cet onglet " +
      "n'avaient pas pu être enregistrées dans ce navigateur. Téléchargez le fichier de " +
      "l'école pour les garder." }), downloadButton);
}

/** {node, go (the main button), status} for `reason` "other" or "taken". */
function build(reason, persistError) {
  const t = TEXTS[reason];
  const status = el("p", { id: "onglet-etat", class: "boot-recovery-status", role: "status", "aria-live": "polite" });
  const go = el("button", { type: "button", class: "boot-button", id: t.id, text: t.button });
  const node = el("div", { id: "boot-other-tab", class: "boot boot-other-tab", role: "alert", "data-reason": reason },
    el("h1", { class: "boot-title", text: t.title }),
    el("p", { class: "boot-error-text", text: t.text }),
    el("p", {}, go),
    el("p", { class: "boot-other-tab-hint", text: t.hint }),
    reason === "taken" && persistError ? memoryFileWarning(status) : null,
    status);
  return { node, go, status };
}

export { build };
