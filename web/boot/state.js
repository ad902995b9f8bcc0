/* Cartable boot (page side): the state the boot modules share, in one object.
 *
 * boot.js (entry point boot/main.js) runs before the interface (app.js) and before Python is
 * ready; its screens (loading, error, damaged database, other tab) therefore keep their own
 * French texts, each written once. Its modules: state.js (this), loading.js (progress and
 * error screen), link.js (the worker: embedded files, messages), damaged.js (the damaged
 * database's screen), api.js (window.Cartable, the API app.js uses), lock.js + tab_screen.js
 * + tabs.js (one tab at a time), main.js (start).
 */
const params = new URLSearchParams(location.search);
let readyResolve, readyReject;
const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });
ready.catch(() => {}); // failures are shown on screen; callers get them from call()

export const Boot = {
  root: document.documentElement,
  params,
  config: self.__CARTABLE_CONFIG__,
  $: (id) => document.getElementById(id),
  timeoutMs: Number(params.get("timeout")) || 60000,
  ready,
  readyResolve,
  readyReject,
  worker: null,
  failed: false,
  timer: null, // the start-up time limit, from main.js start()
  startedAt: 0, // performance.now() when start() began
  deactivated: false, // another tab took over (boot/tabs.js)
  persistError: null, // the last failure to save, until a later save succeeds
  app: null, // app.js loaded (a promise, boot/main.js loadApp), once the start-up files are sent
};
