"""API command ``ui.strings``: the rules and texts the interface shows, from the core, once.

The browser asks for them once, before any other call, so that no rule (a limit, a default, a
message about data) is written twice, in Python and in JavaScript (see docs/API.md "Interface").
"""

from __future__ import annotations

from cartable import _compat, db
from cartable.accounts import names, passwords
from cartable.api import command
from cartable.errors import LOCKED
from cartable.school import letterhead

# Palier 2 (fin de CM2): what an elementary school validates and sends to the collège.
DEFAULT_PALIER_ID = 2
# The niveau whose classes are ticked first for the SACoche export (pupils leaving for collège).
EXPORT_DEFAULT_NIVEAU = "CM2"


@command("ui.strings", role="public")
def strings(api, payload, session):
    n = passwords.PASSWORD_MIN_LENGTH
    return {
        "password_min_length": n,
        "password_hint": f"Au moins {n} caractères.",
        "uai_length": letterhead.UAI_LENGTH,
        "uai_example": letterhead.UAI_EXAMPLE,  # a valid UAI (its check letter is right)
        "default_palier_id": DEFAULT_PALIER_ID,
        "export_default_niveau": EXPORT_DEFAULT_NIVEAU,
        "locked_message": LOCKED,
        "school_file_name": db.school_file_name(_compat.now()),  # as school.file_bytes names it
        # LSU's civilités (teachers' accounts, the director in Réglages); "" = not given
        "civilites": [{"valeur": "", "nom": "(non indiquée)"}]
        + [{"valeur": c, "nom": names.CIVILITE_NOMS[c], "court": names.CIVILITE_COURTES[c]} for c in names.CIVILITES],
    }
