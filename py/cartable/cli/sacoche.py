"""``import-sacoche FILE [--yes]`` and ``export-sacoche OUT_DIR [--niveau N | --classe NOM …]``:
the SACoche file read (report, then import) and written, through ``sacoche.*``."""

from __future__ import annotations

import os

from cartable.cli import files
from cartable.cli.registry import School, action
from cartable.errors import UserError
from cartable.text import clean


def _import_arguments(s) -> None:
    s.add_argument("file", metavar="ZIP_OU_XML", help="import-sacoche_….zip ou le XML")
    s.add_argument("--yes", action="store_true", help="appliquer (sinon : aperçu seulement)")


@action("import-sacoche", "importer un fichier de validations SACoche", _import_arguments)
def import_sacoche(args) -> int:
    data = files.read(args.file)
    with School(args.db) as school:
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


def _export_arguments(s) -> None:
    s.add_argument("out_dir", metavar="DOSSIER", help="dossier où écrire le ZIP")
    group = s.add_mutually_exclusive_group()
    group.add_argument("--niveau", help="exporter un niveau (par exemple CM2)")
    group.add_argument("--classe", action="append", metavar="NOM",
                       help="exporter cette classe (nom ou référence ; répétable)")


@action("export-sacoche", "écrire le fichier import-sacoche_….zip", _export_arguments)
def export_sacoche(args) -> int:
    with School(args.db) as school:
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
        path = files.write_into(args.out_dir, result["filename"], result["data"])
        print(result["message"])
        for note in result["notes"]:
            print(note)
        print(f"Fichier écrit : {path}")
        return 0
