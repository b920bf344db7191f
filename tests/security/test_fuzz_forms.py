"""Fuzz: Camunda Forms at deploy, and what officials submit through them.

A form (``*.form``, form-js JSON) is parsed by ``parse_form``: a FormDefinition or a FormError
listing problems, within a bound, whatever a property holds (a 4,000-digit minimum, a pattern
that backtracks exponentially, deep nesting, thousands of components). Every form the project
ships then receives hostile submissions: ``validate_submission`` answers with the cleaned
values or InvalidSubmission naming the fields, within a bound — the check that runs inside an
official's request while other officials wait.
"""
from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from engine.errors import InvalidSubmission
from engine.forms import FormError, parse_form, validate_submission
from tests.factories import ROOT
from tests.security.fuzz_support import HOSTILE_NUMBERS, HOSTILE_TEXT, bounded, rng

FORM_LIMIT = 1.0  # seconds to parse and check one form
SUBMISSION_LIMIT = 0.25  # seconds to validate one submission (the real ones take < 1 ms)
FORMS = sorted((ROOT / "forms").glob("*.form"))
OPTIONS = {"agency_options": ["orb_health", "orb_roads", "orb_housing"]}

# Values a property of a component may be set to by hand-editing the JSON.
PROPERTY_VALUES: tuple[Any, ...] = (
    *HOSTILE_NUMBERS[:-4], *HOSTILE_TEXT[:30], [], {}, [[[[[]]]]], {"a": {"b": {"c": {}}}}, ["x"] * 5_000,
    [{"label": "x", "value": str(i)} for i in range(5_000)], "(a+)+$", "(x+x+)+y", "^(\\w+\\s?)*$", "(?<=a)b",
    "\\1", "[", "=a", "= 1 + ", "a" * 100_000,
)
PROPERTIES = ("validate.min", "validate.max", "validate.minLength", "validate.maxLength", "validate.pattern",
              "validate.required", "validate.validationType", "decimalDigits", "defaultValue", "values",
              "valuesKey", "conditional.hide", "key", "type", "subtype", "label", "components", "id")


def _set(component: dict[str, Any], prop: str, value: Any) -> None:
    head, _, tail = prop.partition(".")
    if tail:
        holder = component.setdefault(head, {})
        if isinstance(holder, dict):
            holder[tail] = value
    else:
        component[head] = value


def _form_mutants(count: int) -> list[tuple[str, str]]:
    source = rng("forms")
    schemas = [(path.name, json.loads(path.read_text("utf-8"))) for path in FORMS]
    found = []
    for number in range(count):
        name, schema = source.choice(schemas)
        mutant = copy.deepcopy(schema)
        components = mutant["components"]
        for _ in range(source.randint(1, 3)):
            _set(source.choice(components), source.choice(PROPERTIES), source.choice(PROPERTY_VALUES))
        if source.random() < 0.05:
            components.extend(copy.deepcopy(components[-1]) | {"key": f"k{i}", "id": f"c{i}"} for i in range(2_000))
        try:
            text = json.dumps(mutant, ensure_ascii=False)
        except ValueError:  # an int too long for str(): json cannot even write it
            continue
        found.append((f"form mutant #{number} of {name}", text))
    return found


def _hostile_forms() -> list[tuple[str, str]]:
    nested: Any = {"type": "group", "id": "g", "components": []}
    inner = nested
    for depth in range(200):
        child = {"type": "group", "id": f"g{depth}", "components": []}
        inner["components"].append(child)
        inner = child
    base = {"id": "hostile", "type": "default", "schemaVersion": 16}
    field = {"id": "f", "key": "amount", "type": "number", "label": "Amount"}
    return [
        ("4000-digit minimum", json.dumps({**base, "components": [{**field, "validate": {"min": 10**4000}}]})),
        ("4000-digit maximum", json.dumps({**base, "components": [{**field, "validate": {"max": -(10**3999)}}]})),
        ("huge decimalDigits", json.dumps({**base, "components": [{**field, "decimalDigits": 10**18}]})),
        ("huge maxLength", json.dumps({**base, "components": [{**field, "type": "textfield", "validate": {"maxLength": 10**300}}]})),
        ("exponential pattern with default", json.dumps({**base, "components": [
            {**field, "type": "textfield", "defaultValue": "a" * 40 + "!", "validate": {"pattern": "(a+)+$"}}]})),
        ("200 nested groups", json.dumps({**base, "components": [nested]})),
        ("deep JSON", '{"id": "x", "components": [' + "[" * 100_000 + "]" * 100_000 + "]}"),
        ("NaN", '{"id": "x", "components": [{"id": "f", "key": "k", "type": "number", "validate": {"min": NaN}}]}'),
        ("not JSON", "\x00\xff{"),
    ]


def test_hostile_forms_are_refused_within_bounds() -> None:
    for case, text in _hostile_forms():
        result = bounded(lambda text=text: parse_form(text, "hostile.form"), (FormError,), FORM_LIMIT, case)
        assert isinstance(result, FormError), f"{case} was accepted"


def test_mutated_forms_are_refused_or_parsed_within_bounds() -> None:
    for case, text in _form_mutants(300):
        bounded(lambda text=text: parse_form(text, "mutant.form"), (FormError,), FORM_LIMIT, case)


SUBMITTED_VALUES: tuple[Any, ...] = (*HOSTILE_TEXT, *[str(n) for n in HOSTILE_NUMBERS], *HOSTILE_NUMBERS,
                                     ["x"] * 10_000, ["orb_roads"] * 2, [["nested"]], {"a": 1}, "a" * 30_000 + "!")


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_hostile_submissions_are_refused_or_cleaned_within_bounds(path) -> None:  # type: ignore[no-untyped-def]
    form = parse_form(path.read_text("utf-8"), path.name)
    source = rng(f"submissions:{path.name}")
    keys = [f.key for f in form.fields] or ["anything"]
    for number in range(60):
        submitted = {key: source.choice(SUBMITTED_VALUES) for key in keys if source.random() < 0.8}
        submitted["not_a_field"] = "ignored"
        bounded(lambda submitted=submitted: validate_submission(form, submitted, {}, OPTIONS),
                (InvalidSubmission,), SUBMISSION_LIMIT, f"{path.name} submission #{number}")
