"""What a checked form is: its input fields, and the error that lists what is wrong with a form."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.texts import Text, render


@dataclass(frozen=True)
class Field:
    """One input component; rules that are not set are None."""

    key: str
    type: str
    label: str = ""
    required: bool = False
    hide_if: str | None = None  # restricted expression (engine.expressions), enclosing groups' conditions included
    values: tuple[str, ...] | None = None  # static option values
    values_key: str | None = None  # name of a dynamic option list
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    decimal_digits: int | None = None
    validation_type: str | None = None  # "email" or "phone"
    subtype: str | None = None  # datetime: "date", "time" or "datetime"
    multiple: bool = False  # filepicker
    readonly: bool = False  # readonly or disabled: submitted values are ignored
    default: Any = None
    id: str = ""


@dataclass(frozen=True)
class FormDefinition:
    id: str
    schema: dict[str, Any]  # the parsed JSON, for the renderer
    fields: tuple[Field, ...]  # input components in order, groups expanded


class FormError(ValueError):
    """A form or condition is not acceptable. ``problems`` has one line per finding (a Text renders in
    the reader's language when shown); str() is one line."""

    def __init__(self, problems: Sequence[str | Text] | str | Text, source: str = "<form>") -> None:
        self.problems: list[str | Text] = [problems] if isinstance(problems, (str, Text)) else list(problems)
        self.source = source
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "; ".join(render(problem) for problem in self.problems)
