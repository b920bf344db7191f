"""Deployment refuses what a diagram fixes beyond the documented bounds (issue 11, findings 2, 6, 9).

Timers are due at most five years ahead (a literal date not before 2000-01-01), calendar durations
are at most five years, working_days(n) n ≤ 365, working_hours(n) n ≤ 2920, working_minutes(n)
n ≤ 175200 — whether the amount is typed, a process variable's default or an element template's
field — and loop cardinality is refused for camunda:collection. Each is one line naming the element.
"""
from __future__ import annotations

import time

import pytest

from engine.deployment.deployer import Source, library_forms, plan
from tests.deploy.test_deploy_errors import ORENBURG, problems, replace

PART_TIMER = "working_hours(2)"  # prepare_part's boundary timer, part_deadline


def timer(text: str) -> str:
    return replace(PART_TIMER, text.replace("'", "&apos;"))


def assert_one_problem(text: str, *parts: str) -> None:
    found = problems(text)
    assert len(found) == 1 and all(part in found[0] for part in parts), found


@pytest.mark.parametrize("literal, message", [
    ("'9999-12-30T00:00:00+05:00'", "more than 5 years from now"),
    ("'1999-12-31T23:00:00+05:00'", "before 2000-01-01"),
    ("'2025-11-05T10:00:00'", "no UTC offset"),
    ("'PT30M'", "not an ISO-8601 date-time"),
    ("'tomorrow'", "not an ISO-8601 date-time"),
    ("8", "a timer must give a date-time"),
], ids=["year-9999", "before-2000", "naive", "quoted-duration", "text", "number"])
def test_a_date_timer_the_diagram_fixes_must_be_due_within_the_window(literal: str, message: str) -> None:
    assert_one_problem(timer(literal), "part_deadline: timer:", message)


@pytest.mark.parametrize("duration, message", [
    ("P9999Y", "longer than 5 years"), ("P61M", "longer than 5 years"), ("PT99999999H", "longer than 5 years"),
    ("P1W2D", "weeks (W) stand alone"), ("PT1.5H30M", "only the last part"),
])
def test_a_duration_timer_is_at_most_five_years(duration: str, message: str) -> None:
    text = replace(f'<bpmn:timeDate xsi:type="bpmn:tFormalExpression">{PART_TIMER}</bpmn:timeDate>',
                   f'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{duration}</bpmn:timeDuration>')
    assert_one_problem(text, "part_deadline: timer:", message)


@pytest.mark.parametrize("expression", ["P5Y", "'2030-01-01T00:00:00+05:00'", "working_days(365)",
                                        "working_hours(2920)", "working_minutes(175200, since=detected_at)"])
