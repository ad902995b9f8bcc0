"""API command ``accounts.propose_login`` (docs/API.md "Accounts")."""

from __future__ import annotations

from cartable.accounts import logins, names
from cartable.api import command
from cartable.errors import PermissionDenied
from cartable.school import letterhead


@command("accounts.propose_login", role="public")
def propose_login(api, payload, session):
    """A free login made from nom and prénom (nothing is created). Public while the school is
    being created (the director's login); afterwards, the director's (teachers' logins)."""
    setup = letterhead.needs_setup(api.db)
    if not setup and (session is None or not session.is_director):
        raise PermissionDenied("Cette action est réservée au directeur ou à la directrice.")
    whose = "du directeur ou de la directrice" if setup else "du professeur"
    nom = names.clean_name(payload.get("nom"), "nom", whose).upper()
    prenom = names.clean_name(payload.get("prenom"), "prénom", whose)
    return {"login": logins.generate_login(api.db, nom, prenom)}
