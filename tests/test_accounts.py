"""Accounts: passwords, logins, authentication and throttling, teachers, assignments."""

import base64
import datetime
import hashlib
import re
import sqlite3

import pytest
from helpers import FAST, SchoolBuilder, call, dump, login

from cartable import db
from cartable.accounts import logins, passwords, signin
from cartable.api import Api, run
from cartable.errors import PermissionDenied, UserError


@pytest.fixture
def api(tmp_path):
    a = Api(str(tmp_path / "ecole.sqlite3"))
    build = SchoolBuilder(a)
    db.set_meta(a.db, "nom", "École Jules Ferry")
    build.classe("CM2 A", "CM2A", "CM2", id=1)
    build.classe("CM1 B", "CM1B", "CM1", id=2)
    build.director("dir", "directeur1", nom="MARTIN", prenom="Paul")
    build.teacher("mar.dupuis", "professeur1")
    yield a
    a.close()


# -- passwords ------------------------------------------------------------------------------


def test_real_hash_uses_600000_iterations_and_matches_hashlib(monkeypatch):
    monkeypatch.undo()  # the real ITERATIONS
    assert passwords.ITERATIONS >= 600_000
    stored = run(passwords.hash_password("Mot2passe"))
    algorithm, iterations, salt_b64, hash_b64 = stored.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 600_000
    salt = base64.b64decode(salt_b64)
    assert len(salt) == 16
    expected = hashlib.pbkdf2_hmac("sha256", b"Mot2passe", salt, int(iterations), 32)
    assert base64.b64decode(hash_b64) == expected
    assert "Mot2passe" not in stored


def test_hash_is_salted_and_verify_reads_iterations_from_stored():
    a, b = run(passwords.hash_password("secret123")), run(passwords.hash_password("secret123"))
    assert a != b
    assert a.split("$")[1] == str(FAST)
    assert run(passwords.verify_password("secret123", a))
    assert not run(passwords.verify_password("secret124", a))
    assert not run(passwords.verify_password("", a))


@pytest.mark.parametrize("stored", ["", "garbage", "md5$1$aa$bb", "pbkdf2_sha256$x$aa$bb",
                                    "pbkdf2_sha256$0$YQ==$YQ==", "pbkdf2_sha256$10$!!$YQ=="])
def test_verify_rejects_malformed_stored_hash(stored):
    assert run(passwords.verify_password("secret123", stored)) is False


def test_generated_passwords_have_no_lookalikes_and_mix_letters_digits():
    for length in (3, 8, 12):
        for _ in range(300):
            pw = passwords.generate_password(length)
            assert len(pw) == max(8, length)
            assert not set(pw) & set("0Oo1lIi")
            assert re.search(r"[A-Za-z]", pw) and re.search(r"[0-9]", pw)
            assert set(pw) <= set(passwords.PASSWORD_ALPHABET)


# -- logins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nom, prenom, login",
    [
        ("DE LA FONTAINE", "Jean-Pierre", "jea.delafont"),
        ("CRESPIN", "Thomas", "tho.crespin"),
        ("D'ARTAGNAN", "Charles", "cha.dartagna"),
        ("LÉVÊQUE-ÇÉLINE", "Éloïse", "elo.levequec"),
        ("Lœuf", "Ægidius", "aeg.loeuf"),
        ("LI", "Bo", "bo.li"),
        ("NGUYEN", "", "nguyen"),
        ("  O' BRIEN ", " Zoé ", "zoe.obrien"),
    ],
)
def test_generate_login(api, nom, prenom, login):
    assert logins.generate_login(api.db, nom, prenom) == login


def test_generate_login_appends_smallest_free_number(api, build):
    conn = api.db
    build.teacher("tho.crespin", "xxxxxxxx")
    assert logins.generate_login(conn, "CRESPIN", "Thomas") == "tho.crespin1"
    build.teacher("tho.crespin1", "xxxxxxxx")
    assert logins.generate_login(conn, "Crespin", "THOMAS") == "tho.crespin2"
    build.teacher("tho.crespin3", "xxxxxxxx")
    assert logins.generate_login(conn, "CRESPIN", "Thomas") == "tho.crespin2"
    build.teacher("tho.crespin2", "xxxxxxxx")
    assert logins.generate_login(conn, "CRESPIN", "Thomas") == "tho.crespin4"


