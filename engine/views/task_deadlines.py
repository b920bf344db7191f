"""Both deadlines a task page shows: the step's own and the case's (issue 16).

The step's deadline is the boundary timer on the task; the case's are timers of the case as a
whole — in the diagrams, an intermediate timer on a branch split off at routing (Orenburg п. 8:
9 working hours from detection for the whole answer; Kalmanka п. 6) — found by the timer's place
on the diagram (engine.spiff.inspect.case_timers), never by an element id. Each is shown with the
timer's name, which cites its clause, and a working-time countdown in the task's calendar. A step
with no timer of its own is governed by the case's deadline, and the page says so rather than
«без срока».
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.bpmn.conventions import deadline_row
from engine.calendar.workingtime import WorkingCalendar, WorkingTimeRangeError

WHOLE_ANSWER = "whole_answer"  # the comparison's row for the deadline of the answer as a whole


@dataclass(frozen=True)
class TaskDeadline:
    name: str  # the timer's name as drawn: what must happen by when, with its clause
    due_at: datetime  # in the region's time zone
    remaining: timedelta | None  # working time left, negative once overdue; None: too far to count
    overdue: bool
    soon: bool
    whole_answer: bool = False  # the deadline of the whole answer (conventions: deadline row whole_answer)


@dataclass(frozen=True)
class Deadlines:
    step: tuple[TaskDeadline, ...]  # the boundary timers on this task, earliest first
    case: tuple[TaskDeadline, ...]  # the case's own timers (the whole answer's), earliest first

    @property
    def governed_by_case(self) -> bool:
        """No timer of its own: the case's deadline is the one that governs the step."""
        return not self.step and bool(self.case)


def _deadline(name: str, due: datetime, now: datetime, calendar: WorkingCalendar, soon: timedelta,
              key: str | None = None) -> TaskDeadline:
    try:
        remaining: timedelta | None = calendar.working_time_between(now, due)
    except WorkingTimeRangeError:
        remaining = None
    overdue = due <= now
    return TaskDeadline(name, due.astimezone(calendar.timezone), remaining, overdue,
                        not overdue and remaining is not None and remaining < soon,
                        key is not None and deadline_row(key) == WHOLE_ANSWER)


def deadlines(own: Sequence[tuple[str, datetime]], case: Sequence[tuple[str, datetime, str | None]], now: datetime,
              calendar: WorkingCalendar, soon: timedelta) -> Deadlines:
    return Deadlines(tuple(_deadline(n, d, now, calendar, soon) for n, d in own),
                     tuple(_deadline(n, d, now, calendar, soon, key) for n, d, key in case))
