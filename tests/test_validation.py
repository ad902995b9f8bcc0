"""The validation grid: permissions, order, cell cycle, arrows, save rules, lock, drafts."""

import datetime
import random

import pytest
from helpers import SchoolBuilder, call, dump, login

from cartable import db
from cartable.api import Api
from cartable.errors import PermissionDenied, UserError
from cartable.socle2008 import grid as socle2008_grid
from cartable.socle2008 import referentiel
from cartable.socle2008.grid import Layout, Target, apply_click, next_state
from cartable.socle2008.words import short

PALIER = 2
C1 = 8  # compétence 1 of palier 2 (29 items, 6 domaines)
C2 = 9
TODAY = datetime.date(2024, 6, 14)


@pytest.fixture(autouse=True)
def fixed_today(clock):
    clock.set(TODAY)


@pytest.fixture
def api(tmp_path):
    """Classes 1 (CM2 A: pupils 1-4 active, 5 inactive) and 2 (CM2 B: pupil 6).
    Teacher 2 is principal of class 1, teacher 3 merely assigned to class 1."""
    a = Api(str(tmp_path / "ecole.sqlite3"))
    build = SchoolBuilder(a)
    build.classe("CM2 A", "CM2A", id=1)
    build.classe("CM2 B", "CM2B", id=2)
    pupils = [(1, "MARTIN", "Léa", 1, 1), (2, "BERNARD", "Hugo", 1, 1), (3, "MARTIN", "Ali", 1, 1),
              (4, "ZOLA", "Emma", 1, 1), (5, "ANCIEN", "Jules", 1, 0), (6, "PETIT", "Noé", 2, 1)]
    for eid, nom, prenom, classe, actif in pupils:
        build.eleve(nom, prenom, classe, id=eid, actif=actif)
    build.director("dir", nom="MARTIN", prenom="Paul")
    marie = build.teacher("mar.dupuis")
    thomas = build.teacher("tho.crespin", nom="CRESPIN", prenom="Thomas")
    build.assign(marie, 1, principal=True)
    build.assign(thomas, 1)
    yield a
    a.close()


def grid(api, token, competence_id=C1, eleve_ids=(1, 2, 3, 4), classe_id=1):
    return call(api, "validation.grid", {"palier_id": PALIER, "classe_id": classe_id,
                                         "eleve_ids": list(eleve_ids),
                                         "competence_id": competence_id}, token)


def click(api, token, **target):
    return call(api, "validation.click", {"target": target}, token)


def items(api, eleve_id):
    return {r[0]: (r[1], r[2], r[3]) for r in api.db.execute(
        "SELECT item_id, etat, date, info FROM validation_item WHERE eleve_id = ?", (eleve_id,))}


FIRST = referentiel.get().competences[C1].domaines[0]  # "Dire"
ITEM = FIRST.items[0].id


# -- pure rules -----------------------------------------------------------------------------


def test_cell_cycle_has_period_three():
    assert next_state(None) == 1 and next_state(1) == 0 and next_state(0) is None
    for start in socle2008_grid.STATES:
        assert next_state(next_state(next_state(start))) == start
        assert next_state(start) != start


def small_layout():
    return Layout((1, 2, 3), ((10, (100, 101)), (11, (110, 111, 112))))


def random_target(rng, layout):
    kind = rng.choice(["cell", "column", "row", "domaine"])
    d, rows = rng.choice(layout.domaines)
    e, r = rng.choice(layout.eleve_ids), rng.choice(rows)
    return {"cell": Target("cell", eleve_id=e, row_id=r),
            "column": Target("column", eleve_id=e, domaine_id=d),
            "row": Target("row", row_id=r),
            "domaine": Target("domaine", domaine_id=d)}[kind]


