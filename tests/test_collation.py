"""The French name order (MySQL utf8_unicode_ci, primary strength, PAD SPACE), checked against
the facts of the weight table shipped in the package and the orders SACoche produced."""

from __future__ import annotations

import random
import sqlite3
from importlib import resources

import pytest
from helpers import SchoolBuilder

from cartable import collation
from cartable.collation import name_key, primary_key, sort_key


def table_rows() -> dict[int, str]:
    text = resources.files("cartable").joinpath(collation.TABLE_FILE).read_text("utf-8")
    rows = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cp, _, w = line.partition("\t")
            rows[int(cp, 16)] = w
    return rows


def test_weights_are_the_tables_for_every_listed_code_point():
    rows = table_rows()
    assert len(rows) > 1800
    for cp, hexw in rows.items():
        expected = [int(hexw[i:i + 4], 16) for i in range(0, len(hexw), 4)]
        assert collation.weights(chr(cp)) == expected, hex(cp)


@pytest.mark.parametrize("a, b", [
    ("Œ", "OE"), ("œ", "oe"), ("CŒUR", "COEUR"), ("ß", "SS"), ("STRAßE", "STRASSE"),
    ("émile", "EMILE"), ("Ç", "c"), ("ÀÂÄÁÃÅ", "aaaaaa"), ("Ñ", "N"), ("ÿ", "Y"),
    ("MARTIN", "MARTIN   "), ("MARTIN", "martin"),
])
def test_equal_at_primary_strength(a, b):
    assert primary_key(a) == primary_key(b)


@pytest.mark.parametrize("a, b", [
    ("Æ", "AE"), ("Ø", "O"), ("Ł", "L"), ("MARTIN", " MARTIN"), ("A B", "AB"),
])
def test_different_at_primary_strength(a, b):
    assert primary_key(a) != primary_key(b)


def ordered(*names: str) -> bool:
    return [primary_key(n) for n in names] == sorted(primary_key(n) for n in names) and len(
        {primary_key(n) for n in names}) == len(names)


def test_own_letters_sit_between_the_latin_ones():
    assert ordered("A", "AZ", "Æ", "B")  # Æ after every A…, before B
    assert ordered("BAZIN", "BÆR", "BOB")
    assert ordered("O", "OZ", "Ø", "P")
    assert ordered("SORIN", "SØRENSEN", "SP")
    assert ordered("L", "LZ", "Ł", "M")
    assert ordered("COEUR", "COZETTE") and ordered("CŒUR", "COZETTE")


def test_punctuation_before_digits_before_letters():
    assert ordered(" ", "-", ".", "'", "’", "0", "9", "A")
    assert ordered("D ARTAGNAN", "D-ARTAGNAN", "D.ARTAGNAN", "D'ARTAGNAN", "D’ARTAGNAN",
                   "D0", "DA SILVA")
    assert ordered("D’ARTAGNAN", "DA SILVA")  # the example
    assert ordered("LE", "LE BLANC", "LE-BLANC", "LEBLANC")


def test_trailing_spaces_ignored_but_not_leading_or_inner_ones():
    assert primary_key("DUPONT ") == primary_key("DUPONT")
    assert ordered(" DUPONT", "DUPONT")
    assert ordered("DU PONT", "DUPONT")
    # PAD SPACE: the shorter string goes on with spaces, so a control character (lighter
    # than a space) after the common part sorts first, a letter last.
    assert ordered("AB\t", "AB", "AB C", "ABC")
    assert ordered("AB  \tX", "AB", "AB X")  # the TAB weighs less than the padding
    assert primary_key("AB \t") < primary_key("AB ")


def test_ignorable_and_unlisted_characters():
    assert primary_key("A\u0301") == primary_key("A")  # a combining accent is ignorable
    assert primary_key("AB\x00") == primary_key("AB")
    han = "中"  # not in the table: UCA's implicit weight, after every listed letter
    assert ordered("Z", "Ω", han)


def test_name_key_orders_by_nom_then_prenom_and_sort_key_breaks_ties():
    names = [("MARTIN", "Lucas"), ("MARTIN", "Lætitia"), ("MARTIN", "Anne"),
             ("MARTINEZ", "Ana"), ("MARTIN", "Élodie"), ("ÇELIK", "Ali"), ("VINCENT", "Zoé")]
    got = sorted(names, key=lambda n: name_key(*n))
    assert got == [("ÇELIK", "Ali"), ("MARTIN", "Anne"), ("MARTIN", "Élodie"),
                   ("MARTIN", "Lætitia"), ("MARTIN", "Lucas"), ("MARTINEZ", "Ana"),
                   ("VINCENT", "Zoé")]
    assert sorted(["ÉMILE", "EMILE", "emile"], key=sort_key) == ["EMILE", "emile", "ÉMILE"]


