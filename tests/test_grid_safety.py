"""Safer decisions: arrows say their next action in words, undo before saving, and the list of
what saving will lock (for the confirmation dialog).

Bad inputs tried: undo with nothing to undo (fresh grid, after saving, after undoing
everything), undo and preview without a grid, undo and preview after losing the class.
"""

from __future__ import annotations

import datetime
import random

import pytest
from helpers import SchoolBuilder, call

from cartable.api import Api
from cartable.errors import PermissionDenied, UserError
from cartable.socle2008 import grid, referentiel
from cartable.socle2008.grid import Draft, Layout, Target
from cartable.socle2008.words import short

C1, C2 = 8, 9  # compétences 1 and 2 of palier 2
FIRST = referentiel.get().competences[C1].domaines[0]  # "Dire"
ITEM = FIRST.items[0].id


@pytest.fixture
def api(tmp_path, clock):
    """Class 1 (CM2 A): Léa MARTIN (1), Hugo BERNARD (2), Emma ZOLA (3); the teacher
    mar.dupuis is its professeur principal."""
    clock.set(datetime.date(2026, 6, 12))
    a = Api(str(tmp_path / "ecole.sqlite3"))
    build = SchoolBuilder(a)
    build.classe("CM2 A", "CM2A", id=1)
    for eid, nom, prenom in ((1, "MARTIN", "Léa"), (2, "BERNARD", "Hugo"), (3, "ZOLA", "Emma")):
        build.eleve(nom, prenom, 1, id=eid)
    build.director("dir", nom="DUPUIS", prenom="Marie")
    build.assign(build.teacher("mar.dupuis"), 1, principal=True)
    yield a
    a.close()


def login(api, who="mar.dupuis"):
    return call(api, "auth.login", {"login": who, "password": "password1"})["session"]


def open_grid(api, token, competence_id=C1):
    return call(api, "validation.grid", {"palier_id": 2, "classe_id": 1, "eleve_ids": [1, 2, 3],
                                         "competence_id": competence_id}, token)


def click(api, token, **target):
    return call(api, "validation.click", {"target": target}, token)


def dump(api):
    return "\n".join(api.db.iterdump())


# -- arrows in words ------------------------------------------------------------------------


def test_every_arrow_says_its_next_action_and_what_it_covers(api):
    token = login(api)
    g = open_grid(api, token)
    assert set(g["arrow_labels"]) == set(g["arrows"])
    labels = g["arrow_labels"]
    column = f"column:{FIRST.id}:1"
    assert labels[column] == "Valider tout : la colonne de Léa MARTIN (domaine « Dire »)"
    assert labels[f"row:{ITEM}"] == f"Valider tout : la ligne « {short(FIRST.items[0].nom)} »"
    assert labels[f"domaine:{FIRST.id}"] == "Valider tout : tout le domaine « Dire »"
    # each click advances the words with the state: validate, invalidate, clear, validate
    expected = ["Invalider tout", "Effacer tout", "Valider tout"]
    for action in expected:
        r = click(api, token, kind="column", eleve_id=1, domaine_id=FIRST.id)
        assert r["arrow_labels"] == {
            column: f"{action} : la colonne de Léa MARTIN (domaine « Dire »)"}
    # a long item name is shortened, with an ellipsis
    long_rows = [i for d in referentiel.get().competences[C1].domaines for i in d.items
                 if len(i.nom) > 60]
    assert long_rows
    label = g["arrow_labels"][f"row:{long_rows[0].id}"]
    assert label.endswith("… »") and len(label) < 100


def test_competences_grid_words(api):
    token = login(api)
    g = open_grid(api, token, competence_id=None)
    labels = g["arrow_labels"]
    assert labels["column:0:2"] == "Valider tout : la colonne de Hugo BERNARD"
    assert labels[f"row:{C1}"] == "Valider tout : la ligne « Compétence 1 »"
    assert labels["domaine:0"] == "Valider tout : tout le tableau"


# -- undo -------------------------------------------------------------------------------------


def _draft() -> Draft:
    layout = Layout((1, 2, 3), ((10, (100, 101, 102)), (11, (110, 111))))
    saved = {(1, 100): (1, "2026-01-05", "X"), (2, 111): (0, "2026-01-05", "X")}
    return Draft("items", 2, C1, 1, layout, saved)


def _targets(layout: Layout) -> list[Target]:
    targets = [Target("cell", eleve_id=e, row_id=r) for e, r in layout.all_keys()]
    for d, rows in layout.domaines:
        targets.append(Target("domaine", domaine_id=d))
        targets += [Target("column", eleve_id=e, domaine_id=d) for e in layout.eleve_ids]
        targets += [Target("row", row_id=r) for r in rows]
    return targets


