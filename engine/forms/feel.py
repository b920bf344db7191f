"""Form conditions in a FEEL subset, translated to restricted expressions (engine.expressions).

Conditions (``conditional.hide``) use a FEEL subset, written after the leading ``=``:
    * names of form fields and process variables: ``category``, ``is_competent``
    * text in double quotes ``"repeat"`` (escapes ``\\"`` ``\\\\`` ``\\n`` ``\\t``), numbers ``5``, ``-2.5``,
      ``true``, ``false``, ``null``
    * comparisons ``=`` (equal), ``!=``, ``<``, ``<=``, ``>``, ``>=`` - one per pair of values, no chains
    * ``and``, ``or``, ``not(...)`` and parentheses
    Examples: ``=category != "repeat"``, ``=not(competent)``, ``=kind = "x" or agency = null``.
    Refused at deployment: ``in``, lists ``[...]``, paths ``a.b``, function calls, arithmetic,
    ``if``/``some``/``every``/``for``/``between``, dates ``@"..."``, text in single quotes.
    A field is hidden only when its condition, or that of a group around it, is exactly true.  A name
    with no value is null and ``not(null)`` is null, so such a field stays visible; so does a field whose
    comparison cannot be made (``null < 5``, text with a number).  Form fields start empty as in form-js
    (an unticked checkbox is false).  A hidden field is never required, its value is not saved, and
    later conditions see it as null.
"""
from __future__ import annotations

import keyword
import re

from engine.expressions import language as expressions
from engine.forms.model import FormError
from engine.texts import Text, t

# Strings are whole tokens, so "a = b" inside a literal is never translated.
_TOKEN = re.compile(r'(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>\d+(?:\.\d+)?|\.\d+)|(?P<name>[^\W\d]\w*)'
                    r"|(?P<op>!=|<=|>=|[=<>()-])|(?P<other>\S)", re.S)
_WORDS = {"and": "and", "or": "or", "not": "not", "true": "True", "false": "False", "null": "None"}
_CMP = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "'": "'"}
_REFUSED = {token: t(f"forms.feel_{code}") for tokens, code in (  # texts in engine/texts/forms.py
    ("in", "in"), ("between", "between"), ("if then else", "if"), ("some every satisfies for return", "some"),
    ("function instance of", "function"), (".", "path"), ("[ ] ,", "list"), ("{ }", "context"),
    ("'", "single_quote"), ('"', "unclosed_text"), ("@", "date_literal"), ("+ * / -", "arithmetic"),
) for token in tokens.split()}


def _unescape(match: re.Match[str]) -> str:
    if match.group(1) not in _ESCAPES:
        raise FormError(t("forms.feel_escape", escape=repr(match.group(0))))
    return _ESCAPES[match.group(1)]


def _feel_tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN.finditer(text):  # every non-space character is in some token
        kind, token = match.lastgroup or "other", match.group()
        if kind == "str":
            tokens.append(("str", re.sub(r"\\(.)", _unescape, token[1:-1], flags=re.S)))
        elif kind in ("name", "other") and token in _REFUSED:
            raise FormError(_REFUSED[token])
        elif kind == "other":
            raise FormError(t("forms.feel_character", character=repr(token)))
        elif kind == "name" and keyword.iskeyword(token) and token not in _WORDS:
            raise FormError(t("forms.feel_reserved", name=repr(token)))
        else:
            tokens.append(("word" if token in _WORDS else kind, token))
    return tokens + [("end", "")]


class _FeelParser:
    """Recursive descent over the subset, emitting Python with the same grouping as FEEL."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos]

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return token

    def expression(self, word: str = "or") -> str:
        def part() -> str:
            return self.expression("and") if word == "or" else self.comparison()

        parts = [part()]
        while self.peek() == ("word", word):
            self.take()
            parts.append(part())
        return f" {word} ".join(parts)

    def comparison(self) -> str:
        left = self.operand()
        if self.peek()[1] not in _CMP or self.peek()[0] != "op":
            return left
        op, right = _CMP[self.take()[1]], self.operand()
        if self.peek()[1] in _CMP and self.peek()[0] == "op":
            raise FormError(t("forms.feel_chained"))
        def wrap(side: str) -> str:  # not(...) is one value in FEEL
            return f"({side})" if side.endswith(" is False") else side

        return f"{wrap(left)} {op} {wrap(right)}"

    def group(self) -> str:
        inner = self.expression()
        if self.take() != ("op", ")"):
            raise FormError(t("forms.feel_unclosed"))
        return f"({inner})"

    def operand(self) -> str:
        kind, text = self.take()
        if (kind, text) == ("op", "("):
            return self.group()
        if (kind, text) == ("word", "not"):
            if self.take() != ("op", "("):
                raise FormError(t("forms.feel_not"))
            return f"{self.group()} is False"  # not(null) is null in FEEL, which must not hide; `not None` is True
        if kind == "name" and self.peek() == ("op", "("):
            raise FormError(t("forms.feel_call", name=text))
        if kind == "num" or (text == "-" and self.peek()[0] == "num"):
            text = "-" + self.take()[1] if text == "-" else text
            return repr(float(text)) if "." in text else str(int(text))  # int() drops leading zeros Python refuses
        if kind in ("name", "str"):
            return text if kind == "name" else repr(text)
        if text in ("true", "false", "null"):
            return _WORDS[text]
        raise FormError(_unexpected((kind, text)))


def _unexpected(token: tuple[str, str]) -> Text:
    kind, text = token
    if kind == "end":
        return t("forms.feel_incomplete")
    if text == "-":
        return _REFUSED["-"]
    if kind == "name":
        return t("forms.feel_unexpected_name", name=repr(text))
    return t("forms.feel_unexpected", token=repr(text))


def feel_to_expression(feel: str) -> str:
    """Translate a condition in the FEEL subset (module docstring) to a restricted expression."""
    if not isinstance(feel, str):
        raise FormError(t("forms.feel_not_text"))
    text = feel.strip().removeprefix("=")
    if len(text) > expressions.MAX_TEXT:
        raise FormError(t("forms.feel_too_long", limit=expressions.MAX_TEXT))
    parser = _FeelParser(_feel_tokens(text))
    if parser.peek()[0] == "end":
        raise FormError(t("forms.feel_empty"))
    result = parser.expression()
    if parser.peek()[0] != "end":
        raise FormError(_unexpected(parser.peek()))
    try:
        expressions.check(result, functions=())
    except expressions.ExpressionError as error:
        said = getattr(error, "text", None)  # a Text where the expression's errors have one
        raise FormError(t("forms.feel_unusable", error=said if isinstance(said, Text) else str(error))) from None
    return result
