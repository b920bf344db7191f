"""Dynamics: per month, messages detected and breaches due, over the last N months of a report.

Bounded (MAX_MONTHS) because each month is three counts: a request for 10,000 months is refused
where the query string is read (engine.reports.query).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn.conventions import BASIS_PARAMETER
from engine.calendar.periods import FIRST_YEAR, Period, parse_period
from engine.calendar.regions import get_region
from engine.models import Message, Violation

DEFAULT_MONTHS = 6
MAX_MONTHS = 24


@dataclass
class Month:
    label: str             # YYYY-MM
    messages: int = 0
    violations: int = 0    # breaches of the act's deadlines due in the month
    parameter_violations: int = 0


def month_labels(period: Period, count: int) -> list[str]:
    """The ``count`` months ending with the period's last month, oldest first (none before FIRST_YEAR)."""
    last = period.end.year * 12 + period.end.month - 2  # the month before the exclusive end, 0-based
    labels = [f"{n // 12}-{n % 12 + 1:02d}" for n in range(last - count + 1, last + 1)]
    return [label for label in labels if int(label[:4]) >= FIRST_YEAR]


def monthly(session: Session, region: str, period: Period, count: int = DEFAULT_MONTHS) -> list[Month]:
    if not 1 <= count <= MAX_MONTHS:
        raise ValueError(f"dynamics cover 1 to {MAX_MONTHS} months, not {count}")
    zone = get_region(region).timezone
    due = func.coalesce(Violation.due_at, Violation.recorded_at)
    result = []
    for label in month_labels(period, count):
        month = parse_period(label, zone)
        point = Month(label)
        point.messages = session.scalar(select(func.count(Message.id)).where(
            Message.region == region, Message.detected_at >= month.start, Message.detected_at < month.end)) or 0
        # Grouped by the column itself: an expression with a bound value in both SELECT and GROUP BY
        # is two different expressions to PostgreSQL.
        rows = session.execute(select(Violation.basis, func.count()).where(
            Violation.region == region, due >= month.start, due < month.end).group_by(Violation.basis)).all()
        for basis, n in rows:
            if basis == BASIS_PARAMETER:
                point.parameter_violations += n
            else:
                point.violations += n
        result.append(point)
    return result


def parse_months(text: str | None) -> int:
    """The ``months`` of a query string: DEFAULT_MONTHS when absent, else 1…MAX_MONTHS (ValueError)."""
    text = (text or "").strip()
    if not text:
        return DEFAULT_MONTHS
    if not (text.isdigit() and len(text) <= 3 and 1 <= int(text) <= MAX_MONTHS):
        raise ValueError(f"dynamics cover 1 to {MAX_MONTHS} months, not '{text[:20]}'")
    return int(text)
