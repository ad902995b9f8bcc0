"""School nouns: setup, identity, settings, niveaux, paliers, classes, pupils, référentiel."""

import re
from pathlib import Path

import pytest
from helpers import SchoolBuilder, call, file_hash

from cartable import __version__, base_eleves
from cartable.errors import PermissionDenied, UserError

FIXTURE = Path(__file__).parent / "fixtures" / "base_eleves" / "CSVExtraction.csv"
SETUP = {"nom": "École Jules Ferry", "uai": "0441234c",
         "directeur": {"nom": "Martin", "prenom": "Paul", "password": "directeur1"}}


@pytest.fixture
def director(api):
    call(api, "app.setup", SETUP)
    return call(api, "auth.login", {"login": "pau.martin", "password": "directeur1"})["session"]


def add_teacher(api, login="mar.dupuis"):
    SchoolBuilder(api).teacher(login, "professeur1")
    return call(api, "auth.login", {"login": login, "password": "professeur1"})["session"]


def class_id(api, ref):
    return api.db.execute("SELECT id FROM classe WHERE ref = ?", (ref,)).fetchone()[0]


def assign(api, login, ref, principal):
    uid = api.db.execute("SELECT id FROM utilisateur WHERE login = ?", (login,)).fetchone()[0]
    SchoolBuilder(api).assign(uid, class_id(api, ref), principal=bool(principal))


# -- status and setup -----------------------------------------------------------------------


def test_status_before_and_after_setup(api):
    status = call(api, "app.status")
    assert status == {"school": None, "version": __version__, "needs_setup": True, "user": None}
    created = call(api, "app.setup", SETUP)
    assert set(created) == {"login", "code_secours", "session", "user"}
    assert created["login"] == created["user"]["login"] == "pau.martin"
    assert call(api, "auth.whoami", {}, created["session"])["role"] == "directeur"
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", created["code_secours"])
    status = call(api, "app.status")
    assert status["school"] == {"nom": "École Jules Ferry", "uai": "0441234C"}
    assert status["needs_setup"] is False and status["user"] is None
    token = call(api, "auth.login", {"login": "pau.martin", "password": "directeur1"})["session"]
    user = call(api, "app.status", {}, token)["user"]
    assert user["role"] == "directeur" and user["nom"] == "MARTIN" and user["prenom"] == "Paul"
    stored = api.db.execute("SELECT password_hash FROM utilisateur").fetchone()[0]
    assert stored.startswith("pbkdf2_sha256$") and "directeur1" not in stored


def test_setup_only_once(api):
    call(api, "app.setup", SETUP)
    before = file_hash(api)
    with pytest.raises(UserError, match="déjà créée"):
        call(api, "app.setup", {**SETUP, "nom": "Autre école"})
    assert file_hash(api) == before


def test_setup_with_typed_login(api):
    payload = {**SETUP, "uai": None,
               "directeur": {**SETUP["directeur"], "login": "direction"}}
    assert call(api, "app.setup", payload)["login"] == "direction"
    assert call(api, "app.status")["school"] == {"nom": "École Jules Ferry", "uai": ""}


@pytest.mark.parametrize("payload, message", [
    ({**SETUP, "nom": "  "}, "nom de l'école"),
    ({**SETUP, "nom": "x" * 101}, "trop long"),
    ({**SETUP, "uai": "12345"}, "UAI « 12345 » n'est pas valide"),
    ({**SETUP, "uai": 44}, "UAI est invalide"),
    ({**SETUP, "directeur": None}, "mot de passe du directeur"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "nom": ""}}, "Indiquez le nom"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "prenom": 3}}, "Indiquez le prénom"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "password": "court"}}, "au moins 8"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "login": "Pas Bon!"}}, "n'est pas accepté"),
])
def test_setup_refuses_bad_input_and_writes_nothing(api, payload, message):
    before = file_hash(api)
    with pytest.raises(UserError, match=message):
        call(api, "app.setup", payload)
    assert file_hash(api) == before
    assert call(api, "app.status")["needs_setup"] is True


