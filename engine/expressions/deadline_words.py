"""A timer expression in Russian words, for the procedure card and the regions' comparison.

A regulator reads "9 рабочих часов с момента выявления", not ``working_hours(9, since=detected_at)``.
The expression is read with Python's ``ast`` in the shapes analysts write (engine.expressions is the
language); nothing is evaluated. A shape not recognised here is shown as the expression itself
("выражение: …"): wrong words about a deadline are worse than no words.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Collection, Mapping

from engine.expressions.language import ISO_DURATION, MAX_TEXT, ExpressionError, check

__all__ = ["SINCE_LABELS", "deadline_in_words", "expression_names", "plural"]

# The moments the diagrams record (engine messages and output parameters), in the genitive case:
# they follow "с момента …", "после …" and "рабочего дня …".
SINCE_LABELS: Mapping[str, str] = {
    "detected_at": "выявления",
    "posted_at": "размещения сообщения",
    "received_at": "получения от куратора",
    "registered_at": "регистрации",
}

# (one, two to four, five and more, a fraction): "1 рабочий час", "2 рабочих часа", "5 рабочих часов",
# "1,5 рабочего часа". Feminine nouns take the nominative plural after 2–4: "2 рабочие минуты".
_WORKING_UNITS: Mapping[str, tuple[str, str, str, str]] = {
    "working_hours": ("рабочий час", "рабочих часа", "рабочих часов", "рабочего часа"),
    "working_minutes": ("рабочая минута", "рабочие минуты", "рабочих минут", "рабочей минуты"),
    "working_days": ("рабочий день", "рабочих дня", "рабочих дней", "рабочего дня"),
}
_CALENDAR_UNITS: Mapping[str, tuple[str, str, str, str]] = {
    "Y": ("год", "года", "лет", "года"),
    "MO": ("месяц", "месяца", "месяцев", "месяца"),
    "W": ("неделя", "недели", "недель", "недели"),
    "D": ("день", "дня", "дней", "дня"),
    "H": ("час", "часа", "часов", "часа"),
    "MI": ("минута", "минуты", "минут", "минуты"),
    "S": ("секунда", "секунды", "секунд", "секунды"),
}
_ISO_PART = re.compile(r"(\d+(?:[.,]\d+)?)([YMWDHS])")
_CATALOGUE = frozenset({*_WORKING_UNITS, "now"})

Number = int | float


def plural(number: Number, forms: tuple[str, str, str, str]) -> str:
    """The noun form after a number: 1, 21 → forms[0]; 2–4, 22 → forms[1]; 5–20, 25 → forms[2]; 1,5 → forms[3]."""
    if isinstance(number, float) and not number.is_integer():
        return forms[3]
    whole = abs(int(number))
    if whole % 10 == 1 and whole % 100 != 11:
        return forms[0]
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return forms[1]
    return forms[2]


def _number_text(number: Number) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number).replace(".", ",")  # Russian decimal comma


def _quantity(number: Number, forms: tuple[str, str, str, str]) -> str:
    return f"{_number_text(number)} {plural(number, forms)}"


def _fallback(expression: str) -> str:
    return f"выражение: {expression.strip()}"


def _calendar_words(source: str) -> str:
    date, _, time = source[1:].partition("T")
    parts: list[str] = []
    for text, scope in ((date, "date"), (time, "time")):
        for amount, unit in _ISO_PART.findall(text):
            key = ("MO" if scope == "date" else "MI") if unit == "M" else unit
            value: Number = float(amount.replace(",", ".")) if ("." in amount or "," in amount) else int(amount)
            parts.append(_quantity(value, _CALENDAR_UNITS[key]))
    return " ".join(parts) + " (календарное время)"


def _literal_number(node: ast.AST) -> Number | None:
    """A whole or decimal number written literally, possibly negative; None for anything else."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _literal_number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and (type(node.value) is int or type(node.value) is float):  # not bool
        return node.value
    return None


def _default_number(text: str | None) -> Number | None:
    """A parameter's default (a process property holds it as expression text) if it is a plain number."""
    if text is None:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _literal_number(tree.body)


