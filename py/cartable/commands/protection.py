"""API command: the "Protection des données" page (docs/API.md)."""

from __future__ import annotations

from .. import protection_donnees
from ..api import command


@command("protection.texte", role="public")
def texte(api, payload, session):
    """``{}`` -> ``{"titre", "sections": [{"titre", "paragraphes", "liste"}]}`` (French)."""
    return protection_donnees.page()
