"""Report periods: a calendar month or quarter in a region's local time (``2025-11``, ``2025-Q4``),
parsed and bounded once. The summaries (engine.reports.summary) and the heatmap
(engine.views.heatmap) both ask for one, so it lives in the calendar below both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from engine import clock

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Periods a report may be asked for: nothing was recorded before 2000, and a period more than a
# year ahead is a typo. Year 1 used to reach datetime arithmetic that overflows (a 500).
FIRST_YEAR = 2000


class PeriodOutOfRange(ValueError):
    """A well-formed period outside FIRST_YEAR … next year."""

    def __init__(self, label: str, first: int, last: int) -> None:
        self.first, self.last = first, last
        super().__init__(f"period '{label}' is outside {first}–{last}: reports cover years {first} to {last}")


@dataclass(frozen=True)
class Period:
    """A calendar month or quarter in the region's local time: ``2025-11`` or ``2025-Q4``."""

    label: str
    start: datetime
    end: datetime  # exclusive

    def previous(self, timezone: str) -> Period:
        # Unbounded on purpose: January 2000's dynamics compare with December 1999 (no messages).
        return _period(_previous_label(self.label), timezone)


def last_year() -> int:
    """The latest year a period may be in: next year (a quarter planned ahead)."""
    return clock.now().year + 1


def parse_period(label: str, timezone: str) -> Period:
    """Raises ValueError with what to type for anything but ``YYYY-MM`` or ``YYYY-Qn``, and
    PeriodOutOfRange (a ValueError) for a year outside FIRST_YEAR … next year."""
    label = label.strip()
    year, _month, _months = _parts(label)
    if not FIRST_YEAR <= year <= last_year():
        raise PeriodOutOfRange(label, FIRST_YEAR, last_year())
    return _period(label, timezone)


def _period(label: str, timezone: str) -> Period:
    zone = ZoneInfo(timezone)
    label = label.strip()
    year, month, months = _parts(label)
    end_year, end_month = divmod(month - 1 + months, 12)
    return Period(label, datetime(year, month, 1, tzinfo=zone), datetime(year + end_year, end_month + 1, 1, tzinfo=zone))


def _parts(label: str) -> tuple[int, int, int]:
    """(year, first month, number of months) of a ``YYYY-MM`` or ``YYYY-Qn`` label."""
    if match := _MONTH.match(label):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"no month {month}: write the period as YYYY-MM, e.g. 2025-11")
        return year, month, 1
    if match := _QUARTER.match(label):
        year, quarter = int(match[1]), int(match[2])
        return year, 3 * quarter - 2, 3
    raise ValueError(f"unknown period '{label}': write a month as YYYY-MM (2025-11) or a quarter as YYYY-Qn (2025-Q4)")


def _previous_label(label: str) -> str:
    if match := _MONTH.match(label):
        year, month = int(match[1]), int(match[2])
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    match = _QUARTER.match(label)
    assert match is not None
    year, quarter = int(match[1]), int(match[2])
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
