"""API commands: school (see docs/API.md "School")."""

from __future__ import annotations

from .. import __version__, accounts, db, recovery, referentiel, school
from ..api import command, payload_int
from ..errors import PermissionDenied, UserError


def _user(api, session) -> dict | None:
    if session is None:
        return None
    row = api.db.execute("SELECT * FROM utilisateur WHERE id = ?", (session.user_id,)).fetchone()
    if row is None:
        return {"id": session.user_id, "role": session.role, "nom": session.nom,
                "prenom": session.prenom, "login": session.login,
                "must_change_password": session.must_change_password}
    return accounts.user_dict(row)


def _person_name(value, what: str) -> str:
    return accounts.clean_name(value, what, whose="du directeur ou de la directrice")


@command("app.status", role="public")
def status(api, payload, session):
    return {
        "school": school.get_school(api.db),
        "version": __version__,
        "needs_setup": school.needs_setup(api.db),
        "user": _user(api, session),
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
    password = accounts.check_new_password(directeur.get("password"))
    typed = directeur.get("login")
    if typed is not None and not (isinstance(typed, str) and not typed.strip()):
        login = accounts.check_login(api.db, typed)
    else:
        login = accounts.generate_login(api.db, d_nom, d_prenom)
    hashed = await accounts.hash_password(password)
    code = recovery.generate_code()
    recovery_hash = await recovery.hash_code(code)
    with db.transaction(api.db):
        if not school.needs_setup(api.db):  # another setup finished while hashing
            raise already
        if api.db.execute("SELECT 1 FROM utilisateur WHERE login = ?", (login,)).fetchone():
            raise UserError(f"L'identifiant « {login} » est déjà utilisé. Choisissez-en un autre.")
        school.write_school(api.db, nom, uai)
        api.db.execute(
            "INSERT INTO utilisateur (role, nom, prenom, login, password_hash, recovery_hash) "
            "VALUES ('directeur', ?, ?, ?, ?, ?)",
            (d_nom, d_prenom, login, hashed, recovery_hash),
        )
    row = api.db.execute("SELECT * FROM utilisateur WHERE login = ?", (login,)).fetchone()
    new = api.open_session(row)  # she just typed her password: logged in, no second hash
    return {"login": login, "code_secours": code, "session": new.token,
            "user": accounts.user_dict(row)}


@command("school.update", role="directeur")
def school_update(api, payload, session):
    return school.update_school(api.db, payload.get("nom"), payload.get("uai"))


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
    cid = payload_int(payload.get("classe_id"), "classe")
    if api.db.execute("SELECT 1 FROM classe WHERE id = ?", (cid,)).fetchone() is None:
        raise UserError("Cette classe n'existe pas (ou plus). Rechargez la liste des classes.")
    if not session.is_director:
        assigned = api.db.execute(
            "SELECT 1 FROM affectation WHERE utilisateur_id = ? AND classe_id = ?",
            (session.user_id, cid),
        ).fetchone()
        if assigned is None and cid not in api.allowed_classes(session):
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
