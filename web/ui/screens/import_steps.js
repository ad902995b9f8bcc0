/* The five steps of the pupils' import wizard (import.js): STEP_SCREENS[n](wiz) fills
 * wiz.body and wiz.actions. Every count and label shown comes from the core's replies
 * (base_eleves.read: "labels"; base_eleves.plan: "comptes"). */
import { el, append, button, nextId, filePicker, readFile, select, table } from "../../shared/dom.js";
import { plural, size } from "../format.js";
import * as Shell from "../shell.js";

const { call, busy, setBusyText, showNotice } = Shell;
const ACTION_LABELS = { ajouter: "à créer", garder: "à garder", retirer: "à retirer" };

// -- 1. the file --------------------------------------------------------------------------

function chosenText(file) {
  return file ? `Fichier choisi : ${file.name} (${size(file.data.length)})` : "Aucun fichier choisi.";
}

/** The CSV arrives here: file picker or drop -> Uint8Array kept in wiz.file. */
function step1(wiz) {
  const input = el("input", { type: "file", id: "fichier-eleves", accept: ".csv,.txt,text/csv,text/plain" });
  const chosen = el("p", { class: "fichier-choisi", "aria-live": "polite", text: chosenText(wiz.file) });
  const zone = el("div", { class: "depot" },
    el("p", { text: "Déposez ici le fichier CSV (glisser-déposer), ou choisissez-le :" }),
    el("label", { for: "fichier-eleves", class: "etiquette-fichier", text: "Fichier CSV d'ONDE ou de Base-Élèves (extraction de tous les élèves)" }),
    filePicker(input, { name: false }), chosen); // one line says which file: `chosen`
  wiz.body.appendChild(zone);
  let next = null;
  const take = (file) => {
    if (!file) return;
    busy(null, "Lecture du fichier…", async () => {
      const data = await readFile(file);
      Object.assign(wiz, { file: { name: file.name, data }, read: null, plan: null, mapping: null, classes: {} });
      chosen.textContent = chosenText(wiz.file);
      next.disabled = false;
    });
  };
  input.addEventListener("change", () => take(input.files && input.files[0]));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("survol"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("survol"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("survol");
    take(e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0]);
  });
  next = wiz.nav(false, "Suivant", (btn) => {
    busy(btn, "Chargement du module d'import (quelques secondes)…", () => readAndPlan(wiz));
  }, !wiz.file);
}

async function readAndPlan(wiz) {
  await wiz.waitPandas();
  setBusyText("Lecture du fichier et recherche des colonnes…");
  const read = await call("base_eleves.read", { data: wiz.file.data, filename: wiz.file.name });
  wiz.read = read;
  wiz.mapping = { ...read.mapping };
  if (read.missing && read.missing.length) {
    wiz.plan = null;
    wiz.goTo(2);
    return;
  }
  setBusyText("Extraction des données…");
  wiz.plan = await call("base_eleves.plan", wiz.payload());
  wiz.classes = {};
  wiz.goTo(2);
}

// -- 2. what was read: columns, pupils and classes found, rejected lines ------------------

function readSummary(read) {
  const sep = read.separator === "\t" ? "tabulation" : read.separator;
  const lines = typeof read.nb_lignes === "number" ? `, ${plural(read.nb_lignes, "ligne", "lignes")}` : "";
  return el("p", { class: "aide", text: `Fichier lu (encodage ${read.encoding}, séparateur « ${sep} »${lines}).` });
}