def test_generate_login_refuses_name_without_letters(api):
    with pytest.raises(UserError, match="aucune lettre"):
        logins.generate_login(api.db, "'- -'", "Jean")


# -- login, activation, throttling ----------------------------------------------------------


def test_login_returns_token_and_user(api):
    result = call(api, "auth.login", {"login": "mar.dupuis", "password": "professeur1"})
    assert result["user"] == {"id": 2, "role": "professeur", "nom": "DUPUIS", "prenom": "Marie",
                              "login": "mar.dupuis", "must_change_password": False}
    token = result["session"]
    assert call(api, "auth.whoami", session=token)["login"] == "mar.dupuis"
    assert call(api, "auth.logout", session=token) == {}
    with pytest.raises(UserError, match="session a expiré"):
        call(api, "auth.whoami", session=token)


@pytest.mark.parametrize("payload", [
    {"login": "mar.dupuis", "password": "wrong-password"},
    {"login": "nobody", "password": "professeur1"},
    {"login": "", "password": ""},
    {"login": None, "password": 12},
    {},
])
def test_bad_credentials_get_one_generic_message(api, payload):
    with pytest.raises(UserError) as err:
        call(api, "auth.login", payload)
    assert str(err.value) == signin.BAD_CREDENTIALS


def test_deactivated_account_refused_with_its_own_message(api):
    api.db.execute("UPDATE utilisateur SET actif = 0 WHERE login = 'mar.dupuis'")
    with pytest.raises(UserError, match="désactivé"):
        login(api, "mar.dupuis", "professeur1")
    with pytest.raises(UserError) as err:  # a wrong password says nothing about the account
        login(api, "mar.dupuis", "nope-nope")
    assert str(err.value) == signin.BAD_CREDENTIALS


def test_throttling_locks_after_five_failures_with_growing_delay(api, clock):
    clock.set(datetime.datetime(2024, 6, 3, 14, 0, 0))
    for _ in range(4):
        with pytest.raises(UserError, match="incorrect"):
            login(api, "mar.dupuis", "bad-password")
    with pytest.raises(UserError, match=r"Réessayez à 14:00:30 \(dans 30 secondes\)"):
        login(api, "mar.dupuis", "bad-password")
    # locked: even the right password is refused until then
    clock.advance(20)
    with pytest.raises(UserError, match=r"14:00:30 \(dans 10 secondes\)"):
        login(api, "mar.dupuis", "professeur1")
    clock.advance(11)
    with pytest.raises(UserError, match=r"dans 60 secondes"):  # 6th failure: 60 s
        login(api, "mar.dupuis", "bad-password")
    clock.advance(61)
    with pytest.raises(UserError, match=r"dans 2 minutes"):  # 7th: 120 s
        login(api, "mar.dupuis", "bad-password")
    clock.advance(121)
    login(api, "mar.dupuis", "professeur1")
    row = api.db.execute(
        "SELECT failed_logins, locked_until FROM utilisateur WHERE login = 'mar.dupuis'"
    ).fetchone()
    assert tuple(row) == (0, None)
    # the count starts again from zero
    for _ in range(4):
        with pytest.raises(UserError, match="incorrect"):
            login(api, "mar.dupuis", "bad-password")


def test_lock_delay_is_capped():
    assert [signin.lock_seconds(n) for n in (0, 4, 5, 6, 7)] == [0, 0, 30, 60, 120]
    assert signin.lock_seconds(50) == signin.LOCK_MAX_SECONDS


