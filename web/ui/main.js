/* app.js's entry point: the interface, started by boot.js once Python is ready.
 *
 * The modules with side effects at load (a screen registers itself with Shell.screen, a part
 * listens with Shell.on or Shell.onLeave) are imported here in the order they register; the
 * menu's order is each screen's own `order`, not this list's. boot.js calls
 * window.CartableApp.start() when Python is ready (boot/link.js).
 */
import * as Shell from "./shell.js";
import "./save_failure.js";
import "./keeper.js";
import "./grid/draft.js";
import "./grid/grid.js";
import "./secours.js";
// the screens: one file each
import "./screens/auth.js";
import "./screens/accueil.js";
import "./screens/niveaux.js";
import "./screens/paliers.js";
import "./screens/import.js";
import "./screens/professeurs.js";
import "./screens/affectations.js";
import "./screens/validation.js";
import "./screens/attestation.js";
import "./screens/bilan.js";
import "./screens/periodes.js";
import "./screens/livret.js";
import "./screens/sacoche.js";
import "./screens/lsu.js";
import "./screens/fichier.js";
import "./screens/protection.js";
import "./screens/reglages.js";
import "./screens/compte.js";

window.CartableApp = {
  start: Shell.start,
  // For tests and debugging: the current screen id.
  currentView: () => Shell.state.view,
};
