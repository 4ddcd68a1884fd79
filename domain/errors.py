"""Errors the domain raises; the web layer turns them into messages and status codes."""


class DomainError(Exception):
    """A rule refused the request; `field` names the form field it concerns, if any."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class Conflict(DomainError):
    """Someone else changed the record first, or the action does not fit its status."""


class Forbidden(DomainError):
    """The actor may not do this."""
