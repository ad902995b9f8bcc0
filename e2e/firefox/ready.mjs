// Start-up in Firefox ESR: `node e2e/firefox/ready.mjs INDEX_URL RUNS` prints a JSON list of
// seconds from navigation start to the app's "cartable:ready" mark, one per run, each run on a
// new profile (empty storage, as a first opening; the OS file cache is warm). bench/startup.py
// --firefox runs it.
import { newPage, readySeconds, startFirefox, waitState } from "./firefox.mjs";

const [url, runsArg] = process.argv.slice(2);
const times = [];
for (let i = 0; i < Number(runsArg || 5); i++) {
  const ff = await startFirefox();
  try {
    const page = await newPage(ff.browser);
    await page.goto(url);
    const state = await waitState(page, ["ready", "error"], 120000);
    if (state !== "ready") throw new Error(`${url} did not start (data-state=${state})`);
    times.push(await readySeconds(page));
  } finally {
    await ff.close();
  }
}
process.stdout.write(JSON.stringify(times) + "\n");
