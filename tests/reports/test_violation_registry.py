"""The violation registry (issue 15): every case that broke a clause in a period, with the
organisation responsible (its name), the due time and the delay, working or calendar time.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine.errors import InvalidSubmission
from engine.reports.summary import build_summary
from engine.reports.violations import ViolationFilter, parse_filter, violations_page
from engine.texts import render
from tests.reports.support import ROADS_NAME, basis_of_clause, late_draft, left_open, name_the_roads_agency
from tests.scenario.mutants import deploy_mutant


def test_clause_9_in_november_lists_the_late_draft_with_agency_name_due_time_and_working_delay(orenburg) -> None:  # type: ignore[no-untyped-def]
    name_the_roads_agency(orenburg)
    late_draft(orenburg, 12, draft_at="16:10")
    with orenburg.db.session() as session:
        page = violations_page(session, "supervisor", ViolationFilter(region="orenburg", clause="9", period="2025-11"))
        october = violations_page(session, "supervisor", ViolationFilter(region="orenburg", clause="9", period="2025-10"))
        other = violations_page(session, "supervisor", ViolationFilter(region="orenburg", clause="8", period="2025-11"))
    [row] = page.rows
    assert (page.total, october.total, other.total) == (1, 0, 0)
    assert row.organisation_name == ROADS_NAME and not row.is_parameter
    assert row.due_at is not None and row.due_at.astimezone(orenburg.tz) == orenburg.local("2025-11-12T16:00")
    # The draft came at 16:10: ten minutes late, counted in working time (the timer is working_hours).
    assert row.done_at is not None and row.working_time and row.delay == timedelta(minutes=10)


def test_a_deadline_still_not_met_is_late_until_now_in_working_time(orenburg) -> None:  # type: ignore[no-untyped-def]
    left_open(orenburg, "2025-11-14T10:00")
    orenburg.at("2025-11-17T12:00")  # Monday; the 9-hour answer deadline (п. 8) passed on Monday at 11:00
    with orenburg.db.session() as session:
        page = violations_page(session, "supervisor", ViolationFilter(clause="8", period="2025-11"))
    [row] = page.rows
    assert row.done_at is None and row.working_time
    assert row.due_at is not None and row.delay == orenburg.local("2025-11-17T12:00") - row.due_at.astimezone(orenburg.tz)


def test_a_parameter_breach_is_never_listed_or_counted_under_the_acts_clause(orenburg) -> None:  # type: ignore[no-untyped-def]
    """The same late draft, with the diagram declaring its deadline a procedure parameter."""
    deploy_mutant(orenburg.db, "bpmn/orenburg.bpmn", basis_of_clause("9", "parameter"))
    late_draft(orenburg, 12)
    with orenburg.db.session() as session:
        as_clause = violations_page(session, "supervisor", ViolationFilter(clause="9", period="2025-11"))
        as_parameter = violations_page(session, "supervisor", ViolationFilter(basis="parameter", period="2025-11"))
        summary = build_summary(session, "orenburg", "2025-11")
    assert as_clause.total == 0
    [row] = as_parameter.rows
    assert row.is_parameter and row.deadline == "draft"
    assert "9" not in summary.by_clause and summary.violations == 0
    assert summary.parameter_violations == 1 and summary.by_parameter == {"draft": 1}
    assert summary.answered_in_time == 1  # the act was kept: its deadlines were met


def test_the_act_basis_counts_the_same_breach_under_clause_9(orenburg) -> None:  # type: ignore[no-untyped-def]
    """The mutant above must matter: without it the breach is the act's п. 9."""
    late_draft(orenburg, 12)
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11")
    assert summary.by_clause["9"] == 1 and summary.parameter_violations == 0 and summary.answered_in_time == 0


def test_an_executor_sees_only_the_breaches_of_cases_his_agency_worked_on(orenburg) -> None:  # type: ignore[no-untyped-def]
    late_draft(orenburg, 12)
    with orenburg.db.session() as session:
        assert violations_page(session, "exec_orb_roads", ViolationFilter(clause="9")).total == 1
        assert violations_page(session, "exec_orb_health", ViolationFilter(clause="9")).total == 0


@pytest.mark.parametrize(("args", "field"), [
    ({"clause": "8; DROP TABLE"}, "clause"), ({"clause": "1" * 40}, "clause"), ({"period": "ноябрь"}, "period"),
    ({"period": "1999-11"}, "period"), ({"basis": "law"}, "basis"), ({"region": "mars"}, "region"),
    ({"page": "0"}, "page"), ({"page": "9" * 9}, "page"), ({"deadline": "Approval!"}, "deadline"),
])
def test_bad_input_is_refused_naming_the_field(args: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidSubmission) as refused:
        parse_filter({"clause": "8", **args})
    assert list(refused.value.errors) == [field]
    problem = refused.value.errors[field]
    assert any("а" <= ch <= "я" for ch in render(problem, "ru")) and render(problem, "en").isascii()


def test_good_input_is_read() -> None:
    chosen = parse_filter({"region": "orenburg", "clause": "п. 2.4", "basis": "act", "period": "2025-Q4", "page": "2"})
    assert chosen == ViolationFilter("orenburg", "2.4", "act", "", "2025-Q4", 2) and chosen.active
    assert not parse_filter({"region": "orenburg"}).active
