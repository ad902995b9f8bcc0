/* Paliers du socle (director): the paliers the school uses. */
(() => {
  const { el, append, clear, button } = Dom;

  function render(box, paliers) {
    clear(box);
    const list = Dom.tickList("Paliers", paliers.map((p) => (
      { label: p.nom, checked: p.actif, value: p.id, attrs: { "data-id": p.id } })));
    const save = button("Valider ce choix de paliers", () => {
      Shell.busy(save, "Enregistrement des paliers…", async () => {
        const r = await Shell.call("paliers.set", { actifs: list.values() });
        render(box, r);
        const names = r.filter((p) => p.actif).map((p) => p.nom);
        Shell.showNotice(`Choix des paliers enregistré : ${names.join(" ; ") || "aucun palier"}.`);
      });
    }, { class: "principal" });
    append(box, [list.fieldset, el("div", { class: "actions" }, save)]);
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
