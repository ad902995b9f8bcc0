/* Downloading the school file (school.file_bytes, for the director): the file and a notice. */
import * as Shell from "./shell.js";

export async function downloadSchoolFile() {
  const r = await Shell.call("school.file_bytes");
  window.Cartable.download(r.data, r.filename, "application/octet-stream");
  Shell.showNotice(`Le fichier de l'école « ${r.filename} » a été téléchargé. Gardez-le en lieu sûr (clé USB…).`);
}
