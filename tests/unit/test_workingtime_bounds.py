"""Working-time arithmetic is bounded: amounts up to the documented maximum, spans up to ten years
(docs/security.md); and the bounded day-by-day count agrees with adding working time."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from engine.calendar.workingtime import WorkingCalendar


@pytest.fixture
def msk() -> WorkingCalendar:
    return WorkingCalendar("Europe/Moscow")


def at(c: WorkingCalendar, y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=c.timezone)



@pytest.mark.parametrize("function, limit", [("working_days", 365), ("working_hours", 2920), ("working_minutes", 175_200)])
def test_amounts_up_to_the_documented_bound_are_counted_beyond_refused(msk, function, limit):
    since = at(msk, 2025, 3, 4, 10)
    assert getattr(msk, function)(limit, since) > since
    with pytest.raises(ValueError, match=f"at most {limit}"):
        getattr(msk, function)(limit + 1, since)


def test_between_counts_the_same_as_adding(msk):
    # The day-by-day sum (whole days from the cache, the two edge days clipped) agrees with
    # add_working_time over a year of holidays, shortened days and a DST-free zone.
    since = at(msk, 2025, 4, 29, 16, 45)
    for hours in (0.25, 7, 8, 100, 1000, 2920):
        due = msk.working_hours(hours, since)
        assert msk.working_time_between(since, due) == timedelta(hours=hours)
        assert msk.working_time_between(due, since) == -timedelta(hours=hours)


def test_between_refuses_more_than_ten_years_before_walking(msk):
    from engine.calendar.workingtime import MAX_SPAN_DAYS, WorkingTimeRangeError

    start = at(msk, 2025, 1, 1)
    assert msk.countable(start, start + timedelta(days=MAX_SPAN_DAYS))
    msk.working_time_between(start, start + timedelta(days=MAX_SPAN_DAYS))
    assert not msk.countable(start, start + timedelta(days=MAX_SPAN_DAYS + 1))
    with pytest.raises(WorkingTimeRangeError, match="at most 3660 days"):
        msk.working_time_between(start + timedelta(days=MAX_SPAN_DAYS + 1), start)
