/* Paliers du socle (director): the paliers the school uses. */
import { el, append, clear, button, heading, tickList } from "../../shared/dom.js";
import * as Shell from "../shell.js";


function render(box, paliers) {
  clear(box);
  // The paliers of a primary school first; the collège's apart (folded unless in use), under
  // the core's headings (paliers.list "rubrique").
  const tick = (legend, list) => tickList(legend, list.map((p) => (
    { label: p.nom, checked: p.actif, value: p.id, attrs: { "data-id": p.id } })));
  const ecole = paliers.filter((p) => p.ecole);
  const college = paliers.filter((p) => !p.ecole);
  const list = tick(ecole.length ? ecole[0].rubrique : "Paliers", ecole);
  const lists = [list];
  let apart = null;
  if (college.length) {
    const more = tick(college[0].rubrique, college);
    lists.push(more);
    apart = el("details", { class: "paliers-college", open: college.some((p) => p.actif) || null },
      el("summary", { text: college[0].rubrique }), more.fieldset);
  }
  const save = button("Valider ce choix de paliers", () => {
    Shell.busy(save, "Enregistrement des paliers…", async () => {
      const r = await Shell.call("paliers.set", { actifs: lists.flatMap((l) => l.values()) });
      render(box, r);
      const names = r.filter((p) => p.actif).map((p) => p.nom);
      Shell.showNotice(`Choix des paliers enregistré : ${names.join(" ; ") || "aucun palier"}.`);
    });
  }, { class: "principal" });
  append(box, [list.fieldset, apart, el("div", { class: "actions" }, save)]);
}

Shell.screen({
  id: "paliers",
  label: "Paliers du socle",
  roles: ["directeur"],
  order: 30,
  async render(section) {
    append(section, heading("Paliers du socle"));
    append(section, el("p", { text: "Cochez les paliers utilisés par l'école (palier 1 et palier 2 pour une école élémentaire), puis validez. Seuls les paliers choisis apparaissent dans les écrans de validation." }));
    const box = el("div");
    section.appendChild(box);
    render(box, await Shell.call("paliers.list"));
  },
});
