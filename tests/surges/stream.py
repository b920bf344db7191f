"""A generated stream of messages on the virtual clock, for the surge tests.

The baseline of weeks is written as message rows directly (thousands of cases through the whole
procedure would cost minutes and test nothing the surge reads): a row is what routing leaves — the
territory, the registration time, the topic and place the curator set. The burst that must be
escalated goes through the real path in test_surge_scenario.py (registration starts the procedure,
the curator's routing form records topic and place).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import insert

from engine.db.database import Database
from engine.models import Message

CHUNK = 5000


def message_rows(region: str, times: Iterable[datetime], topic: str | None, location: str | None,
                 author: str = "Житель") -> list[dict[str, object]]:
    return [{"region": region, "network": "vk", "url": f"https://vk.com/wall-1_{index}", "author": f"{author} {index}",
             "text": "Сообщение", "posted_at": at, "detected_at": at, "topic": topic, "location": location,
             "status": "in_progress", "registered_by": "curator", "registered_at": at}
            for index, at in enumerate(times)]


def add_messages(db: Database, rows: list[dict[str, object]]) -> None:
    with db.session() as session:
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(Message), rows[start:start + CHUNK])


def every(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """Moments from ``start`` (inclusive) to ``end`` (exclusive), ``step`` apart."""
    found, at = [], start
    while at < end:
        found.append(at)
        at += step
    return found


def steady(db: Database, region: str, topic: str, location: str | None, end: datetime, *, days: int,
           per_hour: float) -> int:
    """``per_hour`` messages an hour, evenly, for ``days`` days before ``end``; returns how many."""
    times = every(end - timedelta(days=days), end, timedelta(hours=1) / per_hour)
    add_messages(db, message_rows(region, times, topic, location))
    return len(times)


def burst(db: Database, region: str, topic: str, location: str | None, start: datetime, count: int,
          minutes: int) -> list[datetime]:
    """``count`` messages spread over ``minutes`` from ``start``."""
    times = [start + timedelta(minutes=minutes) * index / count for index in range(count)]
    add_messages(db, message_rows(region, times, topic, location, author="Автор всплеска"))
    return times
