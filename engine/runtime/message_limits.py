"""What a message may be: bounds on its dates and free text, the same at every way in.

A message's text is stored three times (its row, the case state, the audit trail) and its dates
feed the working-time countdowns every inbox page computes; so both are bounded where a message
enters — the registration form (engine.runtime.registration) and start_procedure (engine.runtime), which
any future API calls too. The numbers are documented in docs/security.md.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

MAX_AGE = timedelta(days=366)  # a message found now was posted within the last year (leap years included)
CLOCK_SKEW = timedelta(minutes=5)  # a detection "now" typed on a fast PC clock is not in the future
MAX_TEXT = 20_000  # characters; a VK post holds at most 16,384
MAX_AUTHOR = 300
MAX_URL = 2_000

_LENGTHS = {"url": MAX_URL, "author": MAX_AUTHOR, "text": MAX_TEXT}
DATES = ("posted_at", "detected_at")
# For start_procedure's ValueError (registration shows the codes as Russian labels instead).
EXPLANATIONS = {
    "too_long": "is longer than {limit} characters",
    "future": "is in the future",
    "too_old": "is more than 366 days ago",
}


class _Message(Protocol):
    # Read-only members: a frozen MessageInput (dates always set) and a form's parse (a date may
    # be None) both fit; only reading is done here.
    @property
    def url(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def posted_at(self) -> datetime | None: ...
    @property
    def detected_at(self) -> datetime | None: ...


def date_problem(value: datetime, now: datetime) -> str | None:
    """``future`` or ``too_old`` when ``value`` is outside [now − MAX_AGE, now + CLOCK_SKEW]."""
    if value > now + CLOCK_SKEW:
        return "future"
    if value < now - MAX_AGE:
        return "too_old"
    return None


def bound_problems(message: _Message, now: datetime) -> dict[str, str]:
    """Field → ``too_long``, ``future`` or ``too_old`` for what is outside the bounds (dates
    that are None, i.e. could not be read, are skipped)."""
    problems = {name: "too_long" for name, limit in _LENGTHS.items() if len(getattr(message, name)) > limit}
    for name in DATES:
        value = getattr(message, name)
        # A naive time is start_procedure's own refusal ("needs a time zone"), not comparable here.
        code = date_problem(value, now) if value is not None and value.tzinfo is not None else None
        if code:
            problems[name] = code
    return problems


def explain(name: str, code: str) -> str:
    """An English sentence for a field's problem code (start_procedure's ValueError)."""
    return f"{name} " + EXPLANATIONS[code].format(limit=_LENGTHS.get(name))