def test_the_edge_schools_order_as_sacoche_wrote_it():
    """The order of tests/fixtures/sacoche/edge/edge_sacoche_export.xml (SACoche's own)."""
    sacoche = [("BAZIN", "Emma"), ("BÆR", "Lucas"), ("CŒUR", "Jeanne"), ("COZETTE", "Paul"),
               ("D’ARTAGNAN", "Louis"), ("DA SILVA", "Rui"),
               ("DE LA TOUR D'AUVERGNE-LAU", "Marie-Charlotte"), ("INFO", "Test"),
               ("MARTIN", "Anne-Charlotte-Éléonore-M"), ("MARTIN", "Lætitia"),
               ("MARTIN", "Lucas"), ("PETIT", "Chloé"), ("ROUSSEAU", "Léo"),
               ("SARR", "N'dèye"), ("SORIN", "Jules"), ("SØRENSEN", "Ida"),
               ("TOUT", "Complet")]
    shuffled = sacoche[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=lambda n: name_key(*n)) == sacoche


def test_sqlite_collation_fr():
    conn = sqlite3.connect(":memory:")
    collation.register(conn)
    conn.execute("CREATE TABLE t (nom TEXT)")
    names = ["VINCENT", "ÇELIK", "Éloïse", "Zoé", "D’ARTAGNAN", "DA SILVA", "eloise", "CŒUR",
             "COZETTE"]
    conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in names])
    got = [r[0] for r in conn.execute("SELECT nom FROM t ORDER BY nom COLLATE FR")]
    assert got == ["ÇELIK", "CŒUR", "COZETTE", "D’ARTAGNAN", "DA SILVA", "eloise", "Éloïse",
                   "VINCENT", "Zoé"]
    assert collation.compare("a", "a") == 0 and collation.compare("a", "A") == 1


# -- every list of names in the core uses it ----------------------------------------------


def test_lists_of_pupils_teachers_and_classes_are_in_french_order(tmp_path, monkeypatch):
    """French order: ÇELIK no longer after VINCENT, Éloïse no longer after Zoé."""
    from cartable import api
    from cartable.accounts import passwords

    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    a = api.Api(str(tmp_path / "ecole.sqlite3"))
    d = a.director_session()
    build = SchoolBuilder(a)
    for cid, nom in ((1, "Zèbres"), (2, "Écureuils"), (3, "CM2 B")):
        build.classe(nom, f"C{cid}", "CM2", id=cid)
    pupils = [("VINCENT", "Zoé"), ("ÇELIK", "Ali"), ("EMERY", "Zoé"), ("ÉMERY", "Éloïse"),
              ("DA SILVA", "Rui"), ("D’ARTAGNAN", "Louis"), ("cœur", "Jeanne"), ("COZETTE", "Paul")]
    for nom, prenom in pupils:
        build.eleve(nom, prenom, 1)
    expected = [("ÇELIK", "Ali"), ("cœur", "Jeanne"), ("COZETTE", "Paul"), ("D’ARTAGNAN", "Louis"),
                ("DA SILVA", "Rui"), ("EMERY", "Zoé"), ("ÉMERY", "Éloïse"), ("VINCENT", "Zoé")]
    listed = api.run(a.handle("eleves.list", {"classe_id": 1}, d))
    assert [(e["nom"], e["prenom"]) for e in listed] == expected
    ids = [e["id"] for e in listed]
    grid = api.run(a.handle("validation.grid", {"palier_id": 2, "classe_id": 1,
                                                "eleve_ids": ids[::-1], "competence_id": 8}, d))
    assert [(e["nom"], e["prenom"]) for e in grid["eleves"]] == expected
    for nom, prenom in (("Zola", "Émile"), ("Élie", "Jean"), ("Ézéchiel", "Anne")):
        api.run(a.handle("professeurs.create", {"nom": nom, "prenom": prenom,
                                                "password": "Motdepasse-2024"}, d))
    profs = api.run(a.handle("professeurs.list", {}, d))
    assert [p["nom"] for p in profs] == ["ÉLIE", "ÉZÉCHIEL", "ZOLA"]
    classes = api.run(a.handle("classes.list", {}, d))
    assert [c["nom"] for c in classes] == ["CM2 B", "Écureuils", "Zèbres"]
    a.close()
