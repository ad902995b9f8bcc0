/* Livret scolaire (the class's teachers and the director): choose a class (CP to CM2) and a
 * period, then fill its bilans périodiques (ui/livret/livret.js). The classes, periods and the
 * default choice are the core's (livret.choices).
 */
import { el, append, button, heading } from "../../shared/dom.js";
import { plural, date } from "../format.js";
import * as Shell from "../shell.js";
import * as Livret from "../livret/livret.js";

const { call, busy } = Shell;
let last = null; // the class and period opened last: offered again

function options(list, chosen, text) {
  return list.map((x) => el("option", { value: String(x.id), text: text(x), selected: x.id === chosen }));
}

async function choose(section) {
  const choices = await call("livret.choices");
  if (!choices.periodes.length) {
    section.appendChild(el("p", { class: "aide", text: Shell.isDirector()
      ? "Les périodes de l'année scolaire ne sont pas encore définies : indiquez-les dans l'écran « Périodes »."
      : "Les périodes de l'année scolaire ne sont pas encore définies : le directeur ou la directrice doit les indiquer." }));
    if (Shell.isDirector()) section.appendChild(button("Définir les périodes", () => Shell.go("periodes"), { class: "principal" }));
    return;
  }
  if (!choices.classes.length) {
    section.appendChild(el("p", { class: "aide", text: Shell.isDirector()
      ? "Aucune classe du CP au CM2 : importez les élèves (extraction ONDE)."
      : "Aucune classe ne vous est attribuée : le directeur ou la directrice peut vous en attribuer une." }));
    return;
  }
  const pick = last || choices.defaut;
  const classe = el("select", { id: "livret-classe" }, ...options(choices.classes, pick.classe_id,
    (c) => `${c.nom} (${plural(c.nb_eleves, "élève", "élèves")})`));
  const periode = el("select", { id: "livret-periode" }, ...options(choices.periodes, pick.periode_id,
    (p) => `${p.nom} ${p.annee} (du ${date(p.date_debut)} au ${date(p.date_fin)})`));
  const open = button("Ouvrir le livret", () => busy(open, "Ouverture du livret…", async () => {
    const ids = { classe_id: Number(classe.value), periode_id: Number(periode.value) };
    const grid = await call("livret.grid", ids);
    last = ids;
    section.replaceChildren(heading("Livret scolaire"));
    await Livret.mount(section, grid);
  }), { class: "principal", id: "ouvrir-livret" });
  append(section, el("form", { class: "choix-livret", on: { submit: (e) => e.preventDefault() } },
    el("div", { class: "champ" }, el("label", { for: classe.id, text: "Classe" }), classe),
    el("div", { class: "champ" }, el("label", { for: periode.id, text: "Période" }), periode),
    el("div", { class: "actions" }, open)));
}

Shell.on("logout", () => { last = null; });

Shell.screen({
  id: "livret",
  label: "Livret scolaire",
  roles: ["directeur", "professeur"],
  order: 76,
  async render(section, opts = {}) {
    append(section, heading("Livret scolaire"));
    if (opts.grid) { // a draft taken back (ui/grid/draft.js), or a link of the home page
      last = { classe_id: opts.grid.classe.id, periode_id: opts.grid.periode.id };
      await Livret.mount(section, opts.grid);
      return;
    }
    section.appendChild(el("p", { class: "aide", text: "Pour chaque période : les éléments de programme travaillés par la classe, le positionnement de chaque élève sur les domaines de son cycle, les appréciations ; le directeur ou la directrice les transmet au Livret Scolaire Unique (LSU)." }));
    await choose(section);
  },
});
