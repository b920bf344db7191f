"""Kaluga clause tests that must fail when their rule is broken in the diagram (issue 15, finding 8).

Each scenario passes on the shipped bpmn/kaluga.bpmn and fails on every mutant of it deployed as the
newest version (tests/scenario/mutants.py). The routing deadline is told apart from "no start" by a
case opened half an hour after the message was detected, and from posting by a message posted earlier.
Giving deputy_review to another role is refused at deployment (the task's lane disagrees), so it needs no
scenario here.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from engine.models import Violation
from engine.runtime import cases as runtime
from tests.scenario.driver import Case
from tests.scenario.mutants import Edit, condition, deploy_mutant, prop, timer, timer_expression
from tests.scenario.test_kaluga import kaluga  # noqa: F401
from tests.scenario.test_kaluga import test_clause_2_4_only_the_deputy_head_of_that_agency_approves as sign_off
from tests.scenario.test_kaluga import test_clause_2_4_rework_loop_back_to_the_deputy_head_twice as rework_loop

# The sweep checks the diagram, not the storage: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

PATH = "bpmn/kaluga.bpmn"


def routing_from_detection(case: Case) -> None:
    # Posted 09:40, detected 10:00, the case opened 10:30: 1 working hour from detection → 11:00.
    case.clock.set(case.local("2025-11-10T10:30"))
    with case.db.session() as session:
        case.instance_id = runtime.start_procedure(session, runtime.MessageInput(
            region="kaluga", network="vk", url="https://vk.com/wall-1_9", author="Анна Смирнова",
            text="Нет света в подъезде", posted_at=case.local("2025-11-10T09:40"),
            detected_at=case.local("2025-11-10T10:00")), "curator").id
    assert case.due("route_message") == case.local("2025-11-10T11:00")
    case.at("2025-11-10T10:59")
    assert case.violations() == []
    case.at("2025-11-10T11:01")
    assert case.violations() == [("1.3", "routing", case.local("2025-11-10T11:00"))]
    with case.db.session() as session:
        assert list(session.scalars(select(Violation.basis).where(Violation.instance_id == case.instance_id))) == [
            "parameter"]


shipped = timer_expression(PATH, "routing_deadline")
Scenario = Callable[[Case], None]
MUTANTS: list[tuple[str, Scenario, list[Edit]]] = [
    ("1.3 routing start dropped", routing_from_detection,
     [timer("routing_deadline", shipped.replace(", since=detected_at", ""))]),
    ("1.3 routing from posting", routing_from_detection,
     [timer("routing_deadline", shipped.replace("detected_at", "posted_at"))]),
    ("1.3 routing as a breach of the decree", routing_from_detection, [prop("record_routing_violation", "basis", "act")]),
    ("2.4 sign-off skipped", sign_off, [condition("without_deputy_review", "True")]),
    ("2.4 rework loop skips the sign-off", rework_loop, [condition("without_deputy_review", "True")]),
]


@pytest.mark.parametrize("scenario", [routing_from_detection, sign_off, rework_loop], ids=["1.3", "2.4", "2.4-rework"])
def test_the_shipped_diagram_passes_the_clause_scenario(kaluga, scenario: Scenario) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    scenario(kaluga)


@pytest.mark.parametrize("scenario, edits", [(s, e) for _, s, e in MUTANTS], ids=[name for name, _, _ in MUTANTS])
def test_a_mutant_breaking_the_clause_is_caught(kaluga, scenario: Scenario, edits: list[Edit]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    deploy_mutant(kaluga.db, PATH, *edits)
    with pytest.raises((AssertionError, pytest.fail.Exception)):  # an assert, or an expected refusal missing
        scenario(kaluga)
