/* Fichier de l'école (director): download the school file, or open another one. */
(() => {
  const { el, append, button, filePicker, nextId } = Dom;
  const { busy, showError } = Shell;

  async function openFile(file) {
    const data = await Dom.readFile(file);
    await Shell.call("school.replace_file", { data });
    Shell.state.user = null;
    Shell.state.validation = null;
    await Shell.refreshStatus();
    if (Shell.state.status.needs_setup) Shell.open("creation");
    else Shell.open("connexion", { message: "Le fichier de l'école a été ouvert. Connectez-vous avec un compte de cette école." });
  }

  function openBlock() {
    const id = nextId("fichier-ecole");
    const input = el("input", { type: "file", id, accept: ".sqlite3,.sqlite,.db,application/octet-stream,application/vnd.sqlite3" });
    const openBtn = button("Ouvrir ce fichier d'école", () => {
      const f = input.files && input.files[0];
      if (!f) {
        showError(new Error("Choisissez d'abord le fichier de l'école à ouvrir."));
        return;
      }
      if (!window.confirm(`Ouvrir « ${f.name} » remplace TOUTE l'école actuelle de ce navigateur (élèves, comptes, validations). Enregistrez d'abord le fichier actuel si vous voulez le garder. Continuer ?`)) return;
      busy(openBtn, "Ouverture du fichier de l'école…", () => openFile(f));
    }, { class: "danger", id: "ouvrir-fichier" });
    return el("section", { class: "bloc" }, el("h3", { text: "Ouvrir un fichier d'école" }),
      el("p", { class: "avertissement-texte", text: "Attention : l'école actuelle sera remplacée par celle du fichier." }),
      el("div", { class: "champ" }, el("label", { for: id, text: "Fichier de l'école" }), filePicker(input)),
      el("div", { class: "actions" }, openBtn));
  }

  Shell.screen({
    id: "fichier",
    label: "Fichier de l'école",
    roles: ["directeur"],
    order: 100,
    render(section) {
      append(section, Dom.heading("Fichier de l'école"));
      append(section, el("p", { text: "Tout est enregistré dans ce navigateur, sur cet ordinateur. Enregistrez aussi régulièrement le fichier de l'école (sur une clé USB, par exemple) : il contient toute l'école (niveaux, classes, élèves, comptes, validations) et permet de la retrouver sur un autre ordinateur ou après un incident." }));
      const saveBtn = button("Enregistrer le fichier de l'école", () => {
        busy(saveBtn, "Préparation du fichier de l'école…", SchoolFile.download);
      }, { class: "principal", id: "enregistrer-fichier" });
      const save = el("section", { class: "bloc" }, el("h3", { text: "Enregistrer le fichier de l'école" }),
        el("div", { class: "actions" }, saveBtn));
      append(section, [save, openBlock()]);
    },
  });
})();
