"""API commands ``bilan.*``: the bilan de fin de cycle 2 (see docs/API.md "LSU").

The grid being edited is a ``bilan.Draft`` kept in the session (``Session.draft("bilan")``).
"""

from __future__ import annotations

from cartable import _compat
from cartable.accounts import idle
from cartable.api import command
from cartable.errors import UserError
from cartable.lsu import bilan, bilan_words, socle2016
from cartable.payload import payload_int


def _author(api, session) -> dict:
    return bilan.author(api.db, session.user_id, session.nom, session.prenom)


NO_GRID = ("Aucun bilan de fin de cycle n'est ouvert. Choisissez une classe de CE2, puis "
           "« Afficher le bilan ».")


GRID = "bilan"  # the session's draft of this grid (Session.draft)
idle.keeps(GRID, "bilan", bilan.to_plain)


def _draft(api, session) -> bilan.Draft:
    draft = session.draft(GRID, NO_GRID)
    api.require_classe(session, draft.classe["id"])
    return draft


@command("bilan.choices")
def choices(api, payload, session):
    """CE2 classes whose bilans the caller may write (class teachers, the director)."""
    return {"classes": bilan.ce2_classes(api.db, api.allowed_classes(session)),
            "socle": socle2016.as_json()}


@command("bilan.progress")
def progress(api, payload, session):
    return bilan.progress(api.db, api.allowed_classes(session))


def _grid(draft: bilan.Draft) -> dict:
    """The grid reply: the grid, each arrow's next click in words, what undo would do."""
    return {**draft.grid(), "arrow_labels": bilan_words.arrow_labels(draft),
            "undo": bilan_words.undo_info(draft)}


def _changes(draft: bilan.Draft, changed: dict, arrow: str | None) -> dict:
    """The reply to a click or an undo: the cells and arrow that changed, the pupils' states,
    every arrow's words (their counts of saved bilans follow the cells), what undo would do."""
    pupils = {e for e, _ in changed}
    return {"cells": {f"{e}:{c}": v for (e, c), v in changed.items()},
            "arrows": {} if arrow is None else {arrow: draft.arrow_state(arrow)},
            "arrow_labels": bilan_words.arrow_labels(draft),
            "undo": bilan_words.undo_info(draft),
            "etat": {str(e): draft.state(e) for e in pupils}, "dirty": len(draft.dirty())}


@command("bilan.grid")
def grid(api, payload, session):
    classe_id = api.require_classe(session, payload.get("classe_id"))
    draft = bilan.build_draft(api.db, classe_id)
    session.keep_draft(GRID, draft)
    return _grid(draft)


@command("bilan.click")
def click(api, payload, session):
    draft = _draft(api, session)
    target = payload.get("target")
    if not isinstance(target, dict):
        raise UserError("Case inconnue : rechargez le tableau.")
    target = dict(target)
    if target.get("eleve_id") is not None:
        target["eleve_id"] = payload_int(target["eleve_id"], "élève")
    changed = draft.click(target, bilan_words.action_label(draft, target))
    reply = _changes(draft, changed, draft.covered(target)[1])
    reply["message"] = bilan_words.rewritten(draft, target, changed)
    return reply


@command("bilan.undo")
def undo(api, payload, session):
    """Take back the last click or arrow of the open bilan grid (before saving)."""
    draft = _draft(api, session)
    if not draft.history:
        raise UserError("Il n'y a rien à annuler depuis le dernier enregistrement.")
    cells, arrow = draft.undo()
    return _changes(draft, cells, arrow)


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
    session.keep_draft(GRID, fresh)
    result["grid"] = _grid(fresh)
    return result


@command("bilan.discard")
def discard(api, payload, session):
    session.drop_draft(GRID)
    return {}


@command("bilan.draft")
def draft_(api, payload, session):
    """The open grid's unsaved changes as plain data (the browser keeps them), or None."""
    current = session.draft(GRID)
    return None if current is None else bilan.to_plain(current)


@command("bilan.restore_draft")
def restore_draft(api, payload, session):
    """Open the class's grid again with the changes of ``bilan.draft`` (kept by the browser
    or given back by ``auth.login``); the class permission is checked again."""
    plain = payload.get("draft")
    if not isinstance(plain, dict) or plain.get("version") != 1:
        raise UserError("Le brouillon enregistré par le navigateur est illisible : il est "
                        "ignoré. Affichez à nouveau le bilan.")
    classe_id = api.require_classe(session, plain.get("classe_id"))
    draft = bilan.build_draft(api.db, classe_id)
    bilan.restore(draft, plain)
    session.keep_draft(GRID, draft)
    return _grid(draft)


@command("bilan.print")
def print_(api, payload, session):
    """The bilans of a CE2 class as the families' printed page shows them: the complete ones,
    or every pupil with ``"tous": true``."""
    classe_id = api.require_classe(session, payload.get("classe_id"))
    return bilan.printable(api.db, classe_id, tous=payload.get("tous") is True)
