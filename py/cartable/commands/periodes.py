"""API commands: the school year's periods (docs/API.md "Livret scolaire")."""

from __future__ import annotations

from cartable import _compat
from cartable.api import command
from cartable.lsu import periodes


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
    return periodes.set_periods(api.db, payload.get("periodes"))
