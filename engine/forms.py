"""Camunda Forms (form-js JSON, ``*.form``) for user tasks: checked at deployment, enforced on submission.

Otklik renders forms itself, so deployment refuses anything the renderer cannot show or the server
cannot check: other component types, FEEL in properties, group ``path``, FEEL option lists.
Submissions are validated here; the browser is never trusted.

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

Submissions: ``pattern`` must match the whole value; text without ``maxLength`` is capped by
DEFAULT_MAX_LENGTH; read-only/disabled fields and keys not in the form are ignored, so a form cannot
set variables it does not show.
"""
from __future__ import annotations

import dataclasses
import json
import keyword
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

from engine import expressions
from engine.errors import InvalidSubmission

SUPPORTED_TYPES = frozenset({"textfield", "textarea", "number", "select", "radio", "checkbox", "checklist",
                             "datetime", "filepicker", "text", "group"})
INPUT_TYPES = SUPPORTED_TYPES - {"text", "group"}
CHOICE_TYPES = frozenset({"select", "radio", "checklist"})
MAX_FORM_BYTES = 256 * 1024
MAX_GROUP_DEPTH = 10
MAX_FILES = 50
DEFAULT_MAX_LENGTH: Mapping[str, int] = MappingProxyType({"textfield": 1_000, "textarea": 20_000})
_FORM_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_VALIDATION_TYPES = {"email": (re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"), "must be an email address"),
                     "phone": (re.compile(r"\+?[\d ()-]{5,25}"), "must be a phone number")}
_SUBTYPES: dict[str, tuple[Callable[[str], Any], str]] = {
    "date": (date.fromisoformat, "must be a date like 2024-05-31"),
    "time": (time.fromisoformat, "must be a time like 14:30"),
    "datetime": (datetime.fromisoformat, "must be a date and time like 2024-05-31T14:30"),
}
# Not FEEL in form-js (a pattern may well start with "="), or checked on their own.
_FEEL_EXEMPT = frozenset({"components", "conditional", "properties", "validate.pattern"})
_NO_OPTIONS: Mapping[str, Sequence[str]] = MappingProxyType({})


@dataclass(frozen=True)
class Field:
    """One input component; rules that are not set are None."""

    key: str
    type: str
    label: str = ""
    required: bool = False
    hide_if: str | None = None  # restricted expression (engine.expressions), enclosing groups' conditions included
    values: tuple[str, ...] | None = None  # static option values
    values_key: str | None = None  # name of a dynamic option list
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    decimal_digits: int | None = None
    validation_type: str | None = None  # "email" or "phone"
    subtype: str | None = None  # datetime: "date", "time" or "datetime"
    multiple: bool = False  # filepicker
    readonly: bool = False  # readonly or disabled: submitted values are ignored
    default: Any = None
    id: str = ""


@dataclass(frozen=True)
class FormDefinition:
    id: str
    schema: dict[str, Any]  # the parsed JSON, for the renderer
    fields: tuple[Field, ...]  # input components in order, groups expanded


class FormError(ValueError):
    """A form or condition is not acceptable. ``problems`` has one line per finding; str() is one line."""

    def __init__(self, problems: Sequence[str] | str, source: str = "<form>") -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        super().__init__("; ".join(self.problems))


class _Invalid(ValueError):
    """A submitted value is wrong; the message is shown next to the field."""


def _is_feel(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip().startswith("=")


def _q(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# --- FEEL subset -> restricted expression -------------------------------------------------------------

# Strings are whole tokens, so "a = b" inside a literal is never translated.
_TOKEN = re.compile(r'(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>\d+(?:\.\d+)?|\.\d+)|(?P<name>[^\W\d]\w*)'
                    r"|(?P<op>!=|<=|>=|[=<>()-])|(?P<other>\S)", re.S)
_WORDS = {"and": "and", "or": "or", "not": "not", "true": "True", "false": "False", "null": "None"}
_CMP = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "'": "'"}
_REFUSED = {token: message for tokens, message in (
    ("in", "'in' is not supported; write x = \"a\" or x = \"b\""),
    ("between", "'between' is not supported; write x >= 1 and x <= 5"),
    ("if then else", "if-then-else is not supported; combine comparisons with and/or"),
    ("some every satisfies for return", "some/every/for are not supported; compare fields directly"),
    ("function instance of", "functions and 'instance of' are not supported; compare with a value"),
    (".", "paths (a.b) are not supported; use the field key"),
    ("[ ] ,", "lists and filters ([...]) are not supported; join comparisons with or"),
    ("{ }", "contexts ({...}) are not supported"), ("'", "write text in double quotes"),
    ('"', "text is not closed; add the closing \""), ("@", "date literals (@\"...\") are not supported"),
    ("+ * / -", "arithmetic is not supported; compare values instead"),
) for token in tokens.split()}


def _unescape(match: re.Match[str]) -> str:
    if match.group(1) not in _ESCAPES:
        raise FormError(f"unsupported escape {match.group(0)!r} in text; use \\\" \\\\ \\n or \\t")
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
            raise FormError(f"unexpected character {token!r}")
        elif kind == "name" and keyword.iskeyword(token) and token not in _WORDS:
            raise FormError(f"{token!r} cannot be used as a name; write true, false or null, or rename the field")
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
        part = (lambda: self.expression("and")) if word == "or" else self.comparison
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
            raise FormError("chained comparisons are not supported; join two comparisons with and")
        wrap = lambda s: f"({s})" if s.endswith(" is False") else s  # noqa: E731 - not(...) is one value in FEEL
        return f"{wrap(left)} {op} {wrap(right)}"

    def group(self) -> str:
        inner = self.expression()
        if self.take() != ("op", ")"):
            raise FormError("a '(' is not closed; add ')'")
        return f"({inner})"

    def operand(self) -> str:
        kind, text = self.take()
        if (kind, text) == ("op", "("):
            return self.group()
        if (kind, text) == ("word", "not"):
            if self.take() != ("op", "("):
                raise FormError("write not(...) with parentheses")
            return f"{self.group()} is False"  # not(null) is null in FEEL, which must not hide; `not None` is True
        if kind == "name" and self.peek() == ("op", "("):
            raise FormError(f"function calls ({text}(...)) are not supported")
        if kind == "num" or (text == "-" and self.peek()[0] == "num"):
            text = "-" + self.take()[1] if text == "-" else text
            return repr(float(text)) if "." in text else str(int(text))  # int() drops leading zeros Python refuses
        if kind in ("name", "str"):
            return text if kind == "name" else repr(text)
        if text in ("true", "false", "null"):
            return _WORDS[text]
        raise FormError(_unexpected((kind, text)))


def _unexpected(token: tuple[str, str]) -> str:
    kind, text = token
    if kind == "end":
        return "the condition is incomplete; finish it, e.g. category = \"repeat\""
    if text == "-":
        return _REFUSED["-"]
    if kind == "name":
        return f"unexpected name {text!r}; names cannot contain spaces, join conditions with and/or"
    return f"unexpected {text!r}; write e.g. category = \"repeat\" and not(competent)"


def feel_to_expression(feel: str) -> str:
    """Translate a condition in the FEEL subset (module docstring) to a restricted expression."""
    if not isinstance(feel, str):
        raise FormError("a condition must be text, e.g. =category = \"repeat\"")
    text = feel.strip().removeprefix("=")
    if len(text) > expressions.MAX_TEXT:
        raise FormError(f"the condition is longer than {expressions.MAX_TEXT} characters; simplify it")
    parser = _FeelParser(_feel_tokens(text))
    if parser.peek()[0] == "end":
        raise FormError("the condition is empty; write e.g. =category = \"repeat\" or remove it")
    result = parser.expression()
    if parser.peek()[0] != "end":
        raise FormError(_unexpected(parser.peek()))
    try:
        expressions.check(result, functions=())
    except expressions.ExpressionError as error:
        raise FormError(f"the condition cannot be used: {error}") from None
    return result


# --- definition checks -------------------------------------------------------------------------------

class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.fields: list[Field] = []
        self.keys: dict[str, str] = {}  # key -> component that uses it

    def problem(self, what: str, where: str, change: str) -> None:
        self.problems.append(f"{what} (component {_q(where)}): {change}")

    def components(self, items: list[Any], hide: str | None, depth: int, path: str) -> None:
        for index, component in enumerate(items):
            if not isinstance(component, dict):
                self.problems.append(f"{path}[{index}] is not a component: export the form again from Camunda Modeler")
                continue
            name, kind = str(component.get("id") or component.get("key") or f"{path}[{index}]"), component.get("type")
            if not isinstance(kind, str) or kind not in SUPPORTED_TYPES:
                hint = "; the task page has its own submit button, remove this one" if kind == "button" else ""
                self.problem(f"component type {_q(kind)} is not supported by the Otklik renderer", name,
                             f"use one of: {', '.join(sorted(SUPPORTED_TYPES))}{hint}")
                continue
            self.dynamic_feel(component, name, "")
            condition = self.condition(component, name, hide)
            children = component.get("components", [])
            if kind == "group" and component.get("path"):
                self.problem("group 'path' is not supported", name, "clear the path so fields are saved at the top level")
            if kind == "group" and not isinstance(children, list):
                self.problem("group 'components' is not a list", name, "export the form again from Camunda Modeler")
            elif kind == "group" and depth >= MAX_GROUP_DEPTH:
                self.problem(f"groups are nested more than {MAX_GROUP_DEPTH} deep", name, "flatten the groups")
            elif kind == "group":
                self.components(children, condition, depth + 1, f"{path}[{index}].components")
            elif kind in INPUT_TYPES:
                self.field(component, kind, name, condition)

    def dynamic_feel(self, value: Any, name: str, path: str) -> None:
        if _is_feel(value):
            change = "use valuesKey with options from the procedure" if path == "valuesExpression" else "write a fixed value"
            self.problem(f"property '{path}' is a FEEL expression, which the Otklik renderer does not support", name, change)
        elif isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                sub = f"{path}[{key}]" if isinstance(value, list) else f"{path}.{key}" if path else str(key)
                if sub not in _FEEL_EXEMPT:
                    self.dynamic_feel(item, name, sub)

    def condition(self, component: dict[str, Any], name: str, outer: str | None) -> str | None:
        conditional = component.get("conditional")
        hide = conditional.get("hide") if isinstance(conditional, dict) else conditional
        if hide is None or hide == "":
            return outer
        try:
            own = feel_to_expression(hide)
            combined = own if outer is None else f"({outer}) or ({own})"  # a field in a hidden group is hidden
            expressions.check(combined, functions=())  # may exceed the size limits once groups are added
            return combined
        except (FormError, expressions.ExpressionError) as error:
            self.problem(f"conditional.hide {_q(hide)} is outside the supported FEEL subset", name, str(error))
            return outer

    def limit(self, rules: dict[str, Any], prop: str, name: str, whole: bool) -> Any:
        value = rules.get(prop)
        if value is None or value == "" or _is_feel(value):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or (whole and (value < 0 or not float(value).is_integer())):
            self.problem(f"{prop} {_q(value)} is not a {'whole number >= 0' if whole else 'number'}", name,
                         f"set {prop} to a number or clear it")
            return None
        return int(value) if whole else value

    def field(self, component: dict[str, Any], kind: str, name: str, hide: str | None) -> None:
        key = component.get("key")
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key) or key.startswith("_"):
            return self.problem(f"key {_q(key)} is not a valid field name", name,
                                "use letters, digits and _, starting with a letter, e.g. agency_name")
        if key in self.keys:
            return self.problem(f"key {_q(key)} is also used by component {_q(self.keys[key])}", name, "give each field its own key")
        self.keys[key] = name
        rules = component.get("validate") or {}
        if not isinstance(rules, dict):
            self.problem("'validate' is not an object", name, "export the form again from Camunda Modeler")
            rules = {}
        rules = {f"validate.{k}": v for k, v in rules.items()}
        if not isinstance(rules.get("validate.required", False), bool) and not _is_feel(rules["validate.required"]):
            self.problem("validate.required is not true or false", name, "tick or untick 'Required'")
        min_length, max_length = (self.limit(rules, f"validate.{p}", name, True) for p in ("minLength", "maxLength"))
        minimum, maximum = (self.limit(rules, f"validate.{p}", name, False) for p in ("min", "max"))
        if (min_length or 0) > (max_length if max_length is not None else math.inf) or \
                (minimum if minimum is not None else -math.inf) > (maximum if maximum is not None else math.inf):
            self.problem("validate.minLength/min is greater than the maximum", name, "swap or fix the limits")
        pattern = rules.get("validate.pattern") or None
        try:
            re.compile(pattern or "")
        except (re.error, TypeError) as error:
            detail = f"{error.msg} at position {error.pos}" if isinstance(error, re.error) else "not text"
            self.problem(f"validate.pattern {_q(pattern)} is not a valid regular expression ({detail})", name,
                         "fix the pattern (Python syntax; it must match the whole value)")
            pattern = None
        validation_type = rules.get("validate.validationType") or None
        if validation_type not in (None, "custom", "email", "phone"):  # tuple, not dict: the value may be unhashable
            self.problem(f"validate.validationType {_q(validation_type)} is not supported", name, "use email, phone or custom")
        subtype = component.get("subtype", "datetime") if kind == "datetime" else None
        if subtype is not None and (not isinstance(subtype, str) or subtype not in _SUBTYPES):
            self.problem(f"datetime subtype {_q(subtype)} is not supported", name, "use date, time or datetime")
            subtype = None
        values, values_key = self.options(component, kind, name) if kind in CHOICE_TYPES else (None, None)
        field = Field(
            key=key, type=kind, label=str(component.get("label") or component.get("dateLabel") or ""),
            required=rules.get("validate.required") is True, hide_if=hide, values=values, values_key=values_key,
            min_length=min_length, max_length=max_length, pattern=pattern, minimum=minimum, maximum=maximum,
            decimal_digits=self.limit(component, "decimalDigits", name, True) if kind == "number" else None,
            validation_type=validation_type if validation_type in ("email", "phone") else None, subtype=subtype,
            multiple=component.get("multiple") is True, id=name,
            readonly=component.get("readonly") is True or component.get("disabled") is True)
        default = component.get("defaultValue")
        if default is not None and not _is_feel(default):
            try:  # an empty default is fine even when required: the user fills the field in
                default = _clean(dataclasses.replace(field, required=False), default, values)
            except _Invalid as error:
                self.problem(f"defaultValue {_q(default)} is invalid: {error}", name, "change the default or the field's rules")
                default = None
        self.fields.append(dataclasses.replace(field, default=default))

    def options(self, component: dict[str, Any], kind: str, name: str) -> tuple[tuple[str, ...] | None, str | None]:
        values, values_key = component.get("values"), component.get("valuesKey")
        if values is not None and values_key is not None:
            self.problem("both 'values' and 'valuesKey' are set", name, "keep static options or a valuesKey, not both")
        elif values_key is not None and not (isinstance(values_key, str) and values_key.isidentifier()):
            self.problem(f"valuesKey {_q(values_key)} is not a valid name", name, "use a name such as agency_options")
        elif values_key is not None:
            return None, values_key
        elif values is not None and not (isinstance(values, list) and values and all(
                isinstance(v, dict) and isinstance(v.get("label"), str) and isinstance(v.get("value"), str) for v in values)):
            self.problem("'values' must be a non-empty list of options with a text label and value", name, "fix the options")
        elif values is not None and len({v["value"] for v in values}) < len(values):
            self.problem("two options have the same value", name, "give each option its own value")
        elif values is not None:
            return tuple(v["value"] for v in values), None
        elif "valuesExpression" not in component:  # a valuesExpression is already reported as FEEL
            self.problem(f"{kind} has no options", name, "add static options or set a valuesKey")
        return None, None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def parse_form(text: str, source: str = "<form>") -> FormDefinition:
    """Parse and check a .form file; raise FormError listing every problem."""
    if not isinstance(text, str):
        raise FormError("a form must be JSON text", source)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FORM_BYTES:
        raise FormError(f"the form is too large ({size} bytes, at most 256 KiB): split it or remove components", source)
    try:
        schema = json.loads(text.removeprefix("\ufeff"), parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise FormError(f"the form is not valid JSON ({error.msg} at line {error.lineno} column {error.colno}): "
                        "export it again from Camunda Modeler", source) from None
    except (ValueError, RecursionError) as error:
        raise FormError(f"the form is not valid JSON ({error}): export it again from Camunda Modeler", source) from None
    if not isinstance(schema, dict):
        raise FormError("the form is not a JSON object: export it again from Camunda Modeler", source)
    reader, form_id, components = _Reader(), schema.get("id"), schema.get("components")
    if not isinstance(form_id, str) or not _FORM_ID.fullmatch(form_id):
        what = "the form has no id" if form_id is None else f"form id {_q(form_id)} is invalid"
        reader.problems.append(f"{what}: set the form id in Camunda Modeler (letters, digits, _ . -); camunda:formRef refers to it")
    if not isinstance(components, list):
        reader.problems.append("the form has no 'components' list: export it again from Camunda Modeler")
    else:
        try:
            reader.components(components, None, 0, "components")
        except RecursionError:  # deeply nested JSON inside a component
            reader.problems.append("the form is nested too deeply: simplify it")
    if reader.problems:
        raise FormError(reader.problems, source)
    return FormDefinition(str(form_id), schema, tuple(reader.fields))


# --- submissions -------------------------------------------------------------------------------------

class _NullDefault(dict):  # type: ignore[type-arg]
    """Task data where a name with no value is null, as in FEEL, instead of an error."""

    def __missing__(self, key: str) -> None:
        return None


def _visible(form: FormDefinition, variables: dict[str, Any]) -> list[Field]:
    shown = []
    for field in form.fields:
        try:
            hidden = field.hide_if is not None and expressions.evaluate(field.hide_if, variables, {}) is True
        except expressions.ExpressionError:
            hidden = False  # FEEL gives null for an impossible comparison; null is not true
        if hidden:
            variables[field.key] = None  # later conditions see a hidden field as empty, as in form-js
        else:
            shown.append(field)
    return shown


def visible_fields(form: FormDefinition, data: Mapping[str, Any]) -> list[Field]:
    """The fields to show for this data, in order; a field missing from data holds its default or empty value."""
    initial = {f.key: f.default if f.default is not None else _empty_value(f.type) for f in form.fields}
    return _visible(form, _NullDefault({**initial, **data}))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, tuple)) and not value)


