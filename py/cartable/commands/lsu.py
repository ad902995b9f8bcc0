"""API commands ``lsu.*``: the LSU file, exported and imported (see docs/API.md "LSU")."""

from __future__ import annotations

from cartable import _compat
from cartable.api import command
from cartable.errors import UserError
from cartable.lsu import lsu_file


def _result(plan, applied: bool) -> dict:
    return {"eleves": plan.reports, "message": plan.message(applied),
            "nb_importes": len(plan.writes),
            "nb_ignores": sum(r["statut"] == "ignoré" for r in plan.reports),
            "nb_a_confirmer": sum(r["statut"] == "à confirmer" for r in plan.reports)}


async def _plan(api, payload):
    data = payload.get("data")
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier XML des bilans LSU.")
    confirmed = payload.get("confirmer") or []
    if not isinstance(confirmed, list) or not all(isinstance(i, str) for i in confirmed):
        raise UserError("La liste des INE confirmés est invalide (une liste d'INE attendue).")
    await _compat.ensure_xmlschema()
    return lsu_file.plan_import(api.db, bytes(data), confirmed)


# -- the LSU file ---------------------------------------------------------------------------


def _classe_ids(api, payload, session) -> list[int] | None:
    """``classe_ids``, or ``classes`` (names: a class's nom or ref, or an ONDE class's libellé,
    which selects each niveau's part of a multi-level class), or None for the whole school."""
    raw, names = payload.get("classe_ids"), payload.get("classes")
    if raw is None and names is None:
        return None
    if names is not None:
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise UserError("La liste des classes est invalide.")
        raw = lsu_file.classes_named(api.db, names)
    if not isinstance(raw, list) or not raw:
        raise UserError("Choisissez au moins une classe à exporter.")
    return sorted({api.require_classe(session, c) for c in raw})


@command("lsu.classes", role="directeur")
def lsu_classes(api, payload, session):
    """The classes an export can choose from: those with CE2 pupils or saved bilans."""
    return lsu_file.export_classes(api.db)


@command("lsu.preflight", role="directeur")
def preflight(api, payload, session):
    return lsu_file.preflight(api.db, _classe_ids(api, payload, session))


@command("lsu.export", role="directeur")
async def export(api, payload, session):
    classe_ids = _classe_ids(api, payload, session)
    await _compat.ensure_xmlschema()
    result = lsu_file.export(api.db, classe_ids, _compat.now())
    return {"filename": result.filename, "data": result.data, "message": result.message,
            "preflight": result.preflight}


@command("lsu.preview", role="directeur")
async def preview(api, payload, session):
    return _result(await _plan(api, payload), applied=False)


@command("lsu.import", role="directeur")
async def import_(api, payload, session):
    plan = await _plan(api, payload)
    lsu_file.apply_import(api.db, plan)
    return _result(plan, applied=True)