def test_school_update(api, director):
    assert call(api, "school.update", {"nom": " École  du Centre ", "uai": "0441235 d"},
                director) == {"nom": "École du Centre", "uai": "0441235D"}
    assert call(api, "app.status")["school"] == {"nom": "École du Centre", "uai": "0441235D"}
    before = file_hash(api)
    call(api, "school.update", {"nom": "École du Centre", "uai": "0441235D"}, director)
    assert file_hash(api) == before  # nothing changed, nothing written
    with pytest.raises(UserError, match="UAI"):
        call(api, "school.update", {"nom": "X", "uai": "ABC"}, director)
    assert file_hash(api) == before


def test_settings(api, director):
    assert call(api, "settings.get", {}, director) == {"professeurs_affectes_valident": False}
    assert call(api, "settings.set", {"professeurs_affectes_valident": True}, director) == {
        "professeurs_affectes_valident": True}
    for bad, message in [({"professeurs_affectes_valident": "oui"}, "oui ou non"),
                         ({"couleur": True}, "Réglage inconnu")]:
        with pytest.raises(UserError, match=message):
            call(api, "settings.set", bad, director)
    assert call(api, "settings.get", {}, director) == {"professeurs_affectes_valident": True}


def test_director_only_commands_refuse_teachers(api, director):
    teacher = add_teacher(api)
    for cmd, payload in [("school.update", {"nom": "X"}), ("settings.get", {}),
                         ("settings.set", {}), ("niveaux.set", {"actifs": ["CP"]}),
                         ("paliers.set", {"actifs": [1]})]:
        with pytest.raises(PermissionDenied):
            call(api, cmd, payload, teacher)
    with pytest.raises(UserError, match="Connectez-vous"):
        call(api, "niveaux.list")


# -- niveaux and paliers --------------------------------------------------------------------


def test_niveaux_list_and_set(api, director):
    niveaux = call(api, "niveaux.list", {}, director)
    assert [n["ref"] for n in niveaux] == ["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2",
                                           "CLIS"]
    assert {n["ref"]: n["id"] for n in niveaux} == {
        "PS": 11, "MS": 12, "GS": 13, "CP": 14, "CE1": 15, "CE2": 16, "CM1": 17, "CM2": 18,
        "CLIS": 21}
    assert [n["ref"] for n in niveaux if n["actif"]] == ["CP", "CE1", "CE2", "CM1", "CM2"]
    result = call(api, "niveaux.set", {"actifs": ["gs", "CP", "CE1", "CE2", "CM1", "CM2"]},
                  director)
    assert [n["ref"] for n in result if n["actif"]] == ["GS", "CP", "CE1", "CE2", "CM1", "CM2"]
    before = file_hash(api)
    for bad, message in [({"actifs": ["CP", "6E"]}, "Niveau inconnu : 6E"),
                         ({"actifs": []}, "au moins un niveau"),
                         ({"actifs": "CP"}, "invalide")]:
        with pytest.raises(UserError, match=message):
            call(api, "niveaux.set", bad, director)
    assert file_hash(api) == before


def test_niveau_with_classes_cannot_be_removed(api, director):
    base_eleves.apply(api.db, FIXTURE.read_bytes())
    niveaux = {n["ref"]: n for n in call(api, "niveaux.list", {}, director)}
    assert niveaux["CM2"]["nb_classes"] == 2 and niveaux["CP"]["nb_classes"] == 2
    before = file_hash(api)
    with pytest.raises(UserError) as err:
        call(api, "niveaux.set", {"actifs": ["CP", "CE1", "CE2", "CM1"]}, director)
    assert "Impossible de retirer le niveau CM2 (2 classes)" in str(err.value)
    assert "classes de ce niveau existent" in str(err.value)
    with pytest.raises(UserError) as err:  # two niveaux at once: the sentence is plural
        call(api, "niveaux.set", {"actifs": ["CE1", "CE2", "CM1"]}, director)
    assert str(err.value).startswith(
        "Impossible de retirer les niveaux CP (2 classes), CM2 (2 classes) : des classes de ces "
        "niveaux existent encore. Gardez ces niveaux, ou supprimez d'abord leurs classes")
    assert file_hash(api) == before


