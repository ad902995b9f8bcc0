"""The bilan de fin de cycle grid as solid as the item grid (issue 17, points 5-8): undo of
clicks and arrows, arrows that say what their next click does (and to how many saved bilans),
a notice when an arrow rewrote saved bilans, the families' print limited to complete bilans."""

from __future__ import annotations

import datetime

import pytest
from helpers import call, login

from cartable.errors import UserError
from cartable.lsu import socle2016

CODES = list(socle2016.CODES)
NOW = datetime.datetime(2026, 6, 20, 16, 5, 9)


@pytest.fixture
def school(api, build, clock):
    clock.set(NOW)
    build.director()
    ce2 = build.classe("CE2 A", niveau="CE2")
    api.ids = [build.eleve(n, "Léa", ce2, ine=f"0123456789{i}") for i, n in
               enumerate(["ARNAUD", "BERTIN", "CARON", "DUVAL"])]
    api.ce2 = ce2
    api.s = login(api, "dir")
    return api


def grid(a):
    return call(a, "bilan.grid", {"classe_id": a.ce2}, a.s)


def click(a, **target):
    return call(a, "bilan.click", {"target": target}, a.s)


def positions(a):
    return grid(a)["cells"]


def save_complete(a, eleve_ids, value=3):
    """Give ``eleve_ids`` a complete saved bilan (8 positions ``value``, a synthèse)."""
    grid(a)
    for e in eleve_ids:
        for _ in range(value):
            click(a, kind="eleve", eleve_id=e)
        call(a, "bilan.synthese", {"eleve_id": e, "texte": "Bonne année."}, a.s)
    assert call(a, "bilan.save", {}, a.s)["enregistres"] == len(eleve_ids)


def test_undo_takes_back_cells_and_arrows_in_order_until_nothing_is_left(school):
    a, (e1, e2, *_) = school, school.ids
    g = grid(a)
    assert g["undo"] == {"count": 0, "label": None}
    click(a, kind="cell", eleve_id=e1, code="CPD_FRA")  # -> 1
    click(a, kind="cell", eleve_id=e1, code="CPD_FRA")  # -> 2
    r = click(a, kind="composante", code="CPD_SCI")  # everyone -> 1, arrow -> 2
    assert r["undo"]["count"] == 3
    assert r["undo"]["label"] == ("Annuler : Tout mettre à 1 (Maîtrise insuffisante) : la "
                                  "composante « Langages mathématiques et scientifiques » de "
                                  "toute la classe")
    r = call(a, "bilan.undo", {}, a.s)  # the arrow: its 4 cells cleared, its state back to 1
    assert r["cells"] == {f"{e}:CPD_SCI": None for e in a.ids}
    assert r["arrows"] == {"composante:CPD_SCI": 1}
    assert r["etat"][str(e2)] == {"positionnes": 0, "complet": False, "modifie": False}
    assert r["undo"] == {"count": 2, "label": "Annuler : clic sur la case de Léa ARNAUD, "
                                               "« Langue française »"}
    assert positions(a) == {}  # bilan.grid reloads: a fresh draft (undo is per draft)
    click(a, kind="cell", eleve_id=e1, code="CPD_FRA")
    click(a, kind="cell", eleve_id=e1, code="CPD_FRA")
    assert call(a, "bilan.undo", {}, a.s)["cells"] == {f"{e1}:CPD_FRA": 1}
    r = call(a, "bilan.undo", {}, a.s)
    assert r["cells"] == {f"{e1}:CPD_FRA": None} and r["dirty"] == 0
    with pytest.raises(UserError, match="rien à annuler"):
        call(a, "bilan.undo", {}, a.s)


def test_undo_of_an_arrow_restores_saved_bilans_exactly(school):
    a, (e1, e2, e3, e4) = school, school.ids
    save_complete(a, [e1, e2], value=3)
    before = positions(a)
    r = click(a, kind="composante", code="REP_MND")  # 1 for everyone: e1 and e2 rewritten
    assert r["dirty"] == 4
    assert r["message"] == (
        "La composante « Représentations du monde » est mise à « Maîtrise insuffisante » : "
        "2 bilans déjà enregistrés sont modifiés (rien n'est encore enregistré). « Annuler » "
        "(Ctrl+Z) rétablit les positions d'avant.")
    r = call(a, "bilan.undo", {}, a.s)
    assert r["dirty"] == 0 and r["cells"] == {f"{e1}:REP_MND": 3, f"{e2}:REP_MND": 3,
                                              f"{e3}:REP_MND": None, f"{e4}:REP_MND": None}
    assert call(a, "bilan.save", {}, a.s)["message"] == "Aucun changement à enregistrer."
    assert positions(a) == before


