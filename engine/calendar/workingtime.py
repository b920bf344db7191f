"""Working-time arithmetic over the production calendar of Russia.

Regional regulations give answer deadlines in working hours or working days,
so a deadline depends on the official production calendar (holidays,
transferred days off, working Saturdays, shortened pre-holiday days), on the
organisation's schedule and on the region's time zone.  The national
calendar comes from the ``holidays`` package; regional additions are passed
in as data.  All arithmetic is done in UTC and converted to the calendar's
zone only at the edges, so that it would stay right even in a zone with DST.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# country_holidays, not holidays.RU: the package fills in its country names at run time, and
# the country classes' constructors are untyped; this is the typed, documented entry point.
from holidays import country_holidays

from engine.calendar.regions import REGIONS, get_region, territory_days

_ONE_DAY = timedelta(days=1)
_PRE_HOLIDAY_CUT = timedelta(hours=1)  # Labour Code art. 95
# No count walks more than ten years of days, whatever the dates or the amount: a deadline is
# months away at most, and one request must not walk centuries (a message "posted" in year 2,
# a timer set to 9999). A calendar with no working day for that long is misconfigured (e.g. an
# empty ``workdays``); both fail loudly instead of looping for seconds or forever.
MAX_SPAN_DAYS = 3660
# The largest amount each catalogue function accepts: a year of working days, and as many
# working hours (8 a day) or minutes. Regulations count hours and days, never years.
MAX_AMOUNTS: Mapping[str, int] = MappingProxyType({
    "working_days": 365, "working_hours": 2920, "working_minutes": 175_200,
})
# Periods of this many days are kept per calendar (an inbox asks about the same weeks over and over).
_DAY_CACHE = 4096

Period = tuple[datetime, datetime]


class WorkingTimeRangeError(ValueError):
    """The dates are further apart than working time is ever counted (MAX_SPAN_DAYS)."""


@dataclass(frozen=True)
class Schedule:
    """An organisation's working day; 0 = Monday in ``workdays``."""

    # Consulted only where the production calendar has no opinion: holidays,
    # transferred days off and working Saturdays always win over it.
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(9)
    end: time = time(18)
    lunch_start: time | None = time(13)
    lunch_end: time | None = time(14)

    def __post_init__(self) -> None:
        # Coerce so that a plain set still gives a hashable schedule: calendars
        # are cached per (region, schedule).
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in self.workdays):
            raise ValueError(f"workdays must be weekday numbers 0..6, got {set(self.workdays)}")
        if (self.lunch_start is None) != (self.lunch_end is None):
            raise ValueError("lunch_start and lunch_end must be both set or both None")
        bounds = [b for b in (self.start, self.lunch_start, self.lunch_end, self.end) if b is not None]
        if any(b.tzinfo is not None for b in bounds):
            raise ValueError("schedule times are local wall-clock times; drop tzinfo")
        if bounds != sorted(set(bounds)):
            raise ValueError("schedule times must satisfy start < lunch_start < lunch_end < end")
        # The pre-holiday day must keep some working time after the cut.
        anchor = date(2000, 1, 1)
        work = sum((datetime.combine(anchor, b) - datetime.combine(anchor, a)
                    for a, b in self.periods()), timedelta(0))
        if work <= _PRE_HOLIDAY_CUT:
            raise ValueError("a working day must be longer than one hour")

    def periods(self) -> list[tuple[time, time]]:
        """Working intervals of an ordinary (not shortened) day, local time."""
        if self.lunch_start is None or self.lunch_end is None:
            return [(self.start, self.end)]
        return [(self.start, self.lunch_start), (self.lunch_end, self.end)]


@dataclass(frozen=True)
class _National:
    days_off: frozenset[date]  # every non-working day from holidays.RU
    holidays: frozenset[date]  # statutory holidays (art. 112) only
    weekend_workdays: frozenset[date]  # Saturdays/Sundays made working by decree
    replaces: Mapping[date, date]  # working weekend day -> weekday it swapped with


