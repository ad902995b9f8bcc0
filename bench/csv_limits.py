#!/usr/bin/env python3
"""The cost of the Base-Élèves CSV files the limits of ``base_eleves.csv_file`` accept or refuse.

    python3 bench/csv_limits.py

Each file goes through ``base_eleves.read`` then ``base_eleves.plan`` on an empty school, in a
fresh CPython process each (so that the peak memory, ``ru_maxrss``, is the file's own; pandas imported before the
clock starts, as in the app where it is loaded once): wall
time, peak memory, and the first words of the answer. Goal (issue 18): any file the limits
accept imports in <= 10 s and <= 500 Mo. Numbers are printed, never asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = '"Nom Elève";"Prénom Elève";"Niveau";"Classe"'

CHILD = r"""
import json, resource, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.errors import UserError
passwords.ITERATIONS = 1000
import pandas  # loaded once per session in the app: not the file's cost
data = sys.stdin.buffer.read()
api = Api(tempfile.mkdtemp() + "/ecole.sqlite3")
d = api.director_session()
started = time.perf_counter()
try:
    run(api.handle("base_eleves.read", {"data": data, "filename": "f.csv"}, d))
    out = run(api.handle("base_eleves.plan", {"data": data, "filename": "f.csv"}, d))
    answer = out.get("message", "")
except UserError as exc:
    answer = str(exc)
print(json.dumps({"s": time.perf_counter() - started, "answer": answer[:70],
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def files() -> dict[str, bytes]:
    from cartable.base_eleves import csv_file as c

    lines = [f'"NOM{i}";"Prénom";"CM2";"CM2 A"' for i in range(c.MAX_LINES - 2)]
    wide = c.MAX_CELLS // 25
    full = [";".join([f'"NOM{i}"', '"Prénom"', '"CM2"', '"CM2 A"', *["x"] * 21])
            for i in range(wide - 2)]
    return {
        "20 Ko: 10 000 ';' + 10 000 empty lines": b";" * 10_000 + b"\n" * 10_000,
        "120 Ko: 60 000 ';' + 60 000 empty lines": b";" * 60_000 + b"\n" * 60_000,
        f"widest accepted: {c.MAX_COLUMNS} columns x {c.MAX_CELLS // c.MAX_COLUMNS} lines of ';'":
            ((";" * (c.MAX_COLUMNS - 1) + "\n") * (c.MAX_CELLS // c.MAX_COLUMNS - 1)).encode(),
        f"longest accepted: {c.MAX_LINES} empty lines": HEADER.encode() + b"\n" * (c.MAX_LINES - 1),
        f"most pupils accepted: {len(lines)} lines x 4 columns":
            ("\n".join([HEADER, *lines]) + "\n").encode("cp1252"),
        f"most cells accepted: {len(full)} pupils x 25 columns":
            ("\n".join([HEADER + ";" * 21, *full]) + "\n").encode("cp1252"),
    }


def main() -> int:
    sys.path.insert(0, str(ROOT / "py"))
    print(f"{'file':62} {'size':>8} {'time':>7} {'peak':>8}  answer")
    for name, data in files().items():
        done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "py")], input=data,
                              capture_output=True, check=True)
        r = json.loads(done.stdout)
        print(f"{name:62} {len(data) / 1024:6.0f} Ko {r['s']:6.2f} s {r['mb']:6.0f} Mo  "
              f"{r['answer']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
