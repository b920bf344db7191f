"""Working time with a schedule of its own, regional holidays and workdays, and the calendar's refusals
(split from test_workingtime.py, which holds the arithmetic itself)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from engine.calendar.workingtime import Schedule, WorkingCalendar

H = timedelta(hours=1)


@pytest.fixture
def msk() -> WorkingCalendar:
    return WorkingCalendar("Europe/Moscow")


def at(c: WorkingCalendar, y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=c.timezone)


# --- schedules and regional data ----------------------------------------------------


def test_schedule_without_lunch(msk):
    c = WorkingCalendar("Europe/Moscow", Schedule(start=time(8), end=time(17), lunch_start=None, lunch_end=None))
    assert c.working_periods(date(2025, 3, 4)) == [(at(c, 2025, 3, 4, 8), at(c, 2025, 3, 4, 17))]
    assert c.working_periods(date(2025, 3, 7)) == [(at(c, 2025, 3, 7, 8), at(c, 2025, 3, 7, 16))]
    assert c.working_hours(9, at(c, 2025, 3, 4, 8)) == at(c, 2025, 3, 4, 17)


def test_six_day_week_keeps_the_production_calendar():
    c = WorkingCalendar("Europe/Moscow", Schedule(workdays={0, 1, 2, 3, 4, 5}))
    assert c.is_working_day(date(2025, 3, 15))  # an ordinary Saturday
    assert not c.is_working_day(date(2025, 3, 8))  # a holiday on Saturday
    assert not c.is_working_day(date(2025, 11, 3))  # a transferred day off
    assert not c.is_working_day(date(2025, 3, 16))  # Sunday


def test_extra_regional_holidays_and_workdays():
    # e.g. Radonitsa, a regional non-working holiday on Tue 2025-04-29.
    c = WorkingCalendar("Asia/Barnaul", extra_holidays=[date(2025, 4, 29)], extra_workdays=[date(2025, 11, 3)])
    assert not c.is_working_day(date(2025, 4, 29))
    assert c.is_shortened(date(2025, 4, 28))  # precedes a non-working holiday (art. 95)
    assert c.is_working_day(date(2025, 11, 3))
    assert c.is_shortened(date(2025, 11, 3))  # now directly before Nov 4
    assert c.working_periods(date(2025, 4, 28))[-1][1] == at(c, 2025, 4, 28, 17)
    # The national calendar is untouched by another calendar's extras.
    assert WorkingCalendar("Asia/Barnaul").is_working_day(date(2025, 4, 29))


def test_no_working_day_at_all_fails_loudly():
    c = WorkingCalendar("Europe/Moscow", Schedule(workdays=frozenset()))
    assert c.is_working_day(date(2025, 11, 1))  # the decree still makes it working
    with pytest.raises(ValueError, match="no working day"):
        c.working_hours(1, at(c, 2030, 1, 1))


# --- errors ----------------------------------------------------------------------------


def test_naive_datetimes_rejected(msk):
    naive = datetime(2025, 3, 4, 10)
    aware = at(msk, 2025, 3, 4, 10)
    for call in (
        lambda: msk.working_hours(1, naive),
        lambda: msk.working_minutes(1, naive),
        lambda: msk.working_days(1, naive),
        lambda: msk.add_working_time(naive, H),
        lambda: msk.working_time_between(naive, aware),
        lambda: msk.working_time_between(aware, naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_negative_and_invalid_amounts_rejected(msk):
    since = at(msk, 2025, 3, 4, 10)
    for call in (
        lambda: msk.working_hours(-1, since),
        lambda: msk.working_minutes(-0.5, since),
        lambda: msk.working_days(-1, since),
        lambda: msk.add_working_time(since, -H),
        lambda: msk.working_hours(float("nan"), since),
        lambda: msk.working_days(1.5, since),
    ):
        with pytest.raises(ValueError):
            call()


def test_bad_construction_rejected():
    with pytest.raises(ValueError, match="time zone"):
        WorkingCalendar("Mars/Olympus")
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar("Europe/Moscow", extra_holidays=[date(2025, 1, 9)], extra_workdays=[date(2025, 1, 9)])
    with pytest.raises(ValueError):
        Schedule(lunch_start=time(13), lunch_end=None)
    with pytest.raises(ValueError):
        Schedule(start=time(18), end=time(9))
    with pytest.raises(ValueError):
        Schedule(lunch_start=time(8), lunch_end=time(9))
    with pytest.raises(ValueError):
        Schedule(workdays={7})
    with pytest.raises(TypeError):
        WorkingCalendar("Europe/Moscow").is_working_day(datetime(2025, 3, 4, 10))
