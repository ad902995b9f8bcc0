"""API command ``referentiel.get`` (docs/API.md "School")."""

from __future__ import annotations

from cartable.api import command
from cartable.errors import UserError
from cartable.payload import payload_int
from cartable.socle2008 import referentiel


@command("referentiel.get")
def referentiel_get(api, payload, session):
    palier_id = payload.get("palier_id")
    if palier_id is not None:
        palier_id = payload_int(palier_id, "palier")
        if palier_id not in {p.id for p in referentiel.get().paliers}:
            raise UserError(f"Palier inconnu : {palier_id}.")
    return referentiel.get().as_json(palier_id)
