"""Summary reports (Orenburg п. 20, Smolensk п. 14, Kuzbass п. 25 monthly; Kaluga п. 1.1 quarterly).

Built from what the engine recorded: messages, cases, violations per clause and agency.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from engine.calendar.periods import parse_period
from engine.cli.main import main
from engine.models import Message
from engine.reports.summary import build_summary
from engine.reports.summary_xlsx import write_xlsx
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE


def _run_cases(case) -> Counter[str]:  # type: ignore[no-untyped-def]
    """October: one case. November: in time; late draft + one rework; one left open."""
    seen: Counter[str] = Counter()
    case.start(posted="2025-10-20T09:00", detected="2025-10-20T09:30")
    # A: answered in time.
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-10T11:00")
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    # B: the draft is late (п. 9), sent back once, then published.
    case.start(posted="2025-11-12T09:40", detected="2025-11-12T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-12T16:10")
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "rework", "comment": "Уточнить сроки"})
    case.complete("rework_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    seen.update(v[0] for v in case.violations())
    # C: routed, then left open past its deadlines.
    case.start(posted="2025-11-14T09:40", detected="2025-11-14T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.at("2025-11-20T10:00")
    seen.update(v[0] for v in case.violations())
    return seen


def test_clause_20_orenburg_monthly_summary_of_timeliness_quality_and_dynamics(orenburg, tmp_path) -> None:  # type: ignore[no-untyped-def]
    by_clause = _run_cases(orenburg)
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11")
    assert (summary.messages, summary.previous_messages) == (3, 1)
    assert (summary.answered, summary.answered_in_time, summary.open_cases) == (2, 1, 1)
    assert summary.timeliness == 0.5
    assert summary.by_clause == by_clause and by_clause["9"] == 1 and summary.violations == sum(by_clause.values())
    [roads] = summary.agencies
    assert (roads.organisation_key, roads.cases, roads.reworks) == ("orb_roads", 3, 1)
    assert roads.violations == sum(by_clause.values())  # the case-wide п. 8 deadline names the agency too
    assert summary.by_network == Counter({"vk": 3})

    path = tmp_path / "orenburg-2025-11.xlsx"
    write_xlsx(summary, str(path))
    book = load_workbook(path)
    totals = {row[0]: row[1] for row in book["Итоги"].iter_rows(values_only=True)}
    assert totals["Сообщений выявлено"] == 3 and totals["в предыдущем периоде"] == 1
    assert totals["Доля своевременных ответов"] == 0.5 and totals["нарушений п. 9"] == 1
    agencies = list(book["Органы"].iter_rows(values_only=True))
    assert agencies[1][:4] == ("orb_roads", 3, roads.violations, 1)


# Smolensk п. 14 and Kuzbass п. 25 (structure and dynamics by topic) are driven through the real process, the
# curator recording the topic when routing: tests/scenario/test_smolensk_acts.py, test_kuzbass_acts.py.


def test_clause_1_1_kaluga_quarterly_summary_covers_three_local_months(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    zone = ZoneInfo("Europe/Moscow")
    quarter = parse_period("2025-Q4", "Europe/Moscow")
    assert (quarter.start, quarter.end) == (datetime(2025, 10, 1, tzinfo=zone), datetime(2026, 1, 1, tzinfo=zone))
    assert quarter.previous("Europe/Moscow").label == "2025-Q3"
    assert parse_period("2026-01", "Europe/Moscow").previous("Europe/Moscow").label == "2025-12"
    edges = [datetime(2025, 9, 30, 23, 59, tzinfo=zone), datetime(2025, 10, 1, 0, 0, tzinfo=zone),
             datetime(2025, 12, 31, 23, 59, tzinfo=zone), datetime(2026, 1, 1, 0, 0, tzinfo=zone)]
    with db.session() as session:
        session.add_all([Message(region="kaluga", network="vk", url="https://vk.com/x", author="А", text="т",
                                 posted_at=at, detected_at=at, registered_by="curator", registered_at=at) for at in edges])
    with db.session() as session:
        summary = build_summary(session, "kaluga", "2025-Q4")
    assert (summary.messages, summary.previous_messages) == (2, 1)


@pytest.mark.parametrize("period", ["2025-13", "2025-Q5", "ноябрь", "2025/11"])
def test_report_refuses_a_bad_period_with_what_to_type(period: str, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_DATABASE_URL", f"sqlite:///{tmp_path / 'r.sqlite'}")
    result = CliRunner().invoke(main, ["report", "--region", "kaluga", "--period", period])
    assert result.exit_code == 2 and "YYYY-MM" in result.output


def test_report_cli_writes_the_workbook(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_DATABASE_URL", f"sqlite:///{tmp_path / 'r.sqlite'}")
    target = tmp_path / "kuzbass.xlsx"
    result = CliRunner().invoke(main, ["report", "--region", "kuzbass", "--period", "2025-11", "--xlsx", str(target)])
    assert result.exit_code == 0, result.output
    assert "0 messages" in result.output and load_workbook(target)["Итоги"]["B1"].value == "Кемеровская область — Кузбасс"
