"""How far in time a diagram may reach: the due instants of its timers and the amounts it
passes to the working-time functions.

A deadline is hours or days away. A timer due in the year 9999, a calendar duration of a
century or ``working_days(10**9)`` is a typo or an attack, and each used to cost seconds of
CPU per request (or a silent wait of centuries). The same numbers are checked twice: at
deployment for what the diagram states (literals, process-variable defaults), and at run time
for what the case computes (engine.spiff.script_engine, engine.calendar.workingtime).
"""
from __future__ import annotations

import ast
import calendar
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.calendar.workingtime import MAX_AMOUNTS
from engine.expressions.language import BASE_FUNCTIONS, ExpressionError, evaluate
from engine.texts import Text, t

MAX_YEARS_AHEAD = 5  # a timer is due at most this many years after it is armed
EARLIEST_DUE = datetime(2000, 1, 1, tzinfo=UTC)  # a date before this is a typo, not a deadline

_NUM = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(rf"\AP(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?\Z")
_WEEK_DATE = re.compile(r"\d{4}-?W\d", re.IGNORECASE)
_UNKNOWN = object()


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def latest_due(now: datetime) -> datetime:
    """The last instant a timer armed at ``now`` may be due: five calendar years later."""
    return _add_months(now, 12 * MAX_YEARS_AHEAD)


def due_problem(value: Any, now: datetime, what: str | Text | None = None) -> Text | None:
    """Why ``value`` is not a due instant a timer may have (None if it is one): an ISO-8601
    date-time with an offset, from 2000-01-01 to five years after ``now``."""
    if type(value) is not str or len(value) > 64 or _WEEK_DATE.search(value):  # SpiffWorkflow reads week dates otherwise
        return t("validation.timer.due_not_text", value=_shown(value))
    try:
        due = datetime.fromisoformat(value)
    except ValueError:
        return t("validation.timer.due_not_iso", value=_shown(value))
    if due.tzinfo is None or due.utcoffset() is None:
        return t("validation.timer.due_no_offset", value=_shown(value), example=f"{value}+05:00")
    what = what if what is not None else t("validation.timer.what_due")  # a caller's own words stay as given
    if due < EARLIEST_DUE:
        return t("validation.timer.due_too_early", what=what, value=value, earliest=str(EARLIEST_DUE.date()))
    if due > latest_due(now):
        return t("validation.timer.due_too_late", what=what, value=value, years=MAX_YEARS_AHEAD)
    return None


def duration_problem(value: Any, now: datetime) -> Text | None:
    """Why ``value`` is not a calendar duration a timer may wait (None if it is): ISO 8601,
    at most five years."""
    match = _DURATION.match(value) if type(value) is str and len(value) <= 64 else None
    if match is None or value in ("P", "PT") or value.endswith("T"):
        return t("validation.timer.duration_not_iso", value=_shown(value))
    parts = match.groups()
    given = [part for part in parts if part]
    if any(not part.isdigit() for part in given[:-1]) or (parts[2] and any(parts[i] for i in (0, 1, 3))):
        # What SpiffWorkflow cannot read: a fraction before the last part, weeks with other date parts.
        return t("validation.timer.duration_fraction", value=value)
    years, months, weeks, days, hours, minutes, seconds = (float(p.replace(",", ".")) if p else 0.0 for p in parts)
    # Each part alone within the window first, so the arithmetic below cannot overflow.
    whole_years = MAX_YEARS_AHEAD + 1
    if max(years, months / 12, weeks / 52, days / 365, hours / 8760, minutes / 525_600, seconds / 31_536_000) > whole_years:
        return _too_long(value)
    whole_months = int(years * 12 + months)
    fraction = years * 12 + months - whole_months
    end = _add_months(now, whole_months) + timedelta(
        days=fraction * 31 + weeks * 7 + days, hours=hours, minutes=minutes, seconds=seconds)
    return _too_long(value) if end > latest_due(now) else None


