/* Périodes (director): the school year's periods for the livret scolaire (2 semestres,
 * 3 trimestres, or 4–5 périodes), each with its dates. The core proposes the current year's
 * default (periodes.default), saves them (periodes.set) and refuses in French what LSU would.
 */
import { el, append, clear, button, heading, table } from "../../shared/dom.js";
import { plural, date } from "../format.js";
import * as Shell from "../shell.js";

const { call, busy, showNotice } = Shell;
const COUNTS = [2, 3, 4, 5];

function periodRow(list, i, p) {
  const debut = el("input", { type: "date", id: `periode-${i + 1}-debut`, value: p.date_debut || "", required: true });
  const fin = el("input", { type: "date", id: `periode-${i + 1}-fin`, value: p.date_fin || "", required: true });
  const row = el("fieldset", { class: "periode", "data-indice": i + 1 },
    el("legend", { text: `Période ${i + 1}` }),
    el("div", { class: "champ" }, el("label", { for: debut.id, text: "Début" }), debut),
    el("div", { class: "champ" }, el("label", { for: fin.id, text: "Fin" }), fin));
  list.appendChild(row);
  return { debut, fin };
}

/** The form: how many periods, then one start and end date each (the proposal filled in). */
function form(section, proposal) {
  const rows = [];
  const list = el("div", { class: "liste-periodes" });
  const count = el("select", { id: "nombre-periodes" },
    ...COUNTS.map((n) => el("option", { value: String(n), text: plural(n, "période", "périodes"),
      selected: n === proposal.length })));
  const layout = (n) => {
    const kept = rows.map((r) => ({ date_debut: r.debut.value, date_fin: r.fin.value }));
    clear(list);
    rows.length = 0;
    for (let i = 0; i < n; i++) rows.push(periodRow(list, i, kept[i] || proposal[i] || {}));
  };
  count.addEventListener("change", () => layout(Number(count.value)));
  layout(proposal.length);
  const save = button("Enregistrer les périodes", () => busy(save, "Enregistrement des périodes…", async () => {
    const r = await call("periodes.set", { periodes: rows.map((p) => [p.debut.value, p.fin.value]) });
    showNotice(r.message);
    await render(section);
  }), { class: "principal", id: "enregistrer-periodes" });
  return el("form", { class: "formulaire-periodes", on: { submit: (e) => e.preventDefault() } },
    el("div", { class: "champ" }, el("label", { for: count.id, text: "Nombre de périodes" }), count),
    list, el("div", { class: "actions" }, save));
}

function years(annees) {
  if (!annees.length) return el("p", { class: "aide", text: "Aucune période enregistrée pour le moment." });
  return el("div", {}, ...annees.map((a) => table({ class: "tableau periodes-annee" },
    ["Période", "Du", "Au"], a.periodes.map((p) => [p.nom, date(p.date_debut), date(p.date_fin)]),
    `Année scolaire ${a.annee}`)));
}

async function render(section) {
  clear(section);
  append(section, heading("Périodes de l'année scolaire"));
  section.appendChild(el("p", { class: "aide", text: "Les livrets scolaires sont remplis pour chaque période : 2 semestres, 3 trimestres, ou 4 à 5 périodes. Leurs dates sont celles que l'école déclare dans LSU." }));
  const [proposal, list] = await Promise.all([call("periodes.default"), call("periodes.list")]);
  const current = proposal.actuelles.length ? proposal.actuelles : proposal.periodes;
  append(section, [el("h3", { text: `Année ${proposal.annee}${proposal.actuelles.length ? "" : " (dates proposées)"}` }),
    form(section, current), el("h3", { text: "Périodes enregistrées" }), years(list.annees)]);
}

Shell.screen({
  id: "periodes",
  label: "Périodes",
  roles: ["directeur"],
  order: 77,
  render,
});
