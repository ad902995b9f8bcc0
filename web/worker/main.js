/* The worker's entry point (assets/worker.js.js): runs Pyodide and the Python core, off the
 * page's main thread.
 *
 * boot/link.js creates this classic worker from a Blob URL (a page opened from file:// may not
 * start a worker from a file, nor fetch files). The messages, both ways, are listed in
 * web/shared/protocol.js. Modules: state.js (the worker's state, one object), assets.js (the
 * embedded files, fetch), store.js (IndexedDB), commands.js (the command queue), startup.js
 * (start-up steps, pandas), damaged.js (a damaged database), main.js (this: the messages).
 */
import { TO_PAGE, TO_WORKER } from "../shared/protocol.js";
import { worker } from "./state.js";
import { receiveAsset } from "./assets.js";
import { call, control, memoryFile } from "./commands.js";
import { persist } from "./store.js";
import { loadPandas, openAllowedNow, start } from "./startup.js";
import { repair } from "./damaged.js";

const HANDLERS = {
  [TO_WORKER.INIT]: (msg) => {
    worker.config = msg.config;
    start().catch((e) => {
      console.error("Cartable: start-up failed", e);
      self.postMessage({
        type: TO_PAGE.ERROR,
        message: "Cartable n'a pas pu démarrer dans ce navigateur.",
        detail: String(e && e.stack || e),
      });
    });
  },
  [TO_WORKER.OPEN]: () => openAllowedNow(), // this tab is the active one: read and open the school
  [TO_WORKER.ASSET]: (msg) => receiveAsset(msg.name, msg.b64),
  [TO_WORKER.CALL]: (msg) => call(msg.id, msg.command, msg.payload),
  [TO_WORKER.PANDAS]: () => loadPandas(),
  // From the damaged-database screen, before "ready" (a download or a description opens
  // nothing).
  [TO_WORKER.REPAIR]: (msg) => control(msg.id, () => repair(msg.action, msg.data, msg.name),
    msg.action === "open" || msg.action === "new"),
  // The raw database file, while saving in the browser fails.
  [TO_WORKER.MEMORY_FILE]: (msg) => control(msg.id, memoryFile),
  // Another tab takes over (protocol.js): refuse calls, finish what was asked, then stop.
  [TO_WORKER.STOP]: (msg) => {
    worker.refuseCalls = true;
    if (msg.now) worker.stopped = true;
    control(msg.id, async () => {
      await worker.saving;
      worker.stopped = true;
      return { stopped: true };
    });
  },
};

self.onmessage = (event) => {
  const handler = HANDLERS[event.data.type];
  if (handler) handler(event.data);
};

// For tests and debugging (e2e/test_tabs.py: a command or a save reaching the worker directly,
// after another tab took over): the worker's own entry points and its state.
self.CartableWorker = { call, persist, state: worker };