def test_first_login_activation(api):
    director = login(api, "dir", "directeur1")
    created = call(api, "professeurs.create", {"nom": "Crespin", "prenom": "Thomas"}, director)
    assert created["login"] == "tho.crespin"
    token = login(api, created["login"], created["password"])
    user = call(api, "auth.whoami", session=token)
    assert user["must_change_password"] is True
    with pytest.raises(UserError, match="Choisissez d'abord un nouveau mot de passe"):
        call(api, "validation.choices", session=token)
    bad = [
        ({"old_password": "wrong-old", "new_password": "abcdefgh9"}, "ancien mot de passe"),
        ({"old_password": created["password"], "new_password": "short"}, "au moins 8"),
        ({"old_password": created["password"], "new_password": None}, "au moins 8"),
        ({"old_password": created["password"], "new_password": "x" * 200}, "trop long"),
        ({"old_password": created["password"], "new_password": created["password"]},
         "différent"),
    ]
    before = dump(api)
    for payload, message in bad:
        with pytest.raises(UserError, match=message):
            call(api, "auth.change_password", payload, token)
    assert dump(api) == before
    result = call(api, "auth.change_password",
                  {"old_password": created["password"], "new_password": "MonNouveau9"}, token)
    assert result["user"]["must_change_password"] is False
    assert call(api, "validation.choices", session=token)["classes"] == []
    call(api, "auth.logout", session=token)
    with pytest.raises(UserError):
        login(api, "tho.crespin", created["password"])
    assert login(api, "tho.crespin", "MonNouveau9")


# -- teachers -------------------------------------------------------------------------------


def test_teacher_cannot_call_director_commands(api):
    token = login(api, "mar.dupuis", "professeur1")
    for name in ("professeurs.list", "professeurs.create", "professeurs.reset_password",
                 "affectations.list", "affectations.set", "affectations.set_principal"):
        with pytest.raises(PermissionDenied, match="réservée au directeur"):
            call(api, name, {"nom": "X", "prenom": "Y", "id": 2}, token)


def test_create_with_typed_login_and_password(api):
    director = login(api, "dir", "directeur1")
    created = call(api, "professeurs.create",
                   {"nom": "Léger", "prenom": "Anne", "login": "anne_leger-2", "password":
                    "Choisi123"}, director)
    assert created["login"] == "anne_leger-2" and created["password"] == "Choisi123"
    row = api.db.execute("SELECT * FROM utilisateur WHERE id = ?", (created["id"],)).fetchone()
    assert row["nom"] == "LÉGER" and row["prenom"] == "Anne"
    assert row["must_change_password"] == 0
    assert "Choisi123" not in dump(api)
    assert login(api, "anne_leger-2", "Choisi123")


def test_generated_password_is_stored_only_hashed(api):
    director = login(api, "dir", "directeur1")
    created = call(api, "professeurs.create", {"nom": "DE LA FONTAINE", "prenom": "Jean-Pierre"},
                   director)
    assert created["login"] == "jea.delafont"
    assert len(created["password"]) >= 8
    assert created["password"] not in dump(api)
    listed = call(api, "professeurs.list", session=director)
    assert [p["login"] for p in listed] == ["jea.delafont", "mar.dupuis"]
    assert listed[0]["must_change_password"] is True
    assert "password" not in listed[0] and "password_hash" not in listed[0]


@pytest.mark.parametrize("payload, message", [
    ({"nom": "", "prenom": "Anne"}, "Indiquez le nom"),
    ({"nom": "LEGER", "prenom": "  "}, "Indiquez le prénom"),
    ({"nom": 12, "prenom": "Anne"}, "Indiquez le nom"),
    ({"nom": "X" * 61, "prenom": "Anne"}, "trop long"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "Anne.Leger"}, "n'est pas accepté"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "anne leger"}, "n'est pas accepté"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "anne@ecole"}, "n'est pas accepté"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "é.leger"}, "n'est pas accepté"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "a"}, "n'est pas accepté"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "x" * 5000},
     "« x{40}… » n'est pas accepté"),  # a 5 000-character login is not echoed whole
    ({"nom": "LEGER", "prenom": "Anne", "login": 5}, "invalide"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "mar.dupuis"}, "déjà utilisé"),
    ({"nom": "LEGER", "prenom": "Anne", "login": "dir"}, "déjà utilisé"),
    ({"nom": "LEGER", "prenom": "Anne", "password": "court"}, "au moins 8"),
])
def test_create_refuses_bad_input_and_changes_nothing(api, payload, message):
    director = login(api, "dir", "directeur1")
    before = dump(api)
    with pytest.raises(UserError, match=message):
        call(api, "professeurs.create", payload, director)
    assert dump(api) == before