def _one_of(allowed: Sequence[Any] | None) -> str:
    if not allowed:
        return "no options are available; ask the administrator"
    return "must be one of: " + ", ".join(map(str, allowed)) if len(allowed) <= 10 else "must be one of the offered options"


def _text(field: Field, raw: Any, allowed: Sequence[Any] | None) -> str:
    limit = field.max_length if field.max_length is not None else DEFAULT_MAX_LENGTH[field.type]
    regex, message = _VALIDATION_TYPES.get(field.validation_type or "", (None, ""))
    problem = ("must be text" if not isinstance(raw, str)
               else "must not contain NUL characters" if "\x00" in raw  # PostgreSQL cannot store them
               else f"must be at most {limit} characters" if len(raw) > limit
               else f"must be at least {field.min_length} characters" if len(raw) < (field.min_length or 0)
               else "does not match the required format" if field.pattern and not re.fullmatch(field.pattern, raw)
               else message if regex and not regex.fullmatch(raw.strip()) else None)
    if problem:
        raise _Invalid(problem)
    return raw


def _number(field: Field, raw: Any, allowed: Sequence[Any] | None) -> int | float:
    value = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
    if isinstance(raw, str):  # HTML forms send text; int first so "9" stays 9, not 9.0
        text = raw.strip()
        value = int(text) if re.fullmatch(r"[+-]?\d{1,19}", text) else \
            float(text) if re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?", text) else None
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise _Invalid("must be a number")
    if abs(value) > expressions.MAX_INT:
        raise _Invalid("is too large")
    digits = field.decimal_digits
    if digits is not None and isinstance(value, float):
        if -Decimal(repr(value)).normalize().as_tuple().exponent > digits:  # type: ignore[operator]
            raise _Invalid("must be a whole number" if digits == 0 else f"must have at most {digits} digits after the point")
        value = int(value) if digits == 0 else value
    show = lambda n: int(n) if float(n).is_integer() else n  # noqa: E731 - "at least 1", not "1.0"
    if field.minimum is not None and value < field.minimum:
        raise _Invalid(f"must be at least {show(field.minimum)}")
    if field.maximum is not None and value > field.maximum:
        raise _Invalid(f"must be at most {show(field.maximum)}")
    return value


