/* The wire codec between the page's values and the Python bridge's JSON: bytes travel as
 * {"__bytes__": "<base64>"} in both directions (py/cartable/bridge.py does the same on the
 * Python side). No DOM, no worker API: node-testable (tests/js/). Used by the worker. */
function base64ToBytes(b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes) {
  if (bytes.toBase64) return bytes.toBase64();
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}


/** A payload for the bridge: every Uint8Array (or ArrayBuffer) becomes {"__bytes__": b64}. */
function toWire(value) {
  if (value instanceof Uint8Array) return { __bytes__: bytesToBase64(value) };
  if (value instanceof ArrayBuffer) return toWire(new Uint8Array(value));
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toWire(v);
    return out;
  }
  return value;
}

/** A reply from the bridge: every {"__bytes__": b64} becomes a Uint8Array, whose buffer is
 *  pushed on `transfer` (the list of buffers handed to the page without a copy). */
function fromWire(value, transfer) {
  if (Array.isArray(value)) return value.map((v) => fromWire(v, transfer));
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "__bytes__") {
      const bytes = base64ToBytes(value.__bytes__);
      transfer.push(bytes.buffer);
      return bytes;
    }
    const out = {};
    for (const k of keys) out[k] = fromWire(value[k], transfer);
    return out;
  }
  return value;
}

export { base64ToBytes, bytesToBase64, toWire, fromWire };
