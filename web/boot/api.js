/* window.Cartable: the JS API the interface (web/ui, app.js) uses — keep it exactly.
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
 *   Cartable.memoryFile()               -> Promise<{filename, data}>: the school file as it is
 *                                       in memory, for any user, but only while saving in
 *                                       the browser fails (see docs/SECURITY.md).
 *   Cartable.rescueFile()               the same (its first name, kept for callers of it).
 *
 * When Python is ready, <html data-state> goes from "loading" to "ready" and
 * window.CartableApp.start() is called if app.js defined it. On failure, data-state is
 * "error" and a French error screen says what to do. If the school database stored in the
 * browser cannot be opened, data-state is "recovery": a French screen (#boot-recovery,
 * boot/damaged.js) offers to download the stored bytes, to open a school file, or to start a
 * new school (confirmed); nothing overwrites the stored bytes before that choice; then
 * data-state becomes "ready". `?timeout=MS` in the URL changes the start-up time limit (tests).
 *
 * One tab at a time (boot/tabs.js, boot/lock.js): a tab opened while Cartable is active
 * elsewhere runs no Python (its worker, started before the check, is stopped; it touches no
 * school data before then): data-state is "other-tab".
 */
import { download } from "../shared/dom.js";
import { TO_WORKER } from "../shared/protocol.js";
import { Boot } from "./state.js";
import * as BootLink from "./link.js";
import * as BootTabs from "./tabs.js";

let chain = Boot.ready; // calls run one at a time, in order

function call(command, payload) {
  const run = () => {
    if (Boot.deactivated) return Promise.reject(BootTabs.otherTabError());
    return BootLink.request(TO_WORKER.CALL, { command, payload: payload ?? {} }, command);
  };
  const result = chain.then(run, () => {
    throw new Error("Cartable n'a pas démarré : rechargez la page.");
  });
  chain = result.catch(() => {});
  return result;
}

function onPersistError(callback) {
  BootLink.persistListeners.push(callback);
  const err = Boot.persistError;
  if (err) queueMicrotask(() => { if (Boot.persistError === err) callback(err); });
}

function onChange(callback) {
  BootLink.changeListeners.push(callback);
}

function memoryFile() {
  return Boot.ready.then(() => BootLink.request(TO_WORKER.MEMORY_FILE, {}));
}

export const Cartable = {
  ready: Boot.ready, call, whenPandas: BootLink.whenPandas, download, onPersistError, onChange,
  memoryFile, rescueFile: memoryFile,
};
window.Cartable = Cartable;
