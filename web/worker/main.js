/* Cartable worker: runs Pyodide and the Python core, off the page's main thread.
 *
 * boot/link.js creates this classic worker from a Blob URL (a page opened from file:// may not
 * start a worker from a file, nor fetch files). The page loads the embedded assets
 * (assets/NAME.js, gzip + base64) with <script> tags and posts them here; a wrapped fetch()
 * serves them to Pyodide by file name, waiting for those that have not arrived yet.
 *
 * Messages from the page:  {type: "init", config} | {type: "open"} | {type: "asset", name, b64}
 *                          | {type: "call", id, command, payload} | {type: "pandas"}
 *                          | {type: "recover", id, action: "download"|"open"|"new", data}
 *                          | {type: "rescue", id} | {type: "stop", id, now}
 * Messages to the page:    {type: "progress", step, label} | {type: "ready"}
 *                          | {type: "error", message, detail} | {type: "want", name}
 *                          | {type: "result", id, ok, result, error, code, field, detail}
 *                          | {type: "pandas-ready"} | {type: "pandas-error", message}
 *                          | {type: "persist-error", message, detail} | {type: "persist-ok"}
 *                          | {type: "recovery", reason, detail, size} | {type: "mark", what, at}
 *
 * "recover" and "rescue" answer with a "result" like "call" (result: {filename, data} for
 * downloads); a successful "recover" open/new is followed by "ready".
 *
 * "stop" (another tab takes over, see boot/tabs.js): from then on every "call" is refused; the
 * calls received before it still run and are saved, then nothing is ever written to IndexedDB
 * again, and only then the "result" of "stop" is sent (the other tab may read IndexedDB from
 * then on). With `now` (the other tab did not wait), nothing more is written at all.
 *
 * Files (web/bundle.txt, [worker.js]; one global scope, the worker's own): wire.js (the bytes
 * codec), assets.js (embedded files, fetch), store.js (IndexedDB), python.js (start-up, the
 * command queue, pandas), recovery.js, main.js (this: the messages).
 */

self.onmessage = (event) => {
  const msg = event.data;
  switch (msg.type) {
    case "init":
      config = msg.config;
      boot().catch((e) => {
        console.error("Cartable: start-up failed", e);
        self.postMessage({
          type: "error",
          message: "Cartable n'a pas pu démarrer dans ce navigateur.",
          detail: String(e && e.stack || e),
        });
      });
      break;
    case "open": // this tab is the active one: read and open the school
      allowOpen();
      break;
    case "asset":
      slot(msg.name).resolve(msg.b64);
      break;
    case "call":
      call(msg.id, msg.command, msg.payload);
      break;
    case "pandas":
      loadPandas();
      break;
    case "recover": // from the recovery screen, before "ready" (a download opens nothing)
      control(msg.id, () => recover(msg.action, msg.data), msg.action !== "download");
      break;
    case "rescue": // the raw database file, while saving in the browser fails
      control(msg.id, rescue);
      break;
    case "stop": // another tab takes over (see the top of this file)
      refuseCalls = true;
      if (msg.now) stopped = true;
      control(msg.id, async () => {
        await saving;
        stopped = true;
        return { stopped: true };
      });
      break;
  }
};
