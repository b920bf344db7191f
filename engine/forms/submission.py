"""Submissions, validated here because the browser is never trusted: which fields show, what is saved.

Submissions: ``pattern`` must match the whole value; text without ``maxLength`` is capped by
DEFAULT_MAX_LENGTH; read-only/disabled fields and keys not in the form are ignored, so a form cannot
set variables it does not show.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from engine.errors import InvalidSubmission
from engine.expressions import language as expressions
from engine.forms.model import Field, FormDefinition
from engine.forms.values import _clean, _empty_value, _Invalid
from engine.texts import Text

_NO_OPTIONS: Mapping[str, Sequence[str]] = MappingProxyType({})


class _NullDefault(dict[str, Any]):
    """Task data where a name with no value is null, as in FEEL, instead of an error."""

    def __missing__(self, key: str) -> None:
        return None


def _visible(form: FormDefinition, variables: dict[str, Any]) -> list[Field]:
    shown = []
    for field in form.fields:
        try:
            hidden = field.hide_if is not None and expressions.evaluate(field.hide_if, variables, {}) is True
        except expressions.ExpressionError:
            hidden = False  # FEEL gives null for an impossible comparison; null is not true
        if hidden:
            variables[field.key] = None  # later conditions see a hidden field as empty, as in form-js
        else:
            shown.append(field)
    return shown


def visible_fields(form: FormDefinition, data: Mapping[str, Any]) -> list[Field]:
    """The fields to show for this data, in order; a field missing from data holds its default or empty value."""
    initial = {f.key: f.default if f.default is not None else _empty_value(f.type) for f in form.fields}
    return _visible(form, _NullDefault({**initial, **data}))


def _allowed(field: Field, options: Mapping[str, Sequence[Any]], context: Mapping[str, Any]) -> tuple[Any, ...] | None:
    if field.values is not None or field.values_key is None:
        return field.values
    # As in form-js, a valuesKey list may also come from the task data, as values or {label, value} items.
    source = options[field.values_key] if field.values_key in options else context.get(field.values_key)
    items = source if isinstance(source, (list, tuple)) else ()
    return tuple(item.get("value") if isinstance(item, Mapping) else item for item in items)


def validate_submission(form: FormDefinition, submitted: Mapping[str, Any], context: Mapping[str, Any],
                        options: Mapping[str, Sequence[str]] = _NO_OPTIONS) -> dict[str, Any]:
    """The cleaned values of the visible, editable fields; raise InvalidSubmission naming every bad field."""
    results: dict[str, tuple[bool, Any]] = {}
    variables = _NullDefault(context)  # conditions see the submitted values, as the renderer did
    for field in form.fields:
        if field.readonly:
            continue  # the user cannot change it, so the workflow keeps its own value
        try:
            value = _clean(field, submitted.get(field.key), _allowed(field, options, context))
            results[field.key] = (True, value)
        except _Invalid as error:
            results[field.key], value = (False, error.text), None  # rendered when shown, in the reader's language
        variables[field.key] = value
    cleaned: dict[str, Any] = {}
    errors: dict[str, str | Text] = {}
    for field in _visible(form, variables):
        if field.key in results:
            ok, value = results[field.key]
            (cleaned if ok else errors)[field.key] = value
    if errors:
        raise InvalidSubmission(errors)
    return cleaned