def test_update_reset_deactivate_delete(api, build):
    director = login(api, "dir", "directeur1")
    prof = login(api, "mar.dupuis", "professeur1")
    updated = call(api, "professeurs.update",
                   {"id": 2, "nom": "Dupuis-Morel", "prenom": "Marie", "login": "m.dupuis"},
                   director)
    assert updated["nom"] == "DUPUIS-MOREL" and updated["login"] == "m.dupuis"
    assert api.sessions[prof].sacoche_signature == "DUPUIS-MOREL M."
    with pytest.raises(UserError, match="déjà utilisé"):
        call(api, "professeurs.update", {"id": 2, "nom": "A", "prenom": "B", "login": "dir"},
             director)
    with pytest.raises(UserError, match="n'existe pas"):
        call(api, "professeurs.update", {"id": 1, "nom": "A", "prenom": "B"}, director)
    kept = call(api, "professeurs.update", {"id": 2, "nom": "Dupuis", "prenom": "Marie"},
                director)
    assert kept["login"] == "m.dupuis"

    reset = call(api, "professeurs.reset_password", {"id": 2}, director)
    assert reset["login"] == "m.dupuis" and len(reset["password"]) >= 8
    assert prof not in api.sessions  # old sessions end
    token = login(api, "m.dupuis", reset["password"])
    assert api.sessions[token].must_change_password
    typed = call(api, "professeurs.reset_password", {"id": 2, "password": "Donne1234"}, director)
    assert typed["password"] == "Donne1234"
    token = login(api, "m.dupuis", "Donne1234")
    assert not api.sessions[token].must_change_password

    off = call(api, "professeurs.set_actif", {"id": 2, "actif": False}, director)
    assert off["actif"] is False and token not in api.sessions
    with pytest.raises(UserError, match="désactivé"):
        login(api, "m.dupuis", "Donne1234")
    with pytest.raises(UserError, match="vrai ou faux"):
        call(api, "professeurs.set_actif", {"id": 2, "actif": "oui"}, director)
    call(api, "professeurs.set_actif", {"id": 2, "actif": True}, director)
    assert login(api, "m.dupuis", "Donne1234")

    call(api, "affectations.set", {"professeur_id": 2, "classe_id": 1, "affecte": True},
         director)
    call(api, "affectations.set_principal", {"classe_id": 1, "professeur_id": 2}, director)
    build.eleve("A", "B", 1, id=1)
    build.item(1, 5, 1, "2024-06-01", "DUPUIS M.")
    assert call(api, "professeurs.delete", {"id": 2}, director) == {}
    assert call(api, "professeurs.list", session=director) == []
    assert api.db.execute("SELECT count(*) FROM affectation").fetchone()[0] == 0
    assert api.db.execute("SELECT count(*) FROM validation_item").fetchone()[0] == 1
    with pytest.raises(UserError, match="n'existe pas"):
        call(api, "professeurs.delete", {"id": 2}, director)
    with pytest.raises(UserError, match="Identifiant de professeur invalide"):
        call(api, "professeurs.delete", {"id": "deux"}, director)


# -- assignments ----------------------------------------------------------------------------


