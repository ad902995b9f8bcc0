/* The bilans de fin de cycle 2 printed for the families: one page per pupil (school, pupil, the
 * 8 composantes with the position in words, the synthèse, signature lines). BilanPrint.show(id)
 * shows them over the application, with "Imprimer" and "Fermer"; the print stylesheet prints
 * only them, one pupil per page. Texts about the data come from the core (bilan.print).
 */
import { el, append, button } from "../../shared/dom.js";
import { fullName, date } from "../format.js";
import * as Shell from "../shell.js";


function page(data, e) {
  const rows = e.composantes.map((c) => el("tr", {},
    el("th", { scope: "row", text: c.nom }),
    el("td", { class: `position pos-${c.position === null ? "aucune" : c.position}`, text: c.position_nom })));
  return el("section", { class: "page-bilan", "data-eleve": e.id },
    el("header", { class: "ecole-bilan" },
      el("p", { class: "nom-ecole", text: data.ecole.nom }),
      data.ecole.uai ? el("p", { text: `UAI ${data.ecole.uai}` }) : null),
    el("h2", { text: data.titre }),
    el("p", { class: "eleve-bilan" }, el("strong", { text: fullName(e) }),
      e.date_naissance ? ` — né(e) le ${date(e.date_naissance)}` : "", ` — classe ${data.classe}`),
    el("table", { class: "tableau composantes-bilan" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Composante du socle commun" }),
        el("th", { scope: "col", text: "Positionnement" }))),
      el("tbody", {}, rows)),
    el("h3", { text: "Synthèse des acquis de l'élève" }),
    el("p", { class: "synthese-bilan", text: e.synthese || "—" }),
    el("p", { class: "aide", text: e.date ? `Bilan établi le ${date(e.date)}${e.auteurs ? ` par ${e.auteurs}` : ""}.` : "" }),
    el("div", { class: "signatures" },
      el("div", { text: `Le directeur ou la directrice${data.directeur ? ` (${data.directeur})` : ""}` }),
      el("div", { text: "L'enseignant ou l'enseignante" }),
      el("div", { text: "Les responsables légaux" })));
}

function close(box) {
  box.remove();
  document.body.classList.remove("impression-bilan");
}

async function show(classeId) {
  const data = await Shell.call("bilan.print", { classe_id: classeId });
  const old = document.getElementById("impression-bilans");
  if (old) close(old);
  const box = el("div", { id: "impression-bilans", class: "impression-bilans", role: "region",
    "aria-label": "Bilans à imprimer" });
  const bar = el("div", { class: "actions" },
    button("Imprimer", () => window.print(), { class: "principal" }),
    button("Fermer", () => close(box), { class: "secondaire", id: "fermer-impression" }));
  append(box, [bar, ...data.eleves.map((e) => page(data, e))]);
  document.body.appendChild(box);
  document.body.classList.add("impression-bilan");
  box.scrollIntoView();
}

export { show };
