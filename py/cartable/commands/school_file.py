"""API commands: the school file itself, saved and opened (see docs/API.md "School file").

Both are the director's; while the school has no director account yet (first start, or
restoring a saved file before creating the school), anyone may use them.
"""

from __future__ import annotations

from cartable import _compat, db
from cartable.api import command
from cartable.errors import PermissionDenied, UserError
from cartable.school import letterhead


def _may_manage_file(api, session) -> bool:
    if session is not None and session.is_director:
        return True
    return not letterhead.has_active_director(api.db)


@command("school.file_bytes", role="public")
def file_bytes(api, payload, session):
    if not _may_manage_file(api, session):
        raise PermissionDenied(
            "Seul le directeur ou la directrice peut enregistrer le fichier école.")
    if api.db.in_transaction:
        raise UserError("Une opération est en cours. Réessayez dans un instant.")
    return {"filename": db.school_file_name(_compat.today()), "data": db.read_file(api.path)}


@command("school.replace_file", role="public")
def replace_file(api, payload, session):
    if not _may_manage_file(api, session):
        raise PermissionDenied(
            "Seul le directeur ou la directrice peut ouvrir un autre fichier école.")
    data = payload.get("data")
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier école (.sqlite3) à ouvrir.")
    api.replace_database(bytes(data))
    return {"replaced": True}
