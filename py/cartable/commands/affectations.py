"""API commands ``affectations.*``: who teaches in which class (docs/API.md "Accounts")."""

from __future__ import annotations

from cartable.accounts import affectations
from cartable.api import command

# -- assignments ----------------------------------------------------------------------------


@command("affectations.list", role="directeur")
def affectations_list(api, payload, session):
    return affectations.list_affectations(api.db)


@command("affectations.set", role="directeur")
def affectations_set(api, payload, session):
    affectations.set_affectation(
        api.db, payload.get("professeur_id"), payload.get("classe_id"), payload.get("affecte")
    )
    return affectations.list_affectations(api.db)


@command("affectations.set_principal", role="directeur")
def affectations_set_principal(api, payload, session):
    affectations.set_principal(api.db, payload.get("classe_id"), payload.get("professeur_id"))
    return affectations.list_affectations(api.db)
