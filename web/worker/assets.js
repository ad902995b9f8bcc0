/* The embedded files, served to Pyodide by name: the page loads assets/NAME.js (gzip +
 * base64) with <script> tags and posts the content here ("asset"); a wrapped fetch() serves
 * them to Pyodide by file name, waiting for those that have not arrived yet. */
import { base64ToBytes } from "../shared/wire.js";
import { TO_PAGE } from "../shared/protocol.js";
import { worker } from "./state.js";

const slots = new Map(); // name -> {promise, resolve, requested}

function slot(name) {
  let s = slots.get(name);
  if (!s) {
    s = { requested: false };
    s.promise = new Promise((resolve) => { s.resolve = resolve; });
    slots.set(name, s);
  }
  return s;
}

/** The page sent embedded file `name` (its gzip bytes, in base64). */
export function receiveAsset(name, b64) {
  slot(name).resolve(b64);
}

/** The bytes of embedded file `name` (asks the page to load it if needed). */
export async function assetBytes(name) {
  const s = slot(name);
  if (!s.requested) {
    s.requested = true;
    self.postMessage({ type: TO_PAGE.WANT, name });
  }
  const b64 = await s.promise;
  try {
    const stream = new Blob([base64ToBytes(b64)]).stream()
      .pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    // Pyodide would hang on a failed fetch: say so at once.
    self.postMessage({ type: TO_PAGE.ERROR, message: `Le fichier assets/${name}.js est abîmé.`,
                       detail: String(e && e.stack || e) });
    throw e;
  }
}

export async function assetText(name) {
  return new TextDecoder().decode(await assetBytes(name));
}

function contentType(name) {
  if (name.endsWith(".wasm")) return "application/wasm";
  if (name.endsWith(".json")) return "application/json";
  if (name.endsWith(".js")) return "text/javascript";
  return "application/octet-stream";
}

// Serve embedded files by their base name; anything else goes to the real fetch, which the
// Content-Security-Policy refuses (there must be no such request).
const realFetch = self.fetch.bind(self);
self.fetch = async function (input, init) {
  const url = typeof input === "string" ? input : (input && input.url) || String(input);
  const name = url.split(/[?#]/)[0].split("/").pop();
  const config = worker.config;
  if (config && config.files.some((f) => f.name === name)) {
    const bytes = await assetBytes(name);
    return new Response(bytes, { headers: { "Content-Type": contentType(name) } });
  }
  return realFetch(input, init);
};
