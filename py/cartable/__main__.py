"""Command line: ``python -m cartable --db ecole.sqlite3 SUBCOMMAND …``, acting as director.

It goes through the API only (``api.handle``), like the browser: same checks, same messages.

    import-base-eleves CSV [--yes]   plan (and, with --yes, apply) a Base-Élèves / ONDE import
    import-sacoche FILE [--yes]      per-pupil report (and, with --yes, import) of a SACoche file
    export-sacoche OUT_DIR [--niveau CM2 | --classe NOM …]
                                     write import-sacoche_….zip into OUT_DIR
    ecole [--uai UAI] [--nom NOM] [--directeur-civilite M|MME] [--directeur-nom NOM]
          [--directeur-prenom PRENOM]
                                     the school's identity for LSU (printed; changed if given)
    import-lsu FILE.xml [--yes]      per-pupil report (and, with --yes, import) of LSU bilans
    export-lsu OUT_DIR [--classe NOM …]
                                     write the LSU file (bilans de fin de cycle 2) into OUT_DIR
    call COMMAND [JSON] [--json] [--out FILE]
                                     any API command; in the JSON payload,
                                     {"__bytes__": "<base64>"} or {"__file__": "path"} give bytes;
                                     bytes in the result are shown as "<N octets>", as
                                     {"__bytes__": "<base64>"} with --json, or written to FILE
                                     with --out (e.g. ``call school.file_bytes '{}' --out F``)

Every action but ``call app.setup`` needs an existing school file: create the school with
``call app.setup`` (its name and the director's account) first.
Exit status: 0 on success, 1 when the command is refused (French message on stderr), 2 when the
command line itself is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from cartable import api as api_module
from cartable import wire
from cartable.cli import files as cli_files
from cartable.cli import lsu
from cartable.errors import UserError
from cartable.text import clean


class CliError(Exception):
    """A mistake on the command line (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m cartable",
        description="Cartable en ligne de commande : agit comme le directeur sur un fichier "
        "d'école (base SQLite).",
    )
    p.add_argument("--db", required=True, metavar="FICHIER", help="le fichier de l'école")
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    s = sub.add_parser("import-base-eleves", help="importer l'extraction CSV de Base-Élèves")
    s.add_argument("csv", metavar="CSV", help="le fichier CSVExtraction.csv")
    s.add_argument("--yes", action="store_true", help="appliquer (sinon : aperçu seulement)")

    s = sub.add_parser("import-sacoche", help="importer un fichier de validations SACoche")
    s.add_argument("file", metavar="ZIP_OU_XML", help="import-sacoche_….zip ou le XML")
    s.add_argument("--yes", action="store_true", help="appliquer (sinon : aperçu seulement)")

    s = sub.add_parser("export-sacoche", help="écrire le fichier import-sacoche_….zip")
    s.add_argument("out_dir", metavar="DOSSIER", help="dossier où écrire le ZIP")
    group = s.add_mutually_exclusive_group()
    group.add_argument("--niveau", help="exporter un niveau (par exemple CM2)")
    group.add_argument("--classe", action="append", metavar="NOM",
                       help="exporter cette classe (nom ou référence ; répétable)")

    lsu.add_parsers(sub)  # ecole, import-lsu, export-lsu

    s = sub.add_parser("call", help="appeler une commande de l'API (docs/API.md)")
    s.add_argument("command", metavar="COMMANDE")
    s.add_argument("payload", nargs="?", default="{}", metavar="JSON")
    s.add_argument("--json", action="store_true",
                   help="résultat en JSON strict (octets en base64 : {\"__bytes__\": …})")
    s.add_argument("--out", metavar="FICHIER",
                   help="écrire dans FICHIER les octets du résultat (un fichier)")
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a Windows console may not be UTF-8
            reconfigure(errors="replace")
    args = _parser().parse_args(argv)
    try:
        return ACTIONS[args.action](args)
    except CliError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1


# -- helpers ------------------------------------------------------------------------------


class _School:
    """An open school file and its director session."""

    def __init__(self, path: str, create: bool = False):
        if not create and not os.path.exists(path):
            raise UserError(
                f"Le fichier d'école « {path} » n'existe pas. Vérifiez le chemin, ou créez "
                f"d'abord l'école : python -m cartable --db {path} call app.setup "
                "'{\"nom\": \"École …\", \"directeur\": {\"nom\": …, \"prenom\": …, "
                "\"password\": …}}'."
            )
        self.api = api_module.Api(path)
        self.session = self.api.director_session()

    def __call__(self, command: str, payload: dict | None = None) -> Any:
        return api_module.run(self.api.handle(command, payload or {}, self.session))

    def close(self) -> None:
        self.api.close()


_read = cli_files.read


def _pupil(p: dict) -> str:
    text = f"{p.get('nom', '')} {p.get('prenom', '')}".strip()
    where = " ".join(x for x in (p.get("niveau"), p.get("classe")) if x)
    if p.get("ancienne_classe"):
        where = f"{p['ancienne_classe']} → {where}"
    return f"{text} ({where})" if where else text


# -- import-base-eleves -------------------------------------------------------------------


def _import_base_eleves(args) -> int:
    school = _School(args.db)
    try:
        payload = {"data": _read(args.csv), "filename": os.path.basename(args.csv)}
        _print_plan(school("base_eleves.plan", payload))
        if not args.yes:
            print("Rien n'a été modifié. Relancez avec --yes pour importer.")
            return 0
        print(school("base_eleves.apply", payload)["message"])
        return 0
    finally:
        school.close()


