/* A pupil's fiche beside the positionnement table: what LSU would still refuse (the core's
 * `manques`), when and by whom the livret was saved, then the texts: per domaine its éléments de
 * programme (the class's, adjustable for this pupil) and its appréciation, the appréciation
 * générale, the parcours (the class's projet, the pupil's comment), the modalités
 * d'accompagnement and, optionally, the 8 composantes du socle. Each text goes to the core when
 * it changes (livret.texts, kept in the draft until « Enregistrer »); limits are the core's.
 *
 * LivretFiche.create(grid, eleveId, {socle, onTexts(payload)}) -> {node, paint()}.
 */
import { el, nextId } from "../../shared/dom.js";
import { fullName, date } from "../format.js";

/** A textarea with its label and a character counter (limit from the core). */
function area(label, value, max, onChange, attrs = {}) {
  const extra = attrs.extra || {};
  const id = extra.id || nextId("texte-livret");
  const input = el("textarea", { rows: attrs.rows || "2", value: value || "", class: "texte-livret", ...extra, id });
  const counter = el("span", { class: "compteur", id: `${id}-compteur`, "aria-live": "polite" });
  input.setAttribute("aria-describedby", counter.id);
  // attrs.perLine: one text per line (the pupil's éléments), each line within `max`.
  const count = () => {
    const n = attrs.perLine
      ? Math.max(0, ...input.value.split("\n").map((line) => [...line.trim()].length))
      : [...input.value].length;
    counter.textContent = `${n} / ${max} caractères${attrs.perLine ? " (la ligne la plus longue)" : ""}`;
    counter.classList.toggle("trop", n > max);
  };
  count();
  input.addEventListener("input", count);
  input.addEventListener("change", () => onChange(input.value));
  return el("div", { class: "champ champ-texte" }, el("label", { for: id, text: label }), input, counter);
}

function rubriqueElements(f, rubrique, nom) {
  const own = f.textes().elements[rubrique];
  const classe = f.grid.elements[rubrique] || [];
  const shown = own || classe;
  const box = el("div", { class: "elements-eleve", "data-rubrique": rubrique });
  box.appendChild(el("p", { class: "nom-rubrique-fiche" }, el("strong", { text: nom }),
    own ? " (éléments propres à l'élève)" : ""));
  if (!own) {
    box.appendChild(el("p", { class: "aide", text: shown.length ? shown.join(" ; ") : "Aucun élément de programme pour la classe." }));
    box.appendChild(el("button", { type: "button", class: "lien", text: "Adapter pour cet élève",
      on: { click: () => { box.replaceWith(editElements(f, rubrique, nom, classe)); } } }));
    return box;
  }
  return editElements(f, rubrique, nom, own);
}

/** The pupil's own éléments for one rubrique: one per line (each ≤ the core's limit). */
function editElements(f, rubrique, nom, lines) {
  const max = f.limites.element;
  const box = el("div", { class: "elements-eleve", "data-rubrique": rubrique });
  box.appendChild(area(`Éléments de programme pour cet élève, un par ligne (${nom})`, lines.join("\n"), max,
    (v) => f.send({ elements: { [rubrique]: v.split("\n").map((s) => s.trim()).filter(Boolean) } }),
    { rows: "3", perLine: true, extra: { "data-elements": rubrique } }));
  box.appendChild(el("button", { type: "button", class: "lien", text: "Reprendre ceux de la classe",
    on: { click: () => f.send({ elements: { [rubrique]: null } }, true) } }));
  return box;
}

function domaineBlock(f, d) {
  const block = el("section", { class: "domaine-fiche", "data-domaine": d.code }, el("h4", { text: d.nom }));
  const subs = d.sous_domaines.length ? d.sous_domaines : [d];
  for (const s of subs) block.appendChild(rubriqueElements(f, s.code, s.nom));
  block.appendChild(area(`Appréciation : ${d.nom}`, f.textes().appreciations[d.code], f.limites.appreciation,
    (v) => f.send({ appreciations: { [d.code]: v } }), { extra: { "data-appreciation": d.code } }));
  return block;
}

function parcoursBlock(f) {
  const block = el("section", { class: "parcours-fiche" }, el("h4", { text: "Parcours éducatifs" }));
  for (const p of f.domaines.parcours) {
    const projet = f.grid.parcours[p.code];
    block.appendChild(el("p", { class: "aide" }, el("strong", { text: `${p.nom} : ` }),
      projet || "pas de projet de la classe pour cette période (onglet « Éléments de programme et projets »)."));
    if (projet) {
      block.appendChild(area(`Commentaire pour l'élève : ${p.nom}`, f.textes().parcours[p.code], f.limites.parcours,
        (v) => f.send({ parcours: { [p.code]: v } }), { extra: { "data-parcours": p.code } }));
    }
  }
  return block;
}

