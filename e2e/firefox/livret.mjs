// The livret scolaire in the Firefox smoke (smoke.mjs): a copy of the built folder at its own
// path (so its own, empty storage), a school made through Cartable.call from the ONDE fixture
// (pupils with INEs, the director's civilité); then as a user: the director logs in, saves the
// proposed periods, opens the livret of the CM1 class for period 1, enters one élément de
// programme in three rubriques, positions the whole class on them with the rubriques' arrows,
// clicks one cell of the first pupil, writes that pupil's appréciation générale, saves, and
// downloads the period's LSU file. What was seen goes into `out` (e2e/test_firefox.py parses
// the file and compares it with the cells as Firefox showed them).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { badRequests, newPage, waitState } from "./firefox.mjs";

const CM1 = "[CM1] CE2-CM1 Mme LUCAS";
export const ELEMENTS = { "FRA-LEC": "Lecture suivie d'un roman", "MAT-NBC": "Les fractions simples",
  "EPS-RAC": "Course d'orientation" };
const APPRECIATION = "Un trimestre sérieux & appliqué, en progrès constants.";

async function settle(page, timeout) {
  await page.waitForFunction(() => {
    const t = document.querySelector("#grille-livret");
    return t && !t.classList.contains("en-cours");
  }, { timeout, polling: 100 });
}

async function makeSchool(page, onde, password, h) {
  await h.open(page, pathToFileURL(join(onde.copy, "index.html")).href);
  await page.evaluate(async (data64, pwd) => {
    const C = window.Cartable;
    await C.call("app.setup", { nom: "École Jules Ferry", uai: "0441234C", directeur: { nom: "Durand",
      prenom: "Sophie", civilite: "MME", login: "direction", password: pwd } });
    await C.whenPandas();
    const data = Uint8Array.from(atob(data64), (c) => c.charCodeAt(0));
    await C.call("base_eleves.apply", { data, filename: "CSVExtraction.csv" });
    await C.call("auth.logout", {});
  }, readFileSync(onde.file).toString("base64"), password);
  await page.reload();
  if ((await waitState(page)) !== "ready") throw new Error("livret: not ready after reload");
  await h.login(page, "direction");
}

async function setPeriods(page, h) {
  await h.menu(page, "periodes");
  await page.waitForSelector("#periode-3-fin", { timeout: h.TIMEOUT });
  await page.click("#enregistrer-periodes");
  await h.waitText(page, ".messages .alerte.succes", "3 périodes");
}

async function openLivret(page, h) {
  await h.menu(page, "livret");
  await page.waitForSelector("#livret-classe", { timeout: h.TIMEOUT });
  const ids = await page.evaluate((cm1) => ({
    classe: [...document.querySelectorAll("#livret-classe option")].find((o) => o.text.startsWith(cm1)).value,
    periode: document.querySelector("#livret-periode option").value,
  }), CM1);
  await page.select("#livret-classe", ids.classe);
  await page.select("#livret-periode", ids.periode);
  await page.click("#ouvrir-livret");
  await page.waitForSelector("#grille-livret", { timeout: h.TIMEOUT });
}

async function enterElements(page, h) {
  await page.click("#onglet-elements");
  await page.waitForSelector("#elements-classe", { timeout: h.TIMEOUT });
  for (const [code, libelle] of Object.entries(ELEMENTS)) {
    await page.click(`button[data-ajouter="${code}"]`);
    const areas = await page.$$(`ol.liste-elements[data-rubrique="${code}"] textarea`);
    await areas.at(-1).type(libelle);
  }
  await page.click("#enregistrer-elements");
  await h.waitText(page, ".messages .alerte.succes", "Éléments de programme et projets de la classe enregistrés.");
  await page.click("#onglet-grille");
  await page.waitForSelector("#grille-livret", { visible: true, timeout: h.TIMEOUT });
}

/** Arrows (the whole class at 1 on each rubrique), then one click (the first pupil's MAT-NBC
 *  to 2) and the first pupil's appréciation générale. Returns that pupil's cells as shown. */
async function position(page, h) {
  for (const code of Object.keys(ELEMENTS)) {
    await page.click(`#grille-livret button[data-fleche="rubrique:${code}"]`);
    await settle(page, h.TIMEOUT);
  }
  const first = await page.$eval("#grille-livret tbody tr", (tr) => tr.dataset.eleve);
  await page.click(`#grille-livret td[data-key="${first}:MAT-NBC"]`);
  await settle(page, h.TIMEOUT);
  await page.click(`button.bouton-fiche[data-eleve="${first}"]`);
  await page.waitForSelector(`#fiche-livret[data-eleve="${first}"] #appreciation-generale`, { timeout: h.TIMEOUT });
  await page.type("#appreciation-generale", APPRECIATION);
  await page.keyboard.press("Tab");
  await settle(page, h.TIMEOUT);
  await h.waitText(page, "#etat-livret", "11 élèves modifiés non enregistrés");
  const cells = await page.$$eval(`#grille-livret tr[data-eleve="${first}"] td[data-position]`,
    (tds) => Object.fromEntries(tds.filter((td) => td.dataset.position !== "")
      .map((td) => [td.dataset.key.split(":")[1], td.dataset.position])));
  const name = await page.$eval(`#grille-livret tr[data-eleve="${first}"] .nom-ligne`, (e) => e.textContent);
  return { first, name, cells };
}

async function exportPeriod(page, ff, h) {
  await h.menu(page, "lsu");
  await page.waitForSelector("#lsu-bilans option", { timeout: h.TIMEOUT });
  const value = await page.evaluate(() => [...document.querySelectorAll("#lsu-bilans option")]
    .find((o) => o.textContent.startsWith("Bilans périodiques : Trimestre 1 ")).value);
  await page.select("#lsu-bilans", value);
  await h.waitText(page, "#preflight-lsu", "1 bilan complet");
  const preflight = await h.text(page, "#preflight-lsu");
  const file = await h.download(ff, () => page.click("#exporter-lsu"));
  return { preflight, file };
}

export async function livretSmoke(ff, { copy, work, onde, out, step, helpers: h }) {
  const page = await newPage(ff.browser);
  try {
    await page.setViewport({ width: 1366, height: 768 });
    await makeSchool(page, { copy, file: onde }, h.PASSWORD, h);
    await setPeriods(page, h);
    await openLivret(page, h);
    await enterElements(page, h);
    const shown = await position(page, h);
    await page.click("#enregistrer-livrets");
    await h.waitText(page, ".messages .alerte.succes", "Livrets enregistrés");
    await h.waitText(page, "#etat-livret", "Tout est enregistré.");
    const status = await h.text(page, "#etat-livret");
    await page.screenshot({ path: join(work, "firefox-livret.png") });
    const lsu = await exportPeriod(page, ff, h);
    out.downloads.lsu = lsu.file;
    step("livret-exported", { livret_pupil: shown.name, livret_cells: shown.cells, livret_status: status,
      livret_appreciation: APPRECIATION, livret_preflight: lsu.preflight, livret_errors: await h.errors(page) });
  } finally {
    out.bad_requests.push(...badRequests(page));
    await page.close();
  }
}
