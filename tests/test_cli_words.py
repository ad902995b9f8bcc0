"""Every command-line action run as a director would, from the first start to both exports, and
its refusals and help: no « (s) », « (e) » or « (x) » in anything it prints, real plurals
(« 143 élèves ajoutés », « 1 classe renommée »), civilités written « Mme »."""

from __future__ import annotations

import io
import re
import sys

import pytest
from lsu_helpers import LSU_XML, ONDE_CSV

from cartable.__main__ import main
from cartable.accounts import passwords
from cartable.cli import registry

CSV = ONDE_CSV.parent.parent / "base_eleves/CSVExtraction.csv"
SACOCHE_ZIP = ONDE_CSV.parent.parent / "sacoche/import-sacoche_0_2012-06-15_10-30-00_1804289383.zip"
# a word followed by a parenthesised plural or feminine mark: « classe(s) », « affecté(e) »
MARK = re.compile(r"\w\((?:s|e|es|x|le|ne)\)")


class Transcript:
    """Runs actions through ``main`` and keeps everything they printed."""

    def __init__(self, capsys, db):
        self.capsys, self.db, self.text = capsys, db, []

    def __call__(self, *argv, stdin="", code=0) -> str:
        sys.stdin = io.StringIO(stdin)
        try:
            got = main(["--db", str(self.db), *map(str, argv)])
        finally:
            sys.stdin = sys.__stdin__
        out, err = self.capsys.readouterr()
        assert code is None or got == code, (argv, out, err)
        self.text.append(f"$ {' '.join(map(str, argv))}\n{out}{err}")
        return out + err

    def help(self, *argv) -> str:
        with pytest.raises(SystemExit):
            main(["--db", str(self.db), *argv, "--help"])
        out, err = self.capsys.readouterr()
        self.text.append(out + err)
        return out


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    return Transcript(capsys, tmp_path / "ecole.sqlite3")


def test_no_parenthesised_plural_in_any_output(run, tmp_path):
    run("nouvelle-ecole", "--nom", "École Jules Ferry", "--directeur-nom", "DURAND",
        "--directeur-prenom", "Sophie", "--uai", "0441234C", stdin="Secret-2026\nSecret-2026\n")
    out = run("ecole", "--directeur-civilite", "MME")
    assert "Directeur ou directrice : Mme Sophie DURAND" in out
    run("ecole", "--uai", "0441234X", code=1)
    run("import-base-eleves", CSV)
    out = run("import-base-eleves", CSV, "--yes")
    assert re.search(r"\b143 élèves ajoutés\b", out) and "classes ajoutées" in out
    run("import-base-eleves", ONDE_CSV)
    run("import-base-eleves", ONDE_CSV, "--yes")
    run("import-base-eleves", ONDE_CSV, "--yes")  # nothing to change
    run("import-sacoche", SACOCHE_ZIP)
    run("import-sacoche", SACOCHE_ZIP, "--yes")
    run("export-sacoche", tmp_path / "sortie")
    run("periodes", "2026-09-01:2026-11-27", "2026-11-30:2027-02-26", "2027-03-01:2027-07-03")
    run("periodes")
    run("import-lsu", LSU_XML)
    out = run("import-lsu", LSU_XML, "--yes")
    assert "ajoutés" in out
    run("import-lsu", LSU_XML, "--yes")  # the same bilans again: unchanged
    run("export-lsu", tmp_path / "lsu")
    run("export-lsu", tmp_path / "lsu", "--periode", "1", code=None)  # nothing to export
    run("call", "validation.choices", "{}")
    run("import-sacoche", tmp_path / "absent.zip", code=1)
    run("import-base-eleves", LSU_XML, code=1)
    run.help()
    for name in registry.ACTIONS:
        run.help(name)
    text = "\n".join(run.text)
    assert not MARK.findall(text), sorted(set(MARK.findall(text)))