def test_arrow_sets_validate_invalidate_clear_then_again():
    layout = small_layout()
    cells, arrows = {(1, 100): 0, (2, 110): 1}, {}
    t = Target("domaine", domaine_id=11)
    covered = layout.covered(t)
    assert len(covered) == 9
    changed = apply_click(layout, cells, arrows, t)
    assert set(changed) == set(covered) - {(2, 110)} and set(changed.values()) == {1}
    assert all(cells[k] == 1 for k in covered) and cells[(1, 100)] == 0  # other domaine kept
    apply_click(layout, cells, arrows, t)
    assert all(cells[k] == 0 for k in covered)
    apply_click(layout, cells, arrows, t)
    assert all(k not in cells for k in covered) and cells == {(1, 100): 0}
    apply_click(layout, cells, arrows, t)
    assert all(cells[k] == 1 for k in covered)
    assert arrows == {"domaine:11": 0}


def test_each_arrow_has_its_own_state():
    layout = small_layout()
    cells, arrows = {}, {}
    apply_click(layout, cells, arrows, Target("row", row_id=100))  # row -> validé
    apply_click(layout, cells, arrows, Target("row", row_id=100))  # row -> invalidé
    changed = apply_click(layout, cells, arrows, Target("column", eleve_id=2, domaine_id=10))
    assert changed == {(2, 100): 1, (2, 101): 1}  # the column arrow starts at validé
    assert cells == {(1, 100): 0, (2, 100): 1, (3, 100): 0, (2, 101): 1}
    assert arrows == {"row:100": None, "column:10:2": 0}


def test_property_three_clicks_on_any_arrow_clear_its_cells():
    rng = random.Random(20240614)
    layout = small_layout()
    for _ in range(300):
        cells, arrows = {}, {}
        for _ in range(rng.randrange(0, 12)):  # random history
            apply_click(layout, cells, arrows, random_target(rng, layout))
        target = random_target(rng, layout)
        if target.kind == "cell":
            before = cells.get((target.eleve_id, target.row_id))
            for _ in range(3):
                apply_click(layout, cells, arrows, target)
            assert cells.get((target.eleve_id, target.row_id)) == before
            continue
        # bring the arrow back to its start, then three clicks: 1, 0, cleared
        while arrows.get(target.arrow, 1) != 1:
            apply_click(layout, cells, arrows, target)
        outside = {k: v for k, v in cells.items() if k not in layout.covered(target)}
        seen = []
        for _ in range(3):
            apply_click(layout, cells, arrows, target)
            seen.append({cells.get(k) for k in layout.covered(target)})
        assert seen == [{1}, {0}, {None}]
        assert cells == outside  # nothing outside the arrow changed
        assert arrows[target.arrow] == 1


def test_property_changes_reported_are_exactly_the_differences():
    rng = random.Random(7)
    layout = small_layout()
    cells, arrows = {}, {}
    locked = frozenset({(1, 110), (3, 101)})
    cells[(1, 110)] = 1
    for _ in range(2000):
        before = dict(cells)
        changed = apply_click(layout, cells, arrows, random_target(rng, layout), locked)
        diff = {k for k in set(before) | set(cells) if before.get(k) != cells.get(k)}
        assert set(changed) == diff
        assert all(cells.get(k) == v for k, v in changed.items())
        assert cells[(1, 110)] == 1 and (3, 101) not in cells  # locked never change
        assert set(cells.values()) <= {0, 1}


# -- choices and grid -----------------------------------------------------------------------


def test_choices(api):
    director = login(api, "dir")
    teacher = login(api, "mar.dupuis")
    assigned = login(api, "tho.crespin")
    assert call(api, "validation.choices", session=director) == {
        "paliers": [{"id": 2, "nom": "Palier 2 (fin CM2)"}],
        "classes": [{"id": 1, "nom": "CM2 A", "ref": "CM2A", "niveau": "CM2", "nb_eleves": 4},
                    {"id": 2, "nom": "CM2 B", "ref": "CM2B", "niveau": "CM2", "nb_eleves": 1}],
        "defaut": {"classe_id": 1, "palier_id": 2},
    }
    assert [c["id"] for c in call(api, "validation.choices", session=teacher)["classes"]] == [1]
    assert call(api, "validation.choices", session=assigned)["classes"] == []
    db.set_meta(api.db, "professeurs_affectes_valident", "1")
    assert [c["id"] for c in call(api, "validation.choices", session=assigned)["classes"]] == [1]


