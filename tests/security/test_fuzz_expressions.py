"""Fuzz: diagram expressions (conditions, timers, outputs) — checked at deploy, run in the case.

Every expression either passes the deploy check and then evaluates to a value or an
ExpressionError, or is refused by the check with an ExpressionError — within a time bound,
whatever it computes (huge numbers, long text, deep nesting, working time a billion days away,
sandbox escapes). Nothing else may escape: a TypeError or a hang would be a 500 or a dead worker.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine import clock
from engine.expressions.language import ExpressionError, check, evaluate
from engine.spiff.script_engine import catalogue_names, working_time_functions
from tests.security.fuzz_support import HOSTILE_NUMBERS, HOSTILE_TEXT, bounded, rng

LIMIT = 0.5  # seconds per check + evaluation; every legitimate expression takes < 1 ms
NOW = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)

# Known ways out of Python sandboxes, resource bombs and things analysts type by mistake.
CORPUS = (
    "().__class__.__base__.__subclasses__()", "[c for c in ().__class__.__base__.__subclasses__()]",
    "__import__('os').system('id')", "open('/etc/passwd').read()", "eval('1')", "exec('x=1')",
    "getattr(1, '__class__')", "(lambda: 1)()", "[x for x in range(10**9)]", "'a' * 10**10",
    "[0] * 10**9", "[[0] * 9999] * 9999", "9 ** 9 ** 9", "2 ** 64", "10 ** 18 * 10", "round(5, -10**18)",
    "int('9' * 5000)", "str(10 ** 18) * 10**6", "sum([1] * 10000)", "sorted([[]] * 10000)",
    "working_days(10**9)", "working_hours(10**12)", "working_minutes(1e308)", "working_days(-1)",
    "working_hours(float('nan'))", "working_days(365)", "working_days(366)", "working_hours(2921)",
    "working_hours(9, since='0002-01-01T00:00:00+05:00')", "working_days(7, since='9999-12-30T00:00:00+05:00')",
    "working_hours(8, since=posted_at)", "working_days(1, since=ancient)", "working_days(1, since=far)",
    "'9999-12-30T00:00:00+05:00'", "'0001-01-01T00:00:00+00:00'", "P9999Y", "PT999999999H", "P1DT",
    "${category == 'threat'}", "#{x}", "= category", "import os", "x = 1", "a; b", "f'{x}'", "x.y",
    "(" * 200 + "1" + ")" * 200, "-" * 500 + "1", "not " * 400 + "True", "1 if " * 100 + "1" + " else 1" * 100,
    "category == 'threat' and " * 60 + "True", "len(text) > 10", "text[::-1] * 3", "{**x}", "[*x]",
    "now()", "now(1)", "min()", "max([])", "1 / 0", "x['missing']", "items[10**6]", "'a' < 1",
)
NAMES = ("category", "text", "posted_at", "ancient", "far", "items", "x", "answer_hours", "nothing")
FUNCTIONS = ("working_hours", "working_minutes", "working_days", "len", "min", "max", "abs", "round",
             "int", "float", "str", "sum", "sorted", "now")
OPERATORS = ("+", "-", "*", "/", "//", "%", "**", "==", "<", "and", "or", "in", "if")


def _variables() -> dict[str, object]:
    return {"category": "threat", "text": "я" * 10_000, "posted_at": "2025-11-10T10:00:00+05:00",
            "ancient": "0002-01-01T10:00:00+05:00", "far": "9999-12-30T00:00:00+05:00",
            "items": list(range(10_000)), "x": {"k": 1}, "answer_hours": 9, "nothing": None}


def _atom(source, depth: int) -> str:  # type: ignore[no-untyped-def]
    kind = source.random()
    if depth > 3 or kind < 0.25:
        return source.choice(NAMES)
    if kind < 0.45:
        value = source.choice(HOSTILE_NUMBERS)
        return repr(value) if not isinstance(value, float) or value == value and abs(value) != float("inf") else "1e308"
    if kind < 0.6:
        return repr(source.choice(HOSTILE_TEXT)[:200])
    if kind < 0.8:
        arguments = ", ".join(_atom(source, depth + 1) for _ in range(source.randint(0, 2)))
        since = f", since={_atom(source, depth + 1)}" if source.random() < 0.3 else ""
        return f"{source.choice(FUNCTIONS)}({arguments}{since})"
    operator = source.choice(OPERATORS)
    left, right = _atom(source, depth + 1), _atom(source, depth + 1)
    if operator == "if":
        return f"({left} if {_atom(source, depth + 1)} else {right})"
    if operator == "**":
        return f"({left} ** {source.choice((0, 2, 64, 65))})"
    return f"({left} {operator} {right})"


def _generated(count: int) -> list[str]:
    source = rng("expressions")
    return [_atom(source, 0) for _ in range(count)]


@pytest.fixture
def pinned_now():  # type: ignore[no-untyped-def]
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


@pytest.mark.parametrize("region", ["orenburg", "kalmanka"])
def test_every_expression_is_refused_or_evaluated_within_bounds(region: str, pinned_now: None) -> None:
    functions = working_time_functions(region)
    names = catalogue_names()
    for number, expression in enumerate((*CORPUS, *_generated(400))):
        case = f"expression #{number} {expression[:120]!r}"

        def run(text: str = expression) -> object:
            check(text, names)
            return evaluate(text, _variables(), functions)

        result = bounded(run, (ExpressionError,), LIMIT, case)
        if "working_" in expression and isinstance(result, str) and result[:4].isdigit() and "T" in result:
            # A computed deadline is never years away: the working-time functions are bounded.
            due = datetime.fromisoformat(result)
            if due.tzinfo is not None:
                assert due - NOW < timedelta(days=5 * 366 + 10), f"{case}: deadline {result}"
