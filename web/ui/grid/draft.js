/* The grids' unsaved changes (the item and compétence grid, the livret, the bilan de fin de
 * cycle), copied in localStorage after each click so that an accidental reload loses nothing:
 * offered again ("Reprendre" / "Abandonner") at the next login of the same user. The drafts
 * that `auth.login` gives back after a session ended by inactivity (`brouillons`) are offered
 * the same way (`fromLogin`). One slot: `{login, at, grille, draft}` — `grille` says which grid
 * (a stored object without it, the older shape, is the validation grid's). The copy is a
 * convenience only: failures to store it are ignored. */
import { el, append, button } from "../../shared/dom.js";
import * as Shell from "../shell.js";

const KEY = "cartable.draft";
let pending = null; // auth.login's draft when localStorage refused it

/** Per grid: the core's commands, and the screen that shows the grid restore_draft returns. */
const GRIDS = {
  validation: { draft: "validation.draft", restore: "validation.restore_draft",
    screen: (grid) => (grid.level === "competences" ? "competences" : "items") },
  livret: { draft: "livret.draft", restore: "livret.restore_draft", screen: () => "livret" },
  bilan: { draft: "bilan.draft", restore: "bilan.restore_draft", screen: () => "bilan" },
};

function stored() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "null");
    if (saved && typeof saved === "object" && !saved.grille) saved.grille = "validation";
    return saved;
  } catch (e) {
    return null;
  }
}

function write(login, grille, draft) {
  localStorage.setItem(KEY, JSON.stringify({ login, at: new Date().toISOString(), grille, draft }));
}

/** Keep the core's draft of `grille` (default: the validation grid) while `dirty` > 0, else
 *  forget it. */
async function keep(dirty, grille = "validation") {
  try {
    const d = await Shell.call(GRIDS[grille].draft);
    const user = Shell.state.user;
    if (d && dirty > 0) write(user && user.login, grille, d);
    else forget(grille);
  } catch (e) { /* storage full or refused, or no grid: the draft stays in the session */ }
}

/** Forget the stored draft if it is `grille`'s (default: the validation grid's). */
function forget(grille = "validation") {
  try {
    const saved = stored();
    if (saved && saved.grille === grille) localStorage.removeItem(KEY);
  } catch (e) { /* ignore */ }
}

/** auth.login's reply: the drafts of a session ended by inactivity replace the stored one
 *  (they are the core's latest); the first one is offered at "enter". */
function fromLogin(reply) {
  const list = reply.brouillons || (reply.brouillon ? [{ grille: reply.brouillon.grille || "validation", draft: reply.brouillon }] : []);
  const first = list.find((b) => b && GRIDS[b.grille] && b.draft);
  if (!first) return;
  try {
    write(reply.user.login, first.grille, first.draft);
  } catch (e) {
    pending = { login: reply.user.login, at: new Date().toISOString(), ...first }; // storage refused
  }
}

function clearBanner() {
  for (const b of Shell.dom.banners.querySelectorAll(".brouillon-retrouve")) b.remove();
}

function resume(saved, box, btn) {
  const spec = GRIDS[saved.grille];
  Shell.busy(btn, "Reprise des modifications…", async () => {
    const grid = await Shell.call(spec.restore, { draft: saved.draft });
    box.remove();
    Shell.go(spec.screen(grid), { grid, force: true, keepMessages: true });
    Shell.showNotice("Les modifications ont été reprises. Pensez à les enregistrer.");
  });
}

const WHERE = { validation: "le tableau des validations", livret: "le livret scolaire", bilan: "le bilan de fin de cycle 2" };

/** At login: offer the stored draft of this user. */
function offer(user) {
  const saved = pending || stored();
  pending = null;
  clearBanner();
  if (!saved || !saved.draft || !GRIDS[saved.grille] || !user || saved.login !== user.login) return;
  const when = saved.at ? new Date(saved.at) : null;
  const box = el("div", { class: "alerte avertissement brouillon-retrouve", role: "alert", "data-grille": saved.grille });
  const again = button("Reprendre", () => resume(saved, box, again), { class: "principal", id: "reprendre-brouillon" });
  const drop = button("Abandonner", () => {
    forget(saved.grille);
    box.remove();
    Shell.showNotice("Les modifications non enregistrées ont été abandonnées.");
  }, { class: "secondaire", id: "abandonner-brouillon" });
  const date = when && !isNaN(when) ? ` (du ${when.toLocaleString("fr-FR")})` : "";
  append(box, [el("span", { class: "alerte-texte", text: `Des modifications non enregistrées ont été retrouvées${date} dans ${WHERE[saved.grille]} : ` }), again, drop]);
  Shell.dom.banners.appendChild(box);
}

Shell.on("enter", offer);
Shell.on("logout", clearBanner);

export { keep, forget, fromLogin };
