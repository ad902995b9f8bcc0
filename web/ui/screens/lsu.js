/* LSU (director): export the bilans de fin de cycle 2 to the Livret Scolaire Unique (choose the
 * classes, see what LSU would refuse, download the XML in one click) and import bilans from
 * another Cartable copy or another application (matched by INE). The core decides everything.
 */
import { el, append, clear, button, checkbox, filePicker, heading, nextId, readFile, table } from "../../shared/dom.js";
import { plural, fullName } from "../format.js";
import * as Shell from "../shell.js";

const { call, busy, showNotice } = Shell;

function identityLine(id) {
  const d = id.directeur;
  // « Mme Sophie MARTIN »: the civilité as it is written (ui.strings), not LSU's code « MME »
  const civ = d && (Shell.state.strings.civilites || []).find((c) => c.valeur === d.civilite && c.court);
  const who = d ? `${civ ? `${civ.court} ` : ""}${d.prenom} ${d.nom}` : "aucun compte";
  return el("p", { class: "aide" }, `École : ${id.nom} — UAI : ${id.uai || "non indiqué"} — directeur ou directrice : ${who}. `,
    button("Modifier dans Réglages", () => Shell.go("reglages"), { class: "lien" }));
}

function selected(boxes) {
  return boxes.filter((b) => b.input.checked).map((b) => Number(b.input.value));
}

function renderPreflight(box, report) {
  clear(box);
  for (const p of report.ecole) box.appendChild(el("p", { class: "alerte avertissement", text: p }));
  const left = report.eleves.filter((e) => !e.exportable);
  box.appendChild(el("p", { class: "resume-lsu", text: `${plural(report.nb_exportables, "bilan complet sera exporté", "bilans complets seront exportés")} ; ${plural(left.length, "élève ne le sera pas", "élèves ne le seront pas")}.` }));
  if (!left.length) return;
  box.appendChild(el("div", { class: "defilement" }, table({ id: "liste-preflight" },
    ["Élève", "Classe", "Ce que LSU refuserait"],
    left.map((e) => [fullName(e), e.classe, e.problemes.join(" ; ")]), "Élèves non exportés")));
}

async function exportPart(section) {
  const classes = await call("lsu.classes");
  const part = el("div", { class: "bloc-export-lsu" });
  append(section, [el("h3", { text: "Exporter vers LSU" }), part]);
  if (!classes.length) {
    part.appendChild(el("p", { text: "Aucune classe de CE2 ni aucun bilan de fin de cycle : rien à exporter." }));
    return;
  }
  const boxes = classes.map((c) => checkbox(`${c.nom} (${plural(c.nb_bilans, "bilan", "bilans")} sur ${plural(c.nb_eleves, "élève", "élèves")})`,
    { checked: true, value: String(c.id), "data-classe": c.id }));
  const report = el("div", { class: "preflight", "aria-live": "polite", id: "preflight-lsu" });
  const check = async () => renderPreflight(report, await call("lsu.preflight", { classe_ids: selected(boxes) }));
  for (const b of boxes) b.input.addEventListener("change", () => busy(null, "Vérification…", check));
  const go = button("Télécharger le fichier LSU", () => busy(go, "Préparation du fichier LSU…", async () => {
    const r = await call("lsu.export", { classe_ids: selected(boxes) });
    window.Cartable.download(r.data, r.filename, "application/xml");
    renderPreflight(report, r.preflight);
    showNotice(`${r.message} Fichier « ${r.filename} » téléchargé.`);
  }), { class: "principal", id: "exporter-lsu" });
  append(part, [el("fieldset", {}, el("legend", { text: "Classes" }), boxes.map((b) => b.row)),
    el("div", { class: "actions" }, go), report]);
  await busy(null, "Vérification…", check);
}

function importReport(box, r) {
  clear(box);
  box.appendChild(el("p", { text: r.message }));
  box.appendChild(el("div", { class: "defilement" }, table({ id: "rapport-import-lsu" },
    ["Élève", "INE", "Classe", "Résultat"],
    r.eleves.map((e) => [fullName(e), e.ine, e.classe || "", e.raison ? `${e.statut} — ${e.raison}` : e.statut]))));
}

function importPart(section) {
  const input = el("input", { type: "file", accept: ".xml,application/xml,text/xml", id: nextId("fichier-lsu"),
    "aria-label": "Fichier LSU des bilans (XML)" });
  const report = el("div", { class: "rapport-lsu", "aria-live": "polite" });
  let data = null;
  const confirmBtn = button("Importer ces bilans", () => busy(confirmBtn, "Import des bilans…", async () => {
    importReport(report, await call("lsu.import", { data }));
    confirmBtn.hidden = true;
    showNotice("Bilans importés.");
  }), { class: "principal", hidden: true, id: "confirmer-import-lsu" });
  const analyse = button("Analyser le fichier", () => busy(analyse, "Lecture du fichier LSU…", async () => {
    const f = input.files && input.files[0];
    if (!f) throw new Error("Choisissez d'abord le fichier XML des bilans.");
    data = await readFile(f);
    importReport(report, await call("lsu.preview", { data }));
    confirmBtn.hidden = false;
  }), { class: "secondaire", id: "analyser-lsu" });
  append(section, [el("h3", { text: "Importer des bilans (fichier LSU)" }),
    el("p", { class: "aide", text: "Le fichier d'un autre ordinateur (Cartable d'un enseignant) ou d'un autre logiciel : chaque bilan est rattaché à l'élève par son INE, et ne remplace le nôtre que s'il est plus récent." }),
    el("div", { class: "actions" }, filePicker(input), analyse, confirmBtn), report]);
}

Shell.screen({
  id: "lsu",
  label: "LSU",
  roles: ["directeur"],
  order: 95,
  async render(section) {
    append(section, heading("Livret Scolaire Unique (LSU)"));
    section.appendChild(identityLine(await call("school.identity")));
    await exportPart(section);
    importPart(section);
  },
});
