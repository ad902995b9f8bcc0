"""Access control in the core, through the API with real sessions, on a realistic school.

The school (built once, copied for each test): the 143 pupils of the fixture extraction, the
4 024 decisions of the reference SACoche file, a director and four teachers:

- DUPUIS Marie: professeur principal of "CM2 B", merely assigned to "[CM2] CM1-CM2";
- DURAND Pierre: professeur principal of "[CM2] CM1-CM2";
- LEROY Anne: generated password, never changed (must_change_password);
- PETIT Luc: deactivated.

Every refusal is checked to leave the database file byte-for-byte unchanged.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import FAST, call, patch_clock

from cartable import api, bridge
from cartable.accounts import passwords as accounts_passwords
from cartable.accounts import signin
from cartable.api import Api, run
from cartable.errors import PermissionDenied, UserError

HERE = Path(__file__).parent
CSV = (HERE / "fixtures/base_eleves/CSVExtraction.csv").read_bytes()
SACOCHE_ZIP = (HERE / "fixtures/sacoche/import-sacoche_0_2012-06-15_10-30-00_1804289383.zip"
               ).read_bytes()
NOW = datetime.datetime(2024, 6, 20, 16, 5, 9)

DIRECTOR = {"login": "pau.martin", "password": "Directeur-2024"}
MARIE = {"login": "mar.dupuis", "password": "Maitresse-2024"}
PIERRE = {"login": "pie.durand", "password": "Maitre-CM1-CM2"}
LUC = {"login": "luc.petit", "password": "Remplacant-2024"}


@pytest.fixture
def clock(clock):
    return clock.set(NOW)


def digest(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.fixture(scope="module")
def base_school(tmp_path_factory):
    path = tmp_path_factory.mktemp("school") / "ecole.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts_passwords, "ITERATIONS", FAST)
        patch_clock(mp, NOW)
        a = Api(str(path))
        call(a, "app.setup", {"nom": "École Jules Ferry", "directeur": {
            "nom": "Martin", "prenom": "Paul", "password": DIRECTOR["password"]}})
        d = call(a, "auth.login", DIRECTOR)["session"]
        call(a, "base_eleves.apply", {"data": CSV}, d)
        call(a, "sacoche.import", {"data": SACOCHE_ZIP}, d)
        classes = {c["nom"]: c["id"] for c in call(a, "classes.list", {}, d)}
        ids = {}
        for who, nom, prenom in ((MARIE, "Dupuis", "Marie"), (PIERRE, "Durand", "Pierre"),
                                 (LUC, "Petit", "Luc")):
            ids[who["login"]] = call(a, "professeurs.create", {
                "nom": nom, "prenom": prenom, "password": who["password"]}, d)["id"]
        anne = call(a, "professeurs.create", {"nom": "Leroy", "prenom": "Anne"}, d)
        ids["ann.leroy"] = anne["id"]
        marie, pierre = ids[MARIE["login"]], ids[PIERRE["login"]]
        for prof, classe in ((marie, "CM2 B"), (pierre, "[CM2] CM1-CM2")):
            call(a, "affectations.set",
                 {"professeur_id": prof, "classe_id": classes[classe], "affecte": True}, d)
        call(a, "affectations.set_principal",
             {"classe_id": classes["CM2 B"], "professeur_id": marie}, d)
        call(a, "affectations.set_principal",
             {"classe_id": classes["[CM2] CM1-CM2"], "professeur_id": pierre}, d)
        call(a, "affectations.set",
             {"professeur_id": marie, "classe_id": classes["[CM2] CM1-CM2"], "affecte": True}, d)
        call(a, "professeurs.set_actif", {"id": ids[LUC["login"]], "actif": False}, d)
        a.close()
    return {"path": path, "classes": classes, "ids": ids, "anne": anne}


@pytest.fixture
def school(base_school, tmp_path, clock):
    """A fresh copy of the school, opened; ``s.director``/``s.marie`` are logged-in tokens."""
    path = tmp_path / "ecole.sqlite3"
    shutil.copyfile(base_school["path"], path)
    a = Api(str(path))
    a.classes = base_school["classes"]
    a.ids = base_school["ids"]
    a.anne = base_school["anne"]
    a.director = call(a, "auth.login", DIRECTOR)["session"]
    a.marie = call(a, "auth.login", MARIE)["session"]
    yield a
    a.close()


def pupils_of(a, classe: str) -> list[int]:
    return [e["id"] for e in call(a, "eleves.list", {"classe_id": a.classes[classe]}, a.director)]


def grid_payload(a, classe: str, competence_id=9) -> dict:
    return {"palier_id": 2, "classe_id": a.classes[classe], "eleve_ids": pupils_of(a, classe),
            "competence_id": competence_id}


def refused(a, command, payload, session, error=PermissionDenied, match=None) -> str:
    """The command is refused with ``error`` and the database file is unchanged."""
    before = digest(a.path)
    with pytest.raises(error, match=match) as exc:
        call(a, command, payload, session)
    assert digest(a.path) == before, f"{command} changed the database while refusing"
    return str(exc.value)


# -- classes: a teacher acts only on his or her classes ------------------------------------


def test_teacher_validates_her_class_and_no_other(school):
    grid = call(school, "validation.grid", grid_payload(school, "CM2 B"), school.marie)
    assert grid["classe"]["nom"] == "CM2 B"
    for other in ("[CM2] CM1-CM2", "CP A", "[CM1] CM1-CM2"):  # assigned-only, then unrelated
        msg = refused(school, "validation.grid", grid_payload(school, other), school.marie)
        assert "professeur principal" in msg
    # ... also for the compétences grid
    payload = {**grid_payload(school, "CP A"), "competence_id": None}
    refused(school, "validation.grid", payload, school.marie)


def test_teacher_cannot_slip_pupils_of_another_class_into_her_grid(school):
    payload = grid_payload(school, "CM2 B")
    payload["eleve_ids"] = payload["eleve_ids"][:3] + pupils_of(school, "[CM2] CM1-CM2")[:1]
    refused(school, "validation.grid", payload, school.marie, error=UserError,
            match="n'est pas \\(ou plus\\) dans cette classe")


def test_click_and_save_recheck_the_class(school):
    call(school, "validation.grid", grid_payload(school, "CM2 B"), school.marie)
    row = call(school, "validation.draft", {}, school.marie)
    assert row["classe_id"] == school.classes["CM2 B"]
    grid = call(school, "validation.grid", grid_payload(school, "CM2 B"), school.marie)
    target = {"kind": "row", "row_id": grid["domaines"][0]["rows"][0]["id"]}
    call(school, "validation.click", {"target": target}, school.marie)
    # The director gives the class to someone else while the grid is open.
    call(school, "affectations.set", {"professeur_id": school.ids[PIERRE["login"]],
                                      "classe_id": school.classes["CM2 B"], "affecte": True},
         school.director)
    call(school, "affectations.set_principal",
         {"classe_id": school.classes["CM2 B"], "professeur_id": school.ids[PIERRE["login"]]},
         school.director)
    refused(school, "validation.click", {"target": target}, school.marie)
    refused(school, "validation.save", {}, school.marie)


def test_restoring_a_draft_of_another_class_is_refused(school):
    draft = {"version": 1, "level": "items", "palier_id": 2,
             "classe_id": school.classes["[CM2] CM1-CM2"], "competence_id": 9,
             "eleve_ids": pupils_of(school, "[CM2] CM1-CM2"), "cells": {}, "arrows": {}}
    refused(school, "validation.restore_draft", {"draft": draft}, school.marie)


def test_assigned_teachers_validate_only_when_the_director_allows_it(school):
    refused(school, "validation.grid", grid_payload(school, "[CM2] CM1-CM2"), school.marie)
    call(school, "settings.set", {"professeurs_affectes_valident": True}, school.director)
    grid = call(school, "validation.grid", grid_payload(school, "[CM2] CM1-CM2"), school.marie)
    assert grid["classe"]["nom"] == "[CM2] CM1-CM2"
    refused(school, "validation.grid", grid_payload(school, "CP A"), school.marie)


def test_teacher_sees_pupils_of_her_classes_only(school):
    for mine in ("CM2 B", "[CM2] CM1-CM2"):  # principal, assigned
        listed = call(school, "eleves.list", {"classe_id": school.classes[mine]}, school.marie)
        assert listed and {"id", "nom", "prenom"} <= set(listed[0])
    for other in ("CP A", "[CM1] CM1-CM2", "CE1 B"):
        msg = refused(school, "eleves.list", {"classe_id": school.classes[other]}, school.marie)
        assert "ne vous est pas attribuée" in msg
    choices = call(school, "validation.choices", {}, school.marie)
    assert [c["nom"] for c in choices["classes"]] == ["CM2 B"]
    classes = call(school, "classes.list", {}, school.marie)
    assert [c["nom"] for c in classes if c["peut_valider"]] == ["CM2 B"]
    assert all("eleves" not in c for c in classes)  # counts only, no pupil names


# -- the SACoche export: a teacher exports her own classes ---------------------------------


def exported_pupils(a, reply) -> set[tuple[str, str]]:
    import zipfile
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(io.BytesIO(reply["data"])) as zf:
        root = ET.fromstring(zf.read("import_validations.xml"))
    return {(e.get("nom"), e.get("prenom")) for e in root.iter("eleve")}


def names_of(a, classe: str) -> set[tuple[str, str]]:
    return {(e["nom"].upper(), e["prenom"]) for e in
            call(a, "eleves.list", {"classe_id": a.classes[classe]}, a.director)}


def test_teacher_exports_the_classes_she_validates_and_no_other(school):
    """Tried: the whole school, her niveau, another class by id, a niveau she has no class of,
    an assigned-only class before and after the director allows assigned teachers."""
    cm2b = names_of(school, "CM2 B")
    mine = call(school, "sacoche.export", {}, school.marie)
    assert exported_pupils(school, mine) == cm2b and mine["nb_eleves"] == 26
    by_niveau = call(school, "sacoche.export", {"niveau": "CM2"}, school.marie)
    assert exported_pupils(school, by_niveau) == cm2b
    by_id = call(school, "sacoche.export", {"classe_ids": [school.classes["CM2 B"]]},
                 school.marie)
    assert exported_pupils(school, by_id) == cm2b
    for other in ("[CM2] CM1-CM2", "CP A"):
        msg = refused(school, "sacoche.export", {"classe_ids": [school.classes[other]]},
                      school.marie)
        assert msg.startswith("Vous ne pouvez exporter que les classes dont vous validez")
    refused(school, "sacoche.export", {"niveau": "CP"}, school.marie, error=UserError,
            match="Aucune classe de niveau CP parmi vos classes")
    call(school, "settings.set", {"professeurs_affectes_valident": True}, school.director)
    both = call(school, "sacoche.export", {}, school.marie)
    assert exported_pupils(school, both) == cm2b | names_of(school, "[CM2] CM1-CM2")
    assert both["nb_eleves"] == 42
    # The director still exports any regroupement.
    assert call(school, "sacoche.export", {}, school.director)["nb_eleves"] == 42


def test_teacher_without_a_class_has_nothing_to_export(school):
    bob = call(school, "professeurs.create", {"nom": "Sans", "prenom": "Classe",
                                              "password": "Sans-Classe-2024"}, school.director)
    token = call(school, "auth.login", {"login": bob["login"],
                                        "password": "Sans-Classe-2024"})["session"]
    msg = refused(school, "sacoche.export", {}, token)
    assert msg.startswith("Vous ne validez pour aucune classe : il n'y a rien à exporter.")


def test_the_director_imports_the_file_a_teacher_exported(school):
    """Two computers: the teacher's export brings her decisions back into the director's
    school, unchanged; the teacher herself cannot import."""
    exported = call(school, "sacoche.export", {}, school.marie)
    refused(school, "sacoche.import", {"data": exported["data"]}, school.marie)
    cm2b = pupils_of(school, "CM2 B")
    marks = ",".join("?" * len(cm2b))

    def decisions():
        return sorted(tuple(r) for r in school.db.execute(
            f"SELECT eleve_id, item_id, etat, date, info FROM validation_item "
            f"WHERE eleve_id IN ({marks}) UNION ALL SELECT eleve_id, -competence_id, etat, date, "
            f"info FROM validation_competence WHERE eleve_id IN ({marks})", cm2b + cm2b))

    before = decisions()
    assert len(before) > 2000
    for table in ("validation_item", "validation_competence"):
        school.db.execute(f"DELETE FROM {table} WHERE eleve_id IN ({marks})", cm2b)
    reply = call(school, "sacoche.import", {"data": exported["data"]}, school.director)
    assert reply["nb_modifies"] == 26 and reply["nb_ignores"] == 0
    assert decisions() == before


def test_teacher_exports_lsu_for_her_classes_only(school):
    """The LSU export is open to teachers as SACoche's is (more in tests/test_lsu_teacher.py)."""
    assert call(school, "lsu.classes", {}, school.marie) == []  # CM2 B: no CE2, no bilan
    pre = call(school, "lsu.preflight", {}, school.marie)
    assert {e["classe"] for e in pre["eleves"]} <= {"CM2 B"}
    others = [n for n in school.classes if n != "CM2 B"]
    for other in others:
        msg = refused(school, "lsu.preflight", {"classe_ids": [school.classes[other]]},
                      school.marie)
        assert "Vous ne pouvez exporter vers LSU que les bilans de vos classes" in msg


