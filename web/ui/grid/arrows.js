/* The arrow buttons of the grid tables (the validation grid, the bilan, the livret): an arrow
 * sets a whole row or column; its title and accessible name are the core's words for what its
 * next click does.
 *
 * GridArrows.button(view, symbol, target, key, {cls, next}) -> the <button class="fleche">,
 *   kept in view.arrows[key], with b._target (what its click sends) and b._key, painted by
 *   view.paintArrow(key); `next`: the symbol in its own span, then an empty span.prochain that
 *   the table paints with the position the next click sets.
 * GridArrows.label(b, text, prochain): the title, the accessible name, data-prochain.
 * GridArrows.prochain(value): a position as data-prochain says it ("aucune" for none).
 */
import { el } from "../../shared/dom.js";

function button(view, symbol, target, key, { cls = "", next = false } = {}) {
  const attrs = { type: "button", class: cls ? `fleche ${cls}` : "fleche", tabindex: "-1", "data-fleche": key };
  const b = next
    ? el("button", attrs, el("span", { "aria-hidden": "true", text: symbol }),
      el("span", { class: "prochain", "aria-hidden": "true" }))
    : el("button", { ...attrs, text: symbol });
  b._target = target;
  b._key = key;
  view.arrows[key] = b;
  view.paintArrow(key);
  return b;
}

function label(b, text, prochain) {
  b.setAttribute("aria-label", text);
  b.title = text;
  b.setAttribute("data-prochain", prochain);
}

function prochain(value) {
  return value === null || value === undefined ? "aucune" : String(value);
}

export { button, label, prochain };
