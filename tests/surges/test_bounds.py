"""Bounds of the surge check: a huge stream costs one bounded query per territory, answered from the
index alone; a surge keeps at most 50 messages and its notification lists 20 and "и ещё N"."""
from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from engine.models import Notification
from engine.models.surge import Surge
from engine.surges.detect import MAX_GROUPS, count_groups, detect_surges, watched
from engine.surges.record import LISTED, MAX_MESSAGE_IDS
from tests.surges.conftest import PLACE, T0, TOPIC
from tests.surges.stream import add_messages, burst, every, message_rows

TOPICS = ("roads_transport", "healthcare", "education", "housing_utilities", "ecology")


def _plan(session) -> str:  # type: ignore[no-untyped-def]
    """How the database answers the count (SQLite: from the covering index alone)."""
    connection = session.connection()
    query = ("SELECT topic, location, count(*) FROM message WHERE region = 'orenburg' AND registered_at > "
             "'2025-10-13' AND registered_at <= '2025-11-10' AND topic IS NOT NULL GROUP BY topic, location")
    if connection.dialect.name == "postgresql":
        return " ".join(str(row) for row in connection.exec_driver_sql("EXPLAIN " + query))
    return " ".join(str(row) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + query))


def test_a_huge_stream_is_counted_in_bounded_time_and_rows(governed) -> None:  # type: ignore[no-untyped-def]
    db = governed.db
    # ~40 000 messages over four weeks on 5 topics × 40 places, 700 other places with one message each
    # in the last hour (more groups than one check reads), and a burst of 300 at one place.
    times = every(T0 - timedelta(days=28), T0, timedelta(seconds=60))
    rows = message_rows("orenburg", times, None, None)
    for index, row in enumerate(rows):
        row["topic"], row["location"] = TOPICS[index % 5], f"Населённый пункт {index % 40}"
    add_messages(db, rows)
    for index in range(700):
        add_messages(db, message_rows("orenburg", [T0 + timedelta(seconds=index)], "ecology", f"Село {index}"))
    burst(db, "orenburg", TOPIC, PLACE, T0, count=300, minutes=40)
    at = T0 + timedelta(minutes=45)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:  # what autovacuum does in production after such a load
            connection.exec_driver_sql("ANALYZE message")
    with db.session(readonly=True) as session:
        [territory] = watched(session)
        started = time.perf_counter()
        groups = count_groups(session, "orenburg", territory.rule, at)
        took = time.perf_counter() - started
        plan = _plan(session)
    assert len(groups) == MAX_GROUPS and groups[0][:3] == (TOPIC, PLACE, 300)
    print(f"count_groups over {len(rows) + 1000} messages: {took * 1000:.0f} ms")
    assert took < 2.0, f"one territory's count took {took:.2f} s"
    if db.engine.dialect.name == "sqlite":  # PostgreSQL plans by statistics: here every row is in range
        assert "COVERING INDEX ix_message_region_registered" in plan, plan
    [surge_id] = detect_surges(db, at)
    with db.session() as session:
        surge = session.get_one(Surge, surge_id)
        [told] = session.scalars(select(Notification).where(Notification.recipient == "governor"))
    assert surge.count == 300 and len(surge.message_ids) == MAX_MESSAGE_IDS
    listed = [line for line in told.body.splitlines() if line.startswith("• ")]
    assert len(listed) == LISTED and f"… и ещё {300 - LISTED}" in told.body and len(told.body) <= 4000
