"""API commands: school (see docs/API.md "School")."""

from __future__ import annotations

from cartable import __version__, db
from cartable.accounts import affectations, logins, names, passwords, secours, signin
from cartable.api import command
from cartable.errors import PermissionDenied, UserError
from cartable.payload import payload_int
from cartable.school import dashboard, letterhead, levels, roster
from cartable.school import settings as school_settings
from cartable.socle2008 import referentiel


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
    recovery_hash = await secours.hash_code(code)
    with db.transaction(api.db):
        if not letterhead.needs_setup(api.db):  # another setup finished while hashing
            raise already
        signin.insert_director(api.db, d_nom, d_prenom, login, hashed, d_civilite,
                                 recovery_hash)
        letterhead.write_school(api.db, nom, uai)
    row = api.db.execute("SELECT * FROM utilisateur WHERE login = ?", (login,)).fetchone()
    new = api.open_session(row)  # she just typed her password: logged in, no second hash
    return {"login": login, "code_secours": code, "session": new.token,
            "user": signin.user_dict(row)}


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


@command("settings.get", role="directeur")
def settings_get(api, payload, session):
    return school_settings.get_settings(api.db)


@command("settings.set", role="directeur")
def settings_set(api, payload, session):
    return school_settings.set_settings(api.db, payload)


@command("school.overview", role="directeur")
def school_overview(api, payload, session):
    return dashboard.overview(api.db)


@command("niveaux.list")
def niveaux_list(api, payload, session):
    return levels.list_niveaux(api.db)


@command("niveaux.set", role="directeur")
def niveaux_set(api, payload, session):
    return levels.set_niveaux(api.db, payload.get("actifs"))


@command("paliers.list")
def paliers_list(api, payload, session):
    return levels.list_paliers(api.db)


@command("paliers.set", role="directeur")
def paliers_set(api, payload, session):
    return levels.set_paliers(api.db, payload.get("actifs"))


@command("classes.list")
def classes_list(api, payload, session):
    return roster.list_classes(api.db, api.allowed_classes(session))


@command("eleves.list")
def eleves_list(api, payload, session):
    """Pupils of a class: the director sees all classes; a teacher the classes he or she is
    assigned to or may validate."""
    cid = roster.classe_id(api.db, payload.get("classe_id"))
    if not session.is_director:
        assigned = affectations.is_assigned(api.db, session.user_id, cid)
        if not assigned and cid not in api.allowed_classes(session):
            raise PermissionDenied(
                "Vous n'êtes pas affecté(e) à cette classe : vous ne pouvez pas voir ses élèves. "
                "Demandez au directeur de vous l'attribuer."
            )
    return roster.list_eleves(api.db, cid)


@command("referentiel.get")
def referentiel_get(api, payload, session):
    palier_id = payload.get("palier_id")
    if palier_id is not None:
        palier_id = payload_int(palier_id, "palier")
        if palier_id not in {p.id for p in referentiel.get().paliers}:
            raise UserError(f"Palier inconnu : {palier_id}.")
    return referentiel.get().as_json(palier_id)
