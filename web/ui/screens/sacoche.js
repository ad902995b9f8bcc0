/* Import / Export des validations: the SACoche file. The director exports and imports; a teacher
 * exports the decisions of his or her own classes, to hand them to the director (two computers). */
import { el, append, clear, nextId, checkbox, button, filePicker, heading, readFile, table } from "../../shared/dom.js";
import { plural } from "../format.js";
import * as Shell from "../shell.js";

const { call, busy, showError, showNotice } = Shell;

function radio(group, value, label, checked) {
  const id = nextId("rg");
  const input = el("input", { type: "radio", name: group, id, value, checked });
  return { input, row: el("div", { class: "case" }, input, el("label", { for: id, text: label })) };
}

/** Which pupils to export: the director chooses classes (those of the default niveau ticked), a
 *  niveau, or the whole school; a teacher ticks among his or her own classes (all ticked). */
function regroupement(classes, director) {
  if (!director) return ownClasses(classes);
  const defaut = Shell.state.strings.export_default_niveau;
  const group = nextId("regroupement");
  const fs = el("fieldset", {}, el("legend", { text: "Regroupement" }));
  const rClasses = radio(group, "classes", "Une ou plusieurs classes", true);
  const classesBox = el("div", { class: "sous-choix cases-classes" });
  const classInputs = classes.map((c) => {
    const cb = checkbox(c.nom + (c.niveau ? ` (${c.niveau}, ${plural(c.nb_eleves || 0, "élève", "élèves")})` : ""),
      { checked: director ? c.niveau === defaut : true, "data-id": c.id, "data-niveau": c.niveau || "" });
    classesBox.appendChild(cb.row);
    cb.input.addEventListener("change", () => { rClasses.input.checked = true; });
    return cb.input;
  });
  const rNiveau = radio(group, "niveau", "Un niveau", false);
  const niveaux = [...new Set(classes.map((c) => c.niveau).filter(Boolean))];
  const niveauSel = el("select", { id: nextId("niveau"), "aria-label": "Niveau à exporter" },
    niveaux.map((n) => el("option", { value: n, text: n, selected: n === defaut })));
  niveauSel.addEventListener("change", () => { rNiveau.input.checked = true; });
  const rEcole = radio(group, "ecole", "Toute l'école", false);
  append(fs, [rClasses.row, classesBox, rNiveau.row, el("div", { class: "sous-choix" }, niveauSel), rEcole.row]);
  const payload = () => {
    if (rClasses.input.checked) {
      const ids = classInputs.filter((i) => i.checked).map((i) => Number(i.getAttribute("data-id")));
      if (!ids.length) throw new Error("Cochez au moins une classe, ou choisissez un autre regroupement.");
      return { classe_ids: ids };
    }
    if (rNiveau.input.checked) {
      if (!niveauSel.value) throw new Error("Choisissez un niveau.");
      return { niveau: niveauSel.value };
    }
    return {};
  };
  return { fs, payload };
}

/** A teacher's choice: the classes where he or she validates, nothing else to choose. */
function ownClasses(classes) {
  const fs = el("fieldset", { id: "classes-export" }, el("legend", { text: classes.length > 1 ? "Vos classes" : "Votre classe" }));
  const inputs = classes.map((c) => {
    const cb = checkbox(c.nom + (c.niveau ? ` (${c.niveau}, ${plural(c.nb_eleves || 0, "élève", "élèves")})` : ""),
      { checked: true, "data-id": c.id });
    fs.appendChild(cb.row);
    return cb.input;
  });
  if (!classes.length) fs.appendChild(el("p", { text: "Aucune classe ne vous est attribuée pour valider : demandez-le au directeur ou à la directrice." }));
  const payload = () => {
    const ids = inputs.filter((i) => i.checked).map((i) => Number(i.getAttribute("data-id")));
    if (!ids.length) throw new Error(classes.length ? "Cochez au moins une de vos classes." : "Aucune classe ne vous est attribuée pour valider.");
    return { classe_ids: ids };
  };
  return { fs, payload };
}

/** Cut names, as SACoche will hold them: the director checks them against the collège's list. */
function cutNames(r) {
  if (!r.noms_coupes || !r.noms_coupes.length) return null;
  return el("div", { class: "alerte information", id: "noms-coupes" },
    el("p", { text: r.note_noms_coupes }),
    el("ul", {}, r.noms_coupes.map((c) => el("li", {
      text: `${c.nom} ${c.prenom} → ${c.nom_fichier} ${c.prenom_fichier}` }))));
}

/** The result of "Générer le fichier": the core's message, then the link that downloads it
 *  (SACoche's own words and clicks: nothing is downloaded before the link is clicked). */
function exportResult(result, r) {
  const url = URL.createObjectURL(new Blob([r.data], { type: "application/zip" }));
  result.dataset.url = url;
  append(result, el("p", { class: "alerte succes", id: "message-export", text: r.message }));
  if (r.note) result.appendChild(el("p", { class: "alerte information", id: "note-export", text: r.note }));
  const cut = cutNames(r);
  if (cut) result.appendChild(cut);
  const where = el("span", { class: "aide", id: "telechargement-export", "aria-live": "polite",
    text: ` « ${r.filename} »` });
  const link = el("a", { href: url, download: r.filename, class: "bouton-lien principal", id: "recuperer-zip",
    text: "Récupérer le fichier au format ZIP" });
  link.addEventListener("click", () => {
    where.textContent = ` « ${r.filename} » est téléchargé : il se trouve dans le dossier des téléchargements de ce navigateur (en général « Téléchargements »).`;
  });
  result.appendChild(el("p", { class: "recuperer" }, link, where));
}

