"""API command ``eleves.list`` (docs/API.md "School")."""

from __future__ import annotations

from cartable.accounts import affectations
from cartable.api import command
from cartable.errors import PermissionDenied
from cartable.school import roster


@command("eleves.list")
def eleves_list(api, payload, session):
    """Pupils of a class: the director sees all classes; a teacher the classes he or she is
    assigned to or may validate."""
    cid = roster.classe_id(api.db, payload.get("classe_id"))
    if not session.is_director:
        assigned = affectations.is_assigned(api.db, session.user_id, cid)
        if not assigned and cid not in api.allowed_classes(session):
            raise PermissionDenied(
                "Cette classe ne vous est pas attribuée : vous ne pouvez pas voir ses élèves. "
                "Demandez au directeur de vous l'attribuer."
            )
    return roster.list_eleves(api.db, cid)