/** Columns not recognised: the user says which column holds each field. */
function mappingForm(wiz) {
  const read = wiz.read;
  const labels = read.labels;
  const missing = read.missing.map((f) => labels[f]).join(", ");
  wiz.body.appendChild(el("p", { class: "alerte avertissement", text: `Certaines colonnes n'ont pas été reconnues (${missing}). Indiquez ci-dessous quelle colonne du fichier correspond à chaque information.` }));
  const fs = el("fieldset", { class: "correspondance" }, el("legend", { text: "Correspondance des colonnes" }));
  const selects = {};
  for (const f of Object.keys(labels)) {
    const options = [{ value: "", text: "— choisir une colonne —" },
      ...read.headers.map((h) => ({ value: h, text: h, selected: wiz.mapping && wiz.mapping[f] === h }))];
    const s = select(labels[f], { "data-champ": f }, options);
    selects[f] = s.select;
    fs.appendChild(s.row);
  }
  const apply = button("Utiliser ces colonnes", () => {
    busy(apply, "Extraction des données…", async () => {
      // An empty choice is sent as null: the core says which columns are still missing.
      wiz.mapping = Object.fromEntries(Object.entries(selects).map(([f, s]) => [f, s.value || null]));
      await wiz.waitPandas();
      wiz.plan = await call("base_eleves.plan", wiz.payload());
      wiz.classes = {};
      wiz.render();
    });
  }, { class: "principal" });
  append(fs, el("div", { class: "actions" }, apply));
  wiz.body.appendChild(fs);
}

function planSummary(wiz, plan) {
  const body = wiz.body;
  body.appendChild(el("p", { class: "bilan", id: "bilan-extraction", text: plan.message }));
  if (plan.niveaux_a_activer && plan.niveaux_a_activer.length) {
    body.appendChild(el("p", { class: "alerte information", text: `Niveaux présents dans le fichier mais pas encore cochés dans l'école, qui seront ajoutés à l'import : ${plan.niveaux_a_activer.join(", ")}.` }));
  }
  if (!plan.rejets || !plan.rejets.length) {
    body.appendChild(el("p", { text: "Aucune ligne rejetée." }));
    return;
  }
  body.appendChild(el("p", { text: `${plural(plan.rejets.length, "ligne a été rejetée", "lignes ont été rejetées")} :` }));
  const rows = plan.rejets.map((r) => [String(r.ligne), r.raison]);
  body.appendChild(el("div", { class: "defilement" },
    table({ id: "rejets" }, ["Ligne", "Raison"], rows, "Lignes rejetées")));
}

function step2(wiz) {
  if (wiz.read) wiz.body.appendChild(readSummary(wiz.read));
  if (wiz.read && wiz.read.missing && wiz.read.missing.length) mappingForm(wiz);
  if (wiz.plan) planSummary(wiz, wiz.plan);
  wiz.nav(true, "Suivant", () => wiz.goTo(3), !wiz.plan);
}

// -- 3. classes: rename, or untick to leave as it is ------------------------------------

function classRow(wiz, c) {
  const choice = wiz.classes[c.key] || (wiz.classes[c.key] = c.ignorer ? { ignorer: true } : {});
  const action = ACTION_LABELS[c.action] || c.action;
  const tick = el("input", { type: "checkbox", checked: !choice.ignorer, "aria-label": `Appliquer l'action « ${action} » à la classe ${c.nom}` });
  tick.addEventListener("change", () => {
    choice.ignorer = !tick.checked;
    if (!choice.ignorer) delete choice.ignorer;
  });
  let nameCell;
  if (c.action === "retirer") {
    nameCell = el("td", { text: c.nom });
  } else {
    const name = el("input", { type: "text", value: choice.nom !== undefined ? choice.nom : c.nom, "aria-label": `Nom de la classe ${c.nom}`, class: "nom-classe" });
    name.addEventListener("input", () => {
      const v = name.value.trim();
      if (v && v !== c.nom) choice.nom = v;
      else delete choice.nom;
    });
    nameCell = el("td", {}, name);
  }
  const remark = [c.ancien_nom ? `Nom actuel : ${c.ancien_nom}` : "", c.detail || ""].filter(Boolean).join(" ");
  return el("tr", { class: `action-${c.action}` },
    el("td", {}, tick), el("td", { text: action }), nameCell,
    el("td", { text: c.ref || "" }), el("td", { text: c.niveau || "" }), el("td", { text: c.source || "" }),
    el("td", { class: "nombre", text: c.nb_eleves === undefined ? "" : String(c.nb_eleves) }),
    el("td", { text: remark }));
}

