"""API commands: the SACoche validations file (see docs/API.md, ``sacoche_export`` and
``sacoche_import``).

The director exports any regroupement and imports. A teacher exports the decisions of the
classes he or she may validate (``api.allowed_classes``), the same file, to hand to the director
who imports it (two computers, one school).
"""

from __future__ import annotations

from cartable import _compat
from cartable.api import command
from cartable.errors import PermissionDenied, UserError
from cartable.sacoche import export as sacoche_export
from cartable.sacoche import importer as sacoche_import
from cartable.school import levels


def _niveau_classes(api, ref) -> tuple[str, list[int]]:
    return levels.niveau_classes(api.db, ref)


def _exportable(api, session, classe_id) -> int:
    """A class the caller may export: any for the director, a teacher's own otherwise."""
    try:
        return api.require_classe(session, classe_id)
    except PermissionDenied:
        raise PermissionDenied(
            "Vous ne pouvez exporter que les classes dont vous validez les élèves. Choisissez "
            "l'une de vos classes, ou demandez au directeur de faire l'export."
        ) from None


def _classe_ids(api, payload, session) -> list[int] | None:
    """The regroupement: ``classe_ids``, a ``niveau`` ref, or None for the whole school.

    A teacher's regroupement is always limited to the classes he or she may validate."""
    if payload.get("classe_ids") is not None and payload.get("niveau") is not None:
        raise UserError("Choisissez soit des classes, soit un niveau, pas les deux.")
    if payload.get("classe_ids") is not None:
        raw = payload["classe_ids"]
        if not isinstance(raw, list) or not raw:
            raise UserError("Choisissez au moins une classe à exporter.")
        return sorted({_exportable(api, session, c) for c in raw})
    allowed = None if session.is_director else api.allowed_classes(session)
    if payload.get("niveau") is not None:
        ref, ids = _niveau_classes(api, payload["niveau"])
        if allowed is not None:
            ids = [c for c in ids if c in allowed]
        if not ids:
            mine = "" if allowed is None else " parmi vos classes"
            raise UserError(
                f"Aucune classe de niveau {ref}{mine} : rien à exporter. Choisissez un autre "
                "regroupement."
            )
        return ids
    if allowed is not None:
        if not allowed:
            raise PermissionDenied(
                "Vous ne validez pour aucune classe : il n'y a rien à exporter. Demandez au "
                "directeur de vous attribuer votre classe."
            )
        return sorted(allowed)
    return None


@command("sacoche.export", role="any")
def export(api, payload, session):
    result = sacoche_export.export(api.db, _classe_ids(api, payload, session), _compat.now())
    notes = [n for n in (result.note, result.note_noms_coupes) if n]
    return {
        "filename": result.filename,
        "data": result.data,
        "message": result.message,
        "note": result.note,
        "notes": notes,
        "nb_competences": result.nb_competences,
        "nb_items": result.nb_items,
        "nb_eleves": result.nb_eleves,
        "nb_selectionnes": result.nb_selectionnes,
        "nb_sans_decision": result.nb_sans_decision,
        "noms_coupes": result.noms_coupes,
        "note_noms_coupes": result.note_noms_coupes,
    }


def _plan(api, payload):
    data = payload.get("data")
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier « import-sacoche_….zip ».")
    return sacoche_import.plan_import(api.db, bytes(data), _compat.today())


def _result(plan, applied: bool) -> dict:
    counts = plan.counts
    return {
        "eleves": plan.reports,
        "message": plan.message(applied),
        "nb_modifies": counts["modifie"],
        "nb_inchanges": counts["inchange"],
        "nb_ignores": counts["ignore"],
        "nb_validations": len(plan.item_rows) + len(plan.competence_rows),
    }


@command("sacoche.preview", role="directeur")
def preview(api, payload, session):
    return _result(_plan(api, payload), applied=False)


@command("sacoche.import", role="directeur")
def import_(api, payload, session):
    plan = _plan(api, payload)
    sacoche_import.apply_import(api.db, plan)
    return _result(plan, applied=True)
