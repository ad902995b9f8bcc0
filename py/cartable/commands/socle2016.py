"""API command ``socle2016.get`` (docs/API.md "LSU")."""

from __future__ import annotations

from cartable.api import command
from cartable.lsu import socle2016


@command("socle2016.get", role="any")
def socle_get(api, payload, session):
    return socle2016.as_json()