# -- director-only commands ------------------------------------------------------------------

# A plausible payload for every director-only command: refused before looking at it.
DIRECTOR_PAYLOADS = {
    "school.overview": {},
    "school.saving_state": {},
    "affectations.list": {},
    "affectations.set": {"professeur_id": 2, "classe_id": 1, "affecte": True},
    "affectations.set_principal": {"classe_id": 1, "professeur_id": None},
    "auth.regenerate_recovery_code": {"password": MARIE["password"]},
    "base_eleves.read": {"data": CSV},
    "base_eleves.plan": {"data": CSV},
    "base_eleves.apply": {"data": CSV.replace(b'"CM2";"CM2 B"', b'"CM1";"CM1 B"', 1)},
    "niveaux.set": {"actifs": ["GS", "CP", "CE1", "CE2", "CM1", "CM2"]},
    "paliers.set": {"actifs": [1, 2]},
    "professeurs.create": {"nom": "Intrus", "prenom": "Ivan", "password": "Intrus-2024"},
    "professeurs.delete": {"id": 2},
    "professeurs.list": {},
    "professeurs.reset_password": {"id": 2, "password": "Nouveau-2024"},
    "professeurs.set_actif": {"id": 2, "actif": False},
    "professeurs.update": {"id": 2, "nom": "Autre", "prenom": "Nom"},
    "sacoche.import": {"data": SACOCHE_ZIP},
    "sacoche.preview": {"data": SACOCHE_ZIP},
    "school.check_passphrase": {"passphrase": "une phrase assez longue"},
    "school.update": {"nom": "Autre école"},
    "settings.get": {},
    "settings.set": {"professeurs_affectes_valident": True},
    "school.identity": {},
    "school.set_identity": {"uai": "0441234C", "directeur": {"civilite": "M"}},
    "lsu.preview": {"data": b"<lsun-bilans/>"},
    "lsu.import": {"data": b"<lsun-bilans/>"},
    "periodes.set": {"periodes": [["2025-09-01", "2026-01-30"], ["2026-02-02", "2026-07-04"]]},
}


