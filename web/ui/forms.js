/* Errors at the field: a form's error that names its field (err.field, from the core or from a
 * check here) is shown under that field, which gets aria-invalid, aria-describedby and the
 * focus; other errors go to the page's alert area as usual.
 *
 *   Shell.busy(button, "…", () => Forms.guard(fields, async () => …))
 *   fields: {name: input}, the names the core uses ("login", "password", "nom", …).
 *   Forms.fail(field, message) throws an Error for that field.
 * Also the pair of new-password inputs the account screens share (passwordPair, checkSame).
 */
import { el, append, field, nextId } from "../shared/dom.js";
import * as Shell from "./shell.js";


function fail(field, message) {
  const err = new Error(message);
  err.field = field;
  throw err;
}

function clearErrors(fields) {
  for (const input of Object.values(fields)) {
    if (!input) continue;
    input.removeAttribute("aria-invalid");
    const id = input.getAttribute("data-erreur");
    if (id) {
      const node = document.getElementById(id);
      if (node) node.remove();
      const rest = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
      if (rest.length) input.setAttribute("aria-describedby", rest.join(" "));
      else input.removeAttribute("aria-describedby");
      input.removeAttribute("data-erreur");
    }
  }
}

function showAt(input, message) {
  const id = nextId("erreur");
  const node = el("p", { class: "erreur-champ", id, text: message });
  input.insertAdjacentElement("afterend", node);
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("data-erreur", id);
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  input.setAttribute("aria-describedby", [id, ...described].join(" "));
  input.focus();
  // The error is about what was typed: it goes as soon as the user changes it.
  const typed = () => { input.removeEventListener("input", typed); clearErrors({ input }); };
  input.addEventListener("input", typed);
}

/** Run fn(); an error about one of `fields` is shown at it (and not rethrown). */
async function guard(fields, fn) {
  clearErrors(fields);
  try {
    return await fn();
  } catch (err) {
    const input = err && err.field ? fields[err.field] : null;
    if (!input) throw err;
    showAt(input, err.message);
    return undefined;
  }
}

/** Two password inputs (the hint comes from the core); returns {first, second}. */
function passwordPair(parent, labelFirst) {
  const attrs = { type: "password", autocomplete: "new-password", required: true };
  const p1 = field(labelFirst || "Mot de passe", attrs, Shell.state.strings.password_hint);
  const p2 = field("Confirmez le mot de passe", attrs);
  append(parent, [p1.row, p2.row]);
  return { first: p1.input, second: p2.input };
}

/** The two typings must match (the length rule is the core's: it answers with the reason). */
function checkSame(pair) {
  if (pair.first.value !== pair.second.value) {
    fail("password_again", "Les deux mots de passe ne sont pas identiques. Tapez-les à nouveau.");
  }
}

export { fail, guard, clearErrors, passwordPair, checkSame };
