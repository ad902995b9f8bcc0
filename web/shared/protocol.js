/* The messages between the page (boot/link.js) and the worker (worker/main.js), listed once:
 * both sides import these names. Every message is a plain object {type, ...fields}, posted
 * with postMessage. Bytes (a school file, an export, an uploaded CSV) are Uint8Array values
 * anywhere in a payload or a result, never base64 strings:
 * - worker -> page: their buffers are transferred (postMessage(msg, [buf, ...]): no copy);
 *   each is a fresh copy out of Pyodide's memory (worker/commands.js), never wasm memory;
 * - page -> worker: structured-cloned (one copy): the caller keeps its array, as Cartable.call
 *   promises (ui/school_open.js sends the same file to describe_file, then to replace_file);
 * - worker <-> Python: beside the JSON text (bridge.call_blobs, shared/wire.js: a value is
 *   {"__blob__": i}, the i-th byte array of the list that goes with the JSON), one copy into
 *   wasm memory and one out of it.
 *
 * Page -> worker (TO_WORKER):
 *   init    {config}      config.js's content, plus indexURL (the folder's assets/ URL) and
 *                         otherTabMessage (the sentence for calls refused after "stop")
 *   open    {}            this tab is the active one: read and open the school (until then
 *                         the worker loads Python but touches no school data)
 *   asset   {name, b64}   an embedded file, as assets/NAME.js holds it (gzip, then base64)
 *   call    {id, command, payload}   one API command; answered by "result"
 *   pandas  {}            load pandas in the background; answered by pandas-ready/-error
 *   repair  {id, action, data}       the damaged-database screen's choice: action
 *                         "download" (the stored bytes), "open" (data: a school file) or
 *                         "new" (an empty school; the unreadable bytes are kept aside)
 *   memory-file {id}      the database file as the worker holds it, only while saving in the
 *                         browser fails (for any user: see docs/SECURITY.md)
 *   stop    {id, now}     another tab takes over: calls are refused from now on; the calls and
 *                         saves already asked finish first, then nothing is ever written
 *                         again and only then "result" answers; with `now` (the other tab did
 *                         not wait) nothing more is written at all
 *
 * Worker -> page (TO_PAGE):
 *   progress {step, label}   a start-up step began: "python", "packages", "database"
 *   mark     {what, at}      a start-up timing (performance.timeOrigin-based ms), for
 *                            `?trace` and bench/startup.py
 *   want     {name}          please send the embedded file `name` ("asset")
 *   ready    {}              the school is open: calls may run
 *   error    {message, detail}   start-up failed (message: French, for the user)
 *   damaged  {reason, detail, size}   the stored database cannot be opened: the page shows
 *                            the damaged-database screen; nothing is written before a "repair"
 *   result   {id, ok, result, error, code, field, detail, changed}   the answer to "call",
 *                            "repair", "memory-file" or "stop" (error: a French sentence;
 *                            code, field: see Cartable.call; changed: the school changed and
 *                            was saved); a successful "repair" open/new is followed by "ready"
 *   pandas-ready {} | pandas-error {message}
 *   persist-error {message, detail}   saving in the browser (IndexedDB) failed
 *   persist-ok {}            a save succeeded after a failure
 */

export const TO_WORKER = Object.freeze({
  INIT: "init", OPEN: "open", ASSET: "asset", CALL: "call", PANDAS: "pandas",
  REPAIR: "repair", MEMORY_FILE: "memory-file", STOP: "stop",
});

export const TO_PAGE = Object.freeze({
  PROGRESS: "progress", MARK: "mark", WANT: "want", READY: "ready", ERROR: "error",
  DAMAGED: "damaged", RESULT: "result", PANDAS_READY: "pandas-ready",
  PANDAS_ERROR: "pandas-error", PERSIST_ERROR: "persist-error", PERSIST_OK: "persist-ok",
});