def test_every_director_command_is_listed_here():
    api._load_commands()
    assert {n for n, c in api.COMMANDS.items() if c.role == "directeur"} == set(DIRECTOR_PAYLOADS)


@pytest.mark.parametrize("command", sorted(DIRECTOR_PAYLOADS))
def test_teacher_cannot_call_director_commands(school, command):
    msg = refused(school, command, DIRECTOR_PAYLOADS[command], school.marie)
    assert msg == "Cette action est réservée au directeur ou à la directrice."


def test_the_same_payloads_work_for_the_director(school):
    """So that the refusals above are about the caller, not about the payloads."""
    payloads = {**DIRECTOR_PAYLOADS,
                "auth.regenerate_recovery_code": {"password": DIRECTOR["password"]}}
    for command in ("professeurs.create", "niveaux.set", "base_eleves.apply",
                    "affectations.set", "auth.regenerate_recovery_code"):
        before = digest(school.path)
        call(school, command, payloads[command], school.director)
        assert digest(school.path) != before, command


def test_teacher_cannot_save_or_replace_the_school_file_through_the_bridge(school):
    school.close()
    bridge.open(school.path)
    try:
        before = digest(school.path)
        assert json.loads(run(bridge.call("auth.login", json.dumps(MARIE))))["ok"]
        reply = json.loads(run(bridge.call("school.file_bytes", "{}")))
        assert reply == {"ok": False, "error": "Seul le directeur ou la directrice peut "
                                               "enregistrer le fichier école."}
        other = base64.b64encode(b"SQLite format 3\x00" + bytes(4080)).decode()
        reply = json.loads(run(bridge.call("school.replace_file",
                                           json.dumps({"data": {"__bytes__": other}}))))
        assert reply["ok"] is False and "Seul le directeur" in reply["error"]
        assert digest(school.path) == before
    finally:
        bridge.close()
        school.db = sqlite3.connect(school.path)  # for the fixture's close()


