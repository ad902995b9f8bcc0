// -- recovery: the stored school file cannot be opened ---------------------------------------

function enterRecovery(bytes, reason, detail) {
  recovery = { bytes };
  self.postMessage({ type: "recovery", reason, detail, size: bytes ? bytes.length : null });
}

function removeDbFiles() {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    try { pyodide.FS.unlink(DB_PATH + suffix); } catch (e) { /* not there */ }
  }
}

/** Open `data` (a school file, checked first) or, with data null, a new empty school. */
async function recover(action, data) {
  if (!recovery) throw new Error("Cartable n'est pas en mode récupération.");
  if (action === "download") {
    if (!recovery.bytes) {
      throw new Error("Ces données ne peuvent pas être lues par le navigateur : il n'y a rien " +
        "à télécharger.");
    }
    return { filename: `cartable-donnees-illisibles-${localDate()}.sqlite3`,
             data: recovery.bytes.slice() };
  }
  if (action === "open") {
    if (!(data instanceof Uint8Array)) throw new Error("Aucun fichier reçu.");
    const candidate = DB_PATH + ".candidate";
    pyodide.FS.writeFile(candidate, data);
    const checked = JSON.parse(bridge.check_file(candidate));
    pyodide.FS.unlink(candidate);
    if (!checked.ok) throw new Error(checked.error);
  } else if (action !== "new") {
    throw new Error(`unknown recovery action ${action}`);
  }
  removeDbFiles();
  if (data) pyodide.FS.writeFile(DB_PATH, data);
  const opened = JSON.parse(bridge.try_open(DB_PATH));
  if (!opened.ok) throw new Error(opened.error);
  if (action === "new" && recovery.bytes) {
    // The unreadable data are kept aside (same transaction as the new school).
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    pendingBackup = [`${IDB_KEY}.illisible-${stamp}`, recovery.bytes];
  }
  recovery = null;
  bridgeCall = bridge.call;
  await persist(); // a failure is reported as persist-error, like any later save
  return { opened: action };
}