def test_items_grid_order_and_content(api, build):
    teacher = login(api, "mar.dupuis")
    build.item(2, ITEM, 0, "2024-01-10", "X Y.")
    g = grid(api, teacher, eleve_ids=[4, 3, 1, 2, 2])
    comp = referentiel.get().competences[C1]
    assert g["level"] == "items" and g["competence"] == {"id": C1, "ref": "1", "nom": comp.nom}
    assert g["classe"]["nom"] == "CM2 A"
    assert [(e["nom"], e["prenom"]) for e in g["eleves"]] == [
        ("BERNARD", "Hugo"), ("MARTIN", "Ali"), ("MARTIN", "Léa"), ("ZOLA", "Emma")]
    assert [d["id"] for d in g["domaines"]] == [d.id for d in comp.domaines]
    assert [d["nom"] for d in g["domaines"]][:2] == [comp.domaines[0].nom, comp.domaines[1].nom]
    rows = [r["id"] for d in g["domaines"] for r in d["rows"]]
    assert rows == [i.id for i in comp.items] and len(rows) == 29
    # display order follows *_ordre within each domaine
    raw = referentiel.get().domaines
    for d in g["domaines"]:
        ordres = [referentiel.get().items[r["id"]].ordre for r in d["rows"]]
        assert ordres == sorted(ordres) and raw[d["id"]].competence_id == C1
    assert len(g["cells"]) == 4 * 29
    assert g["cells"][f"2:{ITEM}"] == {"etat": 0, "date": "2024-01-10", "info": "X Y.",
                                       "modifie": False}
    assert g["cells"][f"1:{ITEM}"]["etat"] is None
    assert g["aid"]["2"] == {"valides": 0, "invalides": 1, "non_decides": 28, "pourcentage": 0}
    assert g["dirty"] == 0
    assert set(g["arrows"].values()) == {1}
    assert len(g["arrows"]) == 6 + 6 * 4 + 29


@pytest.mark.parametrize("payload, error", [
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": [1, 5], "competence_id": C1}, "ou plus. dans"),
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": [1, 6], "competence_id": C1}, "ou plus. dans"),
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": [1, 99], "competence_id": C1}, "ou plus. dans"),
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": [], "competence_id": C1}, "Aucun élève"),
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": "1,2", "competence_id": C1}, "invalide"),
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": [1]}, "Choisissez une compétence"),
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": [1], "competence_id": 16}, "n'appartient"),
    ({"palier_id": 2, "classe_id": 1, "eleve_ids": [1], "competence_id": "x"}, "invalide"),
    ({"palier_id": 1, "classe_id": 1, "eleve_ids": [1], "competence_id": 16}, "pas utilisé"),
    ({"palier_id": 9, "classe_id": 1, "eleve_ids": [1], "competence_id": C1}, "pas utilisé"),
    ({"palier_id": 2, "classe_id": 42, "eleve_ids": [1], "competence_id": C1}, "n'existe pas"),
])
def test_grid_refuses_bad_choices(api, payload, error):
    director = login(api, "dir")
    with pytest.raises(UserError, match=error):
        call(api, "validation.grid", payload, director)