@lru_cache(maxsize=64)
def _national(year: int) -> _National:
    # Neighbouring years are loaded too, because a transfer may cross the
    # year boundary (e.g. Saturday Jan 4 moved to Dec 31).
    years = (year - 1, year, year + 1)
    ru = country_holidays("RU", years=years)
    # observed=False drops the art. 112 in-lieu days (2026-03-09) but keeps
    # the decree transfers, which are removed below using the transfer table.
    plain = country_holidays("RU", years=years, observed=False)
    weekend_workdays = frozenset(ru.weekend_workdays)  # public attribute of holidays
    # The package records which day each transfer came from only in its
    # structured table of substitutions (to_month, to_day, from_month,
    # from_day[, from_year]); reading it avoids parsing holiday labels.
    transferred: set[date] = set()
    replaces: dict[date, date] = {}
    for table_year, entries in getattr(ru, "special_public_holidays", {}).items():
        if table_year not in years:
            continue
        if entries and isinstance(entries[0], int):  # a single entry, not a tuple of them
            entries = (entries,)
        for entry in entries:
            if len(entry) < 4:  # (month, day, name): a one-off holiday, not a transfer
                continue
            to_month, to_day, from_month, from_day, *from_year = entry
            day_off = date(table_year, to_month, to_day)
            worked = date(from_year[0] if from_year else table_year, from_month, from_day)
            transferred.add(day_off)
            if worked in weekend_workdays:
                replaces[worked] = day_off
    return _National(
        days_off=frozenset(ru),
        holidays=frozenset(d for d in plain if d not in transferred),
        weekend_workdays=weekend_workdays,
        replaces=MappingProxyType(replaces),
    )


def _aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        # A bare local time means different instants in different regions.
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value}")
    return value


def _amount(n: float, function: str) -> float:
    if isinstance(n, bool) or not isinstance(n, (int, float)) or not math.isfinite(n) or n < 0:
        raise ValueError(f"n must be a finite non-negative number, got {n!r}")
    return _at_most(n, function)


def _at_most(n: float, function: str) -> float:
    limit = MAX_AMOUNTS[function]
    if n > limit:
        raise ValueError(f"{function}(n): n must be at most {limit}, got {n!r}")
    return n


