"""API commands: the school year's periods (docs/API.md "Livret scolaire")."""

from __future__ import annotations

from cartable import _compat
from cartable.api import command
from cartable.errors import UserError
from cartable.lsu import livret_grid, periodes


@command("periodes.list", role="any")
def list_(api, payload, session):
    """Every school year with periods, the most recent first."""
    return {"annees": periodes.listing(api.db)}


@command("periodes.default", role="any")
def default(api, payload, session):
    """3 trimestres proposed for the current school year, and that year's periods if set."""
    proposal = periodes.default_periods(_compat.today())
    current = [p.as_json() for p in periodes.periods_of(api.db, proposal["millesime"])]
    return {**proposal, "actuelles": current}


@command("periodes.set", role="directeur")
def set_(api, payload, session):
    dates = periodes.check_periods(payload.get("periodes"))
    millesime = periodes.millesime_of(dates[0][0])
    for other in api.sessions.values():  # a livret being entered would lose its period
        draft = other.draft(livret_grid.GRID)
        if draft is not None and draft.periode.millesime == millesime and draft.dirty():
            who = "vous-même" if other is session else f"{other.prenom} {other.nom}"
            raise UserError(f"Le livret de la classe {draft.classe['nom']} ({draft.periode.nom}) "
                            f"est en cours de saisie par {who}, sans être enregistré : "
                            "enregistrez-le (ou abandonnez ces changements) avant de changer "
                            "les périodes. Rien n'a été modifié.")
    return periodes.set_periods(api.db, payload.get("periodes"))
