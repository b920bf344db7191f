"""Shared catalogue and task data for the expression-language tests (engine/expressions/language.py)."""

from __future__ import annotations

from typing import Any


def working_hours(hours: int, since: Any = None) -> tuple[str, int, Any]:
    return ("wh", hours, since)


def working_minutes(minutes: int) -> tuple[str, int]:
    return ("wm", minutes)


def broken(value: Any) -> Any:
    raise RuntimeError(f"calendar has no day {value}\nsecond line")


class Unjudgeable:
    def __bool__(self) -> bool:
        raise ValueError("truth value is ambiguous")


FUNCTIONS = {"working_hours": working_hours, "working_minutes": working_minutes, "broken": broken}
CATALOGUE = frozenset(FUNCTIONS)

VARIABLES = {
    "category": "threat",
    "answer_hours": 10,
    "detected_at": "2024-05-06T09:00",
    "tags": ["urgent", "health"],
    "author": {"name": "Ivan", "followers": 1200},
    "flag": False,
    "score": 0.75,
}
