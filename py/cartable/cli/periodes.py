"""Command-line action ``periodes DEBUT:FIN DEBUT:FIN …``: the school year's periods set
(``periodes.set``) or, without dates, those set printed (``periodes.list``)."""

from __future__ import annotations

from cartable.cli.registry import School, action
from cartable.errors import UserError


def _arguments(s) -> None:
    s.add_argument("periodes", nargs="*", metavar="DEBUT:FIN",
                   help="une paire de dates AAAA-MM-JJ:AAAA-MM-JJ par période, dans l'ordre "
                        "(sans paire : les périodes enregistrées)")


def _pairs(texts: list[str]) -> list[list[str]]:
    pairs = []
    for text in texts:
        start, sep, end = text.partition(":")
        if not sep:
            raise UserError(f"« {text[:40]} » n'est pas une période : écrivez DEBUT:FIN, par "
                            "exemple 2025-09-01:2025-11-28.")
        pairs.append([start, end])
    return pairs


@action("periodes", "périodes de l'année scolaire (livret scolaire)", _arguments)
def periodes(args) -> int:
    pairs = _pairs(args.periodes)
    with School(args.db) as school:
        if pairs:
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
