/* A school file protected by a passphrase (docs/SCHOOL_FILE.md, "Protected school file").
 *
 *   Passphrase.isProtected(bytes)            -> bool (the file starts with the magic)
 *   await Passphrase.protect(bytes, phrase)  -> Uint8Array: header + AES-256-GCM ciphertext
 *   await Passphrase.unprotect(bytes, phrase)-> Uint8Array: the SQLite school file; rejects with
 *                                              a French Error (.code "passphrase") when the
 *                                              phrase is wrong or the file was altered
 *
 * Header (49 bytes, authenticated as AES-GCM additional data): "CARTABLE-CHIFFRE" (16 ASCII
 * bytes), format version 1 (1 byte), PBKDF2 iterations (uint32 big-endian), salt (16 bytes),
 * IV (12 bytes). Key: PBKDF2-HMAC-SHA256(UTF-8 of the NFC-normalised phrase, salt, iterations),
 * 256 bits. WebCrypto only (page, worker, Node.js): no library, nothing leaves the machine.
 * Which phrase is long enough is the core's rule (school.check_passphrase).
 */
const MAGIC = "CARTABLE-CHIFFRE";
const VERSION = 1;
const ITERATIONS = 600000;
const HEADER = 16 + 1 + 4 + 16 + 12;
const WRONG = "Phrase de passe incorrecte, ou fichier modifié : le fichier n'a pas été ouvert " +
  "et rien n'a changé. Vérifiez la phrase (majuscules, accents, espaces) et réessayez.";
const ALTERED = "Ce fichier protégé a été modifié (son en-tête n'est pas celui que Cartable " +
  "écrit) : il n'a pas été ouvert et rien n'a changé. Reprenez une copie enregistrée depuis Cartable.";

function isProtected(bytes) {
  if (!bytes || bytes.length < HEADER) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

async function key(phrase, salt, iterations) {
  const raw = new TextEncoder().encode(String(phrase).normalize("NFC"));
  const base = await crypto.subtle.importKey("raw", raw, "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

async function protect(bytes, phrase) {
  const header = new Uint8Array(HEADER);
  for (let i = 0; i < MAGIC.length; i++) header[i] = MAGIC.charCodeAt(i);
  header[16] = VERSION;
  new DataView(header.buffer).setUint32(17, ITERATIONS, false);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  header.set(salt, 21);
  header.set(iv, 37);
  const k = await key(phrase, salt, ITERATIONS);
  const sealed = new Uint8Array(await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: header }, k, bytes));
  const out = new Uint8Array(HEADER + sealed.length);
  out.set(header, 0);
  out.set(sealed, HEADER);
  return out;
}

async function unprotect(bytes, phrase) {
  if (!isProtected(bytes)) throw new Error("Ce fichier n'est pas un fichier d'école protégé.");
  if (bytes[16] !== VERSION) {
    throw new Error("Ce fichier protégé vient d'une version plus récente de Cartable : " +
      "ouvrez-le avec cette version.");
  }
  const header = bytes.slice(0, HEADER);
  const iterations = new DataView(header.buffer).getUint32(17, false);
  // Checked before any key is derived: a count chosen by the file would set the cost
  // (10^9: minutes), 0 would get WebCrypto's English.
  if (iterations !== ITERATIONS) {
    const err = new Error(ALTERED);
    err.code = "passphrase";
    throw err;
  }
  const k = await key(phrase, header.slice(21, 37), iterations);
  try {
    return new Uint8Array(await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: header.slice(37, 49), additionalData: header }, k, bytes.slice(HEADER)));
  } catch (e) {
    const err = new Error(WRONG);
    err.code = "passphrase";
    throw err;
  }
}

export { isProtected, protect, unprotect, HEADER, ITERATIONS };