def test_arrows_say_what_their_next_click_does_and_to_how_many_saved_bilans(school):
    a, (e1, e2, e3, _) = school, school.ids
    save_complete(a, [e1], value=2)
    labels = grid(a)["arrow_labels"]
    assert set(labels) == {f"eleve:{e}" for e in a.ids} | {f"composante:{c}" for c in CODES}
    assert labels["composante:CPD_FRA"] == (
        "Tout mettre à 1 (Maîtrise insuffisante) : la composante « Langue française » de toute "
        "la classe (4 cases changent, dont 1 bilan déjà enregistré)")
    assert labels[f"eleve:{e2}"] == ("Tout mettre à 1 (Maîtrise insuffisante) : les 8 "
                                     "composantes de Léa BERTIN (8 cases changent)")
    r = click(a, kind="composante", code="CPD_FRA")  # -> 1 everywhere; next: 2
    assert r["arrow_labels"]["composante:CPD_FRA"] == (
        "Tout mettre à 2 (Maîtrise fragile) : la composante « Langue française » de toute la "
        "classe (4 cases changent, dont 1 bilan déjà enregistré)")
    for _ in range(4):  # 2, 3, 4, dispensé: next is "effacer"
        r = click(a, kind="composante", code="CPD_FRA")
    assert r["arrow_labels"]["composante:CPD_FRA"].startswith("Tout effacer : la composante")
    # e1's arrow (state 1) would change his 8 saved cells (2 and dispensé); after one click
    # on it, its next click (2) changes 8 cells again, in the same saved bilan
    assert r["arrow_labels"][f"eleve:{e1}"].endswith("(8 cases changent, dont 1 bilan déjà "
                                                      "enregistré)")
    r = click(a, kind="cell", eleve_id=e1, code="CPD_FRA")  # dispensé -> none
    r = click(a, kind="cell", eleve_id=e1, code="CPD_FRA")  # none -> 1
    assert r["arrow_labels"][f"eleve:{e1}"].endswith("(7 cases changent, dont 1 bilan déjà "
                                                      "enregistré)")
    r = click(a, kind="eleve", eleve_id=e3)  # e3 has no saved bilan: no notice
    assert r["message"] is None
    assert r["arrow_labels"][f"eleve:{e3}"].startswith("Tout mettre à 2 (Maîtrise fragile)")


def test_an_arrow_that_changes_nothing_is_still_one_undo_step(school):
    a, (e1, *_) = school, school.ids
    grid(a)
    click(a, kind="eleve", eleve_id=e1)  # 1 everywhere
    for _ in range(5):  # 2, 3, 4, 0, None
        click(a, kind="eleve", eleve_id=e1)
    r = click(a, kind="eleve", eleve_id=e1)  # 1 again
    assert r["arrow_labels"][f"eleve:{e1}"].startswith("Tout mettre à 2 (Maîtrise fragile)")
    for _ in range(7):
        r = call(a, "bilan.undo", {}, a.s)
    assert r["arrows"] == {f"eleve:{e1}": 1} and r["undo"]["count"] == 0
    assert positions(a) == {}


def test_the_families_print_holds_complete_bilans_unless_asked_for_all(school):
    a, (e1, e2, _, e4) = school, school.ids
    empty = call(a, "bilan.print", {"classe_id": a.ce2}, a.s)
    assert empty["eleves"] == [] and empty["nb_complets"] == 0 and empty["nb_eleves"] == 4
    assert empty["resume"].startswith("Aucun bilan complet à imprimer")
    save_complete(a, [e2, e4])
    grid(a)
    click(a, kind="eleve", eleve_id=e1)  # saved: 8 positions, no synthèse (incomplete)
    call(a, "bilan.save", {}, a.s)
    p = call(a, "bilan.print", {"classe_id": a.ce2}, a.s)
    assert [e["id"] for e in p["eleves"]] == [e2, e4] and all(e["complet"] for e in p["eleves"])
    assert p["resume"] == ("2 bilans complets à imprimer ; 2 élèves aux bilans incomplets ne "
                           "sont pas imprimés.")
    every = call(a, "bilan.print", {"classe_id": a.ce2, "tous": True}, a.s)
    assert [e["id"] for e in every["eleves"]] == a.ids and every["tous"] is True
    assert every["resume"] == ("Tous les élèves de la classe sont imprimés (4 pages), y compris "
                               "2 bilans incomplets.")
    # "tous" must be true itself: a string does not print everyone
    assert len(call(a, "bilan.print", {"classe_id": a.ce2, "tous": "non"}, a.s)["eleves"]) == 2


