"""Runs inside Pyodide (Python 3.12), started by ``run_in_pyodide.js`` from ``build.py``.

Each job of ``/io/jobs.json`` turns a zip (the standard library or a wheel) into a zip where
every .py is replaced by its .pyc (sourceless import), entries stored uncompressed (the
embedding gzips the whole file, which compresses better and imports faster). Writes
``/io/report.json``: for each job, (modules compiled, modules left as source).
"""

import importlib.util
import json
import marshal
import zipfile


def pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True, optimize=0)
    # Timestamp-based header with zero mtime/size: never checked for sourceless files.
    return importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code)


def compile_zip(src, dst, prefix):
    compiled = kept = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            name = info.filename
            data = zin.read(info)
            if "__pycache__/" in name or name.endswith((".pyc", ".pyi")):
                continue
            if name.endswith(".py"):
                try:
                    data, name = pyc(data, prefix + name), name + "c"
                    compiled += 1
                except SyntaxError:
                    kept += 1
            out = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            out.external_attr = info.external_attr
            zout.writestr(out, data)
    return compiled, kept


def main():
    report = {}
    with open("/io/jobs.json") as f:
        jobs = json.load(f)
    for job in jobs:
        report[job["src"]] = compile_zip("/io/" + job["src"], "/io/" + job["dst"], job["prefix"])
    with open("/io/report.json", "w") as f:
        json.dump(report, f)


main()
