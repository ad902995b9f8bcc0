"""API commands ``lsu.*``: the LSU file, exported and imported (see docs/API.md "LSU").

The director exports any class and imports. A teacher exports the bilans of the classes he or
she may validate (``api.allowed_classes``), as for SACoche: to hand the file to the director,
who imports it (two computers, one school), or to send it to LSU.
"""

from __future__ import annotations

from cartable import _compat
from cartable.api import command
from cartable.errors import PermissionDenied, UserError
from cartable.lsu import lsu_file, millesimes
from cartable.payload import payload_int


def _result(plan, applied: bool) -> dict:
    reports = plan.all_reports  # bilans de cycle, then bilans périodiques
    return {"eleves": reports, "message": plan.message(applied),
            "nb_importes": plan.nb_writes,
            "nb_ignores": sum(r["statut"] == "ignoré" for r in reports),
            "nb_a_confirmer": sum(r["statut"] == "à confirmer" for r in reports)}


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
    return sorted({_exportable(api, session, c) for c in raw})


def _exportable(api, session, classe_id) -> int:
    """A class the caller may export: any for the director, a teacher's own otherwise."""
    try:
        return api.require_classe(session, classe_id)
    except PermissionDenied:
        raise PermissionDenied(
            "Vous ne pouvez exporter vers LSU que les bilans de vos classes (celles dont vous "
            "validez les élèves). Choisissez l'une de vos classes, ou demandez au directeur ou à "
            "la directrice de faire l'export.") from None


def _teachers_classes(api, payload, session) -> list[int] | None:
    """``_classe_ids``, and for a teacher who names none, his or her own classes."""
    ids = _classe_ids(api, payload, session)
    if ids is not None or session.is_director:
        return ids
    allowed = sorted(api.allowed_classes(session))
    if not allowed:
        raise PermissionDenied(
            "Vous ne validez pour aucune classe : il n'y a rien à exporter vers LSU. Demandez au "
            "directeur ou à la directrice de vous attribuer votre classe.")
    return allowed


@command("lsu.classes", role="any")
def lsu_classes(api, payload, session):
    """The classes an export can choose from: those with CE2 pupils or saved bilans; with a
    period (as ``lsu.export``), the classes of CP to CM2 and their bilans of that period. A
    teacher's: only his or her own."""
    periode = _periode(api, payload)
    if periode is not None:
        from cartable.lsu import livret_export

        classes = livret_export.export_classes(api.db, periode)
    else:
        classes = lsu_file.export_classes(api.db)
    if session.is_director:
        return classes
    allowed = api.allowed_classes(session)
    return [c for c in classes if c["id"] in allowed]


def _periode(api, payload):
    """The period of a bilans périodiques export: ``periode_id``, or ``periode`` (its indice)
    with ``millesime`` (default: the most recent school year with periods); None without."""
    from cartable.lsu import periodes

    if payload.get("periode_id") is not None:
        return periodes.get(api.db, payload_int(payload["periode_id"], "période"))
    if payload.get("periode") is None:
        return None
    millesime = payload.get("millesime")
    if millesime is not None and not (isinstance(millesime, (str, int))
                                      and str(millesime).isdigit() and len(str(millesime)) == 4):
        raise UserError(f"Millésime « {str(millesime)[:10]} » invalide : l'année de la rentrée "
                        "est attendue (par exemple 2025 pour 2025-2026).")
    return periodes.find(api.db, None if millesime is None else str(millesime),
                         payload_int(payload["periode"], "période"))


@command("lsu.preflight", role="any")
def preflight(api, payload, session):
    periode = _periode(api, payload)
    classe_ids = _teachers_classes(api, payload, session)
    if periode is not None:
        from cartable.lsu import livret_export

        return livret_export.preflight(api.db, periode, classe_ids,
                                       with_cycle=bool(payload.get("bilans_cycle")),
                                       teacher=not session.is_director)
    return lsu_file.preflight(api.db, classe_ids, millesimes.checked(payload.get("millesime")),
                              teacher=not session.is_director)


@command("lsu.export", role="any")
async def export(api, payload, session):
    periode = _periode(api, payload)
    classe_ids = _teachers_classes(api, payload, session)
    await _compat.ensure_xmlschema()
    if periode is not None:
        from cartable.lsu import livret_export

        result = livret_export.export(api.db, periode, classe_ids, _compat.now(),
                                      with_cycle=bool(payload.get("bilans_cycle")),
                                      teacher=not session.is_director)
    else:
        result = lsu_file.export(api.db, classe_ids, _compat.now(),
                                 millesimes.checked(payload.get("millesime")),
                                 teacher=not session.is_director)
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