def arrows_of(draft: Draft) -> dict:
    """Arrow states (an arrow absent from the dict is at its start state)."""
    return {k: draft.arrows.get(k, grid.ARROW_START) for k in draft.layout.arrow_keys()}


def test_property_undoing_every_click_gives_back_the_grid_as_loaded():
    rng = random.Random(10)
    for _ in range(100):
        draft = _draft()
        targets = _targets(draft.layout)
        states = []
        for _ in range(rng.randint(1, 30)):
            states.append((dict(draft.cells), arrows_of(draft), set(draft.dirty)))
            draft.click(rng.choice(targets))
        while states:
            draft.undo()
            cells, arrows, dirty = states.pop()
            assert draft.cells == cells and draft.dirty == dirty
            assert arrows_of(draft) == arrows
        assert draft.history == [] and draft.undo() == ({}, None)
        assert draft.dirty == set()


def test_undo_is_bounded():
    draft = _draft()
    cell = Target("cell", eleve_id=3, row_id=102)
    for _ in range(grid.UNDO_LIMIT + 10):
        draft.click(cell)
    assert len(draft.history) == grid.UNDO_LIMIT
    for _ in range(grid.UNDO_LIMIT):
        draft.undo()
    # back to the state after the first 10 clicks (10 % 3 = 1: validé), no further
    assert draft.cells.get((3, 102)) == 1 and draft.undo() == ({}, None)


def test_undo_through_the_api(api):
    token = login(api)
    with pytest.raises(UserError, match="Aucun tableau de validation"):
        call(api, "validation.undo", {}, token)
    g = open_grid(api, token)
    assert g["undo"] == {"count": 0, "label": None}
    with pytest.raises(UserError, match="rien à annuler"):
        call(api, "validation.undo", {}, token)
    click(api, token, kind="cell", eleve_id=2, row_id=ITEM)
    r = click(api, token, kind="domaine", domaine_id=FIRST.id)
    assert r["undo"] == {"count": 2, "label": "Annuler : Valider tout : tout le domaine « Dire »"}
    assert len(r["cells"]) == 3 * len(FIRST.items) - 1
    # undo the arrow: its cells come back (as they were: cell 2 was already validé), the arrow
    # goes back to "Valider tout"
    u = call(api, "validation.undo", {}, token)
    assert set(u["cells"]) == set(r["cells"]) and set(u["cells"].values()) == {None}
    assert u["arrows"] == {f"domaine:{FIRST.id}": 1}
    assert u["arrow_labels"] == {f"domaine:{FIRST.id}": "Valider tout : tout le domaine « Dire »"}
    assert u["dirty"] == 1 and u["aid"]["1"]["valides"] == 0
    assert u["undo"]["count"] == 1 and u["undo"]["label"].startswith(
        "Annuler : clic sur la case de Hugo BERNARD")
    u = call(api, "validation.undo", {}, token)
    assert u["cells"] == {f"2:{ITEM}": None} and u["arrows"] == {} and u["dirty"] == 0
    assert u["undo"] == {"count": 0, "label": None}
    with pytest.raises(UserError, match="rien à annuler"):
        call(api, "validation.undo", {}, token)
    # saving starts afresh: nothing to undo, the saved decisions stay
    click(api, token, kind="cell", eleve_id=2, row_id=ITEM)
    saved = call(api, "validation.save", {}, token)
    assert saved["grid"]["undo"] == {"count": 0, "label": None}
    assert saved["grid"]["arrow_labels"][f"domaine:{FIRST.id}"].startswith("Valider tout")
    with pytest.raises(UserError, match="rien à annuler"):
        call(api, "validation.undo", {}, token)
    assert [tuple(r) for r in api.db.execute(
        "SELECT item_id, etat FROM validation_item WHERE eleve_id = 2")] == [(ITEM, 1)]


def test_undo_and_preview_recheck_the_class(api):
    token = login(api)
    open_grid(api, token, competence_id=None)
    click(api, token, kind="cell", eleve_id=1, row_id=C1)
    api.db.execute("UPDATE affectation SET principal = 0")
    for command in ("validation.undo", "validation.preview_save"):
        with pytest.raises(PermissionDenied, match="professeur principal"):
            call(api, command, {}, token)


# -- what saving will lock ------------------------------------------------------------------