def test_teacher_not_principal_cannot_grid_click_or_save(api):
    teacher = login(api, "mar.dupuis")
    assigned = login(api, "tho.crespin")
    with pytest.raises(PermissionDenied):
        grid(api, teacher, classe_id=2, eleve_ids=[6])
    with pytest.raises(PermissionDenied):
        grid(api, assigned)
    with pytest.raises(UserError, match="Aucun tableau"):
        click(api, assigned, kind="cell", eleve_id=1, row_id=ITEM)
    with pytest.raises(UserError, match="Aucun tableau"):
        call(api, "validation.save", session=assigned)
    # allowed by the setting, then withdrawn between the click and the save
    db.set_meta(api.db, "professeurs_affectes_valident", "1")
    grid(api, assigned)
    click(api, assigned, kind="cell", eleve_id=1, row_id=ITEM)
    db.set_meta(api.db, "professeurs_affectes_valident", "0")
    before = dump(api)
    with pytest.raises(PermissionDenied):
        click(api, assigned, kind="cell", eleve_id=1, row_id=ITEM)
    with pytest.raises(PermissionDenied):
        call(api, "validation.save", session=assigned)
    assert dump(api) == before
    # the principal loses the class too
    grid(api, teacher)
    click(api, teacher, kind="cell", eleve_id=1, row_id=ITEM)
    api.db.execute("UPDATE affectation SET principal = 0")
    before = dump(api)
    with pytest.raises(PermissionDenied):
        call(api, "validation.save", session=teacher)
    assert dump(api) == before


def test_click_results_and_aid(api):
    teacher = login(api, "mar.dupuis")
    grid(api, teacher)
    r = click(api, teacher, kind="cell", eleve_id=1, row_id=ITEM)
    assert r == {"cells": {f"1:{ITEM}": 1}, "arrows": {}, "arrow_labels": {},
                 "aid": {"1": {"valides": 1, "invalides": 0, "non_decides": 28,
                               "pourcentage": 3}}, "dirty": 1,
                 "undo": {"count": 1, "label": "Annuler : clic sur la case de Léa MARTIN, "
                                               f"« {short(FIRST.items[0].nom)} »"}}
    r = click(api, teacher, kind="column", eleve_id=2, domaine_id=FIRST.id)
    assert set(r["cells"]) == {f"2:{i.id}" for i in FIRST.items}
    assert r["arrows"] == {f"column:{FIRST.id}:2": 0} and set(r["aid"]) == {"2"}
    r = click(api, teacher, kind="row", row_id=ITEM)
    assert r["cells"] == {f"3:{ITEM}": 1, f"4:{ITEM}": 1}  # 1 and 2 already validé
    assert r["arrows"] == {f"row:{ITEM}": 0}
    r = click(api, teacher, kind="domaine", domaine_id=FIRST.id)
    assert len(r["cells"]) == 4 * len(FIRST.items) - len(FIRST.items) - 3
    r = click(api, teacher, kind="domaine", domaine_id=FIRST.id)
    assert set(r["cells"].values()) == {0} and len(r["cells"]) == 4 * len(FIRST.items)
    assert r["aid"]["4"]["invalides"] == len(FIRST.items)
    for bad in ({"kind": "cell", "eleve_id": 6, "row_id": ITEM},
                {"kind": "cell", "eleve_id": 1, "row_id": 999999},
                {"kind": "column", "eleve_id": 1, "domaine_id": 999},
                {"kind": "row", "row_id": 0}, {"kind": "domaine", "domaine_id": 0}):
        with pytest.raises(UserError, match="pas dans le tableau"):
            call(api, "validation.click", {"target": bad}, teacher)
    for bad in (None, {}, {"kind": "diagonal"}, {"kind": "cell", "eleve_id": 1},
                {"kind": "row", "row_id": [1]}):
        with pytest.raises(UserError):
            call(api, "validation.click", {"target": bad}, teacher)


