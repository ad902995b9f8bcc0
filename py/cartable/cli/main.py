"""``python -m cartable --db ecole.sqlite3 ACTION …``: the parser, built from the registry of
actions (``registry.ACTIONS``), and the exit status.

    nouvelle-ecole --nom NOM --directeur-nom NOM --directeur-prenom PRENOM [--uai UAI]
                   [--login LOGIN]   create the school and its director (password asked twice,
                                     or two lines on standard input); prints the login and the
                                     code de secours
    import-base-eleves CSV [--yes]   plan (and, with --yes, apply) a Base-Élèves / ONDE import
    import-sacoche FILE [--yes]      per-pupil report (and, with --yes, import) of a SACoche file
    export-sacoche OUT_DIR [--niveau CM2 | --classe NOM …]
                                     write import-sacoche_….zip into OUT_DIR
    ecole [--uai UAI] [--nom NOM] [--directeur-civilite M|MME] [--directeur-nom NOM]
          [--directeur-prenom PRENOM]
                                     the school's identity for LSU (printed; changed if given)
    periodes [DEBUT:FIN …]           the school year's periods set (ISO dates, in order) and
                                     printed; without dates, those set printed
    import-lsu FILE.xml [--yes]      per-pupil report (and, with --yes, import) of LSU bilans
                                     (bilans de fin de cycle 2 and bilans périodiques)
    export-lsu OUT_DIR [--classe NOM …] [--periode N [--millesime AAAA] [--bilans-cycle]]
                                     write the LSU file into OUT_DIR: the bilans de fin de
                                     cycle 2, or with --periode the bilans périodiques of
                                     period N
    call COMMAND [JSON] [--json] [--out FILE]
                                     any API command; in the JSON payload,
                                     {"__bytes__": "<base64>"} or {"__file__": "path"} give bytes;
                                     bytes in the result are shown as "<N octets>", as
                                     {"__bytes__": "<base64>"} with --json, or written to FILE
                                     with --out (e.g. ``call school.file_bytes '{}' --out F``)

Every action but ``nouvelle-ecole`` and ``call app.setup`` needs an existing school file.
Exit status: 0 on success, 1 when the command is refused (French message on stderr), 2 when the
command line itself is wrong.
"""

from __future__ import annotations

import argparse
import sys

# The action modules register themselves (@action) when imported; their order is --help's.
from cartable.cli import base_eleves, call, french, lsu, periodes, sacoche, school  # noqa: F401
from cartable.cli.registry import ACTIONS, CliError
from cartable.errors import UserError


def _parser() -> argparse.ArgumentParser:
    french.install()  # before the parser is built: its headings are read then
    p = argparse.ArgumentParser(
        prog="python -m cartable",
        description="Cartable en ligne de commande : agit comme le directeur sur un fichier "
        "d'école (base SQLite).",
    )
    p.add_argument("--db", required=True, metavar="FICHIER", help="le fichier de l'école")
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name in [*ORDER, *sorted(set(ACTIONS) - set(ORDER))]:
        spec = ACTIONS[name]
        spec.arguments(sub.add_parser(name, help=spec.help))
    return p


# The order of ``--help`` (tests/test_cli_nouvelle_ecole.py checks it lists every action).
ORDER = ("nouvelle-ecole", "import-base-eleves", "import-sacoche", "export-sacoche", "ecole",
         "periodes", "import-lsu", "export-lsu", "call")


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a Windows console may not be UTF-8
            reconfigure(errors="replace")
    args = _parser().parse_args(argv)
    try:
        return ACTIONS[args.action].run(args)
    except CliError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1
