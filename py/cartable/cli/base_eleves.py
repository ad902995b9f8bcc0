"""``import-base-eleves CSV [--yes]``: the plan of a Base-Élèves / ONDE import printed (and,
with --yes, applied), through ``base_eleves.plan`` / ``base_eleves.apply``."""

from __future__ import annotations

import os

from cartable.cli import files
from cartable.cli.registry import School, action
from cartable.text import plural


def _arguments(s) -> None:
    s.add_argument("csv", metavar="CSV", help="le fichier CSVExtraction.csv")
    s.add_argument("--yes", action="store_true", help="appliquer (sinon : aperçu seulement)")


@action("import-base-eleves", "importer l'extraction CSV d'ONDE ou de Base-Élèves", _arguments)
def import_base_eleves(args) -> int:
    with School(args.db) as school:
        payload = {"data": files.read(args.csv), "filename": os.path.basename(args.csv)}
        _print_plan(school("base_eleves.plan", payload))
        if not args.yes:
            print("Rien n'a été modifié. Relancez avec --yes pour importer.")
            return 0
        print(school("base_eleves.apply", payload)["message"])
        return 0


def _print_plan(plan: dict) -> None:
    print(plan.get("message")
          or f"{plural(plan['nb_eleves'], 'élève trouvé', 'élèves trouvés')}, "
             f"{plural(plan['nb_classes'], 'classe trouvée', 'classes trouvées')}.")
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
              f"{c['action']}, {plural(c.get('nb_eleves', 0), 'élève', 'élèves')}{flag}")
    e = plan["eleves"]
    print(f"Élèves : {len(e['ajouter'])} à ajouter, {len(e['modifier'])} à modifier, "
          f"{len(e['desactiver'])} à désactiver, {plural(len(e['ambigus']), 'ambigu', 'ambigus')}, "
          f"{plural(e['inchanges'], 'inchangé', 'inchangés')}.")
    if plan.get("appariement"):
        print(plan["appariement"]["message"])
    if plan.get("modifications", {}).get("message"):
        print(f"À modifier : {plan['modifications']['message']}.")
    for title, key in (("À modifier", "modifier"), ("À désactiver", "desactiver"),
                       ("Ambigus (laissés tels quels)", "ambigus")):
        if e[key]:
            print(f"{title} :")
            for p in e[key]:
                print(f"  {_pupil(p)}")


def _pupil(p: dict) -> str:
    text = f"{p.get('nom', '')} {p.get('prenom', '')}".strip()
    where = " ".join(x for x in (p.get("niveau"), p.get("classe")) if x)
    if p.get("ancienne_classe"):
        where = f"{p['ancienne_classe']} → {where}"
    return f"{text} ({where})" if where else text