def test_timers_within_the_bounds_deploy(expression: str, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    # The window is counted from the deployment's "now": pinned to 2025-10-31.
    text = timer(expression) if not expression.startswith("P") else replace(
        f'<bpmn:timeDate xsi:type="bpmn:tFormalExpression">{PART_TIMER}</bpmn:timeDate>',
        f'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{expression}</bpmn:timeDuration>')
    [item] = plan([Source("ok.bpmn", text.encode("utf-8"))], library_forms())
    assert item.info.process_id == "orenburg"


@pytest.mark.parametrize("expression, message", [
    ("working_days(10**9)", "working_days(1000000000): the amount must be from 0 to 365"),
    ("working_days(366, since=detected_at)", "the amount must be from 0 to 365"),
    ("working_hours(2921)", "the amount must be from 0 to 2920"),
    ("working_minutes(175201)", "the amount must be from 0 to 175200"),
    ("working_days(1.5)", "working_days() needs a whole number of days, not 1.5"),
    ("working_hours('8')", "working_hours() needs a number, not '8'"),
    ("working_hours(-1)", "the amount must be from 0 to 2920"),
    ("working_hours(1, 2, 3, 4)", "takes an amount and optionally since= and org="),
    ("working_hours(since=detected_at)", "working_hours() needs an amount"),
    ("working_hours(1, since='0002-01-01T00:00:00+05:00')", "since is 0002-01-01T00:00:00+05:00, before 2000-01-01"),
], ids=["days-billion", "days-366", "hours-2921", "minutes-175201", "days-fraction", "hours-text", "negative",
        "arguments", "no-amount", "since-year-2"])
def test_a_working_time_amount_the_diagram_fixes_is_bounded(expression: str, message: str) -> None:
    started = time.perf_counter()
    assert_one_problem(timer(expression), "part_deadline: timer:", message)
    assert time.perf_counter() - started < 2  # nothing is counted at deployment


def test_a_variable_default_used_as_an_amount_is_bounded() -> None:
    # var.answer_hours feeds п. 8's answer deadline; var.draft_hours the agencies' drafts (п. 9/14).
    found = problems(replace('name="var.answer_hours" value="9"', 'name="var.answer_hours" value="100000"'))
    assert found and all("working_hours(100000" in line for line in found), found
    assert any("answer_deadline: timer:" in line for line in found), found
    # A negative amount: the draft timers could never be armed.
    found = problems(replace('name="var.draft_hours" value="5"', 'name="var.draft_hours" value="-1"'))
    assert found and all("working_hours(-1): the amount must be from 0 to 2920" in line for line in found), found


def test_a_template_built_timer_is_bounded() -> None:
    # «Срок в рабочих днях» with 999 typed into its amount field (the template's pattern allows three
    # digits; 10**9 is refused by the pattern first: tests/deploy/test_template_constraints.py), Timer empty.
    template = ('<bpmn:extensionElements><camunda:properties>'
                '<camunda:property name="timer.function" value="working_days" />'
                '<camunda:property name="timer.amount" value="999" />'
                '<camunda:property name="timer.since" value="None" />'
                '</camunda:properties></bpmn:extensionElements>')
    start = ORENBURG.index('<bpmn:boundaryEvent id="rework_deadline"')
    docs_end = ORENBURG.index("</bpmn:documentation>", start) + len("</bpmn:documentation>")
    text = ORENBURG[:docs_end] + template + ORENBURG[docs_end:]
    text = text.replace('<bpmn:timeDate xsi:type="bpmn:tFormalExpression">working_hours(1)</bpmn:timeDate>', "", 1)
    assert_one_problem(text, "rework_deadline: timer (from the deadline template):",
                       "working_days(999): the amount must be from 0 to 365")


def test_every_expression_kind_is_bounded_not_only_timers() -> None:
    # An output parameter and a gateway condition call the same functions at run time.
    condition = replace("category == 'threat'", "category == 'threat' and working_days(10**9) > ''")
    assert_one_problem(condition, "condition:", "the amount must be from 0 to 365")


@pytest.mark.parametrize("default, message", [
    ("working_hours(1)", "function 'working_hours' is not in the catalogue"),
    ("answer_hours", "unknown name 'answer_hours'"),
    ("1 / 0", "division by zero"),
], ids=["calendar-function", "another-variable", "error"])
def test_a_variable_default_is_a_value_computed_without_the_case(default: str, message: str) -> None:
    # Computed when each case starts with the plain functions only; before, every registration got a 500.
    text = replace('name="var.importance" value="\'normal\'"', f'name="var.importance" value="{default}"')
    found = problems(text)
    assert any("default of variable 'importance'" in line and message in line for line in found), found


def test_loop_cardinality_is_refused_with_what_to_draw_instead() -> None:
    text = replace('camunda:elementVariable="part" />', 'camunda:elementVariable="part">'
                   "<bpmn:loopCardinality>1000</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>")
    assert_one_problem(text, "prepare_part: loop cardinality is not supported", "camunda:collection")


def test_a_collection_default_of_more_than_fifty_participants_is_refused() -> None:
    text = replace('name="var.co_agencies" value="[]"', 'name="var.co_agencies" value="[&apos;orb_roads&apos;] * 51"')
    assert_one_problem(text, "prepare_part: the default of 'co_agencies' lists 51 participants", "at most 50")
