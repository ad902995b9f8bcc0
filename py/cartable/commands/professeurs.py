"""API commands ``professeurs.*``: the teachers' accounts (docs/API.md "Accounts")."""

from __future__ import annotations

from cartable.accounts import teachers
from cartable.api import command

# -- teachers -------------------------------------------------------------------------------


@command("professeurs.list", role="directeur")
def professeurs_list(api, payload, session):
    return teachers.list_professeurs(api.db)


@command("professeurs.create", role="directeur")
async def professeurs_create(api, payload, session):
    return await teachers.create_professeur(
        api.db, payload.get("nom"), payload.get("prenom"), payload.get("login"),
        payload.get("password"), payload.get("civilite"),
    )


@command("professeurs.update", role="directeur")
def professeurs_update(api, payload, session):
    result = teachers.update_professeur(
        api.db, payload.get("id"), payload.get("nom"), payload.get("prenom"), payload.get("login"),
        payload.get("civilite"),
    )
    for s in api.sessions.values():  # keep open sessions' names (decision signatures) true
        if s.user_id == result["id"]:
            s.nom, s.prenom, s.login = result["nom"], result["prenom"], result["login"]
    return result


@command("professeurs.reset_password", role="directeur")
async def professeurs_reset_password(api, payload, session):
    result = await teachers.reset_password(api.db, payload.get("id"), payload.get("password"))
    api.drop_sessions(teachers.get_professeur(api.db, payload.get("id"))["id"])
    return result


@command("professeurs.set_actif", role="directeur")
def professeurs_set_actif(api, payload, session):
    result = teachers.set_actif(api.db, payload.get("id"), payload.get("actif"))
    if not result["actif"]:
        api.drop_sessions(result["id"])
    return result


@command("professeurs.delete", role="directeur")
def professeurs_delete(api, payload, session):
    prof_id = teachers.get_professeur(api.db, payload.get("id"))["id"]
    teachers.delete_professeur(api.db, prof_id)
    api.drop_sessions(prof_id)
    return {}
