// Run a Python file in Pyodide under Node.js, with a host folder mounted at /io:
//   node run_in_pyodide.js PYODIDE_DIR IO_DIR SCRIPT.py
// PYODIDE_DIR holds the npm package's files (pyodide.js, pyodide.asm.wasm, python_stdlib.zip,
// pyodide-lock.json); SCRIPT.py is read from IO_DIR and run with runPythonAsync (top-level
// await allowed). Used by build.py (pre-compilation) and tests/test_compat_pyodide.py.
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const [pyodideDir, ioDir, script] = process.argv.slice(2);
  if (!script) throw new Error("usage: node run_in_pyodide.js PYODIDE_DIR IO_DIR SCRIPT.py");
  const { loadPyodide } = require(path.join(path.resolve(pyodideDir), "pyodide.js"));
  const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + path.sep });
  py.FS.mkdirTree("/io");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(ioDir) }, "/io");
  await py.runPythonAsync(fs.readFileSync(path.join(ioDir, script), "utf8"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
