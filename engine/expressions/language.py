"""Restricted expression language for BPMN diagrams (the analyst's expression catalogue).

Gateway conditions, timer expressions and multi-instance completion conditions
are written by analysts in Camunda Modeler.  SpiffWorkflow would run them with
Python ``eval`` and full builtins, so any diagram could run any code.  Here they
are parsed with ``ast`` and interpreted node by node: nothing is ever handed to
``eval``/``exec`` or compiled to a code object, and only the constructs below exist.

Allowed
    * literals: ``'text'``, ``42``, ``3.5``, ``True``, ``False``, ``None``;
      lists ``[1, 2]``, tuples ``(1, 2)``, dicts ``{'a': 1}``, sets ``{1, 2}``
    * variables from the task data by name: ``category``; names starting with ``_`` are refused
    * ``and``, ``or``, ``not``; ``==  !=  <  <=  >  >=  in  not in  is  is not`` (chains too)
    * arithmetic ``+ - * / // %`` and unary ``-``/``+``; power ``x ** 2`` only with a
      whole-number literal exponent from 0 to 64 (``x ** n`` and ``9 ** 9 ** 9`` are refused)
    * ``a if condition else b``; subscripts and slices ``data['key']``, ``items[0]``, ``items[1:3]``
    * calls to catalogue functions by name, positional and keyword arguments:
      ``working_hours(9, since=detected_at)``.  Always available: len, min, max, abs,
      round, int, float, str, bool, any, all, sorted, sum
    * a bare ISO-8601 duration such as ``PT30M``, ``P7D``, ``PT1H30M``, ``P1DT2H``, ``PT0.5H``
      (Camunda Modeler writes timer durations unquoted) is the string ``'PT30M'``

Refused, each with a message saying what to write instead
    * attribute access ``a.b`` (use ``a['b']``), lambdas, comprehensions and generators,
      ``:=``, f-strings, ``*``/``**`` unpacking, ``await``/``yield``, bitwise operators,
      bytes and complex literals, ``'%s' % x`` string formatting
    * calling anything that is not a catalogue function name: ``open(...)``, ``eval(...)``,
      ``getattr(...)``, ``__import__(...)``, ``x['f']()``; passing functions as arguments
    * statements (``import os``, ``x = 1``, ``a; b``): the text must be one expression
    * JUEL ``${...}``/``#{...}`` and FEEL ``=...``: write the plain expression instead

Limits: at most 2,000 characters, 300 syntax elements and 30 levels of nesting.
Computed values: strings, lists, tuples, dicts and sets hold at most 10,000 items
(``seq * n`` counts nested content too and is refused before it is built);
integers stay within +/- 10**18.  Parts that use no variables or functions are
computed at deployment, so ``1 / 0`` or ``'a' * 10**10`` is reported by ``check``.
Evaluation never changes the task data and always terminates (there are no loops);
catalogue functions must not change their arguments either.  Run-time problems
(unknown name, ``'a' < 1``, division by zero, missing key, a failing function)
raise ExpressionError, never NameError/TypeError.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from engine.expressions.limits import _SIZED_TYPES, _TEXT_TYPES, MAX_DEPTH, MAX_INT, MAX_NODES, MAX_POWER, MAX_SIZE, MAX_TEXT, _size
from engine.expressions.syntax import _ALLOWED, _BIN_OPS, _CMP_OPS, _REFUSED, _UNARY_OPS, ISO_DURATION
from engine.texts import Text, t

_T = TypeVar("_T")

__all__ = ["BASE_FUNCTIONS", "ISO_DURATION", "MAX_DEPTH", "MAX_INT", "MAX_NODES", "MAX_POWER", "MAX_SIZE", "MAX_TEXT",
           "ExpressionError", "check", "evaluate"]


class ExpressionError(ValueError):
    """A diagram expression is not allowed or cannot be evaluated. str(e) is one clear line saying what to change,
    in the reader's language: ``error.text`` is the Text, for problems that quote it (rendered when shown)."""

    def __init__(self, text: Text | str) -> None:
        # Plain text (e.g. a catalogue function's own message) becomes a Text whose code is itself: shown as it is.
        self.text = text if isinstance(text, Text) else Text(text)
        super().__init__(self.text)

    def __str__(self) -> str:
        return self.text.render()


def _round(number: Any, ndigits: int | None = None) -> Any:
    # int.__round__ computes 10**-ndigits, so round(5, -10**18) would never finish.
    if ndigits is not None and not -MAX_POWER <= operator.index(ndigits) <= MAX_POWER:
        raise ExpressionError(t("expression.round_digits", limit=MAX_POWER))
    return round(number, ndigits)


BASE_FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType({
    "len": len, "min": min, "max": max, "abs": abs, "round": _round, "int": int,
    "float": float, "str": str, "bool": bool, "any": any, "all": all, "sorted": sorted, "sum": sum,
})