function buildExport(box, classes, director) {
  const choice = regroupement(classes, director);
  const result = el("div", { class: "resultat-export", "aria-live": "polite" });
  const forget = () => {
    if (result.dataset.url) URL.revokeObjectURL(result.dataset.url);
    delete result.dataset.url;
    clear(result);
  };
  const gen = button("Générer le fichier", () => {
    busy(gen, "Génération du fichier…", async () => {
      const payload = choice.payload();
      forget();
      exportResult(result, await call("sacoche.export", payload));
    });
  }, { class: "principal", id: "generer-export" });
  choice.fs.addEventListener("change", forget); // another choice: the file shown is no longer it
  append(box, [choice.fs, el("div", { class: "actions" }, gen), result]);
}

/** The two-computer way of working, as the app's help says it. */
function twoComputers(director) {
  return el("section", { class: "bloc aide-deux-ordinateurs", "aria-labelledby": "titre-deux-ordinateurs" },
    el("h3", { id: "titre-deux-ordinateurs", text: "Travailler sur plusieurs ordinateurs" }),
    el("ol", {},
      el("li", { text: "Chaque enseignant valide sur son propre ordinateur, pour ses classes." }),
      el("li", { text: "Il exporte ici le fichier de ses classes (« Générer le fichier ») et le remet au directeur ou à la directrice (clé USB, messagerie de l'école)." }),
      el("li", { text: "Le directeur ou la directrice l'importe sur son ordinateur (« Importer un fichier en provenance de SACoche ») : les validations manquantes sont ajoutées, les plus récentes remplacent les anciennes." }),
      el("li", { text: "Le directeur ou la directrice exporte enfin le fichier de toute l'école pour le collège." })),
    director ? null : el("p", { text: "Seul le directeur ou la directrice peut importer un fichier." }));
}

/** The report of sacoche.preview / sacoche.import: one row per pupil of the file. */
function reportTable(r, applied) {
  const rows = r.eleves.map((e) => el("tr", { class: `statut-${e.code}` },
    el("td", { text: e.nom }), el("td", { text: e.prenom }),
    el("td", { text: e.statut }), el("td", { class: "nombre", text: e.nb === undefined ? "" : String(e.nb) }),
    el("td", { text: [e.raison || "", ...(e.avertissements || [])].filter(Boolean).join(" ; ") })));
  return table({ id: applied ? "rapport-sacoche-applique" : "rapport-sacoche" },
    ["Nom", "Prénom", "Statut", "Validations", "Remarque"], rows,
    applied ? "Résultat de l'import" : "Aperçu : ce que l'import va faire");
}

function buildImport(box) {
  const id = nextId("fichier-sacoche");
  const input = el("input", { type: "file", id, accept: ".zip,.xml,application/zip,text/xml,application/xml" });
  let chosen = null;
  const report = el("div", { class: "rapport-import" });
  const showReport = (r, applied) => {
    clear(report);
    if (r.message) report.appendChild(el("p", { class: `alerte ${applied ? "succes" : "information"}`, text: r.message }));
    report.appendChild(el("div", { class: "defilement" }, reportTable(r, applied)));
    if (applied) return;
    const confirmBtn = button("Confirmer l'import", () => {
      busy(confirmBtn, "Import des validations…", async () => {
        const res = await call("sacoche.import", chosen);
        showReport(res, true);
        showNotice(res.message);
      });
    }, { class: "principal", id: "confirmer-sacoche" });
    report.appendChild(el("div", { class: "actions" }, confirmBtn));
  };
  const previewBtn = button("Lire le fichier", () => {
    busy(previewBtn, "Lecture du fichier…", async () => {
      if (!chosen) throw new Error("Choisissez d'abord un fichier ZIP ou XML.");
      showReport(await call("sacoche.preview", chosen), false);
    });
  }, { class: "principal", disabled: true, id: "lire-sacoche" });
  input.addEventListener("change", () => {
    const f = input.files && input.files[0];
    clear(report);
    chosen = null;
    previewBtn.disabled = true;
    if (!f) return;
    readFile(f).then((data) => {
      chosen = { data, filename: f.name };
      previewBtn.disabled = false;
    }).catch(showError);
  });
  append(box, [el("div", { class: "champ" }, el("label", { for: id, text: "Fichier SACoche (ZIP ou XML)" }), filePicker(input)),
    el("div", { class: "actions" }, previewBtn), report]);
}

Shell.screen({
  id: "echanges",
  label: "Import / Export des validations",
  roles: ["directeur", "professeur"],
  order: 90,
  async render(section) {
    const director = Shell.state.user && Shell.state.user.role === "directeur";
    append(section, heading(director ? "Import / Export des validations" : "Export des validations"));
    const exp = el("section", { class: "bloc", "aria-labelledby": "titre-export" },
      el("h3", { id: "titre-export", text: "Exporter un fichier à destination de SACoche" }),
      el("p", { text: director
        ? "Choisissez le regroupement d'élèves (en général les classes de CM2), puis générez le fichier à transmettre au collège."
        : "Générez le fichier des validations de vos classes, puis remettez-le au directeur ou à la directrice, qui l'importera." }));
    append(section, exp);
    let imp = null;
    if (director) {
      imp = el("section", { class: "bloc", "aria-labelledby": "titre-import" },
        el("h3", { id: "titre-import", text: "Importer un fichier en provenance de SACoche" }),
        el("p", { text: "Lit un fichier « import-sacoche…zip » (ou le fichier XML qu'il contient), par exemple celui d'un collègue qui a validé sur son propre ordinateur. Une validation est ajoutée si elle manque, et ne remplace une validation existante que si elle est plus récente." }));
      append(section, imp);
    }
    append(section, twoComputers(director));
    const classes = (await call("classes.list")).filter((c) => director || c.peut_valider);
    buildExport(exp, classes, director);
    if (imp) buildImport(imp);
  },
});
