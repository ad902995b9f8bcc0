/* Professeurs & classes (director): who teaches in which class, and each class's professeur
 * principal. Every change is saved at once and the screen redrawn from the core's reply. */
import { el, append, clear, nextId, heading } from "../../shared/dom.js";
import { byName, plural } from "../format.js";
import * as Shell from "../shell.js";

const { call, busy, showNotice } = Shell;

function classLabel(c) {
  return c.nom + (c.niveau ? ` (${c.niveau})` : "");
}

function assignmentTable(box, data, render) {
  const { classes } = data;
  const profs = [...data.professeurs].sort(byName);
  const affected = new Set(data.affectations.map((a) => `${a.professeur_id}:${a.classe_id}`));
  const head = el("tr", {}, el("th", { scope: "col", text: "Professeur" }),
    classes.map((c) => el("th", { scope: "col", text: classLabel(c) })));
  const tb = el("tbody");
  for (const p of profs) {
    const tr = el("tr", {}, el("th", { scope: "row", text: `${p.nom} ${p.prenom}${p.actif === false ? " (désactivé)" : ""}` }));
    for (const c of classes) {
      const cb = el("input", { type: "checkbox", checked: affected.has(`${p.id}:${c.id}`),
        "aria-label": `${p.prenom} ${p.nom} enseigne en ${c.nom}`, "data-prof": p.id, "data-classe": c.id });
      cb.addEventListener("change", () => {
        busy(cb, "Enregistrement…", async () => {
          let d;
          try {
            d = await call("affectations.set", { professeur_id: p.id, classe_id: c.id, affecte: cb.checked });
          } catch (e) {
            cb.checked = !cb.checked;
            throw e;
          }
          render(d);
          const again = box.querySelector(`input[data-prof="${p.id}"][data-classe="${c.id}"]`);
          if (again) again.focus();
        });
      });
      tr.appendChild(el("td", { class: "centre" }, cb));
    }
    tb.appendChild(tr);
  }
  return el("table", { class: "tableau grille-affectations", id: "grille-affectations" },
    el("caption", { text: "Classes des professeurs" }), el("thead", {}, head), tb);
}

function principalChoice(box, data, render, c, principal) {
  const id = nextId("pp");
  const sel = el("select", { id, "data-classe": c.id });
  sel.appendChild(el("option", { value: "", text: "— aucun —" }));
  // Only the class's own (active) teachers may be its professeur principal (the core says who).
  const eligible = new Set(c.eligibles || []);
  const teachers = data.professeurs.filter((p) => eligible.has(p.id)).sort(byName);
  for (const p of teachers) {
    sel.appendChild(el("option", { value: String(p.id), text: `${p.nom} ${p.prenom}`, selected: principal.get(c.id) === p.id }));
  }
  sel.disabled = !teachers.length;
  sel.addEventListener("change", () => {
    busy(sel, "Enregistrement…", async () => {
      const d = await call("affectations.set_principal", { classe_id: c.id, professeur_id: sel.value ? Number(sel.value) : null });
      render(d);
      showNotice(sel.value ? `Professeur principal de ${c.nom} enregistré.` : `La classe ${c.nom} n'a plus de professeur principal.`);
      const again = box.querySelector(`select[data-classe="${c.id}"]`);
      if (again) again.focus();
    });
  });
  const pupils = typeof c.nb_eleves === "number" ? `, ${plural(c.nb_eleves, "élève", "élèves")}` : "";
  const label = `Professeur principal de ${c.nom}${c.niveau ? ` (${c.niveau}${pupils})` : ""}`;
  const hint = teachers.length ? null : el("span", { class: "aide", text: "Cochez d'abord, plus haut, les professeurs de cette classe." });
  return el("div", { class: "champ" }, el("label", { for: id, text: label }), sel, hint);
}

function render(box, data) {
  clear(box);
  const redraw = (d) => render(box, d);
  if (!data.professeurs.length || !data.classes.length) {
    box.appendChild(el("p", { class: "alerte avertissement", text: !data.professeurs.length
      ? "Créez d'abord les comptes des professeurs (menu Professeurs)."
      : "Importez d'abord les élèves : les classes sont créées par l'import." }));
    return;
  }
  box.appendChild(el("div", { class: "defilement" }, assignmentTable(box, data, redraw)));
  box.appendChild(el("h3", { text: "Professeurs principaux" }));
  const principal = new Map(data.affectations.filter((a) => a.principal).map((a) => [a.classe_id, a.professeur_id]));
  const list = el("div", { class: "principaux" });
  for (const c of data.classes) list.appendChild(principalChoice(box, data, redraw, c, principal));
  box.appendChild(list);
}

Shell.screen({
  id: "affectations",
  label: "Professeurs & classes",
  roles: ["directeur"],
  order: 60,
  async render(section) {
    append(section, heading("Professeurs & classes"));
    append(section, el("p", { text: "Cochez les classes de chaque professeur (chaque case est enregistrée aussitôt). Puis, plus bas, choisissez le professeur principal de chaque classe : c'est lui ou elle qui valide le socle pour les élèves de la classe." }));
    const box = el("div");
    section.appendChild(box);
    render(box, await call("affectations.list"));
  },
});
