"""API commands ``niveaux.*`` (docs/API.md "School")."""

from __future__ import annotations

from cartable.api import command
from cartable.school import levels


@command("niveaux.list")
def niveaux_list(api, payload, session):
    return levels.list_niveaux(api.db)


@command("niveaux.set", role="directeur")
def niveaux_set(api, payload, session):
    return levels.set_niveaux(api.db, payload.get("actifs"))
