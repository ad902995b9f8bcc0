"""Sessions end after ``IDLE`` without activity (a shared classroom computer left open).

``Api._resolve`` asks ``expired(session)`` on every command; an expired session is closed
(French message, code "session") and the unsaved grids of its user are kept here, in the
``Api``, until that user logs in again: ``auth.login`` then returns them as ``brouillons``
(each ``{"grille": name, "draft": plain}``) and the first one, for the callers that know only
that, as ``brouillon`` (its plain draft, with ``grille`` added). The grids that can be kept
register here (``keeps``): the validation grid (``validation.draft``, ``grille``
"validation") and the livret (``livret.draft``, "livret"); each ``*.restore_draft`` takes its
draft back, the class permission checked again. The time is the project's clock
(``_compat.now``), so tests move it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cartable import _compat

IDLE = datetime.timedelta(minutes=30)
EXPIRED = (
    "Votre session s'est terminée après 30 minutes sans activité (ordinateur partagé). "
    "Reconnectez-vous : les modifications non enregistrées du tableau vous seront proposées "
    "à nouveau."
)

# session state key -> (the grid's name for the browser, draft -> plain changes or None);
# command modules are imported on first use, so the order offered is ORDER's.
GRIDS: dict[str, tuple[str, Callable]] = {}
ORDER = ("validation", "livret", "bilan")


def keeps(state_key: str, grille: str, plain: Callable) -> None:
    """Register a grid kept across an expiry: ``plain(draft)`` gives its unsaved changes as
    plain data, or None when there are none."""
    GRIDS[state_key] = (grille, plain)


def expired(session, now: datetime.datetime | None = None) -> bool:
    """True once ``session`` has been idle for ``IDLE``; else its activity is recorded now."""
    now = now or _compat.now()
    if now - session.last_seen >= IDLE:
        return True
    session.last_seen = now
    return False


def keep_draft(kept: dict, session) -> None:
    """The unsaved grids of an expired ``session``, kept for its user's next login (those of
    an earlier expired session of the same user, not taken yet, stay unless replaced)."""
    found = {}
    for key, (grille, plain) in GRIDS.items():
        draft = session.state.get(key)
        changes = None if draft is None else plain(draft)
        if changes is not None:
            found[grille] = {"grille": grille, "draft": changes}
    if found:
        kept[session.user_id] = {**kept.get(session.user_id, {}), **found}


def take_draft(kept: dict, user_id: int) -> list[dict]:
    """The drafts kept for ``user_id`` (given once), in ``ORDER``; [] when none."""
    found = kept.pop(user_id, {})
    rank = {g: i for i, g in enumerate(ORDER)}
    return sorted(found.values(), key=lambda d: rank.get(d["grille"], len(ORDER)))
