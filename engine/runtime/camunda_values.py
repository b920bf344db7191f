"""Camunda 7 typed variables (``{"name": {"value": …, "type": "String"}}``) to and from case values.

What a worker reads when it fetches a task and writes when it completes one (issue 17). Only the
value types a case holds are spoken: String, Boolean, Integer/Long/Short, Double, Date, Json and
Null; Object (Java serialization) and File are refused, named in the refusal.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from engine.errors import InvalidSubmission
from engine.texts import Text, t

MAX_VARIABLES = 100  # in one completion
MAX_NAME = 64
MAX_TEXT = 100_000  # characters of one String or Json value
MAX_INTEGER = 2**63 - 1  # a Java Long
_CAMUNDA_DATE = "%Y-%m-%dT%H:%M:%S.%f%z"


def camunda_date(value: datetime) -> str:
    """Camunda's date format: ``2026-12-07T10:00:00.000+0000`` (milliseconds, offset without colon)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}" + value.strftime("%z")


def typed(value: Any) -> dict[str, Any] | None:
    """A case value as Camunda types it, or None for what a worker cannot be given (never silent:
    the caller leaves it out and says so in the docs — only internal values are such)."""
    if value is None:
        return {"value": None, "type": "Null"}
    if isinstance(value, bool):
        return {"value": value, "type": "Boolean"}
    if isinstance(value, int):
        return {"value": value, "type": "Long" if abs(value) > 2**31 - 1 else "Integer"}
    if isinstance(value, float):
        return {"value": value, "type": "Double"} if math.isfinite(value) else None
    if isinstance(value, str):
        return {"value": value, "type": "String"}
    if isinstance(value, datetime):
        return {"value": camunda_date(value), "type": "Date"}
    if isinstance(value, date):
        return {"value": value.isoformat(), "type": "String"}
    if isinstance(value, (list, dict)):
        try:
            return {"value": json.dumps(value, ensure_ascii=False, default=_json_default), "type": "Json"}
        except (TypeError, ValueError):
            return None
    return None


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def typed_variables(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The case's variables a worker may read: public names (no leading underscore), typed."""
    found: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if not isinstance(name, str) or name.startswith("_") or not name.isidentifier():
            continue
        as_typed = typed(value)
        if as_typed is not None:
            found[name] = as_typed
    return found


def _parse_date(text: str) -> datetime:
    for layout in (_CAMUNDA_DATE, "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError("no offset")
    return parsed


def _value(kind: str, value: Any) -> Any:
    """One typed value as the case holds it; ValueError naming what is wrong."""
    if kind == "null" or value is None:
        return None
    if kind == "string":
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise ValueError("string")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError("boolean")
        return value
    if kind in ("integer", "long", "short"):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INTEGER:
            raise ValueError("integer")
        return value
    if kind == "double":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError("double")
        return float(value)
    if kind == "date":
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError("date")
        return _parse_date(value)
    if kind == "json":
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise ValueError("json")
        return json.loads(value)
    raise ValueError("type")


def case_values(body: Any, field: str) -> dict[str, Any]:
    """A completion's ``variables`` (or ``localVariables``): Camunda-typed, as case values.
    InvalidSubmission names each variable refused and why."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise InvalidSubmission({field: t("external.variables_not_object")})
    if len(body) > MAX_VARIABLES:
        raise InvalidSubmission({field: t("external.too_many_variables", limit=MAX_VARIABLES)})
    values: dict[str, Any] = {}
    problems: dict[str, str | Text] = {}
    for name, spec in body.items():
        if not isinstance(name, str) or len(name) > MAX_NAME or not name.isidentifier() or name.startswith("_"):
            problems[str(name)[:MAX_NAME]] = t("external.variable_name", limit=MAX_NAME)
            continue
        if not isinstance(spec, dict):
            problems[name] = t("external.variable_shape")
            continue
        kind = str(spec.get("type") or ("Null" if spec.get("value") is None else _guess(spec.get("value"))))
        if kind.lower() in ("object", "file", "bytes"):
            problems[name] = t("external.variable_type_unsupported", type=kind[:32])
            continue
        try:
            values[name] = _value(kind.lower(), spec.get("value"))
        except (ValueError, OverflowError):
            problems[name] = t("external.variable_value", type=kind[:32])
    if problems:
        raise InvalidSubmission(problems)
    return values


def _guess(value: Any) -> str:
    """An untyped value's type, as Camunda guesses it from JSON."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Long"
    if isinstance(value, float):
        return "Double"
    if isinstance(value, str):
        return "String"
    return "Object"
