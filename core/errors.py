"""Errors that services raise for the user to read; views and the API turn them into answers."""

from __future__ import annotations


class UserError(Exception):
    """Base: ``str()`` is a message for the user, already in his language."""

    status = 400

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class Invalid(UserError):
    """Bad input: a form, a file, a request body. ``errors`` maps fields or rows to messages."""

    status = 422


class Refused(UserError):
    """A rule of the event or the workflow refuses the action (full, closed, already signed in ...)."""

    status = 409


class Forbidden(UserError):
    """The account may not do this."""

    status = 403


class NotFound(UserError):
    status = 404
