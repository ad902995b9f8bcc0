// The worker's wire codec (web/shared/wire.js): bytes as {"__bytes__": base64}, both ways.
import test from "node:test";
import assert from "node:assert/strict";
import * as Wire from "../../web/shared/wire.js";

test("bytes become {__bytes__: base64} at any depth, other values are unchanged", () => {
  const payload = { data: new Uint8Array([0, 1, 2, 250, 255]), filename: "a.csv",
    list: [1, "x", null, { inner: new Uint8Array([104, 105]).buffer }], flag: true };
  assert.deepEqual(Wire.toWire(payload), {
    data: { __bytes__: "AAEC+v8=" }, filename: "a.csv",
    list: [1, "x", null, { inner: { __bytes__: "aGk=" } }], flag: true,
  });
});

test("{__bytes__} becomes a Uint8Array whose buffer is listed for transfer", () => {
  const transfer = [];
  const out = Wire.fromWire({ filename: "f.zip", data: { __bytes__: "UEsDBA==" }, n: [{ __bytes__: "" }] }, transfer);
  assert.deepEqual([...out.data], [0x50, 0x4b, 3, 4]);
  assert.ok(out.data instanceof Uint8Array);
  assert.equal(out.filename, "f.zip");
  assert.equal(out.n[0].length, 0);
  assert.equal(transfer.length, 2);
  assert.equal(transfer[0], out.data.buffer);
});

test("an object with __bytes__ and another key is not bytes", () => {
  const v = { __bytes__: "AA==", other: 1 };
  assert.deepEqual(Wire.fromWire(v, []), v);
});

test("round trip keeps every byte value, also beyond one 32 KiB chunk", () => {
  const big = new Uint8Array(100000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 256;
  const wire = Wire.toWire({ big });
  assert.equal(typeof wire.big.__bytes__, "string");
  assert.equal(wire.big.__bytes__, Buffer.from(big).toString("base64"));
  const back = Wire.fromWire(JSON.parse(JSON.stringify(wire)), []).big;
  assert.deepEqual(Buffer.from(back), Buffer.from(big));
});

test("the same base64 as Python's base64.b64encode (the bridge's side)", () => {
  // b64encode(bytes(range(256))).decode() starts and ends like this.
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const b64 = Wire.toWire(all).__bytes__;
  assert.ok(b64.startsWith("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"));
  assert.ok(b64.endsWith("+/w=="));
  assert.deepEqual([...Wire.base64ToBytes(b64)], [...all]);
});

// -- bytes beside the JSON (bridge.call_blobs) ----------------------------------------------

test("with a blob list, bytes are listed beside the JSON as {__blob__: i}, never base64", () => {
  const a = new Uint8Array([1, 2, 3]);
  const blobs = [];
  const wire = Wire.toWire({ data: a, more: [new Uint8Array([9]).buffer], n: 1, s: "x" }, blobs);
  assert.deepEqual(wire, { data: { __blob__: 0 }, more: [{ __blob__: 1 }], n: 1, s: "x" });
  assert.equal(blobs.length, 2);
  assert.equal(blobs[0], a); // the caller's array itself: no copy in the worker
  assert.deepEqual([...blobs[1]], [9]);
  assert.ok(!JSON.stringify(wire).includes("AQID"));
});

test("a reply's {__blob__: i} is the i-th byte array, its buffer listed once for transfer", () => {
  const big = new Uint8Array(5 * 2 ** 20);
  big[big.length - 1] = 7;
  const blobs = [big, new Uint8Array(0)];
  const transfer = [];
  const text = JSON.stringify({ filename: "f.sqlite3", data: { __blob__: 0 },
                                again: { __blob__: 0 }, empty: [{ __blob__: 1 }] });
  const out = Wire.fromWire(JSON.parse(text), transfer, blobs);
  assert.equal(out.data, big);
  assert.equal(out.again, big);
  assert.equal(out.data[big.length - 1], 7);
  assert.equal(out.empty[0].length, 0);
  assert.equal(out.filename, "f.sqlite3");
  assert.deepEqual(transfer, [big.buffer, blobs[1].buffer]);
});

test("a blob reference without its bytes is an error, not an empty file", () => {
  assert.throws(() => Wire.fromWire({ data: { __blob__: 2 } }, [], [new Uint8Array(1)]), /missing/);
  assert.throws(() => Wire.fromWire({ data: { __blob__: "0" } }, [], [new Uint8Array(1)]), /missing/);
  // Without a blob list (the base64 form), {__blob__} is a plain object.
  assert.deepEqual(Wire.fromWire({ __blob__: 0 }, []), { __blob__: 0 });
});

test("the two forms carry the same bytes", () => {
  const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 31) % 256);
  const viaBase64 = Wire.fromWire(JSON.parse(JSON.stringify(Wire.toWire({ bytes }))), []).bytes;
  const blobs = [];
  const viaBlobs = Wire.fromWire(JSON.parse(JSON.stringify(Wire.toWire({ bytes }, blobs))), [], blobs).bytes;
  assert.deepEqual(Buffer.from(viaBase64), Buffer.from(bytes));
  assert.deepEqual(Buffer.from(viaBlobs), Buffer.from(bytes));
});
