// The Firefox ESR smoke: the built folder opened from file:// in Debian's firefox-esr, with a
// profile as a user has it (see firefox.mjs).
//
//   node e2e/firefox/smoke.mjs DIST_DIR WORK_DIR CSV_FILE [ONDE_CSV_FILE]
//
// Steps: ready; create the school; reload (the school is still there); import the Base-Élèves
// CSV through the wizard; a grid click and save; the SACoche export download; the moved folder
// (a copy of DIST_DIR at another path: Firefox gives it an empty storage, the director opens the
// school file saved from the first copy and finds the same school); with ONDE_CSV_FILE, the
// livret (livret.mjs: another copy, a school with INEs; the director sets the periods, enters
// éléments, positions with arrows and a click, writes an appréciation, saves and downloads the
// period's LSU file). Prints one JSON object on
// stdout (what was seen at each step, the files downloaded, the requests that left file://);
// e2e/test_firefox.py asserts on it and parses the downloaded files. Exit code 0 unless a step
// could not run at all (then the JSON has "error").

import { cpSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { badRequests, newPage, readySeconds, startFirefox, waitDownload, waitState } from "./firefox.mjs";
import { livretSmoke } from "./livret.mjs";

const [distArg, workArg, csvArg, ondeArg] = process.argv.slice(2);
if (!distArg || !workArg || !csvArg) {
  console.error("usage: node smoke.mjs DIST_DIR WORK_DIR CSV_FILE");
  process.exit(2);
}
const DIST = resolve(distArg);
const WORK = resolve(workArg);
const CSV = resolve(csvArg);
const SCHOOL = "École Jean Macé";
const UAI = "0441234C";
const PASSWORD = "Directrice-2013";
const TIMEOUT = 60000;
const out = { steps: [], downloads: {}, bad_requests: [], ready_seconds: [] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function step(name, data) { out.steps.push(name); Object.assign(out, data || {}); }

// -- page helpers ---------------------------------------------------------------------------

async function fill(page, label, value) {
  const id = await page.evaluate((text) => {
    const l = [...document.querySelectorAll("label")].find((x) => x.textContent.trim() === text);
    return l ? l.htmlFor : null;
  }, label);
  if (!id) throw new Error(`no field labelled ${label}`);
  await page.$eval(`#${id}`, (i) => { i.value = ""; });
  await page.type(`#${id}`, value);
}

async function clickText(page, selector, text) {
  const handle = await page.waitForSelector(`${selector}::-p-text(${text})`, { timeout: TIMEOUT });
  await handle.click();
}

async function text(page, selector) {
  await page.waitForSelector(selector, { timeout: TIMEOUT });
  return page.$eval(selector, (e) => e.textContent);
}

async function waitText(page, selector, needle) {
  await page.waitForFunction((s, n) => {
    const els = document.querySelectorAll(s);
    return [...els].some((e) => e.textContent.includes(n));
  }, { timeout: TIMEOUT, polling: 100 }, selector, needle);
}

async function menu(page, vue) {
  // while a grid is shown the side menu is folded behind a "Menu" button (as a user sees it)
  const folded = await page.$('#deplier-menu[aria-expanded="false"]');
  if (folded) await folded.click();
  await page.click(`nav.menu button[data-vue="${vue}"]`);
  await page.waitForSelector(`.vue-${vue} h2`, { timeout: TIMEOUT });
}

async function errors(page) {
  return page.$$eval(".alertes .alerte.erreur", (els) => els.map((e) => e.textContent));
}

async function login(page, user) {
  await page.waitForSelector(".ecran-connexion h2", { timeout: TIMEOUT });
  await fill(page, "Identifiant", user);
  await fill(page, "Mot de passe", PASSWORD);
  await clickText(page, "button", "Se connecter");
  await page.waitForSelector(".ecran-appli nav.menu", { timeout: TIMEOUT });
}

async function open(page, indexUrl) {
  await page.goto(indexUrl);
  const state = await waitState(page);
  if (state !== "ready") throw new Error(`data-state=${state} at ${indexUrl}`);
  out.ready_seconds.push(await readySeconds(page));
}

async function download(ff, click) {
  const before = readdirSync(ff.downloadDir);
  await click();
  return waitDownload(ff.downloadDir, before);
}

// -- the detector of outside requests must be able to fail -----------------------------------

async function detectorWorks(browser) {
  const server = createServer((req, res) => { res.writeHead(204); res.end(); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}/probe.png`;
  const page = await newPage(browser);
  try {
    await page.goto("about:blank");
    await page.evaluate((u) => { const i = new Image(); i.src = u; document.body.appendChild(i); }, url);
    for (let i = 0; i < 50 && !badRequests(page).includes(url); i++) await sleep(100);
    return badRequests(page).includes(url);
  } finally {
    await page.close();
    server.close();
  }
}

// -- the steps ------------------------------------------------------------------------------

async function createSchool(page) {
  await page.waitForSelector(".ecran-creation h2", { timeout: TIMEOUT });
  step("first-run", { first_run_title: await text(page, ".ecran-creation h2") });
  await fill(page, "Nom de l'école", SCHOOL);
  await fill(page, "Numéro UAI (facultatif)", UAI);
  await fill(page, "Nom", "Lebrun");
  await fill(page, "Prénom", "Sophie");
  await fill(page, "Mot de passe", PASSWORD);
  await fill(page, "Confirmez le mot de passe", PASSWORD);
  await clickText(page, "button", "Créer l'école");
  await waitText(page, ".messages .alerte.succes", "Votre identifiant de connexion est");
  const notice = await page.$$eval(".messages .alerte.succes", (els) => els.at(-1).textContent);
  const login = /« (.+?) »/.exec(notice)[1];
  step("created", { login, header: await text(page, ".entete") });
  return login;
}

async function importCsv(page) {
  await menu(page, "paliers");
  await page.waitForSelector('.liste-cases input[data-id="2"]', { timeout: TIMEOUT });
  if (!(await page.$eval('.liste-cases input[data-id="2"]', (i) => i.checked))) {
    await page.click('.liste-cases input[data-id="2"]');
  }
  await clickText(page, "button", "Valider ce choix de paliers");
  await waitText(page, ".messages .alerte.succes", "Choix des paliers enregistré");
  await menu(page, "import");
  const input = await page.waitForSelector("#fichier-eleves", { timeout: TIMEOUT });
  await input.uploadFile(CSV);
  await waitText(page, ".fichier-choisi", "CSVExtraction.csv");
  await page.click("#etape-suivante");
  await waitText(page, "#bilan-extraction", "élèves trouvés");
  for (const marker of ["#classes-import", "#bilan-eleves"]) { // steps 3 and 4, then 5
    await page.click("#etape-suivante");
    await page.waitForSelector(marker, { timeout: TIMEOUT });
  }
  await page.click("#etape-suivante");
  await clickText(page, "button", "Confirmer l'import");
  await page.waitForSelector("#bilan-import", { timeout: TIMEOUT });
  step("imported", { import_report: await text(page, ".etape"), import_errors: await errors(page) });
}

async function gridClickAndSave(page) {
  await menu(page, "items");
  await page.waitForSelector(".liste-eleves input[type=checkbox]", { timeout: TIMEOUT });
  const palier = await page.evaluate(() => {
    const l = [...document.querySelectorAll("label")].find((x) => x.textContent === "Palier");
    return l.htmlFor;
  });
  await page.select(`#${palier}`, "2");
  await sleep(300);
  const classe = await page.evaluate(() => {
    const l = [...document.querySelectorAll("label")].find((x) => x.textContent === "Classe");
    const sel = document.getElementById(l.htmlFor);
    const opt = [...sel.options].find((o) => o.text.startsWith("CM2 B"));
    return [l.htmlFor, opt.value];
  });
  await page.select(`#${classe[0]}`, classe[1]);
  await sleep(300);
  await page.waitForSelector(".liste-eleves input[type=checkbox]", { timeout: TIMEOUT });
  await page.click('.liste-competences input[data-ref="1"]');
  await page.click("#afficher-tableau");
  await page.waitForSelector("#grille-validations td.case-grille", { timeout: TIMEOUT });
  const key = await page.$eval("#grille-validations td.case-grille", (td) => td.dataset.key);
  await page.click(`td.case-grille[data-key="${key}"]`);
  await page.waitForSelector(`td.case-grille[data-key="${key}"][data-etat="1"]`, { timeout: TIMEOUT });
  await page.click("#enregistrer-validations");
  await waitText(page, "#etat-brouillon", "Toutes les modifications sont enregistrées");
  const name = await page.$eval(`th.eleve[data-eleve="${key.split(":")[0]}"]`, (th) => th.textContent);
  step("grid-saved", { grid_key: key, grid_pupil: name, grid_errors: await errors(page) });
}

async function exportSacoche(page, ff) {
  await menu(page, "echanges");
  await page.waitForSelector('.cases-classes input[data-niveau="CM2"]', { timeout: TIMEOUT });
  const before = readdirSync(ff.downloadDir);
  await page.click("#generer-export");
  await page.waitForSelector("#message-export", { timeout: TIMEOUT });
  // SACoche's clicks: generating downloads nothing, the link « Récupérer… » downloads it once
  const early = readdirSync(ff.downloadDir).filter((f) => !before.includes(f));
  const file = await download(ff, () => page.click("#recuperer-zip"));
  step("exported", { export_message: await text(page, "#message-export"), export_early_downloads: early.length });
  out.downloads.sacoche = file;
}

async function downloadSchoolFile(page, ff) {
  await menu(page, "fichier");
  await page.waitForSelector("#enregistrer-fichier", { timeout: TIMEOUT });
  const file = await download(ff, () => page.click("#enregistrer-fichier"));
  await waitText(page, "#etat-fichier", "enregistré pour la dernière fois");
  await waitText(page, ".messages .alerte.succes", "a été téléchargé");
  const notice = await page.$$eval(".messages .alerte.succes", (els) => els.at(-1).textContent);
  return { file, notice };
}

/** One more decision (the next item of the saved cell's pupil), saved: the school changed. */
async function oneMoreDecision(page) {
  return page.evaluate(async (key) => {
    const [eleve, row] = key.split(":").map(Number);
    const classe = (await Cartable.call("classes.list", {})).find((c) => c.nom.startsWith("CM2 B"));
    const grid = await Cartable.call("validation.grid", { palier_id: 2, classe_id: classe.id,
      eleve_ids: [eleve], competence_id: 8 });
    const rows = grid.domaines.flatMap((d) => d.rows.map((r) => r.id));
    const next = rows.find((r) => r !== row);
    await Cartable.call("validation.click", { target: { kind: "cell", eleve_id: eleve, row_id: next } });
    return Cartable.call("validation.save", {});
  }, out.grid_key);
}

async function nextMinute() {
  const minute = () => Math.floor(Date.now() / 60000);
  const now = minute();
  while (minute() === now) await sleep(250);
}

async function saveSchoolFile(page, ff) {
  await menu(page, "fichier");
  await page.waitForSelector("#enregistrer-fichier", { timeout: TIMEOUT });
  const before = await text(page, "#etat-fichier");
  const first = await downloadSchoolFile(page, ff);
  const saved = await oneMoreDecision(page);
  await menu(page, "fichier");
  const between = await text(page, "#etat-fichier");
  await nextMinute(); // later the same day
  const second = await downloadSchoolFile(page, ff);
  out.downloads.school_first = first.file;
  out.downloads.school = second.file;
  await page.screenshot({ path: join(WORK, "firefox-fichier.png"), fullPage: true });
  step("school-file-saved", { file_state_before: before, file_state_between: between,
    file_state_after: await text(page, "#etat-fichier"), second_saved: saved.ajoutees,
    school_notices: [first.notice, second.notice],
    firefox_note: await text(page, "#note-firefox"), auto_save_offered: !!(await page.$("#choisir-fichier-auto")) });
}

async function movedFolder(ff, user) {
  const moved = join(WORK, "copie ailleurs", "cartable");
  cpSync(DIST, moved, { recursive: true });
  const page = await newPage(ff.browser);
  try {
    await page.setViewport({ width: 1366, height: 768 });
    await open(page, pathToFileURL(join(moved, "index.html")).href);
    const status = await page.evaluate(() => Cartable.call("app.status", {}));
    step("moved-opened", { moved_needs_setup: status.needs_setup });
    await page.waitForSelector(".ecran-creation", { timeout: TIMEOUT });
    await waitText(page, "#note-firefox-creation", "Dans Firefox");
    await page.screenshot({ path: join(WORK, "firefox-premiere-ouverture.png") });
    const input = await page.waitForSelector("#ouvrir-fichier-ecole", { timeout: TIMEOUT });
    await input.uploadFile(out.downloads.school);
    await page.waitForSelector("#confirmer-ouverture li", { timeout: TIMEOUT });
    const shown = await page.$$eval("#confirmer-ouverture li", (els) => els.map((e) => e.textContent));
    await page.screenshot({ path: join(WORK, "firefox-ouvrir-confirmation.png") });
    step("moved-asked", { moved_confirmation: shown });
    await page.click("#dialogue-confirmer");
    await page.waitForSelector(".ecran-connexion h2", { timeout: TIMEOUT });
    await login(page, user);
    const after = await page.evaluate(() => Cartable.call("school.overview", {}));
    const header = await text(page, ".entete");
    step("moved-reopened", { moved_header: header, moved_overview: after });
    await page.screenshot({ path: join(WORK, "firefox-dossier-deplace.png") });
    await menu(page, "fichier");
    out.downloads.moved_school = await download(ff, () => page.click("#enregistrer-fichier"));
  } finally {
    out.bad_requests.push(...badRequests(page));
    await page.close();
  }
}

async function main() {
  const ff = await startFirefox({ workDir: WORK });
  try {
    out.detector_works = await detectorWorks(ff.browser);
    const page = await newPage(ff.browser);
    try {
      await page.setViewport({ width: 1366, height: 768 });
      const index = pathToFileURL(join(DIST, "index.html")).href;
      await open(page, index);
      step("ready");
      const user = await createSchool(page);
      await page.reload();
      if ((await waitState(page)) !== "ready") throw new Error("not ready after reload");
      out.ready_seconds.push(await readySeconds(page));
      const st = await page.evaluate(() => Cartable.call("app.status", {}));
      step("reloaded", { reload_school: st.school, reload_needs_setup: st.needs_setup });
      await login(page, user);
      await importCsv(page);
      await gridClickAndSave(page);
      await exportSacoche(page, ff);
      await saveSchoolFile(page, ff);
      await movedFolder(ff, user);
      if (ondeArg) {
        const copy = join(WORK, "livret", "cartable");
        cpSync(DIST, copy, { recursive: true });
        await livretSmoke(ff, { copy, work: WORK, onde: resolve(ondeArg), out, step,
          helpers: { open, login, menu, waitText, text, errors, download, TIMEOUT, PASSWORD } });
      }
    } finally {
      out.bad_requests.push(...badRequests(page));
    }
  } catch (e) {
    out.error = String(e && e.stack || e);
    for (const p of await ff.browser.pages()) {
      await p.screenshot({ path: join(WORK, `erreur-${out.steps.length}.png`) }).catch(() => {});
    }
  } finally {
    await ff.close();
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

await main();