class _Compiled(NamedTuple):
    source: str
    tree: ast.Expression | None  # None for a bare ISO duration
    calls: frozenset[str]


def _snippet(source: str, node: ast.AST) -> str:
    text = ast.get_source_segment(source, node) or source
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _type(value: Any) -> str:
    # type(), never isinstance()/repr(): those may run code that belongs to the value.
    return type(value).__name__


def _bounded(value: Any, source: str, node: ast.AST) -> Any:
    kind = type(value)
    if issubclass(kind, int) and not issubclass(kind, bool) and not -MAX_INT <= value <= MAX_INT:
        raise ExpressionError(t("expression.number_too_big", snippet=_snippet(source, node)))
    if issubclass(kind, _SIZED_TYPES) and len(value) > MAX_SIZE:
        raise ExpressionError(t("expression.too_many_items", snippet=_snippet(source, node), limit=MAX_SIZE))
    return value


def _refusal(source: str, node: ast.AST, code: str, **params: Any) -> ExpressionError:
    return ExpressionError(t(code, snippet=_snippet(source, node), **params))


def _check_shape(source: str, tree: ast.Expression) -> frozenset[str]:
    """Refuse everything outside the language; return the function names called."""
    calls: set[str] = set()
    count = 0
    # Explicit stack, not recursion: hostile input may be thousands of levels deep.
    stack: list[tuple[ast.AST, int, ast.AST]] = [(tree, 0, tree)]
    while stack:
        node, depth, parent = stack.pop()
        at = node if hasattr(node, "col_offset") else parent  # operators carry no position
        kind = type(node)
        if kind is ast.Load:  # Store/Del contexts only occur inside refused constructs
            continue
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(t("expression.too_many_elements", limit=MAX_NODES))
        if depth > MAX_DEPTH:
            raise ExpressionError(t("expression.too_deep", limit=MAX_DEPTH))
        if kind in _REFUSED:
            raise _refusal(source, at, _REFUSED[kind])
        if kind not in _ALLOWED:
            raise _refusal(source, at, "expression.not_allowed", kind=kind.__name__)
        # type(node) rather than kind below: mypy narrows the node only on the expression itself.
        if type(node) is ast.Constant and type(node.value) not in (str, int, float, bool, type(None)):
            raise _refusal(source, at, "expression.literal_not_allowed", kind=_type(node.value))
        elif type(node) is ast.Name and node.id.startswith("_"):
            raise ExpressionError(t("expression.underscore_name", name=repr(node.id)))
        elif type(node) is ast.Dict and None in node.keys:
            raise _refusal(source, at, "expression.dict_unpacking")
        elif type(node) is ast.BinOp and type(node.op) is ast.Pow:
            exponent = node.right
            if not (type(exponent) is ast.Constant and type(exponent.value) is int and 0 <= exponent.value <= MAX_POWER):
                raise _refusal(source, at, "expression.power_exponent", limit=MAX_POWER)
        elif type(node) is ast.BinOp and type(node.op) is ast.Mod and type(node.left) is ast.Constant and type(node.left.value) is str:
            raise _refusal(source, at, "expression.percent_format")
        elif type(node) is ast.Call:
            if type(node.func) in _REFUSED:  # e.g. x.read(): name the real problem, attribute access
                raise _refusal(source, at, _REFUSED[type(node.func)])
            if type(node.func) is not ast.Name:
                raise _refusal(source, at, "expression.call_by_name")
            if any(k.arg is None for k in node.keywords):
                raise _refusal(source, at, "expression.argument_unpacking")
            calls.add(node.func.id)
        stack.extend((child, depth + 1, node) for child in ast.iter_child_nodes(node))
    return frozenset(calls)


def _fold_constants(source: str, node: ast.AST) -> bool:
    """Compute each largest part without names or calls, so it fails at deployment. Returns whether node is such a part."""
    children = list(ast.iter_child_nodes(node))
    flags = [_fold_constants(source, child) for child in children]
    # A keyword is not computable by itself, so it counts as variable and its value is folded alone.
    constant = type(node) not in (ast.Name, ast.Call, ast.keyword) and all(flags)
    if not constant or type(node) is ast.Expression:
        for child, flag in zip(children, flags, strict=True):
            if flag and isinstance(child, ast.expr):
                _Evaluator(source, {}, {}).run(child)
    return constant


