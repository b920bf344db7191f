"""Orenburg п. 13: «в случае если дается промежуточный ответ …, срок, необходимый для подготовки
окончательного ответа, должен составлять не более 7 рабочих дней со дня размещения сообщения».

Read as: the executor prepares the final answer (its draft reaches the curator) within 7 working days
counted from the day the message was posted; approval (п. 10) and publication (п. 12) keep their own
deadlines; a clarification request is no interim answer and arms nothing. Each scenario is a function
of the driver so that test_orenburg_mutants.py can run it on a diagram with the rule broken.
"""
from __future__ import annotations

from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE, draft_approve_publish
from tests.scenario.test_orenburg_reroute import charged

FINAL = {**DRAFT, "answer_kind": "answer", "answer_text": "Яму заделали 14 ноября."}


def interim_on_monday(case, posted: str = "2025-11-10T09:40", kind: str = "interim") -> None:  # type: ignore[no-untyped-def]
    case.start(posted=posted, detected="2025-11-10T10:00")
    case.at("2025-11-10T10:10")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    draft_approve_publish(case, kind=kind)


def scenario_clause_13_counts_from_the_day_of_posting(case) -> None:  # type: ignore[no-untyped-def]
    # Posted on Friday 7.11, detected on Monday 10.11: 7 working days after the day of posting are
    # 10, 11, 12, 13, 14, 17 and 18.11 (from detection, or from the interim answer, it would be 19.11).
    interim_on_monday(case, posted="2025-11-07T09:40")
    assert case.open_elements() == ["draft_final_answer"]
    assert case.due("draft_final_answer") == case.local("2025-11-18T18:00")
    case.at("2025-11-18T17:59")
    assert case.violations() == []
    case.at("2025-11-18T18:01")
    assert case.violations() == [("13", "final", case.local("2025-11-18T18:00"))]
    assert charged(case) == [("13", "orb_roads")]


def test_clause_13_final_answer_within_7_working_days_of_the_day_of_posting(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Posting and detection on different days. Fails on b47610d: the final draft had no deadline of its
    own (the timer waited on a parallel branch); test_orenburg_mutants.py breaks the start point."""
    scenario_clause_13_counts_from_the_day_of_posting(orenburg)


def scenario_clause_13_curator_approving_late(case) -> None:  # type: ignore[no-untyped-def]
    interim_on_monday(case)
    case.at("2025-11-19T17:00")  # the executor sends the final draft an hour before 19.11 18:00
    case.complete("draft_final_answer", EXEC, FINAL)
    case.at("2025-11-20T10:00")  # the curator approves the next morning: late under п. 10, not п. 13
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    assert case.instance().status == "completed"
    assert [v[:2] for v in case.violations()] == [("10", "approval")]


def test_finding_6_clause_13_measures_the_executors_preparation_not_the_curators_approval(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d: the п. 13 timer waited for publication and charged the agency at 19.11 18:00."""
    scenario_clause_13_curator_approving_late(orenburg)


def scenario_clause_13_not_after_a_clarification_request(case) -> None:  # type: ignore[no-untyped-def]
    interim_on_monday(case, kind="clarification")
    assert case.open_elements() == ["answer_after_clarification"]
    assert case.task("answer_after_clarification").due_at is None
    case.at("2025-12-01T10:00")  # long after 7 working days
    assert case.violations() == []
    case.complete("answer_after_clarification", EXEC, FINAL)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    assert case.instance().status == "completed"


def test_finding_6_clause_13_is_not_armed_after_a_clarification_request(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d: a clarification request armed the 7-day timer like an interim answer."""
    scenario_clause_13_not_after_a_clarification_request(orenburg)
