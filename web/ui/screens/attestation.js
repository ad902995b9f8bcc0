/* Attestations de palier: for a class, one printable page per pupil (the page of the livret
 * personnel de compétences the school signs and keeps): school, pupil, palier, each
 * compétence "validée le …" or "non validée", the director's signature line. The words and
 * dates come from the core (validation.attestation); attestation.css prints one page each. */
import { el, append, clear, button, heading, select } from "../../shared/dom.js";
import { byName, plural } from "../format.js";
import * as Shell from "../shell.js";

const { call, busy } = Shell;

function page(data, e) {
  const ecole = data.ecole || {};
  return el("article", { class: "attestation", "data-eleve": e.id },
    el("p", { class: "attestation-livret", text: data.livret }),
    el("h3", { class: "attestation-titre", text: data.titre }),
    el("p", { class: "attestation-palier", text: data.palier.nom }),
    el("dl", { class: "attestation-identite" },
      el("dt", { text: "École" }), el("dd", { text: ecole.nom + (ecole.uai ? ` (UAI ${ecole.uai})` : "") }),
      el("dt", { text: "Élève" }), el("dd", { class: "attestation-eleve", text: `${e.prenom} ${e.nom}` }),
      e.date_naissance ? [el("dt", { text: "Date de naissance" }), el("dd", { text: e.date_naissance })] : null,
      el("dt", { text: "Classe" }), el("dd", { text: data.classe.nom })),
    el("table", { class: "attestation-competences" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Compétence" }), el("th", { scope: "col", text: "Validation" }))),
      el("tbody", {}, e.competences.map((c) => el("tr", { class: c.validee ? "validee" : "non-validee" },
        el("th", { scope: "row", text: c.nom }), el("td", { text: c.texte }))))),
    el("div", { class: "attestation-signature" },
      el("p", { text: data.signature }),
      el("p", { class: "attestation-mention", text: data.mention_signature })));
}

async function show(out, classeId, palierId) {
  const data = await call("validation.attestation", { classe_id: classeId, palier_id: palierId });
  clear(out);
  if (!data.eleves.length) {
    out.appendChild(el("p", { class: "alerte avertissement", text: "Cette classe n'a aucun élève." }));
    return;
  }
  const eleves = [...data.eleves].sort(byName);
  const print = button(`Imprimer les ${plural(eleves.length, "attestation", "attestations")}`, () => window.print(), { class: "principal", id: "imprimer-attestations" });
  append(out, [el("div", { class: "actions" }, print),
    el("div", { class: "attestations", id: "attestations" }, eleves.map((e) => page(data, e)))]);
}

Shell.screen({
  id: "attestation",
  label: "Attestations de palier",
  roles: ["directeur", "professeur"],
  order: 85,
  async render(section) {
    append(section, heading("Attestations de palier"));
    append(section, el("p", { text: "Pour une classe, une page par élève à imprimer, signer et ranger dans le livret personnel de compétences : chaque compétence du palier, validée (avec sa date) ou non. Seules les validations enregistrées apparaissent." }));
    const choices = await call("validation.choices");
    if (!choices.classes.length || !choices.paliers.length) {
      section.appendChild(el("p", { class: "alerte avertissement", text: "Aucune classe ou aucun palier à afficher." }));
      return;
    }
    const landing = choices.defaut || {};
    const classe = select("Classe", { "data-role": "attestation-classe" }, choices.classes.map((k) => ({ value: String(k.id), text: k.nom + (k.niveau ? ` (${k.niveau})` : ""), selected: k.id === landing.classe_id })));
    const palier = select("Palier", { "data-role": "attestation-palier" }, choices.paliers.map((p) => ({ value: String(p.id), text: p.nom, selected: p.id === landing.palier_id })));
    const submit = el("button", { type: "submit", class: "principal", text: "Afficher les attestations", id: "afficher-attestations" });
    const form = el("form", { class: "formulaire selection-attestation", novalidate: true }, classe.row, palier.row, el("div", { class: "actions" }, submit));
    const out = el("div", { class: "resultat-attestations" });
    append(section, [form, out]);
    // Another class or palier: the pages shown (and their print button) are no longer it.
    for (const s of [classe.select, palier.select]) s.addEventListener("change", () => clear(out));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(submit, "Préparation des attestations…", () => show(out, Number(classe.select.value), Number(palier.select.value)));
    });
  },
});
