"""API commands: validation (see docs/API.md "Validation").

The grid being edited is a ``validation.Draft`` kept in ``session.state["draft"]``.
"""

from __future__ import annotations

from .. import _compat, validation
from ..api import command
from ..errors import PermissionDenied, UserError
from ..payload import payload_int

NO_GRID = (
    "Aucun tableau de validation n'est ouvert. Choisissez une classe, des élèves et une "
    "compétence, puis « Afficher le tableau des validations »."
)
LOCKED = (
    "Cette compétence est déjà validée pour cet élève : seul le directeur ou la directrice "
    "peut annuler cette validation."
)


def _draft(session) -> validation.Draft:
    draft = session.state.get("draft")
    if draft is None:
        raise UserError(NO_GRID)
    return draft


def _build(api, session, payload, strict: bool) -> validation.Draft:
    classe_id = api.require_classe(session, payload.get("classe_id"))
    palier_id = payload_int(payload.get("palier_id"), "palier")
    competence_id = payload.get("competence_id")
    if competence_id is not None:
        competence_id = payload_int(competence_id, "compétence")
    raw = payload.get("eleve_ids")
    if not isinstance(raw, list):
        raise UserError("La liste des élèves est invalide. Cochez les élèves à afficher.")
    eleve_ids = list(dict.fromkeys(payload_int(e, "élève") for e in raw))
    return validation.build_draft(
        api.db, palier_id=palier_id, classe_id=classe_id, eleve_ids=eleve_ids,
        competence_id=competence_id, is_director=session.is_director, strict=strict,
    )


@command("validation.choices")
def choices(api, payload, session):
    return {
        "paliers": validation.active_paliers(api.db),
        "classes": validation.classes_info(api.db, api.allowed_classes(session)),
    }


@command("validation.grid")
def grid(api, payload, session):
    if "competence_id" not in payload:
        raise UserError("Choisissez une compétence (ou « Valider les compétences »).")
    draft = _build(api, session, payload, strict=True)
    session.state["draft"] = draft
    return draft.grid()


@command("validation.click")
def click(api, payload, session):
    draft = _draft(session)
    api.require_classe(session, draft.classe_id)
    target = validation.parse_target(payload.get("target"))
    if not draft.layout.contains(target):
        raise UserError("Cette case n'est pas dans le tableau affiché. Rechargez le tableau.")
    if target.kind == "cell" and (target.eleve_id, target.row_id) in draft.locked:
        raise PermissionDenied(LOCKED)
    changed = draft.click(target)
    arrows = {}
    if target.kind != "cell":
        arrows[target.arrow] = draft.arrows[target.arrow]
    return {
        "cells": {validation.cell_key(k): v for k, v in changed.items()},
        "arrows": arrows,
        "aid": draft.aid({k[0] for k in changed}),
        "dirty": len(draft.dirty),
    }


@command("validation.save")
def save(api, payload, session):
    draft = _draft(session)
    api.require_classe(session, draft.classe_id)
    changed_pupils = sorted({k[0] for k in draft.dirty})
    validation.class_pupils(api.db, draft.classe_id, changed_pupils, strict=True)
    result = validation.save(
        api.db, draft, info=session.info, today=_compat.today(),
        is_director=session.is_director,
    )
    try:
        fresh = validation.build_draft(
            api.db, palier_id=draft.palier_id, classe_id=draft.classe_id,
            eleve_ids=list(draft.layout.eleve_ids), competence_id=draft.competence_id,
            is_director=session.is_director, strict=False,
        )
    except UserError:  # saved, but the table cannot be shown again (e.g. pupils left)
        session.state.pop("draft", None)
        result["grid"] = None
        return result
    session.state["draft"] = fresh
    result["grid"] = fresh.grid()
    return result


@command("validation.discard")
def discard(api, payload, session):
    session.state.pop("draft", None)
    return {}


@command("validation.draft")
def draft(api, payload, session):
    current = session.state.get("draft")
    return None if current is None else current.to_plain()


@command("validation.restore_draft")
def restore_draft(api, payload, session):
    plain = payload.get("draft")
    if not isinstance(plain, dict) or plain.get("version") != 1 or "competence_id" not in plain:
        raise UserError(
            "Le brouillon enregistré par le navigateur est illisible : il est ignoré. "
            "Affichez à nouveau le tableau."
        )
    draft = _build(api, session, plain, strict=False)
    validation.restore(draft, plain)
    session.state["draft"] = draft
    return draft.grid()
