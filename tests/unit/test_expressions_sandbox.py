"""Restricted diagram expression language (engine/expressions/language.py): sandbox escapes and refusal messages."""

from __future__ import annotations

import ast
import builtins
import contextlib
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from engine.expressions.language import ExpressionError, check, evaluate
from tests.unit.expressions_support import CATALOGUE, FUNCTIONS

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