function modalitesBlock(f) {
  const block = el("fieldset", { class: "modalites-fiche" }, el("legend", { text: "Modalités d'accompagnement" }));
  const current = f.textes().modalites;
  for (const m of f.domaines.modalites) {
    const id = nextId("modalite");
    const on = Object.prototype.hasOwnProperty.call(current, m.code);
    const box = el("input", { type: "checkbox", id, checked: on, "data-modalite": m.code });
    box.addEventListener("change", () => f.send({ modalites: { [m.code]: box.checked ? "" : null } }, true));
    block.appendChild(el("div", { class: "case" }, box, el("label", { for: id, text: `${m.code} — ${m.nom}` })));
    if (m.code === "PPRE" && on) {
      block.appendChild(area("Complément du PPRE", current.PPRE, f.limites.complement_ppre,
        (v) => f.send({ modalites: { PPRE: v } }), { extra: { "data-complement": "PPRE" } }));
    }
  }
  return block;
}

function socleBlock(f) {
  const chosen = f.textes().socle;
  const block = el("details", { class: "socle-fiche", open: Object.keys(chosen).length ? true : undefined },
    el("summary", { text: "Composantes du socle commun (facultatif : les 8 ou aucune)" }));
  for (const c of f.socle.composantes) {
    const id = nextId("socle");
    const sel = el("select", { id, "data-composante": c.code },
      el("option", { value: "", text: "—" }),
      ...f.socle.positions.map((p) => el("option", { value: String(p.valeur), text: p.nom,
        selected: chosen[c.code] === p.valeur })));
    sel.addEventListener("change", () => f.send({ socle: { [c.code]: sel.value === "" ? null : Number(sel.value) } }));
    block.appendChild(el("div", { class: "champ" }, el("label", { for: id, text: c.nom }), sel));
  }
  return block;
}

function status(f) {
  const etat = f.grid.etat[f.eleve.id] || {};
  const saved = f.grid.bilans[f.eleve.id];
  const nodes = [];
  if (etat.complet) nodes.push(el("p", { class: "alerte succes", text: "Livret complet : il sera exporté vers LSU." }));
  else {
    nodes.push(el("p", { class: "manques-titre", text: "Ce que LSU refuserait encore :" }));
    nodes.push(el("ul", { class: "manques" }, ...(etat.manques || []).map((m) => el("li", { text: m }))));
  }
  nodes.push(el("p", { class: "aide", text: etat.modifie ? "Modifié, non enregistré."
    : (saved ? `Enregistré le ${date(saved.date_creation)}${saved.auteurs ? ` par ${saved.auteurs}` : ""}.` : "Jamais enregistré.") }));
  return el("div", { class: "etat-fiche", "aria-live": "polite" }, ...nodes);
}

function create(grid, eleveId, opts) {
  const eleve = grid.eleves.find((e) => e.id === eleveId);
  const domaines = grid.cycles[String(eleve.cycle)];
  const f = { grid, eleve, domaines, limites: domaines.limites, socle: opts.socle,
    textes: () => grid.textes[eleve.id] };
  f.send = (part, rebuild) => opts.onTexts({ eleve_id: eleve.id, ...part }, rebuild);
  const node = el("aside", { class: "fiche-livret", id: "fiche-livret", "data-eleve": eleve.id,
    "aria-label": `Fiche de ${fullName(eleve)}` });
  const statusBox = el("div");
  node.appendChild(el("h3", { text: fullName(eleve) }));
  node.appendChild(statusBox);
  const paint = () => statusBox.replaceChildren(status(f));
  paint();
  node.appendChild(area("Appréciation générale", f.textes().appreciation_generale, f.limites.appreciation_generale,
    (v) => f.send({ appreciation_generale: v }), { rows: "4", extra: { id: "appreciation-generale" } }));
  for (const d of domaines.domaines) node.appendChild(domaineBlock(f, d));
  node.appendChild(parcoursBlock(f));
  node.appendChild(modalitesBlock(f));
  if (f.socle) node.appendChild(socleBlock(f));
  return { node, paint, eleveId: eleve.id };
}

export { create, area };
