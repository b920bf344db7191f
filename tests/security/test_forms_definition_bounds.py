"""Issue 11, finding 13 (forms): whatever a .form file holds, deployment answers with one line per
problem naming the component, never a traceback or a 500.

On 411bcc5 a 4,000-digit validate.min raised OverflowError out of parse_form (math.isfinite), and
huge maxLength, decimalDigits, option lists, texts and component counts were accepted as they were.
"""
from __future__ import annotations

import json
import time
from typing import Any

import pytest

from engine.forms import FormError, parse_form
from engine.texts import render
from tests.unit.forms_support import TEXT, form, form_text, options, problems

MAX_COMPONENTS, MAX_OPTIONS, MAX_PROBLEMS = 200, 1_000, 50  # engine.forms.limits, written out: the documented limits
NUMBER = {"type": "number", "id": "F_hours", "key": "answer_hours"}


def one_problem(component: dict[str, Any]) -> str:
    found = problems(component)
    assert len(found) == 1 and "\n" not in found[0], found
    return found[0]


@pytest.mark.parametrize("rules, prop, change", [
    ({"min": 10**4000}, "validate.min", "use a number from -1000000000000000000 to 1000000000000000000"),
    ({"max": -(10**3999)}, "validate.max", "use a number from"),
    ({"min": 1e300}, "validate.min", "use a number from"),
    ({"max": 10**18 + 1}, "validate.max", "use a number from"),
])
def test_huge_min_and_max_are_out_of_range(rules: dict[str, Any], prop: str, change: str) -> None:
    found = one_problem(dict(NUMBER, validate=rules))
    assert found.startswith(f"{prop} '") and "is out of range (component 'F_hours'): " + change in found


@pytest.mark.parametrize("component, prop, largest", [
    (dict(TEXT, validate={"minLength": 10**4000}), "validate.minLength", 20_000),
    (dict(TEXT, validate={"maxLength": 10**300}), "validate.maxLength", 20_000),
    (dict(TEXT, validate={"maxLength": 20_001}), "validate.maxLength", 20_000),
    (dict(NUMBER, decimalDigits=10**400), "decimalDigits", 15),
    (dict(NUMBER, decimalDigits=16), "decimalDigits", 15),
])
def test_huge_lengths_and_digits_are_out_of_range(component: dict[str, Any], prop: str, largest: int) -> None:
    found = one_problem(component)
    assert found.startswith(f"{prop} '") and found.endswith(f"is out of range (component '{component['id']}'): "
                                                             f"use a number from 0 to {largest}")


def test_the_largest_accepted_values() -> None:
    definition = form(dict(TEXT, validate={"minLength": 20_000, "maxLength": 20_000}),
                      dict(NUMBER, decimalDigits=15, validate={"min": -(10**18), "max": 10**18}))
    text, number = definition.fields
    assert (text.min_length, text.max_length, number.decimal_digits, number.maximum) == (20_000, 20_000, 15, 10**18)


def test_a_number_past_the_json_digit_limit_is_one_line() -> None:
    text = form_text(NUMBER).replace('"key": "answer_hours"', '"key": "answer_hours", "validate": {"min": ' + "9" * 5_000 + "}")
    with pytest.raises(FormError) as caught:
        parse_form(text, source="route.form")
    assert [render(p) for p in caught.value.problems] == ["the form is not valid JSON (a number has more than 4300 digits): "
                                     "export it again from Camunda Modeler"]


@pytest.mark.parametrize("component, fragment", [
    (dict(TEXT, label="x" * 2_001), "property 'label' is longer than 2000 characters (component 'F_name'): shorten it"),
    (dict(TEXT, description="x" * 2_001), "property 'description' is longer than 2000 characters"),
    (dict(TEXT, id="x" * 2_001), "property 'id' is longer than 2000 characters"),
    ({"type": "text", "id": "T", "text": "x" * 20_001}, "property 'text' is longer than 20000 characters (component 'T')"),
    (dict(TEXT, defaultValue="x" * 20_001), "defaultValue 'xxxxx"),  # checked as a submission is: one problem
    ({"type": "select", "id": "S", "key": "s", "values": [{"label": "x" * 2_001, "value": "a"}]},
     "property 'values[0].label' is longer than 2000 characters (component 'S')"),
    (dict(TEXT, properties={"note": "x" * 2_001}), "property 'properties.note' is longer than 2000 characters"),
    (dict(TEXT, key="k" * 101), "is longer than 100 characters (component 'F_name'): use a shorter key"),
])
def test_huge_text_properties_are_refused(component: dict[str, Any], fragment: str) -> None:
    assert fragment in one_problem(component)


def test_text_up_to_the_limits_is_accepted() -> None:
    definition = form(dict(TEXT, label="x" * 2_000, key="k" * 100), {"type": "text", "id": "T", "text": "x" * 20_000})
    assert definition.fields[0].label == "x" * 2_000


def test_deep_nesting_inside_a_component_is_refused() -> None:
    nested: Any = "leaf"
    for _ in range(50):
        nested = {"inner": nested}
    found = one_problem(dict(TEXT, layout=nested))
    assert "property 'layout.inner.inner.inner.inner.inner.inner.inner.inner.inner' is nested more than 10 levels deep" in found


def test_json_nested_past_the_parser_stack_is_one_line() -> None:
    text = '{"id": "x", "components": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(FormError) as caught:
        parse_form(text)
    assert [render(p) for p in caught.value.problems] == ["the form is nested too deeply: export it again from Camunda Modeler"]


def test_too_many_components_is_one_line() -> None:
    components = [dict(TEXT, id=f"F{n}", key=f"field_{n}") for n in range(MAX_COMPONENTS)]
    assert len(form(*components).fields) == MAX_COMPONENTS
    grouped = {"type": "group", "id": "G", "components": components}  # the group counts too
    started = time.perf_counter()
    assert problems(grouped) == [f"the form has more than {MAX_COMPONENTS} components: split it into several forms"]
    many = [{"type": "text", "id": f"T{n}"} for n in range(5_000)]
    assert problems(*many) == [f"the form has more than {MAX_COMPONENTS} components: split it into several forms"]
    assert time.perf_counter() - started < 1


def test_too_many_options_is_one_line() -> None:
    values = [f"v{n}" for n in range(MAX_OPTIONS + 1)]
    found = one_problem({"type": "checklist", "id": "L", "key": "l", "values": options(*values)})
    assert found == (f"{MAX_OPTIONS + 1} options, at most {MAX_OPTIONS} (component 'L'): "
                     "use a valuesKey list from the procedure, or split the choice in two")
    assert form({"type": "checklist", "id": "L", "key": "l", "values": options(*values[:-1])}).fields[0].values


def test_at_most_fifty_problems_are_listed() -> None:
    broken = [dict(TEXT, id=f"F{n}", key=f"{n}bad") for n in range(MAX_COMPONENTS)]
    found = problems(*broken)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1] == f"{MAX_COMPONENTS - MAX_PROBLEMS} more problems in this form are not listed: fix these first"


def test_a_long_form_id_is_refused() -> None:
    with pytest.raises(FormError, match="form id 'ffff.* is invalid: .*at most 200"):
        parse_form(json.dumps({"id": "f" * 201, "components": []}))
    assert parse_form(json.dumps({"id": "f" * 200, "components": []})).id == "f" * 200