def _choice(field: Field, raw: Any, allowed: Sequence[Any] | None) -> str:
    if not isinstance(raw, str) or (allowed is not None and raw not in allowed):
        raise _Invalid(_one_of(allowed))
    return raw


def _checklist(field: Field, raw: Any, allowed: Sequence[Any] | None) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw  # one ticked box arrives as a single value
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
        raise _Invalid("must be a list of options")
    if allowed is not None and any(item not in allowed for item in items):
        raise _Invalid(_one_of(allowed))
    if len(set(items)) < len(items):
        raise _Invalid("must not list an option twice")
    return list(items)


def _checkbox(raw: Any) -> bool:
    text = raw.strip().lower() if isinstance(raw, str) else raw
    if _empty(raw) or text is False or text in ("false", "0", 0):  # browsers send nothing for an unticked box
        return False
    if text is True or text in ("true", "on", "1", 1):
        return True
    raise _Invalid("must be true or false")


def _datetime(field: Field, raw: Any, allowed: Sequence[Any] | None) -> str:
    parse, message = _SUBTYPES[field.subtype or "datetime"]
    try:
        if isinstance(raw, str) and len(raw) <= 64:
            return str(parse(raw.strip()).isoformat())
    except ValueError:
        pass
    raise _Invalid(message)