def _syntax_error(source: str, error: SyntaxError) -> ExpressionError:
    # error.msg is Python's own wording (English in both languages).
    plain = ExpressionError(t("expression.syntax_error_at", column=error.offset, detail=error.msg) if error.offset
                            else t("expression.syntax_error", detail=error.msg))
    # Parsing as statements gives a clearer message for "import os", "x = 1" or "a; b".
    try:
        body = ast.parse(source, mode="exec").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return plain
    if len(body) > 1:
        return ExpressionError(t("expression.several", count=len(body)))
    if body and type(body[0]) in (ast.Assign, ast.AugAssign, ast.AnnAssign):
        return ExpressionError(t("expression.assignment"))
    if not body or type(body[0]) is ast.Expr:
        return plain
    name = type(body[0]).__name__.lower()
    return ExpressionError(t("expression.statement", name=repr(name)))


@functools.lru_cache(maxsize=4096)
def _compile(expression: str) -> _Compiled:
    # Cached: the same gateway conditions and timers are evaluated over and over.
    source = expression.strip()
    if source.startswith(("${", "#{")):
        raise ExpressionError(t("expression.juel", prefix=source[0]))
    if source.startswith("="):
        raise ExpressionError(t("expression.feel"))
    if ISO_DURATION.match(source):
        return _Compiled(source, None, frozenset())
    if not source:
        raise ExpressionError(t("expression.empty"))
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise _syntax_error(source, error) from None
    except (ValueError, RecursionError, MemoryError):  # the parser's own guard against deep nesting
        raise ExpressionError(t("expression.too_deep_to_read")) from None
    calls = _check_shape(source, tree)
    _fold_constants(source, tree)
    return _Compiled(source, tree, calls)


def _prepare(expression: str, functions: Collection[str]) -> _Compiled:
    if type(expression) is not str:
        raise ExpressionError(t("expression.not_text", kind=_type(expression)))
    if len(expression) > MAX_TEXT:  # before the cache, which would hash and keep huge text
        raise ExpressionError(t("expression.too_long", length=len(expression), limit=MAX_TEXT))
    compiled = _compile(expression)
    unknown = sorted(name for name in compiled.calls if name not in functions and name not in BASE_FUNCTIONS)
    if unknown:
        available = ", ".join(sorted({*BASE_FUNCTIONS, *functions}))
        raise ExpressionError(t("expression.unknown_function", name=repr(unknown[0]), available=available))
    return compiled


def check(expression: str, functions: Collection[str]) -> None:
    """Validate an expression at deployment, given the catalogue's function names; raise ExpressionError."""
    _prepare(expression, functions)


