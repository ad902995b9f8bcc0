/* The school file: downloading it, and the banner shown while saving in the browser fails.
 *
 * boot.js reports every failure to save in the browser (IndexedDB), and null once a later
 * save succeeds. While it fails, a banner offers the school file to any user:
 * Cartable.rescueFile() hands over the database as it is in this page, only while saving fails
 * (docs/SECURITY.md).
 */
const SchoolFile = (() => {
  const { el, button } = Dom;
  let listening = false;
  let lastMessage = null; // the last failure, until a later save succeeds
  let banner = null;

  async function download() {
    const r = await Shell.call("school.file_bytes");
    window.Cartable.download(r.data, r.filename, "application/octet-stream");
    Shell.showNotice(`Le fichier de l'école « ${r.filename} » a été téléchargé. Gardez-le en lieu sûr (clé USB…).`);
  }

  async function downloadRescue() {
    let r;
    try {
      r = await window.Cartable.rescueFile();
    } catch (e) {
      return download(); // saving works again meanwhile: the usual way
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
      () => Shell.busy(dl, "Préparation du fichier de l'école…", downloadRescue),
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

  return { download };
})();
