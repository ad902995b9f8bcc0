/* The wire codec between the page's values and the Python bridge's JSON. Two forms:
 * - bytes beside the JSON (the worker's, bridge.call_blobs): every Uint8Array of a payload is
 *   pushed on a list that travels next to the JSON text and shown there as {"__blob__": i};
 *   a reply's {"__blob__": i} is the i-th byte array of the list Python returns. No base64,
 *   no multi-megabyte string to parse (a 40 MB school file took 4.8 s as base64 JSON).
 * - {"__bytes__": "<base64>"} (bridge.call, the command line; py/cartable/wire.py).
 * No DOM, no worker API: node-testable (tests/js/wire.test.mjs). */
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

/** A payload for the bridge. With `blobs` (an array), every Uint8Array (or ArrayBuffer) is
 *  pushed on it and becomes {"__blob__": its index}; without, {"__bytes__": base64}. */
function toWire(value, blobs) {
  if (value instanceof Uint8Array) {
    if (!blobs) return { __bytes__: bytesToBase64(value) };
    blobs.push(value);
    return { __blob__: blobs.length - 1 };
  }
  if (value instanceof ArrayBuffer) return toWire(new Uint8Array(value), blobs);
  if (Array.isArray(value)) return value.map((v) => toWire(v, blobs));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toWire(v, blobs);
    return out;
  }
  return value;
}

function wireBytes(value, keys, blobs) {
  if (keys.length !== 1) return null;
  if (keys[0] === "__bytes__") return base64ToBytes(value.__bytes__);
  if (keys[0] !== "__blob__" || !blobs) return null;
  const bytes = blobs[value.__blob__];
  if (!Number.isInteger(value.__blob__) || !(bytes instanceof Uint8Array)) {
    throw new Error(`bytes #${value.__blob__} missing from the reply`);
  }
  return bytes;
}

/** A reply from the bridge: every {"__bytes__": b64} (and, with `blobs`, {"__blob__": i})
 *  becomes a Uint8Array, whose buffer is pushed on `transfer` (the list of buffers handed to
 *  the page without a copy; a buffer shared by two values is listed once). */
function fromWire(value, transfer, blobs) {
  if (Array.isArray(value)) return value.map((v) => fromWire(v, transfer, blobs));
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    const bytes = wireBytes(value, keys, blobs);
    if (bytes) {
      if (!transfer.includes(bytes.buffer)) transfer.push(bytes.buffer);
      return bytes;
    }
    const out = {};
    for (const k of keys) out[k] = fromWire(value[k], transfer, blobs);
    return out;
  }
  return value;
}

export { base64ToBytes, bytesToBase64, toWire, fromWire };
