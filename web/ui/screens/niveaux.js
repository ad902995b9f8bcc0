/* Niveaux (director): the niveaux present in the school. */
(() => {
  const { el, append, clear, checkbox, button } = Dom;

  function render(box, niveaux) {
    clear(box);
    const fs = el("fieldset", { class: "liste-cases" }, el("legend", { text: "Niveaux de l'école" }));
    const inputs = niveaux.map((n) => {
      const label = n.ref + (n.nom && n.nom !== n.ref ? ` — ${n.nom}` : "") +
        (n.nb_classes ? ` (${Format.plural(n.nb_classes, "classe", "classes")})` : "");
      const c = checkbox(label, { checked: !!n.actif, "data-ref": n.ref });
      fs.appendChild(c.row);
      return c.input;
    });
    const save = button("Enregistrer les niveaux", () => {
      Shell.busy(save, "Enregistrement des niveaux…", async () => {
        const actifs = inputs.filter((i) => i.checked).map((i) => i.getAttribute("data-ref"));
        render(box, await Shell.call("niveaux.set", { actifs }));
        Shell.showNotice(`Niveaux enregistrés : ${actifs.join(", ") || "aucun"}.`);
      });
    }, { class: "principal" });
    append(box, [fs, el("div", { class: "actions" }, save)]);
  }

  Shell.screen({
    id: "niveaux",
    label: "Niveaux",
    roles: ["directeur"],
    order: 20,
    async render(section) {
      append(section, Dom.heading("Niveaux"));
      append(section, el("p", { text: "Cochez les niveaux présents dans l'école, niveau par niveau. Un niveau qui a encore des classes ne peut pas être retiré." }));
      const box = el("div");
      section.appendChild(box);
      render(box, await Shell.call("niveaux.list"));
    },
  });
})();
