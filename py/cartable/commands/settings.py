"""API commands ``settings.*`` (docs/API.md "School")."""

from __future__ import annotations

from cartable.api import command
from cartable.school import settings as school_settings


@command("settings.get", role="directeur")
def settings_get(api, payload, session):
    return school_settings.get_settings(api.db)


@command("settings.set", role="directeur")
def settings_set(api, payload, session):
    return school_settings.set_settings(api.db, payload)
