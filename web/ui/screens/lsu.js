/* LSU (director): export the bilans de fin de cycle 2 or a period's bilans périodiques to the
 * Livret Scolaire Unique (choose the bilans and the classes, see what LSU would refuse, download
 * the XML in one click) and import bilans from another Cartable copy or another application
 * (matched by INE); after an import, the export's classes and pre-flight are read again. The core
 * decides everything.
 */
import { el, append, clear, button, checkbox, filePicker, heading, nextId, readFile, select, table } from "../../shared/dom.js";
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
  const kept = (report.millesimes || []).find((y) => y.millesime === report.millesime);
  const when = kept ? ` (année ${kept.annee})` : "";
  box.appendChild(el("p", { class: "resume-lsu", text: `${plural(report.nb_exportables, "bilan complet sera exporté", "bilans complets seront exportés")}${when} ; ${plural(left.length, "élève ne le sera pas", "élèves ne le seront pas")}.` }));
  if (!left.length) return;
  box.appendChild(el("div", { class: "defilement" }, table({ id: "liste-preflight" },
    ["Élève", "Classe", "Ce que LSU refuserait"],
    left.map((e) => [fullName(e), e.classe, e.problemes.join(" ; ")]), "Élèves non exportés")));
}

/** The school year of the file (LSU takes one per file), offered when the chosen classes'
 *  complete bilans are of several: `year.value` is the one chosen ("" until then: the core
 *  takes the most recent). */
function renderYears(box, report, year, onChange) {
  clear(box);
  const years = report.millesimes || [];
  if (years.length < 2) return;
  const options = years.map((y) => ({ value: y.millesime, text: `${y.annee} (${plural(y.nb_bilans, "bilan complet", "bilans complets")})`, selected: y.millesime === report.millesime }));
  const choice = select("Année scolaire du fichier", { id: "millesime-lsu" }, options);
  choice.select.addEventListener("change", () => { year.value = choice.select.value; onChange(); });
  append(box, [choice.row, el("p", { class: "aide", text: `Un fichier LSU porte une seule année scolaire : les bilans des autres années ne sont pas exportés (ils sont listés ci-dessous).` })]);
}

/** What to export: the bilans de fin de cycle 2, or the bilans périodiques of a period.
 *  Returns refresh(), which reads the chosen bilans' classes and pre-flight again. */
async function kindChoice(part) {
  const years = (await call("periodes.list")).annees;
  const sel = el("select", { id: "lsu-bilans" }, el("option", { value: "", text: "Bilans de fin de cycle 2 (CE2)" }),
    ...years.flatMap((a) => a.periodes.map((p) => el("option", { value: String(p.id),
      text: `Bilans périodiques : ${p.nom} ${p.annee}` }))));
  const box = el("div");
  const which = () => (sel.value ? { periode_id: Number(sel.value) } : {});
  sel.addEventListener("change", () => busy(null, "Chargement…", () => exportClasses(box, which())));
  append(part, [el("div", { class: "champ" }, el("label", { for: sel.id, text: "Bilans à exporter" }), sel), box]);
  await exportClasses(box, {});
  return () => exportClasses(box, which()); // refresh: the classes' counts and the pre-flight
}

async function exportClasses(part, which) {
  const shown = (part._shown || 0) + 1; // the last choice wins over a slower earlier one
  part._shown = shown;
  const classes = await call("lsu.classes", which);
  if (part._shown !== shown) return;
  clear(part);
  if (!classes.length) {
    part.appendChild(el("p", { text: which.periode_id ? "Aucune classe du CP au CM2 : rien à exporter."
      : "Aucune classe de CE2 ni aucun bilan de fin de cycle : rien à exporter." }));
    return;
  }
  const boxes = classes.map((c) => checkbox(`${c.nom} (${plural(c.nb_bilans, "bilan", "bilans")} sur ${plural(c.nb_eleves, "élève", "élèves")})`,
    { checked: true, value: String(c.id), "data-classe": c.id }));
  const report = el("div", { class: "preflight", "aria-live": "polite", id: "preflight-lsu" });
  const yearBox = el("div", { class: "annee-lsu" });
  const year = { value: "" }; // bilans de cycle only: a period's bilans are of its own year
  const payload = () => ({ ...which, classe_ids: selected(boxes),
    ...(year.value && !which.periode_id ? { millesime: year.value } : {}) });
  const check = async () => {
    let r;
    try {
      r = await call("lsu.preflight", payload());
    } catch (e) {
      if (!year.value) throw e;
      year.value = ""; // that year has no complete bilan in these classes: the most recent
      r = await call("lsu.preflight", payload());
    }
    if (!which.periode_id) renderYears(yearBox, r, year, () => busy(null, "Vérification…", check));
    renderPreflight(report, r);
  };
  for (const b of boxes) b.input.addEventListener("change", () => busy(null, "Vérification…", check));
  const go = button("Télécharger le fichier LSU", () => busy(go, "Préparation du fichier LSU…", async () => {
    const r = await call("lsu.export", payload());
    window.Cartable.download(r.data, r.filename, "application/xml");
    renderPreflight(report, r.preflight);
    showNotice(`${r.message} Fichier « ${r.filename} » téléchargé.`);
  }), { class: "principal", id: "exporter-lsu" });
  append(part, [el("fieldset", {}, el("legend", { text: "Classes" }), boxes.map((b) => b.row)),
    yearBox, el("div", { class: "actions" }, go), report]);
  await busy(null, "Vérification…", check);
}

async function exportPart(section) {
  const part = el("div", { class: "bloc-export-lsu" });
  append(section, [el("h3", { text: "Exporter vers LSU" }), part]);
  return kindChoice(part);
}

function importReport(box, r) {
  clear(box);
  box.appendChild(el("p", { text: r.message }));
  box.appendChild(el("div", { class: "defilement" }, table({ id: "rapport-import-lsu" },
    ["Élève", "INE", "Classe", "Résultat"],
    r.eleves.map((e) => [fullName(e), e.ine, e.classe || "", [e.statut, e.raison, ...(e.avertissements || [])].filter(Boolean).join(" — ")]))));
}

/** The import part; ``imported()`` runs after an import is applied (the export part's refresh). */
function importPart(section, imported) {
  const input = el("input", { type: "file", accept: ".xml,application/xml,text/xml", id: nextId("fichier-lsu"),
    "aria-label": "Fichier LSU des bilans (XML)" });
  const report = el("div", { class: "rapport-lsu", "aria-live": "polite" });
  let data = null;
  const confirmBtn = button("Importer ces bilans", () => busy(confirmBtn, "Import des bilans…", async () => {
    importReport(report, await call("lsu.import", { data }));
    confirmBtn.hidden = true;
    await imported(); // the pre-flight counts what was just imported
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
    importPart(section, await exportPart(section));
  },
});