def test_setup_cannot_be_run_again_to_create_another_director(school):
    payload = {"nom": "École pirate", "directeur": {"nom": "Pirate", "prenom": "Paul",
                                                     "password": "Pirate-2024"}}
    refused(school, "app.setup", payload, None, error=UserError, match="déjà créée")
    with pytest.raises(UserError):
        call(school, "auth.login", {"login": "pau.pirate", "password": "Pirate-2024"})


# -- logging in --------------------------------------------------------------------------------


def test_deactivated_account_cannot_log_in(school):
    msg = refused(school, "auth.login", LUC, None, error=UserError)
    assert "désactivé" in msg
    # A wrong password does not reveal that the account exists and is deactivated.
    with pytest.raises(UserError) as exc:
        call(school, "auth.login", {**LUC, "password": "pas-le-bon"})
    assert str(exc.value) == signin.BAD_CREDENTIALS


def test_deactivating_closes_open_sessions(school):
    assert call(school, "auth.whoami", {}, school.marie)["login"] == MARIE["login"]
    call(school, "professeurs.set_actif", {"id": school.ids[MARIE["login"]], "actif": False},
         school.director)
    with pytest.raises(UserError, match="session a expiré"):
        call(school, "classes.list", {}, school.marie)
    with pytest.raises(UserError, match="désactivé"):
        call(school, "auth.login", MARIE)


