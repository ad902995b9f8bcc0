"""The school's last change, and describing a school file before it replaces the current one."""

from pathlib import Path

import pytest
from helpers import SchoolBuilder, call

from cartable.accounts import passwords
from cartable.api import Api
from cartable.errors import PermissionDenied, UserError
from cartable.school import file_info

SETUP = {"nom": "École Jules Ferry", "uai": "0441234c",
         "directeur": {"nom": "Martin", "prenom": "Paul", "password": "directeur1"}}
OTHER = {"nom": "École Louise Michel", "uai": "0449999e",
         "directeur": {"nom": "Durand", "prenom": "Sophie", "password": "directrice1"}}


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch):
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)


def make(tmp_path: Path, name: str, setup=SETUP) -> tuple[Api, str]:
    api = Api(str(tmp_path / name))
    call(api, "app.setup", setup)
    login = call(api, "app.status")["school"] and (
        "pau.martin" if setup is SETUP else "sop.durand")
    token = call(api, "auth.login", {"login": login,
                                     "password": setup["directeur"]["password"]})["session"]
    return api, token


def stamp(api) -> str | None:
    return api.db.execute("SELECT value FROM meta WHERE key = 'derniere_modification'").fetchone()


def set_stamp(api, value: str) -> None:
    api.db.execute("UPDATE meta SET value = ? WHERE key = 'derniere_modification'", (value,))


def test_every_change_records_the_last_change_and_reads_do_not(tmp_path):
    api, token = make(tmp_path, "a.sqlite3")
    assert stamp(api) is not None
    set_stamp(api, "2020-01-01T08:00:00")
    call(api, "app.status")
    call(api, "niveaux.list", {}, token)
    with pytest.raises(UserError):  # a wrong password is no change of the school
        call(api, "auth.login", {"login": "pau.martin", "password": "mauvais-mdp"})
    assert stamp(api)[0] == "2020-01-01T08:00:00"
    call(api, "school.update", {"nom": "École Jules Ferry II"}, token)
    assert stamp(api)[0] > "2020-01-01T08:00:00"
    api.close()


def test_same_school_older_file_names_both_and_warns(tmp_path):
    api, token = make(tmp_path, "a.sqlite3")
    set_stamp(api, "2026-03-01T10:15:00")
    old = Path(api.path).read_bytes()
    call(api, "school.update", {"nom": "École Jules Ferry", "uai": "0441234c"}, token)
    set_stamp(api, "2026-03-02T16:40:00")
    reply = call(api, "school.describe_file", {"data": old}, token)
    assert reply["fichier"]["nom"] == reply["actuelle"]["nom"] == "École Jules Ferry"
    assert reply["fichier"]["derniere_modification"] == "2026-03-01T10:15:00"
    assert reply["actuelle"]["derniere_modification"] == "2026-03-02T16:40:00"
    assert reply["plus_ancien"] is True and reply["autre_ecole"] is False
    text = reply["confirmation"]
    assert "01/03/2026 à 10 h 15" in text and "02/03/2026 à 16 h 40" in text
    assert text.count("« École Jules Ferry » (UAI 0441234C)") == 2
    assert "plus ancien" in text
    api.close()


def test_another_school_is_named_as_such(tmp_path):
    api, token = make(tmp_path, "a.sqlite3")
    other, _ = make(tmp_path, "b.sqlite3", OTHER)
    data = Path(other.path).read_bytes()
    reply = call(api, "school.describe_file", {"data": data}, token)
    assert reply["autre_ecole"] is True
    assert "« École Louise Michel » (UAI 0449999E)" in reply["confirmation"]
    assert "« École Jules Ferry » (UAI 0441234C)" in reply["confirmation"]
    assert "pas la même école" in reply["confirmation"]
    assert reply["fichier"]["eleves"] == 0 and reply["fichier"]["validations"] == 0
    api.close()
    other.close()


def test_empty_browser_still_shows_what_the_file_holds_and_asks(tmp_path):
    """A moved folder (empty storage): no school would be replaced, but the director must see
    which school and which date she is opening (no login needed: no director yet)."""
    source, _ = make(tmp_path, "a.sqlite3")
    set_stamp(source, "2026-12-01T20:14:00")
    data = Path(source.path).read_bytes()
    empty = Api(str(tmp_path / "vide.sqlite3"))
    reply = call(empty, "school.describe_file",
                 {"data": data, "nom_fichier": "ecole-cartable-2026-12-01-20h14(1).sqlite3"})
    assert reply["actuelle"]["vide"] is True
    assert reply["fichier"]["nom"] == "École Jules Ferry"
    assert reply["titre"] == "Ouvrir ce fichier d'école ?"
    assert reply["contenu"] == ["Fichier : ecole-cartable-2026-12-01-20h14(1).sqlite3",
                                "École : École Jules Ferry", "UAI : 0441234C",
                                "Dernière modification : le 01/12/2026 à 20 h 14",
                                "Élèves : 0 élève", "Décisions (items et compétences) : 0 décision",
                                "Bilans : 0 bilan"]
    assert reply["confirmation"].startswith(
        "Le fichier « ecole-cartable-2026-12-01-20h14(1).sqlite3 » contient l'école "
        "« École Jules Ferry » (UAI 0441234C), dernière modification le 01/12/2026 à 20 h 14")
    assert reply["confirmation"].endswith("Ouvrir cette école dans ce navigateur ?")
    source.close()
    empty.close()


