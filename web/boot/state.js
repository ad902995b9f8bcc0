/* Cartable boot (page side): loading screen, the Python worker, and the API for the interface.
 *
 * The boot files (web/bundle.txt, [boot.js]) run before the interface (app.js) and before
 * Python is ready; their screens (loading, error, recovery, other tab) therefore keep their
 * own French texts, each written once.
 *
 * API used by the user interface (web/ui) — keep it exactly (boot/api.js):
 *
 *   Cartable.ready                      Promise, resolved when Python is ready.
 *   Cartable.call(command, payload)     -> Promise<result>. Calls run one at a time, in order.
 *                                       Rejects with an Error whose .message is a French
 *                                       sentence for the user (.code: optional machine code,
 *                                       e.g. "login", "session"; .field: the form field it is
 *                                       about, e.g. "login", "password"); details go to the
 *                                       console.
 *                                       Any Uint8Array in payload reaches Python as bytes;
 *                                       bytes in the result come back as Uint8Array.
 *   Cartable.whenPandas()               -> Promise, resolved once pandas is imported in the
 *                                       worker (starts loading it if not started yet).
 *   Cartable.download(bytes, filename, mime)   saves a Uint8Array as a file (Blob + <a download>).
 *   Cartable.onPersistError(callback)   callback(error) when saving the database in the
 *                                       browser (IndexedDB) fails: quota, private mode...
 *                                       (error.message: French sentence); again after each
 *                                       later failure; callback(null) once a later save
 *                                       succeeds. A failure before the callback was
 *                                       registered (e.g. at start-up) is reported at once.
 *   Cartable.onChange(callback)         callback(command) after each command that changed the
 *                                       school and was saved in the browser (the page keeps
 *                                       the school file up to date, web/ui/keeper.js).
 *   Cartable.rescueFile()               -> Promise<{filename, data}>: the school file as it is
 *                                       in memory, for any user, but only while saving in
 *                                       the browser fails (see docs/SECURITY.md).
 *
 * When Python is ready, <html data-state> goes from "loading" to "ready" and
 * window.CartableApp.start() is called if app.js defined it. On failure, data-state is
 * "error" and a French error screen says what to do. If the school database stored in the
 * browser cannot be opened, data-state is "recovery": a French screen (#boot-recovery,
 * boot/recovery.js) offers to download the stored bytes, to open a school file, or to start a
 * new school (confirmed); nothing overwrites the stored bytes before that choice; then
 * data-state becomes "ready". `?timeout=MS` in the URL changes the start-up time limit (tests).
 *
 * One tab at a time (boot/tabs.js, boot/lock.js): a tab opened while Cartable is active
 * elsewhere runs no Python (its worker, started before the check, is stopped; it touches no
 * school data before then): data-state is "other-tab".
 *
 * Files: state.js (this: shared state), loading.js (progress and error screen), link.js (the
 * worker: assets, messages), recovery.js, api.js (window.Cartable), lock.js + tabs.js (one tab
 * at a time), main.js (start).
 */
const Boot = (() => {
  const params = new URLSearchParams(location.search);
  let readyResolve, readyReject;
  const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });
  ready.catch(() => {}); // failures are shown on screen; callers get them from call()
  return {
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
  };
})();
