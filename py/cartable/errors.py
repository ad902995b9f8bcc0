"""The one exception type whose message is shown to the user (always in French)."""


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
