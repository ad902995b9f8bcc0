/* Accueil. The director: the steps to validate the socle and fill the livrets, each with where
 * the school stands. A teacher: the livrets of each of her classes for the current period
 * (livret.progress), each with a link that opens that livret. */
import { el, append, button, heading } from "../../shared/dom.js";
import { plural } from "../format.js";
import * as Shell from "../shell.js";


function progress(o) {
  return o.paliers.map((p) => {
    const text = `${p.nom} : ${p.nb_eleves === 0
      ? `aucun élève de ${p.niveau}.`
      : `${p.pourcentage} % des items décidés pour ${plural(p.nb_eleves, "élève", "élèves")} de ${p.niveau} (${plural(p.valides, "item validé", "items validés")}, ${plural(p.decisions - p.valides, "invalidé", "invalidés")}).`}`;
    return el("div", { class: "avancement" },
      el("progress", { max: String(Math.max(p.total, 1)), value: String(p.decisions), "aria-label": p.nom }),
      el("span", { text }));
  });
}

function bilanProgress(b) {
  if (!b || !b.nb_eleves) return [];
  return [el("div", { class: "avancement", id: "avancement-bilans" },
    el("progress", { max: String(b.nb_eleves), value: String(b.nb_complets), "aria-label": "Bilans de fin de cycle 2" }),
    el("span", { text: `${b.pourcentage} % des bilans complets (${b.nb_complets} sur ${plural(b.nb_eleves, "élève", "élèves")} de CE2).` }))];
}

/** The livrets of each class and period of the school year (livret.progress). */
function livretProgress(l) {
  if (!l || !l.classes.length) return [];
  const list = el("ul", { class: "avancement-livrets", id: "avancement-livrets" });
  for (const c of l.classes) {
    list.appendChild(el("li", { class: "avancement avancement-livret", "data-classe": c.classe_id, "data-periode": c.periode_id },
      el("progress", { max: String(Math.max(c.nb_eleves, 1)), value: String(c.nb_complets), "aria-label": `${c.classe}, ${c.periode}` }),
      el("span", { text: `${c.classe}, ${c.periode} : ${c.message}.` })));
  }
  return [list];
}

/** [screen, what to do, done (true/false/null = no status), status text, extra nodes]. */
function steps(o) {
  const classes = plural(o.nb_classes, "classe", "classes");
  const sansPP = o.classes_sans_principal;
  return [
    ["niveaux", "Choisir les niveaux de l'école.", o.niveaux.length > 0,
      o.niveaux.length ? o.niveaux.join(", ") : "aucun niveau choisi"],
    ["paliers", "Choisir les paliers du socle utilisés (palier 1 et palier 2).", o.paliers.length > 0,
      o.paliers.length ? o.paliers.map((p) => p.nom).join(", ") : "aucun palier choisi"],
    ["import", "Importer les élèves depuis l'extraction CSV d'ONDE (ou de Base-Élèves).", o.nb_eleves > 0,
      o.nb_eleves ? `${plural(o.nb_eleves, "élève", "élèves")} dans ${classes}` : "aucun élève"],
    ["professeurs", "Créer les comptes des professeurs.", o.nb_professeurs > 0,
      o.nb_professeurs ? plural(o.nb_professeurs, "professeur", "professeurs") : "aucun professeur"],
    ["affectations", "Attribuer les classes aux professeurs et désigner les professeurs principaux.",
      o.nb_classes > 0 && sansPP.length === 0,
      sansPP.length ? `${plural(sansPP.length, "classe", "classes")} sans professeur principal (${sansPP.join(", ")})`
        : (o.nb_classes ? "chaque classe a son professeur principal" : "pas encore de classe")],
    ["items", "Valider les items (vous-même ou les professeurs principaux).", null, "", progress(o)],
    ["competences", "Valider les compétences.", null, ""],
    ["echanges", "Exporter le fichier des validations pour le collège (SACoche).", null, ""],
    ["bilan", "Remplir les bilans de fin de cycle 2 des élèves de CE2 (8 composantes, synthèse).",
      null, "", bilanProgress(o.bilans)],
    ["periodes", "Définir les périodes de l'année scolaire (trimestres ou semestres).", o.livret.nb_periodes > 0,
      o.livret.nb_periodes ? `${plural(o.livret.nb_periodes, "période définie", "périodes définies")} pour cette année`
        : "aucune période pour cette année"],
    ["livret", "Remplir les livrets scolaires de chaque période (éléments de programme, positionnements, appréciations).",
      null, "", livretProgress(o.livret)],
    ["lsu", "Exporter les bilans périodiques et de fin de cycle 2 vers le Livret Scolaire Unique (LSU).", null, ""],
    ["fichier", "Enregistrer régulièrement le fichier de l'école (sauvegarde).", null, ""],
  ];
}

