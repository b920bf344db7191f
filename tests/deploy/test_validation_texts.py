"""Deployment problems (engine/deployment/validation.py) are texts by code: Russian by default —
on the deploy page and in the console — and English on request (OTKLIK_LANG=en, the page's
English locale), the English being the sentences analysts and the suite knew before."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import texts
from engine.cli.main import main
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_text(encoding="utf-8")


def refused(text: str) -> DeploymentError:
    with pytest.raises(DeploymentError) as error:
        plan([Source("broken.bpmn", text.encode("utf-8"))], library_forms())
    return error.value


def replace(old: str, new: str) -> str:
    assert old in ORENBURG, old
    return ORENBURG.replace(old, new, 1)


CASES = [
    # (the diagram, the problem's line in Russian, the same line in English)
    (replace('camunda:topic="notify"', 'camunda:topic="send_sms"'),
     "broken.bpmn: forward_threat: неизвестный topic 'send_sms'; зарегистрированные topic:",
     "broken.bpmn: forward_threat: unknown topic 'send_sms'; registered topics:"),
    (replace('<camunda:property name="region" value="orenburg" />', '<camunda:property name="region" value="mars" />'),
     "broken.bpmn: orenburg: неизвестный регион: задайте свойству процесса 'region' одно из значений:",
     "broken.bpmn: orenburg: unknown region: set the process property 'region' to one of"),
    (replace('modeler:executionPlatform="Camunda Platform"', 'modeler:executionPlatform="Camunda Cloud"')
     .replace("<bpmn:definitions ", '<bpmn:definitions xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ', 1),
     "broken.bpmn: это диаграмма Camunda 8 (Zeebe)",
     "broken.bpmn: this is a Camunda 8 (Zeebe) diagram"),
    (replace("working_minutes(30, since=detected_at)", "working_minutes(30, since=detected_at"),
     "таймер содержит ошибку:",
     "timer: "),
]


@pytest.mark.parametrize(("diagram", "russian", "english"), CASES, ids=["topic", "region", "zeebe", "timer"])
def test_a_problem_is_russian_by_default_and_english_on_request(diagram: str, russian: str, english: str) -> None:
    error = refused(diagram)
    with texts.language("ru"):
        shown_ru = [str(p) for p in error.problems]
        assert any(russian in line for line in shown_ru), shown_ru
        assert russian in str(error)  # rendered when shown, not when raised
    with texts.language("en"):
        shown_en = [str(p) for p in error.problems]
        assert any(english in line for line in shown_en), shown_en
    assert len(shown_ru) == len(shown_en)  # the same problems, in the same order


def test_a_nested_what_and_error_render_in_the_same_language() -> None:
    # "what: error" keeps both parts as texts: the element's "what" and the expression's own error.
    error = refused(replace("working_minutes(30, since=detected_at)", "working_minutes(30, since=detected_at"))
    [problem] = [p for p in error.problems if isinstance(p.message, texts.Text)
                 and p.message.code == "validation.expression_problem"]
    assert texts.render(problem.message, "ru").startswith("таймер содержит ошибку: ")
    assert texts.render(problem.message, "en").startswith("timer: ")
    default = refused(replace('<camunda:property name="region" value="orenburg" />',
                              '<camunda:property name="region" value="orenburg" />'
                              '<camunda:property name="var.hours" value="" />'))
    lines = {texts.render(p.message, "ru") for p in default.problems} | {texts.render(p.message, "en") for p in default.problems}
    assert "значение по умолчанию переменной 'hours': пусто; напишите выражение" in lines
    assert "default of variable 'hours' is empty; write an expression" in lines


def test_the_cli_shows_a_deploy_problem_in_russian_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTKLIK_LANG", raising=False)  # the suite pins English (tests/conftest.py)
    monkeypatch.delenv("LANG", raising=False)
    broken = tmp_path / "broken.bpmn"
    broken.write_text(CASES[0][0], encoding="utf-8")
    result = CliRunner().invoke(main, ["deploy", "--dry-run", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}: forward_threat: неизвестный topic 'send_sms'" in result.output
    monkeypatch.setenv("OTKLIK_LANG", "en")
    result = CliRunner().invoke(main, ["deploy", "--dry-run", str(broken)])
    assert f"{broken}: forward_threat: unknown topic 'send_sms'" in result.output


def test_a_timer_out_of_bounds_is_russian_by_default_and_english_on_request() -> None:
    # engine/bpmn/timer_bounds.py: the same texts at deployment, at run time and in the console.
    from datetime import UTC, datetime

    from engine.bpmn.timer_bounds import due_problem, working_time_problems

    now = datetime(2025, 11, 10, tzinfo=UTC)
    far = due_problem("9999-12-30T00:00:00+05:00", now)
    assert far is not None
    assert far.render("ru") == "таймер сработал бы 9999-12-30T00:00:00+05:00, более чем через 5 лет; сроки — не далее 5 лет вперёд"
    assert far.render("en") == ("the timer would be due 9999-12-30T00:00:00+05:00, more than 5 years from now; "
                                "deadlines are at most 5 years ahead")
    [amount] = working_time_problems("working_days(1000)", {}, now)
    assert amount.render("ru").startswith("working_days(1000): количество должно быть от 0 до ")
    assert amount.render("en").startswith("working_days(1000): the amount must be from 0 to ")
    [since] = working_time_problems("working_hours(8, since='1999-01-01T00:00:00+05:00')", {}, now)
    assert since.render("ru") == "в working_hours(since=...): since равно 1999-01-01T00:00:00+05:00, раньше 2000-01-01; проверьте дату"
    assert since.render("en") == "working_hours(since=...): since is 1999-01-01T00:00:00+05:00, before 2000-01-01; check the date"


def test_the_cli_deadline_refuses_a_far_start_in_russian_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTKLIK_LANG", raising=False)  # the suite pins English (tests/conftest.py)
    monkeypatch.delenv("LANG", raising=False)
    args = ["deadline", "--region", "orenburg", "--from", "0002-01-01T10:00", "--working-hours", "9"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    # (the offset of year 2 is the region's local mean time, hence only the start of the value)
    assert "--from равно 0002-01-01T10:00:00" in result.output and "раньше 2000-01-01; проверьте дату" in result.output
    monkeypatch.setenv("OTKLIK_LANG", "en")
    english = CliRunner().invoke(main, args).output
    assert "--from is 0002-01-01T10:00:00" in english and "before 2000-01-01; check the date" in english
