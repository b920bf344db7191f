"""Orenburg, decree 156-ук: each clause scenario fails when its rule is broken in the diagram.

Every scenario below passes on bpmn/orenburg.bpmn (test_scenario_holds_on_the_shipped_diagram) and
fails on each mutant listed with it, deployed as the procedure's newest version (tests/scenario/mutants.py).
The mutants are those that survived the issue-15 mutation run: a timer's start point (``since=``)
dropped or moved, working time replaced by calendar time (``PT…``: counted from arming, lunch and
evenings included), an amount changed, a violation's clause label changed, a task given to another role.

Decided, not mutated here (docs/traceability.md, Orenburg):
* ``var.answer_hours`` (9) is never read while a case runs: the routing form requires the term and
  offers 9 by default; the process default states п. 8 for the procedure card. A mutant of it is
  equivalent.
* ``executor`` and ``last_executor`` are one role for the engine (the agency's executor; the last
  executor is the agency the curator chose, п. 14, named by ``organisation``): moving a task between
  them is an equivalent mutant; which agency acts is tested (test_clause_14_joint_answer_with_three_agencies).
* a timer's start variable must be set on every path that reaches it: ``received_at`` is set by both
  routing steps, which precede every timer that reads it; deploy does not yet check this (dataflow).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.errors import Forbidden
from engine.runtime import cases as runtime
from tests.scenario.mutants import Edit, condition, deploy_mutant, prop, retarget, timer
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE, begin
from tests.scenario.test_orenburg_final import scenario_clause_13_counts_from_the_day_of_posting
from tests.scenario.test_orenburg_reroute import (
    RETURN,
    charged,
    return_and_reroute,
    scenario_clause_6_rerouting_deadline,
    scenario_clause_7_late_return,
    scenario_clause_7_return_across_lunch,
    scenario_reroute_marked_as_threat,
)

# The sweep checks the diagram, not the storage: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

PATH = "bpmn/orenburg.bpmn"


def start_registered(case: Any, *, posted: str, detected: str, registered: str) -> None:
    """A message registered in the system later than the curator detected it (п. 6 counts from detection)."""
    case.clock.set(case.local(registered))
    with case.db.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region=case.region, network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге у школы №5", posted_at=case.local(posted), detected_at=case.local(detected)), "curator")
        case.instance_id = instance.id


def scenario_clause_6_counts_from_detection(case: Any) -> None:
    start_registered(case, posted="2025-11-10T09:40", detected="2025-11-10T10:00", registered="2025-11-10T10:20")
    assert case.due("route_message") == case.local("2025-11-10T10:30")
    case.at("2025-11-10T10:31")
    assert case.violations() == [("6", "routing", case.local("2025-11-10T10:30"))]


def scenario_clause_6_working_time_over_the_evening(case: Any) -> None:
    case.start(posted="2025-11-10T17:40", detected="2025-11-10T17:50")
    # 30 working minutes from 17:50: 10 on Monday, 20 on Tuesday morning → 09:20.
    assert case.due("route_message") == case.local("2025-11-11T09:20")
    case.at("2025-11-11T09:19")
    assert case.violations() == []
    case.at("2025-11-11T09:21")
    assert case.violations() == [("6", "routing", case.local("2025-11-11T09:20"))]


def scenario_clause_9_joint_draft(case: Any) -> None:
    begin(case, co_agencies=["orb_health", "orb_housing"])
    case.at("2025-11-10T11:30")
    case.complete("prepare_part", "exec_orb_health", {"part_text": "Поликлиника работает"}, "orb_health")
    case.complete("prepare_part", "exec_orb_housing", {"part_text": "УК уведомлена"}, "orb_housing")
    # п. 9: 9 − 4 = 5 working hours from detection at 10:00: 10–13 and 14–16.
    assert case.due("compose_joint_answer") == case.local("2025-11-10T16:00")
    case.at("2025-11-10T15:59")
    assert case.violations() == []
    case.at("2025-11-10T16:01")
    assert case.violations() == [("9", "joint_draft", case.local("2025-11-10T16:00"))]
    assert charged(case) == [("9", "orb_roads")]


def scenario_clause_10_the_curator_approves(case: Any) -> None:
    begin(case)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-10T12:00")
    case.complete("draft_answer", EXEC, DRAFT)
    task = case.task("approve_answer")
    assert (task.role, task.organisation_key) == ("curator", None)
    try:
        case.complete("approve_answer", EXEC, {"decision": "approve"})
    except Forbidden:
        pass
    else:
        raise AssertionError("the executor approved its own draft (п. 10 is the curator's)")
    case.complete("approve_answer", "curator", {"decision": "approve"})
    assert case.open_elements() == ["publish_answer"]


def scenario_clause_12_publication_across_lunch(case: Any) -> None:
    begin(case)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-10T12:40")
    case.complete("draft_answer", EXEC, DRAFT)
    case.at("2025-11-10T12:50")
    case.complete("approve_answer", "curator", {"decision": "approve"})
    # 30 working minutes from 12:50: 10 before lunch, 20 after → 14:20.
    assert case.due("publish_answer") == case.local("2025-11-10T14:20")
    case.at("2025-11-10T14:19")
    assert case.violations() == []
    case.complete("publish_answer", EXEC, PUBLISH)
    assert case.instance().status == "completed"


def scenario_clause_14_part_across_lunch(case: Any) -> None:
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T12:00")
    case.at("2025-11-10T12:10")
    case.complete("route_message", "curator", {**ROUTE, "co_agencies": ["orb_health"]})
    # 2 working hours from 12:10: 50 minutes before lunch, 70 after → 15:10.
    assert case.due("prepare_part", "orb_health") == case.local("2025-11-10T15:10")
    case.at("2025-11-10T15:11")
    assert case.violations() == [("14", "part", case.local("2025-11-10T15:10"))]
    assert charged(case) == [("14", "orb_health")]


def scenario_clause_21_told_once_per_marking(case: Any) -> None:
    begin(case, importance="socially_significant")
    return_and_reroute(case, importance="socially_significant")
    assert [n[0] for n in case.notifications()] == ["governor"]
    case.complete("accept_message", "exec_orb_housing", RETURN)
    case.complete("reroute_message", "curator", {**ROUTE, "importance": "normal"})
    assert [n[0] for n in case.notifications()] == ["governor"]


def approval_in_the_executors_lane(root: Any) -> None:
    """п. 10's approval drawn in the executor's lane, as a deployable diagram draws it: the agency's task."""
    from engine.bpmn.namespaces import NS, camunda

    task = next(e for e in root.iter() if e.get("id") == "approve_answer")
    task.set(camunda("candidateGroups"), "executor")
    properties = task.find(".//camunda:properties", NS)
    properties.append(properties.makeelement(camunda("property"), {"name": "organisation", "value": "agency"}))
    for ref in root.iterfind(".//bpmn:flowNodeRef", NS):
        if ref.text == "approve_answer":
            ref.getparent().remove(ref)
    lane = next(e for e in root.iter() if e.get("id") == "lane_executor")
    lane.append(lane.makeelement(ref.tag, {}))
    lane[-1].text = "approve_answer"


