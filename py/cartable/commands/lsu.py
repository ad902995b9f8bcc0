"""API commands: the bilan de fin de cycle 2 and the LSU file (see docs/API.md "LSU").

The grid being edited is a ``bilan.Draft`` kept in ``session.state["bilan"]``.
"""

from __future__ import annotations

from .. import _compat, bilan, lsu_file, socle2016
from ..api import command
from ..errors import UserError
from ..payload import payload_int

NO_GRID = ("Aucun bilan de fin de cycle n'est ouvert. Choisissez une classe de CE2, puis "
           "« Afficher le bilan ».")


def _draft(api, session) -> bilan.Draft:
    draft = session.state.get("bilan")
    if draft is None:
        raise UserError(NO_GRID)
    api.require_classe(session, draft.classe["id"])
    return draft


def _author(api, session) -> dict:
    row = api.db.execute("SELECT civilite, nom, prenom FROM utilisateur WHERE id = ?",
                         (session.user_id,)).fetchone()
    if row is None:  # the command line's director of a school without an account
        return {"utilisateur_id": None, "civilite": "", "nom": session.nom,
                "prenom": session.prenom}
    return {"utilisateur_id": session.user_id, **dict(row)}


@command("socle2016.get", role="any")
def socle_get(api, payload, session):
    return socle2016.as_json()


@command("bilan.choices")
def choices(api, payload, session):
    """CE2 classes whose bilans the caller may write (class teachers, the director)."""
    return {"classes": bilan.ce2_classes(api.db, api.allowed_classes(session)),
            "socle": socle2016.as_json()}


@command("bilan.progress")
def progress(api, payload, session):
    return bilan.progress(api.db, api.allowed_classes(session))


@command("bilan.grid")
def grid(api, payload, session):
    classe_id = api.require_classe(session, payload.get("classe_id"))
    draft = bilan.build_draft(api.db, classe_id)
    session.state["bilan"] = draft
    return draft.grid()


@command("bilan.click")
def click(api, payload, session):
    draft = _draft(api, session)
    target = payload.get("target")
    if not isinstance(target, dict):
        raise UserError("Case inconnue : rechargez le tableau.")
    target = dict(target)
    if target.get("eleve_id") is not None:
        target["eleve_id"] = payload_int(target["eleve_id"], "élève")
    changed = draft.click(target)
    arrows = {}
    if target.get("kind") in ("eleve", "composante"):
        what = target["eleve_id"] if target["kind"] == "eleve" else target["code"]
        key = bilan.arrow_key(target["kind"], what)
        arrows[key] = draft.arrows[key]
    pupils = {e for e, _ in changed}
    return {"cells": {f"{e}:{c}": v for (e, c), v in changed.items()}, "arrows": arrows,
            "etat": {str(e): draft.state(e) for e in pupils}, "dirty": len(draft.dirty())}


@command("bilan.synthese")
def synthese(api, payload, session):
    draft = _draft(api, session)
    return bilan.set_synthese(draft, payload_int(payload.get("eleve_id"), "élève"),
                              payload.get("texte"))


@command("bilan.save")
def save(api, payload, session):
    draft = _draft(api, session)
    result = bilan.save(api.db, draft, _author(api, session), _compat.now())
    fresh = bilan.build_draft(api.db, draft.classe["id"])
    session.state["bilan"] = fresh
    result["grid"] = fresh.grid()
    return result


@command("bilan.discard")
def discard(api, payload, session):
    session.state.pop("bilan", None)
    return {}


@command("bilan.print")
def print_(api, payload, session):
    """The bilans of a CE2 class as the families' printed page shows them."""
    classe_id = api.require_classe(session, payload.get("classe_id"))
    return bilan.printable(api.db, classe_id)


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


async def _plan(api, payload):
    data = payload.get("data")
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier XML des bilans LSU.")
    confirmed = payload.get("confirmer") or []
    if not isinstance(confirmed, list) or not all(isinstance(i, str) for i in confirmed):
        raise UserError("La liste des INE confirmés est invalide (une liste d'INE attendue).")
    await _compat.ensure_xmlschema()
    return lsu_file.plan_import(api.db, bytes(data), confirmed)


def _result(plan, applied: bool) -> dict:
    return {"eleves": plan.reports, "message": plan.message(applied),
            "nb_importes": len(plan.writes),
            "nb_ignores": sum(r["statut"] == "ignoré" for r in plan.reports),
            "nb_a_confirmer": sum(r["statut"] == "à confirmer" for r in plan.reports)}


@command("lsu.preview", role="directeur")
async def preview(api, payload, session):
    return _result(await _plan(api, payload), applied=False)


@command("lsu.import", role="directeur")
async def import_(api, payload, session):
    plan = await _plan(api, payload)
    lsu_file.apply_import(api.db, plan)
    return _result(plan, applied=True)
