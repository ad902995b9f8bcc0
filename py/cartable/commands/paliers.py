"""API commands ``paliers.*`` (docs/API.md "School")."""

from __future__ import annotations

from cartable.api import command
from cartable.school import levels


@command("paliers.list")
def paliers_list(api, payload, session):
    return levels.list_paliers(api.db)


@command("paliers.set", role="directeur")
def paliers_set(api, payload, session):
    return levels.set_paliers(api.db, payload.get("actifs"))
