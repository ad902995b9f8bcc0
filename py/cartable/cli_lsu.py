"""Command-line actions for LSU (``python -m cartable --db F ecole|import-lsu|export-lsu``).

Each handler only calls API commands through ``school(command, payload)`` (the director's
session opened by ``__main__``) and prints their replies.
"""

from __future__ import annotations

from . import cli_files
from .errors import UserError


def add_parsers(sub) -> None:
    s = sub.add_parser("ecole", help="identité de l'école pour LSU (UAI, directeur)")
    s.add_argument("--uai", help="numéro UAI de l'école (7 chiffres et une lettre)")
    s.add_argument("--nom", help="nom de l'école")
    s.add_argument("--directeur-civilite", choices=["M", "MME"], metavar="M|MME",
                   help="civilité du directeur ou de la directrice (M ou MME)")
    s.add_argument("--directeur-nom", metavar="NOM")
    s.add_argument("--directeur-prenom", metavar="PRENOM")

    s = sub.add_parser("periodes", help="périodes de l'année scolaire (livret scolaire)")
    s.add_argument("periodes", nargs="*", metavar="DEBUT:FIN",
                   help="une paire de dates AAAA-MM-JJ:AAAA-MM-JJ par période, dans l'ordre "
                        "(sans paire : les périodes enregistrées)")

    s = sub.add_parser("import-lsu", help="importer les bilans (de fin de cycle 2, périodiques) d'un fichier LSU")
    s.add_argument("file", metavar="FICHIER_XML")
    s.add_argument("--yes", action="store_true", help="appliquer (sinon : aperçu seulement)")

    s = sub.add_parser("export-lsu", help="écrire le fichier LSU (bilans de fin de cycle 2 ou "
                                          "bilans périodiques)")
    s.add_argument("out_dir", metavar="DOSSIER", help="dossier où écrire le fichier XML")
    s.add_argument("--classe", action="append", metavar="NOM",
                   help="exporter cette classe (nom, référence ou libellé ONDE ; répétable)")
    s.add_argument("--periode", type=int, metavar="N",
                   help="les bilans périodiques de la période N (sans : les bilans de fin de "
                        "cycle 2)")
    s.add_argument("--millesime", metavar="AAAA",
                   help="avec --periode : l'année de la rentrée (par défaut la plus récente "
                        "qui a des périodes)")
    s.add_argument("--bilans-cycle", action="store_true",
                   help="avec --periode : ajouter au fichier les bilans de fin de cycle 2")


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
        print(f"Directeur ou directrice : {d['civilite'] or '(civilité non indiquée)'} "
              f"{d['nom']} {d['prenom']}")
    return 0


def _periodes(args, school) -> int:
    if args.periodes:
        pairs = []
        for text in args.periodes:
            start, sep, end = text.partition(":")
            if not sep:
                raise UserError(f"« {text[:40]} » n'est pas une période : écrivez DEBUT:FIN, par "
                                "exemple 2025-09-01:2025-11-28.")
            pairs.append([start, end])
        result = school("periodes.set", {"periodes": pairs})
        years = [result]
        print(result["message"])
    else:
        years = school("periodes.list")["annees"]
        if not years:
            print("Aucune période enregistrée.")
    for year in years:
        print(f"Année scolaire {year['annee']} :")
        for p in year["periodes"]:
            print(f"  {p['nom']} : du {_fr(p['date_debut'])} au {_fr(p['date_fin'])}")
    return 0


def _fr(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _import_lsu(args, school) -> int:
    data = cli_files.read(args.file)
    result = school("lsu.import" if args.yes else "lsu.preview", {"data": data})
    for e in result["eleves"]:
        line = f"  {e['nom']} {e['prenom']} (INE {e['ine']})"
        if e.get("periode"):
            line += f", {e['periode']}"
        line += f" : {e['statut']}"
        if e.get("raison"):
            line += f" — {e['raison']}"
        print(line)
    print(result["message"])
    if not args.yes:
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


def _export_lsu(args, school) -> int:
    payload: dict = {"classes": args.classe} if args.classe else {}
    if args.periode is not None:
        payload.update(periode=args.periode, bilans_cycle=args.bilans_cycle)
        if args.millesime is not None:
            payload["millesime"] = args.millesime
    elif args.millesime is not None or args.bilans_cycle:
        raise UserError("--millesime et --bilans-cycle vont avec --periode N (les bilans "
                        "périodiques de la période N).")
    try:
        result = school("lsu.export", payload)
    except UserError as exc:
        if "preflight" in exc.details:
            _print_preflight(exc.details["preflight"])
        raise
    cli_files.write_into(args.out_dir, result["filename"], result["data"])
    print(result["message"])
    _print_preflight(result["preflight"])
    if "bilans_cycle" in result["preflight"]:
        print("Bilans de fin de cycle 2 :")
        _print_preflight(result["preflight"]["bilans_cycle"])
    print(f"Fichier écrit : {result['filename']}")
    return 0


ACTIONS = {"ecole": _ecole, "periodes": _periodes, "import-lsu": _import_lsu,
           "export-lsu": _export_lsu}
