"""Base-Élèves / ONDE CSV import: decoding, columns, classes, pupils, apply all-or-nothing."""

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import call, file_hash

from cartable import base_eleves
from cartable.api import Api
from cartable.errors import PermissionDenied, UserError

FIXTURES = Path(__file__).parent / "fixtures" / "base_eleves"
SHORT = (FIXTURES / "CSVExtraction.csv").read_bytes()
LONG = (FIXTURES / "CSVExtraction_niveaux_longs_utf8.csv").read_bytes()
HEADER = ["Nom Elève", "Nom d'usage", "Prénom Elève", "Date naissance", "Niveau", "Classe"]


def fixture_rows() -> list[list[str]]:
    """The short-level fixture as rows of text (header first)."""
    return list(csv.reader(io.StringIO(SHORT.decode("cp1252")), delimiter=";"))


def make_csv(rows, header=HEADER, sep=";", encoding="cp1252", newline="\r\n", quote=True,
             bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=newline,
                        quoting=csv.QUOTE_ALL if quote else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def pupil(nom, prenom, niveau, classe):
    return [nom, "", prenom, "01/01/2002", niveau, classe]


def school(api) -> dict:
    """Classes and pupils as comparable plain data: {class ref: (nom, niveau, [pupils])}."""
    out = {}
    for c in api.db.execute(
        "SELECT c.id, c.ref, c.nom, n.ref AS niv FROM classe c JOIN niveau n ON n.id = c.niveau_id"
    ):
        pupils = sorted(
            (r["nom"], r["prenom"], r["actif"])
            for r in api.db.execute("SELECT * FROM eleve WHERE classe_id = ?", (c["id"],))
        )
        out[c["ref"]] = (c["nom"], c["niv"], pupils)
    return out


def pupil_row(api, nom, prenom):
    return api.db.execute(
        "SELECT e.*, c.nom AS classe FROM eleve e LEFT JOIN classe c ON c.id = e.classe_id "
        "WHERE e.nom = ? AND e.prenom = ?", (nom, prenom)
    ).fetchone()


# -- the two fixtures -----------------------------------------------------------------------


def test_fixture_short_levels_gives_143_pupils_in_9_classes(api, director):
    read = call(api, "base_eleves.read", {"data": SHORT, "filename": "CSVExtraction.csv"},
                director)
    assert read["encoding"] == "Windows-1252"
    assert read["separator"] == "point-virgule"
    assert read["missing"] == []
    assert read["mapping"] == {"nom": "Nom Elève", "prenom": "Prénom Elève", "niveau": "Niveau",
                               "classe": "Classe"}
    before = file_hash(api)
    plan = call(api, "base_eleves.plan", {"data": SHORT, "filename": "CSVExtraction.csv"},
                director)
    assert file_hash(api) == before  # nothing written before apply
    assert plan["nb_eleves"] == 143 and plan["nb_classes"] == 9
    assert plan["message"].startswith("143 élèves trouvés, 9 classes trouvées")
    assert "6 classes Base-Élèves, dont 3 à plusieurs niveaux" in plan["message"]
    assert plan["rejets"] == []
    names = {c["nom"]: (c["niveau"], c["ref"], c["nb_eleves"]) for c in plan["classes"]}
    assert names == {
        "CP A": ("CP", "CP-CPA", 24),
        "[CP] CP-CE1": ("CP", "CP-CPCE1", 8),
        "[CE1] CP-CE1": ("CE1", "CE1-CPCE1", 14),
        "CE1 B": ("CE1", "CE1-CE1B", 23),
        "[CE2] CE2-CM1 Mme LUCAS": ("CE2", "CE2-CE2CM1MMELUCAS", 12),
        "[CM1] CE2-CM1 Mme LUCAS": ("CM1", "CM1-CE2CM1MMELUCAS", 11),
        "[CM1] CM1-CM2": ("CM1", "CM1-CM1CM2", 9),
        "[CM2] CM1-CM2": ("CM2", "CM2-CM1CM2", 16),
        "CM2 B": ("CM2", "CM2-CM2B", 26),
    }
    assert all(c["action"] == "ajouter" for c in plan["classes"])
    assert len(plan["eleves"]["ajouter"]) == 143
    assert sum(1 for p in plan["eleves"]["ajouter"] if p["niveau"] == "CM2") == 42

    result = call(api, "base_eleves.apply", {"data": SHORT, "filename": "x.csv"}, director)
    assert result["classes_ajoutees"] == 9 and result["eleves_ajoutes"] == 143
    assert result["eleves_modifies"] == 0 and result["eleves_desactives"] == 0
    n_cm2 = api.db.execute(
        "SELECT count(*) FROM eleve e JOIN classe c ON c.id = e.classe_id WHERE c.niveau_id = 18"
    ).fetchone()[0]
    assert n_cm2 == 42
    merc = pupil_row(api, "MERCIER", "Maël")  # accents decoded from Windows-1252
    assert merc["classe"] == "CP A" and merc["actif"] == 1
    classes = call(api, "classes.list", {}, director)
    assert len(classes) == 9 and sum(c["nb_eleves"] for c in classes) == 143


def test_long_levels_utf8_gives_the_same_school(api, director, tmp_path):
    base_eleves.apply(api.db, SHORT)
    from_short = school(api)
    other = Api(str(tmp_path / "autre.sqlite3"))
    try:
        plan = base_eleves.plan(other.db, LONG)
        assert plan["encoding"] == "UTF-8" and plan["nb_eleves"] == 143
        assert plan["nb_classes"] == 9 and plan["rejets"] == []
        base_eleves.apply(other.db, LONG)
        assert school(other) == from_short
    finally:
        other.close()
    # And on the same school, the long-level file changes nothing.
    before = file_hash(api)
    assert base_eleves.apply(api.db, LONG)["changements"] == 0
    assert file_hash(api) == before


def test_reimport_same_file_changes_nothing_byte_for_byte(api, director):
    first = call(api, "base_eleves.apply", {"data": SHORT}, director)
    assert first["changements"] > 0
    before = file_hash(api)
    plan = call(api, "base_eleves.plan", {"data": SHORT}, director)
    assert plan["eleves"]["inchanges"] == 143
    assert plan["eleves"]["ajouter"] == plan["eleves"]["modifier"] == []
    assert plan["eleves"]["desactiver"] == []
    assert {c["action"] for c in plan["classes"]} == {"garder"}
    second = call(api, "base_eleves.apply", {"data": SHORT}, director)
    assert second["changements"] == 0
    assert second["eleves_ajoutes"] == second["eleves_modifies"] == second["eleves_desactives"] == 0
    assert "aucun changement" in second["message"]
    assert file_hash(api) == before


def test_pandas_is_not_imported_at_start_up():
    code = ("import sys; import cartable.api, cartable.base_eleves, cartable.school; "
            "cartable.api._load_commands(); print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(Path(base_eleves.__file__).parents[2])},
                         check=True)
    assert out.stdout.strip() == "False"


def test_only_the_director_imports(api, director):
    api.db.execute("INSERT INTO utilisateur (role, nom, prenom, login, password_hash) "
                   "VALUES ('professeur', 'DUPUIS', 'Marie', 'mar.dupuis', 'x')")
    row = api.db.execute("SELECT * FROM utilisateur WHERE login = 'mar.dupuis'").fetchone()
    teacher = api.open_session(row)
    for cmd in ("base_eleves.read", "base_eleves.plan", "base_eleves.apply"):
        with pytest.raises(PermissionDenied):
            call(api, cmd, {"data": SHORT}, teacher)


def test_the_wizard_reads_the_file_once_and_steps_take_its_token(api, director, monkeypatch):
    """read parses the file and keeps it in the session; plan / apply take the token."""
    parsed = []
    real_parse = base_eleves.parse
    monkeypatch.setattr(base_eleves, "parse", lambda *a: parsed.append(1) or real_parse(*a))
    read = call(api, "base_eleves.read", {"data": SHORT, "filename": "CSVExtraction.csv"},
                director)
    token = read["token"]
    assert isinstance(token, str) and len(token) >= 12
    plan = call(api, "base_eleves.plan", {"token": token}, director)
    assert plan["nb_eleves"] == 143
    renamed = {"CP-CPA": {"nom": "CP de Mme Roux"}}
    plan = call(api, "base_eleves.plan", {"token": token, "classes": renamed}, director)
    assert {c["nom"] for c in plan["classes"]} >= {"CP de Mme Roux"}
    result = call(api, "base_eleves.apply", {"token": token, "classes": renamed}, director)
    assert result["eleves_ajoutes"] == 143 and result["classes_renommees"] == 0
    assert parsed == [1]  # one parse for the four steps
    assert api.db.execute("SELECT count(*) FROM classe WHERE nom = 'CP de Mme Roux'"
                          ).fetchone()[0] == 1
    # Applied: the file is forgotten. An unknown or stale token says what to do, in French.
    before = file_hash(api)
    for payload in ({"token": token}, {"token": "inconnu"}, {"token": 3}):
        with pytest.raises(UserError, match="Choisissez à nouveau le fichier CSV") as err:
            call(api, "base_eleves.apply", payload, director)
        assert err.value.details["code"] == "expired"
    assert file_hash(api) == before


def test_a_token_belongs_to_its_session(api, director):
    read = call(api, "base_eleves.read", {"data": SHORT}, director)
    other = api.director_session()
    with pytest.raises(UserError, match="n'est plus en mémoire"):
        call(api, "base_eleves.plan", {"token": read["token"]}, other)
    # A new read replaces the file kept in the session.
    again = call(api, "base_eleves.read", {"data": LONG}, director)
    with pytest.raises(UserError, match="n'est plus en mémoire"):
        call(api, "base_eleves.plan", {"token": read["token"]}, director)
    assert call(api, "base_eleves.plan", {"token": again["token"]}, director)["nb_eleves"] == 143


# -- encodings, separators, headers ---------------------------------------------------------

SMALL = [
    pupil("MARTIN", "Léa", "CM2", "CM2 A"),
    pupil("DURAND", "Noé", "CM1", "CM1-CM2"),
    pupil("PETIT", "Zoé", "CM2", "CM1-CM2"),
]


def small_school(api):
    return {ref: (nom, niv, [p[:2] for p in pupils])
            for ref, (nom, niv, pupils) in school(api).items()}


EXPECTED_SMALL = {
    "CM2-CM2A": ("CM2 A", "CM2", [("MARTIN", "Léa")]),
    "CM1-CM1CM2": ("[CM1] CM1-CM2", "CM1", [("DURAND", "Noé")]),
    "CM2-CM1CM2": ("[CM2] CM1-CM2", "CM2", [("PETIT", "Zoé")]),
}


@pytest.mark.parametrize("variant", [
    {"encoding": "utf-8"},
    {"encoding": "utf-8", "bom": True},
    {"encoding": "cp1252", "newline": "\n"},
    {"sep": ","},
    {"sep": "\t", "quote": False},
    {"sep": ",", "quote": False, "encoding": "utf-8", "bom": True, "newline": "\r"},
    # Excel's « Texte Unicode »: UTF-16 with its BOM, tab separated; or `;`; or without BOM
    {"sep": "\t", "quote": False, "encoding": "utf-16"},
    {"encoding": "utf-16"},
    {"sep": "\t", "encoding": "utf-16-le"},
    {"encoding": "utf-16-be", "newline": "\n"},
])
def test_encodings_and_separators(api, variant):
    data = make_csv(SMALL, **variant)
    read = base_eleves.read(data)
    assert read["missing"] == []
    expected_enc = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(
        variant.get("encoding", "cp1252"), "UTF-16 (Texte Unicode)")
    if variant.get("bom"):
        expected_enc = "UTF-8 (BOM)"
    assert read["encoding"] == expected_enc
    assert read["separator"] == {";": "point-virgule", ",": "virgule", "\t": "tabulation"}[
        variant.get("sep", ";")]
    base_eleves.apply(api.db, data)
    assert small_school(api) == EXPECTED_SMALL


def test_onde_header_variants_and_long_levels(api):
    header = ["NOM DE FAMILLE", "Nom d'usage", "prénom", "Date de naissance",
              "Niveau de l'élève", "Libellé  classe"]
    rows = [
        pupil("martin", "LÉA", "Cours moyen 2ème année", "CM2 A"),
        pupil("Durand", "Noé", "cours moyen 1re année", "CM1-CM2"),
        pupil("PETIT", "Zoé", "CM 2", "CM1-CM2"),
    ]
    data = make_csv(rows, header=header, encoding="utf-8")
    read = base_eleves.read(data)
    assert read["mapping"] == {"nom": "NOM DE FAMILLE", "prenom": "prénom",
                               "niveau": "Niveau de l'élève", "classe": "Libellé classe"}
    base_eleves.apply(api.db, data)
    # nom upper case; an all-caps prénom becomes title case; others kept as in the file.
    assert small_school(api) == EXPECTED_SMALL


@pytest.mark.parametrize("text, ref", [
    ("CP", "CP"), ("cp", "CP"), ("Cours préparatoire", "CP"),
    ("Cours élémentaire 1ère année", "CE1"), ("Cours elementaire premiere annee", "CE1"),
    ("Cours élémentaire 2ème année", "CE2"), ("COURS ELEMENTAIRE 2E ANNEE", "CE2"),
    ("Cours moyen 1ère année", "CM1"), ("Cours moyen 1re année", "CM1"),
    ("Cours moyen deuxième année", "CM2"), ("C.M.2", "CM2"), ("Grande section", "GS"),
    ("Petite section", "PS"), ("CLIS", "CLIS"),
    ("Cours moyen", None), ("Cours préparatoire 2e année", None), ("6EME", None),
    ("CM3", None), ("", None),
])
def test_level_names_are_shortened(text, ref):
    refs = {"PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2", "CLIS"}
    assert base_eleves.short_niveau(text, refs) == ref


def test_manual_mapping_when_headers_are_not_recognised(api, director):
    header = ["Colonne A", "Colonne B", "Colonne C", "Colonne D", "Niveau", "Groupe"]
    data = make_csv(SMALL, header=header)
    read = call(api, "base_eleves.read", {"data": data}, director)
    assert read["headers"] == header
    assert read["mapping"] == {"nom": None, "prenom": None, "niveau": "Niveau", "classe": None}
    assert read["missing"] == ["nom", "prenom", "classe"]
    assert read["apercu"][0] == SMALL[0]
    before = file_hash(api)
    with pytest.raises(UserError) as err:
        call(api, "base_eleves.plan", {"data": data}, director)
    assert "« Nom Elève », « Prénom Elève », « Classe »" in str(err.value)
    assert err.value.details["code"] == "mapping"
    assert err.value.details["missing"] == ["nom", "prenom", "classe"]
    with pytest.raises(UserError, match="n'existe pas dans ce fichier"):
        call(api, "base_eleves.apply",
             {"data": data, "mapping": {"nom": "Colonne Z", "prenom": "Colonne C",
                                        "classe": "Groupe"}}, director)
    with pytest.raises(UserError, match="à la fois pour"):
        call(api, "base_eleves.apply",
             {"data": data, "mapping": {"nom": "Colonne A", "prenom": "Colonne A",
                                        "classe": "Groupe"}}, director)
    assert file_hash(api) == before
    mapping = {"nom": "Colonne A", "prenom": "Colonne C", "classe": "Groupe"}
    plan = call(api, "base_eleves.plan", {"data": data, "mapping": mapping}, director)
    assert plan["nb_eleves"] == 3
    assert plan["mapping"] == {**mapping, "niveau": "Niveau"}
    call(api, "base_eleves.apply", {"data": data, "mapping": mapping}, director)
    assert small_school(api) == EXPECTED_SMALL


# -- rejected lines -------------------------------------------------------------------------


def test_rejected_lines_are_numbered_as_in_the_file(api):
    rows = [
        pupil("MARTIN", "Léa", "CM2", "CM2 A"),          # line 2: ok
        pupil("", "Paul", "CM2", "CM2 A"),               # 3: no nom
        pupil("BLANC", "  ", "CM2", "CM2 A"),            # 4: no prénom
        pupil("NOIR", "Luc", "Terminale S", "CM2 A"),    # 5: unknown niveau
        pupil("VERT", "Ana", "CM2", ""),                 # 6: no classe
        pupil("MARTIN", "Léa", "CM2", "CM2 A"),          # 7: exact duplicate of line 2
        pupil("ROUX", "Eva", "CM1", "CM1 A"),            # 8: same name as line 9, other class
        pupil("Roux", "Éva", "CM2", "CM2 A"),            # 9
        pupil("=HYPERLINK(1)", "@Tom", "CM2", "CM2 A"),  # 10: kept as plain text
    ]
    data = make_csv(rows)
    # A blank line and a pupil whose address spans two lines must not shift the numbering.
    data = data.replace(b'"NOIR"', b'\r\n"NOIR"').replace(b'"01/01/2002";"CM2";""',
                                                          b'"01/01\r\n2002";"CM2";""')
    plan = base_eleves.plan(api.db, data)
    reasons = {r["ligne"]: r["raison"] for r in plan["rejets"]}
    # Line 5 is blank; the pupil of line 7 spans lines 7-8.
    assert sorted(reasons) == [3, 4, 6, 7, 9, 10, 11]
    assert "nom de l'élève vide" in reasons[3]
    assert "prénom de l'élève vide" in reasons[4]
    assert "niveau inconnu « Terminale S »" in reasons[6]
    assert "classe vide" in reasons[7]
    assert reasons[9] == "ligne en double (identique à la ligne 2)"
    assert "plusieurs fois" in reasons[11] and "lignes 10, 11" in reasons[11]
    data2 = make_csv(rows)
    reasons = {r["ligne"]: r["raison"] for r in base_eleves.plan(api.db, data2)["rejets"]}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert reasons[7] == "ligne en double (identique à la ligne 2)"
    plan = base_eleves.plan(api.db, data2)
    assert plan["nb_eleves"] == 2
    assert "2 élèves trouvés, 1 classe trouvée ; 7 lignes rejetées." == plan["message"]
    assert [a["nom"] for a in plan["eleves"]["ambigus"]] == ["ROUX"]
    base_eleves.apply(api.db, data2)
    names = sorted((r["nom"], r["prenom"]) for r in api.db.execute("SELECT * FROM eleve"))
    assert names == [("=HYPERLINK(1)", "@Tom"), ("MARTIN", "Léa")]


def test_line_with_too_many_fields_is_rejected(api):
    data = make_csv(SMALL, quote=False)
    lines = data.split(b"\r\n")
    lines[2] = lines[2] + b";en trop"
    plan = base_eleves.plan(api.db, b"\r\n".join(lines))
    assert plan["rejets"] == [{"ligne": 3, "raison": plan["rejets"][0]["raison"]}]
    assert "plus de champs" in plan["rejets"][0]["raison"]
    assert plan["nb_eleves"] == 2


# -- bad files: refused, database byte-identical --------------------------------------------


def _zip_bytes(name):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, "<xml/>")
    return buf.getvalue()


