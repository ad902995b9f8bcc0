/* The LSU screen's import part (director): read a file of bilans (another Cartable copy or
 * another application), show the core's per-pupil report, list the pupils « à confirmer » (the
 * file gives our INE other names) each with a checkbox, and import — the ticked ones too
 * (`confirmer`: their INE). The core decides everything.
 */
import { el, append, clear, button, filePicker, nextId, readFile, table } from "../../shared/dom.js";
import { plural, fullName } from "../format.js";
import * as Shell from "../shell.js";

const { call, busy, showNotice } = Shell;

function importReport(box, r) {
  clear(box);
  box.appendChild(el("p", { class: "message-import-lsu", text: r.message }));
  box.appendChild(el("div", { class: "defilement" }, table({ id: "rapport-import-lsu" },
    ["Élève", "INE", "Classe", "Résultat"],
    r.eleves.map((e) => [fullName(e), e.ine, e.classe || "", [e.statut, e.raison, ...(e.avertissements || [])].filter(Boolean).join(" — ")]),
    "Bilans du fichier")));
}

/** The pupils « à confirmer » of a preview, one row per INE (a pupil may have both kinds of
 *  bilans in the file): [{ine, ecole, fichier, bilans, raison}]. */
function pendingPupils(r) {
  const byIne = new Map();
  for (const e of r.eleves.filter((x) => x.statut === "à confirmer")) {
    const kind = e.bilan === "périodique" ? `bilan périodique (${e.periode})` : `bilan de ${e.bilan}`;
    const known = byIne.get(e.ine);
    if (known) known.bilans.push(kind);
    else byIne.set(e.ine, { ine: e.ine, ecole: fullName(e), fichier: e.nom_fichier, bilans: [kind], raison: e.raison });
  }
  return [...byIne.values()];
}

/** The list of pupils to confirm, each with a checkbox; returns () => the ticked INE. */
function renderPending(box, r) {
  clear(box);
  const pupils = pendingPupils(r);
  if (!pupils.length) return () => [];
  const boxes = pupils.map((p) => el("input", { type: "checkbox", id: nextId("confirmer"), value: p.ine,
    "data-ine": p.ine, "aria-label": `Importer quand même le bilan de ${p.ecole} (dans le fichier : ${p.fichier})` }));
  const rows = pupils.map((p, i) => [el("td", { class: "case-confirmer" }, boxes[i]), p.ecole, p.fichier, p.ine,
    p.bilans.join(", "), p.raison]);
  append(box, [
    el("h4", { text: `${plural(pupils.length, "élève à confirmer", "élèves à confirmer")}` }),
    el("p", { class: "aide", text: pupils.length === 1
      ? "Pour cet INE, le fichier donne un autre nom que celui de l'école : son bilan n'est importé que si vous cochez la case, après avoir vérifié qu'il s'agit bien du même élève."
      : "Pour ces INE, le fichier donne d'autres noms que ceux de l'école : leurs bilans ne sont importés que si vous cochez leur case, après avoir vérifié qu'il s'agit bien des mêmes élèves." }),
    el("div", { class: "defilement" }, table({ id: "liste-a-confirmer" },
      ["Importer", "Élève de l'école", "Nom dans le fichier", "INE", "Bilans", "Pourquoi"], rows,
      "Élèves dont le nom diffère"))]);
  return () => boxes.filter((b) => b.checked).map((b) => b.value);
}

/** The import part; ``imported()`` runs after an import is applied (the export part's refresh). */
export function importPart(section, imported) {
  const input = el("input", { type: "file", accept: ".xml,application/xml,text/xml", id: nextId("fichier-lsu"),
    "aria-label": "Fichier LSU des bilans (XML)" });
  const report = el("div", { class: "rapport-lsu", "aria-live": "polite" });
  const pending = el("div", { class: "a-confirmer-lsu" });
  let data = null;
  let ticked = () => [];
  const confirmBtn = button("Importer ces bilans", () => busy(confirmBtn, "Import des bilans…", async () => {
    const confirmer = ticked();
    const r = await call("lsu.import", { data, confirmer });
    clear(pending);
    importReport(report, r);
    confirmBtn.hidden = true;
    await imported(); // the pre-flight counts what was just imported
    showNotice(`${r.message}${confirmer.length ? ` Noms confirmés : ${plural(confirmer.length, "élève", "élèves")}.` : ""}`);
  }), { class: "principal", hidden: true, id: "confirmer-import-lsu" });
  // Another file chosen (or a failed analysis): the report shown is no longer its report, and
  // « Importer ces bilans » would import the file analysed before.
  const forget = () => {
    data = null;
    ticked = () => [];
    clear(report);
    clear(pending);
    confirmBtn.hidden = true;
  };
  input.addEventListener("change", forget);
  const analyse = button("Analyser le fichier", () => busy(analyse, "Lecture du fichier LSU…", async () => {
    forget();
    const f = input.files && input.files[0];
    if (!f) throw new Error("Choisissez d'abord le fichier XML des bilans.");
    const read = await readFile(f);
    const r = await call("lsu.preview", { data: read });
    data = read;
    importReport(report, r);
    ticked = renderPending(pending, r);
    confirmBtn.hidden = false;
  }), { class: "secondaire", id: "analyser-lsu" });
  append(section, [el("h3", { text: "Importer des bilans (fichier LSU)" }),
    el("p", { class: "aide", text: "Le fichier d'un autre ordinateur (Cartable d'un enseignant) ou d'un autre logiciel : chaque bilan est rattaché à l'élève par son INE, et ne remplace le nôtre que s'il est plus récent." }),
    el("div", { class: "actions" }, filePicker(input), analyse), report, pending,
    el("div", { class: "actions" }, confirmBtn)]);
}
