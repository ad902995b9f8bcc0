/* LSU: export the bilans de fin de cycle 2 or a period's bilans périodiques (with, if asked,
 * the bilans de fin de cycle 2 in the same file) to the Livret Scolaire Unique (choose the
 * bilans and the classes, see what LSU would refuse, download the XML in one click); the
 * director also imports bilans from another Cartable copy or another application (matched by
 * INE, `lsu_import.js`); after an import, the export's classes and pre-flight are read again.
 * A teacher sees the export of his or her own classes only. The core decides everything.
 */
import { el, append, clear, button, checkbox, heading, select, table } from "../../shared/dom.js";
import { plural, fullName } from "../format.js";
import * as Shell from "../shell.js";
import { importPart } from "./lsu_import.js";

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

function preflightPart(box, report, what, tableId, caption) {
  const left = report.eleves.filter((e) => !e.exportable);
  const kept = (report.millesimes || []).find((y) => y.millesime === report.millesime);
  const when = kept ? ` (année ${kept.annee})` : "";
  box.appendChild(el("p", { class: "resume-lsu", text: `${what}${plural(report.nb_exportables, "bilan complet sera exporté", "bilans complets seront exportés")}${when} ; ${plural(left.length, "élève ne le sera pas", "élèves ne le seront pas")}.` }));
  if (!left.length) return;
  box.appendChild(el("div", { class: "defilement" }, table({ id: tableId },
    ["Élève", "Classe", "Ce que LSU refuserait"],
    left.map((e) => [fullName(e), e.classe, e.problemes.join(" ; ")]), caption)));
}

function renderPreflight(box, report) {
  clear(box);
  for (const p of report.ecole) box.appendChild(el("p", { class: "alerte avertissement", text: p }));
  const both = !!report.bilans_cycle;
  preflightPart(box, report, both ? "Bilans périodiques : " : "", "liste-preflight",
    both ? "Élèves dont le bilan périodique n'est pas exporté" : "Élèves non exportés");
  if (both) preflightPart(box, report.bilans_cycle, "Bilans de fin de cycle 2 : ", "liste-preflight-cycle",
    "Élèves dont le bilan de fin de cycle 2 n'est pas exporté");
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

/** What to export: the bilans de fin de cycle 2, or the bilans périodiques of a period (and,
 *  when asked, the bilans de fin de cycle 2 in the same file). Returns refresh(), which reads
 *  the chosen bilans' classes and pre-flight again. */
async function kindChoice(part) {
  const years = (await call("periodes.list")).annees;
  const sel = el("select", { id: "lsu-bilans" }, el("option", { value: "", text: "Bilans de fin de cycle 2 (CE2)" }),
    ...years.flatMap((a) => a.periodes.map((p) => el("option", { value: String(p.id),
      text: `Bilans périodiques : ${p.nom} ${p.annee}` }))));
  const cycle = checkbox("Ajouter les bilans de fin de cycle 2 (CE2) au même fichier", { id: "avec-bilans-cycle" });
  cycle.row.hidden = true;
  const box = el("div");
  const which = () => (sel.value ? { periode_id: Number(sel.value), ...(cycle.input.checked ? { bilans_cycle: true } : {}) } : {});
  sel.addEventListener("change", () => {
    cycle.row.hidden = !sel.value;
    if (!sel.value) cycle.input.checked = false;
    busy(null, "Chargement…", () => exportClasses(box, which));
  });
  cycle.input.addEventListener("change", () => { if (box._check) box._check(); });
  append(part, [el("div", { class: "champ" }, el("label", { for: sel.id, text: "Bilans à exporter" }), sel), cycle.row, box]);
  await exportClasses(box, which);
  return () => exportClasses(box, which); // refresh: the classes' counts and the pre-flight
}

/** The classes of the chosen bilans, the school year (bilans de cycle), the pre-flight and the
 *  download; ``which()`` is the chosen bilans (period, with the bilans de cycle or not). */
async function exportClasses(part, which) {
  const shown = (part._shown || 0) + 1; // the last choice wins over a slower earlier one
  part._shown = shown;
  part._check = null;
  const periodic = !!which().periode_id;
  const classes = await call("lsu.classes", which());
  if (part._shown !== shown) return;
  clear(part);
  if (!classes.length) {
    const director = Shell.state.user && Shell.state.user.role === "directeur";
    part.appendChild(el("p", { text: !director ? "Aucune de vos classes n'a de bilan à exporter (demandez au directeur ou à la directrice de vous attribuer votre classe)."
      : (periodic ? "Aucune classe du CP au CM2 : rien à exporter." : "Aucune classe de CE2 ni aucun bilan de fin de cycle : rien à exporter.") }));
    return;
  }
  const boxes = classes.map((c) => checkbox(`${c.nom} (${plural(c.nb_bilans, "bilan", "bilans")} sur ${plural(c.nb_eleves, "élève", "élèves")})`,
    { checked: true, value: String(c.id), "data-classe": c.id }));
  const report = el("div", { class: "preflight", "aria-live": "polite", id: "preflight-lsu" });
  const yearBox = el("div", { class: "annee-lsu" });
  const year = { value: "" }; // bilans de cycle only: a period's bilans are of its own year
  const payload = () => ({ ...which(), classe_ids: selected(boxes),
    ...(year.value && !periodic ? { millesime: year.value } : {}) });
  const check = async () => {
    let r;
    try {
      r = await call("lsu.preflight", payload());
    } catch (e) {
      if (!year.value) throw e;
      year.value = ""; // that year has no complete bilan in these classes: the most recent
      r = await call("lsu.preflight", payload());
    }
    if (!periodic) renderYears(yearBox, r, year, () => busy(null, "Vérification…", check));
    renderPreflight(report, r);
  };
  part._check = () => busy(null, "Vérification…", check);
  for (const b of boxes) b.input.addEventListener("change", part._check);
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

async function exportPart(section, director) {
  const part = el("div", { class: "bloc-export-lsu" });
  append(section, [director ? el("h3", { text: "Exporter vers LSU" })
    : el("p", { class: "aide", text: "Le fichier des bilans de vos classes : remettez-le au directeur ou à la directrice, qui l'importera dans Cartable ou l'enverra à LSU." }),
    part]);
  return kindChoice(part);
}

Shell.screen({
  id: "lsu",
  label: "LSU",
  roles: ["directeur", "professeur"],
  order: 95,
  async render(section) {
    const director = Shell.state.user && Shell.state.user.role === "directeur";
    append(section, heading(director ? "Livret Scolaire Unique (LSU)" : "Export vers le Livret Scolaire Unique (LSU)"));
    if (!director) {
      await exportPart(section, false);
      return;
    }
    section.appendChild(identityLine(await call("school.identity")));
    importPart(section, await exportPart(section, true));
  },
});
