"""Working-time arithmetic is bounded whatever the dates and amounts (issue 11, findings 2 and 6).

A message "posted" in the year 2 made every inbox view walk ~730,000 days (17–21 s per page), and
``working_days(10**9)`` burnt 12 s of CPU per registration before failing. Now a count never walks
more than ten years of days (workingtime.MAX_SPAN_DAYS), is refused before walking when the dates
are further apart, amounts have documented bounds, and a day's working time is computed once per
calendar, so an inbox page of 50 countdowns stays fast.
"""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest

from engine.calendar.workingtime import Schedule, WorkingCalendar

NOW = datetime(2025, 10, 31, 9, tzinfo=UTC)


def timed(call):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        return call(), time.perf_counter() - started
    except Exception as error:  # noqa: BLE001 - the caller asserts on the kind
        return error, time.perf_counter() - started


@pytest.mark.parametrize("since", [datetime(2, 1, 1, 10, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC)],
                         ids=["year-2", "year-9999"])
def test_a_countdown_across_centuries_is_refused_at_once(since: datetime) -> None:
    calendar = WorkingCalendar("Asia/Yekaterinburg")
    result, seconds = timed(lambda: calendar.working_time_between(since, NOW))
    assert isinstance(result, ValueError) and "at most 3660 days" in str(result), result
    assert seconds < 0.5


def test_two_inbox_pages_of_countdowns_ten_years_out_take_well_under_a_second() -> None:
    # An inbox page shown twice: 50 tasks, each due somewhere in the next ten years, on a fresh
    # calendar (the first walk computes the days, the rest read them; before, 2.4 s).
    dues = [NOW + timedelta(days=3650 - 7 * i, hours=i) for i in range(50)]
    WorkingCalendar("Asia/Yekaterinburg").working_time_between(NOW, dues[0])  # load the holidays of those years
    calendar = WorkingCalendar("Asia/Yekaterinburg")
    result, seconds = timed(lambda: [calendar.working_time_between(NOW, due) for due in dues * 2])
    assert isinstance(result, list) and all(r > timedelta(0) for r in result)
    # A count, not a wall-clock bound (the suite runs on two workers): each day of those ten years
    # is worked out once, however many countdowns cross it (~0.3 s here; before, every walk redid
    # its days: 2.4 s).
    days = (max(dues) - NOW).days + 2
    computed = calendar._periods_of.cache_info().misses  # noqa: SLF001 - the day cache is what is measured
    assert computed <= days, f"{computed} day computations for {days} days ({seconds:.2f} s)"


@pytest.mark.parametrize("function, amount, limit", [
    ("working_days", 10**9, 365), ("working_hours", 10**9, 2920), ("working_minutes", 10**12, 175_200)])
def test_a_billion_is_refused_at_once(function: str, amount: int, limit: int) -> None:
    calendar = WorkingCalendar("Asia/Yekaterinburg")
    result, seconds = timed(lambda: getattr(calendar, function)(amount, NOW))
    assert isinstance(result, ValueError) and f"at most {limit}" in str(result), result
    assert seconds < 0.5


def test_a_calendar_with_one_short_working_day_a_week_stops_at_ten_years() -> None:
    # The largest amount on the thinnest schedule would need ~55 years of Mondays: refused, not walked.
    thin = WorkingCalendar("Europe/Moscow", Schedule(workdays={0}, start=clock_time(9), end=clock_time(11),
                                                     lunch_start=None, lunch_end=None))
    result, seconds = timed(lambda: thin.working_hours(2920, NOW))
    assert isinstance(result, ValueError) and "at most 3660 days" in str(result), result
    assert seconds < 1.0
