"""A timer expression in words — Russian, or English for a reader of English — for the procedure
card and the regions' comparison.

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
from engine.texts import current_language

__all__ = ["SINCE_LABELS", "SINCE_LABELS_EN", "deadline_in_words", "expression_names", "plural"]

# The moments the diagrams record (engine messages and output parameters), in the genitive case:
# they follow "с момента …", "после …" and "рабочего дня …".
SINCE_LABELS: Mapping[str, str] = {
    "detected_at": "выявления",
    "posted_at": "размещения сообщения",
    "received_at": "получения от куратора",
    "registered_at": "регистрации",
}
# The same moments for a reader of English: they follow "since …", "after …" and "of the working day of …".
SINCE_LABELS_EN: Mapping[str, str] = {
    "detected_at": "detection",
    "posted_at": "the message's posting",
    "received_at": "receipt from the curator",
    "registered_at": "registration",
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
# English has one plural: (one, many, many, many) in the same four slots.
_WORKING_UNITS_EN: Mapping[str, tuple[str, str, str, str]] = {
    "working_hours": ("working hour", "working hours", "working hours", "working hours"),
    "working_minutes": ("working minute", "working minutes", "working minutes", "working minutes"),
    "working_days": ("working day", "working days", "working days", "working days"),
}
_CALENDAR_UNITS_EN: Mapping[str, tuple[str, str, str, str]] = {
    key: (one, many, many, many) for key, (one, many) in {
        "Y": ("year", "years"), "MO": ("month", "months"), "W": ("week", "weeks"), "D": ("day", "days"),
        "H": ("hour", "hours"), "MI": ("minute", "minutes"), "S": ("second", "seconds")}.items()}
# Every phrase the words are built of, by language; the reader's language is engine.texts'.
_PHRASES: Mapping[str, Mapping[str, str]] = {
    "ru": {
        "since": "с момента {since}", "step_start": "с начала шага",
        "day_end": "до конца рабочего дня {since}", "day_end_step": "до конца рабочего дня начала шага",
        "next_day_end": "до конца следующего рабочего дня после {since}", "the_step_start": "начала шага",
        "unknown_amount": "заданное в деле число {units} {start}", "case_set_label": "«{label}» задаётся в деле",
        "case_set": "задаётся в деле", "case_set_name": "{name} задаётся в деле",
        "parameter_label": "параметр «{label}»", "parameter_any": "параметр процедуры",
        "parameter_name": "параметр {name}", "parameter": "параметр", "case_value": "(значение {name} из дела)",
        "default_case": "{words} (по умолчанию; {qualifier})", "default_parameter": "{words} ({qualifier}, по умолчанию)",
        "before_end": "за {amount} до истечения срока", "after_end": "через {amount} после истечения срока",
        "quoted": "«{label}»", "relative_unknown": "{head} ({qualifier}; {base})",
        "relative": "{head} ({qualifier}, по умолчанию {base})",
        "schedule_of": " (по графику работы организации {org})", "calendar": "{parts} (календарное время)",
        "expression": "выражение: {expression}",
    },
    "en": {
        "since": "since {since}", "step_start": "from the start of the step",
        "day_end": "by the end of the working day of {since}", "day_end_step": "by the end of the step's first working day",
        "next_day_end": "by the end of the next working day after {since}", "the_step_start": "the start of the step",
        "unknown_amount": "as many {units} as set in the case {start}", "case_set_label": "“{label}” is set in the case",
        "case_set": "set in the case", "case_set_name": "{name} is set in the case",
        "parameter_label": "parameter “{label}”", "parameter_any": "procedure parameter",
        "parameter_name": "parameter {name}", "parameter": "parameter", "case_value": "(the value of {name} in the case)",
        "default_case": "{words} (by default; {qualifier})", "default_parameter": "{words} ({qualifier}, by default)",
        "before_end": "{amount} before the deadline", "after_end": "{amount} after the deadline",
        "quoted": "“{label}”", "relative_unknown": "{head} ({qualifier}; {base})",
        "relative": "{head} ({qualifier}, by default {base})",
        "schedule_of": " (on the working schedule of organisation {org})", "calendar": "{parts} (calendar time)",
        "expression": "expression: {expression}",
    },
}


def _english() -> bool:
    return current_language() == "en"


def _say(phrase: str, **values: object) -> str:
    return _PHRASES["en" if _english() else "ru"][phrase].format(**values)


def _working_units(function: str) -> tuple[str, str, str, str]:
    return (_WORKING_UNITS_EN if _english() else _WORKING_UNITS)[function]


_ISO_PART = re.compile(r"(\d+(?:[.,]\d+)?)([YMWDHS])")
_CATALOGUE = frozenset({*_WORKING_UNITS, "now"})

Number = int | float


def plural(number: Number, forms: tuple[str, str, str, str]) -> str:
    """The noun form after a number: 1, 21 → forms[0]; 2–4, 22 → forms[1]; 5–20, 25 → forms[2]; 1,5 → forms[3].
    In English only 1 takes forms[0] (21 working hours)."""
    if _english():
        return forms[0] if number == 1 else forms[2]
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
    return str(number) if _english() else str(number).replace(".", ",")  # Russian decimal comma


def _quantity(number: Number, forms: tuple[str, str, str, str]) -> str:
    return f"{_number_text(number)} {plural(number, forms)}"


def _fallback(expression: str) -> str:
    return _say("expression", expression=expression.strip())


def _calendar_words(source: str) -> str:
    date, _, time = source[1:].partition("T")
    parts: list[str] = []
    for text, scope in ((date, "date"), (time, "time")):
        for amount, unit in _ISO_PART.findall(text):
            key = ("MO" if scope == "date" else "MI") if unit == "M" else unit
            value: Number = float(amount.replace(",", ".")) if ("." in amount or "," in amount) else int(amount)
            parts.append(_quantity(value, (_CALENDAR_UNITS_EN if _english() else _CALENDAR_UNITS)[key]))
    return _say("calendar", parts=" ".join(parts))


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
        return (SINCE_LABELS_EN if _english() else SINCE_LABELS).get(node.id, node.id)
    raise ValueError("since must name a recorded moment")


def _span(function: str, number: Number, since: str | None) -> str:
    """'9 рабочих часов с момента выявления', or the end-of-day wording that working_days() actually means."""
    forms = _working_units(function)
    if function == "working_days" and number == 0:
        # working_days(0, since) is the end of the same working day (engine.calendar.workingtime).
        return _say("day_end", since=since) if since else _say("day_end_step")
    if function == "working_days" and number == 1:
        return _say("next_day_end", since=since or _say("the_step_start"))
    return f"{_quantity(number, forms)} {_start(since)}"


def _start(since: str | None) -> str:
    return _say("since", since=since) if since else _say("step_start")


def _unknown_span(function: str, name: str, since: str | None, labels: Mapping[str, str] | None = None) -> str:
    start = _start(since)
    if labels is not None:  # for people: no variable name (issue 16)
        return _say("unknown_amount", units=_working_units(function)[2], start=start)
    return f"{name} {_working_units(function)[2]} {start}"


def _qualifier(name: str, case_values: Collection[str], labels: Mapping[str, str] | None = None) -> str:
    # A value a person sets in the case (Orenburg п. 6: the curator shortens answer_hours) is not a
    # parameter of the diagram; calling it one would tell the regulator the act leaves it open.
    if labels is not None:  # for people: the parameter's declared label, never the variable's name
        label = labels.get(name)
        if name in case_values:
            return _say("case_set_label", label=label) if label else _say("case_set")
        return _say("parameter_label", label=label) if label else _say("parameter_any")
    return _say("case_set_name", name=name) if name in case_values else _say("parameter_name", name=name)


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
            return f"{_unknown_span(function, amount.id, since)} {_say('case_value', name=amount.id)}"
        words = _span(function, default, since)
        if amount.id in case_values:
            return _say("default_case", words=words, qualifier=_qualifier(amount.id, case_values, labels))
        return _say("default_parameter", words=words, qualifier=_qualifier(amount.id, case_values, labels))
    if isinstance(amount, ast.BinOp) and isinstance(amount.op, (ast.Sub, ast.Add)) and isinstance(amount.left, ast.Name):
        # "answer_hours - 4": a step due some time before (or after) another, adjustable deadline (Orenburg п. 9).
        offset = _literal_number(amount.right)
        if offset is None or offset <= 0:
            return None
        name = amount.left.id
        default = _default_number(variables.get(name))
        base = (_span(function, default, since) if default is not None and default >= 0
                else _unknown_span(function, name, since, labels))
        relation = "before_end" if isinstance(amount.op, ast.Sub) else "after_end"
        head = _say(relation, amount=_quantity(offset, _working_units(function)))
        qualifier = _say("case_set") if name in case_values else _say("parameter")
        if labels is not None:  # the deadline's label in quotes, or none: never the variable's name
            name = _say("quoted", label=labels[name]) if labels.get(name) else ""
        head = f"{head} {name}" if name else head
        if default is None:
            return _say("relative_unknown", head=head, qualifier=qualifier, base=base)
        return _say("relative", head=head, qualifier=qualifier, base=base)
    return None


def _org_words(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return _say("schedule_of", org=node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _say("schedule_of", org=node.value)
    raise ValueError("org must name an organisation")


def deadline_in_words(expression: str, variables: Mapping[str, str], case_values: Collection[str] = (),
                      labels: Mapping[str, str] | None = None) -> str:
    """Words for a timer expression, in the reader's language (engine.texts.current_language).

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