class WorkingCalendar:
    """Working time of one organisation in one time zone."""

    def __init__(
        self,
        timezone: str,
        schedule: Schedule = Schedule(),
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
    ) -> None:
        try:
            self.timezone: ZoneInfo = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {timezone!r}") from exc
        self.schedule = schedule
        # Regional non-working holidays (art. 6 of the Labour Code lets a
        # region add them) and regional working days, as data.
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        if clash := self.extra_holidays & self.extra_workdays:
            raise ValueError(f"dates are both extra holidays and extra workdays: {sorted(clash)}")
        # Per instance (calendars are shared and long-lived): a day's periods are computed once.
        self._periods_of = lru_cache(maxsize=_DAY_CACHE)(self._day_periods)
        self._work_of = lru_cache(maxsize=_DAY_CACHE)(self._day_work)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` (a local calendar date) is a working day."""
        day = _plain_date(day)
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        national = _national(day.year)
        if day in national.days_off:
            return False
        if day in national.weekend_workdays:
            return True
        return day.weekday() in self.schedule.workdays

    def _is_holiday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return False
        return day in self.extra_holidays or day in _national(day.year).holidays

    def is_shortened(self, day: date) -> bool:
        """Whether ``day`` is a pre-holiday working day, one hour shorter.

        Rule, derived from the official calendars 2021-2027 rather than from
        a list of dates:
        1. Art. 95 literally: a working day whose next calendar day is a
           statutory holiday (art. 112, or a regional extra holiday).  A
           decree-transferred day off is not a holiday, and an ordinary
           weekend in between breaks the adjacency.  So 2025-03-07 (before
           Saturday 03-08) and 2026-05-08 (before Saturday 05-09) are short,
           while 2025-05-07 (before the transferred 05-08), 2025-12-30 and
           2026-12-30 (before a transferred Dec 31) and 2026-02-20 (weekend,
           then 02-23) are full days.
        2. A weekend day made working by a transfer works in place of the
           weekday whose day off it gave, and keeps that weekday's length: a
           short day if that weekday precedes a holiday.  So Saturday
           2025-11-01 (for Monday 11-03, before 11-04) and 2024-11-02 (for
           2024-04-30, before 05-01) are short, while 2024-04-27 (for 04-29)
           and 2024-12-28 (for 12-30) are full days.
        """
        day = _plain_date(day)
        if not self.is_working_day(day):
            return False
        if self._is_holiday(day + _ONE_DAY):
            return True
        replaced = _national(day.year).replaces.get(day)
        return replaced is not None and self._is_holiday(replaced + _ONE_DAY)

    def working_periods(self, day: date) -> list[Period]:
        """Working intervals [start, end) of ``day`` in the local zone; [] on days off."""
        return [(s.astimezone(self.timezone), e.astimezone(self.timezone))
                for s, e in self._utc_periods(_plain_date(day))]

    def _utc_periods(self, day: date) -> tuple[Period, ...]:
        return self._periods_of(day)

    def _day_periods(self, day: date) -> tuple[Period, ...]:
        if not self.is_working_day(day):
            return ()
        periods = [
            (datetime.combine(day, s, self.timezone).astimezone(UTC),
             datetime.combine(day, e, self.timezone).astimezone(UTC))
            for s, e in self.schedule.periods()
        ]
        if self.is_shortened(day):
            periods = _cut_tail(periods, _PRE_HOLIDAY_CUT)
        return tuple(periods)

    def _day_work(self, day: date) -> timedelta:
        return sum((end - start for start, end in self._periods_of(day)), timedelta(0))

    def _working_days_from(self, first: date) -> Iterator[date]:
        day, found = first, False
        while True:
            if (day - first).days > MAX_SPAN_DAYS:
                if not found:
                    raise ValueError(f"no working day within {MAX_SPAN_DAYS} days of {first}")
                raise WorkingTimeRangeError(f"working time is counted over at most {MAX_SPAN_DAYS} days; "
                                            f"this count would go past {day}")
            if self.is_working_day(day):
                found = True
                yield day
            day += _ONE_DAY

    def _periods_after(self, moment: datetime) -> Iterator[Period]:
        """UTC periods that end after ``moment`` (UTC), in order, for at most MAX_SPAN_DAYS days."""
        local_day = moment.astimezone(self.timezone).date()
        for day in self._working_days_from(local_day):
            for start, end in self._utc_periods(day):
                if end > moment:
                    yield start, end

    def add_working_time(self, since: datetime, amount: timedelta) -> datetime:
        """The instant ``amount`` of working time is completed, counting from ``since``.

        Counting starts at ``since`` or, outside working time, at the next
        working moment.  A count that completes exactly at the end of a
        period returns that end (13:00, 18:00), not the next start.
        """
        cursor = _aware(since, "since").astimezone(UTC)
        if amount < timedelta(0):
            raise ValueError(f"amount must not be negative, got {amount}")
        remaining = amount
        for start, end in self._periods_after(cursor):
            begin = max(start, cursor)
            if remaining <= end - begin:
                return (begin + remaining).astimezone(self.timezone)
            remaining -= end - begin
        raise AssertionError("unreachable: _periods_after ends only by raising")

    def working_hours(self, n: float, since: datetime) -> datetime:
        """The instant the n-th working hour from ``since`` is completed (n at most MAX_AMOUNTS)."""
        return self.add_working_time(since, timedelta(hours=_amount(n, "working_hours")))

    def working_minutes(self, n: float, since: datetime) -> datetime:
        """The instant the n-th working minute from ``since`` is completed (n at most MAX_AMOUNTS)."""
        return self.add_working_time(since, timedelta(minutes=_amount(n, "working_minutes")))

    def working_days(self, n: int, since: datetime) -> datetime:
        """End of the n-th working day after the local day of ``since``.

        n = 0 means "today": the end of since's day if it is a working day
        and ``since`` is before its end, otherwise the end of the next one.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a non-negative int, got {n!r}")
        _at_most(n, "working_days")
        moment = _aware(since, "since").astimezone(UTC)
        today = moment.astimezone(self.timezone).date()
        if n == 0:
            periods = self._utc_periods(today)
            if periods and moment < periods[-1][1]:
                return periods[-1][1].astimezone(self.timezone)
            n = 1
        days = self._working_days_from(today + _ONE_DAY)
        for _ in range(n - 1):
            next(days)
        return self._utc_periods(next(days))[-1][1].astimezone(self.timezone)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); negative when end < start (countdowns).

        One step per calendar day, each a cached lookup; WorkingTimeRangeError (a ValueError)
        when the local dates are more than MAX_SPAN_DAYS apart, before any walking."""
        a = _aware(start, "start").astimezone(UTC)
        b = _aware(end, "end").astimezone(UTC)
        if b < a:
            return -self.working_time_between(end, start)
        first, last = self._local_dates(a, b)
        total = timedelta(0)
        day = first
        while day <= last:
            if first < day < last:  # a whole day inside the range
                total += self._work_of(day)
            else:
                for p_start, p_end in self._utc_periods(day):
                    if p_end > a and p_start < b:
                        total += min(p_end, b) - max(p_start, a)
            day += _ONE_DAY
        return total

    def countable(self, start: datetime, end: datetime) -> bool:
        """Whether working_time_between(start, end) is within MAX_SPAN_DAYS (else it raises)."""
        try:
            self._local_dates(*sorted((_aware(start, "start"), _aware(end, "end"))))
        except WorkingTimeRangeError:
            return False
        return True

    def _local_dates(self, a: datetime, b: datetime) -> tuple[date, date]:
        first, last = a.astimezone(self.timezone).date(), b.astimezone(self.timezone).date()
        if (last - first).days > MAX_SPAN_DAYS:
            raise WorkingTimeRangeError(f"working time is counted over at most {MAX_SPAN_DAYS} days; "
                                        f"{first} to {last} is {(last - first).days} days")
        return first, last


def _plain_date(day: date) -> date:
    # datetime subclasses date but never equals one: it would miss every lookup.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a local date, got {type(day).__name__}")
    return day


def _cut_tail(periods: list[Period], cut: timedelta) -> list[Period]:
    """Remove ``cut`` of working time from the end of the day."""
    result = list(periods)
    while cut > timedelta(0):
        start, end = result.pop()
        if end - start > cut:
            result.append((start, end - cut))
            break
        cut -= end - start
    return result


@lru_cache(maxsize=256)
def _calendar(timezone: str, schedule: Schedule, holidays: frozenset[date], workdays: frozenset[date]) -> WorkingCalendar:
    return WorkingCalendar(timezone, schedule, holidays, workdays)


def calendar_for_region(key: str, schedule: Schedule | None = None) -> WorkingCalendar:
    """The (cached, shared) calendar of a territory; UnknownRegion for a bad key.

    ``schedule`` is an organisation's own; without it the territory's, then its region's, then
    the default. Calendars are cached by what they are made of (zone, schedule, exceptions), not
    by key: a territory whose zone or holidays change gets a new calendar at its next use."""
    region = get_region(key)
    parent = REGIONS.get(region.parent) if region.parent else None
    chosen = schedule or region.schedule or (parent.schedule if parent else None) or Schedule()
    return _calendar(region.timezone, chosen, *territory_days(region))
