"""Timer expressions in words (engine.expressions.deadline_words): plurals, moments, parameters, fallbacks —
in Russian, and in English for a reader of English (issue 16 item 7)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.expressions.deadline_words import SINCE_LABELS, SINCE_LABELS_EN, deadline_in_words, expression_names, plural
from engine.texts import language

HOURS = ("рабочий час", "рабочих часа", "рабочих часов", "рабочего часа")


@pytest.fixture(autouse=True)
def _russian() -> Iterator[None]:
    """Russian unless a test says otherwise (the suite writes English by default, tests/conftest.py)."""
    with language("ru"):
        yield


@pytest.mark.parametrize(("expression", "words"), [
    ("working_hours(9, since=detected_at)", "9 рабочих часов с момента выявления"),
    ("working_minutes(30)", "30 рабочих минут с начала шага"),
    ("working_hours(1)", "1 рабочий час с начала шага"),
    ("working_hours(2)", "2 рабочих часа с начала шага"),
    ("working_days(0)", "до конца рабочего дня начала шага"),
    ("working_days(1, since=registered_at)", "до конца следующего рабочего дня после регистрации"),
    ("working_days(7, since=posted_at)", "7 рабочих дней с момента размещения сообщения"),
    ("working_hours(8, since=received_at)", "8 рабочих часов с момента получения от куратора"),
    ("  working_minutes(30, since=detected_at) ", "30 рабочих минут с момента выявления"),
])
def test_the_diagrams_deadlines_read_as_the_acts_say(expression: str, words: str) -> None:
    assert deadline_in_words(expression, {}) == words


@pytest.mark.parametrize(("number", "form"), [
    (1, "рабочий час"), (21, "рабочий час"), (101, "рабочий час"),
    (2, "рабочих часа"), (3, "рабочих часа"), (4, "рабочих часа"), (22, "рабочих часа"), (34, "рабочих часа"),
    (5, "рабочих часов"), (11, "рабочих часов"), (12, "рабочих часов"), (14, "рабочих часов"),
    (20, "рабочих часов"), (25, "рабочих часов"), (111, "рабочих часов"), (0, "рабочих часов"),
    (1.5, "рабочего часа"), (2.0, "рабочих часа"),
])
def test_plural_forms(number: float, form: str) -> None:
    assert plural(number, HOURS) == form


@pytest.mark.parametrize(("expression", "words"), [
    ("working_hours(21)", "21 рабочий час с начала шага"),
    ("working_hours(5)", "5 рабочих часов с начала шага"),
    ("working_hours(1.5)", "1,5 рабочего часа с начала шага"),
    ("working_minutes(1)", "1 рабочая минута с начала шага"),
    ("working_minutes(3)", "3 рабочие минуты с начала шага"),
    ("working_minutes(11)", "11 рабочих минут с начала шага"),
    ("working_minutes(41)", "41 рабочая минута с начала шага"),
    ("working_days(2)", "2 рабочих дня с начала шага"),
    ("working_days(5)", "5 рабочих дней с начала шага"),
    ("working_days(21, since=posted_at)", "21 рабочий день с момента размещения сообщения"),
])
def test_plurals_in_deadlines(expression: str, words: str) -> None:
    assert deadline_in_words(expression, {}) == words


@pytest.mark.parametrize(("since", "label"), sorted(SINCE_LABELS.items()))
def test_each_recorded_moment_has_a_label(since: str, label: str) -> None:
    assert deadline_in_words(f"working_hours(3, since={since})", {}) == f"3 рабочих часа с момента {label}"
    assert deadline_in_words(f"working_days(0, since={since})", {}) == f"до конца рабочего дня {label}"
    assert deadline_in_words(f"working_days(1, since={since})", {}) == f"до конца следующего рабочего дня после {label}"


def test_an_unknown_moment_is_named_as_written_and_since_none_is_the_step_start() -> None:
    assert deadline_in_words("working_hours(2, since=answered_at)", {}) == "2 рабочих часа с момента answered_at"
    assert deadline_in_words("working_hours(2, since=None)", {}) == "2 рабочих часа с начала шага"
    assert deadline_in_words("working_days(1)", {}) == "до конца следующего рабочего дня после начала шага"


def test_a_parameter_is_named_with_its_default() -> None:
    assert deadline_in_words("working_hours(draft_hours)", {"draft_hours": "8"}) == \
        "8 рабочих часов с начала шага (параметр draft_hours, по умолчанию)"
    assert deadline_in_words("working_hours(routing_hours, since=detected_at)", {"routing_hours": "1"}) == \
        "1 рабочий час с момента выявления (параметр routing_hours, по умолчанию)"
    assert deadline_in_words("working_days(draft_days)", {"draft_days": "0"}) == \
        "до конца рабочего дня начала шага (параметр draft_days, по умолчанию)"
    assert deadline_in_words("working_days(final_days)", {"final_days": "7"}) == \
        "7 рабочих дней с начала шага (параметр final_days, по умолчанию)"


def test_a_deadline_before_an_adjustable_one_states_the_offset_and_the_default() -> None:
    words = deadline_in_words("working_hours(answer_hours - 4, since=detected_at)", {"answer_hours": "9"})
    assert words == ("за 4 рабочих часа до истечения срока answer_hours "
                     "(параметр, по умолчанию 9 рабочих часов с момента выявления)")
    assert deadline_in_words("working_hours(answer_hours + 1)", {"answer_hours": "9"}) == \
        "через 1 рабочий час после истечения срока answer_hours (параметр, по умолчанию 9 рабочих часов с начала шага)"


def test_a_value_set_in_the_case_is_not_called_a_parameter() -> None:
    variables = {"answer_hours": "9"}
    assert deadline_in_words("working_hours(answer_hours, since=detected_at)", variables, {"answer_hours"}) == \
        "9 рабочих часов с момента выявления (по умолчанию; answer_hours задаётся в деле)"
    words = deadline_in_words("working_hours(answer_hours - 4, since=detected_at)", variables, {"answer_hours"})
    assert words.startswith("за 4 рабочих часа до истечения срока answer_hours (задаётся в деле")
    assert "параметр" not in words


def test_a_variable_without_a_numeric_default_is_named_not_guessed() -> None:
    assert deadline_in_words("working_hours(hours)", {}) == "hours рабочих часов с начала шага (значение hours из дела)"
    assert deadline_in_words("working_hours(hours)", {"hours": "'eight'"}) == \
        "hours рабочих часов с начала шага (значение hours из дела)"


def test_an_organisation_schedule_is_mentioned() -> None:
    assert deadline_in_words("working_hours(2, org=agency)", {}) == \
        "2 рабочих часа с начала шага (по графику работы организации agency)"


@pytest.mark.parametrize(("expression", "words"), [
    ("PT30M", "30 минут (календарное время)"),
    ("PT1H", "1 час (календарное время)"),
    ("PT1H30M", "1 час 30 минут (календарное время)"),
    ("P7D", "7 дней (календарное время)"),
    ("P1DT2H", "1 день 2 часа (календарное время)"),
    ("P2M", "2 месяца (календарное время)"),
    ("PT0.5H", "0,5 часа (календарное время)"),
])
def test_an_iso_duration_is_calendar_time(expression: str, words: str) -> None:
    assert deadline_in_words(expression, {}) == words


@pytest.mark.parametrize("expression", [
    "working_hours(2) + 1",  # arithmetic on the instant
    "working_hours(1, 2)",  # two positional arguments
    "working_hours(since=detected_at)",  # no amount
    "working_hours(-1)",  # negative amount
    "working_hours(2, until=detected_at)",  # unknown keyword
    "working_hours(2, since='detected_at')",  # a text, not a recorded moment
    "working_hours(n * 2)",  # arithmetic the words do not cover
    "now()",
    "open('x')",  # refused by the language
    "${dueDate}",  # JUEL
    "x.y",
    "working_hours(",
    "",
])
def test_unknown_shapes_show_the_expression(expression: str) -> None:
    assert deadline_in_words(expression, {"n": "2"}) == f"выражение: {expression.strip()}"


def test_nothing_is_evaluated() -> None:
    # A default that would raise if evaluated is only read as syntax.
    assert deadline_in_words("working_hours(hours)", {"hours": "1 / 0"}).startswith("hours рабочих часов")


def test_expression_names_lists_variables_not_functions() -> None:
    assert expression_names("working_hours(answer_hours - 4, since=detected_at)") == {"answer_hours", "detected_at"}
    assert expression_names("working_days(final_days)") == {"final_days"}
    assert expression_names("PT30M") == frozenset()
    assert expression_names("working_hours(") == frozenset()


@pytest.mark.parametrize(("expression", "variables", "labels", "words"), [
    ("working_hours(9, since=detected_at)", {}, None, "9 working hours since detection"),
    ("working_hours(1)", {}, None, "1 working hour from the start of the step"),
    ("working_hours(1.5)", {}, None, "1.5 working hours from the start of the step"),
    ("working_minutes(21)", {}, None, "21 working minutes from the start of the step"),
    ("working_days(7, since=posted_at)", {}, None, "7 working days since the message's posting"),
    ("working_days(0)", {}, None, "by the end of the step's first working day"),
    ("working_days(1, since=registered_at)", {}, None, "by the end of the next working day after registration"),
    ("PT1H30M", {}, None, "1 hour 30 minutes (calendar time)"),
    ("working_hours(draft_hours)", {"draft_hours": "8"}, {"draft_hours": "Срок проекта"},
     "8 working hours from the start of the step (parameter “Срок проекта”, by default)"),
    ("working_hours(draft_hours)", {"draft_hours": "8"}, {},
     "8 working hours from the start of the step (procedure parameter, by default)"),
    ("working_hours(answer_hours - 4, since=detected_at)", {"answer_hours": "9"}, {},
     "4 working hours before the deadline (parameter, by default 9 working hours since detection)"),
    ("working_hours(2, org=agency)", {}, None,
     "2 working hours from the start of the step (on the working schedule of organisation agency)"),
    ("now()", {}, None, "expression: now()"),
])
def test_english_words(expression: str, variables: dict[str, str], labels: dict[str, str] | None, words: str) -> None:
    with language("en"):
        assert deadline_in_words(expression, variables, labels=labels) == words
    assert deadline_in_words(expression, variables, labels=labels) != words  # Russian again outside


@pytest.mark.parametrize("since", sorted(SINCE_LABELS))
def test_each_recorded_moment_has_an_english_label(since: str) -> None:
    with language("en"):
        assert deadline_in_words(f"working_hours(3, since={since})", {}) == f"3 working hours since {SINCE_LABELS_EN[since]}"
