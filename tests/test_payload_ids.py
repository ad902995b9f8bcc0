"""Ids in a command's payload (``payload.payload_int``): anything that is not the id of a row
is refused with a French sentence, whatever its size, and nothing is written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import call

from cartable.errors import UserError

HUGE = [10**30, -(10**30), 2**63, str(10**30)]  # beyond SQLite's 64-bit integers


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("command, key, extra", [
    ("eleves.list", "classe_id", {}),
    ("bilan.grid", "classe_id", {}),
    ("livret.elements", "classe_id", {"periode_id": 1}),
    ("validation.attestation", "classe_id", {"palier_id": 2}),
    ("professeurs.update", "id", {"nom": "DUPUIS", "prenom": "Marie"}),
    ("affectations.set", "professeur_id", {"classe_id": 1, "affecte": True}),
])
def test_an_id_too_big_for_the_database_is_refused_in_french(api, build, command, key, extra,
                                                              value):
    build.letterhead()
    build.director()
    d = api.director_session()
    teacher = build.teacher()
    build.classe("CM2 A", id=1)
    before = hashlib.sha256(Path(api.path).read_bytes()).hexdigest()
    with pytest.raises(UserError) as caught:
        call(api, command, {**extra, key: value}, d)
    assert str(caught.value).startswith("Identifiant d")
    assert "invalide" in str(caught.value)
    assert hashlib.sha256(Path(api.path).read_bytes()).hexdigest() == before
    assert teacher  # the teacher exists: only the id was wrong


@pytest.mark.parametrize("what, expected", [
    ("classe", "Identifiant de classe invalide"),
    ("élève", "Identifiant d'élève invalide"),
    ("professeur", "Identifiant de professeur invalide"),
])
def test_the_refusal_elides_before_a_vowel(api, build, what, expected):
    from cartable.payload import payload_int

    with pytest.raises(UserError, match=expected):
        payload_int("abc", what)
