"""API commands: the SACoche validations file (see docs/API.md and ``sacoche_file``)."""

from __future__ import annotations

from .. import _compat, sacoche_file
from ..api import command
from ..errors import UserError


def _classe_ids(api, payload, session) -> list[int] | None:
    """The regroupement: ``classe_ids``, a ``niveau`` ref, or None for the whole school."""
    if payload.get("classe_ids") is not None and payload.get("niveau") is not None:
        raise UserError("Choisissez soit des classes, soit un niveau, pas les deux.")
    if payload.get("classe_ids") is not None:
        raw = payload["classe_ids"]
        if not isinstance(raw, list) or not raw:
            raise UserError("Choisissez au moins une classe à exporter.")
        return sorted({api.require_classe(session, c) for c in raw})
    if payload.get("niveau") is not None:
        ref = payload["niveau"]
        if not isinstance(ref, str):
            raise UserError("Niveau invalide : indiquez sa référence, par exemple « CM2 ».")
        row = api.db.execute(
            "SELECT id, ref FROM niveau WHERE upper(ref) = upper(?)", (ref.strip(),)
        ).fetchone()
        if row is None:
            raise UserError(
                f"Le niveau « {ref[:20]} » n'existe pas. Indiquez par exemple CM1 ou CM2."
            )
        ids = [r[0] for r in api.db.execute(
            "SELECT id FROM classe WHERE niveau_id = ? ORDER BY id", (row["id"],))]
        if not ids:
            raise UserError(
                f"Aucune classe de niveau {row['ref']} : rien à exporter. Choisissez un autre "
                "regroupement."
            )
        return ids
    return None


@command("sacoche.export", role="directeur")
def export(api, payload, session):
    result = sacoche_file.export(api.db, _classe_ids(api, payload, session), _compat.now())
    return {
        "filename": result.filename,
        "data": result.data,
        "message": result.message,
        "note": result.note,
        "nb_competences": result.nb_competences,
        "nb_items": result.nb_items,
        "nb_eleves": result.nb_eleves,
    }


def _plan(api, payload):
    data = payload.get("data")
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier « import-sacoche_….zip ».")
    return sacoche_file.plan_import(api.db, bytes(data), _compat.today())


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
    sacoche_file.apply_import(api.db, plan)
    return _result(plan, applied=True)

