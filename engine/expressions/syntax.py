"""What the restricted language (engine.expressions) is built from: the bare ISO duration, the operators
with what each computes, and the syntax nodes allowed, or refused by the code of a message saying what to write instead.
"""
from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from typing import Any

# Anchored with \A...\Z so .match() and .fullmatch() agree and "PT30M\n" does not slip through.
# The lookaheads refuse the empty forms "P" and "P1DT".
_NUM = r"\d+(?:[.,]\d+)?"
ISO_DURATION: re.Pattern[str] = re.compile(
    rf"\AP(?=\d|T\d)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?"
    rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?\Z"
)

_BIN_OPS: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", operator.add), ast.Sub: ("-", operator.sub), ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv), ast.FloorDiv: ("//", operator.floordiv),
    ast.Mod: ("%", operator.mod), ast.Pow: ("**", operator.pow),
}
_UNARY_OPS: dict[type, tuple[str, Callable[[Any], Any]]] = {
    ast.Not: ("not", operator.not_), ast.USub: ("-", operator.neg), ast.UAdd: ("+", operator.pos),
}
_CMP_OPS: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Eq: ("==", operator.eq), ast.NotEq: ("!=", operator.ne), ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le), ast.Gt: (">", operator.gt), ast.GtE: (">=", operator.ge),
    ast.In: ("in", lambda a, b: a in b), ast.NotIn: ("not in", lambda a, b: a not in b),
    ast.Is: ("is", operator.is_), ast.IsNot: ("is not", operator.is_not),
}
_STRUCTURE = (ast.Expression, ast.Constant, ast.Name, ast.BoolOp, ast.And, ast.Or, ast.Compare,
              ast.UnaryOp, ast.BinOp, ast.IfExp, ast.Subscript, ast.Slice, ast.List, ast.Tuple,
              ast.Dict, ast.Set, ast.Call, ast.keyword, ast.Load)
_ALLOWED = frozenset((*_STRUCTURE, *_BIN_OPS, *_UNARY_OPS, *_CMP_OPS))
# Refused constructs, by the code of the refusal that names the construct and what to write instead
# (engine/texts/expressions.py; each quotes the {snippet}).
_REFUSED: dict[type, str] = {
    ast.Attribute: "expression.attribute",
    ast.Lambda: "expression.lambda",
    ast.NamedExpr: "expression.walrus",
    ast.JoinedStr: "expression.fstring",
    ast.Starred: "expression.starred",
    **dict.fromkeys((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp), "expression.comprehension"),
    **dict.fromkeys((ast.Await, ast.Yield, ast.YieldFrom), "expression.await_yield"),
    **dict.fromkeys((ast.Invert, ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift, ast.MatMult),
                    "expression.bitwise"),
}