def test_affectations_grid_and_principal(api):
    director = login(api, "dir", "directeur1")
    other = call(api, "professeurs.create", {"nom": "Crespin", "prenom": "Thomas"}, director)
    grid = call(api, "affectations.list", session=director)
    assert [c["nom"] for c in grid["classes"]] == ["CM1 B", "CM2 A"]  # by niveau order
    assert [p["login"] for p in grid["professeurs"]] == ["tho.crespin", "mar.dupuis"]
    assert grid["affectations"] == []

    grid = call(api, "affectations.set", {"professeur_id": 2, "classe_id": 2, "affecte": True},
                director)
    assert grid["affectations"] == [{"professeur_id": 2, "classe_id": 2, "principal": False}]
    call(api, "affectations.set", {"professeur_id": 2, "classe_id": 2, "affecte": True}, director)

    # the principal is one of the class's teachers (refused otherwise, nothing changed)
    assert [(c["nom"], c["eligibles"]) for c in grid["classes"]] == [("CM1 B", [2]),
                                                                      ("CM2 A", [])]
    before = dump(api)
    with pytest.raises(UserError, match="Marie DUPUIS n'enseigne pas dans la classe CM2 A"):
        call(api, "affectations.set_principal", {"classe_id": 1, "professeur_id": 2}, director)
    assert dump(api) == before
    for prof in (2, other["id"]):
        grid = call(api, "affectations.set", {"professeur_id": prof, "classe_id": 1,
                                              "affecte": True}, director)
    eligibles = {c["nom"]: c["eligibles"] for c in grid["classes"]}
    assert eligibles == {"CM1 B": [2], "CM2 A": [2, other["id"]]}
    # at most one per class
    grid = call(api, "affectations.set_principal", {"classe_id": 1, "professeur_id": 2},
                director)
    assert {"professeur_id": 2, "classe_id": 1, "principal": True} in grid["affectations"]
    grid = call(api, "affectations.set_principal",
                {"classe_id": 1, "professeur_id": other["id"]}, director)
    principals = [a for a in grid["affectations"] if a["classe_id"] == 1 and a["principal"]]
    assert principals == [{"professeur_id": other["id"], "classe_id": 1, "principal": True}]
    assert {"professeur_id": 2, "classe_id": 1, "principal": False} in grid["affectations"]

    # unassigning the principal clears it
    grid = call(api, "affectations.set",
                {"professeur_id": other["id"], "classe_id": 1, "affecte": False}, director)
    assert not [a for a in grid["affectations"] if a["principal"]]

    call(api, "affectations.set_principal", {"classe_id": 2, "professeur_id": 2}, director)
    # a deactivated teacher is no longer eligible
    call(api, "professeurs.set_actif", {"id": 2, "actif": False}, director)
    grid = call(api, "affectations.list", session=director)
    assert {c["nom"]: c["eligibles"] for c in grid["classes"]} == {"CM1 B": [], "CM2 A": []}
    call(api, "professeurs.set_actif", {"id": 2, "actif": True}, director)
    grid = call(api, "affectations.set_principal", {"classe_id": 2, "professeur_id": None},
                director)
    assert {"professeur_id": 2, "classe_id": 2, "principal": False} in grid["affectations"]
    assert call(api, "professeurs.list", session=director)[1]["classes"] == [1, 2]


@pytest.mark.parametrize("command, payload, message", [
    ("affectations.set", {"professeur_id": 2, "classe_id": 99, "affecte": True}, "classe"),
    ("affectations.set", {"professeur_id": 1, "classe_id": 1, "affecte": True}, "professeur"),
    ("affectations.set", {"professeur_id": 2, "classe_id": 1, "affecte": 1}, "vrai ou faux"),
    ("affectations.set", {"professeur_id": None, "classe_id": 1, "affecte": True}, "invalide"),
    ("affectations.set_principal", {"classe_id": 1, "professeur_id": 77}, "n'existe pas"),
    ("affectations.set_principal", {"classe_id": True, "professeur_id": 2}, "invalide"),
])
def test_affectations_refuse_bad_input(api, command, payload, message):
    director = login(api, "dir", "directeur1")
    before = dump(api)
    with pytest.raises(UserError, match=message):
        call(api, command, payload, director)
    assert dump(api) == before


def test_deactivated_teacher_cannot_become_principal(api):
    director = login(api, "dir", "directeur1")
    call(api, "professeurs.set_actif", {"id": 2, "actif": False}, director)
    with pytest.raises(UserError, match="réactivez"):
        call(api, "affectations.set_principal", {"classe_id": 1, "professeur_id": 2}, director)


def test_unique_login_constraint_still_holds(api):
    """The database itself refuses a second "dir" (not only check_login)."""
    with pytest.raises(sqlite3.IntegrityError):
        api.db.execute("INSERT INTO utilisateur (role, nom, prenom, login, password_hash) "
                       "VALUES ('professeur', 'DUPUIS', 'Marie', 'dir', 'x')")


def test_login_is_trimmed_and_case_insensitive_for_lower_case_logins(api):
    assert login(api, "  Mar.Dupuis ", "professeur1")
    with pytest.raises(UserError):
        login(api, "mar.dupuis", "PROFESSEUR1")  # the password is case-sensitive
