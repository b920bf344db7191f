"""Errors the engine raises to its callers (CLI, web). Each message is meant for people."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.texts import Text, render


class OtklikError(Exception):
    """Base class: something the caller can explain to a user."""


@dataclass(frozen=True)
class Problem:
    """One deployment problem: where it is and what to change."""

    file: str
    element: str | None
    message: str | Text  # a Text renders in the reader's language (engine.texts)

    @property
    def text(self) -> str:
        """The message alone, in the current language."""
        return render(self.message)

    def __str__(self) -> str:
        where = f"{self.file}: {self.element}" if self.element else self.file
        return f"{where}: {self.text}"


class DeploymentError(OtklikError):
    """A diagram or form failed validation; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(problems)

    def __str__(self) -> str:  # rendered when shown, in the reader's language
        return "\n".join(str(p) for p in self.problems)


class FieldError(OtklikError):
    """Refused input: ``field`` names the input to mark (a form field; the console turns it into its
    option), the message is a Text rendered in the reader's language."""

    def __init__(self, field: str, message: Text) -> None:
        self.field = field
        self.text = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.text)


class NotFound(OtklikError):
    """The task, instance or procedure does not exist (or is not visible to the user)."""


class Forbidden(OtklikError):
    """The user may not do this."""


class OutOfScope(Forbidden):
    """The credential (a scoped API token) is limited to another territory, whatever its owner may do."""


class Conflict(OtklikError):
    """The state changed under the user, e.g. a task was already completed in another tab."""


class AlreadyRegistered(Conflict):
    """The same registration form was sent again; ``message_id`` is the message it registered."""

    def __init__(self, message_id: int) -> None:
        self.message_id = message_id
        super().__init__(f"this form already registered message {message_id}")


class InvalidSubmission(OtklikError):
    """Form data failed validation; ``errors`` maps field key to a message (a Text renders when shown)."""

    def __init__(self, errors: Mapping[str, str | Text]) -> None:
        self.errors = dict(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:  # rendered when shown, in the reader's language
        return "; ".join(f"{k}: {render(v)}" for k, v in self.errors.items())
