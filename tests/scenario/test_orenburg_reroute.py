"""Orenburg, decree 156-ук: a message returned (п. 7) and routed again (п. 6), and who is charged.

Same calendar as test_orenburg.py: Monday 2025-11-10, posted 09:40, detected 10:00, routed 10:10;
working day 09:00–18:00 with lunch 13:00–14:00 (Asia/Yekaterinburg). Each scenario is a function of
the driver so that test_orenburg_mutants.py can run it on a diagram with its rule broken.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import InvalidSubmission
from engine.models import Violation
from tests.scenario.test_orenburg import EXEC, ROUTE, begin

RETURN = {"competent": False, "return_reason": "Дорога муниципальная", "suggested_agency": "orb_housing"}


def charged(case) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    """(clause, organisation) of each violation of the case, in the order recorded."""
    with case.db.session() as session:
        rows = session.scalars(select(Violation).where(Violation.instance_id == case.instance_id).order_by(Violation.id))
        return [(v.clause, v.organisation_key) for v in rows]


def return_and_reroute(case, at: str = "10:20", **route) -> None:  # type: ignore[no-untyped-def]
    """orb_roads returns the message at ``at``; the curator routes it to orb_housing 10 minutes later."""
    case.at(f"2025-11-10T{at}")
    case.complete("accept_message", EXEC, RETURN)
    hour, minute = map(int, at.split(":"))
    case.at(f"2025-11-10T{hour:02d}:{minute + 10:02d}")
    case.complete("reroute_message", "curator", {**ROUTE, "agency": "orb_housing", **route})


def scenario_clause_8_charged_to_the_agency_holding_the_case(case) -> None:  # type: ignore[no-untyped-def]
    begin(case)
    return_and_reroute(case)
    case.complete("accept_message", "exec_orb_housing", {"competent": True})
    case.at("2025-11-11T11:01")  # 9 working hours from detection: 11.11 11:00
    assert ("8", "answer", case.local("2025-11-11T11:00")) in case.violations()
    assert ("8", "orb_housing") in charged(case)
    assert ("8", "orb_roads") not in charged(case)


def test_finding_1_clause_8_breach_after_a_reroute_is_charged_to_the_new_agency(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d: the case-wide п. 8 branch kept its copy of agency from the first routing."""
    scenario_clause_8_charged_to_the_agency_holding_the_case(orenburg)


