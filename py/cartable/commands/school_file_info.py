"""API command: describe a school file before it replaces the current school (docs/API.md)."""

from __future__ import annotations

from cartable.api import command
from cartable.errors import PermissionDenied, UserError
from cartable.school import file_info


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
    director = api.db.execute(
        "SELECT 1 FROM utilisateur WHERE role = 'directeur' AND actif = 1 LIMIT 1").fetchone()
    if director is not None and not (session is not None and session.is_director):
        raise PermissionDenied(
            "Seul le directeur ou la directrice peut ouvrir un autre fichier école.")
    data = payload.get("data")
    if not isinstance(data, bytes):
        raise UserError("Aucun fichier reçu. Choisissez le fichier école (.sqlite3) à ouvrir.")
    if payload.get("pour_ecrire"):
        return _before_writing(data, current, payload.get("nom_fichier"), session)
    candidate = file_info.describe_bytes(data)
    return {"fichier": candidate, "actuelle": current,
            **file_info.compare(candidate, current)}


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