def _files(field: Field, raw: Any, allowed: Sequence[Any] | None) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) and i.strip() and len(i) <= 1_000 for i in items):
        raise _Invalid("must be a list of file references")
    if len(items) > (MAX_FILES if field.multiple else 1):
        raise _Invalid(f"must be at most {MAX_FILES} files" if field.multiple else "must be a single file")
    return list(items)


_CLEANERS: dict[str, Callable[[Field, Any, Sequence[Any] | None], Any]] = {
    "textfield": _text, "textarea": _text, "number": _number, "select": _choice, "radio": _choice,
    "checklist": _checklist, "datetime": _datetime, "filepicker": _files,
}


def _empty_value(kind: str) -> Any:
    """What an empty optional field saves: "", [], False or None, so gateways can always test it."""
    return {"textfield": "", "textarea": "", "checklist": [], "filepicker": [], "checkbox": False}.get(kind)


def _clean(field: Field, raw: Any, allowed: Sequence[Any] | None) -> Any:
    """The value to save for one field, or _Invalid."""
    if field.type == "checkbox":
        ticked = _checkbox(raw)
        if field.required and not ticked:  # a required box (e.g. consent) must be ticked
            raise _Invalid("required")
        return ticked
    if _empty(raw):
        if field.required:
            raise _Invalid("required")
        return _empty_value(field.type)
    return _CLEANERS[field.type](field, raw, allowed)


