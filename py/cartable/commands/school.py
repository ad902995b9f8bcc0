"""API commands: school (see docs/API.md "School")."""

from __future__ import annotations

from .. import __version__, accounts, db, identity, referentiel, school
from ..api import command
from ..errors import PermissionDenied, UserError
from ..payload import payload_int


def _person_name(value, what: str) -> str:
    return accounts.clean_name(value, what, whose="du directeur ou de la directrice")


@command("app.status", role="public")
def status(api, payload, session):
    return {
        "school": school.get_school(api.db),
        "version": __version__,
        "needs_setup": school.needs_setup(api.db),
        "user": None if session is None else accounts.session_user(api.db, session),
    }


@command("app.setup", role="public")
async def setup(api, payload, session):
    """First start: the school's name and UAI, and the director's account."""
    already = UserError(
        "L'école est déjà créée. Connectez-vous avec le compte du directeur ou de la directrice."
    )
    if not school.needs_setup(api.db):
        raise already
    nom, uai = school.clean_school(payload.get("nom"), payload.get("uai"))
    directeur = payload.get("directeur")
    if not isinstance(directeur, dict):
        raise UserError("Indiquez le nom, le prénom et le mot de passe du directeur ou de la "
                        "directrice.")
    d_nom = _person_name(directeur.get("nom"), "nom").upper()
    d_prenom = _person_name(directeur.get("prenom"), "prénom")
    d_civilite = accounts.clean_civilite(directeur.get("civilite"),
                                         "du directeur ou de la directrice")
    password = accounts.check_new_password(directeur.get("password"))
    typed = directeur.get("login")
    if typed is not None and not (isinstance(typed, str) and not typed.strip()):
        login = accounts.check_login(api.db, typed)
    else:
        login = accounts.generate_login(api.db, d_nom, d_prenom)
    hashed = await accounts.hash_password(password)
    with db.transaction(api.db):
        if not school.needs_setup(api.db):  # another setup finished while hashing
            raise already
        accounts.insert_director(api.db, d_nom, d_prenom, login, hashed, d_civilite)
        school.write_school(api.db, nom, uai)
    return {"login": login}


@command("school.update", role="directeur")
def school_update(api, payload, session):
    return school.update_school(api.db, payload.get("nom"), payload.get("uai"))


@command("school.identity", role="directeur")
def school_identity(api, payload, session):
    return identity.get_identity(api.db)


@command("school.set_identity", role="directeur")
def school_set_identity(api, payload, session):
    result = identity.set_identity(api.db, payload)
    d = result["directeur"]
    for s in api.sessions.values():  # keep open sessions' names (decision signatures) true
        if d is not None and s.user_id == d["id"]:
            s.nom, s.prenom = d["nom"], d["prenom"]
    return result


@command("settings.get", role="directeur")
def settings_get(api, payload, session):
    return school.get_settings(api.db)


@command("settings.set", role="directeur")
def settings_set(api, payload, session):
    return school.set_settings(api.db, payload)


@command("school.overview", role="directeur")
def school_overview(api, payload, session):
    return school.overview(api.db)


@command("niveaux.list")
def niveaux_list(api, payload, session):
    return school.list_niveaux(api.db)


@command("niveaux.set", role="directeur")
def niveaux_set(api, payload, session):
    return school.set_niveaux(api.db, payload.get("actifs"))


@command("paliers.list")
def paliers_list(api, payload, session):
    return school.list_paliers(api.db)


@command("paliers.set", role="directeur")
def paliers_set(api, payload, session):
    return school.set_paliers(api.db, payload.get("actifs"))


@command("classes.list")
def classes_list(api, payload, session):
    return school.list_classes(api.db, api.allowed_classes(session))


@command("eleves.list")
def eleves_list(api, payload, session):
    """Pupils of a class: the director sees all classes; a teacher the classes he or she is
    assigned to or may validate."""
    cid = school.classe_id(api.db, payload.get("classe_id"))
    if not session.is_director:
        assigned = accounts.is_assigned(api.db, session.user_id, cid)
        if not assigned and cid not in api.allowed_classes(session):
            raise PermissionDenied(
                "Vous n'êtes pas affecté(e) à cette classe : vous ne pouvez pas voir ses élèves. "
                "Demandez au directeur de vous l'attribuer."
            )
    return school.list_eleves(api.db, cid)


@command("referentiel.get")
def referentiel_get(api, payload, session):
    palier_id = payload.get("palier_id")
    if palier_id is not None:
        palier_id = payload_int(palier_id, "palier")
        if palier_id not in {p.id for p in referentiel.get().paliers}:
            raise UserError(f"Palier inconnu : {palier_id}.")
    return referentiel.get().as_json(palier_id)
