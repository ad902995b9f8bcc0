/* Downloading the school file (school.file_bytes, for the director): the file, named by the
 * core to the minute, and the core's notice that names it (and says a browser may add « (1) »). */
import * as Shell from "./shell.js";

export async function downloadSchoolFile() {
  const r = await Shell.call("school.file_bytes");
  window.Cartable.download(r.data, r.filename, "application/octet-stream");
  Shell.showNotice(r.message);
  return r;
}
