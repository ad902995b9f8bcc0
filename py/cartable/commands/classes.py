"""API command ``classes.list`` (docs/API.md "School")."""

from __future__ import annotations

from cartable.api import command
from cartable.school import roster


@command("classes.list")
def classes_list(api, payload, session):
    return roster.list_classes(api.db, api.allowed_classes(session))