JOINT = "working_hours(draft_hours, since=detected_at)"
MUTANTS: list[tuple[Callable[[Any], None], str, list[Edit]]] = [
    (scenario_clause_6_counts_from_detection, "6-routing-since-dropped", [timer("routing_deadline", "working_minutes(30)")]),
    (scenario_clause_6_working_time_over_the_evening, "6-routing-calendar", [timer("routing_deadline", "PT30M")]),
    (scenario_clause_6_rerouting_deadline, "6-rerouting-calendar", [timer("rerouting_deadline", "PT30M")]),
    (scenario_clause_6_rerouting_deadline, "6-rerouting-label", [prop("record_rerouting_violation", "clause", "7")]),
    (scenario_clause_7_return_across_lunch, "7-return-calendar", [timer("return_deadline", "PT30M")]),
    (scenario_clause_7_return_across_lunch, "7-every-return-late", [condition("returned_late", "True")]),
    (scenario_clause_7_late_return, "7-late-return-calendar", [timer("late_return", "PT30M")]),
    (scenario_clause_7_late_return, "7-label", [prop("record_return_violation", "clause", "6")]),
    (scenario_clause_9_joint_draft, "9-joint-amount+1", [timer("joint_draft_deadline", JOINT.replace("draft_hours", "draft_hours + 1"))]),
    (scenario_clause_9_joint_draft, "9-joint-from-posting", [timer("joint_draft_deadline", JOINT.replace("detected_at", "posted_at"))]),
    (scenario_clause_9_joint_draft, "9-joint-since-dropped", [timer("joint_draft_deadline", "working_hours(draft_hours)")]),
    (scenario_clause_9_joint_draft, "9-joint-calendar", [timer("joint_draft_deadline", "PT5H")]),
    (scenario_clause_9_joint_draft, "9-joint-label", [prop("record_joint_draft_violation", "clause", "14")]),
    (scenario_clause_10_the_curator_approves, "10-approval-in-the-executors-lane", [approval_in_the_executors_lane]),
    (scenario_clause_12_publication_across_lunch, "12-publication-calendar", [timer("publication_deadline", "PT30M")]),
    (scenario_clause_14_part_across_lunch, "14-part-calendar", [timer("part_deadline", "PT2H")]),
    (scenario_clause_13_counts_from_the_day_of_posting, "13-from-detection",
     [timer("final_deadline", "working_days(7, since=detected_at)")]),
    (scenario_clause_13_counts_from_the_day_of_posting, "13-no-start", [timer("final_deadline", "working_days(7)")]),
    (scenario_reroute_marked_as_threat, "6-reroute-skips-re-marking", [retarget("rerouted", "routing_merge")]),
    (scenario_clause_21_told_once_per_marking, "21-told-at-every-routing",
     [condition("socially_significant", "importance == 'socially_significant'")]),
]
SCENARIOS = sorted({scenario for scenario, _, _ in MUTANTS}, key=lambda s: s.__name__)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_scenario_holds_on_the_shipped_diagram(orenburg: Any, scenario: Callable[[Any], None]) -> None:
    scenario(orenburg)


@pytest.mark.parametrize("scenario, edits", [(s, e) for s, _, e in MUTANTS], ids=[name for _, name, _ in MUTANTS])
def test_the_scenario_fails_when_its_rule_is_broken(orenburg: Any, scenario: Callable[[Any], None], edits: list[Edit]) -> None:
    deploy_mutant(orenburg.db, PATH, *edits)
    with pytest.raises(AssertionError):
        scenario(orenburg)
