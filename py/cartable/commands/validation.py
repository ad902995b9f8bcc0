"""API commands: validation (see docs/API.md "Validation").

The grid being edited is a ``validation.Draft`` kept in the session (``Session.draft("draft")``).
"""

from __future__ import annotations

from cartable import _compat
from cartable.accounts import idle
from cartable.api import command
from cartable.errors import LOCKED, PermissionDenied, UserError
from cartable.payload import payload_int
from cartable.school import roster
from cartable.socle2008 import attestation, decisions, words
from cartable.socle2008 import grid as socle2008_grid

NO_GRID = (
    "Aucun tableau de validation n'est ouvert. Choisissez une classe, des élèves et une "
    "compétence, puis « Afficher le tableau des validations »."
)


GRID = "draft"  # the session's draft of this grid (Session.draft)
idle.keeps(GRID, "validation", lambda d: d.to_plain() if d.dirty else None)


def _draft(session) -> socle2008_grid.Draft:
    return session.draft(GRID, NO_GRID)


def _grid(draft: socle2008_grid.Draft, is_director: bool) -> dict:
    """The grid reply: the grid, each arrow's next action in words, what undo would do, and
    the grid's sentences for the caller (``textes``)."""
    return {**draft.grid(), "arrow_labels": words.arrow_labels(draft),
            "undo": words.undo_info(draft),
            "textes": words.grid_texts(draft, is_director)}


def _changes(draft: socle2008_grid.Draft, cells: dict, arrow: str | None) -> dict:
    """The reply to a click or an undo: only what changed."""
    return {
        "cells": {socle2008_grid.cell_key(k): v for k, v in cells.items()},
        "arrows": {} if arrow is None else {arrow: draft.arrows.get(arrow,
                                                                    socle2008_grid.ARROW_START)},
        "arrow_labels": {} if arrow is None else words.arrow_labels(draft, [arrow]),
        "aid": draft.aid({k[0] for k in cells}),
        "dirty": len(draft.dirty),
        "undo": words.undo_info(draft),
    }


def _build(api, session, payload, strict: bool) -> socle2008_grid.Draft:
    classe_id = api.require_classe(session, payload.get("classe_id"))
    palier_id = payload_int(payload.get("palier_id"), "palier")
    competence_id = payload.get("competence_id")
    if competence_id is not None:
        competence_id = payload_int(competence_id, "compétence")
    raw = payload.get("eleve_ids")
    if not isinstance(raw, list):
        raise UserError("La liste des élèves est invalide. Cochez les élèves à afficher.")
    eleve_ids = list(dict.fromkeys(payload_int(e, "élève") for e in raw))
    return decisions.build_draft(
        api.db, palier_id=palier_id, classe_id=classe_id, eleve_ids=eleve_ids,
        competence_id=competence_id, is_director=session.is_director, strict=strict,
    )


@command("validation.choices")
def choices(api, payload, session):
    paliers = decisions.active_paliers(api.db)
    classes = decisions.classes_info(api.db, api.allowed_classes(session))
    return {
        "paliers": paliers,
        "classes": classes,
        "defaut": roster.landing(api.db, classes, paliers, is_director=session.is_director,
                                 user_id=session.user_id),
    }


@command("validation.grid")
def grid(api, payload, session):
    if "competence_id" not in payload:
        raise UserError("Choisissez une compétence (ou « Valider les compétences »).")
    draft = _build(api, session, payload, strict=True)
    session.keep_draft(GRID, draft)
    return _grid(draft, session.is_director)


@command("validation.click")
def click(api, payload, session):
    draft = _draft(session)
    api.require_classe(session, draft.classe_id)
    target = socle2008_grid.parse_target(payload.get("target"))
    if not draft.layout.contains(target):
        raise UserError("Cette case n'est pas dans le tableau affiché. Rechargez le tableau.")
    if target.kind == "cell" and (target.eleve_id, target.row_id) in draft.locked:
        raise PermissionDenied(LOCKED)
    changed = draft.click(target, words.action_label(draft, target))
    return _changes(draft, changed, None if target.kind == "cell" else target.arrow)


@command("validation.undo")
def undo(api, payload, session):
    """Take back the last click or arrow of the open grid (before saving)."""
    draft = _draft(session)
    api.require_classe(session, draft.classe_id)
    if not draft.history:
        raise UserError("Il n'y a rien à annuler depuis le dernier enregistrement.")
    cells, arrow = draft.undo()
    return _changes(draft, cells, arrow)


@command("validation.preview_save")
def preview_save(api, payload, session):
    """Before "Enregistrer les validations": the compétences that saving will lock."""
    draft = _draft(session)
    api.require_classe(session, draft.classe_id)
    return words.save_preview(draft, session.is_director)


@command("validation.save")
def save(api, payload, session):
    draft = _draft(session)
    api.require_classe(session, draft.classe_id)
    changed_pupils = sorted({k[0] for k in draft.dirty})
    decisions.class_pupils(api.db, draft.classe_id, changed_pupils, strict=True)
    result = decisions.save(
        api.db, draft, info=session.sacoche_signature, today=_compat.today(),
        is_director=session.is_director,
    )
    try:
        fresh = decisions.build_draft(
            api.db, palier_id=draft.palier_id, classe_id=draft.classe_id,
            eleve_ids=list(draft.layout.eleve_ids), competence_id=draft.competence_id,
            is_director=session.is_director, strict=False,
        )
    except UserError:  # saved, but the table cannot be shown again (e.g. pupils left)
        session.drop_draft(GRID)
        result["grid"] = None
        return result
    session.keep_draft(GRID, fresh)
    result["grid"] = _grid(fresh, session.is_director)
    return result


@command("validation.discard")
def discard(api, payload, session):
    session.drop_draft(GRID)
    return {}


@command("validation.draft")
def draft(api, payload, session):
    current = session.draft(GRID)
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
    socle2008_grid.restore(draft, plain)
    session.keep_draft(GRID, draft)
    return _grid(draft, session.is_director)


@command("validation.attestation")
def attestation_data(api, payload, session):
    """The printable palier attestation of a class (one page per pupil)."""
    classe_id = api.require_classe(session, payload.get("classe_id"))
    palier_id = payload_int(payload.get("palier_id"), "palier")
    return attestation.attestation(api.db, classe_id, palier_id)
