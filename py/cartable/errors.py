"""The one exception type whose message is shown to the user (always in French), and a message
shared by a command and the interface."""


class UserError(Exception):
    """Something the user can fix. ``str(err)`` is a French sentence saying what is wrong
    and what to do. Raising it must leave the database unchanged (callers validate first,
    then apply in one transaction)."""

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class PermissionDenied(UserError):
    """The caller's role or classes do not allow this command."""


# A teacher may not change a validated compétence: commands/validation.py refuses it, and the
# interface says it before asking (ui.strings), without importing the grid's modules.
LOCKED = (
    "Cette compétence est déjà validée pour cet élève : seul le directeur ou la directrice "
    "peut annuler cette validation."
)