BAD_FILES = {
    "empty": (b"", "vide"),
    "blank lines only": (b"\r\n  \r\n", "vide"),
    "header only": (make_csv([]), "que la ligne d'en-tête"),
    "binary garbage": (bytes(range(256)) * 20, "pas un fichier texte"),
    "utf-16 cut in a character": (make_csv(SMALL, encoding="utf-16")[:-1],
                                  "pas un fichier texte"),
    "utf-16 with a lone surrogate": (make_csv(SMALL, encoding="utf-16-le") + b"\x00\xd8A\x00",
                                     "pas un fichier texte"),
    "unbalanced quote": (b'"Nom Eleve";"Prenom Eleve";"Niveau";"Classe"\r\n'
                         + b'"MARTIN";"Lea";"CM2";"CM2 A\r\n', "n'est pas refermé"),
    "stray quote": (b'"Nom Eleve";"Prenom Eleve";"Niveau";"Classe"\r\n'
                    + b'"MARTIN;"Lea";"CM2";"CM2 A"\r\n', "guillemet « \" » mal placé"),
    "missing columns": (make_csv(SMALL, header=["a", "b", "c", "d", "e", "f"]), "introuvable"),
    "absurd niveau everywhere": (make_csv([pupil("MARTIN", "Léa", "Niveau 42", "X")]),
                                 "Aucun élève valide"),
    "xlsx disguised as csv": (_zip_bytes("[Content_Types].xml"), "classeur"),
    "zip": (_zip_bytes("eleves.csv"), "archive ZIP"),
    "old excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel"),
    "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    "too large": (make_csv(SMALL) + b"x" * (5 * 1024 * 1024), "5 Mo"),
    "not bytes": ("Nom Elève;Prénom Elève", "Aucun fichier"),
    "undecodable bytes": (b"Nom;Pr\x81nom;Niveau;Classe\r\nA;\x8d\x90;CM2;X\r\n",
                          "pas un fichier texte"),
    "control characters": (b"Nom;Prenom;Niveau;Classe\r\nA\x01\x02;B\x1b;CM2;X\r\n",
                           "pas un fichier texte"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_and_leave_the_database_unchanged(api, director, name):
    base_eleves.apply(api.db, make_csv(SMALL))
    data, expected = BAD_FILES[name]
    before = file_hash(api)
    for cmd in ("base_eleves.read", "base_eleves.plan", "base_eleves.apply"):
        if cmd == "base_eleves.read" and name in ("missing columns", "absurd niveau everywhere",
                                                      "stray quote"):
            continue  # read reports these (missing columns, lines) rather than refusing
        with pytest.raises(UserError) as err:
            call(api, cmd, {"data": data, "filename": "eleves.csv"}, director)
        assert expected in str(err.value), (cmd, str(err.value))
    assert file_hash(api) == before


def test_refused_by_extension(api, director):
    with pytest.raises(UserError, match="n'est pas un fichier CSV"):
        call(api, "base_eleves.read", {"data": make_csv(SMALL), "filename": "eleves.xlsx"},
             director)


def test_bad_class_choices_are_refused_before_writing(api, director):
    data = make_csv(SMALL)
    before = file_hash(api)
    for classes, expected in [
        ({"NOPE": {"ignorer": True}}, "ne fait pas partie"),
        ({"CM2-CM2A": {"nom": "   "}}, "est vide"),
        ({"CM2-CM2A": {"nom": "x" * 61}}, "trop long"),
        ({"CM2-CM2A": {"ignorer": "oui"}}, "invalide"),
        ({"CM2-CM2A": "oui"}, "invalide"),
        (["CM2-CM2A"], "invalides"),
    ]:
        with pytest.raises(UserError, match=expected):
            call(api, "base_eleves.apply", {"data": data, "classes": classes}, director)
    assert file_hash(api) == before


# -- classes: rename, ignore, remove --------------------------------------------------------


def test_rename_and_ignore_classes_at_apply(api, director):
    data = make_csv(SMALL)
    choices = {"CM2-CM2A": {"nom": "CM2 de M. Martin"}, "CM1-CM1CM2": {"ignorer": True}}
    plan = call(api, "base_eleves.plan", {"data": data, "classes": choices}, director)
    by_ref = {c["ref"]: c for c in plan["classes"]}
    assert by_ref["CM2-CM2A"]["nom"] == "CM2 de M. Martin"
    assert by_ref["CM1-CM1CM2"]["ignorer"] is True
    assert [p["nom"] for p in plan["eleves"]["ajouter"]] == ["MARTIN", "PETIT"]
    result = call(api, "base_eleves.apply", {"data": data, "classes": choices}, director)
    assert result["classes_ajoutees"] == 2 and result["eleves_ajoutes"] == 2
    assert small_school(api) == {
        "CM2-CM2A": ("CM2 de M. Martin", "CM2", [("MARTIN", "Léa")]),
        "CM2-CM1CM2": ("[CM2] CM1-CM2", "CM2", [("PETIT", "Zoé")]),
    }
    # The renamed class is recognised on the next import and keeps its new name.
    plan = call(api, "base_eleves.plan", {"data": data}, director)
    by_ref = {c["ref"]: c for c in plan["classes"]}
    assert by_ref["CM2-CM2A"]["action"] == "garder"
    assert by_ref["CM2-CM2A"]["nom"] == "CM2 de M. Martin"
    assert by_ref["CM1-CM1CM2"]["action"] == "ajouter"


def test_classes_absent_from_the_file_are_emptied_then_removed_when_nothing_is_attached(api):
    base_eleves.apply(api.db, make_csv(SMALL))
    prof = api.db.execute("INSERT INTO utilisateur (role, nom, prenom, login, password_hash) "
                          "VALUES ('professeur', 'DUPUIS', 'Marie', 'mar.dupuis', 'x')").lastrowid
    cm2a = api.db.execute("SELECT id FROM classe WHERE ref = 'CM2-CM2A'").fetchone()[0]
    api.db.execute("INSERT INTO affectation VALUES (?, ?, 1)", (prof, cm2a))
    # New extraction: MARTIN moved to "CM2 B", CM1-CM2 has left (DURAND, PETIT gone).
    new = make_csv([pupil("MARTIN", "Léa", "CM2", "CM2 B"), pupil("NEUF", "Ali", "CM1", "CM1 C")])
    plan = base_eleves.plan(api.db, new)
    by_ref = {c["ref"]: c for c in plan["classes"]}
    assert by_ref["CM2-CM2A"]["action"] == "retirer"
    assert by_ref["CM2-CM2A"]["detail"].startswith("supprimée")
    assert by_ref["CM1-CM1CM2"]["action"] == "retirer"
    assert "conservée" in by_ref["CM1-CM1CM2"]["detail"]
    assert [(p["nom"], p["ancienne_classe"], p["classe"]) for p in plan["eleves"]["modifier"]] == [
        ("MARTIN", "CM2 A", "CM2 B")]
    assert sorted(p["nom"] for p in plan["eleves"]["desactiver"]) == ["DURAND", "PETIT"]
    result = base_eleves.apply(api.db, new)
    assert result["classes_supprimees"] == 1
    refs = {r[0] for r in api.db.execute("SELECT ref FROM classe")}
    assert refs == {"CM1-CM1CM2", "CM2-CM1CM2", "CM2-CM2B", "CM1-CM1C"}
    assert api.db.execute("SELECT count(*) FROM affectation").fetchone()[0] == 0
    # The kept classes have no active pupil; re-importing changes nothing.
    assert {c["ref"]: c["nb_eleves"] for c in base_eleves.plan(api.db, new)["classes"]
            if c["action"] == "retirer"} == {"CM1-CM1CM2": 0, "CM2-CM1CM2": 0}
    assert base_eleves.apply(api.db, new)["changements"] == 0


def test_ignoring_a_class_to_remove_leaves_its_pupils_active(api):
    base_eleves.apply(api.db, make_csv(SMALL))
    new = make_csv([pupil("MARTIN", "Léa", "CM2", "CM2 A")])
    result = base_eleves.apply(api.db, new, classes={"CM1-CM1CM2": {"ignorer": True}})
    assert result["eleves_desactives"] == 1  # PETIT ([CM2] CM1-CM2), not DURAND
    assert pupil_row(api, "DURAND", "Noé")["actif"] == 1
    assert pupil_row(api, "PETIT", "Zoé")["actif"] == 0


def test_inactive_niveau_found_in_file_is_activated(api):
    api.db.execute("UPDATE niveau SET actif = 0 WHERE ref = 'CM1'")
    data = make_csv(SMALL + [pupil("PETIT", "Tom", "Grande section", "GS")])
    plan = base_eleves.plan(api.db, data)
    assert plan["niveaux_a_activer"] == ["GS", "CM1"]
    result = base_eleves.apply(api.db, data)
    assert result["niveaux_actives"] == ["GS", "CM1"]
    assert "Niveaux activés : GS, CM1" in result["message"]
    active = {r[0] for r in api.db.execute("SELECT ref FROM niveau WHERE actif = 1")}
    assert {"GS", "CM1"} <= active


def test_references_are_unique_and_bounded():
    data = make_csv([pupil("A", "a", "CM2", "CM2 B"), pupil("B", "b", "CM2", "CM2B"),
                     pupil("C", "c", "CM2", "Classe de Madame Bérénice Dupont-Lajoie")])
    from cartable import db
    conn = db.connect(":memory:")
    refs = sorted(c["ref"] for c in base_eleves.plan(conn, data)["classes"])
    assert refs == ["CM2-CLASSEDEMADAMEBE", "CM2-CM2B", "CM2-CM2B-2"]
    assert all(len(r) <= base_eleves.REF_MAX for r in refs)
    base_eleves.apply(conn, data)
    assert base_eleves.apply(conn, data)["changements"] == 0


# -- pupils: matching, ambiguity, deactivation, moves ---------------------------------------


def test_deactivated_then_reactivated(api):
    rows = fixture_rows()
    header, body = rows[0], rows[1:]
    base_eleves.apply(api.db, make_csv(body, header=header))
    gone = body[:5]
    result = base_eleves.apply(api.db, make_csv(body[5:], header=header))
    assert result["eleves_desactives"] == 5 and result["eleves_ajoutes"] == 0
    inactive = sorted((r["nom"], r["prenom"]) for r in
                      api.db.execute("SELECT * FROM eleve WHERE actif = 0"))
    assert inactive == sorted((r[0], r[2]) for r in gone)
    assert api.db.execute("SELECT count(*) FROM eleve").fetchone()[0] == 143  # never deleted
    plan = base_eleves.plan(api.db, SHORT)
    assert len(plan["eleves"]["modifier"]) == 5
    assert all(p["changements"] == ["réactivé"] for p in plan["eleves"]["modifier"])
    result = base_eleves.apply(api.db, SHORT)
    assert result["eleves_modifies"] == 5 and result["eleves_ajoutes"] == 0
    assert api.db.execute("SELECT count(*) FROM eleve WHERE actif = 1").fetchone()[0] == 143


def test_matching_ignores_case_accents_and_punctuation(api):
    base_eleves.apply(api.db, make_csv([pupil("LE GALL", "Jean-Noël", "CM2", "CM2 A")]))
    plan = base_eleves.plan(api.db, make_csv([pupil("Le-Gall", "JEAN NOEL", "CM2", "CM2 A")]))
    assert plan["eleves"]["ajouter"] == [] and plan["eleves"]["desactiver"] == []
    assert plan["eleves"]["modifier"][0]["changements"] == ["nom"]
    assert plan["eleves"]["modifier"][0]["ancien_nom"] == "LE GALL Jean-Noël"


def test_ambiguous_existing_pupils_are_left_untouched(api):
    cm2 = api.db.execute("INSERT INTO classe (niveau_id, nom, ref) VALUES (18, 'CM2', 'CM2')")
    cid = cm2.lastrowid
    for prenom in ("Léa", "Lea"):
        api.db.execute("INSERT INTO eleve (nom, prenom, classe_id) VALUES ('MARTIN', ?, ?)",
                       (prenom, cid))
    before = [tuple(r) for r in api.db.execute("SELECT * FROM eleve ORDER BY id")]
    data = make_csv([pupil("MARTIN", "Léa", "CM2", "CM2 B"), pupil("PETIT", "Zoé", "CM2", "CM2 B")])
    plan = base_eleves.plan(api.db, data)
    assert [(a["nom"], a["prenom"]) for a in plan["eleves"]["ambigus"]] == [("MARTIN", "Léa")]
    assert "2 élèves de l'école" in plan["eleves"]["ambigus"][0]["raison"]
    assert plan["eleves"]["desactiver"] == []
    result = base_eleves.apply(api.db, data)
    assert result["eleves_ajoutes"] == 1 and result["eleves_desactives"] == 0
    assert "ambigu" in result["message"]
    after = [tuple(r) for r in api.db.execute("SELECT * FROM eleve WHERE nom = 'MARTIN' "
                                              "ORDER BY id")]
    assert after == before


def test_homonyms_in_the_file_are_not_guessed(api):
    base_eleves.apply(api.db, make_csv([pupil("ROUX", "Eva", "CM2", "CM2 A"),
                                        pupil("PETIT", "Zoé", "CM2", "CM2 A")]))
    data = make_csv([pupil("ROUX", "Eva", "CM1", "CM1 A"), pupil("ROUX", "Eva", "CM2", "CM2 B"),
                     pupil("PETIT", "Zoé", "CM2", "CM2 A")])
    result = base_eleves.apply(api.db, data)
    assert result["eleves_desactives"] == 0 and result["eleves_modifies"] == 0
    roux = pupil_row(api, "ROUX", "Eva")
    assert roux["classe"] == "CM2 A" and roux["actif"] == 1
    assert [r["ligne"] for r in result["rejets"]] == [2, 3]


def test_newer_extraction_moves_pupils_and_keeps_validations(api):
    rows = fixture_rows()
    header, body = rows[0], rows[1:]
    base_eleves.apply(api.db, make_csv(body, header=header))
    merc = pupil_row(api, "MERCIER", "Maël")
    api.db.execute("INSERT INTO validation_item VALUES (?, 2111, 1, '2012-05-02', 'DUPUIS M.')",
                   (merc["id"],))
    api.db.execute("INSERT INTO validation_competence VALUES (?, 9, 0, '2012-05-03', 'DUPUIS M.')",
                   (merc["id"],))
    # Next year: MERCIER (CP A) goes to CE1 B; the whole CM2 B class has left.
    for r in body:
        if r[0] == "MERCIER" and r[2] == "Maël":
            r[14], r[15] = "CE1", "CE1 B"
    newer = [r for r in body if r[15] != "CM2 B"]
    plan = base_eleves.plan(api.db, make_csv(newer, header=header))
    moved = [p for p in plan["eleves"]["modifier"]]
    assert [(p["nom"], p["ancienne_classe"], p["classe"]) for p in moved] == [
        ("MERCIER", "CP A", "CE1 B")]
    assert len(plan["eleves"]["desactiver"]) == 26
    result = base_eleves.apply(api.db, make_csv(newer, header=header))
    assert result["eleves_modifies"] == 1 and result["eleves_desactives"] == 26
    after = pupil_row(api, "MERCIER", "Maël")
    assert after["id"] == merc["id"] and after["classe"] == "CE1 B"
    assert tuple(api.db.execute("SELECT * FROM validation_item WHERE eleve_id = ?",
                                (merc["id"],)).fetchone()) == (
        merc["id"], 2111, 1, "2012-05-02", "DUPUIS M.")
    assert api.db.execute("SELECT count(*) FROM validation_competence").fetchone()[0] == 1


def test_names_are_normalised_for_storage(api):
    data = make_csv([pupil("  de  la fontaine ", "JEAN-PIERRE", "CM2", " CM2   A "),
                     pupil("o'brien", "marie-ève", "CM2", "CM2 A")])
    base_eleves.apply(api.db, data)
    names = sorted((r["nom"], r["prenom"]) for r in api.db.execute("SELECT * FROM eleve"))
    assert names == [("DE LA FONTAINE", "Jean-Pierre"), ("O'BRIEN", "marie-ève")]
    assert api.db.execute("SELECT nom FROM classe").fetchone()[0] == "CM2 A"


def test_more_rejection_reasons(api):
    rows = [
        pupil("MARTIN", "Léa", "CM2", "CM2 A"),                  # 2: ok
        pupil("BLEU", "Jo", "", "CM2 A"),                        # 3: no niveau
        pupil("X" * 61, "Jo", "CM2", "CM2 A"),                   # 4: name too long
        pupil("GRIS", "Jo", "CM2", "C" * 61),                    # 5: class name too long
        pupil("ROSE", "Jo\nAnne", "CM2", "CM2 A"),               # 6-7: line break in a name
    ]
    reasons = {r["ligne"]: r["raison"] for r in base_eleves.plan(api.db, make_csv(rows))["rejets"]}
    assert reasons == {3: "niveau vide",
                       4: "nom ou prénom trop long (plus de 60 caractères)",
                       5: "nom de classe trop long (plus de 60 caractères)",
                       6: "un champ contient un retour à la ligne (guillemet mal fermé ?)"}


def test_mapping_by_column_index(api):
    header = ["A", "B", "C", "D", "Niveau", "Classe"]
    data = make_csv(SMALL, header=header)
    base_eleves.apply(api.db, data, mapping={"nom": 0, "prenom": 2})
    assert small_school(api) == EXPECTED_SMALL
    before = file_hash(api)
    with pytest.raises(UserError, match="colonne n° 10"):
        base_eleves.apply(api.db, data, mapping={"nom": 9, "prenom": 2})
    with pytest.raises(UserError, match="correspondance des colonnes est invalide"):
        base_eleves.apply(api.db, data, mapping=["A", "C"])
    assert file_hash(api) == before


def test_renaming_a_kept_class(api):
    data = make_csv(SMALL)
    base_eleves.apply(api.db, data)
    result = base_eleves.apply(api.db, data, classes={"CM2-CM2A": {"nom": "Les CM2"}})
    assert result["classes_renommees"] == 1 and result["changements"] == 1
    assert "1 classe renommée" in result["message"]
    assert api.db.execute("SELECT nom FROM classe WHERE ref = 'CM2-CM2A'").fetchone()[0] == "Les CM2"


def test_existing_class_found_by_reference(api):
    """A class created before (without source) whose ref is the automatic one is kept."""
    api.db.execute("INSERT INTO classe (niveau_id, nom, ref) VALUES (18, 'Ma classe', 'CM2-CM2A')")
    plan = base_eleves.plan(api.db, make_csv([pupil("A", "a", "CM2", "CM2 A"),
                                              pupil("B", "b", "CM2", "CM2A")]))
    assert {c["ref"]: (c["action"], c["nom"]) for c in plan["classes"]} == {
        "CM2-CM2A": ("garder", "Ma classe"), "CM2-CM2A-2": ("ajouter", "CM2A")}


def test_title_line_before_the_header_is_skipped(api):
    data = b"Extraction Base-Eleves du 12/05/2012\r\n\r\n" + make_csv(SMALL, encoding="utf-8")
    read = base_eleves.read(data)
    assert read["headers"] == HEADER and read["missing"] == []
    plan = base_eleves.plan(api.db, data)
    assert plan["nb_eleves"] == 3 and plan["rejets"] == []
    rows = SMALL + [pupil("", "Jo", "CM2", "CM2 A")]
    data = b"Extraction\r\n" + make_csv(rows, encoding="utf-8")
    assert base_eleves.plan(api.db, data)["rejets"][0]["ligne"] == 6


def test_a_class_to_remove_cannot_be_renamed(api):
    base_eleves.apply(api.db, make_csv(SMALL))
    before = file_hash(api)
    with pytest.raises(UserError, match="ne peut pas être renommée"):
        base_eleves.apply(api.db, make_csv(SMALL[:1]), classes={"CM1-CM1CM2": {"nom": "X"}})
    assert file_hash(api) == before
