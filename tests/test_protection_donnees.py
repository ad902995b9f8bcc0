"""The "Protection des données" page stays true: every personal-data column is described, and
docs/PROTECTION_DONNEES.md is the same text as the app's page."""

from pathlib import Path

import pytest

from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.school import protection_donnees

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_ITERATIONS = 600_000  # accounts.ITERATIONS as shipped (tests/conftest.py lowers it)


@pytest.fixture(autouse=True)
def shipped_iterations(monkeypatch):
    """The page states the shipped hashing cost, whatever the tests' speed-up."""
    monkeypatch.setattr(passwords, "ITERATIONS", SHIPPED_ITERATIONS)


def test_every_column_of_personal_tables_is_described(tmp_path):
    api = Api(str(tmp_path / "ecole.sqlite3"))
    try:
        tables = {r[0] for r in api.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == set(protection_donnees.FIELDS) | set(protection_donnees.SCHOOL_TABLES)
        for table, described in protection_donnees.FIELDS.items():
            columns = {r[1] for r in api.db.execute(f"PRAGMA table_info({table})")}
            assert columns == set(described), (table, columns ^ set(described))
    finally:
        api.close()


def test_the_doc_is_the_page():
    assert (ROOT / "docs" / "PROTECTION_DONNEES.md").read_text(encoding="utf-8") == \
        protection_donnees.render_markdown()


def test_page_command_without_login(tmp_path):
    api = Api(str(tmp_path / "ecole.sqlite3"))
    try:
        page = run(api.handle("protection.texte", {}))
    finally:
        api.close()
    titles = [s["titre"] for s in page["sections"]]
    assert titles == ["Objet", "Données concernées", "Où sont les données",
                      "Qui peut lire les données", "Aucun sous-traitant, aucun transfert",
                      "Durée de conservation", "Comment effacer les données"]
    text = " ".join(" ".join(s["paragraphes"] + s["liste"]) for s in page["sections"])
    for needle in ("date de naissance", "INE", "Firefox", "synthèse écrite du bilan", "Effacer les données de cet ordinateur",
                   "aucune requête", "phrase de passe", "600\u202f000 itérations"):
        assert needle in text, needle


def test_the_free_texts_about_pupils_are_all_named():
    """Every text a teacher writes about a pupil is named where the page lists them, and the
    PPRE's complement (a text, sent to LSU) is not hidden behind « seul le nom du dispositif »."""
    donnees = next(s for s in protection_donnees.sections() if s["titre"] == "Données concernées")
    intro = donnees["paragraphes"][0]
    for text in ("synthèse du bilan de fin de cycle 2", "les appréciations (par domaine et générale)",
                 "commentaires des parcours", "complément du PPRE"):
        assert text in intro, text
    assert "jamais le contenu du projet." not in intro
