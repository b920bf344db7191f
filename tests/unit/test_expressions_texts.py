"""The expression language's refusals are texts by code (engine/texts/expressions.py): Russian by
default, English on request, rendered when shown — never frozen in the language they were raised in."""
from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import texts
from engine.expressions.language import ExpressionError, check, evaluate
from engine.texts import expressions as table
from tests.unit.expressions_support import CATALOGUE, FUNCTIONS, VARIABLES

ROOT = Path(__file__).resolve().parents[2]


def _refusal(expression: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        evaluate(expression, VARIABLES, FUNCTIONS)
    return caught.value


@pytest.mark.parametrize(("expression", "russian", "english"), [
    ("author.name", "обращение к атрибуту не допускается; пишите x['key'] (в 'author.name')",
     "attribute access is not allowed; use x['key'] (in 'author.name')"),
    ("categry == 'threat'", "неизвестное имя 'categry': такой переменной нет в данных задачи; "
     "проверьте написание или возьмите текст в кавычки",
     "unknown name 'categry': no such variable in the task data; check the spelling or quote text"),
    ("answer_hours / (answer_hours - 10)", "деление на ноль (в 'answer_hours / (answer_hours - 10)')",
     "division by zero (in 'answer_hours / (answer_hours - 10)')"),
    ("${category == 'threat'}", "выражения JUEL (${...}) не поддерживаются: запишите условие простым выражением, "
     "например category == 'threat'", "JUEL expressions (${...}) are not supported: "
     "write the condition as a plain expression, e.g. category == 'threat'"),
    ("round(score, answer_hours * 100)", "ошибка в round(): число знаков должно быть от -64 до 64 "
     "(в 'round(score, answer_hours * 100)')",
     "round() failed: ndigits must be between -64 and 64 (in 'round(score, answer_hours * 100)')"),
])
def test_a_refusal_reads_in_russian_by_default_and_in_english_on_request(
        expression: str, russian: str, english: str) -> None:
    error = _refusal(expression)
    assert error.text.code.startswith("expression.")
    assert error.text.render("ru") == russian
    assert error.text.render("en") == english
    with texts.language("ru"):
        assert str(error) == russian  # the language of whoever reads it, not of whoever raised it
    with texts.language("en"):
        assert str(error) == english


def test_a_nested_message_follows_the_language_too() -> None:
    # A catalogue function's ExpressionError inside "f() failed: ..." is a Text parameter, rendered alike.
    with texts.language("ru"):
        error = _refusal("round(1, 100)")
    assert "число знаков" in error.text.render("ru") and "ndigits" in error.text.render("en")
    assert "ndigits must be between" in str(error)  # the suite reads English (tests/conftest.py)


def test_an_error_survives_pickling_with_its_code() -> None:
    error = _refusal("author.name")
    copy = pickle.loads(pickle.dumps(error))
    assert copy.text == error.text and str(copy) == str(error)


def test_plain_text_is_still_an_expression_error_shown_as_it_is() -> None:
    error = ExpressionError("calendar has no such day")
    assert error.text.render("ru") == error.text.render("en") == str(error) == "calendar has no such day"


def test_every_code_the_language_raises_is_in_the_table() -> None:
    sources = [ROOT / "engine/expressions/language.py", ROOT / "engine/expressions/syntax.py",
               ROOT / "engine/spiff/script_engine.py"]
    used = {code for path in sources for code in re.findall(r'"(expression\.[a-z_]+)"', path.read_text("utf-8"))}
    assert len(used) > 40
    assert used <= set(table.RU) and used <= set(table.EN), sorted(used - set(table.RU) - set(table.EN))


def test_a_check_in_the_console_is_russian_by_default() -> None:
    # The CLI's language: OTKLIK_LANG, then LANG, else Russian (engine.settings); no locale set here.
    environ = {k: v for k, v in os.environ.items() if k not in ("OTKLIK_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    program = ("from engine.expressions.language import ExpressionError, check\n"
               "try:\n    check('a.b', [])\nexcept ExpressionError as error:\n    print(error)\n")
    for lang, expected in ((None, "обращение к атрибуту не допускается; пишите x['key'] (в 'a.b')"),
                           ("en", "attribute access is not allowed; use x['key'] (in 'a.b')")):
        env = environ if lang is None else {**environ, "OTKLIK_LANG": lang}
        done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True,
                              text=True, encoding="utf-8", timeout=60, check=True)
        assert done.stdout.strip() == expected


def test_check_refuses_with_the_same_codes_as_evaluate() -> None:
    with pytest.raises(ExpressionError) as caught:
        check("[x for x in tags]", CATALOGUE)
    assert caught.value.text.code == "expression.comprehension"


def test_a_working_time_function_refusal_reads_in_both_languages(virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from engine.spiff.script_engine import script_engine_for_region

    workflow = SimpleNamespace(data={"case": {}})
    workflow.top_workflow = workflow
    with pytest.raises(ExpressionError) as caught:
        script_engine_for_region("orenburg").evaluate(SimpleNamespace(data={}, workflow=workflow), "working_hours(1, since=5)")
    assert caught.value.text.render("en") == "working_hours() failed: since must be a date-time, got int (in 'working_hours(1, since=5)')"
    assert caught.value.text.render("ru") == ("ошибка в working_hours(): since должен быть датой и временем, а не int "
                                              "(в 'working_hours(1, since=5)')")
