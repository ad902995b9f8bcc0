"""The printable palier attestation (livret personnel de compétences).

Bad inputs tried: a class that does not exist, a class id that is not a number, a palier the
school does not use, an unknown palier, a teacher asking for another class, a teacher merely
assigned to the class (not professeur principal).
"""

from __future__ import annotations

import pytest
from helpers import SchoolBuilder, call

from cartable.api import Api
from cartable.errors import PermissionDenied, UserError
from cartable.socle2008 import referentiel

C1, C2, C3A = 8, 9, 10


@pytest.fixture
def api(tmp_path):
    """CM2 A (1): ZOLA Emma, MARTIN Léa, BERNARD Hugo, ANCIEN Jules (left); CM2 B (2): PETIT
    Noé. The director Sophie DURAND (Mme); mar.dupuis principal of CM2 A, tho.crespin merely
    assigned to it."""
    a = Api(str(tmp_path / "ecole.sqlite3"))
    build = SchoolBuilder(a).letterhead("École Jules Ferry", "0441234C")
    build.classe("CM2 A", "CM2A", id=1)
    build.classe("CM2 B", "CM2B", id=2)
    for eid, nom, prenom, classe, actif, naissance in (
            (1, "ZOLA", "Emma", 1, 1, "2015-03-02"), (2, "MARTIN", "Léa", 1, 1, ""),
            (3, "BERNARD", "Hugo", 1, 1, ""), (4, "ANCIEN", "Jules", 1, 0, ""),
            (5, "PETIT", "Noé", 2, 1, "")):
        build.eleve(nom, prenom, classe, id=eid, actif=actif, date_naissance=naissance)
    build.director("dir", nom="DURAND", prenom="Sophie", civilite="MME")
    build.assign(build.teacher("mar.dupuis"), 1, principal=True)
    build.assign(build.teacher("tho.crespin", nom="CRESPIN", prenom="Thomas"), 1)
    for eid, competence, etat, day in ((1, C1, 1, "2026-06-12"), (1, C2, 0, "2026-06-12"),
                                       (2, C3A, 1, "2026-05-02"), (4, C1, 1, "2026-01-05"),
                                       (5, C1, 1, "2026-01-05")):
        build.competence(eid, competence, etat, day)
    build.item(3, 1, 1, "2026-06-01")
    yield a
    a.close()


def login(api, who):
    return call(api, "auth.login", {"login": who, "password": "password1"})["session"]


def test_one_page_per_pupil_with_each_competence(api):
    data = call(api, "validation.attestation", {"classe_id": 1, "palier_id": 2}, login(api, "dir"))
    assert data["titre"].startswith("Attestation de maîtrise des connaissances et compétences")
    assert data["ecole"] == {"nom": "École Jules Ferry", "uai": "0441234C"}
    assert data["palier"] == {"id": 2, "nom": "Palier 2 (fin CM2)"}
    assert data["classe"]["nom"] == "CM2 A"
    assert data["signature"] == "La directrice : Sophie DURAND"
    # active pupils only, in the class list's order
    listed = call(api, "eleves.list", {"classe_id": 1}, login(api, "dir"))
    assert [(e["nom"], e["prenom"]) for e in data["eleves"]] == [
        (e["nom"], e["prenom"]) for e in listed]
    assert [e["nom"] for e in data["eleves"]] == ["BERNARD", "MARTIN", "ZOLA"]
    pages = {e["nom"]: e for e in data["eleves"]}
    names = [c.nom for c in referentiel.get().palier(2).competences]
    for page in pages.values():
        assert [c["nom"] for c in page["competences"]] == names
    emma = {c["id"]: c for c in pages["ZOLA"]["competences"]}
    assert emma[C1]["texte"] == "validée le 12/06/2026" and emma[C1]["validee"] is True
    assert emma[C2]["texte"] == "non validée" and emma[C2]["date"] is None  # invalidée
    assert emma[C3A]["texte"] == "non validée"
    assert pages["ZOLA"]["date_naissance"] == "02/03/2015"
    assert pages["ZOLA"]["nb_validees"] == 1
    assert [c["texte"] for c in pages["MARTIN"]["competences"] if c["validee"]] == [
        "validée le 02/05/2026"]
    # validated items do not make a validated compétence
    assert pages["BERNARD"]["nb_validees"] == 0
    assert all(c["texte"] == "non validée" for c in pages["BERNARD"]["competences"])


def test_signature_without_civilite(api):
    api.db.execute("UPDATE utilisateur SET civilite = '' WHERE role = 'directeur'")
    data = call(api, "validation.attestation", {"classe_id": 2, "palier_id": 2}, login(api, "dir"))
    assert data["signature"] == "Le directeur ou la directrice : Sophie DURAND"
    api.db.execute("UPDATE utilisateur SET civilite = 'M' WHERE role = 'directeur'")
    data = call(api, "validation.attestation", {"classe_id": 2, "palier_id": 2}, login(api, "dir"))
    assert data["signature"] == "Le directeur : Sophie DURAND"
    assert [e["nom"] for e in data["eleves"]] == ["PETIT"]


def test_teachers_print_the_classes_they_validate(api):
    teacher = login(api, "mar.dupuis")
    data = call(api, "validation.attestation", {"classe_id": 1, "palier_id": 2}, teacher)
    assert len(data["eleves"]) == 3
    with pytest.raises(PermissionDenied):
        call(api, "validation.attestation", {"classe_id": 2, "palier_id": 2}, teacher)
    assigned = login(api, "tho.crespin")
    with pytest.raises(PermissionDenied):
        call(api, "validation.attestation", {"classe_id": 1, "palier_id": 2}, assigned)
    api.db.execute("INSERT INTO meta VALUES ('professeurs_affectes_valident', '1')")
    assert call(api, "validation.attestation", {"classe_id": 1, "palier_id": 2}, assigned)


@pytest.mark.parametrize("payload, message", [
    ({"classe_id": 99, "palier_id": 2}, "n'existe pas"),
    ({"classe_id": "x", "palier_id": 2}, "Identifiant de classe invalide"),
    ({"classe_id": 1, "palier_id": 1}, "pas utilisé dans l'école"),
    ({"classe_id": 1, "palier_id": 7}, "pas utilisé dans l'école"),
    ({"classe_id": 1}, "Identifiant de palier invalide"),
])
def test_bad_requests(api, payload, message):
    with pytest.raises(UserError, match=message):
        call(api, "validation.attestation", payload, login(api, "dir"))
