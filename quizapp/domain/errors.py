"""The errors services raise for a request they cannot take, each with a ``code`` and the HTTP status it
stands for; the message says why, for the person who asked.

Services raise them; each blueprint's one handler (``quizapp.errors.handle_domain_errors``) turns them
into an error page or the API's JSON error. Subclasses name the case and its ``code``
(``attempts.AttemptFinished`` is a ``Conflict`` with code ``attempt_finished``). Here in ``domain`` so that
services, blueprints and the domain itself may all import them.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request refused for a reason the person can act on."""

    status: int = 400
    code: str = "bad_request"
    message: str = "That request could not be taken."

    def __init__(self, message: str | None = None, *, code: str | None = None):
        super().__init__(message or self.message)
        if code is not None:
            self.code = code

    @property
    def description(self) -> str:
        return str(self)


class NotFound(DomainError):
    """No such thing, or not one the person may see: someone else's class is a 404, as if it did not exist."""

    status = 404
    code = "not_found"
    message = "There is no such thing among yours."


class Forbidden(DomainError):
    """The thing exists and the person may know it, but not do this with it."""

    status = 403
    code = "forbidden"
    message = "This belongs to another person's account or class."


class Conflict(DomainError):
    """The request clashes with the state of things: a finished attempt, an answer already given."""

    status = 409
    code = "conflict"
    message = "That cannot be done now."


class Invalid(DomainError):
    """What was sent cannot be used."""

    status = 400
    code = "invalid"
    message = "What was sent cannot be used."