def test_wrong_passwords_are_throttled(school, clock):
    wrong = {**MARIE, "password": "devinette"}
    for _ in range(signin.MAX_FAILURES - 1):
        with pytest.raises(UserError) as exc:
            call(school, "auth.login", wrong)
        assert str(exc.value) == signin.BAD_CREDENTIALS
    with pytest.raises(UserError, match="Trop d'essais") as exc:
        call(school, "auth.login", wrong)
    assert "16:05:39" in str(exc.value) and "30 secondes" in str(exc.value)
    # Locked: even the right password is refused, and reloading the page does not help.
    with pytest.raises(UserError, match="Trop d'essais"):
        call(school, "auth.login", MARIE)
    reloaded = Api(school.path)
    try:
        with pytest.raises(UserError, match="Trop d'essais"):
            call(reloaded, "auth.login", MARIE)
    finally:
        reloaded.close()
    # The lock doubles on the next failure once it has expired.
    clock.advance(31)
    with pytest.raises(UserError, match="dans 60 secondes"):
        call(school, "auth.login", wrong)
    clock.advance(61)
    assert call(school, "auth.login", MARIE)["user"]["login"] == MARIE["login"]
    row = school.db.execute("SELECT failed_logins, locked_until FROM utilisateur WHERE login = ?",
                            (MARIE["login"],)).fetchone()
    assert tuple(row) == (0, None)


def test_the_directors_account_is_throttled_too(school):
    for _ in range(signin.MAX_FAILURES):
        with pytest.raises(UserError):
            call(school, "auth.login", {**DIRECTOR, "password": "0000"})
    with pytest.raises(UserError, match="Trop d'essais"):
        call(school, "auth.login", DIRECTOR)


def test_unknown_login_gets_the_same_answer_as_a_wrong_password(school):
    answers = set()
    for payload in ({"login": "per.sonne", "password": "x" * 10}, {**MARIE, "password": "x"}):
        with pytest.raises(UserError) as exc:
            call(school, "auth.login", payload)
        answers.add(str(exc.value))
    assert answers == {signin.BAD_CREDENTIALS}


# -- sessions -------------------------------------------------------------------------------


