/* The banner shown while saving in the browser fails.
 *
 * boot.js reports every failure to save in the browser (IndexedDB), and null once a later
 * save succeeds. While it fails, a banner offers the school file to any user:
 * Cartable.memoryFile() hands over the database as this page holds it in memory, only while
 * saving fails (docs/SECURITY.md).
 */
import { el, button } from "../shared/dom.js";
import * as Shell from "./shell.js";
import { downloadSchoolFile } from "./school_download.js";

let listening = false;
let lastMessage = null; // the last failure, until a later save succeeds
let banner = null;

/** The school file as this page holds it (the last changes included), for any user. */
async function downloadMemoryFile() {
  let r;
  try {
    r = await window.Cartable.memoryFile();
  } catch (e) {
    return downloadSchoolFile(); // saving works again meanwhile: the usual way
  }
  window.Cartable.download(r.data, r.filename, "application/octet-stream");
  Shell.showNotice(`Le fichier de l'école « ${r.filename} » a été téléchargé. Gardez-le en lieu sûr (clé USB…) : il contient les dernières modifications.`);
  return undefined;
}

function showBanner(message) {
  const text = message || "Les dernières modifications n'ont pas pu être enregistrées dans ce navigateur. Téléchargez le fichier de l'école pour ne rien perdre.";
  if (banner && banner.isConnected) {
    banner.querySelector(".alerte-texte").textContent = text;
    return;
  }
  const dl = button("Télécharger le fichier de l'école",
    () => Shell.busy(dl, "Préparation du fichier de l'école…", downloadMemoryFile),
    { class: "principal", id: "telecharger-secours" });
  banner = el("div", { class: "alerte erreur bandeau-persistance", role: "alert" },
    el("span", { class: "alerte-texte", text }), dl);
  Shell.dom.banners.appendChild(banner);
}

function hideBanner() {
  if (!banner || !banner.isConnected) return;
  banner.remove();
  banner = null;
  Shell.showNotice("L'enregistrement dans le navigateur fonctionne de nouveau : les modifications sont enregistrées.");
}

Shell.on("start", () => {
  if (window.Cartable.onPersistError && !listening) {
    listening = true;
    window.Cartable.onPersistError((e) => {
      lastMessage = e ? e.message : null;
      if (e) showBanner(e.message);
      else hideBanner();
    });
  } else if (lastMessage) {
    showBanner(lastMessage); // started again: the frame was rebuilt
  }
});