def _allowed(field: Field, options: Mapping[str, Sequence[Any]], context: Mapping[str, Any]) -> tuple[Any, ...] | None:
    if field.values is not None or field.values_key is None:
        return field.values
    # As in form-js, a valuesKey list may also come from the task data, as values or {label, value} items.
    source = options[field.values_key] if field.values_key in options else context.get(field.values_key)
    items = source if isinstance(source, (list, tuple)) else ()
    return tuple(item.get("value") if isinstance(item, Mapping) else item for item in items)


def validate_submission(form: FormDefinition, submitted: Mapping[str, Any], context: Mapping[str, Any],
                        options: Mapping[str, Sequence[str]] = _NO_OPTIONS) -> dict[str, Any]:
    """The cleaned values of the visible, editable fields; raise InvalidSubmission naming every bad field."""
    results: dict[str, tuple[bool, Any]] = {}
    variables = _NullDefault(context)  # conditions see the submitted values, as the renderer did
    for field in form.fields:
        if field.readonly:
            continue  # the user cannot change it, so the workflow keeps its own value
        try:
            value = _clean(field, submitted.get(field.key), _allowed(field, options, context))
            results[field.key] = (True, value)
        except _Invalid as error:
            results[field.key], value = (False, str(error)), None
        variables[field.key] = value
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in _visible(form, variables):
        if field.key in results:
            ok, value = results[field.key]
            (cleaned if ok else errors)[field.key] = value
    if errors:
        raise InvalidSubmission(errors)
    return cleaned
