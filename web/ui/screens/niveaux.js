/* Niveaux (director): the niveaux present in the school. */
import { el, append, clear, button, heading, tickList } from "../../shared/dom.js";
import { plural } from "../format.js";
import * as Shell from "../shell.js";


function render(box, niveaux) {
  clear(box);
  const list = tickList("Niveaux de l'école", niveaux.map((n) => ({
    label: n.ref + (n.nom && n.nom !== n.ref ? ` — ${n.nom}` : "") +
      (n.nb_classes ? ` (${plural(n.nb_classes, "classe", "classes")})` : ""),
    checked: n.actif, value: n.ref, attrs: { "data-ref": n.ref } })));
  const save = button("Enregistrer les niveaux", () => {
    Shell.busy(save, "Enregistrement des niveaux…", async () => {
      const actifs = list.values();
      render(box, await Shell.call("niveaux.set", { actifs }));
      Shell.showNotice(`Niveaux enregistrés : ${actifs.join(", ") || "aucun"}.`);
    });
  }, { class: "principal" });
  append(box, [list.fieldset, el("div", { class: "actions" }, save)]);
}

Shell.screen({
  id: "niveaux",
  label: "Niveaux",
  roles: ["directeur"],
  order: 20,
  async render(section) {
    append(section, heading("Niveaux"));
    append(section, el("p", { text: "Cochez les niveaux présents dans l'école, niveau par niveau. Un niveau qui a encore des classes ne peut pas être retiré." }));
    const box = el("div");
    section.appendChild(box);
    render(box, await Shell.call("niveaux.list"));
  },
});
