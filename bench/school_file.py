#!/usr/bin/env python3
"""The school file of a big school: its size (the limit of ``school/file_check.py``'s ``MAX_BYTES`` is
chosen from it) and the cost of the checks a school file goes through when it is opened.

    python3 bench/school_file.py [--pupils 400] [--runs 7]

Made in CPython (``cartable.api.Api``, plus direct SQL): a school of ``--pupils`` pupils (25
per class, CP to CM2), 20 teachers each with a code-de-secours-less account, every palier 2 item
and compétence decided for every pupil (the heaviest a school file gets), and a bilan de fin de
cycle 2 (synthèse of 1 500 characters, 8 positions, 2 authors) for every CE2 pupil. Printed:

- the file's size;
- ``db.connect`` of the file (what the worker does at start-up with the stored copy) with the
  checks of ``school/file_check.py`` and without them (the checks replaced by a no-op), and the
  checks alone; ``db.check_school_file`` of its bytes (what opening a file does first:
  ``integrity_check`` then the same checks).

Numbers are printed, never asserted. CPython only (the browser's SQLite is the same code,
compiled to WebAssembly: expect it 1.5 to 3 times slower).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_export import base_eleves_csv, make_fresh

from cartable import db
from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.school import file_check
from cartable.socle2008 import referentiel

CE2_SYNTHESE = ("Élève sérieux et appliqué, qui a progressé tout au long du cycle. " * 25)[:1500]
COMPOSANTES = ("CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT",
               "REP_MND")


def make_school(tmp: Path, pupils: int) -> Path:
    path = make_fresh(tmp)
    api = Api(str(path))
    try:
        director = api.director_session()
        result = run(api.handle("base_eleves.apply", {
            "data": base_eleves_csv(pupils, per_class=25, seed=2), "filename": "eleves.csv"},
            director))
        assert result["eleves_ajoutes"] == pupils, result
        for n in range(20):
            run(api.handle("professeurs.create", {"nom": f"PROF{n:02d}", "prenom": "Claude"},
                           director))
    finally:
        api.close()
    palier = referentiel.get().palier(2)
    items = [i.id for c in palier.competences for i in c.items]
    rng = random.Random(3)
    with sqlite3.connect(path) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM eleve WHERE actif = 1")]
        conn.executemany(
            "INSERT INTO validation_item VALUES (?, ?, ?, ?, 'DUPUIS M.')",
            ((e, i, int(rng.random() < 0.85), f"2012-0{rng.randint(1, 6)}-1{rng.randint(0, 9)}")
             for e in ids for i in items))
        conn.executemany(
            "INSERT INTO validation_competence VALUES (?, ?, 1, '2012-06-15', 'DUPUIS M.')",
            ((e, c.id) for e in ids for c in palier.competences))
        ce2 = [r[0] for r in conn.execute(
            "SELECT e.id FROM eleve e JOIN classe c ON c.id = e.classe_id "
            "JOIN niveau n ON n.id = c.niveau_id WHERE n.ref = 'CE2'")]
        conn.executemany("INSERT INTO bilan_cycle VALUES (?, 2, '2025', ?, '2026-06-12', "
                         "'2026-06-19T17:30:00', 'saisie')", ((e, CE2_SYNTHESE) for e in ce2))
        conn.executemany("INSERT INTO bilan_position VALUES (?, 2, ?, ?)",
                         ((e, k, rng.randint(1, 4)) for e in ce2 for k in COMPOSANTES))
        conn.executemany("INSERT INTO bilan_auteur VALUES (?, 2, ?, NULL, 'MME', 'LUCAS', "
                         "'Claire')", ((e, r) for e in ce2 for r in (0, 1)))
    conn.close()
    return path


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=400)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    passwords.ITERATIONS = 1000  # only the 21 accounts' creation: the file's hashes are checked
    passwords.OWN_ITERATIONS = 1000  # against the count they were made with
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = make_school(tmp, args.pupils)
        copy = tmp / "copie.sqlite3"
        shutil.copy(path, copy)
        data = path.read_bytes()
        conn = sqlite3.connect(path)
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("eleve", "utilisateur", "validation_item", "validation_competence",
                            "bilan_cycle")}
        conn.close()

        def open_close():
            db.connect(str(copy)).close()

        with_checks = timed(open_close, args.runs)
        real = file_check.check
        file_check.check = lambda *a, **k: None
        without = timed(open_close, args.runs)
        file_check.check = real
        conn = db.connect(str(copy))
        checks = timed(lambda: real(conn, db.SCHEMA_VERSION, received=True), args.runs)
        conn.close()
        received = timed(lambda: db.check_school_file(data), args.runs)
    print(f"school of {args.pupils} pupils: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    print(f"file size                       {len(data) / 1024 / 1024:6.2f} Mo "
          f"(limit {file_check.MAX_BYTES // 1024 // 1024} Mo)")
    print(f"db.connect with the checks      {with_checks * 1000:6.1f} ms (median of {args.runs})")
    print(f"db.connect without the checks   {without * 1000:6.1f} ms")
    print(f"the checks alone                {checks * 1000:6.1f} ms")
    print(f"db.check_school_file(bytes)     {received * 1000:6.1f} ms (integrity_check + checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