def test_arrow_on_a_full_grid_cycles_every_cell(api, build):
    """A 30 x 29 domaine arrow, clicked 31 times: every cell follows validé / invalidé / effacé.

    Its speed is measured in the browser by bench/grid.py (never asserted here: a unit test
    on a shared machine would fail by load, not by code)."""
    for i in range(26):
        build.eleve(f"NOM{i:02}", "X", 1, id=100 + i)
    director = login(api, "dir")
    ids = [1, 2, 3, 4] + [100 + i for i in range(26)]
    g = grid(api, director, eleve_ids=ids)
    assert len(g["eleves"]) == 30
    draft = api.sessions[director].state["draft"]
    # the whole compétence as one "domaine" of 30 x 29 cells, through the domain object
    big = Layout(draft.layout.eleve_ids, ((1, draft.layout.row_ids),))
    draft.layout = big
    target = Target("domaine", domaine_id=1)
    every = big.all_keys()
    assert len(every) == 30 * 29
    for n in range(1, 32):
        draft.click(target)
        draft.aid({k[0] for k in every})
        expected = {1: 1, 2: 0, 0: None}[n % 3]
        assert {draft.cells.get(k) for k in every} == {expected}, n
    # and through the API, a domaine arrow of the real grid: 30 clicks end where they began
    call(api, "validation.grid", {"palier_id": 2, "classe_id": 1, "eleve_ids": ids,
                                  "competence_id": C1}, director)
    for _ in range(30):
        click(api, director, kind="domaine", domaine_id=FIRST.id)
    assert call(api, "validation.draft", session=director)["cells"] == {}


# -- save -----------------------------------------------------------------------------------


def test_save_semantics(api, monkeypatch, build):
    items_c1 = [i.id for i in referentiel.get().competences[C1].items]
    a, b, c, d = items_c1[:4]
    for item, etat in ((a, 1), (b, 0), (c, 1), (d, 1)):
        build.item(1, item, etat, "2023-05-02", "ANCIEN A.")
    teacher = login(api, "mar.dupuis")
    grid(api, teacher, eleve_ids=[1, 2])
    click(api, teacher, kind="cell", eleve_id=1, row_id=a)       # 1 -> 0 : modified
    click(api, teacher, kind="cell", eleve_id=1, row_id=b)       # 0 -> None : deleted
    for _ in range(3):                                           # 1 -> 0 -> None -> 1 : same
        click(api, teacher, kind="cell", eleve_id=1, row_id=c)
    click(api, teacher, kind="cell", eleve_id=2, row_id=a)       # None -> 1 : added
    click(api, teacher, kind="cell", eleve_id=2, row_id=b)       # added then
    click(api, teacher, kind="cell", eleve_id=2, row_id=b)       # 0 : added
    assert call(api, "validation.draft", session=teacher)["cells"] == {
        f"1:{a}": 0, f"1:{b}": None, f"2:{a}": 1, f"2:{b}": 0}
    r = call(api, "validation.save", session=teacher)
    assert (r["ajoutees"], r["modifiees"], r["supprimees"]) == (2, 1, 1)
    assert r["message"] == "Validations enregistrées : 2 ajoutées, 1 modifiée, 1 supprimée."
    assert items(api, 1) == {a: (0, "2024-06-14", "DUPUIS M."),
                             c: (1, "2023-05-02", "ANCIEN A."),
                             d: (1, "2023-05-02", "ANCIEN A.")}
    assert items(api, 2) == {a: (1, "2024-06-14", "DUPUIS M."), b: (0, "2024-06-14", "DUPUIS M.")}
    assert r["grid"]["dirty"] == 0
    assert r["grid"]["cells"][f"1:{a}"] == {"etat": 0, "date": "2024-06-14",
                                            "info": "DUPUIS M.", "modifie": False}
    again = call(api, "validation.save", session=teacher)
    assert (again["ajoutees"], again["modifiees"], again["supprimees"]) == (0, 0, 0)


def test_save_keeps_decisions_saved_meanwhile_elsewhere(api):
    director = login(api, "dir")
    teacher = login(api, "mar.dupuis")
    grid(api, teacher)
    grid(api, director)
    click(api, director, kind="cell", eleve_id=3, row_id=ITEM)
    call(api, "validation.save", session=director)
    click(api, teacher, kind="cell", eleve_id=4, row_id=ITEM)
    r = call(api, "validation.save", session=teacher)
    assert (r["ajoutees"], r["modifiees"], r["supprimees"]) == (1, 0, 0)
    assert items(api, 3) == {ITEM: (1, "2024-06-14", "MARTIN P.")}


