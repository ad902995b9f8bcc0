"""API command: the "Protection des données" page (docs/API.md)."""

from __future__ import annotations

from cartable.api import command
from cartable.school import protection_donnees


@command("protection.texte", role="public")
def texte(api, payload, session):
    """``{}`` -> ``{"titre", "sections": [{"titre", "paragraphes", "liste"}]}`` (French)."""
    return protection_donnees.page()