def test_paliers(api, director):
    paliers = call(api, "paliers.list", {}, director)
    ecole, college = "École élémentaire", "Collège (rarement utile à l'école)"
    assert paliers == [
        {"id": 1, "nom": "Palier 1 (fin CE1)", "actif": False, "niveau": "CE1", "ecole": True,
         "rubrique": ecole},
        {"id": 2, "nom": "Palier 2 (fin CM2)", "actif": True, "niveau": "CM2", "ecole": True,
         "rubrique": ecole},
        {"id": 3, "nom": "Palier 3 (fin troisième)", "actif": False, "niveau": None,
         "ecole": False, "rubrique": college},
    ]
    result = call(api, "paliers.set", {"actifs": [1, 2]}, director)
    assert [p["id"] for p in result if p["actif"]] == [1, 2]
    before = file_hash(api)
    for bad, message in [({"actifs": []}, "au moins un palier"), ({"actifs": [4]}, "inconnu"),
                         ({"actifs": ["2"]}, "invalide"), ({"actifs": [True]}, "invalide")]:
        with pytest.raises(UserError, match=message):
            call(api, "paliers.set", bad, director)
    assert file_hash(api) == before


# -- classes, pupils, référentiel -----------------------------------------------------------


def test_classes_list_and_peut_valider(api, director):
    base_eleves.apply(api.db, FIXTURE.read_bytes())
    teacher = add_teacher(api)
    assign(api, "mar.dupuis", "CM2-CM2B", 1)
    assign(api, "mar.dupuis", "CM2-CM1CM2", 0)
    classes = call(api, "classes.list", {}, director)
    # by niveau, then in French order (collation.py: "[" is punctuation, before the letters)
    assert [c["nom"] for c in classes] == [
        "[CP] CP-CE1", "CP A", "[CE1] CP-CE1", "CE1 B", "[CE2] CE2-CM1 Mme LUCAS",
        "[CM1] CE2-CM1 Mme LUCAS", "[CM1] CM1-CM2", "[CM2] CM1-CM2", "CM2 B"]
    assert all(c["peut_valider"] for c in classes)
    cm2b = next(c for c in classes if c["ref"] == "CM2-CM2B")
    assert cm2b["niveau"] == "CM2" and cm2b["niveau_id"] == 18 and cm2b["nb_eleves"] == 26
    assert cm2b["professeurs"] == [{"id": cm2b["professeurs"][0]["id"], "nom": "DUPUIS",
                                    "prenom": "Marie", "principal": True}]
    seen = {c["ref"]: c["peut_valider"] for c in call(api, "classes.list", {}, teacher)}
    assert [r for r, ok in seen.items() if ok] == ["CM2-CM2B"]
    call(api, "settings.set", {"professeurs_affectes_valident": True}, director)
    seen = {c["ref"]: c["peut_valider"] for c in call(api, "classes.list", {}, teacher)}
    assert sorted(r for r, ok in seen.items() if ok) == ["CM2-CM1CM2", "CM2-CM2B"]


