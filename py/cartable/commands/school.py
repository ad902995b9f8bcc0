"""API commands ``school.*``: the school's name and letterhead, the director's overview, and
the school file itself (saved, described before it replaces the current school, opened) (see
docs/API.md "School" and "School file").

The file commands are the director's; while the school has no director account yet (first
start, or restoring a saved file before creating the school), anyone may use them.
"""

from __future__ import annotations

from cartable import _compat, db
from cartable.api import command
from cartable.errors import PermissionDenied, UserError
from cartable.school import dashboard, file_info, letterhead, saving


def _before_writing(data: bytes, current: dict, file_name, session) -> dict:
    """The file about to be overwritten by automatic saving (the director's)."""
    if session is None or not session.is_director:
        raise PermissionDenied("Cette action est réservée au directeur ou à la directrice.")
    on_disk, unreadable = None, None
    if data:
        try:
            on_disk = file_info.describe_bytes(data)
        except UserError as e:
            unreadable = str(e)
    name = file_name if isinstance(file_name, str) else ""
    return {"fichier": on_disk, "actuelle": current,
            **file_info.compare_for_writing(on_disk, current, name, unreadable)}


def _may_manage_file(api, session) -> bool:
    """The director, or anyone while no director can sign in (first start, a restore)."""
    if session is not None and session.is_director:
        return True
    return not letterhead.has_active_director(api.db)


@command("school.update", role="directeur")
def school_update(api, payload, session):
    return letterhead.update_school(api.db, payload.get("nom"), payload.get("uai"))


@command("school.identity", role="directeur")
def school_identity(api, payload, session):
    return letterhead.get_identity(api.db)


@command("school.set_identity", role="directeur")
def school_set_identity(api, payload, session):
    result = letterhead.set_identity(api.db, payload)
    d = result["directeur"]
    for s in api.sessions.values():  # keep open sessions' names (decision signatures) true
        if d is not None and s.user_id == d["id"]:
            s.nom, s.prenom = d["nom"], d["prenom"]
    return result


@command("school.overview", role="directeur")
def school_overview(api, payload, session):
    return dashboard.overview(api.db)


@command("school.file_bytes", role="public")
def file_bytes(api, payload, session):
    if not _may_manage_file(api, session):
        raise PermissionDenied(
            "Seul le directeur ou la directrice peut enregistrer le fichier école.")
    if api.db.in_transaction:
        raise UserError("Une opération est en cours. Réessayez dans un instant.")
    saving.mark_saved(api.db)  # the file handed out carries the time it was saved
    name = db.school_file_name(_compat.now())
    return {"filename": name, "data": db.read_file(api.path),
            "message": saving.download_notice(name)}


@command("school.saving_state", role="directeur")
def saving_state(api, payload, session):
    """``{}`` -> the decisions and bilans changed since the school file was last saved, and
    the sentences the screens show about it (saving.state; docs/API.md)."""
    return saving.state(api.db)


@command("school.replace_file", role="public")
def replace_file(api, payload, session):
    if not _may_manage_file(api, session):
        raise PermissionDenied(
            "Seul le directeur ou la directrice peut ouvrir un autre fichier école.")
    data = payload.get("data")
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier école (.sqlite3) à ouvrir.")
    api.replace_database(bytes(data))
    saving.mark_opened(api.db)
    return {"replaced": True}


@command("school.describe_file", role="public")
def describe_file(api, payload, session):
    """``{"data": bytes}`` -> ``{"fichier", "actuelle", "autre_ecole", "plus_ancien",
    "confirmation"}``: both schools named (nom, UAI, last change, counts) and the French
    confirmation to show before ``school.replace_file`` (None when the browser holds no school).

    With ``"pour_ecrire": true`` (and ``"nom_fichier"``), the other way round: the file that
    automatic saving is about to overwrite (director only; ``data`` may be empty) ->
    ``{"fichier" or None, "actuelle", "autre_ecole", "plus_recent", "confirmation"}``.

    Like opening a file: the director, or anyone while the school has no director yet."""
    current = file_info.describe(api.db)
    if not _may_manage_file(api, session):
        raise PermissionDenied(
            "Seul le directeur ou la directrice peut ouvrir un autre fichier école.")
    data = payload.get("data")
    if not isinstance(data, bytes):
        raise UserError("Aucun fichier reçu. Choisissez le fichier école (.sqlite3) à ouvrir.")
    if payload.get("pour_ecrire"):
        return _before_writing(data, current, payload.get("nom_fichier"), session)
    candidate = file_info.describe_bytes(data)
    name = payload.get("nom_fichier")
    return {"fichier": candidate, "actuelle": current,
            **file_info.compare(candidate, current, name if isinstance(name, str) else "")}


@command("school.check_passphrase", role="directeur")
def check_passphrase(api, payload, session):
    """``{"passphrase"}`` -> ``{"ok": true}`` when it may protect a school file (the browser then
    encrypts the file itself, web/ui/passphrase.js); a French UserError otherwise."""
    file_info.check_passphrase(payload.get("passphrase"))
    return {"ok": True, "min": file_info.PASSPHRASE_MIN}


@command("school.saving_texts", role="public")
def file_texts(api, payload, session):
    """``{}`` -> the texts and reminder threshold for keeping the school file (docs/API.md)."""
    return file_info.file_texts()
