"""Restricted diagram expression language (engine/expressions/language.py): normal use, run-time errors, size limits."""

from __future__ import annotations

import ast
import copy
import re
from typing import Any

import pytest

from engine.expressions.language import BASE_FUNCTIONS, ISO_DURATION, ExpressionError, check, evaluate
from tests.unit.expressions_support import CATALOGUE, FUNCTIONS, VARIABLES, Unjudgeable, working_hours

# ---------------------------------------------------------------- normal expressions

@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("category == 'threat'", True),
        ("category != 'threat'", False),
        ("answer_hours - 4", 6),
        ("answer_hours * 2 + 1", 21),
        ("answer_hours / 4", 2.5),
        ("answer_hours // 4", 2),
        ("answer_hours % 4", 2),
        ("-answer_hours", -10),
        ("+answer_hours", 10),
        ("answer_hours ** 2", 100),
        ("1 < answer_hours <= 10", True),
        ("1 < answer_hours < 5", False),
        ("'urgent' in tags", True),
        ("'spam' not in tags", True),
        ("category in ('threat', 'complaint')", True),
        ("category in {'threat', 'complaint'}", True),
        ("author['followers'] >= 1000 and not flag", True),
        ("flag or category", "threat"),
        ("flag and missing_variable", False),
        ("flag is False", True),
        ("author is not None", True),
        ("tags[0]", "urgent"),
        ("tags[-1]", "health"),
        ("tags[0:1]", ["urgent"]),
        ("tags[::-1]", ["health", "urgent"]),
        ("author['name'][0]", "I"),
        ("'fast' if answer_hours < 24 else 'slow'", "fast"),
        ("[1, 2, answer_hours]", [1, 2, 10]),
        ("(1, 'a')", (1, "a")),
        ("{'a': answer_hours, 'b': [category]}", {"a": 10, "b": ["threat"]}),
        ("{'a': 1}['a']", 1),
        ("len(tags) == 2", True),
        ("max(answer_hours, 24)", 24),
        ("min([3, 1, 2])", 1),
        ("sorted(tags, reverse=True)", ["urgent", "health"]),
        ("sum([1, 2, 3])", 6),
        ("round(score * 100)", 75),
        ("round(2.567, 2)", 2.57),
        ("abs(-3)", 3),
        ("int('42') + float('0.5')", 42.5),
        ("str(answer_hours) + 'h'", "10h"),
        ("bool(tags) and any([flag, True]) and all([1, 2])", True),
        ("working_hours(9, since=detected_at)", ("wh", 9, "2024-05-06T09:00")),
        ("working_minutes(30)", ("wm", 30)),
        ("working_hours(hours=answer_hours - 4)", ("wh", 6, None)),
        ("'ab' * 3", "ababab"),
        ("[0] * 3", [0, 0, 0]),
        ("tags + ['new']", ["urgent", "health", "new"]),
        ("10 ** 18", 10**18),
        ("None", None),
        ("  category == 'threat'  ", True),
    ],
)
def test_normal_expressions(expression: str, expected: Any) -> None:
    check(expression, CATALOGUE)
    assert evaluate(expression, VARIABLES, FUNCTIONS) == expected


@pytest.mark.parametrize("duration", ["PT30M", "P7D", "PT1H30M", "P1DT2H", "PT0.5H", "P1Y2M3W4DT5H6M7S", " PT45S "])
def test_bare_iso_duration_is_its_own_text(duration: str) -> None:
    check(duration, CATALOGUE)
    assert evaluate(duration, {}, FUNCTIONS) == duration.strip()


@pytest.mark.parametrize("text", ["P", "PT", "P1DT", "PT30", "T30M", "30M", "PT30M\n1", "P-1D", "pt30m"])
def test_iso_duration_pattern_refuses_incomplete_forms(text: str) -> None:
    assert ISO_DURATION.match(text) is None


def test_quoted_duration_and_catalogue_accepting_any_collection() -> None:
    assert evaluate("'PT30M'", {}, {}) == "PT30M"
    check("working_hours(1)", ["working_hours"])
    check("working_hours(1)", {"working_hours": working_hours})


def test_evaluation_does_not_change_task_data() -> None:
    variables = copy.deepcopy(VARIABLES)
    for expression in ["sorted(tags)", "tags + ['x']", "tags * 2", "tags[::-1]", "{'a': author}", "[tags, tags]"]:
        result = evaluate(expression, variables, FUNCTIONS)
        assert result is not variables["tags"]
    assert variables == VARIABLES


def test_task_data_items_pass_through_unbounded() -> None:
    # Limits apply to values the expression builds, not to the task data it reads.
    items = list(range(20_000))
    assert evaluate("len(items) > 0", {"items": items}, {}) is True
    assert evaluate("data['items']", {"data": {"items": items}}, {}) is items


