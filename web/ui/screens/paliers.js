/* Paliers du socle (director): the paliers the school uses. */
(() => {
  const { el, append, clear, checkbox, button } = Dom;

  function render(box, paliers) {
    clear(box);
    const fs = el("fieldset", { class: "liste-cases" }, el("legend", { text: "Paliers" }));
    const inputs = paliers.map((p) => {
      const c = checkbox(p.nom, { checked: !!p.actif, "data-id": p.id });
      fs.appendChild(c.row);
      return c.input;
    });
    const save = button("Valider ce choix de paliers", () => {
      Shell.busy(save, "Enregistrement des paliers…", async () => {
        const actifs = inputs.filter((i) => i.checked).map((i) => Number(i.getAttribute("data-id")));
        const r = await Shell.call("paliers.set", { actifs });
        render(box, r);
        const names = r.filter((p) => p.actif).map((p) => p.nom);
        Shell.showNotice(`Choix des paliers enregistré : ${names.join(" ; ") || "aucun palier"}.`);
      });
    }, { class: "principal" });
    append(box, [fs, el("div", { class: "actions" }, save)]);
  }

  Shell.screen({
    id: "paliers",
    label: "Paliers du socle",
    roles: ["directeur"],
    order: 30,
    async render(section) {
      append(section, Dom.heading("Paliers du socle"));
      append(section, el("p", { text: "Cochez les paliers utilisés par l'école (palier 1 et palier 2 pour une école élémentaire), puis validez. Seuls les paliers choisis apparaissent dans les écrans de validation." }));
      const box = el("div");
      section.appendChild(box);
      render(box, await Shell.call("paliers.list"));
    },
  });
})();