function step3(wiz) {
  const plan = wiz.plan;
  const n = plan.comptes.classes;
  wiz.body.appendChild(el("p", { text: `${plural(n.ajouter, "classe à créer", "classes à créer")}, ${plural(n.garder, "classe à garder", "classes à garder")}, ${plural(n.retirer, "classe à retirer", "classes à retirer")}. Vous pouvez renommer une classe, ou la décocher pour ne pas appliquer l'action prévue.` }));
  const heads = ["Appliquer", "Action", "Nom de la classe", "Référence", "Niveau", `Classe ${plan.source || "du fichier"}`, "Élèves", "Remarque"];
  const rows = plan.classes.map((c) => classRow(wiz, c));
  wiz.body.appendChild(el("div", { class: "defilement" }, table({ id: "classes-import" }, heads, rows, "Classes")));
  // An emptied name keeps the class's name (see classRow): the core checks the others.
  wiz.nav(true, "Suivant", (btn) => {
    busy(btn, "Prise en compte de vos choix…", async () => {
      await wiz.waitPandas();
      setBusyText("Prise en compte de vos choix…");
      wiz.plan = await call("base_eleves.plan", wiz.payload({ classes: wiz.classes }));
      wiz.goTo(4);
    });
  });
}

// -- 4. pupils: to add, to change, to deactivate, ambiguous ------------------------------

function pupilTable(list, withOld, id) {
  const heads = ["Nom", "Prénom", "Niveau", "Classe", ...(withOld ? ["Ancienne classe"] : []), "Remarque"];
  const rows = list.map((e) => {
    const remarks = [];
    if (e.ligne) remarks.push(`ligne ${e.ligne}`);
    if (e.par) remarks.push(e.par === "INE" ? "retrouvé par son INE" : "retrouvé par son nom et son prénom");
    if (e.changements && e.changements.length) remarks.push(e.changements.map((c) => (c === "classe" ? "changement de classe" : c)).join(", "));
    if (e.ancien_nom) remarks.push(`ancien nom : ${e.ancien_nom}`);
    if (e.raison) remarks.push(e.raison);
    return [e.nom, e.prenom, e.niveau || "", e.classe || "",
      ...(withOld ? [e.ancienne_classe || ""] : []), remarks.join(" ; ")];
  });
  return el("div", { class: "defilement" }, table({ id }, heads, rows));
}

const PUPIL_GROUPS = [
  ["ajouter", "Élèves à ajouter", false, ""],
  ["modifier", "Élèves à modifier", true, ""],
  ["desactiver", "Élèves à désactiver (absents du fichier)", false,
    "Ces élèves ne sont plus dans le fichier : ils seront désactivés, jamais supprimés, et leurs validations sont conservées."],
  ["ambigus", "Cas ambigus", false,
    "Plusieurs élèves portent le même nom et le même prénom : Cartable ne devine pas. Ces lignes ne seront pas appliquées ; vérifiez-les dans "],
];

function step4(wiz) {
  const ev = wiz.plan.eleves;
  const n = wiz.plan.comptes.eleves;
  wiz.body.appendChild(el("p", { class: "bilan", id: "bilan-eleves", text: [
    plural(n.ajouter, "élève à ajouter", "élèves à ajouter"),
    plural(n.modifier, "élève à modifier", "élèves à modifier") + (wiz.plan.modifications.message ? ` (${wiz.plan.modifications.message})` : ""),
    plural(n.desactiver, "élève à désactiver", "élèves à désactiver"),
    plural(n.ambigus, "cas ambigu", "cas ambigus"),
    plural(n.inchanges, "élève inchangé", "élèves inchangés"),
  ].join(", ") + "." }));
  wiz.body.appendChild(el("p", { class: "aide", id: "appariement", text: wiz.plan.appariement.message }));
  for (const [key, title, withOld, help] of PUPIL_GROUPS) {
    const list = ev[key];
    if (!list.length) continue;
    const det = el("details", { class: "groupe-eleves", open: list.length <= 50 ? true : null },
      el("summary", { text: `${title} (${list.length})` }));
    const where = key === "ambigus" ? `${wiz.plan.source || "l'application d'origine"}.` : "";
    if (help) det.appendChild(el("p", { class: "aide", text: help + where }));
    det.appendChild(pupilTable(list, withOld, `eleves-${key}`));
    wiz.body.appendChild(det);
  }
  wiz.nav(true, "Suivant", () => wiz.goTo(5));
}