def test_preview_lists_the_competences_that_saving_will_lock(api, build):
    build.competence(3, C2, 1, "2026-01-05", "DIR")
    token = login(api)
    open_grid(api, token, competence_id=None)
    empty = call(api, "validation.preview_save", {}, token)
    assert empty == {"changements": 0, "a_verrouiller": [], "titre": None, "message": None}
    click(api, token, kind="row", row_id=C2)        # 1 and 2 (3 is already validated, locked)
    click(api, token, kind="cell", eleve_id=3, row_id=C1)
    click(api, token, kind="cell", eleve_id=1, row_id=C1)
    click(api, token, kind="cell", eleve_id=1, row_id=C1)  # invalidé: not locked
    before = dump(api)
    preview = call(api, "validation.preview_save", {}, token)
    assert dump(api) == before  # a preview writes nothing
    assert preview["a_verrouiller"] == [  # in the grid's order: by nom, then compétence
        {"eleve_id": 2, "eleve": "Hugo BERNARD", "competence_id": C2,
         "competence": "Compétence 2"},
        {"eleve_id": 1, "eleve": "Léa MARTIN", "competence_id": C2, "competence": "Compétence 2"},
        {"eleve_id": 3, "eleve": "Emma ZOLA", "competence_id": C1, "competence": "Compétence 1"},
    ]
    assert preview["changements"] == 4
    assert preview["titre"] == "Valider définitivement 3 compétences ?"
    assert "seul le directeur ou la directrice pourra annuler" in preview["message"]
    # after saving, they are locked for the teacher indeed
    call(api, "validation.save", {}, token)
    g = open_grid(api, token, competence_id=None)
    rows = {r["id"]: r["locked_for"] for r in g["domaines"][0]["rows"]}
    assert rows[C2] == [1, 2, 3] and rows[C1] == [3]
    # the director is told the teachers cannot undo it
    director = login(api, "dir")
    open_grid(api, director, competence_id=None)
    click(api, director, kind="cell", eleve_id=2, row_id=C1)
    preview = call(api, "validation.preview_save", {}, director)
    assert [x["eleve"] for x in preview["a_verrouiller"]] == ["Hugo BERNARD"]
    assert "directrice, le vôtre, pourra annuler" in preview["message"]
    assert preview["titre"] == "Valider définitivement 1 compétence ?"


def test_items_never_lock(api):
    token = login(api)
    open_grid(api, token)
    click(api, token, kind="domaine", domaine_id=FIRST.id)
    preview = call(api, "validation.preview_save", {}, token)
    assert preview["a_verrouiller"] == [] and preview["changements"] == 3 * len(FIRST.items)


def test_every_grid_reply_carries_its_sentences_for_the_callers_role(api):
    """The page shows the core's help, lock sentence and locked-cell words (socle2008.words)."""
    teacher, director = login(api), login(api, "dir")
    items = open_grid(api, teacher)["textes"]
    assert items["aide"].startswith("Un clic sur une case la fait passer de ? à ✓, puis ✗")
    assert items["verrou"] is None  # items are never locked
    assert items["verrouille"] == "verrouillé"
    assert items["verrouille_titre"] == "verrouillé : seul le directeur peut annuler cette validation"
    mine = open_grid(api, teacher, competence_id=None)["textes"]["verrou"]
    theirs = open_grid(api, director, competence_id=None)["textes"]["verrou"]
    assert "seul le directeur peut annuler" in mine and "vous pouvez annuler" in theirs
    click(api, director, kind="cell", eleve_id=1, row_id=C1)
    saved = call(api, "validation.save", {}, director)["grid"]
    assert saved["textes"]["verrou"] == theirs
    plain = call(api, "validation.draft", {}, director)
    restored = call(api, "validation.restore_draft", {"draft": plain}, director)
    assert restored["textes"]["verrou"] == theirs


def test_de_is_elided_before_a_vowel(api):
    """« la colonne d'Emma ZOLA », never « la colonne de Emma »; « de Hugo » keeps its "de"."""
    from cartable.text import de
    assert [de(n) for n in ("Océane", "Émilie", "Yanis", "Léa", "Hugo", "l'élève 4")] == \
        ["d'Océane", "d'Émilie", "d'Yanis", "de Léa", "de Hugo", "de l'élève 4"]
    token = login(api)
    labels = open_grid(api, token)["arrow_labels"]
    assert labels[f"column:{FIRST.id}:3"] == \
        "Valider tout : la colonne d'Emma ZOLA (domaine « Dire »)"
    assert labels[f"column:{FIRST.id}:2"].startswith("Valider tout : la colonne de Hugo BERNARD")
    undo = click(api, token, kind="cell", eleve_id=3, row_id=ITEM)["undo"]
    assert undo["label"].startswith("Annuler : clic sur la case d'Emma ZOLA, ")
    assert not any(" de Emma" in label for label in labels.values())
