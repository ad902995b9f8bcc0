"""Sessions end after ``IDLE`` without activity (a shared classroom computer left open).

``Api._resolve`` asks ``expired(session)`` on every command; an expired session is closed
(French message, code "session") and the unsaved grid of its user is kept here, in the
``Api``, until that user logs in again: ``auth.login`` then returns it as ``brouillon`` (the
plain draft of ``validation.draft``), which ``validation.restore_draft`` takes back — its class
permission checked again. The time is the project's clock (``_compat.now``), so tests move it.
"""

from __future__ import annotations

import datetime

from cartable import _compat

IDLE = datetime.timedelta(minutes=30)
EXPIRED = (
    "Votre session s'est terminée après 30 minutes sans activité (ordinateur partagé). "
    "Reconnectez-vous : les modifications non enregistrées du tableau vous seront proposées "
    "à nouveau."
)


def expired(session, now: datetime.datetime | None = None) -> bool:
    """True once ``session`` has been idle for ``IDLE``; else its activity is recorded now."""
    now = now or _compat.now()
    if now - session.last_seen >= IDLE:
        return True
    session.last_seen = now
    return False


def keep_draft(kept: dict, session) -> None:
    """The unsaved validation grid of an expired ``session``, kept for its user's next login."""
    draft = session.state.get("draft")
    if draft is not None and getattr(draft, "dirty", None):
        kept[session.user_id] = draft.to_plain()


def take_draft(kept: dict, user_id: int) -> dict | None:
    """The draft kept for ``user_id`` (given once), or None."""
    return kept.pop(user_id, None)
