/* A confirmation dialog (a modal <dialog>): Confirm.ask({title, message, items, ok, cancel})
 * resolves to true when the user confirms, false when he or she goes back (button, Échap).
 * Confirm.choose({title, message, items, choices: [{label, value, id, class}], id}) offers
 * several ways; it resolves to the chosen value, or null when the user goes back (Échap).
 * The texts come from the caller (the core's words for anything about data).
 * While it waits for the answer, no busy text is shown (Shell.awaitUser): nothing is running. */
import { el, append, button, nextId } from "../shared/dom.js";
import * as Shell from "./shell.js";


function ask(options) {
  return Shell.awaitUser(() => dialogAnswer(options));
}

function dialogAnswer({ title, message, items, ok, cancel, id }) {
  return new Promise((resolve) => {
    const titleId = nextId("dialogue-titre");
    const dialog = el("dialog", { class: "dialogue", id: id || null, "aria-labelledby": titleId });
    const list = items && items.length
      ? el("ul", { class: "dialogue-liste" }, items.map((text) => el("li", { text })))
      : null;
    let answer = false;
    const yes = button(ok, () => { answer = true; dialog.close(); }, { class: "principal", id: "dialogue-confirmer" });
    const no = button(cancel, () => dialog.close(), { class: "secondaire", id: "dialogue-annuler" });
    append(dialog, [el("h2", { id: titleId, text: title }), message ? el("p", { text: message }) : null,
      list, el("div", { class: "actions" }, yes, no)]);
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    no.focus(); // the safe choice first: Entrée does not lock by mistake
  });
}

function choose(options) {
  return Shell.awaitUser(() => choiceAnswer(options));
}

function choiceAnswer({ title, message, items, choices, id }) {
  return new Promise((resolve) => {
    const titleId = nextId("dialogue-titre");
    const dialog = el("dialog", { class: "dialogue", id: id || null, "aria-labelledby": titleId });
    let answer = null;
    const buttons = choices.map((c) => button(c.label, () => { answer = c.value; dialog.close(); },
      { class: c.class || "secondaire", id: c.id || null }));
    const list = items && items.length
      ? el("ul", { class: "dialogue-liste" }, items.map((text) => el("li", { text })))
      : null;
    append(dialog, [el("h2", { id: titleId, text: title }), message ? el("p", { text: message }) : null,
      list, el("div", { class: "actions" }, ...buttons)]);
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    buttons[0].focus();
  });
}

export { ask, choose };