function openLivret(btn, c) {
  Shell.busy(btn, "Ouverture du livret…", async () => {
    const grid = await Shell.call("livret.grid", { classe_id: c.classe_id, periode_id: c.periode_id });
    Shell.go("livret", { grid });
  });
}

/** A teacher's home: her classes' livrets of the current period, a link to each. */
async function teacherHome(section) {
  const l = await Shell.call("livret.progress");
  const rows = l.classes.filter((c) => c.periode_id === l.periode_courante);
  let text = null;
  if (!l.millesime) text = "Les périodes de l'année scolaire ne sont pas encore définies : le directeur ou la directrice doit les indiquer avant que vous remplissiez les livrets scolaires.";
  else if (!rows.length) text = "Aucune classe du CP au CM2 ne vous est attribuée : le directeur ou la directrice peut vous attribuer la vôtre.";
  if (text) {
    section.appendChild(el("p", { class: "aide", id: "accueil-professeur", text }));
    return;
  }
  section.appendChild(el("p", { id: "accueil-professeur", text: `Les livrets scolaires de la période en cours (${rows[0].periode}), pour ${rows.length > 1 ? "vos classes" : "votre classe"} :` }));
  const list = el("ul", { class: "avancement-livrets", id: "avancement-livrets" });
  for (const c of rows) {
    const open = button(`Ouvrir le livret de la classe ${c.classe}`, () => openLivret(open, c),
      { class: "lien", "data-classe": c.classe_id });
    list.appendChild(el("li", { class: "avancement avancement-livret", "data-classe": c.classe_id, "data-periode": c.periode_id },
      el("progress", { max: String(Math.max(c.nb_eleves, 1)), value: String(c.nb_complets), "aria-label": `${c.classe}, ${c.periode}` }),
      el("span", { text: `${c.classe}, ${c.periode} : ${c.message}.` }), open));
  }
  section.appendChild(list);
}

Shell.screen({
  id: "accueil",
  label: "Accueil",
  roles: ["directeur", "professeur"],
  order: 10,
  async render(section) {
    append(section, heading("Accueil"));
    if (!Shell.isDirector()) {
      await teacherHome(section);
      return;
    }
    append(section, el("p", { text: "Les étapes pour valider le socle commun (palier 2, fin CM2) et transmettre le fichier au collège :" }));
    const ol = el("ol", { class: "etapes-accueil" });
    section.appendChild(ol);
    const o = await Shell.call("school.overview");
    o.bilans = await Shell.call("bilan.progress");
    o.livret = await Shell.call("livret.progress");
    for (const [id, what, done, status, extra] of steps(o)) {
      const li = el("li", { class: done === true ? "fait" : (done === false ? "a-faire" : "") },
        button(Shell.label(id), () => Shell.go(id), { class: "lien" }), ` — ${what}`);
      if (done !== null) {
        li.appendChild(el("span", { class: "etat-etape", text: done ? `✓ ${status}` : `À faire : ${status}` }));
      }
      append(li, extra || []);
      ol.appendChild(li);
    }
  },
});