def test_tokens_are_bound_to_their_api_and_to_logout(school):
    other = Api(school.path)  # e.g. another tab, or the page reloaded
    try:
        with pytest.raises(UserError, match="session a expiré"):
            call(other, "classes.list", {}, school.marie)
        with pytest.raises(UserError, match="session a expiré"):
            call(other, "professeurs.list", {}, school.director)
    finally:
        other.close()
    for fake in ("", "x", school.marie + "x", "null"):
        with pytest.raises(UserError, match="session a expiré"):
            call(school, "classes.list", {}, fake)
    with pytest.raises(UserError, match="Connectez-vous"):
        call(school, "classes.list", {}, None)
    call(school, "auth.logout", {}, school.marie)
    with pytest.raises(UserError, match="session a expiré"):
        call(school, "eleves.list", {"classe_id": school.classes["CM2 B"]}, school.marie)


def test_session_objects_must_be_issued_and_alive(school):
    from cartable.api import Session

    made_up = Session(1, "directeur", "direction", "DUPUIS", "Marie")
    with pytest.raises(UserError, match="session a expiré"):
        call(school, "professeurs.list", {}, made_up)
    live = school.sessions[school.marie]
    assert call(school, "classes.list", {}, live)  # the object itself works while logged in
    call(school, "auth.logout", {}, school.marie)
    with pytest.raises(UserError, match="session a expiré"):
        call(school, "classes.list", {}, live)


def test_reset_password_closes_the_teachers_sessions(school):
    call(school, "professeurs.reset_password", {"id": school.ids[MARIE["login"]]},
         school.director)
    with pytest.raises(UserError, match="session a expiré"):
        call(school, "classes.list", {}, school.marie)
    with pytest.raises(UserError):
        call(school, "auth.login", MARIE)  # the old password is gone


def test_change_password_closes_the_other_sessions(school):
    second = call(school, "auth.login", MARIE)["session"]
    call(school, "auth.change_password", {"old_password": MARIE["password"],
                                          "new_password": "Nouveau-Mot-2"}, second)
    with pytest.raises(UserError, match="session a expiré"):
        call(school, "classes.list", {}, school.marie)
    assert call(school, "classes.list", {}, second)


# -- first login: only the password change is possible -------------------------------------

ALLOWED = api.ALLOWED_BEFORE_ACTIVATION


def _non_public_commands() -> list[str]:
    api._load_commands()
    return sorted(n for n, c in api.COMMANDS.items() if c.role != "public" and n not in ALLOWED)


@pytest.mark.parametrize("command", _non_public_commands())
def test_generated_password_must_be_changed_before_anything_else(school, command):
    token = call(school, "auth.login", {"login": school.anne["login"],
                                        "password": school.anne["password"]})["session"]
    payload = DIRECTOR_PAYLOADS.get(command, {"classe_id": school.classes["CM2 B"]})
    msg = refused(school, command, payload, token, error=UserError)
    assert msg.startswith("Choisissez d'abord un nouveau mot de passe")


def test_activation_then_normal_rights(school):
    anne = {"login": school.anne["login"], "password": school.anne["password"]}
    token = call(school, "auth.login", anne)["session"]
    assert call(school, "auth.whoami", {}, token)["must_change_password"] is True
    assert call(school, "app.status", {}, token)["user"]["login"] == anne["login"]
    refused(school, "auth.change_password", {"old_password": "pas-le-bon",
                                             "new_password": "Anne-Leroy-2024"}, token,
            error=UserError, match="ancien mot de passe est incorrect")
    # Logging in again does not skip the activation.
    again = call(school, "auth.login", anne)["session"]
    refused(school, "classes.list", {}, again, error=UserError, match="Choisissez d'abord")
    call(school, "auth.change_password", {"old_password": anne["password"],
                                          "new_password": "Anne-Leroy-2024"}, token)
    assert call(school, "classes.list", {}, token)
    # Still a teacher: no class of her own, no director command.
    refused(school, "validation.grid", grid_payload(school, "CM2 B"), token)
    refused(school, "professeurs.list", {}, token)


# -- passwords are never stored, returned or logged in clear --------------------------------