def test_a_draft_survives_a_reload_and_an_expired_session(school, clock):
    a = school
    save_complete(a, [a.ids[0]])
    grid(a)
    click(a, kind="composante", code=CODES[0])  # every pupil's first composante at 1
    click(a, kind="cell", eleve_id=a.ids[1], code=CODES[1])
    call(a, "bilan.synthese", {"eleve_id": a.ids[2], "texte": "Progrès."}, a.s)
    plain = call(a, "bilan.draft", {}, a.s)
    assert plain["version"] == 1 and sorted(plain["eleves"]) == sorted(map(str, a.ids))
    assert plain["eleves"][str(a.ids[1])] == {"cells": {CODES[0]: 1, CODES[1]: 1},
                                              "synthese": ""}
    assert plain["arrows"] == {f"composante:{CODES[0]}": 2}
    call(a, "bilan.discard", {}, a.s)
    assert call(a, "bilan.draft", {}, a.s) is None
    plain["eleves"]["999999"] = {"cells": {CODES[0]: 4}}  # not in the class: ignored
    plain["eleves"][str(a.ids[3])]["cells"]["XXX"] = 2  # not a composante: ignored
    plain["eleves"][str(a.ids[3])]["cells"][CODES[2]] = 7  # not a position: ignored
    again = call(a, "bilan.restore_draft", {"draft": plain}, a.s)
    assert again["dirty"] == 4 and again["arrows"][f"composante:{CODES[0]}"] == 2
    assert again["cells"][f"{a.ids[1]}:{CODES[1]}"] == 1
    assert again["cells"][f"{a.ids[0]}:{CODES[0]}"] == 1
    assert again["cells"][f"{a.ids[0]}:{CODES[1]}"] == 3  # its saved positions stay
    assert f"{a.ids[3]}:{CODES[2]}" not in again["cells"]
    assert again["syntheses"][str(a.ids[2])] == "Progrès."
    before = call(a, "bilan.draft", {}, a.s)
    assert before["eleves"] == {k: v for k, v in plain["eleves"].items() if k != "999999"} | {
        str(a.ids[3]): {"cells": {CODES[0]: 1}, "synthese": ""}}
    with pytest.raises(UserError, match="brouillon enregistré par le navigateur est illisible"):
        call(a, "bilan.restore_draft", {"draft": {"version": 2}}, a.s)
    clock.advance(60 * 31)  # the session ends: the draft is given back at the next login
    with pytest.raises(UserError, match="sans activité"):
        call(a, "bilan.save", {}, a.s)
    back = call(a, "auth.login", {"login": "dir", "password": "password1"})
    assert back["brouillons"] == [{"grille": "bilan", "draft": before}]
    assert back["brouillon"]["grille"] == "bilan" and back["brouillon"]["classe_id"] == a.ce2


def test_a_name_starting_with_a_vowel_is_elided_as_in_the_validation_grid(api, build, clock):
    """« les 8 composantes d'Océane ARNAUD », not « de Océane » (text.de, as socle2008/words);
    the livret grid's line arrow says « la ligne d'Océane ARNAUD »."""
    clock.set(NOW)
    build.director()
    ce2 = build.classe("CE2 A", niveau="CE2")
    oceane = build.eleve("ARNAUD", "Océane", ce2, ine="01234567890")
    s = login(api, "dir")
    g = call(api, "bilan.grid", {"classe_id": ce2}, s)
    assert "les 8 composantes d'Océane ARNAUD" in g["arrow_labels"][f"eleve:{oceane}"]
    r = call(api, "bilan.click", {"target": {"kind": "cell", "eleve_id": oceane,
                                             "code": CODES[0]}}, s)
    assert r["undo"]["label"].startswith("Annuler : clic sur la case d'Océane ARNAUD, ")
    from cartable.lsu import livret_grid
    from cartable.lsu.periodes import Periode

    call(api, "periodes.set", {"periodes": [["2025-09-01", "2025-12-19"],
                                            ["2026-01-05", "2026-07-04"]]}, s)
    periode = Periode(1, "2025", 1, 2, "2025-09-01", "2025-12-19")
    draft = livret_grid.build_draft(api.db, ce2, periode)
    assert draft.arrow_label(f"eleve:{oceane}").endswith(" : la ligne d'Océane ARNAUD")
    with pytest.raises(UserError, match="^L'appréciation générale d'Océane ARNAUD compte"):
        livret_grid.set_texts(draft, oceane, {"appreciation_generale": "a" * 1501})
