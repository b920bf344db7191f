"""Issue 11, findings 1 and 5: no submitted value and no form pattern makes form validation slow.

Each case took seconds on 411bcc5 while holding the GIL, so every other request waited: the number
regex backtracked over a run of digits (20,000 "1"s and an "x": ~27 s), validate.pattern ran in
Python's backtracking ``re`` (``(a+)+$``: 14 s for 28 characters, doubling with each one more), the
email check was quadratic, and a checklist compared every ticked item with every option.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

import pytest

from engine.forms import FormError, parse_form
from engine.forms import values as form_values
from tests.unit.forms_support import clean, errors, form, form_text, options, problems

LIMIT = 0.5  # seconds; each case takes well under 10 ms now


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


NUMBER = {"type": "number", "id": "F_hours", "key": "answer_hours"}
TEXT_FIELD = {"type": "textfield", "id": "F_text", "key": "text"}


def test_a_long_number_text_is_refused_before_it_is_parsed() -> None:
    definition = form(NUMBER)
    found, seconds = timed(lambda: errors(definition, {"answer_hours": "1" * 20_000 + "x"}))
    assert found == {"answer_hours": "must be at most 100 characters"} and seconds < LIMIT


@pytest.mark.parametrize("raw", ["1" * 20_000 + "x", "1" * 10_000 + "." + "1" * 10_000 + "x", "." + "1" * 20_000 + "e"])
def test_the_number_syntax_is_read_in_one_pass_even_past_the_cap(raw: str) -> None:
    matched, seconds = timed(lambda: form_values._DECIMAL.fullmatch(raw))  # the regex without the cap in front
    assert matched is None and seconds < LIMIT


def test_numbers_still_read_as_before() -> None:
    definition = form(NUMBER)
    for raw, value in (("9", 9), (" -3 ", -3), ("1.", 1.0), (".5", 0.5), ("+2.5e3", 2500.0), ("9" * 18, int("9" * 18))):
        assert clean(definition, {"answer_hours": raw}) == {"answer_hours": value}
    assert errors(definition, {"answer_hours": "1" * 19}) == {"answer_hours": "is too large"}
    assert errors(definition, {"answer_hours": "١٢"}) == {"answer_hours": "must be a number"}  # ASCII digits, as browsers send


def exponential(default: Any = None) -> dict[str, Any]:
    component = {"type": "textfield", "id": "F_code", "key": "code", "validate": {"pattern": "(a+)+$", "maxLength": 200}}
    return component if default is None else dict(component, defaultValue=default)


def test_a_backtracking_pattern_is_matched_in_linear_time_at_submission() -> None:
    definition = form(exponential())
    found, seconds = timed(lambda: errors(definition, {"code": "a" * 27 + "!"}))  # 2**27 steps in Python's re
    assert found == {"code": "does not match the required format"} and seconds < LIMIT
    assert clean(definition, {"code": "a" * 200}) == {"code": "a" * 200}


def test_a_backtracking_pattern_checks_the_default_in_linear_time_at_deployment() -> None:
    found, seconds = timed(lambda: problems(exponential("a" * 27 + "!")))
    assert len(found) == 1 and "defaultValue" in found[0] and "does not match" in found[0] and seconds < LIMIT


@pytest.mark.parametrize("pattern, what, instead", [
    ("(?=[0-9]{6}$).*", "uses a lookahead", "[0-9]{6} rather than"),
    ("(?![0-9]).+", "uses a lookahead", "describe the whole value"),
    ("(?<=№)[0-9]+", "uses a lookbehind", "from its start"),
    ("(?<!-)[0-9]+", "uses a lookbehind", "from its start"),
    ("([a-z]+)-\\1", "uses a backreference", "repeat the group's pattern"),
    ("(?<w>[a-z]+)-\\k<w>", "uses a backreference", "repeat the group's pattern"),
    ("a{1001}", "is too large", "smaller repetition counts"),
    ("x" * 1_001, "is longer than 1000 characters", "maxLength"),
    ("([a-z]", "is not a valid regular expression (missing ): ([a-z])", "JavaScript syntax"),
])
def test_patterns_re2_cannot_run_are_refused_with_what_to_write(pattern: str, what: str, instead: str) -> None:
    [found] = problems(dict(exponential(), validate={"pattern": pattern}))
    assert found.startswith("validate.pattern '") and f" {what}" in found and instead in found
    assert "(component 'F_code'): " in found
    assert "\n" not in found


def test_the_problem_names_the_form_file() -> None:
    with pytest.raises(FormError) as caught:
        parse_form(form_text(dict(exponential(), validate={"pattern": "(?=x)x"})), source="forms/route.form")
    assert caught.value.source == "forms/route.form" and len(caught.value.problems) == 1


@pytest.mark.parametrize("pattern, good, bad", [
    ("[\\u0410-\\u044F\\u0401\\u0451 ]+", "Иван Ёлкин", "Ivan"),  # JavaScript's \uHHHH
    ("\\\\u0410", "\\u0410", "А"),  # an escaped backslash stays literal
    ("^https?://\\S+$", "https://vk.com/wall-1_2", "https://vk.com/a b"),
    ("\\d{3}", "123", "١٢٣"),  # \d is ASCII, as in JavaScript
    ("(?<area>\\d{3})-\\d{4}", "495-1234", "4951234"),
    ("[0-9]+$", "12", "12\n"),  # $ is the end of the text, as in JavaScript (Python's re allows a final newline)
])
def test_javascript_patterns_match_as_in_the_browser(pattern: str, good: str, bad: str) -> None:
    definition = form(dict(exponential(), validate={"pattern": pattern}))
    assert clean(definition, {"code": good}) == {"code": good}
    assert errors(definition, {"code": bad}) == {"code": "does not match the required format"}


def test_a_lone_surrogate_does_not_match_any_pattern() -> None:
    assert errors(form(dict(exponential(), validate={"pattern": ".*"})), {"code": "\ud800"}) == \
        {"code": "does not match the required format"}


def test_the_email_check_is_linear() -> None:
    definition = form({"type": "textarea", "id": "F_mail", "key": "mail", "validate": {"validationType": "email"}})
    found, seconds = timed(lambda: errors(definition, {"mail": "a@" + "." * 19_996 + "@"}))  # ~2 s quadratic
    assert found == {"mail": "must be an email address"} and seconds < LIMIT


def test_a_checklist_is_checked_in_linear_time() -> None:
    values = [f"option_{n:04}" for n in range(1_000)]
    definition = form({"type": "checklist", "id": "F_list", "key": "picked", "values": options(*values)})
    found, seconds = timed(lambda: errors(definition, {"picked": [values[-1]] * 100_000}))  # 10**8 comparisons
    assert found == {"picked": "must not list an option twice"} and seconds < LIMIT
    assert clean(definition, {"picked": values[::-1]}) == {"picked": values[::-1]}


def test_too_many_files_are_counted_before_each_is_read() -> None:
    definition = form({"type": "filepicker", "id": "F_files", "key": "files", "multiple": True})
    assert errors(definition, {"files": ["1"] * 51}) == {"files": "must be at most 50 files"}
    assert errors(definition, {"files": ["x" * 1_001]}) == {"files": "must be a list of file references"}


def test_a_deployed_form_with_a_huge_max_length_still_caps_text() -> None:
    definition = form(dict(exponential(), validate={"maxLength": 5}))
    field = definition.fields[0]  # as if deployed before maxLength was bounded: the submission cap still holds
    legacy = dataclasses.replace(definition, fields=(dataclasses.replace(field, max_length=10**9),))
    assert errors(legacy, {"code": "x" * 20_001}) == {"code": "must be at most 20000 characters"}


def test_the_largest_form_with_the_longest_conditions_validates_quickly() -> None:
    # Every field's hide condition (its groups' included) runs on each submission: at most 200
    # components, each condition at most 300 elements, so at most ~60,000 steps (5,000 components
    # were accepted on 411bcc5).
    near_limit = "=" + " or ".join(f'x{i} = "v"' for i in range(72))  # the most 300 elements allow
    children = [dict(TEXT_FIELD, id=f"F{n}", key=f"field_{n}", conditional={"hide": "=field_0 = 1"}) for n in range(198)]
    definition = form(dict(TEXT_FIELD, id="X", key="x0"),
                      {"type": "group", "id": "G", "conditional": {"hide": near_limit}, "components": children})
    submitted = {f"field_{n}": "text" for n in range(198)}
    cleaned, seconds = timed(lambda: clean(definition, submitted))
    assert len(cleaned) == 199 and seconds < LIMIT


@pytest.mark.parametrize("component, longest", [
    ({"type": "select", "id": "S", "key": "value", "values": options("a", "b")}, 20_000),
    ({"type": "radio", "id": "R", "key": "value", "valuesKey": "agency_options"}, 20_000),
    ({"type": "textarea", "id": "A", "key": "value"}, 20_000),
    ({"type": "textfield", "id": "T", "key": "value", "validate": {"maxLength": 5}}, 5),
    ({"type": "number", "id": "N", "key": "value"}, 100),
])
def test_every_field_caps_its_raw_text_before_reading_it(component: dict[str, Any], longest: int) -> None:
    definition = form(component)
    assert errors(definition, {"value": " " * (longest + 1)}) == {"value": f"must be at most {longest} characters"}