def _scenario(a) -> tuple[list[tuple[str, str]], list[str]]:
    """The director creates and resets accounts, teachers log in and change passwords.
    Returns ([(command, result as JSON)], [every clear password used])."""
    results: list[tuple[str, str]] = []
    passwords = [DIRECTOR["password"], MARIE["password"], PIERRE["password"]]

    def do(command, payload=None, session=None):
        result = call(a, command, payload, session)
        results.append((command, json.dumps(result, ensure_ascii=False, default=str)))
        return result

    d = do("auth.login", DIRECTOR)["session"]
    typed = do("professeurs.create", {"nom": "Bernard", "prenom": "Julie",
                                      "password": "Julie-Bernard-7"}, d)
    generated = do("professeurs.create", {"nom": "Roux", "prenom": "Hugo"}, d)
    reset = do("professeurs.reset_password", {"id": typed["id"]}, d)
    do("professeurs.reset_password", {"id": generated["id"],
                                      "password": "Hugo-Roux-2024"}, d)
    passwords += ["Julie-Bernard-7", generated["password"], reset["password"], "Hugo-Roux-2024"]
    t = do("auth.login", {"login": typed["login"], "password": reset["password"]})["session"]
    do("auth.change_password", {"old_password": reset["password"],
                                "new_password": "Julie-Change-8"}, t)
    passwords.append("Julie-Change-8")
    do("auth.whoami", {}, t)
    do("app.status", {}, t)
    m = do("auth.login", MARIE)["session"]
    do("classes.list", {}, m)
    do("professeurs.list", {}, d)
    do("professeurs.update", {"id": typed["id"], "nom": "Bernard", "prenom": "Julie"}, d)
    do("professeurs.set_actif", {"id": generated["id"], "actif": True}, d)
    do("affectations.list", {}, d)
    do("app.status", {}, d)
    do("auth.whoami", {}, d)
    for wrong in ("Julie-Change-8x", reset["password"]):
        with pytest.raises(UserError) as exc:
            call(a, "auth.login", {"login": typed["login"], "password": wrong})
        results.append(("auth.login (refusé)", str(exc.value)))
    with pytest.raises(UserError) as exc:
        call(a, "auth.change_password", {"old_password": "Julie-Change-8",
                                         "new_password": "court"}, t)
    results.append(("auth.change_password (refusé)", str(exc.value)))
    return results, passwords


def test_passwords_appear_only_in_the_results_of_create_and_reset(school):
    results, passwords = _scenario(school)
    for command, text in results:
        for pw in passwords:
            if pw in text:
                assert command in ("professeurs.create", "professeurs.reset_password"), command
        assert "pbkdf2" not in text and "password_hash" not in text and "salt" not in text
    # The one-time credentials: each creation/reset result carries its login and password.
    sheets = [json.loads(t) for c, t in results
              if c in ("professeurs.create", "professeurs.reset_password")]
    assert all(set(s) >= {"login", "password"} for s in sheets) and len(sheets) == 4
    listed = json.loads(dict(results)["professeurs.list"])
    assert all(set(p) == {"id", "civilite", "nom", "prenom", "login", "actif",
                          "must_change_password", "classes"} for p in listed)


def test_no_clear_password_in_the_database_file(school):
    _, passwords = _scenario(school)
    school.close()
    raw = Path(school.path).read_bytes()
    for suffix in ("-journal", "-wal"):
        extra = Path(school.path + suffix)
        if extra.exists():
            raw += extra.read_bytes()
    for pw in passwords:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert pw.encode(encoding) not in raw, pw
    conn = sqlite3.connect(school.path)
    hashes = [r[0] for r in conn.execute("SELECT password_hash FROM utilisateur")]
    conn.close()
    assert hashes and all(h.startswith(f"pbkdf2_sha256${FAST}$") and h.count("$") == 3
                          for h in hashes)
    school.db = sqlite3.connect(school.path)  # for the fixture's close()


def test_no_clear_password_is_logged_or_printed(school, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    try:
        _, passwords = _scenario(school)
        # The browser's path too: the bridge's replies to login and change_password.
        school.close()
        bridge.open(school.path)
        try:
            replies = [run(bridge.call("auth.login", json.dumps(MARIE))),
                       run(bridge.call("auth.change_password", json.dumps(
                           {"old_password": MARIE["password"], "new_password": "Marie-New-9"}))),
                       run(bridge.call("auth.login", json.dumps(
                           {**PIERRE, "password": "mauvais-mot"})))]
        finally:
            bridge.close()
            school.db = sqlite3.connect(school.path)
        passwords.append("Marie-New-9")
    finally:
        root.removeHandler(handler)
    out, err = capsys.readouterr()
    logged = caplog.text + stream.getvalue() + out + err + "".join(replies)
    for pw in passwords + ["mauvais-mot"]:
        assert pw not in logged, pw