def _too_long(value: str) -> Text:
    return t("validation.timer.duration_too_long", value=value, years=MAX_YEARS_AHEAD)


def timer_value_problem(value: Any, duration: bool, now: datetime) -> Text | None:
    """``duration_problem`` for a duration timer (a bare ``PT30M``), else ``due_problem``."""
    return duration_problem(value, now) if duration else due_problem(value, now)


def _shown(value: Any) -> str:
    text = repr(value) if type(value) in (str, int, float, bool, type(None)) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- at deployment

def known_value(source: str, node: ast.AST | None, defaults: Mapping[str, str]) -> Any:
    """The value of ``node`` (a part of the checked expression ``source``) when the diagram fixes
    it: literals, the catalogue's plain functions, and process variables at their declared
    defaults. ``_UNKNOWN`` (see ``is_known``) when it depends on the case or on the clock."""
    if node is None:
        return _UNKNOWN
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    names -= called
    if not names <= set(defaults) or not called <= set(BASE_FUNCTIONS):
        return _UNKNOWN
    text = ast.get_source_segment(source, node)
    if text is None:
        return _UNKNOWN
    try:
        variables = {name: evaluate(defaults[name], {}, BASE_FUNCTIONS) for name in names}
        return evaluate(text, variables, BASE_FUNCTIONS)
    except ExpressionError:
        return _UNKNOWN  # a broken default or part is reported by its own check


def is_known(value: Any) -> bool:
    return value is not _UNKNOWN


_WORKING_PARAMETERS = ("n", "since", "org")


def working_time_problems(source: str, defaults: Mapping[str, str], now: datetime) -> list[Text]:
    """What is wrong with the working-time calls of a checked expression, as far as the diagram
    fixes their arguments: the arguments a call takes, the amount's type and bound, and a
    literal ``since``."""
    tree = ast.parse(source.strip(), mode="eval")
    problems: list[Text] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MAX_AMOUNTS):
            continue
        function = node.func.id
        arguments = dict(zip(_WORKING_PARAMETERS, node.args, strict=False))  # extra arguments are reported below
        extra = [k.arg for k in node.keywords if k.arg not in _WORKING_PARAMETERS or k.arg in arguments]
        if len(node.args) > len(_WORKING_PARAMETERS) or extra:
            problems.append(t("validation.timer.working_arguments", function=function))
            continue
        arguments.update({k.arg: k.value for k in node.keywords if k.arg is not None})  # **kwargs: refused above
        if "n" not in arguments:
            problems.append(t("validation.timer.working_no_amount", function=function))
            continue
        amount = known_value(source.strip(), arguments["n"], defaults)
        if is_known(amount):
            problems.extend(_amount_problem(function, amount))
        since = known_value(source.strip(), arguments.get("since"), defaults)
        if is_known(since) and since is not None and (problem := _since_problem(since, now)):
            problems.append(t("validation.timer.working_since", function=function, problem=problem))
    return problems


def _since_problem(since: Any, now: datetime) -> Text | None:
    """A fixed start is held to the timers' window (a local time without offset is the region's, as at run time)."""
    try:
        start = datetime.fromisoformat(since) if type(since) is str and len(since) <= 64 else None
    except ValueError:
        start = None
    if start is None:
        return t("validation.timer.since_not_datetime", value=_shown(since))
    return due_problem(start.replace(tzinfo=start.tzinfo or UTC).isoformat(), now, t("validation.timer.what_since"))


def _amount_problem(function: str, amount: Any) -> list[Text]:
    whole = function == "working_days"
    kinds = (int,) if whole else (int, float)
    if type(amount) not in kinds or amount != amount or amount in (float("inf"), float("-inf")):
        code = "validation.timer.amount_not_whole_days" if whole else "validation.timer.amount_not_number"
        return [t(code, function=function, value=_shown(amount))]
    limit = MAX_AMOUNTS[function]
    if not 0 <= amount <= limit:
        return [t("validation.timer.amount_range", function=function, amount=amount, limit=limit)]
    return []
