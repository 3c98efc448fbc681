"""Domain errors: a translated message for the user, a stable code, the field at fault."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule refused the action. Rendered as RFC 9457 problem details by the API."""

    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotAllowed(DomainError):
    status = 403
    code = "not_allowed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The object changed state since the user saw it, or a duplicate exists."""

    status = 409
    code = "conflict"
