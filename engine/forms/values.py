"""One submitted value checked against its field's rules and turned into the value to save."""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from engine.forms import patterns
from engine.forms.limits import MAX_FILES, MAX_NUMBER, MAX_NUMBER_TEXT, MAX_TEXT
from engine.forms.model import Field
from engine.texts import Text, t

DEFAULT_MAX_LENGTH: Mapping[str, int] = MappingProxyType({"textfield": 1_000, "textarea": MAX_TEXT})
# Run by RE2 like validate.pattern: Python's re took ~2 s on a 20,000-character "a@...." (backtracking).
_VALIDATION_TYPES = {"email": (r"[^@\s]+@[^@\s]+\.[^@\s]+", "forms.not_email"),
                     "phone": (r"\+?[\d ()-]{5,25}", "forms.not_phone")}
# One way to read each number (the old [+-]?(?:\d+\.?\d*|...) could split a run of digits n ways:
# 20,000 digits and an "x" took 27 s), on text already cut to MAX_NUMBER_TEXT.
_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_SUBTYPES: dict[str, tuple[Callable[[str], Any], str]] = {
    "date": (date.fromisoformat, "forms.not_date"),
    "time": (time.fromisoformat, "forms.not_time"),
    "datetime": (datetime.fromisoformat, "forms.not_datetime"),
}


class _Invalid(ValueError):
    """A submitted value is wrong; ``text`` is shown next to the field, in the reader's language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return str(self.text)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, tuple)) and not value)


def _one_of(allowed: Sequence[Any] | None) -> Text:
    if not allowed:
        return t("forms.no_options")
    return t("forms.one_of", options=", ".join(map(str, allowed))) if len(allowed) <= 10 else t("forms.one_of_offered")


def _longest(field: Field) -> int:
    """The most characters a field's submitted text may have: checked before anything reads it."""
    if field.type == "number":
        return MAX_NUMBER_TEXT
    if field.type in DEFAULT_MAX_LENGTH:  # MAX_TEXT also for forms deployed before maxLength was bounded by it
        return min(field.max_length if field.max_length is not None else DEFAULT_MAX_LENGTH[field.type], MAX_TEXT)
    return MAX_TEXT


def _text(field: Field, raw: Any, allowed: Sequence[Any] | None) -> str:
    regex, code = _VALIDATION_TYPES.get(field.validation_type or "", (None, ""))
    if not isinstance(raw, str):
        raise _Invalid(t("forms.not_text"))
    problem = (t("forms.nul_characters") if "\x00" in raw  # PostgreSQL cannot store them
               else t("forms.too_short", limit=field.min_length) if len(raw) < (field.min_length or 0)
               else t("forms.pattern_mismatch") if field.pattern and not patterns.fullmatch(field.pattern, raw)
               else t(code) if regex and not patterns.fullmatch(regex, raw.strip()) else None)
    if problem:
        raise _Invalid(problem)
    return raw


def _number(field: Field, raw: Any, allowed: Sequence[Any] | None) -> int | float:
    value = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
    if isinstance(raw, str):  # HTML forms send text (at most MAX_NUMBER_TEXT); int first so "9" stays 9, not 9.0
        text = raw.strip()
        value = int(text) if _WHOLE.fullmatch(text) else float(text) if _DECIMAL.fullmatch(text) else None
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise _Invalid(t("forms.not_number"))
    if abs(value) > MAX_NUMBER:
        raise _Invalid(t("forms.number_too_large"))
    digits = field.decimal_digits
    if digits is not None and isinstance(value, float):
        exponent = Decimal(repr(value)).normalize().as_tuple().exponent  # an int: 'n'/'F' only for NaN/infinity, refused above
        if isinstance(exponent, int) and -exponent > digits:
            raise _Invalid(t("forms.not_whole") if digits == 0 else t("forms.too_many_decimals", digits=digits))
        value = int(value) if digits == 0 else value

    def show(bound: float) -> int | float:  # "at least 1", not "1.0"
        return int(bound) if float(bound).is_integer() else bound

    if field.minimum is not None and value < field.minimum:
        raise _Invalid(t("forms.below_minimum", bound=show(field.minimum)))
    if field.maximum is not None and value > field.maximum:
        raise _Invalid(t("forms.above_maximum", bound=show(field.maximum)))
    return value


def _choice(field: Field, raw: Any, allowed: Sequence[Any] | None) -> str:
    if not isinstance(raw, str) or (allowed is not None and raw not in allowed):
        raise _Invalid(_one_of(allowed))
    return raw


def _checklist(field: Field, raw: Any, allowed: Sequence[Any] | None) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw  # one ticked box arrives as a single value
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
        raise _Invalid(t("forms.not_option_list"))
    # A set, not the options' tuple: a list of n items against n options is n lookups, not n * n comparisons.
    offered = frozenset(option for option in allowed if isinstance(option, str)) if allowed is not None else None
    if offered is not None and any(item not in offered for item in items):
        raise _Invalid(_one_of(allowed))
    if len(set(items)) < len(items):
        raise _Invalid(t("forms.option_twice"))
    return list(items)


def _checkbox(raw: Any) -> bool:
    text = raw.strip().lower() if isinstance(raw, str) else raw
    if _empty(raw) or text is False or text in ("false", "0", 0):  # browsers send nothing for an unticked box
        return False
    if text is True or text in ("true", "on", "1", 1):
        return True
    raise _Invalid(t("forms.not_boolean"))


def _datetime(field: Field, raw: Any, allowed: Sequence[Any] | None) -> str:
    parse, code = _SUBTYPES[field.subtype or "datetime"]
    try:
        if isinstance(raw, str) and len(raw) <= 64:
            return str(parse(raw.strip()).isoformat())
    except ValueError:
        pass
    raise _Invalid(t(code))


def _files(field: Field, raw: Any, allowed: Sequence[Any] | None) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw
    if isinstance(items, (list, tuple)) and len(items) > (MAX_FILES if field.multiple else 1):  # counted before read
        raise _Invalid(t("forms.too_many_files", limit=MAX_FILES) if field.multiple else t("forms.single_file"))
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) and i.strip() and len(i) <= 1_000 for i in items):
        raise _Invalid(t("forms.not_file_list"))
    return list(items)


_CLEANERS: dict[str, Callable[[Field, Any, Sequence[Any] | None], Any]] = {
    "textfield": _text, "textarea": _text, "number": _number, "select": _choice, "radio": _choice,
    "checklist": _checklist, "datetime": _datetime, "filepicker": _files,
}


def _empty_value(kind: str) -> Any:
    """What an empty optional field saves: "", [], False or None, so gateways can always test it."""
    return {"textfield": "", "textarea": "", "checklist": [], "filepicker": [], "checkbox": False}.get(kind)


def _clean(field: Field, raw: Any, allowed: Sequence[Any] | None) -> Any:
    """The value to save for one field, or _Invalid."""
    if field.type == "checkbox":
        ticked = _checkbox(raw)
        if field.required and not ticked:  # a required box (e.g. consent) must be ticked
            raise _Invalid(t("forms.required"))
        return ticked
    if isinstance(raw, str) and len(raw) > _longest(field):
        raise _Invalid(t("forms.too_long", limit=_longest(field)))
    if _empty(raw):
        if field.required:
            raise _Invalid(t("forms.required"))
        return _empty_value(field.type)
    return _CLEANERS[field.type](field, raw, allowed)
