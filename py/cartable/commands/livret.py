"""API commands: the livret scolaire's bilans périodiques (docs/API.md "Livret scolaire").

The grid being edited is a ``lsu.livret_grid.Draft`` kept in the session
(``Session.draft("livret")``), like the other grids.
"""

from __future__ import annotations

from cartable import _compat
from cartable.accounts import idle
from cartable.api import command
from cartable.errors import UserError
from cartable.lsu import bilan, domaines, livret_classes, livret_grid, periodes
from cartable.payload import payload_int

NO_GRID = ("Aucun livret n'est ouvert. Choisissez une classe et une période, puis « Afficher le "
           "livret ».")


GRID = livret_grid.GRID  # the session's draft of this grid (Session.draft)
idle.keeps(GRID, "livret", lambda d: livret_grid.to_plain(d) if d.dirty() else None)


def _draft(api, session) -> livret_grid.Draft:
    draft = session.draft(GRID, NO_GRID)
    api.require_classe(session, draft.classe["id"])
    return draft


def _author(api, session) -> dict:
    return bilan.author(api.db, session.user_id, session.nom, session.prenom)


def _class_and_period(api, payload, session):
    classe_id = api.require_classe(session, payload.get("classe_id"))
    return classe_id, periodes.get(api.db, payload_int(payload.get("periode_id"), "période"))


@command("livret.choices")
def choices(api, payload, session):
    """Classes (CP–CM2) × periods the caller may write, and where the screen opens."""
    today = _compat.today()
    classes = livret_classes.classes(api.db, api.allowed_classes(session))
    year = livret_classes.current_year(api.db, today)
    period = livret_classes.default_period(api.db, today)
    return {"classes": classes, "annees": periodes.listing(api.db),
            "periodes": [p.as_json() for p in periodes.periods_of(api.db, year)] if year else [],
            "defaut": {"classe_id": classes[0]["id"] if classes else None,
                       "periode_id": period.id if period else None},
            "domaines": {str(c): domaines.as_json(c) for c in (2, 3)}}


@command("livret.grid")
def grid(api, payload, session):
    classe_id, periode = _class_and_period(api, payload, session)
    draft = livret_grid.build_draft(api.db, classe_id, periode)
    session.keep_draft(GRID, draft)
    return draft.grid()


def _changes(draft, changed, arrow) -> dict:
    pupils = {e for e, _ in changed}
    arrows = {arrow: draft.arrows.get(arrow, domaines.ARROW_START)} if arrow else {}
    return {"cells": {f"{e}:{c}": v for (e, c), v in changed.items()}, "arrows": arrows,
            "arrow_labels": {k: draft.arrow_label(k) for k in arrows},
            "etat": {str(e): draft.state(e) for e in pupils}, "dirty": len(draft.dirty()),
            "undo": draft.undo_info()}


@command("livret.click")
def click(api, payload, session):
    draft = _draft(api, session)
    target = payload.get("target")
    if not isinstance(target, dict):
        raise UserError(livret_grid.STALE)
    target = dict(target)
    if target.get("eleve_id") is not None:
        target["eleve_id"] = payload_int(target["eleve_id"], "élève")
    changed = draft.click(target)
    arrow = None if target.get("kind") == "cell" else draft.history[-1][1]
    return _changes(draft, changed, arrow)


@command("livret.undo")
def undo(api, payload, session):
    draft = _draft(api, session)
    before, arrow = draft.undo()
    return _changes(draft, before, arrow)


@command("livret.texts")
def texts(api, payload, session):
    draft = _draft(api, session)
    values = {k: v for k, v in payload.items() if k != "eleve_id"}
    return livret_grid.set_texts(draft, payload_int(payload.get("eleve_id"), "élève"), values)


@command("livret.save")
def save(api, payload, session):
    draft = _draft(api, session)
    result = livret_grid.save(api.db, draft, _author(api, session), _compat.now())
    fresh = livret_grid.build_draft(api.db, draft.classe["id"], draft.periode)
    session.keep_draft(GRID, fresh)
    result["grid"] = fresh.grid()
    return result


@command("livret.discard")
def discard(api, payload, session):
    session.drop_draft(GRID)
    return {}


@command("livret.draft")
def draft_(api, payload, session):
    current = session.draft(GRID)
    return None if current is None else livret_grid.to_plain(current)


@command("livret.restore_draft")
def restore_draft(api, payload, session):
    plain = payload.get("draft")
    if not isinstance(plain, dict) or plain.get("version") != 1:
        raise UserError("Le brouillon enregistré par le navigateur est illisible : il est "
                        "ignoré. Affichez à nouveau le livret.")
    classe_id, periode = _class_and_period(api, plain, session)
    draft = livret_grid.build_draft(api.db, classe_id, periode)
    livret_grid.restore(draft, plain)
    session.keep_draft(GRID, draft)
    return draft.grid()


@command("livret.elements")
def elements(api, payload, session):
    classe_id, periode = _class_and_period(api, payload, session)
    return livret_classes.elements(api.db, classe_id, periode)


@command("livret.set_elements")
def set_elements(api, payload, session):
    classe_id, periode = _class_and_period(api, payload, session)
    result = livret_classes.set_elements(api.db, classe_id, periode, payload)
    draft = session.draft(GRID)
    if draft is not None and (draft.classe["id"], draft.periode.id) == (classe_id, periode.id):
        draft.livret_classe.elements = result["elements"]
        draft.livret_classe.parcours = result["parcours"]
        result["etat"] = {str(e): draft.state(e) for e in draft.work}
    return result


@command("livret.progress")
def progress(api, payload, session):
    """Per class of the caller and period of a school year (``millesime``; default: the
    current one, else the most recent with periods; ``nb_periodes``: how many it has);
    ``periode_courante``: the id of the period the livret screen opens on (today's), when it
    is of that year."""
    today = _compat.today()
    millesime = payload.get("millesime") or livret_classes.current_year(api.db, today)
    ps = periodes.periods_of(api.db, str(millesime)) if millesime else []
    current = livret_classes.default_period(api.db, today)
    return {"millesime": millesime, "nb_periodes": len(ps),
            "periode_courante": current.id if current and any(
        p.id == current.id for p in ps) else None, **livret_classes.progress(
        api.db, api.allowed_classes(session), ps)}


@command("livret.print")
def print_(api, payload, session):
    """The class's livrets of the period as printed for the families (complete ones, or all
    with ``tous``)."""
    from cartable.lsu import livret_print

    classe_id, periode = _class_and_period(api, payload, session)
    return livret_print.printable(api.db, classe_id, periode,
                                  payload.get("tous") is True)
