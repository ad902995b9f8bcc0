"""API commands ``auth.*``: signing in and out, passwords, the code de secours (docs/API.md
"Accounts")."""

from __future__ import annotations

from cartable.accounts import idle, secours, signin
from cartable.api import command

# -- authentication -------------------------------------------------------------------------


@command("auth.login", role="public")
async def login(api, payload, session):
    row = await signin.authenticate(api.db, payload.get("login"), payload.get("password"))
    new = api.open_session(row)
    result = {"session": new.token, "user": signin.user_dict(row)}
    kept = idle.take_draft(api.kept_drafts, row["id"])
    if kept:  # the unsaved grids of a session ended by inactivity
        result["brouillons"] = kept
        result["brouillon"] = {**kept[0]["draft"], "grille": kept[0]["grille"]}
    return result


@command("auth.logout")
def logout(api, payload, session):
    api.sessions.pop(session.token, None)
    return {}


@command("auth.whoami")
def whoami(api, payload, session):
    return signin.session_user(api.db, session)


@command("auth.change_password")
async def change_password(api, payload, session):
    await signin.change_password(
        api.db, session.user_id, payload.get("old_password"), payload.get("new_password")
    )
    session.must_change_password = False
    api.drop_sessions(session.user_id, keep=session.token)  # other open sessions end
    return {"user": signin.session_user(api.db, session)}


@command("auth.reset_with_code", role="public")
async def reset_with_code(api, payload, session):
    """The director forgot her password: login + code de secours + new password. She is then
    logged in, and her new code (the old one is spent) is shown once."""
    row, code = await secours.reset_with_code(
        api.db, payload.get("login"), payload.get("code"), payload.get("new_password"))
    api.drop_sessions(row["id"])
    new = api.open_session(row)
    return {"session": new.token, "user": signin.user_dict(row), "code_secours": code}


@command("auth.regenerate_recovery_code", role="directeur")
async def regenerate_recovery_code(api, payload, session):
    code = await secours.regenerate(api.db, session.user_id, payload.get("password"))
    return {"code_secours": code, "user": signin.session_user(api.db, session)}