def test_save_refuses_pupil_who_left_the_class(api):
    teacher = login(api, "mar.dupuis")
    grid(api, teacher)
    click(api, teacher, kind="cell", eleve_id=4, row_id=ITEM)
    api.db.execute("UPDATE eleve SET classe_id = 2 WHERE id = 4")
    before = dump(api)
    with pytest.raises(UserError, match="plus\\) dans cette classe"):
        call(api, "validation.save", session=teacher)
    assert dump(api) == before


def test_save_when_the_unchanged_pupils_left_returns_no_grid(api):
    teacher = login(api, "mar.dupuis")
    grid(api, teacher, eleve_ids=[1, 2])
    click(api, teacher, kind="cell", eleve_id=1, row_id=ITEM)
    api.db.execute("UPDATE eleve SET actif = 0 WHERE id = 2")
    r = call(api, "validation.save", session=teacher)
    assert r["ajoutees"] == 1 and r["grid"]["eleves"] == [{"id": 1, "nom": "MARTIN",
                                                          "prenom": "Léa"}]
    click(api, teacher, kind="cell", eleve_id=1, row_id=ITEM)
    api.db.execute("UPDATE eleve SET actif = 0 WHERE id = 1")
    with pytest.raises(UserError, match="plus. dans cette classe"):
        call(api, "validation.save", session=teacher)
    api.db.execute("UPDATE eleve SET actif = 1 WHERE id = 1")
    call(api, "validation.save", session=teacher)  # 1 -> 0
    api.db.execute("UPDATE eleve SET classe_id = 2 WHERE id = 1")
    assert call(api, "validation.save", session=teacher)["grid"] is None
    assert call(api, "validation.draft", session=teacher) is None


def test_discard(api):
    teacher = login(api, "mar.dupuis")
    grid(api, teacher)
    click(api, teacher, kind="cell", eleve_id=4, row_id=ITEM)
    assert call(api, "validation.discard", session=teacher) == {}
    assert call(api, "validation.draft", session=teacher) is None
    with pytest.raises(UserError, match="Aucun tableau"):
        call(api, "validation.save", session=teacher)


# -- compétences grid and lock --------------------------------------------------------------


def test_competences_grid_aid_and_lock(api, build):
    conn = api.db
    c1_items = [i.id for i in referentiel.get().competences[C1].items]
    for item in c1_items[:10]:
        build.item(1, item, 1, "2024-01-01", "")
    build.item(1, c1_items[10], 0, "2024-01-01", "")
    build.competence(2, C1, 1, "2024-02-01", "DIR")
    build.competence(2, C2, 0, "2024-02-01", "DIR")
    teacher = login(api, "mar.dupuis")
    g = grid(api, teacher, competence_id=None, eleve_ids=[1, 2])
    assert g["level"] == "competences" and g["competence"] is None
    assert len(g["domaines"]) == 1
    rows = g["domaines"][0]["rows"]
    assert [r["ref"] for r in rows] == ["1", "2", "3a", "3b", "4", "5", "6", "7"]
    assert rows[0]["locked_for"] == [2] and rows[1]["locked_for"] == []
    assert g["aid"][f"1:{C1}"] == {"valides": 10, "total": 29, "pourcentage": 34}
    assert g["aid"][f"2:{C1}"] == {"valides": 0, "total": 29, "pourcentage": 0}

    with pytest.raises(PermissionDenied, match="seul le directeur"):
        click(api, teacher, kind="cell", eleve_id=2, row_id=C1)
    r = click(api, teacher, kind="row", row_id=C1)  # arrows skip the locked cell
    assert r["cells"] == {f"1:{C1}": 1} and r["aid"] == {}
    click(api, teacher, kind="cell", eleve_id=2, row_id=C2)  # invalidé is not locked
    r = call(api, "validation.save", session=teacher)
    assert (r["ajoutees"], r["modifiees"], r["supprimees"]) == (1, 0, 1)
    assert {tuple(x) for x in conn.execute(
        "SELECT eleve_id, competence_id, etat FROM validation_competence")} == {
        (1, C1, 1), (2, C1, 1)}
    # a forged draft cannot unlock it either
    draft = api.sessions[teacher].state["draft"]
    draft.set_cell((2, C1), 0)
    before = dump(api)
    with pytest.raises(PermissionDenied, match="seul le directeur"):
        call(api, "validation.save", session=teacher)
    assert dump(api) == before

    director = login(api, "dir")
    g = grid(api, director, competence_id=None, eleve_ids=[1, 2])
    assert all(r["locked_for"] == [] for r in g["domaines"][0]["rows"])
    click(api, director, kind="cell", eleve_id=2, row_id=C1)
    r = call(api, "validation.save", session=director)
    assert r["modifiees"] == 1
    assert conn.execute(f"SELECT etat, info FROM validation_competence WHERE eleve_id = 2 "
                        f"AND competence_id = {C1}").fetchone()[:] == (0, "MARTIN P.")


