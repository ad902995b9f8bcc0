"""API commands ``app.*``: the school's status and its first start (docs/API.md "School")."""

from __future__ import annotations

from cartable import __version__, db
from cartable.accounts import logins, names, passwords, secours, signin
from cartable.api import command
from cartable.errors import UserError
from cartable.school import letterhead


def _person_name(value, what: str) -> str:
    return names.clean_name(value, what, whose="du directeur ou de la directrice")


@command("app.status", role="public")
def status(api, payload, session):
    return {
        "school": letterhead.get_school(api.db),
        "version": __version__,
        "needs_setup": letterhead.needs_setup(api.db),
        "user": None if session is None else signin.session_user(api.db, session),
    }


@command("app.setup", role="public")
async def setup(api, payload, session):
    """First start: the school's name and UAI, and the director's account."""
    already = UserError(
        "L'école est déjà créée. Connectez-vous avec le compte du directeur ou de la directrice."
    )
    if not letterhead.needs_setup(api.db):
        raise already
    nom, uai = letterhead.clean_school(payload.get("nom"), payload.get("uai"))
    directeur = payload.get("directeur")
    if not isinstance(directeur, dict):
        raise UserError("Indiquez le nom, le prénom et le mot de passe du directeur ou de la "
                        "directrice.")
    d_nom = _person_name(directeur.get("nom"), "nom").upper()
    d_prenom = _person_name(directeur.get("prenom"), "prénom")
    d_civilite = names.clean_civilite(directeur.get("civilite"),
                                         "du directeur ou de la directrice")
    password = passwords.check_new_password(directeur.get("password"))
    typed = directeur.get("login")
    if typed is not None and not (isinstance(typed, str) and not typed.strip()):
        login = logins.check_login(api.db, typed)
    else:
        login = logins.generate_login(api.db, d_nom, d_prenom)
    hashed = await passwords.hash_password(password)
    code = secours.generate_code()
    secours_hash = await secours.hash_code(code)
    with db.transaction(api.db):
        if not letterhead.needs_setup(api.db):  # another setup finished while hashing
            raise already
        signin.insert_director(api.db, d_nom, d_prenom, login, hashed, d_civilite,
                                 secours_hash)
        letterhead.write_school(api.db, nom, uai)
    row = signin.find_user(api.db, login)
    new = api.open_session(row)  # she just typed her password: logged in, no second hash
    return {"login": login, "code_secours": code, "session": new.token,
            "user": signin.user_dict(row)}
