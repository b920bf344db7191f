"""Kalmanka clause tests that must fail when their rule is broken in the diagram (issue 15, finding 8).

Each scenario runs on the shipped bpmn/kalmanka.bpmn, then on a mutant deployed as its newest
version (tests/scenario/mutants.py): the scenario must fail on every mutant. The start points are
told apart by cases whose posting, detection, opening, registration and interim answer fall on
different working days — a test where they share a day cannot tell ``since=`` from another.

Not catchable, decided: ``answer_deadline`` without ``since=`` is equivalent to the shipped
``since=registered_at`` — the timer arms in the very step that sets ``registered_at`` (the
registration at the reception, or the sending straight to a department), so both read the same
instant. The shipped expression names the start so the reading is visible on the card. Likewise
``draft_deadline`` (п. 7, ``working_days(0)``) with ``since=registered_at``: the draft task starts in
that same step. Measured by a sweep (every timer's amount, start and hours→minutes, every user
task's role, every condition, every clause label): 54 mutants, 27 refused at deployment (a role
against its lane), 25 killed, these 2 equivalent ones survive.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.runtime import cases as runtime
from tests.scenario.driver import Case
from tests.scenario.mutants import Edit, condition, deploy_mutant, prop, timer, timer_expression
from tests.scenario.test_kalmanka import CLERK, DRAFT, EXEC, OFFICIAL, PUBLISH, REGISTER, ROUTE, kalmanka  # noqa: F401
from tests.scenario.test_kalmanka import test_clause_8_not_armed_after_a_clarification_request as clarification
from tests.scenario.test_kalmanka import (
    test_clauses_4_6_sent_straight_to_a_department_the_answer_counts_from_sending as straight_to_department,
)

# The sweep checks the diagram, not the storage: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

PATH = "bpmn/kalmanka.bpmn"


def shipped(event_id: str) -> str:
    return timer_expression(PATH, event_id)


def open_late(case: Case, *, posted: str, detected: str, opened: str) -> None:
    """A message detected earlier than the case is opened (entered the next morning, imported)."""
    case.clock.set(case.local(opened))
    with case.db.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region=case.region, network="vk", url="https://vk.com/wall-1_7", author="Иван Петров",
            text="Не вывозят мусор на ул. Мира", posted_at=case.local(posted), detected_at=case.local(detected)),
            OFFICIAL)
        case.instance_id = instance.id
    case.at(opened)


def of_clause(case: Case, clause: str) -> list[tuple[str, str, object]]:
    return [v for v in case.violations() if v[0] == clause]


def routing_from_detection(case: Case) -> None:
    # Posted Wednesday, detected Friday 16:00, the case opened Monday 09:30: п. 5 ran out on Friday.
    open_late(case, posted="2025-11-12T10:00", detected="2025-11-14T16:00", opened="2025-11-17T09:30")
    assert of_clause(case, "5") == [("5", "routing", case.local("2025-11-14T18:00"))]


def answer_from_registration(case: Case) -> None:
    # Posted Friday 7.11, detected Monday 17:00, sent 17:30, registered Tuesday 10:00 → Wednesday 18:00.
    case.start(posted="2025-11-07T10:00", detected="2025-11-10T17:00")
    case.at("2025-11-10T17:30")
    case.complete("send_to_reception", OFFICIAL, ROUTE)
    case.at("2025-11-11T10:00")
    case.complete("register_at_reception", CLERK, REGISTER)
    case.at("2025-11-11T18:01")
    assert of_clause(case, "6") == []
    case.at("2025-11-12T17:59")
    assert of_clause(case, "6") == []
    case.at("2025-11-12T18:01")
    assert of_clause(case, "6") == [("6", "answer", case.local("2025-11-12T18:00"))]


def final_from_interim(case: Case) -> None:
    # Posted Friday 7.11, detected Monday 10.11, the interim answer published Tuesday 11.11 10:00:
    # 7 working days from it → Thursday 20.11 18:00 (from detection it would be 19.11, from posting 18.11).
    case.start(posted="2025-11-07T10:00", detected="2025-11-10T10:00")
    case.complete("send_to_reception", OFFICIAL, ROUTE)
    case.complete("register_at_reception", CLERK, REGISTER)
    case.at("2025-11-11T09:30")
    case.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "interim"})
    case.at("2025-11-11T10:00")
    case.complete("review_answer", OFFICIAL, PUBLISH)
    assert case.due("draft_final_answer") == case.local("2025-11-20T18:00")
    case.at("2025-11-20T17:59")
    assert of_clause(case, "8") == []
    case.at("2025-11-20T18:01")
    assert of_clause(case, "8") == [("8", "final", case.local("2025-11-20T18:00"))]


Scenario = Callable[[Case], None]
MUTANTS: list[tuple[str, Scenario, list[Edit]]] = [
    ("5: routing start dropped", routing_from_detection,
     [timer("routing_deadline", shipped("routing_deadline").replace(", since=detected_at", ""))]),
    ("5: routing from posting", routing_from_detection,
     [timer("routing_deadline", shipped("routing_deadline").replace("detected_at", "posted_at"))]),
    ("5: routing as 8 working hours", routing_from_detection,
     [timer("routing_deadline", "working_hours(8, since=detected_at)")]),
    ("5: routing label", routing_from_detection, [prop("record_routing_violation", "clause", "6")]),
    ("6: answer from detection", answer_from_registration,
     [timer("answer_deadline", shipped("answer_deadline").replace("registered_at", "detected_at"))]),
    ("6: answer from posting", answer_from_registration,
     [timer("answer_deadline", shipped("answer_deadline").replace("registered_at", "posted_at"))]),
    ("6: answer label", answer_from_registration, [prop("record_answer_violation", "clause", "7")]),
    ("8: final from detection", final_from_interim,
     [timer("final_deadline", "working_days(7, since=detected_at)")]),
    ("8: final from posting", final_from_interim, [timer("final_deadline", "working_days(7, since=posted_at)")]),
    ("8: final label", final_from_interim, [prop("record_final_violation", "clause", "6")]),
    ("8: armed after a clarification request", clarification,
     [condition("interim_published", "answer_kind in ('interim', 'clarification')"),
      condition("clarification_published", "False")]),
    ("4/6: no sending straight to a department", straight_to_department,
     [condition("sent_to_department", "False")]),
]


@pytest.mark.parametrize("scenario", [routing_from_detection, answer_from_registration, final_from_interim,
                                      clarification, straight_to_department],
                         ids=["5", "6", "8", "8-clarification", "4-6"])
def test_the_shipped_diagram_passes_the_clause_scenario(kalmanka, scenario: Scenario) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    scenario(kalmanka)


@pytest.mark.parametrize("scenario, edits", [(s, e) for _, s, e in MUTANTS], ids=[name for name, _, _ in MUTANTS])
def test_a_mutant_breaking_the_clause_is_caught(kalmanka, scenario: Scenario, edits: list[Edit]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    deploy_mutant(kalmanka.db, PATH, *edits)
    with pytest.raises(AssertionError):
        scenario(kalmanka)
