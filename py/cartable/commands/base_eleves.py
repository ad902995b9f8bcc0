"""API commands: Base-Élèves / ONDE import (see docs/API.md "Base-Élèves import").

The file is read and parsed once, by ``base_eleves.read``: the table is kept in the session
(``session.state["base_eleves"]``) under a token that ``plan`` and ``apply`` take. They also
accept the file itself (``data``, ``filename``) instead, as the command line sends it.
pandas is loaded on first use (``ensure_pandas``).
"""

from __future__ import annotations

import secrets

from cartable import _compat, base_eleves
from cartable.api import command
from cartable.errors import UserError

_STATE = "base_eleves"
EXPIRED = ("Le fichier n'est plus en mémoire (la page a été rechargée, ou l'import est déjà "
           "fait). Choisissez à nouveau le fichier CSV.")


def _table(payload, session) -> base_eleves.Table:
    token = payload.get("token")
    if token is None:
        return base_eleves.parse(payload.get("data"), payload.get("filename"))
    kept = session.state.get(_STATE)
    if not isinstance(token, str) or kept is None or kept[0] != token:
        raise UserError(EXPIRED, code="expired")
    return kept[1]


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
    table = base_eleves.parse(payload.get("data"), payload.get("filename"))
    result = base_eleves.read(table)
    token = secrets.token_urlsafe(12)
    session.state[_STATE] = (token, table)  # one file at a time: the latest read
    return {**result, "token": token, "labels": dict(base_eleves.FIELD_LABELS)}


@command("base_eleves.plan", role="directeur")
async def plan(api, payload, session):
    await _compat.ensure_pandas()
    result = base_eleves.plan(api.db, _table(payload, session), payload.get("mapping"),
                              payload.get("classes"))
    return {**result, "comptes": _counts(result)}


@command("base_eleves.apply", role="directeur")
async def apply(api, payload, session):
    await _compat.ensure_pandas()
    result = base_eleves.apply(api.db, _table(payload, session), payload.get("mapping"),
                               payload.get("classes"))
    if payload.get("token") is not None:
        session.state.pop(_STATE, None)  # done: the file is forgotten
    return result
