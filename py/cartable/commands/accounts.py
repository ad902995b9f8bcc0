"""API commands: accounts (see docs/API.md "Accounts")."""

from __future__ import annotations

from .. import accounts, recovery, school, session_idle
from ..api import command
from ..errors import PermissionDenied


def _drop_sessions(api, user_id: int, keep: str | None = None) -> None:
    for token in [t for t, s in api.sessions.items() if s.user_id == user_id and t != keep]:
        del api.sessions[token]


# -- authentication -------------------------------------------------------------------------


@command("auth.login", role="public")
async def login(api, payload, session):
    row = await accounts.authenticate(api.db, payload.get("login"), payload.get("password"))
    new = api.open_session(row)
    result = {"session": new.token, "user": accounts.user_dict(row)}
    kept = session_idle.take_draft(api.kept_drafts, row["id"])
    if kept is not None:  # the unsaved grid of a session ended by inactivity
        result["brouillon"] = kept
    return result


@command("auth.logout")
def logout(api, payload, session):
    api.sessions.pop(session.token, None)
    return {}


@command("auth.whoami")
def whoami(api, payload, session):
    return accounts.session_user(api.db, session)


@command("auth.change_password")
async def change_password(api, payload, session):
    await accounts.change_password(
        api.db, session.user_id, payload.get("old_password"), payload.get("new_password")
    )
    session.must_change_password = False
    _drop_sessions(api, session.user_id, keep=session.token)  # other open sessions end
    return {"user": accounts.session_user(api.db, session)}


@command("auth.reset_with_code", role="public")
async def reset_with_code(api, payload, session):
    """The director forgot her password: login + code de secours + new password. She is then
    logged in, and her new code (the old one is spent) is shown once."""
    row, code = await recovery.reset_with_code(
        api.db, payload.get("login"), payload.get("code"), payload.get("new_password"))
    _drop_sessions(api, row["id"])
    new = api.open_session(row)
    return {"session": new.token, "user": accounts.user_dict(row), "code_secours": code}


@command("auth.regenerate_recovery_code", role="directeur")
async def regenerate_recovery_code(api, payload, session):
    code = await recovery.regenerate(api.db, session.user_id, payload.get("password"))
    return {"code_secours": code, "user": accounts.session_user(api.db, session)}


@command("accounts.propose_login", role="public")
def propose_login(api, payload, session):
    """A free login made from nom and prénom (nothing is created). Public while the school is
    being created (the director's login); afterwards, the director's (teachers' logins)."""
    setup = school.needs_setup(api.db)
    if not setup and (session is None or not session.is_director):
        raise PermissionDenied("Cette action est réservée au directeur ou à la directrice.")
    whose = "du directeur ou de la directrice" if setup else "du professeur"
    nom = accounts.clean_name(payload.get("nom"), "nom", whose).upper()
    prenom = accounts.clean_name(payload.get("prenom"), "prénom", whose)
    return {"login": accounts.generate_login(api.db, nom, prenom)}


# -- teachers -------------------------------------------------------------------------------


@command("professeurs.list", role="directeur")
def professeurs_list(api, payload, session):
    return accounts.list_professeurs(api.db)


@command("professeurs.create", role="directeur")
async def professeurs_create(api, payload, session):
    return await accounts.create_professeur(
        api.db, payload.get("nom"), payload.get("prenom"), payload.get("login"),
        payload.get("password"), payload.get("civilite"),
    )


@command("professeurs.update", role="directeur")
def professeurs_update(api, payload, session):
    result = accounts.update_professeur(
        api.db, payload.get("id"), payload.get("nom"), payload.get("prenom"), payload.get("login"),
        payload.get("civilite"),
    )
    for s in api.sessions.values():  # keep open sessions' names (decision signatures) true
        if s.user_id == result["id"]:
            s.nom, s.prenom, s.login = result["nom"], result["prenom"], result["login"]
    return result


@command("professeurs.reset_password", role="directeur")
async def professeurs_reset_password(api, payload, session):
    result = await accounts.reset_password(api.db, payload.get("id"), payload.get("password"))
    _drop_sessions(api, accounts.get_professeur(api.db, payload.get("id"))["id"])
    return result


@command("professeurs.set_actif", role="directeur")
def professeurs_set_actif(api, payload, session):
    result = accounts.set_actif(api.db, payload.get("id"), payload.get("actif"))
    if not result["actif"]:
        _drop_sessions(api, result["id"])
    return result


@command("professeurs.delete", role="directeur")
def professeurs_delete(api, payload, session):
    prof_id = accounts.get_professeur(api.db, payload.get("id"))["id"]
    accounts.delete_professeur(api.db, prof_id)
    _drop_sessions(api, prof_id)
    return {}


# -- assignments ----------------------------------------------------------------------------


@command("affectations.list", role="directeur")
def affectations_list(api, payload, session):
    return accounts.list_affectations(api.db)


@command("affectations.set", role="directeur")
def affectations_set(api, payload, session):
    accounts.set_affectation(
        api.db, payload.get("professeur_id"), payload.get("classe_id"), payload.get("affecte")
    )
    return accounts.list_affectations(api.db)


@command("affectations.set_principal", role="directeur")
def affectations_set_principal(api, payload, session):
    accounts.set_principal(api.db, payload.get("classe_id"), payload.get("professeur_id"))
    return accounts.list_affectations(api.db)
