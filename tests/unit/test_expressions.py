"""Tests for the restricted diagram expression language (engine/expressions.py)."""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import os
import re
import subprocess
from typing import Any, Iterator

import pytest

from engine.expressions import BASE_FUNCTIONS, ISO_DURATION, ExpressionError, check, evaluate


def working_hours(hours: int, since: Any = None) -> tuple[str, int, Any]:
    return ("wh", hours, since)


def working_minutes(minutes: int) -> tuple[str, int]:
    return ("wm", minutes)


def broken(value: Any) -> Any:
    raise RuntimeError(f"calendar has no day {value}\nsecond line")


class Unjudgeable:
    def __bool__(self) -> bool:
        raise ValueError("truth value is ambiguous")


FUNCTIONS = {"working_hours": working_hours, "working_minutes": working_minutes, "broken": broken}
CATALOGUE = frozenset(FUNCTIONS)

VARIABLES = {
    "category": "threat",
    "answer_hours": 10,
    "detected_at": "2024-05-06T09:00",
    "tags": ["urgent", "health"],
    "author": {"name": "Ivan", "followers": 1200},
    "flag": False,
    "score": 0.75,
}


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


# ---------------------------------------------------------------- sandbox escapes

TOUCHED: list[str] = []


class Tripwire:
    """Stands in for task data; records any attempt to look inside it, call it or pickle it."""

    def __getattribute__(self, name: str) -> Any:
        TOUCHED.append(f"getattribute {name}")
        return object.__getattribute__(self, name)

    def __getattr__(self, name: str) -> Any:
        TOUCHED.append(f"getattr {name}")
        raise AttributeError(name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        TOUCHED.append("call")

    def __reduce__(self) -> Any:
        TOUCHED.append("reduce")
        return (Tripwire, ())

    def __reduce_ex__(self, protocol: Any) -> Any:
        TOUCHED.append("reduce_ex")
        return (Tripwire, ())

    def __repr__(self) -> str:
        TOUCHED.append("repr")
        return "Tripwire()"

    def __eq__(self, other: object) -> bool:
        TOUCHED.append("eq")
        return False

    def __hash__(self) -> int:
        TOUCHED.append("hash")
        return 0

    def __bool__(self) -> bool:
        TOUCHED.append("bool")
        return True

    def __getitem__(self, key: Any) -> Any:
        TOUCHED.append("getitem")
        return self


@contextlib.contextmanager
def spies(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Replace the dangerous entry points by recorders for the duration of the block."""
    recorded: list[str] = []
    real_import, real_compile = builtins.__import__, builtins.compile

    def recorder(name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            recorded.append(name)
        return record

    def spy_import(*args: Any, **kwargs: Any) -> Any:
        recorded.append(f"import {args[0]}")
        return real_import(*args, **kwargs)

    def spy_compile(source: Any, filename: Any, mode: str, flags: int = 0, *args: Any, **kwargs: Any) -> Any:
        if not flags & ast.PyCF_ONLY_AST:  # ast.parse may build a syntax tree, never a code object
            recorded.append("compile")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    TOUCHED.clear()
    with monkeypatch.context() as patch:
        for target, name in [(builtins, "open"), (builtins, "eval"), (builtins, "exec"), (os, "system"),
                             (os, "popen"), (os, "remove"), (subprocess, "Popen"), (subprocess, "run")]:
            patch.setattr(target, name, recorder(f"{target.__name__}.{name}"))
        patch.setattr(builtins, "compile", spy_compile)
        patch.setattr(builtins, "__import__", spy_import)
        yield recorded


PAYLOADS = [
    "__import__('os').system('touch {marker}')",
    "__import__('subprocess').run(['touch', '{marker}'])",
    "open('{marker}', 'w').write('x')",
    "open('/etc/passwd').read()",
    "().__class__.__base__.__subclasses__()",
    "''.__class__.__mro__[1].__subclasses__()",
    "[].__class__.__base__.__subclasses__()[0]",
    "x.__class__",
    "x.__dict__",
    "x.__reduce__()",
    "x['a'].__globals__",
    "(lambda: 1)()",
    "lambda: x()",
    "[x for x in range(10)]",
    "{x: 1 for x in a}",
    "(x for x in a)",
    "any(x() for x in a)",
    "getattr(x, '__class__')",
    "setattr(x, 'a', 1)",
    "type(x)",
    "vars(x)",
    "eval('1')",
    "exec('1')",
    "compile('1', '', 'eval')",
    "globals()",
    "locals()",
    "breakpoint()",
    "__builtins__",
    "__builtins__['open']",
    "_secret",
    "x()",
    "x['a']()",
    "(x)(1)",
    "9**9**9",
    "x ** x",
    "'a' * 10**10",
    "[0] * 10**9",
    "f'{x}'",
    "f'{x!r}'",
    "(x := 1)",
    "[*a]",
    "{**a}",
    "len(*a)",
    "len(**a)",
    "'%s' % x",
    "x | a",
    "~x",
    "await x",
    "(yield x)",
    "import os",
    "from os import system",
    "x = 1",
    "del x",
    "a; b",
    "a\nb",
    "def f(): pass",
    "b'\\x00'",
    "1j",
    "...",
    "x" + " or x" * 500,
    "[" * 40 + "]" * 40,
    "-" * 1500 + "x",
    "not " * 400 + "x",
    "[1," * 400 + "1" + "]" * 400,
    "(" * 300 + "x" + ")" * 300,
    "[" + "1, " * 400 + "1]",
    "+".join(["x"] * 200),
    "${a == 1}",
    "#{a}",
    "=a",
    "= category = 'threat'",
    "",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sandbox_payloads_are_refused_and_run_nothing(payload: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "pwned"
    payload = payload.replace("{marker}", str(marker))
    trip = Tripwire()
    variables = {name: trip for name in ("x", "a", "b", "os", "range", "f", "_secret", "__builtins__")}
    with spies(monkeypatch) as recorded:
        with pytest.raises(ExpressionError) as refused_by_check:
            check(payload, CATALOGUE)
        with pytest.raises(ExpressionError) as refused_by_evaluate:
            evaluate(payload, variables, FUNCTIONS)
    assert recorded == []
    assert TOUCHED == []
    assert not marker.exists()
    for error in (refused_by_check.value, refused_by_evaluate.value):
        assert str(error) and "\n" not in str(error)


def test_tripwire_and_spies_do_detect(monkeypatch: pytest.MonkeyPatch) -> None:
    # Guards the test above: the sentinels notice ordinary use.
    with spies(monkeypatch) as recorded:
        assert evaluate("x == 1", {"x": Tripwire()}, {}) is False
        builtins.open("/nonexistent")
        os.system("true")
        builtins.compile("1", "<test>", "eval")
    assert TOUCHED == ["eq"]
    assert recorded == ["builtins.open", "os.system", "compile"]


def test_task_data_is_passed_around_without_being_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    trip = Tripwire()
    with spies(monkeypatch) as recorded:
        assert evaluate("x", {"x": trip}, {}) is trip
        assert evaluate("[x, 1][0]", {"x": trip}, {}) is trip
        assert evaluate("{'k': x}['k']", {"x": trip}, {}) is trip
        assert evaluate("x if True else 1", {"x": trip}, {}) is trip
        assert evaluate("x is not None", {"x": trip}, {}) is True
    assert recorded == []
    assert TOUCHED == []


@pytest.mark.parametrize("expression", ["len(x)", "sorted(a, key=x)", "working_hours(1, since=x)"])
def test_task_data_is_never_called(expression: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Valid shape, so check() passes; a callable value is refused before any function sees it.
    trip = Tripwire()
    check(expression, CATALOGUE)
    with spies(monkeypatch) as recorded:
        with pytest.raises(ExpressionError, match="functions cannot be passed as arguments"):
            evaluate(expression, {"x": trip, "a": [1, 2]}, FUNCTIONS)
    assert recorded == []
    assert TOUCHED == []


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("x.y", "attribute access is not allowed; use x['key']"),
        ("open('/etc/passwd').read()", "attribute access is not allowed; use x['key']"),
        ("open('f')", "function 'open' is not in the catalogue; available: abs, all, any, bool, broken, float"),
        ("__import__('os')", "names starting with '_' are not allowed"),
        ("${a == 1}", "JUEL expressions (${...}) are not supported: write the condition as a plain expression, e.g. category == 'threat'"),
        ("#{a}", "JUEL expressions (#{...}) are not supported"),
        ("=a", "FEEL expressions (=...) are not supported: drop the leading '='"),
        ("(lambda: 1)()", "lambda is not allowed"),
        ("[x for x in y]", "comprehensions and generators are not allowed"),
        ("f'{x}'", "f-strings are not allowed"),
        ("(x := 1)", "assignment (:=) is not allowed"),
        ("x = 1", "assignment is not allowed; use == to compare"),
        ("import os", "statements are not allowed (found 'import')"),
        ("a; b", "only one expression is allowed, found 2"),
        ("x['a']()", "only catalogue functions can be called, by name"),
        ("9**9**9", "** needs a whole-number literal exponent from 0 to 64"),
        ("[0] * 10**9", "more than 10000 items"),
        ("x" + " or x" * 500, "expression is too long (2501 characters, at most 2000)"),
        ("[" * 40 + "]" * 40, "nested too deeply"),
        ("[" + "1, " * 400 + "1]", "more than 300 elements"),
        ("category ==", "syntax error"),
    ],
)
def test_refusal_messages_say_what_to_change(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        check(expression, CATALOGUE)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_non_text_expression_is_refused() -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        check(None, CATALOGUE)  # type: ignore[arg-type]
