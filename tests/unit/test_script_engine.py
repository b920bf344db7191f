"""Diagram expressions at run time: the restricted language with the region's calendar."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from engine import clock
from engine.expressions.language import ExpressionError
from engine.spiff.script_engine import catalogue_names, script_engine_for_region


def fake_task(data: dict, case: dict | None = None):  # type: ignore[no-untyped-def]
    workflow = SimpleNamespace(data={"case": case or {}})
    workflow.top_workflow = workflow
    return SimpleNamespace(data=data, workflow=workflow)


@pytest.fixture
def engine(virtual_clock):  # type: ignore[no-untyped-def]
    return script_engine_for_region("orenburg")


def test_working_hours_since_a_case_variable(engine) -> None:  # type: ignore[no-untyped-def]
    task = fake_task({"detected_at": "2025-11-10T10:00:00+05:00", "answer_hours": 9})
    assert engine.evaluate(task, "working_hours(answer_hours - 4, since=detected_at)") == "2025-11-10T16:00:00+05:00"


def test_default_since_is_when_the_timer_is_armed(engine, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(datetime(2025, 11, 10, 7, 50, tzinfo=UTC))  # 12:50 in Orenburg
    assert engine.evaluate(fake_task({}), "working_minutes(30)") == "2025-11-10T14:20:00+05:00"


def test_case_variables_win_over_stale_branch_data(engine) -> None:  # type: ignore[no-untyped-def]
    # A deadline branch forked before publication still carries published=False.
    task = fake_task({"published": False}, case={"published": True})
    assert engine.evaluate(task, "not published") is False


def test_iso_duration_passes_through(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.evaluate(fake_task({}), "PT30M") == "PT30M"


@pytest.mark.parametrize("payload", [
    "__import__('os').system('touch /tmp/otklik-runtime-pwned')",
    "open('/etc/passwd').read()",
    "().__class__.__base__.__subclasses__()",
    "detected_at.__class__",
])
def test_sandbox_payloads_fail_at_run_time_too(engine, payload: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExpressionError):
        engine.environment.evaluate(payload, {"detected_at": "x"})
    assert not Path("/tmp/otklik-runtime-pwned").exists()


def test_script_tasks_cannot_run(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionError):
        engine.environment.execute("x = 1", {})


def test_catalogue_lists_working_time_functions() -> None:
    assert {"working_hours", "working_minutes", "working_days", "len"} <= catalogue_names()


def test_clock_is_what_spiffworkflow_timers_read(virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    virtual_clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert timer.datetime.now(UTC) == datetime(2030, 1, 1, tzinfo=UTC)
    assert clock.now() == datetime(2030, 1, 1, tzinfo=UTC)


def test_an_organisation_schedule_applies_when_the_diagram_names_it(engine) -> None:  # type: ignore[no-untyped-def]
    from datetime import time

    from engine.calendar.workingtime import Schedule
    from engine.spiff.script_engine import organisation_schedules

    early = Schedule(start=time(8), end=time(17), lunch_start=time(12), lunch_end=time(13))
    task = fake_task({"since": "2025-11-10T11:30:00+05:00", "agency": "orb_roads"})
    with organisation_schedules({"orb_roads": early}):
        # 11:30 + 1 working hour: 30 min before the agency's 12:00 lunch, 30 min after 13:00.
        assert engine.evaluate(task, "working_hours(1, since=since, org=agency)") == "2025-11-10T13:30:00+05:00"
        # Organisations without their own schedule, or no org: the region default (lunch 13–14).
        assert engine.evaluate(task, "working_hours(1, since=since, org='orb_health')") == "2025-11-10T12:30:00+05:00"
    assert engine.evaluate(task, "working_hours(1, since=since, org=agency)") == "2025-11-10T12:30:00+05:00"


# --- bounds at run time (issue 11, findings 2, 6 and 9) ----------------------------------

def _diagram(step: str) -> bytes:
    """A start event, ``step`` (id 'step') and an end event: enough for SpiffWorkflow to run."""
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="https://otklik.example/test">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="step"/>
    {step}
    <bpmn:sequenceFlow id="f2" sourceRef="step" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>'''.encode()


def _timer(kind: str, text: str) -> bytes:
    return _diagram(f'''<bpmn:intermediateCatchEvent id="step"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="t"><bpmn:{kind} xsi:type="bpmn:tFormalExpression">{text}</bpmn:{kind}></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>''')


def _loop(cardinality: str) -> bytes:
    return _diagram(f'''<bpmn:userTask id="step" camunda:candidateGroups="executor">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="parts" camunda:elementVariable="part">
        <bpmn:loopCardinality>{cardinality}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>''')


def _run(diagram: bytes, data: dict | None = None):  # type: ignore[no-untyped-def]
    """Start the diagram (as if deployed before the deployment checks existed) and run engine steps."""
    from SpiffWorkflow.bpmn import BpmnWorkflow

    from engine.spiff.parser import parse_process

    spec, subprocesses = parse_process(diagram, "p")
    workflow = BpmnWorkflow(spec, subprocesses, script_engine=script_engine_for_region("orenburg"))
    workflow.get_tasks(state=__import__("SpiffWorkflow").TaskState.READY)[0].data.update(data or {})
    workflow.do_engine_steps()
    workflow.refresh_timers()
    return workflow


@pytest.mark.parametrize("diagram, data, message", [
    (_timer("timeDate", "'9999-12-30T00:00:00+05:00'"), {}, "more than 5 years from now"),
    (_timer("timeDate", "due"), {"due": "2031-01-01T00:00:00+05:00"}, "more than 5 years from now"),
    (_timer("timeDate", "due"), {"due": "1999-12-31T00:00:00+05:00"}, "before 2000-01-01"),
    (_timer("timeDate", "due"), {"due": "2025-11-05T10:00:00"}, "no UTC offset"),
    (_timer("timeDate", "'PT30M'"), {}, "not an ISO-8601 date-time"),
    (_timer("timeDuration", "P9999Y"), {}, "longer than 5 years"),
    (_timer("timeDuration", "P1827D"), {}, "longer than 5 years"),
], ids=["literal-9999", "variable-2031", "before-2000", "naive", "quoted-duration", "duration-9999y", "duration-1827d"])
def test_a_timer_due_outside_the_window_is_a_clear_error_not_a_wait(virtual_clock, diagram, data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExpressionError, match=f"timer step: .*{message}"):
        _run(diagram, data)


@pytest.mark.parametrize("diagram, due", [
    (_timer("timeDuration", "P5Y"), "2030-10-31T09:00:00+00:00"),
    (_timer("timeDate", "working_days(365)"), "2027-04-29T18:00:00+05:00"),
], ids=["five-years", "a-year-of-working-days"])
def test_a_timer_inside_the_window_is_armed(virtual_clock, diagram, due) -> None:  # type: ignore[no-untyped-def]
    [event] = _run(diagram).waiting_events()
    assert event.value == due


@pytest.mark.parametrize("expression, message", [
    ("working_days(10**9)", "at most 365"), ("working_hours(2921)", "at most 2920"),
    ("working_minutes(10**12)", "at most 175200"),
    ("working_hours(9, since='0002-01-01T00:00:00+05:00')", "before 2000-01-01"),
    ("working_days(7, since='9999-12-30T00:00:00+05:00')", "more than 5 years"),
])
def test_working_time_functions_refuse_what_is_out_of_bounds_at_once(engine, expression, message) -> None:  # type: ignore[no-untyped-def]
    import time

    started = time.perf_counter()
    with pytest.raises(ExpressionError, match=message):
        engine.evaluate(fake_task({}), expression)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("cardinality, data", [("1000", {}), ("3", {"parts": []}), ("kind", {"kind": "parts"})],
                         ids=["thousand-tasks", "name-error", "text-as-collection"])
def test_a_loop_cardinality_is_a_clear_error_at_run_time(virtual_clock, cardinality, data) -> None:  # type: ignore[no-untyped-def]
    # Refused at deployment; one deployed before must not start 1,000 tasks or fail with a NameError
    # (SpiffWorkflow 3.2.0: ``data_ouput``) — both were 500s.
    with pytest.raises(ExpressionError, match="step: loop cardinality is not supported; .*camunda:collection"):
        _run(_loop(cardinality), data)