# -- drafts kept by the browser -------------------------------------------------------------


def test_draft_round_trip_and_restore_ignores_what_no_longer_fits(api):
    teacher = login(api, "mar.dupuis")
    grid(api, teacher, eleve_ids=[1, 2, 4])
    click(api, teacher, kind="cell", eleve_id=1, row_id=ITEM)
    click(api, teacher, kind="row", row_id=ITEM)
    click(api, teacher, kind="row", row_id=ITEM)
    plain = call(api, "validation.draft", session=teacher)
    assert plain["cells"] == {f"1:{ITEM}": 0, f"2:{ITEM}": 0, f"4:{ITEM}": 0}
    assert plain["arrows"] == {f"row:{ITEM}": None}
    plain["cells"]["999:1"] = 1          # unknown pupil
    plain["cells"][f"1:{99999}"] = 1     # unknown item
    plain["cells"]["nonsense"] = 1
    plain["cells"][f"2:{FIRST.items[1].id}"] = True  # not a state
    plain["arrows"]["row:123456"] = 0
    api.db.execute("UPDATE eleve SET actif = 0 WHERE id = 4")  # pupil 4 left

    other = login(api, "mar.dupuis")  # e.g. the page was reloaded: a new session
    g = call(api, "validation.restore_draft", {"draft": plain}, other)
    assert [e["id"] for e in g["eleves"]] == [2, 1]
    assert g["dirty"] == 2
    assert g["cells"][f"1:{ITEM}"] == {"etat": 0, "date": None, "info": None, "modifie": True}
    assert g["cells"][f"2:{FIRST.items[1].id}"]["etat"] is None
    assert g["arrows"][f"row:{ITEM}"] is None and "row:123456" not in g["arrows"]
    r = call(api, "validation.save", session=other)
    assert r["ajoutees"] == 2


def test_restore_draft_rechecks_permissions_and_format(api):
    director = login(api, "dir")
    grid(api, director, classe_id=2, eleve_ids=[6])
    click(api, director, kind="cell", eleve_id=6, row_id=ITEM)
    plain = call(api, "validation.draft", session=director)
    teacher = login(api, "mar.dupuis")
    with pytest.raises(PermissionDenied):
        call(api, "validation.restore_draft", {"draft": plain}, teacher)
    for bad in (None, "x", {}, {"version": 2}, {**plain, "cells": [1]},
                {**plain, "eleve_ids": [999]}):
        with pytest.raises(UserError):
            call(api, "validation.restore_draft", {"draft": bad}, director)


def test_restore_draft_keeps_lock(api, build):
    build.competence(1, C1, 1, "2024-02-01", "D")
    teacher = login(api, "mar.dupuis")
    plain = {"version": 1, "level": "competences", "palier_id": 2, "classe_id": 1,
             "competence_id": None, "eleve_ids": [1], "cells": {f"1:{C1}": None}, "arrows": {}}
    g = call(api, "validation.restore_draft", {"draft": plain}, teacher)
    assert g["dirty"] == 0 and g["cells"][f"1:{C1}"]["etat"] == 1
