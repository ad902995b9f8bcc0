/* The command queue: Python tasks run one at a time, in order (calls, the damaged-database
 * choices, the memory file, importing pandas's modules). */
import { fromWire, toWire } from "../shared/wire.js";
import { TO_PAGE } from "../shared/protocol.js";
import { worker } from "./state.js";
import { DB_PATH, persist } from "./store.js";

let queue = Promise.resolve();

/** Run `task` after the tasks already queued; resolves (or rejects) with its result. */
export function enqueue(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

/** One API command ("call"): through the bridge, saved before the page hears "result". */
export function call(id, command, payload) {
  if (worker.refuseCalls) {
    self.postMessage({ type: TO_PAGE.RESULT, id, ok: false, code: "other-tab",
                       error: worker.config.otherTabMessage });
    return Promise.resolve();
  }
  return enqueue(async () => {
    let reply, blobs = [];
    try {
      [reply, blobs] = await bridgeCallBlobs(command, payload);
    } catch (e) {
      reply = { ok: false, error: "Erreur interne : " + e.message, detail: String(e.stack || e) };
    }
    if (reply.ok && reply.changed) await persist(); // saved before the page hears "done"
    const transfer = [];
    let result;
    try {
      result = reply.ok ? fromWire(reply.result, transfer, blobs) : undefined;
    } catch (e) {
      reply = { ok: false, error: "Erreur interne : " + e.message, detail: String(e.stack || e) };
      transfer.length = 0;
    }
    self.postMessage({ type: TO_PAGE.RESULT, id, ok: reply.ok, result, error: reply.error,
                       code: reply.code, field: reply.field, detail: reply.detail,
                       changed: !!reply.changed }, transfer);
  });
}

/** bridge.call_blobs: the payload's bytes handed to Python beside the JSON (each copied once
 * into wasm memory by to_bytes()), the reply's bytes copied out of wasm memory into fresh
 * arrays (transferable: their buffers are not Pyodide's memory). -> [reply, blobs]. */
async function bridgeCallBlobs(command, payload) {
  if (!worker.bridgeCall) throw new Error("the school database is not open");
  const inBlobs = [];
  const json = JSON.stringify(toWire(payload ?? {}, inBlobs));
  const proxy = await worker.bridge.call_blobs(command, json, inBlobs);
  try {
    const text = proxy.get(0);
    const list = proxy.get(1);
    const blobs = [];
    try {
      for (let i = 0; i < list.length; i++) blobs.push(copyOut(list.get(i)));
    } finally {
      list.destroy();
    }
    return [JSON.parse(text), blobs];
  } finally {
    proxy.destroy();
  }
}

/** A Python bytes object's content as a fresh Uint8Array (one copy), the proxy released. */
function copyOut(bytesProxy) {
  let view;
  try {
    view = bytesProxy.getBuffer("u8");
    return view.data.slice(); // a copy: view.data lives in wasm memory
  } finally {
    if (view) view.release();
    bytesProxy.destroy();
  }
}

/** Run `task` in the queue and answer like a call; "ready" after a successful repair. */
export function control(id, task, ready) {
  enqueue(async () => {
    let reply;
    try {
      reply = { ok: true, result: await task() };
    } catch (e) {
      reply = { ok: false, error: e.message, detail: String(e && e.stack || e) };
    }
    const data = reply.ok && reply.result && reply.result.data;
    const transfer = data instanceof Uint8Array ? [data.buffer] : []; // fresh copies
    self.postMessage({ type: TO_PAGE.RESULT, id, ok: reply.ok, result: reply.result,
                       error: reply.error, detail: reply.detail }, transfer);
    if (ready && reply.ok) self.postMessage({ type: TO_PAGE.READY });
  });
}

/** The database file as it is now, for the page to download when the browser cannot keep it.
 * Not limited to the director (unlike school.file_bytes): the bytes are this computer's own
 * copy, that the browser would have stored in its profile anyway (docs/SECURITY.md). */
export async function memoryFile() {
  if (!worker.persistFailed) {
    throw new Error("L'enregistrement dans le navigateur fonctionne : enregistrez le fichier " +
      "de l'école depuis le menu « Fichier de l'école ».");
  }
  // The file name is the core's (ui.strings), like school.file_bytes's.
  const strings = JSON.parse(await worker.bridgeCall("ui.strings", "{}"));
  return { filename: strings.result.school_file_name, data: worker.pyodide.FS.readFile(DB_PATH) };
}
