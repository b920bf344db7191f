"""The process properties ``report.*`` (engine.deployment.report_rules): each act's schedule and
addressees declared in its diagram, and a wrong declaration refused at deployment naming the property."""
from __future__ import annotations

from datetime import datetime

import pytest

from engine.bpmn.reader import read_diagram
from engine.calendar.periods import parse_period
from engine.deployment.deployer import Source, library_forms, plan
from engine.deployment.report_rules import ReportSchedule, report_schedule
from engine.errors import DeploymentError, Problem
from engine.reports.schedule import due_moment, last_closed
from engine.texts import language
from tests.factories import ROOT

ORENBURG = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")


def _declared(name: str) -> str:
    [line] = [line for line in ORENBURG.splitlines() if f'name="{name}"' in line]
    return line


def _problems(source: str) -> list[Problem]:
    with pytest.raises(DeploymentError) as refused:
        plan([Source("orenburg.bpmn", source.encode("utf-8"))], library_forms())
    return refused.value.problems


@pytest.mark.parametrize("path, expected", [
    # п. 20: «ежемесячно … представляет информацию заместителю министра»
    ("bpmn/orenburg.bpmn", ReportSchedule("month", ("deputy_minister",), 1, "working_days", "20")),
    # п. 14: «ежемесячно … докладывает … заместителю Губернатора …, курирующему вопросы информационной политики»
    ("bpmn/smolensk.bpmn", ReportSchedule("month", ("deputy_governor",), 1, "working_days", "14")),
    # п. 25: «ежемесячно … докладывает информацию Губернатору»; «ежемесячно информирует заместителя Губернатора»
    ("bpmn/kuzbass.bpmn", ReportSchedule("month", ("governor", "deputy_governor"), 1, "working_days", "25")),
    # п. 1.1: «не реже одного раза в квартал … представление Губернатору»
    ("bpmn/kaluga.bpmn", ReportSchedule("quarter", ("governor",), 1, "working_days", "1.1")),
    # the municipal review: the month's summary to the official who oversees the deadlines
    ("bpmn/templates/municipal.bpmn", ReportSchedule("month", ("supervisor",), 1, "working_days", "")),
])
def test_each_act_s_schedule_and_addressees_are_declared(path: str, expected: ReportSchedule) -> None:
    assert report_schedule(read_diagram((ROOT / path).read_bytes()).properties) == expected


def test_kalmanka_declares_none_because_its_act_orders_no_report() -> None:
    assert report_schedule(read_diagram((ROOT / "bpmn/kalmanka.bpmn").read_bytes()).properties) is None


@pytest.mark.parametrize("name, value, words", [
    ("report.period", "week", ["'report.period'", "'week'", "month, quarter"]),
    ("report.recipient", "authorities", ["'report.recipient'", "'authorities'", "deputy_minister"]),
    ("report.recipient", "minister", ["'report.recipient'", "'minister'"]),
    ("report.due", "5 hours", ["'report.due'", "'5 hours'", "working_days, days"]),
    ("report.due", "0 working_days", ["'report.due'", "from 1 to 20"]),
    ("report.due", "32 days", ["'report.due'", "from 0 to 31"]),
    ("report.due", "five days", ["'report.due'"]),
    ("report.clause", "1" * 40, ["'report.clause'", "32"]),
])
def test_a_wrong_value_is_refused_naming_the_property(name: str, value: str, words: list[str]) -> None:
    line = _declared(name)
    [problem] = _problems(ORENBURG.replace(line, line.replace(line.split('value="')[1].split('"')[0], value)))
    assert problem.element == "orenburg"
    assert all(word in problem.text for word in words), problem.text


def test_a_missing_property_is_refused_in_russian_too() -> None:
    [problem] = _problems(ORENBURG.replace(_declared("report.due"), ""))
    assert problem.element == "orenburg" and "'report.due'" in problem.text
    with language("ru"):
        assert "свойство report.due" in problem.text and "«report.due»" in problem.text


def test_the_due_moment_is_read_in_the_territory_s_zone_and_calendar() -> None:
    monthly = ReportSchedule("month", ("deputy_minister",), 1, "working_days")
    november = parse_period("2025-11", "Asia/Yekaterinburg")
    # Monday 1 December, 09:00 in Orenburg (UTC+5)
    assert due_moment("orenburg", monthly, november).isoformat() == "2025-12-01T09:00:00+05:00"
    # «до 5 числа»: 4 calendar days after the month, at local midnight
    assert due_moment("orenburg", ReportSchedule("month", (), 4, "days"), november).isoformat() \
        == "2025-12-05T00:00:00+05:00"
    # 1 December 00:30 in Orenburg is still 30 November in UTC: the last closed month is November
    from zoneinfo import ZoneInfo
    at = datetime(2025, 12, 1, 0, 30, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    assert last_closed("orenburg", monthly, at).label == "2025-11"
    assert last_closed("kaluga", ReportSchedule("quarter", (), 1, "working_days"), at).label == "2025-Q3"
