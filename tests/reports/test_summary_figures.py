"""The summary's figures (issue 15): no-answer cases apart, breaches counted by due time, quality
where the acts ask for it, monthly dynamics in the page's data and in the XLSX with a chart."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from engine.reports.dynamics import MAX_MONTHS, parse_months
from engine.reports.summary import build_summary
from engine.reports.summary_xlsx import write_xlsx
from tests.reports.support import answered_in_time, late_draft, left_open, threat, without_no_answer_outcome
from tests.scenario.mutants import deploy_mutant
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE


def test_threats_are_not_answered_on_time_but_their_own_line(orenburg) -> None:  # type: ignore[no-untyped-def]
    answered_in_time(orenburg, 10)
    threat(orenburg, 11)
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11")
    assert (summary.messages, summary.answered, summary.answered_in_time, summary.no_answer) == (2, 1, 1, 1)
    assert summary.timeliness == 1.0 and summary.open_cases == 0


def test_the_no_answer_line_follows_the_diagrams_declaration(orenburg) -> None:  # type: ignore[no-untyped-def]
    """The mutant: the same threat, its end no longer declared no_answer, would count as answered."""
    deploy_mutant(orenburg.db, "bpmn/orenburg.bpmn", without_no_answer_outcome)
    threat(orenburg, 11)
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11")
    assert (summary.answered, summary.no_answer) == (1, 0)


def test_a_breach_counts_in_the_month_it_fell_due_not_when_it_was_recorded(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Detected Friday 28 November; the 9-hour answer deadline (п. 8) falls due Monday 1 December."""
    left_open(orenburg, "2025-11-28T10:00")
    orenburg.at("2025-12-01T12:00")
    [(clause, _deadline, due)] = [v for v in orenburg.violations() if v[0] == "8"]
    assert due is not None and due.month == 12
    with orenburg.db.session() as session:
        november = build_summary(session, "orenburg", "2025-11")
        december = build_summary(session, "orenburg", "2025-12")
    assert november.messages == 1 and november.by_clause["8"] == 0
    assert december.messages == 0 and december.by_clause["8"] == 1


def test_quality_measures_rework_and_median_working_time_to_answer(orenburg) -> None:  # type: ignore[no-untyped-def]
    answered_in_time(orenburg, 10)  # detected 10:00, published 11:00: one working hour
    orenburg.start(posted="2025-11-12T09:40", detected="2025-11-12T10:00")
    orenburg.complete("route_message", "curator", ROUTE)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.at("2025-11-12T11:00")
    orenburg.complete("draft_answer", EXEC, DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "rework", "comment": "Уточнить сроки"})
    orenburg.at("2025-11-12T12:00")
    orenburg.complete("rework_answer", EXEC, DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", EXEC, PUBLISH)  # two working hours after detection
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11")
    assert summary.answered == 2 and summary.quality.sent_back == 1 and summary.quality.measured == 2
    assert summary.quality.median_answer_minutes == 90  # the median of 60 and 120 working minutes
    assert summary.quality.with_media == 0  # no photo attached: see tests/reports/test_reports_web.py


def test_dynamics_per_month_and_the_xlsx_chart(orenburg, tmp_path) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-10-20T09:00", detected="2025-10-20T09:30")  # October: routing missed (п. 6)
    late_draft(orenburg, 12)
    answered_in_time(orenburg, 13)
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11", months=3)
    assert [(m.label, m.messages, m.violations) for m in summary.months] == [
        ("2025-09", 0, 0), ("2025-10", 1, 1), ("2025-11", 2, 1)]
    path = tmp_path / "report.xlsx"
    write_xlsx(summary, str(path))
    book = load_workbook(path)
    sheet = book["Динамика"]
    assert [row for row in sheet.iter_rows(values_only=True)][1:] == [
        ("2025-09", 0, 0, 0), ("2025-10", 1, 1, 0), ("2025-11", 2, 1, 0)]
    assert len(sheet._charts) == 1  # openpyxl reads the chart back from the file


@pytest.mark.parametrize("text", ["0", "25", "-1", "abc", "9" * 30])
def test_dynamics_are_bounded(text: str) -> None:
    with pytest.raises(ValueError):
        parse_months(text)
    assert parse_months("") == 6 and parse_months(str(MAX_MONTHS)) == MAX_MONTHS
