/* The livret scolaire printed for the families: one page per pupil and period (two if needed):
 * school, period, pupil, class, teachers; per domaine and sous-domaine the éléments de
 * programme, the positionnement as a mark in one of the four columns (Objectifs
 * d'apprentissage : non atteints … dépassés), the appréciation; parcours, modalités,
 * appréciation générale; signature lines. LivretPrint.show(classeId, periodeId) shows the
 * complete livrets over the application (« Tous les élèves » adds the others), with
 * « Imprimer » and « Fermer »; livret.css prints only them. Data and words: livret.print.
 */
import { el, append, button } from "../../shared/dom.js";
import { fullName, date, plural } from "../format.js";
import * as Shell from "../shell.js";

function rubriqueRow(data, r, label) {
  return el("tr", { "data-rubrique": r.code },
    el("th", { scope: "row", class: "rubrique-livret" }, el("span", { class: "nom", text: label }),
      r.elements.length ? el("ul", { class: "elements-imprimes" }, ...r.elements.map((x) => el("li", { text: x }))) : null),
    ...data.colonnes.map((c) => el("td", { class: "marque", "data-valeur": c.valeur,
      "aria-label": r.position === c.valeur ? c.nom : undefined }, r.position === c.valeur ? "×" : "")),
    el("td", { class: "marque-ne", text: r.position === 0 ? r.position_nom : "" }));
}

function domaineRows(data, d) {
  const rows = [];
  if (d.rubrique) rows.push(rubriqueRow(data, d.rubrique, d.nom));
  else {
    rows.push(el("tr", { class: "ligne-domaine-livret" }, el("th", { scope: "rowgroup", colspan: String(data.colonnes.length + 2), text: d.nom })));
    for (const s of d.sous_domaines) rows.push(rubriqueRow(data, s, s.nom));
  }
  if (d.appreciation) {
    rows.push(el("tr", { class: "appreciation-livret" }, el("td", { colspan: String(data.colonnes.length + 2) },
      el("strong", { text: "Appréciation : " }), d.appreciation)));
  }
  return rows;
}

function page(data, e) {
  const cols = data.colonnes.map((c) => el("th", { scope: "col", class: "colonne-position", text: c.nom.replace("Objectifs d'apprentissage ", "") }));
  const grid = el("table", { class: "tableau livret-domaines" },
    el("colgroup", {}, el("col", { class: "col-rubrique" }), ...data.colonnes.map(() => el("col")), el("col")),
    el("thead", {},
      el("tr", { class: "sur-titre" }, el("td"), el("td", { colspan: String(data.colonnes.length), text: "Objectifs d'apprentissage" }), el("td")),
      el("tr", {}, el("th", { scope: "col", text: "Domaines et éléments de programme travaillés" }),
        ...cols, el("th", { scope: "col", class: "colonne-position", text: "Non évalué" }))),
    el("tbody", {}, ...e.domaines.flatMap((d) => domaineRows(data, d))));
  const parcours = e.parcours.map((p) => el("li", {}, el("strong", { text: `${p.nom} : ` }), p.projet, p.commentaire ? ` — ${p.commentaire}` : ""));
  const modalites = e.modalites.map((m) => el("li", { text: `${m.nom}${m.complement ? ` : ${m.complement}` : ""}` }));
  return el("section", { class: "page-livret", "data-eleve": e.id },
    el("header", { class: "entete-livret" },
      el("p", { class: "nom-ecole", text: `${data.ecole.nom}${data.ecole.uai ? ` — UAI ${data.ecole.uai}` : ""}` }),
      el("h2", { text: data.titre }),
      el("p", {}, el("strong", { text: fullName(e) }), ` — classe ${data.classe}`,
        e.enseignants ? ` — ${e.enseignants}` : "")),
    grid,
    parcours.length ? el("div", { class: "bloc-livret" }, el("h3", { text: "Parcours éducatifs" }), el("ul", {}, ...parcours)) : null,
    modalites.length ? el("div", { class: "bloc-livret" }, el("h3", { text: "Modalités d'accompagnement" }), el("ul", {}, ...modalites)) : null,
    el("div", { class: "bloc-livret" }, el("h3", { text: "Appréciation générale" }), el("p", { text: e.appreciation_generale || "—" })),
    e.socle.length ? el("div", { class: "bloc-livret" }, el("h3", { text: "Composantes du socle commun" }),
      el("ul", {}, ...e.socle.map((s) => el("li", { text: `${s.nom} : ${s.position_nom}` })))) : null,
    el("p", { class: "aide", text: e.date ? `Livret établi le ${date(e.date)}.` : "" }),
    el("div", { class: "signatures" }, ...data.signatures.map((s, i) => el("div", {
      text: i === 1 && data.directeur ? `${s} (${data.directeur})` : s }))));
}

function close(box) {
  box.remove();
  document.body.classList.remove("impression-livret");
}

async function show(classeId, periodeId, tous) {
  const data = await Shell.call("livret.print", { classe_id: classeId, periode_id: periodeId, tous: !!tous });
  const old = document.getElementById("impression-livrets");
  if (old) close(old);
  const box = el("div", { id: "impression-livrets", class: "impression-livrets", role: "region", "aria-label": "Livrets à imprimer" });
  const left = data.nb_non_complets;
  const note = el("p", { class: "aide", id: "note-impression", text: tous
    ? `Tous les élèves de la classe (${plural(data.eleves.length, "livret", "livrets")}).`
    : `${plural(data.eleves.length, "livret complet", "livrets complets")} ; ${plural(left, "livret incomplet n'est pas imprimé", "livrets incomplets ne sont pas imprimés")}.` });
  const all = button(tous ? "Seulement les livrets complets" : "Tous les élèves",
    () => Shell.busy(all, "Préparation des livrets…", () => show(classeId, periodeId, !tous)), { class: "secondaire", id: "imprimer-tous" });
  const bar = el("div", { class: "actions barre-impression" },
    button("Imprimer", () => window.print(), { class: "principal" }), all,
    button("Fermer", () => close(box), { class: "secondaire", id: "fermer-impression" }), note);
  append(box, [bar, ...data.eleves.map((e) => page(data, e))]);
  document.body.appendChild(box);
  document.body.classList.add("impression-livret");
  box.scrollIntoView();
  box.querySelector("button").focus();
}

export { show };
