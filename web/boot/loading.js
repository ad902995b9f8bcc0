/* The loading screen (progress bar, step, slowness note) and the start-up error screen. */
import { Boot } from "./state.js";

const { root, $ } = Boot;
const SLOW_MS = 15000; // then say that it is slow, and that waiting is fine

// The bar: loading the files fills the first 30%; then each of Python's start-up steps
// fills its share, creeping forward with time inside a step (no step reports finer).
const STEPS = { // step -> [share of the bar where it starts, typical seconds]
  python: [0.3, 1.2], packages: [0.8, 0.2], database: [0.9, 0.2],
};
const NEXT = { python: "packages", packages: "database", database: null };
const progress = { filesDone: 0, filesTotal: 0, step: null, label: "", stepStarted: 0 };

function barValue() {
  const files = progress.filesTotal ? Math.min(1, progress.filesDone / progress.filesTotal) : 0;
  if (!progress.step || files < 1) return { files, value: 0.3 * files };
  const [start, seconds] = STEPS[progress.step];
  const end = NEXT[progress.step] ? STEPS[NEXT[progress.step]][0] : 1;
  const elapsed = (performance.now() - progress.stepStarted) / 1000;
  return { files, value: start + (end - start) * 0.9 * (1 - Math.exp(-elapsed / seconds)) };
}

function render() {
  if (root.dataset.state !== "loading") return;
  const { files, value } = barValue();
  $("boot-progress").value = Math.round(100 * value);
  if (files < 1) {
    $("boot-step").textContent = "Chargement des fichiers de Cartable…";
    $("boot-detail").textContent =
      `${(progress.filesDone / 1e6).toFixed(1)} Mo sur ${(progress.filesTotal / 1e6).toFixed(1)} Mo`;
  } else {
    $("boot-step").textContent = progress.label || "Préparation de Cartable…";
    $("boot-detail").textContent = "";
  }
  if (Boot.startedAt && performance.now() - Boot.startedAt > SLOW_MS) {
    $("boot-detail").textContent = "Le démarrage prend plus de temps que d'habitude " +
      "(ordinateur lent, ou Cartable lancé depuis une clé USB). Patientez encore un peu.";
  }
}
const renderTimer = setInterval(render, 100);

/** A worker start-up step began ("python", "packages", "database"). */
function step(name, label) {
  Object.assign(progress, { step: name, label, stepStarted: performance.now() });
  render();
}

function files(done, total) {
  progress.filesDone = done;
  if (total !== undefined) progress.filesTotal = total;
  render();
}

function stop() {
  clearInterval(renderTimer);
}

/** Show the start-up error screen (once), stop the worker, reject Cartable.ready. */
function fail(message, detail) {
  if (Boot.deactivated) {
    console.error("Cartable: after another tab took over:", message, detail || "");
    return;
  }
  if (Boot.failed || root.dataset.state === "ready") return;
  Boot.failed = true;
  stop();
  console.error("Cartable: start-up failed:", message, detail || "");
  $("boot-error-message").textContent = message;
  $("boot-error-detail").textContent = detail || "";
  $("boot").hidden = true;
  $("boot-error").hidden = false;
  root.dataset.state = "error";
  if (Boot.worker) Boot.worker.terminate();
  Boot.readyReject(new Error(message));
}

export { step, files, stop, fail };
