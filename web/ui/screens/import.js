/* Importer les élèves (director): the five-step wizard around base_eleves.read / plan / apply.
 *
 * The wizard keeps the file (bytes from the file picker, see step1 in import_steps.js) and the
 * core's replies between steps; each step's screen is in import_steps.js. Nothing is written
 * before the last step's confirmation (base_eleves.apply).
 */
import { el, append, clear, button, heading } from "../../shared/dom.js";
import * as Shell from "../shell.js";
import * as Confirm from "../confirm.js";
import { STEP_SCREENS } from "./import_steps.js";

const STEPS = ["Récupération du fichier", "Extraction des données", "Classes", "Élèves", "Confirmation"];

/** A wizard on `section`: its state (step, file, read, mapping, plan, classes, done), the
 *  step list, the step body and the navigation buttons. */
function create(section) {
  const stepsNav = el("ol", { class: "etapes", "aria-label": "Étapes de l'import" });
  const body = el("div", { class: "etape" });
  const actions = el("div", { class: "actions navigation-etapes" });
  append(section, [stepsNav, body, actions]);
  const wiz = {
    step: 1, file: null, read: null, mapping: null, plan: null, classes: {}, done: null,
    body, actions,
    render() { render(wiz, stepsNav); },
    goTo(step) { wiz.step = step; wiz.render(); },
    nav(prevOk, nextLabel, nextFn, nextDisabled) { return nav(wiz, prevOk, nextLabel, nextFn, nextDisabled); },
    /** The payload of plan / apply: the file (or the token of the file the core kept when
     *  it read it), the column choice, and `extra`. */
    payload(extra) {
      const token = wiz.read && wiz.read.token;
      const p = token ? { token } : { data: wiz.file.data, filename: wiz.file.name };
      if (wiz.mapping) p.mapping = wiz.mapping;
      return { ...p, ...extra };
    },
    waitPandas() {
      Shell.setBusyText("Chargement du module d'import (quelques secondes)…");
      return window.Cartable.whenPandas();
    },
  };
  return wiz;
}

/** A step's marker: a done step is a button back to it (until the import is applied). */
function marker(wiz, n, name) {
  const content = [el("span", { class: "numero", text: String(n) }), ` ${name}`];
  const li = el("li", { class: n === wiz.step ? "en-cours" : (n < wiz.step ? "faite" : "") });
  if (n < wiz.step && !wiz.done) {
    const back = el("button", { type: "button", class: "etape-retour", title: `Revenir à l'étape ${n}` }, content);
    back.addEventListener("click", () => wiz.goTo(n));
    append(li, back);
  } else {
    append(li, content);
  }
  if (n === wiz.step) li.setAttribute("aria-current", "step");
  return li;
}

function render(wiz, stepsNav) {
  clear(stepsNav);
  STEPS.forEach((name, i) => stepsNav.appendChild(marker(wiz, i + 1, name)));
  clear(wiz.body);
  clear(wiz.actions);
  wiz.body.appendChild(el("h3", { text: `Étape ${wiz.step} — ${STEPS[wiz.step - 1]}`, tabindex: "-1" }));
  STEP_SCREENS[wiz.step](wiz);
  const h3 = wiz.body.querySelector("h3");
  if (h3) h3.focus();
}

function nav(wiz, prevOk, nextLabel, nextFn, nextDisabled) {
  if (prevOk) {
    wiz.actions.appendChild(button("Précédent", () => wiz.goTo(wiz.step - 1), { class: "secondaire" }));
  }
  if (!nextLabel) return null;
  const next = button(nextLabel, () => nextFn(next),
    { class: "principal", disabled: !!nextDisabled, id: "etape-suivante" });
  wiz.actions.appendChild(next);
  return next;
}

/** Choosing « Importer les élèves » again starts a new import from step 1: asked first when
 *  the wizard holds a plan (a file read, not yet applied). Leaving for another screen or
 *  logging out asks the browser's question (the shell's guard cannot wait for a dialog). */
function leaveGuard(wiz, target) {
  if (!wiz.file || wiz.done) return true;
  if (target !== "import") {
    return window.confirm("L'import des élèves n'est pas terminé : rien n'a encore été modifié. Quitter l'assistant ?");
  }
  if (!wiz.plan) return true;
  Confirm.ask({
    id: "dialogue-import",
    title: "Recommencer l'import des élèves ?",
    message: `L'import de « ${wiz.file.name} » n'est pas terminé (étape ${wiz.step} sur ${STEPS.length}) : rien n'a encore été modifié dans l'école. Recommencer reprend à l'étape 1, avec le choix du fichier.`,
    ok: "Recommencer l'import",
    cancel: "Continuer cet import",
  }).then((yes) => { if (yes) Shell.go("import", { force: true }); });
  return false;
}

Shell.screen({
  id: "import",
  label: "Importer les élèves",
  roles: ["directeur"],
  order: 40,
  render(section) {
    append(section, heading("Importer les élèves"));
    append(section, el("p", { text: "Source : l'« Extraction – format CSV » de tous les élèves de l'école, depuis ONDE (ou Base-Élèves). Rien n'est modifié avant la confirmation de la dernière étape." }));
    const wiz = create(section);
    Shell.state.leaveGuard = (target) => leaveGuard(wiz, target);
    wiz.render();
  },
});
