"""No lockout: the director's chosen login, "Mon compte" (change password), the code de secours.

Bad inputs tried: a wrong code, a code already spent, a malformed code (too short, look-alike
letters), a teacher's login with the director's code, an unknown login, a too-short new
password, a wrong current password when regenerating, a teacher asking for a code, a public
caller asking for a login proposal once the school exists.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from helpers import call

from cartable.accounts import passwords, secours
from cartable.api import Api, run
from cartable.errors import PermissionDenied, UserError

NOW = datetime.datetime(2026, 11, 30, 8, 0, 0)
CODE_RE = re.compile(r"[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}")
SETUP = {"nom": "École Jules Ferry", "uai": "0441234C",
         "directeur": {"nom": "Durand", "prenom": "Sophie", "login": "sophie.durand",
                       "password": "Directrice-2026"}}


@pytest.fixture
def clock(clock):
    return clock.set(NOW)


@pytest.fixture
def api(tmp_path, clock):
    a = Api(str(tmp_path / "ecole.sqlite3"))
    yield a
    a.close()


def dump(api):
    return "\n".join(api.db.iterdump())


def director_row(api):
    return api.db.execute("SELECT * FROM utilisateur WHERE role = 'directeur'").fetchone()


def setup_school(api):
    created = call(api, "app.setup", SETUP)
    token = call(api, "auth.login", {"login": "sophie.durand",
                                     "password": "Directrice-2026"})["session"]
    return created, token


def reset(api, code, password="Nouveau-2026", login="sophie.durand"):
    return call(api, "auth.reset_with_code",
                {"login": login, "code": code, "new_password": password})


# -- the login chosen at creation -----------------------------------------------------------


def test_propose_login_during_setup_then_only_for_the_director(api):
    assert call(api, "accounts.propose_login", {"nom": "Durand", "prenom": "Sophie"}) == {
        "login": "sop.durand"}
    with pytest.raises(UserError, match="Indiquez le nom du directeur ou de la directrice"):
        call(api, "accounts.propose_login", {"nom": " ", "prenom": "Sophie"})
    assert api.db.execute("SELECT count(*) FROM utilisateur").fetchone()[0] == 0
    created, token = setup_school(api)
    assert created["login"] == "sophie.durand"  # the typed login, not the proposal
    with pytest.raises(PermissionDenied, match="réservée au directeur"):
        call(api, "accounts.propose_login", {"nom": "Durand", "prenom": "Sophie"})
    teacher = call(api, "professeurs.create", {"nom": "Durand", "prenom": "Sophie",
                                               "password": "Professeur-1"}, token)
    assert teacher["login"] == "sop.durand"
    prof_token = call(api, "auth.login", {"login": "sop.durand",
                                          "password": "Professeur-1"})["session"]
    with pytest.raises(PermissionDenied):
        call(api, "accounts.propose_login", {"nom": "Durand", "prenom": "Sophie"}, prof_token)
    # the proposal skips logins already taken and creates nothing
    before = dump(api)
    assert call(api, "accounts.propose_login", {"nom": "DURAND", "prenom": "Sophie"},
                token) == {"login": "sop.durand1"}
    with pytest.raises(UserError, match="Indiquez le prénom du professeur"):
        call(api, "accounts.propose_login", {"nom": "Durand"}, token)
    with pytest.raises(UserError, match="aucune lettre"):
        call(api, "accounts.propose_login", {"nom": "---", "prenom": "Sophie"}, token)
    assert dump(api) == before


def test_setup_returns_the_code_once_and_stores_only_its_hash(api):
    created, token = setup_school(api)
    code = created["code_secours"]
    assert CODE_RE.fullmatch(code)
    row = director_row(api)
    assert row["recovery_hash"].startswith("pbkdf2_sha256$")
    assert run(passwords.verify_password(code.replace("-", ""), row["recovery_hash"]))
    text = dump(api)
    assert code not in text and code.replace("-", "") not in text
    me = call(api, "auth.whoami", session=token)
    assert me["has_recovery_code"] is True and me["login"] == "sophie.durand"
    for command in ("auth.whoami", "app.status"):
        assert code.replace("-", "") not in repr(call(api, command, session=token))
        assert "recovery_hash" not in repr(call(api, command, session=token))


def test_codes_are_random_readable_and_typed_loosely():
    codes = {secours.generate_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE_RE.fullmatch(c) for c in codes)
    assert not set("".join(codes)) & set("01OIL")
    code = "K7MP-3QXR-W9DT-H4NB"
    assert secours.normalise_code(" k7mp 3qxr-w9dt h4nb ") == "K7MP3QXRW9DTH4NB"
    for bad in ("K7MP-3QXR-W9DT", "K7MP-3QXR-W9DT-H4N0", "K7MP-3QXR-W9DT-H4NBX", None, 42):
        assert secours.normalise_code(bad) is None, bad
    assert secours.normalise_code(code) == "K7MP3QXRW9DTH4NB"


# -- Mon compte: every user changes their own password ---------------------------------------


def test_every_user_changes_their_password_after_activation(api):
    _, director = setup_school(api)
    call(api, "professeurs.create", {"nom": "Petit", "prenom": "Luc", "password": "Maitre-2026"},
         director)
    teacher = call(api, "auth.login", {"login": "luc.petit", "password": "Maitre-2026"})
    assert teacher["user"]["must_change_password"] is False  # already active
    for login, old, token in (("luc.petit", "Maitre-2026", teacher["session"]),
                              ("sophie.durand", "Directrice-2026", director)):
        before = dump(api)
        with pytest.raises(UserError, match="ancien mot de passe est incorrect"):
            call(api, "auth.change_password",
                 {"old_password": "pas-le-bon", "new_password": "Change-2027"}, token)
        with pytest.raises(UserError, match="ancien mot de passe est incorrect"):
            call(api, "auth.change_password", {"new_password": "Change-2027"}, token)
        assert dump(api) == before
        call(api, "auth.change_password", {"old_password": old, "new_password": "Change-2027"},
             token)
        with pytest.raises(UserError, match="Identifiant ou mot de passe incorrect"):
            call(api, "auth.login", {"login": login, "password": old})
        assert call(api, "auth.login", {"login": login, "password": "Change-2027"})["session"]


# -- reset with the code de secours ---------------------------------------------------------


def test_reset_with_code_logs_in_and_spends_the_code(api):
    created, token = setup_school(api)
    code = created["code_secours"]
    result = reset(api, code.lower().replace("-", " "))
    assert result["user"]["login"] == "sophie.durand"
    assert call(api, "auth.whoami", session=result["session"])["role"] == "directeur"
    with pytest.raises(UserError, match="session a expiré"):  # older sessions end
        call(api, "auth.whoami", session=token)
    new_code = result["code_secours"]
    assert CODE_RE.fullmatch(new_code) and new_code != code
    with pytest.raises(UserError, match="Identifiant ou mot de passe incorrect"):
        call(api, "auth.login", {"login": "sophie.durand", "password": "Directrice-2026"})
    assert call(api, "auth.login", {"login": "sophie.durand", "password": "Nouveau-2026"})
    # the spent code is refused, the new one works
    before = director_row(api)["password_hash"]
    with pytest.raises(UserError, match="code de secours incorrect"):
        reset(api, code, "Encore-2026")
    assert director_row(api)["password_hash"] == before
    third = reset(api, new_code, "Encore-2026")["code_secours"]
    assert third not in (code, new_code)
    raw = Path(api.path).read_bytes()
    for secret in (code, new_code, third, "Nouveau-2026", "Encore-2026"):
        for text in (secret, secret.replace("-", "")):
            assert text.encode() not in raw and text.encode("utf-16-le") not in raw
            assert text not in dump(api)


@pytest.mark.parametrize("login, code", [
    ("sophie.durand", "AAAA-BBBB-CCCC-DDDD"),   # wrong
    ("sophie.durand", "AAAA-BBBB-CCCC"),        # too short
    ("sophie.durand", None),
    ("inconnu", "GOOD"),                         # unknown login (with the right code)
    ("luc.petit", "GOOD"),                       # a teacher's login: the code is the director's
    ("", "GOOD"),
    (None, "GOOD"),
])
def test_wrong_reset_changes_no_password(api, login, code):
    created, token = setup_school(api)
    call(api, "professeurs.create", {"nom": "Petit", "prenom": "Luc", "password": "Maitre-2026"},
         token)
    if code == "GOOD":
        code = created["code_secours"]
    hashes = api.db.execute("SELECT login, password_hash, recovery_hash FROM utilisateur"
                            ).fetchall()
    with pytest.raises(UserError) as err:
        reset(api, code, login=login)
    assert err.value.message == secours.BAD_CODE
    assert "professeur qui a oublié son mot de passe" in err.value.message
    assert api.db.execute("SELECT login, password_hash, recovery_hash FROM utilisateur"
                          ).fetchall() == hashes
    teacher = api.db.execute("SELECT failed_logins FROM utilisateur WHERE login = 'luc.petit'"
                             ).fetchone()
    assert teacher[0] == 0  # a reset attempt never counts against a teacher
    assert call(api, "auth.login", {"login": "luc.petit", "password": "Maitre-2026"})


def test_a_bad_new_password_is_refused_before_the_code_is_tried(api):
    created, _ = setup_school(api)
    before = dump(api)
    with pytest.raises(UserError, match="au moins 8"):
        reset(api, "AAAA-BBBB-CCCC-DDDD", "court")
    assert dump(api) == before  # no attempt counted
    reset(api, created["code_secours"], "Nouveau-2026")


def test_wrong_codes_are_throttled_like_wrong_passwords(api, clock):
    created, _ = setup_school(api)
    code = created["code_secours"]
    for _ in range(4):
        with pytest.raises(UserError, match="code de secours incorrect"):
            reset(api, "AAAA-BBBB-CCCC-DDDD")
    with pytest.raises(UserError, match="bloqué") as err:
        reset(api, "AAAA-BBBB-CCCC-DDDD")
    assert err.value.details == {"code": "locked"}
    # locked: even the right code, and the right password, wait
    with pytest.raises(UserError, match="bloqué"):
        reset(api, code)
    with pytest.raises(UserError, match="bloqué"):
        call(api, "auth.login", {"login": "sophie.durand", "password": "Directrice-2026"})
    assert director_row(api)["failed_logins"] == 5
    clock.now = NOW + datetime.timedelta(seconds=31)
    result = reset(api, code)
    assert result["session"]
    row = director_row(api)
    assert row["failed_logins"] == 0 and row["locked_until"] is None


def test_wrong_passwords_and_wrong_codes_share_one_count(api, clock):
    setup_school(api)
    for _ in range(3):
        with pytest.raises(UserError):
            call(api, "auth.login", {"login": "sophie.durand", "password": "faux-faux"})
    with pytest.raises(UserError, match="code de secours incorrect"):
        reset(api, "AAAA-BBBB-CCCC-DDDD")
    with pytest.raises(UserError, match="bloqué"):
        reset(api, "AAAA-BBBB-CCCC-DDDD")


# -- regenerate from Mon compte --------------------------------------------------------------


def test_director_regenerates_her_code_with_her_password(api):
    created, token = setup_school(api)
    old = created["code_secours"]
    before = dump(api)
    for password in ("faux-mot-de-passe", None):
        with pytest.raises(UserError, match="mot de passe est incorrect"):
            call(api, "auth.regenerate_recovery_code", {"password": password}, token)
    assert dump(api) == before
    result = call(api, "auth.regenerate_recovery_code", {"password": "Directrice-2026"}, token)
    new = result["code_secours"]
    assert CODE_RE.fullmatch(new) and new != old
    assert result["user"]["has_recovery_code"] is True
    with pytest.raises(UserError, match="code de secours incorrect"):
        reset(api, old)
    reset(api, new)


def test_teacher_has_no_code(api):
    _, token = setup_school(api)
    call(api, "professeurs.create", {"nom": "Petit", "prenom": "Luc", "password": "Maitre-2026"},
         token)
    teacher = call(api, "auth.login", {"login": "luc.petit", "password": "Maitre-2026"})
    assert "has_recovery_code" not in teacher["user"]
    with pytest.raises(PermissionDenied, match="réservée au directeur"):
        call(api, "auth.regenerate_recovery_code", {"password": "Maitre-2026"},
             teacher["session"])
    row = api.db.execute("SELECT recovery_hash FROM utilisateur WHERE login = 'luc.petit'"
                         ).fetchone()
    assert row[0] is None


def test_a_school_from_before_the_code_gets_one_from_mon_compte(api):
    _, token = setup_school(api)
    api.db.execute("UPDATE utilisateur SET recovery_hash = NULL")  # as migrated from format 1
    assert call(api, "auth.whoami", session=token)["has_recovery_code"] is False
    with pytest.raises(UserError, match="code de secours incorrect"):
        reset(api, "AAAA-BBBB-CCCC-DDDD")
    code = call(api, "auth.regenerate_recovery_code", {"password": "Directrice-2026"},
                token)["code_secours"]
    assert call(api, "auth.whoami", session=token)["has_recovery_code"] is True
    assert reset(api, code)["session"]


# -- errors name their field (the interface shows them at the field) -------------------------


@pytest.mark.parametrize("payload, field", [
    ({**SETUP, "nom": " "}, "ecole"),
    ({**SETUP, "uai": "123"}, "uai"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "nom": ""}}, "nom"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "prenom": "x" * 61}}, "prenom"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "login": "Sophie Durand"}}, "login"),
    ({**SETUP, "directeur": {**SETUP["directeur"], "password": "court"}}, "password"),
])
def test_setup_errors_name_their_field(api, payload, field):
    with pytest.raises(UserError) as err:
        call(api, "app.setup", payload)
    assert err.value.details.get("field") == field


def test_password_and_code_errors_name_their_field(api):
    created, token = setup_school(api)
    cases = [
        ("auth.change_password", {"old_password": "faux", "new_password": "Change-2027"},
         token, "old_password"),
        ("auth.change_password", {"old_password": "Directrice-2026", "new_password": "x"},
         token, "password"),
        ("auth.regenerate_recovery_code", {"password": "faux"}, token, "old_password"),
        ("auth.reset_with_code", {"login": "sophie.durand", "code": "AAAA-BBBB-CCCC-DDDD",
                                  "new_password": "Nouveau-2026"}, None, "code"),
        ("auth.reset_with_code", {"login": "inconnu", "code": created["code_secours"],
                                  "new_password": "Nouveau-2026"}, None, "code"),
        ("professeurs.create", {"nom": "Petit", "prenom": "Luc", "login": "sophie.durand"},
         token, "login"),
    ]
    for command, payload, session, field in cases:
        with pytest.raises(UserError) as err:
            call(api, command, payload, session)
        assert err.value.details.get("field") == field, command
