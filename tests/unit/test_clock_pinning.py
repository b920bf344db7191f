"""A pinned "now" belongs to the thread that pinned it (timers caught up in parallel threads)."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

from engine import clock


def test_pinned_time_is_not_seen_by_another_thread(virtual_clock) -> None:  # type: ignore[no-untyped-def]
    pinned_at = datetime(2025, 11, 10, 12, 0, tzinfo=UTC)
    seen: list[datetime] = []
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        inside.wait(5)
        seen.append(clock.now())
        release.set()

    thread = threading.Thread(target=other)
    thread.start()
    with clock.pinned(pinned_at):
        inside.set()
        release.wait(5)
        assert clock.now() == pinned_at
    thread.join(5)
    assert seen == [virtual_clock.current]
    assert clock.now() == virtual_clock.current
