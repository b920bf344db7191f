"""Smolensk: every clause scenario fails when its rule is broken in the diagram (issue 15, finding 8).

Each scenario passes on bpmn/smolensk.bpmn; each mutant breaks one rule (a timer's amount, its start
``since=``, working vs calendar time, a task's role, a condition, a violation's clause, deadline or basis),
is deployed as the procedure's newest version, and the scenario must fail on it. The п. 5 lateness
condition (``now() > working_minutes(30, since=received_at)``) has its amount and start mutated; its
calendar variant is not expressible (the restricted language has no calendar addition from a start) and
the timer beside it carries that mutant. ``test_every_rule_of_the_diagram_has_a_mutant`` keeps the list
complete.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from engine.errors import Forbidden
from engine.models import Violation
from tests.scenario.driver import Case
from tests.scenario.mutants import Edit, condition, deploy_mutant, prop, rules_to_break, timer
from tests.scenario.test_kuzbass_mutants import role
from tests.scenario.test_smolensk import DAY, DRAFT, EXEC, PUBLISH, accept, begin, charged, smolensk  # noqa: F401
from tests.scenario.test_smolensk_acts import overdue_notices

# The sweep checks the diagram, not the storage: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

SHIPPED = "bpmn/smolensk.bpmn"
RETURN = {"competent": False, "return_reason": "Не наша компетенция"}


@pytest.fixture
def smo(db, request):  # type: ignore[no-untyped-def]
    """The Smolensk scenario driver (tests/scenario/test_smolensk.py's fixture)."""
    return request.getfixturevalue("smolensk")


def acts_only(case: Case) -> bool:
    """Every violation of the case is a breach of the act's own deadline (basis act): Smolensk sets no parameters."""
    with case.db.session() as session:
        return set(session.scalars(select(Violation.basis).where(Violation.instance_id == case.instance_id))) == {"act"}


# ---- scenarios (each passes on the shipped diagram) ------------------------------------------------

def return_late(case: Case) -> None:
    """п. 5: received 12:50 → 30 working minutes across lunch → 14:20; returned 14:25: charged to the agency."""
    begin(case, routed=f"{DAY}T12:50")
    assert case.task("accept_message").role == "executor"
    case.at(f"{DAY}T14:25")
    assert case.violations() == []  # nothing is due until the agency returns
    case.complete("accept_message", EXEC, RETURN)
    assert case.violations() == [("5", "return", case.local(f"{DAY}T14:20"))]
    assert charged(case) == [("5", "smo_roads")] and acts_only(case)
    assert case.task("reroute_message").role == "curator"
    case.complete("reroute_message", "curator", {"agency": "smo_health"})
    case.at(f"{DAY}T16:00")  # competent, an hour and a half later: п. 5 obliges only a return
    case.complete("accept_message", "exec_smo_health", {"competent": True})
    assert case.open_elements() == ["draft_answer"] and charged(case) == [("5", "smo_roads")]


def return_at_minute_31(case: Case) -> None:
    """п. 5: received 10:00, returned 10:31 (one minute late) → charged with due 10:30."""
    begin(case)
    case.at(f"{DAY}T10:31")
    case.complete("accept_message", EXEC, RETURN)
    assert case.violations() == [("5", "return", case.local(f"{DAY}T10:30"))] and acts_only(case)


def return_in_time(case: Case) -> None:
    """п. 5: received 10:00 (detected 09:50), returned 10:29 → not charged."""
    begin(case)
    case.at(f"{DAY}T10:29")
    case.complete("accept_message", EXEC, RETURN)
    case.at(f"{DAY}T12:00")
    assert case.violations() == [] and case.open_elements() == ["reroute_message"]


def draft_late(case: Case) -> None:
    """п. 6: received Fri 15:00, accepted 15:20 → 8 working hours from receipt → Mon 15:00."""
    begin(case, routed="2025-11-14T15:00")
    accept(case, at="2025-11-14T15:20")
    assert case.task("draft_answer").role == "executor"
    assert case.due("draft_answer") == case.local("2025-11-17T15:00")
    case.at("2025-11-17T14:59")
    assert case.violations() == []
    case.at("2025-11-17T15:01")
    assert case.violations() == [("6", "draft", case.local("2025-11-17T15:00"))]
    assert charged(case) == [("6", "smo_roads")] and acts_only(case)


def review_late(case: Case) -> None:
    """п. 8: the draft arrives 12:30 → the curator publishes or returns by 14:30 (across lunch)."""
    begin(case)
    accept(case)
    case.at(f"{DAY}T12:30")
    case.complete("draft_answer", EXEC, DRAFT)
    assert case.task("review_answer").role == "curator"
    assert case.due("review_answer") == case.local(f"{DAY}T14:30")
    case.at(f"{DAY}T14:29")
    assert case.violations() == []
    case.at(f"{DAY}T14:31")
    assert case.violations() == [("8", "review", case.local(f"{DAY}T14:30"))] and acts_only(case)
    case.complete("review_answer", "curator", PUBLISH)
    assert case.instance().status == "completed"


def rework_late(case: Case) -> None:
    """п. 9: returned for rework 12:20 → reworked by 14:20 (across lunch), the agency's."""
    begin(case)
    accept(case)
    case.at(f"{DAY}T12:00")
    case.complete("draft_answer", EXEC, DRAFT)
    case.at(f"{DAY}T12:20")
    case.complete("review_answer", "curator", {"decision": "rework", "comment": "Уточнить сроки"})
    assert case.task("rework_answer").role == "executor"
    assert case.due("rework_answer") == case.local(f"{DAY}T14:20")
    case.at(f"{DAY}T14:19")
    assert case.violations() == []
    case.at(f"{DAY}T14:21")
    assert case.violations() == [("9", "rework", case.local(f"{DAY}T14:20"))]
    assert charged(case) == [("9", "smo_roads")] and acts_only(case)


def joint_late(case: Case) -> None:
    """пп. 6, 10: received 10:00, accepted 10:10; both parts due Tue 10:00; the curator composes."""
    begin(case, co_agencies=["smo_edu"])
    accept(case)
    assert {(t.element_id, t.organisation_key, t.role) for t in case.open_tasks()} == {
        ("prepare_own_part", "smo_roads", "executor"), ("prepare_part", "smo_edu", "executor")}
    assert case.due("prepare_own_part") == case.due("prepare_part") == case.local("2025-11-18T10:00")
    case.at("2025-11-18T09:59")
    assert case.violations() == []
    case.at("2025-11-18T10:01")
    assert sorted(case.violations()) == [("6", "own_part", case.local("2025-11-18T10:00")),
                                         ("6", "part", case.local("2025-11-18T10:00"))]
    assert sorted(charged(case)) == [("6", "smo_edu"), ("6", "smo_roads")] and acts_only(case)
    case.complete("prepare_own_part", EXEC, {"part_text": "Яма будет отремонтирована"})
    case.complete("prepare_part", "exec_smo_edu", {"part_text": "Школа предупреждена"}, "smo_edu")
    assert case.task("compose_joint_answer").role == "curator"
    case.complete("compose_joint_answer", "curator", {"answer_text": "Общий ответ", "answer_url": PUBLISH["answer_url"]})
    assert case.instance().status == "completed"


def idle_agency(case: Case) -> None:
    """п. 6, 13: neither accepted nor returned within 8 working hours of receipt (Mon 10:00 → Tue 10:00)."""
    begin(case)
    case.at("2025-11-18T09:59")
    assert overdue_notices(case) == []
    case.at("2025-11-18T10:01")
    assert overdue_notices(case) == [("deputy_governor", "smo_roads")]


def significant(case: Case) -> None:
    """п. 15: acutely significant information is reported to the Governor at once, the answer goes on."""
    assert case.violations() == []
    begin(case, importance="significant")
    assert [n[0] for n in case.notifications()] == ["governor"]
    assert case.open_elements() == ["accept_message"]


Scenario = Callable[[Case], None]
_EIGHT = "working_hours(8, since=received_at)"
# (element id, what is broken, scenario that must fail, edits)
MUTANTS: list[tuple[str, str, Scenario, tuple[Edit, ...]]] = [
    ("return_deadline", "amount", return_late, (timer("return_deadline", "working_minutes(31, since=received_at)"),)),
    ("return_deadline", "since", return_late, (timer("return_deadline", "working_minutes(30)"),)),
    ("return_deadline", "calendar", return_late, (timer("return_deadline", "PT30M"),)),
    ("returned_late_flow", "condition", return_at_minute_31,
     (condition("returned_late_flow", "now() > working_minutes(31, since=received_at)"),)),
    ("returned_late_flow", "condition-since", return_late, (condition("returned_late_flow", "now() > working_minutes(30)"),)),
    ("returned_late_flow", "condition-start", return_in_time,
     (condition("returned_late_flow", "now() > working_minutes(30, since=detected_at)"),)),
    ("not_competent_flow", "condition", return_late, (condition("not_competent_flow", "competent"),)),
    ("accept_overdue", "amount", idle_agency, (timer("accept_overdue", "working_hours(9, since=received_at)"),)),
    # Without since= it is armed when accept_message starts, i.e. at receipt: the same instant. From detection:
    ("accept_overdue", "since", idle_agency, (timer("accept_overdue", "working_hours(8, since=detected_at)"),)),
    ("accept_overdue", "calendar", idle_agency, (timer("accept_overdue", "PT8H"),)),
    ("draft_deadline", "amount", draft_late, (timer("draft_deadline", "working_hours(9, since=received_at)"),)),
    ("draft_deadline", "since", draft_late, (timer("draft_deadline", "working_hours(8)"),)),
    ("draft_deadline", "start", draft_late, (timer("draft_deadline", "working_hours(8, since=detected_at)"),)),
    ("draft_deadline", "calendar", draft_late, (timer("draft_deadline", "PT8H"),)),
    ("review_deadline", "amount", review_late, (timer("review_deadline", "working_hours(2)"),)),
    ("review_deadline", "since", review_late, (timer("review_deadline", "working_hours(1, since=received_at)"),)),
    ("review_deadline", "calendar", review_late, (timer("review_deadline", "PT1H"),)),
    ("rework_deadline", "amount", rework_late, (timer("rework_deadline", "working_hours(2)"),)),
    ("rework_deadline", "since", rework_late, (timer("rework_deadline", "working_hours(1, since=received_at)"),)),
    ("rework_deadline", "calendar", rework_late, (timer("rework_deadline", "PT1H"),)),
    ("own_part_deadline", "amount", joint_late, (timer("own_part_deadline", _EIGHT.replace("8", "9")),)),
    ("own_part_deadline", "since", joint_late, (timer("own_part_deadline", "working_hours(8)"),)),
    ("own_part_deadline", "calendar", joint_late, (timer("own_part_deadline", "PT8H"),)),
    ("part_deadline", "amount", joint_late, (timer("part_deadline", _EIGHT.replace("8", "9")),)),
    ("part_deadline", "since", joint_late, (timer("part_deadline", "working_hours(8)"),)),
    ("part_deadline", "calendar", joint_late, (timer("part_deadline", "PT8H"),)),
    ("route_message", "role", review_late, (role("route_message", "executor"),)),
    ("accept_message", "role", return_late, (role("accept_message", "curator"),)),
    ("reroute_message", "role", return_late, (role("reroute_message", "executor"),)),
    ("draft_answer", "role", draft_late, (role("draft_answer", "curator"),)),
    ("review_answer", "role", review_late, (role("review_answer", "executor"),)),
    ("rework_answer", "role", rework_late, (role("rework_answer", "curator"),)),
    ("prepare_own_part", "role", joint_late, (role("prepare_own_part", "curator"),)),
    ("prepare_part", "role", joint_late, (role("prepare_part", "curator"),)),
    ("compose_joint_answer", "role", joint_late, (role("compose_joint_answer", "executor"),)),
    ("significant_flow", "condition", significant, (condition("significant_flow", "importance == 'normal'"),)),
    ("several_agencies", "condition", joint_late, (condition("several_agencies", "len(co_agencies) > 1"),)),
    ("rework_flow", "condition", rework_late, (condition("rework_flow", "decision == 'publish'"),)),
]
for _task, _clause, _deadline, _scenario in (
        ("record_return_violation", "5", "return", return_late), ("record_draft_violation", "6", "draft", draft_late),
        ("record_review_violation", "8", "review", review_late), ("record_rework_violation", "9", "rework", rework_late),
        ("record_own_part_violation", "6", "own_part", joint_late), ("record_part_violation", "6", "part", joint_late)):
    MUTANTS += [(_task, "clause", _scenario, (prop(_task, "clause", "13" if _clause != "13" else "6"),)),
                (_task, "deadline", _scenario, (prop(_task, "deadline", "answer"),)),
                (_task, "basis", _scenario, (prop(_task, "basis", "parameter"),))]
SCENARIOS = [return_late, return_at_minute_31, return_in_time, idle_agency, draft_late, review_late, rework_late, joint_late,
             significant]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_each_scenario_passes_on_the_shipped_diagram(smo, scenario: Scenario) -> None:  # type: ignore[no-untyped-def]
    scenario(smo)


@pytest.mark.parametrize("element, broken, scenario, edits", MUTANTS, ids=[f"{m[0]}-{m[1]}" for m in MUTANTS])
def test_a_mutant_of_the_rule_is_caught(smo, element: str, broken: str, scenario: Scenario,  # type: ignore[no-untyped-def]
                                        edits: tuple[Edit, ...]) -> None:
    deploy_mutant(smo.db, SHIPPED, *edits)
    with pytest.raises((AssertionError, Forbidden)):
        scenario(smo)


def test_every_rule_of_the_diagram_has_a_mutant() -> None:
    assert rules_to_break(SHIPPED) - {(m[0], m[1]) for m in MUTANTS} == set()