def _print_plan(plan: dict) -> None:
    print(plan.get("message") or f"{plan['nb_eleves']} élèves trouvés, "
                                  f"{plan['nb_classes']} classes trouvées.")
    if plan.get("rejets"):
        print(f"Lignes rejetées ({len(plan['rejets'])}) :")
        for r in plan["rejets"]:
            print(f"  ligne {r.get('ligne')} : {r.get('raison')}")
    if plan.get("niveaux_a_activer"):
        print("Niveaux à activer : " + ", ".join(map(str, plan["niveaux_a_activer"])))
    signs = {"ajouter": "+", "garder": "=", "retirer": "-"}
    print("Classes :")
    for c in plan.get("classes", []):
        flag = " (ignorée)" if c.get("ignorer") else ""
        print(f"  {signs.get(c['action'], '?')} {c['nom']} [{c['niveau']}, réf. {c['ref']}] : "
              f"{c['action']}, {c.get('nb_eleves', 0)} élèves{flag}")
    e = plan["eleves"]
    print(f"Élèves : {len(e['ajouter'])} à ajouter, {len(e['modifier'])} à modifier, "
          f"{len(e['desactiver'])} à désactiver, {len(e['ambigus'])} ambigus, "
          f"{e['inchanges']} inchangés.")
    for title, key in (("À modifier", "modifier"), ("À désactiver", "desactiver"),
                       ("Ambigus (laissés tels quels)", "ambigus")):
        if e[key]:
            print(f"{title} :")
            for p in e[key]:
                print(f"  {_pupil(p)}")


# -- SACoche ------------------------------------------------------------------------------


def _import_sacoche(args) -> int:
    data = _read(args.file)
    school = _School(args.db)
    try:
        payload = {"data": data, "filename": os.path.basename(args.file)}
        result = school("sacoche.import" if args.yes else "sacoche.preview", payload)
        for e in result["eleves"]:
            line = f"  {e['nom']} {e['prenom']} : {e['statut']}"
            if e["statut"] == "modifié":
                line += f" ({e['nb']} validation{'s' if e['nb'] > 1 else ''})"
            if e.get("raison") or e.get("note"):
                line += f" — {e.get('raison') or e['note']}"
            print(line)
            for w in e.get("avertissements", []):
                print(f"      attention : {w}")
        print(result["message"])
        if not args.yes:
            print("Relancez avec --yes pour importer.")
        return 0
    finally:
        school.close()


def _export_sacoche(args) -> int:
    school = _School(args.db)
    try:
        payload: dict = {}
        if args.niveau:
            payload["niveau"] = args.niveau
        elif args.classe:
            classes = school("classes.list")
            ids = []
            for name in args.classe:
                wanted = clean(name).casefold()
                found = [c["id"] for c in classes
                         if wanted in (c["nom"].casefold(), c["ref"].casefold())]
                if len(found) != 1:
                    known = ", ".join(f"« {c['nom']} »" for c in classes) or "aucune"
                    raise UserError(f"Classe « {name} » introuvable. Classes de l'école : {known}.")
                ids.append(found[0])
            payload["classe_ids"] = ids
        result = school("sacoche.export", payload)
        path = cli_files.write_into(args.out_dir, result["filename"], result["data"])
        print(result["message"])
        for note in result["notes"]:
            print(note)
        print(f"Fichier écrit : {path}")
        return 0
    finally:
        school.close()


# -- call ---------------------------------------------------------------------------------


def _write_bytes(result: Any, path: str) -> Any:
    """Write the one bytes value of ``result`` to ``path``; the result, that value shown as
    the path written."""
    found = []
    shown = wire.to_wire(result, lambda b: found.append(b) or f"<écrit dans {path}>")
    if len(found) != 1:
        raise CliError(f"--out : le résultat de cette commande contient {len(found)} fichier(s) "
                       "au lieu d'un.")
    try:
        with open(path, "wb") as f:
            f.write(found[0])
    except OSError as exc:
        raise UserError(f"Impossible d'écrire « {path} » ({exc.strerror}). Choisissez un autre "
                        "chemin.") from None
    return shown


def _call(args) -> int:
    try:
        payload = json.loads(args.payload)
    except json.JSONDecodeError as exc:
        raise CliError(f"les paramètres ne sont pas du JSON valide ({exc.msg}, colonne "
                       f"{exc.colno}). Exemple : '{{\"classe_id\": 3}}'.") from None
    if not isinstance(payload, dict):
        raise CliError("les paramètres doivent être un objet JSON, par exemple '{}'.")
    try:
        payload = wire.from_wire(payload, read_file=_read)
    except ValueError:
        raise CliError("« __bytes__ » doit contenir du base64 valide.") from None
    school = _School(args.db, create=args.command == "app.setup")
    try:
        result = school(args.command, payload)
    finally:
        school.close()
    if args.out:
        result = _write_bytes(result, args.out)
    if args.json:
        print(json.dumps(wire.to_wire(result), ensure_ascii=False))
    else:
        shown = wire.to_wire(result, lambda b: f"<{len(b)} octets>")
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    return 0


ACTIONS = {
    "import-base-eleves": _import_base_eleves,
    "import-sacoche": _import_sacoche,
    "export-sacoche": _export_sacoche,
    "call": _call,
}


def _with_school(handler):
    """Run ``handler(args, school)`` on the school file ``--db`` (it must exist)."""
    def run(args) -> int:
        school = _School(args.db)
        try:
            return handler(args, school)
        finally:
            school.close()
    return run


ACTIONS.update({name: _with_school(fn) for name, fn in lsu.ACTIONS.items()})

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