def test_parsed_expressions_are_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real_parse = ast.parse

    def counting_parse(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    expression = "answer_hours > 3 and category == 'cache-test'"
    for _ in range(5):
        assert evaluate(expression, VARIABLES, FUNCTIONS) is False
        check(expression, CATALOGUE)
    assert calls.count(expression) == 1


def test_base_functions_are_read_only_and_complete() -> None:
    assert set(BASE_FUNCTIONS) == {"len", "min", "max", "abs", "round", "int", "float", "str", "bool",
                                   "any", "all", "sorted", "sum"}
    with pytest.raises(TypeError):
        BASE_FUNCTIONS["open"] = open  # type: ignore[index]


# ---------------------------------------------------------------- run-time errors

@pytest.mark.parametrize(
    ("expression", "variables", "message"),
    [
        ("missing == 1", {}, "unknown name 'missing'"),
        ("flag and missing", {"flag": True}, "unknown name 'missing'"),
        ("category < 1", {"category": "threat"}, "cannot compare str < int"),
        ("category - 1", {"category": "threat"}, "cannot compute str - int"),
        ("-category", {"category": "threat"}, "cannot apply - to str"),
        ("answer_hours / zero", {"answer_hours": 1, "zero": 0}, "division by zero"),
        ("answer_hours // zero", {"answer_hours": 1, "zero": 0}, "division by zero"),
        ("answer_hours % zero", {"answer_hours": 1, "zero": 0}, "division by zero"),
        ("author['age']", {"author": {}}, "no key 'age'"),
        ("tags[key]", {"tags": {}, "key": ("x" * 100,)}, "no key; check the key"),
        ("flag or answer_hours", {"flag": Unjudgeable(), "answer_hours": 1}, "Unjudgeable cannot be used as true/false"),
        ("1 if flag else 2", {"flag": Unjudgeable()}, "Unjudgeable cannot be used as true/false"),
        ("tags[5]", {"tags": []}, "index out of range"),
        ("answer_hours[0]", {"answer_hours": 1}, "cannot take [int] of int"),
        ("{tags: 1}", {"tags": []}, "dict keys must be"),
        ("{tags}", {"tags": []}, "set items must be"),
        ("int(category)", {"category": "threat"}, "int() failed"),
        ("fmt % 1", {"fmt": "%0999999d"}, "text formatting with % is not allowed"),
    ],
)
def test_runtime_problems_raise_expression_error(expression: str, variables: dict[str, Any], message: str) -> None:
    check(expression, CATALOGUE)
    with pytest.raises(ExpressionError, match=re.escape(message)) as info:
        evaluate(expression, variables, FUNCTIONS)
    assert "\n" not in str(info.value)


def test_unknown_name_is_not_a_name_error() -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate("x", {}, {})
    assert not isinstance(info.value, NameError)
    assert isinstance(info.value, ValueError)


def test_catalogue_function_errors_are_wrapped_with_cause() -> None:
    with pytest.raises(ExpressionError, match="broken\\(\\) failed: calendar has no day 31 second line") as info:
        evaluate("broken(31)", {}, FUNCTIONS)
    assert isinstance(info.value.__cause__, RuntimeError)
    assert "\n" not in str(info.value)


def test_constant_parts_are_computed_at_deployment() -> None:
    for expression in ["1 / 0", "flag if answer_hours else 1 / 0", "'a' < 1", "working_hours(1 // 0)",
                       "working_hours(hours=[0] * 10**9)", "{[1]: 2}", "2 ** 64"]:
        with pytest.raises(ExpressionError):
            check(expression, CATALOGUE)


# ---------------------------------------------------------------- size limits

@pytest.mark.parametrize(
    ("expression", "variables"),
    [
        ("'a' * n", {"n": 10**10}),
        ("n * 'a'", {"n": 10**10}),
        ("[0] * n", {"n": 10**9}),
        ("(0,) * n", {"n": 10**9}),
        ("[[0] * 100] * 1000", {}),  # shares one inner list, but str() of it would be huge
        ("[s] * 1000", {"s": "x" * 100}),
        ("s + s", {"s": "x" * 6000}),
        ("x ** 64", {"x": 10**18}),
        ("x ** 64", {"x": 10**100_000}),
        ("x ** 2", {"x": 10**10}),
        ("x * x", {"x": 10**18}),
        ("x + 1", {"x": 10**18}),
        ("-x", {"x": 10**19}),
        ("int(s)", {"s": "9" * 30}),
        ("int('9' * 30)", {}),
        ("round(5, -n)", {"n": 10**18}),
        ("sorted(items)", {"items": list(range(20_000))}),
        ("items[:]", {"items": list(range(20_000))}),
        ("str(items)", {"items": list(range(5_000))}),
        ("2 ** 64", {}),
        ("10000000000000000000", {}),
    ],
)
def test_large_values_are_refused(expression: str, variables: dict[str, Any]) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(expression, variables, FUNCTIONS)
    assert "\n" not in str(info.value)


def test_limits_are_inclusive() -> None:
    assert len(evaluate("'a' * 10000", {}, {})) == 10_000
    assert evaluate("-(10 ** 18)", {}, {}) == -(10**18)
    assert evaluate("x ** 59", {"x": 2}, {}) == 2**59
    with pytest.raises(ExpressionError):
        evaluate("x ** 64", {"x": 2}, {})  # 2**64 > 10**18
    assert evaluate("x ** 64", {"x": 1.01}, {}) == pytest.approx(1.01**64)