// -- 5. confirmation, then what was done ------------------------------------------------

function doneSummary(wiz) {
  const r = wiz.done;
  const item = (n, one, many) => el("li", { text: plural(n, one, many) });
  wiz.body.appendChild(el("p", { class: "bilan", id: "bilan-import", text: r.message }));
  wiz.body.appendChild(el("ul", {},
    item(r.classes_ajoutees, "classe ajoutée", "classes ajoutées"),
    r.classes_renommees ? item(r.classes_renommees, "classe renommée", "classes renommées") : null,
    r.classes_supprimees ? item(r.classes_supprimees, "classe supprimée", "classes supprimées") : null,
    item(r.eleves_ajoutes, "élève ajouté", "élèves ajoutés"),
    item(r.eleves_modifies, "élève modifié", "élèves modifiés"),
    item(r.eleves_desactives, "élève désactivé", "élèves désactivés"),
    r.niveaux_actives.length ? el("li", { text: `Niveaux ajoutés : ${r.niveaux_actives.join(", ")}` }) : null,
    r.ambigus.length ? item(r.ambigus.length, "cas ambigu laissé de côté", "cas ambigus laissés de côté") : null));
  if (r.changements === 0) wiz.body.appendChild(el("p", { class: "alerte information", text: "Le fichier correspond déjà à l'école : rien n'a été modifié." }));
  wiz.body.appendChild(el("p", { text: "Nettoyage : les données temporaires de l'import ont été effacées." }));
  wiz.actions.appendChild(button("Terminer", () => Shell.go("affectations"), { class: "principal", id: "terminer-import" }));
  wiz.actions.appendChild(button("Importer un autre fichier", () => Shell.go("import", { force: true }), { class: "secondaire" }));
}

function step5(wiz) {
  if (wiz.done) {
    doneSummary(wiz);
    return;
  }
  const c = wiz.plan.comptes;
  wiz.body.appendChild(el("p", { text: "Vérifiez puis confirmez. L'import va appliquer en une seule fois :" }));
  wiz.body.appendChild(el("ul", {},
    el("li", { text: plural(c.classes.a_creer, "classe à créer", "classes à créer") }),
    el("li", { text: plural(c.eleves.ajouter, "élève à ajouter", "élèves à ajouter") }),
    el("li", { text: plural(c.eleves.modifier, "élève à modifier", "élèves à modifier") }),
    el("li", { text: plural(c.eleves.desactiver, "élève à désactiver", "élèves à désactiver") }),
    c.classes.ignorees ? el("li", { text: plural(c.classes.ignorees, "classe décochée (ignorée)", "classes décochées (ignorées)") }) : null));
  if (c.eleves.desactiver) {
    wiz.body.appendChild(el("p", { class: "alerte avertissement", text: `Attention : ${plural(c.eleves.desactiver, "élève absent du fichier sera désactivé", "élèves absents du fichier seront désactivés")} (jamais supprimés : leurs validations sont conservées). Vérifiez que le fichier contient bien TOUS les élèves de l'école.` }));
  }
  wiz.nav(true, "Confirmer l'import", (btn) => {
    busy(btn, "Import des élèves en cours…", async () => {
      await wiz.waitPandas();
      setBusyText("Import des élèves en cours…");
      const r = await call("base_eleves.apply", wiz.payload({ classes: wiz.classes }));
      Object.assign(wiz, { done: r, file: null, read: null, plan: null }); // Nettoyage
      wiz.render();
      showNotice(r.message);
    });
  });
}

/** Each step's screen, by its number (wiz.step). */
export const STEP_SCREENS = { 1: step1, 2: step2, 3: step3, 4: step4, 5: step5 };
