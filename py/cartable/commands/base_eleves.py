"""API commands: Base-Élèves import (see docs/API.md "Base-Élèves import").

Stateless: every step re-reads the file. pandas is loaded on first use (``ensure_pandas``).
"""

from __future__ import annotations

from .. import _compat, base_eleves
from ..api import command


def _file(payload):
    return payload.get("data"), payload.get("filename")


def _counts(plan: dict) -> dict:
    """What the wizard shows as numbers, counted here once (the UI recomputes nothing)."""
    classes = plan["classes"]
    by_action = {a: sum(1 for c in classes if c["action"] == a)
                 for a in ("ajouter", "garder", "retirer")}
    eleves = plan["eleves"]
    return {
        "classes": {**by_action,
                    "a_creer": sum(1 for c in classes
                                   if c["action"] == "ajouter" and not c["ignorer"]),
                    "ignorees": sum(1 for c in classes if c["ignorer"])},
        "eleves": {**{k: len(eleves[k]) for k in ("ajouter", "modifier", "desactiver", "ambigus")},
                   "inchanges": eleves["inchanges"]},
    }


@command("base_eleves.read", role="directeur")
async def read(api, payload, session):
    await _compat.ensure_pandas()
    data, filename = _file(payload)
    return {**base_eleves.read(data, filename), "labels": dict(base_eleves.FIELD_LABELS)}


@command("base_eleves.plan", role="directeur")
async def plan(api, payload, session):
    await _compat.ensure_pandas()
    data, filename = _file(payload)
    result = base_eleves.plan(api.db, data, payload.get("mapping"), payload.get("classes"),
                              filename=filename)
    return {**result, "comptes": _counts(result)}


@command("base_eleves.apply", role="directeur")
async def apply(api, payload, session):
    await _compat.ensure_pandas()
    data, filename = _file(payload)
    return base_eleves.apply(api.db, data, payload.get("mapping"), payload.get("classes"),
                             filename=filename)