def test_bad_inputs_change_nothing(tmp_path):
    """Tried: no data, a text, random bytes, a truncated school file; a teacher; nobody."""
    api, token = make(tmp_path, "a.sqlite3")
    before = Path(api.path).read_bytes()
    good = before
    for payload, message in [({}, "Aucun fichier reçu"), ({"data": "abc"}, "Aucun fichier reçu"),
                             ({"data": b"\x00" * 4096}, "pas un fichier d.école Cartable"),
                             ({"data": good[: len(good) // 2]}, "endommagé")]:
        with pytest.raises(UserError, match=message):
            call(api, "school.describe_file", payload, token)
    with pytest.raises(PermissionDenied):
        call(api, "school.describe_file", {"data": good})  # not logged in, a director exists
    assert Path(api.path).read_bytes() == before
    api.close()


def test_describe_counts(tmp_path):
    api, _ = make(tmp_path, "a.sqlite3")
    info = file_info.describe(api.db)
    assert info == {"nom": "École Jules Ferry", "uai": "0441234C",
                    "derniere_modification": info["derniere_modification"],
                    "dernier_enregistrement": None, "eleves": 0, "classes": 0,
                    "professeurs": 0, "validations": 0, "bilans": 0, "vide": False}
    api.close()


def test_file_texts_are_french_and_public(tmp_path):
    api = Api(str(tmp_path / "vide.sqlite3"))
    texts = call(api, "school.saving_texts")
    api.close()
    assert texts["rappel_modifications"] == 20
    assert "Firefox" in texts["firefox"] and "emplacement" in texts["firefox"]
    assert texts["auto_reprendre"].format(nom="ecole.sqlite3") == \
        "Reprendre l'enregistrement automatique dans ecole.sqlite3"
    assert texts["deconnexion_titre"] == "Le fichier de l'école n'est pas à jour"
    assert texts["phrase_aide"].startswith("Au moins 12 caractères")


def test_opening_a_file_keeps_its_own_last_change(tmp_path):
    """Through the worker's bridge: the opened file is not stamped with the time it was opened."""
    import asyncio
    import base64
    import json
    from concurrent.futures import ThreadPoolExecutor

    from cartable import bridge

    source, _ = make(tmp_path, "source.sqlite3")
    set_stamp(source, "2026-02-03T09:30:00")
    old = Path(source.path).read_bytes()
    source.close()

    def scenario():
        def call_(command, payload=None):
            return json.loads(asyncio.run(bridge.call(command, json.dumps(payload or {}))))

        bridge.open(str(tmp_path / "navigateur.sqlite3"))
        call_("app.setup", SETUP)
        call_("auth.login", {"login": "pau.martin", "password": "directeur1"})
        reply = call_("school.replace_file", {"data": {"__bytes__": base64.b64encode(old).decode()}})
        assert reply["ok"], reply
        call_("auth.login", {"login": "pau.martin", "password": "directeur1"})
        info = call_("school.describe_file", {"data": {"__bytes__": base64.b64encode(old).decode()}})
        bridge.close()
        return info

    with ThreadPoolExecutor(1) as pool:
        info = pool.submit(scenario).result()
    assert info["ok"], info
    assert info["result"]["actuelle"]["derniere_modification"] == "2026-02-03T09:30:00"
    assert info["result"]["plus_ancien"] is False


def test_before_automatic_saving_overwrites_a_file(tmp_path):
    """Tried: an empty file, this school's older and newer copies, another school, a file
    that is not a school file, and a teacher asking."""
    api, token = make(tmp_path, "a.sqlite3")
    set_stamp(api, "2026-05-01T12:00:00")
    mine = Path(api.path).read_bytes()
    older = mine
    set_stamp(api, "2026-05-02T12:00:00")
    newer = Path(api.path).read_bytes()
    set_stamp(api, "2026-05-01T18:00:00")  # the browser's school: between the two copies
    other, _ = make(tmp_path, "b.sqlite3", OTHER)
    other_bytes = Path(other.path).read_bytes()
    other.close()

    def before(data):
        return call(api, "school.describe_file",
                    {"data": bytes(data), "pour_ecrire": True, "nom_fichier": "ecole.sqlite3"},
                    token)

    assert before(b"")["confirmation"] is None
    assert before(older)["confirmation"] is None  # this school's older copy: nothing lost
    late = before(newer)
    assert late["plus_recent"] is True and late["autre_ecole"] is False
    assert "« ecole.sqlite3 » contient l'école « École Jules Ferry » (UAI 0441234C), " \
           "dernière modification le 02/05/2026 à 12 h 00" in late["confirmation"]
    assert "01/05/2026 à 18 h 00" in late["confirmation"] and "plus récent" in late["confirmation"]
    foreign = before(other_bytes)
    assert foreign["autre_ecole"] is True and "pas la même école" in foreign["confirmation"]
    assert "École Louise Michel" in foreign["confirmation"]
    junk = before("ceci n'est pas une école".encode() * 10)
    assert junk["fichier"] is None
    assert "n'est pas un fichier d'école que Cartable peut lire" in junk["confirmation"]
    teacher = add_teacher(api)
    with pytest.raises(PermissionDenied):
        call(api, "school.describe_file", {"data": b"", "pour_ecrire": True}, teacher)
    api.close()


def add_teacher(api):
    SchoolBuilder(api).teacher("mar.dupuis", "professeur1")
    return call(api, "auth.login", {"login": "mar.dupuis", "password": "professeur1"})["session"]