def test_finding_1_a_deadline_passing_while_the_curator_reroutes_is_not_charged_to_the_returning_agency(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d: the returning agency stayed the case's agency until the curator rerouted."""
    begin(orenburg)
    orenburg.at("2025-11-10T10:20")
    orenburg.complete("accept_message", EXEC, RETURN)  # returned in time: the question is not the agency's
    orenburg.at("2025-11-11T11:01")  # the curator has not rerouted it; п. 8 passed at 11.11 11:00
    assert [v[:2] for v in orenburg.violations()] == [("6", "rerouting"), ("8", "answer")]
    assert ("8", "orb_roads") not in charged(orenburg)
    orenburg.complete("reroute_message", "curator", {**ROUTE, "agency": "orb_housing"})
    assert orenburg.task("accept_message").organisation_key == "orb_housing"


def scenario_reroute_marked_as_threat(case) -> None:  # type: ignore[no-untyped-def]
    begin(case)
    case.at("2025-11-10T10:20")
    case.complete("accept_message", EXEC, RETURN)
    case.complete("reroute_message", "curator", {**ROUTE, "category": "threat"})
    assert [n[0] for n in case.notifications()] == ["authorities"]
    assert case.instance().status == "completed"
    case.at("2025-11-12T10:00")
    assert case.violations() == []  # no answer is given (п. 17): no п. 8


def test_finding_2_a_reroute_re_marked_as_a_threat_is_forwarded_and_not_answered(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d: reroute_message went straight to routing_merge, past category_gateway."""
    scenario_reroute_marked_as_threat(orenburg)


@pytest.mark.parametrize("first, again, told", [
    ("normal", "socially_significant", ["governor"]),
    ("socially_significant", "socially_significant", ["governor"]),  # told once, at the first marking
    ("normal", "high", []),
])
def test_finding_2_a_reroute_re_marked_socially_significant_tells_the_governor(orenburg, first, again, told) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d for normal → socially significant: the reroute skipped significance_gateway."""
    begin(orenburg, importance=first)
    return_and_reroute(orenburg, importance=again)
    assert [n[0] for n in orenburg.notifications()] == told
    assert orenburg.task("accept_message").organisation_key == "orb_housing"
    assert orenburg.message().importance == again


def scenario_term_shortened_at_reroute(case) -> None:  # type: ignore[no-untyped-def]
    begin(case)
    return_and_reroute(case, answer_hours=5)
    case.complete("accept_message", "exec_orb_housing", {"competent": True})
    # п. 9: 5 − 4 = 1 working hour from detection, 11:00 (already passed: fires at once).
    assert case.due("draft_answer") == case.local("2025-11-10T11:00")
    case.at("2025-11-10T15:59")
    assert ("8", "answer") not in [v[:2] for v in case.violations()]
    case.at("2025-11-10T16:01")  # 5 working hours from 10:00: 10–13, 14–16
    assert ("8", "answer", case.local("2025-11-10T16:00")) in case.violations()
    case.at("2025-11-11T12:00")  # the 9-hour deadline of the first routing is not armed beside it
    assert [v[:2] for v in case.violations()].count(("8", "answer")) == 1
    assert charged(case).count(("8", "orb_housing")) == 1


def test_finding_2_a_term_shortened_at_reroute_moves_clause_8_and_9(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d: answer_deadline was armed once, at the first routing, for 9 hours."""
    scenario_term_shortened_at_reroute(orenburg)


def test_clause_6_the_curator_may_shorten_below_5_hours(orenburg) -> None:  # type: ignore[no-untyped-def]
    """п. 6 «в сокращенный срок» has no lower limit (fails on b47610d: the form refused < 5)."""
    begin(orenburg, answer_hours=2.5)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    # Less than the 4-hour reserve of п. 9: the draft is due by the term itself, 12:30.
    assert orenburg.due("draft_answer") == orenburg.local("2025-11-10T12:30")
    orenburg.at("2025-11-10T12:31")
    assert [v[:2] for v in orenburg.violations()] == [("9", "draft"), ("8", "answer")]
    assert orenburg.violations()[1][2] == orenburg.local("2025-11-10T12:30")


@pytest.mark.parametrize("hours", [0, 9.5])
def test_clause_6_a_term_of_nothing_or_longer_than_clause_8_is_refused(orenburg, hours) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with pytest.raises(InvalidSubmission) as error:
        orenburg.complete("route_message", "curator", {**ROUTE, "answer_hours": hours})
    assert "answer_hours" in error.value.errors
    assert orenburg.open_elements() == ["route_message"]


def scenario_clause_7_competent_agency_accepting_late(case) -> None:  # type: ignore[no-untyped-def]
    begin(case)
    assert case.due("accept_message") == case.local("2025-11-10T10:40")
    case.at("2025-11-10T10:45")  # minute 35 after routing: the return deadline has passed
    assert case.violations() == []
    case.complete("accept_message", EXEC, {"competent": True})
    assert case.open_elements() == ["draft_answer"]
    assert case.violations() == []


def test_finding_3_clause_7_a_competent_agency_accepting_at_minute_35_is_no_violation(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Fails on b47610d: the 30-minute timer recorded п. 7 whether or not the agency then returned."""
    scenario_clause_7_competent_agency_accepting_late(orenburg)


def scenario_clause_7_late_return(case) -> None:  # type: ignore[no-untyped-def]
    begin(case)
    case.at("2025-11-10T10:39")
    assert case.violations() == []
    case.at("2025-11-10T10:45")
    case.complete("accept_message", EXEC, RETURN)
    assert case.violations() == [("7", "return", case.local("2025-11-10T10:40"))]
    assert charged(case) == [("7", "orb_roads")]
    assert case.open_elements() == ["reroute_message"]


def test_clause_7_a_return_after_30_working_minutes_is_charged_to_the_returning_agency(orenburg) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_7_late_return(orenburg)


def scenario_clause_7_return_across_lunch(case) -> None:  # type: ignore[no-untyped-def]
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T12:30")
    case.at("2025-11-10T12:50")
    case.complete("route_message", "curator", ROUTE)
    # 30 working minutes from the routing at 12:50: 10 before lunch, 20 after → 14:20.
    assert case.due("accept_message") == case.local("2025-11-10T14:20")
    case.at("2025-11-10T14:15")
    case.complete("accept_message", EXEC, RETURN)
    case.at("2025-11-10T14:30")  # past the return deadline: the return came in time, nothing is due
    assert case.violations() == []


def test_clause_7_return_deadline_is_working_time_across_lunch(orenburg) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_7_return_across_lunch(orenburg)


def scenario_clause_6_rerouting_deadline(case) -> None:  # type: ignore[no-untyped-def]
    begin(case)
    case.at("2025-11-10T12:50")
    case.complete("accept_message", EXEC, RETURN)
    # 30 working minutes from the return at 12:50 → 14:20 (lunch skipped).
    assert case.due("reroute_message") == case.local("2025-11-10T14:20")
    case.at("2025-11-10T14:19")
    assert ("6", "rerouting") not in [v[:2] for v in case.violations()]
    case.at("2025-11-10T14:21")
    assert ("6", "rerouting", case.local("2025-11-10T14:20")) in case.violations()


def test_clause_6_rerouting_within_30_working_minutes_of_the_return(orenburg) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_6_rerouting_deadline(orenburg)
