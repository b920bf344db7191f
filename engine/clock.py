"""The one notion of "now" for the engine.

SpiffWorkflow decides whether a timer is due by calling ``datetime.now(timezone.utc)``
inside its timer module. Production reads the system clock; tests install a
:class:`VirtualClock` so that deadlines days away are reached without sleeping. ``engine.spiff``
patches the timer module's ``datetime`` name with :class:`ClockedDatetime` once, so both our
code and SpiffWorkflow's agree.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta, tzinfo

_now_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731
# A pinned instant belongs to the thread (context) firing a timer, never to the whole process:
# two threads catching up on different cases must not see each other's "now".
_pinned: ContextVar[datetime | None] = ContextVar("otklik_pinned_now", default=None)


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    instant = _pinned.get()
    return (instant if instant is not None else _now_source()).astimezone(UTC)


def set_source(source: Callable[[], datetime] | None) -> None:
    """Install a clock (None restores the system clock)."""
    global _now_source
    _now_source = source or (lambda: datetime.now(UTC))


@contextmanager
def pinned(instant: datetime) -> Iterator[None]:
    """Let "now" read ``instant`` for a moment: overdue timers fire one due time at a time,
    in order, and what they start is armed from when they fell due, not from catch-up time."""
    token = _pinned.set(instant)
    try:
        yield
    finally:
        _pinned.reset(token)


class VirtualClock:
    """A clock that only moves when told to: ``clock.advance(hours=9)``."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("VirtualClock needs a timezone-aware start")
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current = self.current + timedelta(**delta)
        return self.current

    def set(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("VirtualClock needs timezone-aware instants")
        self.current = instant
        return self.current


class ClockedDatetime(datetime):
    """``datetime`` whose ``now()`` asks our clock; every other method is inherited."""

    @classmethod
    # typeshed says now() returns Self; ours returns the clock's plain datetime, which is all
    # SpiffWorkflow's timer module compares against.
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        instant = now()
        return instant.astimezone(tz) if tz is not None else instant.astimezone().replace(tzinfo=None)
