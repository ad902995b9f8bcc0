/* The grid's unsaved changes, copied in localStorage after each click so that an accidental
 * reload loses nothing: offered again ("Reprendre" / "Abandonner") at the next login of the
 * same user. The copy is a convenience only: failures to store it are ignored. */
import { el, append, button } from "../../shared/dom.js";
import * as Shell from "../shell.js";

const KEY = "cartable.draft";

/** Keep the core's draft (validation.draft) while `dirty` > 0, else forget it. */
async function keep(dirty) {
  try {
    const d = await Shell.call("validation.draft");
    const user = Shell.state.user;
    if (d && dirty > 0) {
      localStorage.setItem(KEY, JSON.stringify({ login: user && user.login, at: new Date().toISOString(), draft: d }));
    } else {
      localStorage.removeItem(KEY);
    }
  } catch (e) { /* storage full or refused, or no grid: the draft stays in the session */ }
}

function forget() {
  try {
    localStorage.removeItem(KEY);
  } catch (e) { /* ignore */ }
}

function clearBanner() {
  for (const b of Shell.dom.banners.querySelectorAll(".brouillon-retrouve")) b.remove();
}

function stored() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "null");
  } catch (e) {
    return null;
  }
}

/** At login: offer the stored draft of this user. */
function offer(user) {
  const saved = stored();
  clearBanner();
  if (!saved || !saved.draft || !user || saved.login !== user.login) return;
  const when = saved.at ? new Date(saved.at) : null;
  const box = el("div", { class: "alerte avertissement brouillon-retrouve", role: "alert" });
  const resume = button("Reprendre", () => {
    Shell.busy(resume, "Reprise des modifications…", async () => {
      const grid = await Shell.call("validation.restore_draft", { draft: saved.draft });
      box.remove();
      Shell.go(grid.level === "competences" ? "competences" : "items", { grid, force: true, keepMessages: true });
      Shell.showNotice("Les modifications ont été reprises. Pensez à les enregistrer.");
    });
  }, { class: "principal", id: "reprendre-brouillon" });
  const drop = button("Abandonner", () => {
    forget();
    box.remove();
    Shell.showNotice("Les modifications non enregistrées ont été abandonnées.");
  }, { class: "secondaire", id: "abandonner-brouillon" });
  const date = when && !isNaN(when) ? ` (du ${when.toLocaleString("fr-FR")})` : "";
  append(box, [el("span", { class: "alerte-texte", text: `Des modifications non enregistrées ont été retrouvées${date} : ` }), resume, drop]);
  Shell.dom.banners.appendChild(box);
}

Shell.on("enter", offer);
Shell.on("logout", clearBanner);

export { keep, forget };