def test_eleves_list_and_permissions(api, director):
    base_eleves.apply(api.db, FIXTURE.read_bytes())
    teacher = add_teacher(api)
    assign(api, "mar.dupuis", "CM2-CM1CM2", 0)  # assigned, not principal
    cid = class_id(api, "CM2-CM2B")
    pupils = call(api, "eleves.list", {"classe_id": cid}, director)
    assert len(pupils) == 26
    assert pupils == sorted(pupils, key=lambda p: (p["nom"], p["prenom"]))
    assert set(pupils[0]) == {"id", "nom", "prenom", "sconet_id", "actif"}
    api.db.execute("UPDATE eleve SET actif = 0 WHERE id = ?", (pupils[0]["id"],))
    assert len(call(api, "eleves.list", {"classe_id": str(cid)}, director)) == 25
    # A teacher sees the classes he or she is assigned to, not the others.
    assigned = call(api, "eleves.list", {"classe_id": class_id(api, "CM2-CM1CM2")}, teacher)
    assert len(assigned) == 16
    with pytest.raises(PermissionDenied, match="ne vous est pas attribuée"):
        call(api, "eleves.list", {"classe_id": cid}, teacher)
    with pytest.raises(UserError, match="n'existe pas"):
        call(api, "eleves.list", {"classe_id": 9999}, director)
    with pytest.raises(UserError, match="Identifiant de classe invalide"):
        call(api, "eleves.list", {"classe_id": "abc"}, director)


def test_referentiel_get(api, director):
    teacher = add_teacher(api)
    full = call(api, "referentiel.get", {}, teacher)
    assert [p["id"] for p in full] == [1, 2, 3]
    palier2 = call(api, "referentiel.get", {"palier_id": 2}, teacher)
    assert len(palier2) == 1 and palier2[0]["nom"] == "Palier 2 (fin CM2)"
    comps = palier2[0]["competences"]
    assert len(comps) == 8 and comps[0]["domaines"][0]["items"][0]["id"] > 0
    with pytest.raises(UserError, match="Palier inconnu"):
        call(api, "referentiel.get", {"palier_id": 7}, teacher)


# -- overview -------------------------------------------------------------------------------


def test_overview_follows_the_procedure(api, director):
    empty = call(api, "school.overview", {}, director)
    assert empty["nb_eleves"] == 0 and empty["nb_classes"] == 0 and empty["nb_professeurs"] == 0
    assert empty["niveaux"] == ["CP", "CE1", "CE2", "CM1", "CM2"]
    assert [p["id"] for p in empty["paliers"]] == [2]
    assert empty["paliers"][0]["total"] == 0 and empty["paliers"][0]["pourcentage"] == 0

    base_eleves.apply(api.db, FIXTURE.read_bytes())
    call(api, "paliers.set", {"actifs": [1, 2]}, director)
    add_teacher(api)
    assign(api, "mar.dupuis", "CM2-CM2B", 1)
    cm2b = [r[0] for r in api.db.execute(
        "SELECT id FROM eleve WHERE classe_id = ?", (class_id(api, "CM2-CM2B"),))]
    for eid, item, etat in ((cm2b[0], 2111, 1), (cm2b[0], 2112, 0), (cm2b[1], 2111, 1),
                            (cm2b[1], 1, 1)):  # item 1 is palier 1: not counted for palier 2
        SchoolBuilder(api).item(eid, item, etat, "2012-06-15")
    o = call(api, "school.overview", {}, director)
    assert (o["nb_eleves"], o["nb_classes"], o["nb_professeurs"]) == (143, 9, 1)
    assert "CM2 B" not in o["classes_sans_principal"] and len(o["classes_sans_principal"]) == 8
    p1, p2 = o["paliers"]
    assert (p1["id"], p1["niveau"], p2["id"], p2["niveau"]) == (1, "CE1", 2, "CM2")
    assert (p2["nb_eleves"], p2["nb_items"], p2["total"]) == (42, 110, 42 * 110)
    assert (p2["decisions"], p2["valides"]) == (3, 2)
    assert p2["pourcentage"] == round(100 * 3 / (42 * 110))
    assert p1["decisions"] == 0  # the palier-1 decision belongs to a CM2 pupil


def test_overview_is_for_the_director(api, director):
    teacher = add_teacher(api)
    with pytest.raises(PermissionDenied):
        call(api, "school.overview", {}, teacher)
