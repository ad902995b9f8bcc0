"""Command-line actions for LSU (``python -m cartable --db F ecole|import-lsu|export-lsu``,
``periodes`` in ``cli/periodes.py``):
the school's identity for LSU, the LSU file imported and exported, through API commands
(``school.identity``, ``lsu.*``) whose replies are printed."""

from __future__ import annotations

from cartable.accounts.names import CIVILITE_COURTES
from cartable.cli import files, french
from cartable.cli.registry import School, action
from cartable.errors import UserError


def _ecole_arguments(s) -> None:
    s.add_argument("--uai", help="numéro UAI de l'école (7 chiffres et une lettre)")
    s.add_argument("--nom", help="nom de l'école")
    s.add_argument("--directeur-civilite", choices=["M", "MME"], metavar="M|MME",
                   help="civilité du directeur ou de la directrice (M ou MME)")
    s.add_argument("--directeur-nom", metavar="NOM")
    s.add_argument("--directeur-prenom", metavar="PRENOM")


def _import_arguments(s) -> None:
    s.add_argument("file", metavar="FICHIER_XML")
    s.add_argument("--yes", action="store_true", help="appliquer (sinon : aperçu seulement)")
    s.add_argument("--confirmer", action="append", metavar="INE", default=[],
                   help="importer aussi le bilan de cet INE bien que les noms diffèrent de ceux "
                        "de l'école (répétable)")


def _export_arguments(s) -> None:
    s.add_argument("out_dir", metavar="DOSSIER", help="dossier où écrire le fichier XML")
    s.add_argument("--classe", action="append", metavar="NOM",
                   help="exporter cette classe (nom, référence ou libellé ONDE ; répétable)")
    s.add_argument("--periode", type=french.integer, metavar="N",
                   help="les bilans périodiques de la période N (sans : les bilans de fin de "
                        "cycle 2)")
    s.add_argument("--millesime", metavar="AAAA",
                   help="l'année de la rentrée des bilans exportés (un fichier LSU porte une "
                        "année ; par défaut la plus récente des bilans choisis, ou avec "
                        "--periode la plus récente qui a des périodes)")
    s.add_argument("--bilans-cycle", action="store_true",
                   help="avec --periode : ajouter au fichier les bilans de fin de cycle 2")


@action("ecole", "identité de l'école pour LSU (UAI, directeur)", _ecole_arguments)
def ecole(args) -> int:
    with School(args.db) as school:
        return _ecole(args, school)


def _ecole(args, school) -> int:
    payload: dict = {}
    if args.uai is not None:
        payload["uai"] = args.uai
    if args.nom is not None:
        payload["nom"] = args.nom
    directeur = {key: value for key, value in (
        ("civilite", args.directeur_civilite), ("nom", args.directeur_nom),
        ("prenom", args.directeur_prenom)) if value is not None}
    if directeur:
        payload["directeur"] = directeur
    result = school("school.set_identity" if payload else "school.identity", payload)
    print(f"École : {result['nom']} (UAI {result['uai'] or 'non indiqué'})")
    d = result["directeur"]
    if d is None:
        print("Directeur ou directrice : aucun compte")
    else:
        civilite = CIVILITE_COURTES.get(d["civilite"] or "", "(civilité non indiquée)")
        print(f"Directeur ou directrice : {civilite} {d['prenom']} {d['nom']}")
    return 0


@action("import-lsu", "importer les bilans (de fin de cycle 2, périodiques) d'un fichier LSU",
        _import_arguments)
def import_lsu(args) -> int:
    data = files.read(args.file)
    with School(args.db) as school:
        return _import_lsu(school, data, args.yes, args.confirmer)


def _import_lsu(school, data: bytes, yes: bool, confirmed: list[str]) -> int:
    result = school("lsu.import" if yes else "lsu.preview",
                    {"data": data, "confirmer": confirmed})
    for e in result["eleves"]:
        line = f"  {e['nom']} {e['prenom']} (INE {e['ine']})"
        if e.get("periode"):
            line += f", {e['periode']}"
        line += f" : {e['statut']}"
        if e.get("raison"):
            line += f" — {e['raison']}"
        for note in e.get("avertissements", []):
            line += f" ({note})"
        print(line)
    print(result["message"])
    pending = list({e["ine"]: e for e in result["eleves"]
                    if e["statut"] == "à confirmer"}.values())  # one line per INE
    if pending:
        print("Non importés, noms différents de ceux de l'école (--confirmer INE pour importer) :")
        for e in pending:
            print(f"  INE {e['ine']} : {e['nom_fichier']} dans le fichier, {e['nom']} "
                  f"{e['prenom']} dans l'école")
    if not yes:
        print("Rien n'a été modifié. Relancez avec --yes pour importer.")
    return 0


def _print_preflight(report: dict) -> None:
    for problem in report["ecole"]:
        print(f"  {problem}")
    left = [e for e in report["eleves"] if not e["exportable"]]
    if left:
        print(f"Élèves non exportés ({len(left)}) :")
        for e in left:
            print(f"  {e['nom']} {e['prenom']} ({e['classe']}) : {' ; '.join(e['problemes'])}")


@action("export-lsu", "écrire le fichier LSU (bilans de fin de cycle 2 ou bilans périodiques)",
        _export_arguments)
def export_lsu(args) -> int:
    with School(args.db) as school:
        return _export_lsu(args, school)


def _export_lsu(args, school) -> int:
    payload: dict = {"classes": args.classe} if args.classe else {}
    if args.millesime is not None:
        payload["millesime"] = args.millesime
    if args.periode is not None:
        payload.update(periode=args.periode, bilans_cycle=args.bilans_cycle)
    elif args.bilans_cycle:
        raise UserError("--bilans-cycle va avec --periode N (les bilans périodiques de la "
                        "période N).")
    try:
        result = school("lsu.export", payload)
    except UserError as exc:
        if "preflight" in exc.details:
            _print_preflight(exc.details["preflight"])
        raise
    files.write_into(args.out_dir, result["filename"], result["data"])
    print(result["message"])
    _print_preflight(result["preflight"])
    if "bilans_cycle" in result["preflight"]:
        print("Bilans de fin de cycle 2 :")
        _print_preflight(result["preflight"]["bilans_cycle"])
    print(f"Fichier écrit : {result['filename']}")
    return 0

