/* A damaged database: the school file stored in the browser cannot be opened. The worker keeps
 * its bytes untouched and waits for the page's choice ("repair"): download them, open a school
 * file instead, or start a new school (the unreadable bytes are then kept aside). */
import { TO_PAGE } from "../shared/protocol.js";
import { worker } from "./state.js";
import { DB_PATH, IDB_KEY, localDate, persist } from "./store.js";

/** Stop before opening: tell the page ("damaged"), keep `bytes` (null: nothing readable). */
export function enterDamaged(bytes, reason, detail) {
  worker.damaged = { bytes };
  self.postMessage({ type: TO_PAGE.DAMAGED, reason, detail, size: bytes ? bytes.length : null });
}

function removeDbFiles() {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    try { worker.pyodide.FS.unlink(DB_PATH + suffix); } catch (e) { /* not there */ }
  }
}

/** What the school file `data` holds, and the question to ask before it replaces the
 * unreadable data (bridge.describe_file): {titre, contenu, message}; a French Error if it is
 * not a school file this version can open. Only read. */
function describe(data, name) {
  if (!(data instanceof Uint8Array)) throw new Error("Aucun fichier reçu.");
  const { pyodide, bridge } = worker;
  const candidate = DB_PATH + ".candidate";
  pyodide.FS.writeFile(candidate, data);
  let reply;
  try {
    reply = JSON.parse(bridge.describe_file(candidate, name || ""));
  } finally {
    for (const suffix of ["", "-journal"]) {
      try { pyodide.FS.unlink(candidate + suffix); } catch (e) { /* not there */ }
    }
  }
  if (!reply.ok) throw new Error(reply.error);
  return { titre: reply.titre, contenu: reply.contenu, message: reply.message };
}

/** The page's choice: "describe" `data` (what it holds, before the page asks), "download"
 * the stored bytes, "open" `data` (a school file, checked first) or start a "new" empty school. */
export async function repair(action, data, name) {
  const { pyodide, bridge, damaged } = worker;
  if (!damaged) throw new Error("Cartable n'est pas en mode récupération.");
  if (action === "describe") return describe(data, name);
  if (action === "download") {
    if (!damaged.bytes) {
      throw new Error("Ces données ne peuvent pas être lues par le navigateur : il n'y a rien " +
        "à télécharger.");
    }
    return { filename: `cartable-donnees-illisibles-${localDate()}.sqlite3`,
             data: damaged.bytes.slice() };
  }
  if (action === "open") {
    if (!(data instanceof Uint8Array)) throw new Error("Aucun fichier reçu.");
    const candidate = DB_PATH + ".candidate";
    pyodide.FS.writeFile(candidate, data);
    const checked = JSON.parse(bridge.check_file(candidate));
    pyodide.FS.unlink(candidate);
    if (!checked.ok) throw new Error(checked.error);
  } else if (action !== "new") {
    throw new Error(`unknown repair action ${action}`);
  }
  removeDbFiles();
  if (data) pyodide.FS.writeFile(DB_PATH, data);
  const opened = JSON.parse(bridge.try_open(DB_PATH));
  if (!opened.ok) throw new Error(opened.error);
  if (action === "new" && damaged.bytes) {
    // The unreadable data are kept aside (same transaction as the new school).
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    worker.pendingBackup = [`${IDB_KEY}.illisible-${stamp}`, damaged.bytes];
  }
  worker.damaged = null;
  worker.bridgeCall = bridge.call;
  await persist(); // a failure is reported as persist-error, like any later save
  return { opened: action };
}