def _since_label(node: ast.AST | None) -> str | None:
    """The label of the moment counted from; None when the count starts with the step (or since=None)."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    if isinstance(node, ast.Name):
        return SINCE_LABELS.get(node.id, node.id)
    raise ValueError("since must name a recorded moment")


def _span(function: str, number: Number, since: str | None) -> str:
    """'9 рабочих часов с момента выявления', or the end-of-day wording that working_days() actually means."""
    forms = _WORKING_UNITS[function]
    if function == "working_days" and number == 0:
        # working_days(0, since) is the end of the same working day (engine.calendar.workingtime).
        return f"до конца рабочего дня {since}" if since else "до конца рабочего дня начала шага"
    if function == "working_days" and number == 1:
        return f"до конца следующего рабочего дня после {since or 'начала шага'}"
    start = f"с момента {since}" if since else "с начала шага"
    return f"{_quantity(number, forms)} {start}"


def _unknown_span(function: str, name: str, since: str | None, labels: Mapping[str, str] | None = None) -> str:
    start = f"с момента {since}" if since else "с начала шага"
    if labels is not None:  # for people: no variable name (issue 16)
        return f"заданное в деле число {_WORKING_UNITS[function][2]} {start}"
    return f"{name} {_WORKING_UNITS[function][2]} {start}"


def _qualifier(name: str, case_values: Collection[str], labels: Mapping[str, str] | None = None) -> str:
    # A value a person sets in the case (Orenburg п. 6: the curator shortens answer_hours) is not a
    # parameter of the diagram; calling it one would tell the regulator the act leaves it open.
    if labels is not None:  # for people: the parameter's declared label, never the variable's name
        label = labels.get(name)
        if name in case_values:
            return f"«{label}» задаётся в деле" if label else "задаётся в деле"
        return f"параметр «{label}»" if label else "параметр процедуры"
    return f"{name} задаётся в деле" if name in case_values else f"параметр {name}"


def _amount_words(function: str, amount: ast.AST, since: str | None, variables: Mapping[str, str],
                  case_values: Collection[str], labels: Mapping[str, str] | None = None) -> str | None:
    number = _literal_number(amount)
    if number is not None:
        return _span(function, number, since) if number >= 0 else None
    if isinstance(amount, ast.Name):
        default = _default_number(variables.get(amount.id))
        if default is None or default < 0:
            if labels is not None:
                return _unknown_span(function, amount.id, since, labels)
            return f"{_unknown_span(function, amount.id, since)} (значение {amount.id} из дела)"
        words = _span(function, default, since)
        if amount.id in case_values:
            return f"{words} (по умолчанию; {_qualifier(amount.id, case_values, labels)})"
        return f"{words} ({_qualifier(amount.id, case_values, labels)}, по умолчанию)"
    if isinstance(amount, ast.BinOp) and isinstance(amount.op, (ast.Sub, ast.Add)) and isinstance(amount.left, ast.Name):
        # "answer_hours - 4": a step due some time before (or after) another, adjustable deadline (Orenburg п. 9).
        offset = _literal_number(amount.right)
        if offset is None or offset <= 0:
            return None
        name = amount.left.id
        default = _default_number(variables.get(name))
        base = (_span(function, default, since) if default is not None and default >= 0
                else _unknown_span(function, name, since, labels))
        relation = "за {} до истечения срока" if isinstance(amount.op, ast.Sub) else "через {} после истечения срока"
        head = relation.format(_quantity(offset, _WORKING_UNITS[function]))
        qualifier = "задаётся в деле" if name in case_values else "параметр"
        if labels is not None:  # the deadline's label in quotes, or none: never the variable's name
            name = f"«{labels[name]}»" if labels.get(name) else ""
        head = f"{head} {name}" if name else head
        if default is None:
            return f"{head} ({qualifier}; {base})"
        return f"{head} ({qualifier}, по умолчанию {base})"
    return None


def _org_words(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f" (по графику работы организации {node.id})"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return f" (по графику работы организации {node.value})"
    raise ValueError("org must name an organisation")


def deadline_in_words(expression: str, variables: Mapping[str, str], case_values: Collection[str] = (),
                      labels: Mapping[str, str] | None = None) -> str:
    """Russian words for a timer expression.

    ``variables`` are the diagram's parameters (process properties ``var.<name>`` → default text);
    ``case_values`` names variables that a form sets during the case, so they are described as set
    in the case rather than as diagram parameters. An unrecognised shape gives "выражение: <text>".
    ``labels`` (variable → what people call it): given, the words name no variable — a parameter
    reads by its label or as «параметр процедуры» (the card and the comparison, issue 16).
    """
    if not isinstance(expression, str):
        return _fallback(str(expression))
    source = expression.strip()
    try:
        check(source, _CATALOGUE)  # what the engine would refuse is not described as a deadline
    except ExpressionError:
        return _fallback(source)
    if ISO_DURATION.match(source):
        return _calendar_words(source)
    try:
        body = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _fallback(source)
    if not (isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id in _WORKING_UNITS):
        return _fallback(source)
    keywords = {k.arg: k.value for k in body.keywords}
    if len(body.args) != 1 or None in keywords or not set(keywords) <= {"since", "org"}:
        return _fallback(source)
    try:
        since = _since_label(keywords.get("since"))
        org = _org_words(keywords["org"]) if "org" in keywords else ""
    except ValueError:
        return _fallback(source)
    words = _amount_words(body.func.id, body.args[0], since, variables, case_values, labels)
    return _fallback(source) if words is None else words + org


def expression_names(expression: str) -> frozenset[str]:
    """Variable names an expression reads (not the functions it calls); empty for a duration or bad text."""
    source = expression.strip() if isinstance(expression, str) else ""
    if not source or len(source) > MAX_TEXT or ISO_DURATION.match(source):
        return frozenset()
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called)