def evaluate(expression: str, variables: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
    """Compute an expression over task data (never modified) with catalogue functions (BASE_FUNCTIONS added)."""
    compiled = _prepare(expression, functions)
    if compiled.tree is None:
        return compiled.source
    return _Evaluator(compiled.source, variables, functions).run(compiled.tree.body)


class _Evaluator:
    def __init__(self, source: str, variables: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> None:
        self.source, self.variables, self.functions = source, variables, functions

    def fail(self, node: ast.AST, code: str, **params: Any) -> ExpressionError:
        return ExpressionError(t(code, snippet=_snippet(self.source, node), **params))

    def apply(self, node: ast.AST, problem: tuple[str, dict[str, Any]], function: Callable[..., _T], *args: Any) -> _T:
        """Run one operation; anything it raises becomes an ExpressionError naming the operation."""
        try:
            return function(*args)
        except ExpressionError:
            raise
        except ZeroDivisionError as error:
            raise self.fail(node, "expression.division_by_zero") from error
        except KeyError as error:
            key = error.args[0] if error.args else None
            if type(key) in (str, int) and len(repr(key)) <= 60:
                raise self.fail(node, "expression.no_such_key", key=repr(key)) from error
            raise self.fail(node, "expression.no_key") from error
        except IndexError as error:
            raise self.fail(node, "expression.index_out_of_range") from error
        except Exception as error:
            raise self.fail(node, problem[0], **problem[1]) from error

    def truth(self, node: ast.AST, value: Any) -> bool:
        return self.apply(node, ("expression.not_boolean", {"kind": _type(value)}), bool, value)

    def run(self, node: ast.AST) -> Any:
        # Recursion is fine: _check_shape capped the depth at MAX_DEPTH.
        return getattr(self, "_" + type(node).__name__)(node)

    def _Constant(self, node: ast.Constant) -> Any:
        return _bounded(node.value, self.source, node)

    def _Name(self, node: ast.Name) -> Any:
        try:
            return self.variables[node.id]
        except KeyError:
            raise ExpressionError(t("expression.unknown_name", name=repr(node.id))) from None

    def _BoolOp(self, node: ast.BoolOp) -> Any:
        value = self.run(node.values[0])
        for operand in node.values[1:]:
            if self.truth(node, value) == (type(node.op) is ast.Or):  # short-circuit, like Python
                return value
            value = self.run(operand)
        return value

    def _Compare(self, node: ast.Compare) -> Any:
        left = self.run(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.run(comparator)
            symbol, function = _CMP_OPS[type(op)]
            problem = ("expression.cannot_compare", {"left": _type(left), "symbol": symbol, "right": _type(right)})
            result = self.apply(node, problem, function, left, right)
            if not self.truth(node, result):
                return result
            left = right
        return result

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.run(node.operand)
        symbol, function = _UNARY_OPS[type(node.op)]
        problem = ("expression.cannot_apply", {"symbol": symbol, "kind": _type(operand)})
        return _bounded(self.apply(node, problem, function, operand), self.source, node)

    def _BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.run(node.left), self.run(node.right)
        symbol, function = _BIN_OPS[type(node.op)]
        self._precheck(node, symbol, left, right)
        problem = ("expression.cannot_compute", {"left": _type(left), "symbol": symbol, "right": _type(right)})
        result = self.apply(node, problem, function, left, right)
        return _bounded(result, self.source, node)

    def _precheck(self, node: ast.BinOp, symbol: str, left: Any, right: Any) -> None:
        """Refuse results that would be too big before Python builds them."""
        lk, rk = type(left), type(right)
        sequence = (*_TEXT_TYPES, list, tuple)
        if symbol == "%" and issubclass(lk, _TEXT_TYPES):
            raise self.fail(node, "expression.run_percent_format")
        if symbol == "*" and (issubclass(lk, sequence) or issubclass(rk, sequence)):
            seq, count = (left, right) if issubclass(lk, sequence) else (right, left)
            if not issubclass(type(count), int):
                raise self.fail(node, "expression.repeat_by_whole", left=_type(left), right=_type(right))
            if count > 0 and _size(seq, MAX_SIZE) * count > MAX_SIZE:  # nested content counts: [[0] * 9999] * 9999
                raise self.fail(node, "expression.result_too_many_items", limit=MAX_SIZE)
        if symbol == "+" and issubclass(lk, sequence) and issubclass(rk, sequence) and len(left) + len(right) > MAX_SIZE:
            raise self.fail(node, "expression.result_too_many_items", limit=MAX_SIZE)
        if symbol == "**" and issubclass(lk, int) and (abs(left).bit_length() - 1) * right > 64:
            raise self.fail(node, "expression.result_too_big")  # the exponent is a literal <= 64

    def _IfExp(self, node: ast.IfExp) -> Any:
        return self.run(node.body) if self.truth(node, self.run(node.test)) else self.run(node.orelse)

    def _Subscript(self, node: ast.Subscript) -> Any:
        container, key = self.run(node.value), self.run(node.slice)
        problem = ("expression.cannot_subscript", {"key": _type(key), "kind": _type(container)})
        item = self.apply(node, problem, operator.getitem, container, key)
        # Items of task data pass through as they are; only slices build new values.
        return _bounded(item, self.source, node) if type(key) is slice else item

    def _Slice(self, node: ast.Slice) -> slice:
        return slice(*(None if part is None else self.run(part) for part in (node.lower, node.upper, node.step)))

    def _List(self, node: ast.List) -> list[Any]:
        return [self.run(element) for element in node.elts]

    def _Tuple(self, node: ast.Tuple) -> tuple[Any, ...]:
        return tuple(self.run(element) for element in node.elts)

    def _Set(self, node: ast.Set) -> set[Any]:
        return self.apply(node, ("expression.set_items", {}), set, [self.run(element) for element in node.elts])

    def _Dict(self, node: ast.Dict) -> dict[Any, Any]:
        pairs = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # {**other}: _check_shape refuses it before evaluation
                raise self.fail(node, "expression.run_dict_unpacking")
            pairs.append((self.run(key), self.run(value)))
        return self.apply(node, ("expression.dict_keys", {}), dict, pairs)

    def _Call(self, node: ast.Call) -> Any:
        if type(node.func) is not ast.Name:  # _check_shape allows calls by name only
            raise self.fail(node, "expression.run_call_by_name")
        name = node.func.id
        function = self.functions[name] if name in self.functions else BASE_FUNCTIONS[name]
        args = [self.run(argument) for argument in node.args]
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            if keyword.arg is None:  # f(**other): _check_shape refuses it before evaluation
                raise self.fail(node, "expression.run_argument_unpacking")
            kwargs[keyword.arg] = self.run(keyword.value)
        # callable() reads the type slot only; refusing callables keeps task data from being called via key=.
        if any(callable(value) for value in (*args, *kwargs.values())):
            raise self.fail(node, "expression.function_argument")
        try:
            result = function(*args, **kwargs)
        except Exception as error:
            # The function's own message, on one line; an ExpressionError's stays a Text (the reader's language).
            detail = error.text if isinstance(error, ExpressionError) else " ".join(str(error).split())
            raise self.fail(node, "expression.function_failed", name=name, error=detail) from error
        return _bounded(result, self.source, node)
