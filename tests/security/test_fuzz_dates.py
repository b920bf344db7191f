"""Fuzz: dates an official types and the working-time arithmetic that reads them.

Registration refuses a posted/detected time outside the documented window (not earlier than a
year before now, not in the future) with a problem beside the field, never by an exception; and
whatever dates reach the calendar — from the year 1 to 9999, naive, in odd zones, across DST —
each working-time function answers or raises ValueError within a bound, because an inbox page
computes a countdown per task and must not walk centuries of days.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.calendar.workingtime import WorkingCalendar
from engine.runtime.cases import MessageInput
from engine.runtime.registration import registration_problems
from tests.security.fuzz_support import bounded, rng

LIMIT = 0.3  # seconds per calendar call (an inbox page makes 50 of them)
ZONES = ("Asia/Yekaterinburg", "Asia/Kamchatka", "Europe/Moscow", "America/New_York", "Pacific/Chatham")


def _instants(source, count: int) -> list[datetime]:  # type: ignore[no-untyped-def]
    fixed = [datetime(1, 1, 1, tzinfo=UTC), datetime(2, 1, 1, 10, tzinfo=UTC),
             datetime(1900, 1, 1, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC),
             datetime(2025, 3, 30, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # a DST gap
             datetime(2025, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Kamchatka"))]
    randoms = [datetime(source.randint(1, 9999), source.randint(1, 12), source.randint(1, 28), source.randint(0, 23),
                        source.randint(0, 59), tzinfo=ZoneInfo(source.choice(ZONES))) for _ in range(count)]
    near = [datetime(2025, 11, 10, 9, tzinfo=UTC) + timedelta(hours=source.randint(-20_000, 20_000))
            for _ in range(count)]
    return fixed + randoms + near


@pytest.mark.parametrize("zone", ["Asia/Yekaterinburg", "Asia/Kamchatka"])
def test_working_time_functions_answer_within_bounds_for_any_dates(zone: str) -> None:
    calendar = WorkingCalendar(zone)
    source = rng(f"calendar:{zone}")
    instants = _instants(source, 40)
    amounts = (0, 1, 8, 9.5, 365, 366, 2920, 2921, 10**6, 10**9, -1, float("nan"), float("inf"), True, "8", None)
    for number in range(250):
        start, end = source.choice(instants), source.choice(instants)
        amount = source.choice(amounts)
        case = f"#{number}: {start.isoformat()} → {end.isoformat()}, n={amount!r}"
        bounded(lambda start=start, end=end: calendar.working_time_between(start, end), (ValueError, OverflowError), LIMIT, f"between {case}")  # noqa: E501 - test data
        for function in (calendar.working_hours, calendar.working_minutes, calendar.working_days):
            bounded(lambda function=function, amount=amount, start=start: function(amount, start), (ValueError, TypeError, OverflowError), LIMIT,  # noqa: E501 - test data
                    f"{function.__name__} {case}")


def test_registration_refuses_dates_outside_the_window_beside_the_field(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    now = virtual_clock.current
    source = rng("registration")
    window_start = now - timedelta(days=366)
    for number, posted in enumerate(_instants(source, 60)):
        detected = source.choice([posted, now, posted + timedelta(minutes=5), now + timedelta(days=3)])
        message = MessageInput(region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван",
                               text="Яма", posted_at=posted, detected_at=detected)
        with db.session() as session:
            problems = bounded(lambda message=message: registration_problems(session, message), (), LIMIT, f"registration #{number}")
        for name, value in (("posted_at", posted), ("detected_at", detected)):
            outside = value < window_start or value > now + timedelta(minutes=5)
            if outside:
                assert name in problems, f"#{number}: {name}={value.isoformat()} accepted (now {now.isoformat()})"
