"""Working-time calendar against the official production calendars of Russia.

Official facts used below (Government decrees on transfers of days off and
the Mintrud/ConsultantPlus production calendars built from them):
  2024: 248 working days, 1979 h (40-h week); shortened Feb 22, Mar 7, May 8,
        Jun 11, Nov 2 (working Saturdays Apr 27 and Dec 28 are full days).
  2025: 247 working days, 1972 h; shortened Mar 7, Apr 30, Jun 11, Nov 1.
  2026: 247 working days, 1972 h; shortened Apr 30, May 8, Jun 11, Nov 3.
1972 = 247 * 8 - 4: the hour totals only add up with four shortened days in
2025 (not five, so May 7 is a full day) and four in 2026 (so not 1976).
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.calendar.regions import REGIONS, Region, UnknownRegion, get_region, reset_current, set_current
from engine.calendar.workingtime import Schedule, WorkingCalendar, calendar_for_region

ZONES = ["Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novokuznetsk", "Asia/Barnaul"]
H = timedelta(hours=1)


@pytest.fixture(params=ZONES)
def cal(request) -> WorkingCalendar:
    return WorkingCalendar(request.param)


@pytest.fixture
def msk() -> WorkingCalendar:
    return WorkingCalendar("Europe/Moscow")


def at(c: WorkingCalendar, y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=c.timezone)


def days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


# --- regions -----------------------------------------------------------------


def test_regions_table(db):
    """The territories a migrated database has (migration 0007, their English names 0016), read through REGIONS."""
    with db.session(readonly=True):
        assert {k: r.timezone for k, r in REGIONS.items()} == {
            "orenburg": "Asia/Yekaterinburg",
            "smolensk": "Europe/Moscow",
            "kaluga": "Europe/Moscow",
            "kuzbass": "Asia/Novokuznetsk",
            "altai": "Asia/Barnaul",
            "kalmanka": "Asia/Barnaul",
        }
        assert get_region("kuzbass") == Region("kuzbass", "Кемеровская область — Кузбасс", "Asia/Novokuznetsk",
                                               name_en="Kemerovo Oblast — Kuzbass")
        assert get_region("orenburg").name == "Оренбургская область"
        assert get_region("kalmanka") == Region("kalmanka", "Калманский район Алтайского края", "Asia/Barnaul",
                                                kind="municipality", parent="altai", name_en="Kalmansky District, Altai Krai")
        with pytest.raises(TypeError):
            REGIONS["moscow"] = Region("moscow", "Москва", "Europe/Moscow")  # read-only


def test_unknown_region_lists_known_keys(db):
    with db.session(readonly=True):
        with pytest.raises(UnknownRegion) as exc:
            get_region("atlantis")
        assert isinstance(exc.value, KeyError)
        message = str(exc.value)
        assert "'atlantis'" in message
        assert "altai, kalmanka, kaluga, kuzbass, orenburg, smolensk" in message
        with pytest.raises(UnknownRegion, match="orenburg"):
            calendar_for_region("atlantis")


def test_calendar_for_region_is_cached_per_value_and_schedule():
    orenburg = calendar_for_region("orenburg")
    assert orenburg.timezone == ZoneInfo("Asia/Yekaterinburg")
    assert calendar_for_region("orenburg") is orenburg
    assert calendar_for_region("orenburg", Schedule()) is orenburg
    short = Schedule(end=time(17))
    assert calendar_for_region("orenburg", short) is calendar_for_region("orenburg", Schedule(end=time(17)))
    assert calendar_for_region("orenburg", short) is not orenburg
    assert calendar_for_region("kalmanka").timezone.key == "Asia/Barnaul"
    # By value, not by key: two territories made of the same facts share one calendar, and a
    # changed fact (engine.calendar.live gives a new Region) a new one.
    assert calendar_for_region("smolensk") is calendar_for_region("kaluga")
    token = set_current({**REGIONS, "orenburg": replace(REGIONS["orenburg"], extra_holidays=frozenset({date(2026, 3, 2)}))})
    try:
        changed = calendar_for_region("orenburg")
        assert changed is not orenburg and not changed.is_working_day(date(2026, 3, 2))
    finally:
        reset_current(token)
    assert calendar_for_region("orenburg") is orenburg


# --- the production calendar -------------------------------------------------


@pytest.mark.parametrize("day", ["2025-05-02", "2025-05-08", "2025-06-13", "2025-11-03", "2025-12-31"])
def test_2025_transferred_days_off(cal, day):
    d = date.fromisoformat(day)
    assert d.weekday() < 5  # a weekday made non-working by the decree
    assert not cal.is_working_day(d)
    assert cal.working_periods(d) == []


def test_2025_working_saturday_is_shortened(cal):
    sat = date(2025, 11, 1)
    assert sat.weekday() == 5
    assert cal.is_working_day(sat) and cal.is_shortened(sat)
    assert cal.working_periods(sat) == [
        (at(cal, 2025, 11, 1, 9), at(cal, 2025, 11, 1, 13)),
        (at(cal, 2025, 11, 1, 14), at(cal, 2025, 11, 1, 17)),
    ]
    assert all(s.tzinfo == cal.timezone for p in cal.working_periods(sat) for s in p)
    assert not cal.is_working_day(date(2025, 11, 8))  # an ordinary Saturday


def test_new_year_blocks(cal):
    for d in range(1, 9):
        assert not cal.is_working_day(date(2025, 1, d))
    assert cal.is_working_day(date(2025, 1, 9))
    for d in range(1, 12):
        assert not cal.is_working_day(date(2026, 1, d))
    assert cal.is_working_day(date(2026, 1, 12))
    # A bare Monday outside the blocks is an ordinary working day.
    assert cal.working_periods(date(2026, 1, 12))[0][0] == at(cal, 2026, 1, 12, 9)


def test_2026_days_off_in_lieu_and_transfers(cal):
    # Mar 8 and May 9 2026 fall on a weekend: art. 112 moves the day off to Monday.
    for d in (date(2026, 3, 9), date(2026, 5, 11), date(2026, 1, 9), date(2026, 12, 31)):
        assert not cal.is_working_day(d), d
    assert cal.is_working_day(date(2026, 2, 24))


OFFICIAL_SHORTENED = {
    2021: {"02-20", "04-30", "06-11", "11-03"},
    2022: {"02-22", "03-05", "11-03"},
    2023: {"02-22", "03-07", "11-03"},
    2024: {"02-22", "03-07", "05-08", "06-11", "11-02"},
    2025: {"03-07", "04-30", "06-11", "11-01"},
    2026: {"04-30", "05-08", "06-11", "11-03"},
    2027: {"02-20", "04-30", "06-11", "11-03"},
}


@pytest.mark.parametrize("year", sorted(OFFICIAL_SHORTENED))
def test_shortened_days_match_official_calendar(msk, year):
    found = {d.strftime("%m-%d") for d in days_of(year) if msk.is_shortened(d)}
    assert found == OFFICIAL_SHORTENED[year]


@pytest.mark.parametrize(
    "day, why",
    [
        ("2025-05-07", "followed by a transferred day off (05-08), not by a holiday"),
        ("2025-12-30", "Dec 31 2025 is a transferred day off, not a holiday"),
        ("2026-12-30", "Dec 31 2026 is a transferred day off, not a holiday"),
        ("2026-02-20", "an ordinary weekend lies between it and Feb 23"),
        ("2026-03-06", "an ordinary Saturday lies between it and Sunday Mar 8"),
        ("2024-04-27", "working Saturday in place of Apr 29, which precedes no holiday"),
        ("2024-12-28", "working Saturday in place of Dec 30, which precedes no holiday"),
    ],
)
def test_full_days_next_to_holiday_blocks(cal, day, why):
    d = date.fromisoformat(day)
    assert cal.is_working_day(d)
    assert not cal.is_shortened(d), why
    assert cal.working_periods(d)[-1][1] == at(cal, d.year, d.month, d.day, 18)


def test_shortened_days_before_weekend_holidays(cal):
    # The holiday itself falls on a Saturday: the Friday before is still short.
    assert cal.is_shortened(date(2025, 3, 7))
    assert cal.is_shortened(date(2026, 5, 8))
    assert not cal.is_shortened(date(2025, 3, 8))  # the holiday itself is not a working day


@pytest.mark.parametrize("year, days, hours", [(2024, 248, 1979), (2025, 247, 1972), (2026, 247, 1972)])
def test_working_days_and_hours_per_year(cal, year, days, hours):
    assert sum(cal.is_working_day(d) for d in days_of(year)) == days
    span = cal.working_time_between(at(cal, year, 1, 1), at(cal, year + 1, 1, 1))
    assert span == hours * H


# --- working hours -------------------------------------------------------------


def test_orenburg_deadline_crosses_into_working_saturday():
    c = calendar_for_region("orenburg")
    # Fri 2025-10-31 16:30 +05: 16:30-18:00 = 1.5 h (7.5 left);
    # Sat 11-01 is short: 09-13 = 4 h (3.5 left), 14-17 = 3 h (0.5 left);
    # Sun 11-02 weekend, Mon 11-03 transferred off, Tue 11-04 holiday;
    # Wed 11-05 09:00-09:30 completes the ninth hour.
    due = c.working_hours(9, at(c, 2025, 10, 31, 16, 30))
    assert due == at(c, 2025, 11, 5, 9, 30)
    assert due.utcoffset() == timedelta(hours=5) and due.tzinfo == c.timezone
    assert due == datetime(2025, 11, 5, 4, 30, tzinfo=UTC)
    # 8.5 h complete exactly at the end of the shortened Saturday.
    assert c.working_hours(8.5, at(c, 2025, 10, 31, 16, 30)) == at(c, 2025, 11, 1, 17)


def test_same_local_scenario_in_every_zone(cal):
    assert cal.working_hours(9, at(cal, 2025, 10, 31, 16, 30)) == at(cal, 2025, 11, 5, 9, 30)


def test_since_outside_working_time(msk):
    assert msk.working_hours(2, at(msk, 2025, 3, 5, 2)) == at(msk, 2025, 3, 5, 11)  # night
    assert msk.working_hours(1, at(msk, 2025, 3, 5, 13, 20)) == at(msk, 2025, 3, 5, 15)  # lunch
    assert msk.working_hours(1, at(msk, 2025, 3, 4, 19)) == at(msk, 2025, 3, 5, 10)  # evening
    # Holiday Thu 06-12, transferred Fri 06-13, weekend: next start is Mon 06-16.
    assert msk.working_hours(1, at(msk, 2025, 6, 12, 10)) == at(msk, 2025, 6, 16, 10)
    # Across the New Year block: Tue 2025-12-30 is a full day, then Dec 31..Jan 11 off.
    assert msk.working_hours(1, at(msk, 2025, 12, 30, 17, 30)) == at(msk, 2026, 1, 12, 9, 30)


def test_landing_exactly_on_period_ends(msk):
    assert msk.working_hours(3, at(msk, 2025, 3, 4, 10)) == at(msk, 2025, 3, 4, 13)
    assert msk.working_hours(3, at(msk, 2025, 3, 4, 15)) == at(msk, 2025, 3, 4, 18)
    assert msk.working_hours(1, at(msk, 2025, 6, 11, 16)) == at(msk, 2025, 6, 11, 17)  # short day
    assert msk.working_minutes(60, at(msk, 2025, 3, 4, 12)) == at(msk, 2025, 3, 4, 13)


def test_fractional_amounts(msk):
    # 12:50-13:00 = 10 min, lunch, then 20 min from 14:00.
    assert msk.working_hours(0.5, at(msk, 2025, 3, 4, 12, 50)) == at(msk, 2025, 3, 4, 14, 20)
    assert msk.working_minutes(90, at(msk, 2025, 3, 4, 12)) == at(msk, 2025, 3, 4, 14, 30)
    assert msk.working_hours(0.25, at(msk, 2025, 3, 4, 17, 50)) == at(msk, 2025, 3, 5, 9, 5)
    assert msk.working_minutes(7.5, at(msk, 2025, 3, 4, 9)) == at(msk, 2025, 3, 4, 9, 7) + timedelta(seconds=30)
    assert msk.add_working_time(at(msk, 2025, 3, 4, 17), timedelta(hours=2)) == at(msk, 2025, 3, 5, 10)


def test_zero_amount(msk):
    since = at(msk, 2025, 3, 4, 10, 15)
    assert msk.working_hours(0, since) == since
    assert msk.working_hours(0, at(msk, 2025, 3, 5, 2)) == at(msk, 2025, 3, 5, 9)
    assert msk.working_hours(0, at(msk, 2025, 3, 4, 13)) == at(msk, 2025, 3, 4, 14)
    assert msk.working_hours(0, at(msk, 2025, 3, 4, 18)) == at(msk, 2025, 3, 5, 9)
    assert msk.working_minutes(0, at(msk, 2026, 1, 1, 12)) == at(msk, 2026, 1, 12, 9)


def test_result_is_in_calendar_zone_whatever_the_input_zone(msk):
    since = datetime(2025, 3, 4, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    due = msk.working_hours(1, since)
    assert due.tzinfo == msk.timezone
    assert due == at(msk, 2025, 3, 4, 11)


def test_same_utc_instant_gives_different_deadlines():
    instant = datetime(2025, 11, 1, 10, 0, tzinfo=UTC)
    moscow, orenburg = calendar_for_region("smolensk"), calendar_for_region("orenburg")
    barnaul, kuzbass = calendar_for_region("kalmanka"), calendar_for_region("kuzbass")
    # Moscow 13:00 (lunch) -> 14:00-15:00; Yekaterinburg 15:00 -> 16:00;
    # Barnaul/Novokuznetsk 17:00 = end of the short Saturday -> Wed 09:00-10:00.
    assert moscow.working_hours(1, instant) == datetime(2025, 11, 1, 12, 0, tzinfo=UTC)
    assert orenburg.working_hours(1, instant) == datetime(2025, 11, 1, 11, 0, tzinfo=UTC)
    assert barnaul.working_hours(1, instant) == at(barnaul, 2025, 11, 5, 10)
    assert kuzbass.working_hours(1, instant) == barnaul.working_hours(1, instant)
    assert barnaul.working_hours(1, instant) == datetime(2025, 11, 5, 3, 0, tzinfo=UTC)
    # The local day differs too: Fri 23:00 in Moscow is already Sat 03:00 in Barnaul.
    late = datetime(2025, 10, 31, 20, 0, tzinfo=UTC)
    assert moscow.working_days(1, late) == at(moscow, 2025, 11, 1, 17)
    assert barnaul.working_days(1, late) == at(barnaul, 2025, 11, 5, 18)


# --- working days ----------------------------------------------------------------


def test_working_days_across_november_holidays(cal):
    # After Thu 10-30: Fri 10-31 (1), Sat 11-01 (2), [11-02..11-04 off],
    # Wed 11-05 (3), Thu (4), Fri (5), Mon 11-10 (6), Tue 11-11 (7).
    posted = at(cal, 2025, 10, 30, 12)
    assert cal.working_days(7, posted) == at(cal, 2025, 11, 11, 18)
    assert cal.working_days(2, posted) == at(cal, 2025, 11, 1, 17)  # ends of short day
    assert cal.working_days(7, at(cal, 2025, 11, 1, 10)) == at(cal, 2025, 11, 13, 18)


def test_working_days_zero(msk):
    assert msk.working_days(0, at(msk, 2025, 3, 4, 10)) == at(msk, 2025, 3, 4, 18)
    assert msk.working_days(0, at(msk, 2025, 3, 4, 2)) == at(msk, 2025, 3, 4, 18)
    assert msk.working_days(0, at(msk, 2025, 3, 4, 18)) == at(msk, 2025, 3, 5, 18)
    assert msk.working_days(0, at(msk, 2025, 11, 1, 10)) == at(msk, 2025, 11, 1, 17)
    assert msk.working_days(0, at(msk, 2025, 11, 1, 17, 30)) == at(msk, 2025, 11, 5, 18)
    assert msk.working_days(0, at(msk, 2025, 11, 2, 10)) == at(msk, 2025, 11, 5, 18)


def test_working_days_across_new_year(msk):
    assert msk.working_days(1, at(msk, 2025, 12, 30, 10)) == at(msk, 2026, 1, 12, 18)
    assert msk.working_days(1, at(msk, 2024, 12, 27, 10)) == at(msk, 2024, 12, 28, 18)  # full Saturday


# --- working time between -----------------------------------------------------------


def test_working_time_between(msk):
    assert msk.working_time_between(at(msk, 2025, 3, 3, 9), at(msk, 2025, 3, 4, 9)) == 8 * H
    assert msk.working_time_between(at(msk, 2025, 3, 4, 12), at(msk, 2025, 3, 3, 12)) == -8 * H
    assert msk.working_time_between(at(msk, 2025, 3, 4, 13, 10), at(msk, 2025, 3, 4, 13, 50)) == timedelta(0)
    assert msk.working_time_between(at(msk, 2025, 3, 4, 10), at(msk, 2025, 3, 4, 10)) == timedelta(0)
    assert msk.working_time_between(at(msk, 2025, 10, 31, 16, 30), at(msk, 2025, 11, 5, 9, 30)) == 9 * H


def test_countdown_to_deadline(msk):
    deadline = msk.working_hours(9, at(msk, 2025, 10, 31, 16, 30))
    # On the short Saturday at 10:00: 10-13 + 14-17 + Wed 09:00-09:30.
    assert msk.working_time_between(at(msk, 2025, 11, 1, 10), deadline) == 6.5 * H
    assert msk.working_time_between(at(msk, 2025, 11, 3, 10), deadline) == 0.5 * H
    # An hour of working time overdue reads as a negative remainder.
    assert msk.working_time_between(at(msk, 2025, 11, 5, 10, 30), deadline) == -1 * H
    # Overdue only by non-working time is still just "zero left".
    assert msk.working_time_between(at(msk, 2025, 11, 5, 9, 30), deadline) == timedelta(0)


@pytest.mark.parametrize("hours", [0.25, 1, 4, 7.5, 9, 40])
def test_between_inverts_add(cal, hours):
    since = at(cal, 2025, 10, 29, 11, 20)
    due = cal.working_hours(hours, since)
    assert cal.working_time_between(since, due) == hours * H
    assert cal.working_time_between(due, since) == -hours * H
