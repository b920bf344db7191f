"""Diagram expressions at run time: the restricted language with the region's calendar."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from engine import clock
from engine.expressions import ExpressionError
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
    virtual_clock.set(datetime(2025, 11, 10, 7, 50, tzinfo=timezone.utc))  # 12:50 in Orenburg
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

    virtual_clock.set(datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert timer.datetime.now(timezone.utc) == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert clock.now() == datetime(2030, 1, 1, tzinfo=timezone.utc)


def test_an_organisation_schedule_applies_when_the_diagram_names_it(engine) -> None:  # type: ignore[no-untyped-def]
    from datetime import time

    from engine.spiff.script_engine import organisation_schedules
    from engine.workingtime import Schedule

    early = Schedule(start=time(8), end=time(17), lunch_start=time(12), lunch_end=time(13))
    task = fake_task({"since": "2025-11-10T11:30:00+05:00", "agency": "orb_roads"})
    with organisation_schedules({"orb_roads": early}):
        # 11:30 + 1 working hour: 30 min before the agency's 12:00 lunch, 30 min after 13:00.
        assert engine.evaluate(task, "working_hours(1, since=since, org=agency)") == "2025-11-10T13:30:00+05:00"
        # Organisations without their own schedule, or no org: the region default (lunch 13–14).
        assert engine.evaluate(task, "working_hours(1, since=since, org='orb_health')") == "2025-11-10T12:30:00+05:00"
    assert engine.evaluate(task, "working_hours(1, since=since, org=agency)") == "2025-11-10T12:30:00+05:00"
