"""Checks of a form definition (form-js JSON, ``*.form``) at deployment: parse_form.

Otklik renders forms itself, so deployment refuses anything the renderer cannot show or the server
cannot check: other component types, FEEL in properties, group ``path``, FEEL option lists; and anything
past the bounds in ``limits`` (huge numbers or text, thousands of components or options, deep nesting,
patterns RE2 cannot run), each as one line naming the component.
"""
from __future__ import annotations

import dataclasses
import json
import keyword
import math
import re
from typing import Any

from engine.expressions import language as expressions
from engine.forms import compat, english_labels, page_properties, patterns
from engine.forms.feel import feel_to_expression
from engine.forms.limits import (
    MAX_COMPONENTS,
    MAX_DECIMAL_DIGITS,
    MAX_FORM_BYTES,
    MAX_FORM_ID,
    MAX_GROUP_DEPTH,
    MAX_JSON_DIGITS,
    MAX_KEY,
    MAX_NUMBER,
    MAX_OPTIONS,
    MAX_PROBLEMS,
    MAX_PROPERTY_TEXT,
    MAX_STATIC_TEXT,
    MAX_TEXT,
)
from engine.forms.model import Field, FormDefinition, FormError
from engine.forms.uploads import with_file_fields
from engine.forms.values import _SUBTYPES, _clean, _Invalid
from engine.texts import Text, t

SUPPORTED_TYPES = frozenset({"textfield", "textarea", "number", "select", "radio", "checkbox", "checklist",
                             "datetime", "filepicker", "text", "group"})
INPUT_TYPES = SUPPORTED_TYPES - {"text", "group"}
CHOICE_TYPES = frozenset({"select", "radio", "checklist"})
_FORM_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
# Not FEEL in form-js (a pattern may well start with "="), or checked on their own.
_FEEL_EXEMPT = frozenset({"components", "conditional", "properties", "validate.pattern"})
# Longest text a property may hold: MAX_PROPERTY_TEXT unless named here; None: checked on its own.
_LONGEST = {"text": MAX_STATIC_TEXT, "defaultValue": None, "validate.pattern": None, "conditional": None,
            "conditional.hide": None}
_MAX_PROPERTY_DEPTH = 10  # inside one component; form-js nests two levels (values[0].label)


def _is_feel(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip().startswith("=")


def _q(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


class _TooManyComponents(Exception):
    """Stops the walk: past MAX_COMPONENTS, one problem says it all."""


def _said(error: Exception) -> Text | str:
    """What an error from a condition says, as a Text when it has one (rendered with the problem)."""
    if isinstance(error, FormError) and len(error.problems) == 1:
        return error.problems[0]
    text = getattr(error, "text", None)
    return text if isinstance(text, Text) else str(error)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str | Text] = []
        self.fields: list[Field] = []
        self.keys: dict[str, str] = {}  # key -> component that uses it
        self.count = 0  # components seen, groups' included

    def problem(self, what: Text, where: str, change: Text | str) -> None:
        self.problems.append(t("forms.problem", what=what, where=_q(where), change=change))

    def components(self, items: list[Any], hide: str | None, depth: int, path: str) -> None:
        for index, component in enumerate(items):
            self.count += 1
            if self.count > MAX_COMPONENTS:
                raise _TooManyComponents
            if not isinstance(component, dict):
                self.problems.append(t("forms.not_a_component", where=f"{path}[{index}]"))
                continue
            name, kind = str(component.get("id") or component.get("key") or f"{path}[{index}]"), component.get("type")
            if not isinstance(kind, str) or kind not in SUPPORTED_TYPES:
                types = ", ".join(sorted(SUPPORTED_TYPES))
                self.problem(t("forms.type_unsupported", kind=_q(kind)), name,
                             t("forms.use_types_button" if kind == "button" else "forms.use_types", types=types))
                continue
            self.scan(component, name, "", feel=True, depth=0)
            condition = self.condition(component, name, hide)
            children = component.get("components", [])
            if kind == "group" and component.get("path"):
                self.problem(t("forms.group_path"), name, t("forms.group_path_change"))
            if kind == "group" and not isinstance(children, list):
                self.problem(t("forms.group_not_list"), name, t("forms.export_again"))
            elif kind == "group" and depth >= MAX_GROUP_DEPTH:
                self.problem(t("forms.groups_too_deep", limit=MAX_GROUP_DEPTH), name, t("forms.flatten_groups"))
            elif kind == "group":
                self.components(children, condition, depth + 1, f"{path}[{index}].components")
            elif kind in INPUT_TYPES:
                self.field(component, kind, name, condition)

    def scan(self, value: Any, name: str, path: str, feel: bool, depth: int) -> None:
        """Every property of a component, nested ones too, but not its child components: no dynamic FEEL
        (outside _FEEL_EXEMPT), no text longer than _LONGEST allows, no deep nesting."""
        longest = _LONGEST.get(path, MAX_PROPERTY_TEXT)
        if isinstance(value, str) and longest is not None and len(value) > longest:
            self.problem(t("forms.property_too_long", path=_q(path), limit=longest), name, t("forms.shorten"))
        elif feel and _is_feel(value):
            change = t("forms.use_values_key") if path == "valuesExpression" else t("forms.write_fixed")
            self.problem(t("forms.property_feel", path=path), name, change)
        elif isinstance(value, (dict, list)) and depth >= _MAX_PROPERTY_DEPTH:
            self.problem(t("forms.property_too_deep", path=_q(path), limit=_MAX_PROPERTY_DEPTH), name, t("forms.export_again"))
        elif isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                sub = f"{path}[{key}]" if isinstance(value, list) else f"{path}.{key}" if path else str(key)
                if sub != "components":  # children are components of their own
                    self.scan(item, name, sub, feel and sub not in _FEEL_EXEMPT, depth + 1)

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
            self.problem(t("forms.hide_unsupported", hide=_q(hide)), name, _said(error))
            return outer

    def limit(self, rules: dict[str, Any], prop: str, name: str, largest: int, whole: bool) -> Any:
        value = rules.get(prop)
        if value is None or value == "" or _is_feel(value):
            return None
        # Ints first: JSON gives any number of digits, and math.isfinite or float() of 10**400 raises.
        number = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
        if isinstance(value, bool) or not number or (whole and (value < 0 or value != int(value))):
            self.problem(t("forms.not_whole_limit" if whole else "forms.not_number_limit", prop=prop, value=_q(value)), name,
                         t("forms.set_number", prop=prop))
            return None
        if abs(value) > largest:
            self.problem(t("forms.out_of_range", prop=prop, value=_q(value)), name,
                         t("forms.use_range", low=0 if whole else -largest, high=largest))
            return None
        return int(value) if whole else value

    def pattern(self, pattern: Any, name: str) -> str | None:
        """The pattern if the RE2 that checks submissions runs it (linear time; see the patterns module)."""
        if pattern is None:
            return None
        try:
            patterns.compiled(pattern)
            return str(pattern)
        except patterns.PatternError as error:
            self.problem(t("forms.pattern_refused", pattern=_q(pattern), why=error.what), name, error.change)
            return None

    def field(self, component: dict[str, Any], kind: str, name: str, hide: str | None) -> None:
        key = component.get("key")
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key) or key.startswith("_"):
            return self.problem(t("forms.key_invalid", key=_q(key)), name, t("forms.key_change"))
        if len(key) > MAX_KEY:
            return self.problem(t("forms.key_too_long", key=_q(key), limit=MAX_KEY), name, t("forms.key_shorter"))
        if key in self.keys:
            return self.problem(t("forms.key_taken", key=_q(key), other=_q(self.keys[key])), name, t("forms.key_own"))
        self.keys[key] = name
        rules = component.get("validate") or {}
        if not isinstance(rules, dict):
            self.problem(t("forms.validate_not_object"), name, t("forms.export_again"))
            rules = {}
        rules = {f"validate.{k}": v for k, v in rules.items()}
        if not isinstance(rules.get("validate.required", False), bool) and not _is_feel(rules["validate.required"]):
            self.problem(t("forms.required_not_boolean"), name, t("forms.required_change"))
        min_length, max_length = (self.limit(rules, f"validate.{p}", name, MAX_TEXT, True) for p in ("minLength", "maxLength"))
        minimum, maximum = (self.limit(rules, f"validate.{p}", name, MAX_NUMBER, False) for p in ("min", "max"))
        if (min_length or 0) > (max_length if max_length is not None else math.inf) or \
                (minimum if minimum is not None else -math.inf) > (maximum if maximum is not None else math.inf):
            self.problem(t("forms.min_above_max"), name, t("forms.fix_limits"))
        pattern = self.pattern(rules.get("validate.pattern") or None, name)
        validation_type = rules.get("validate.validationType") or None
        if validation_type not in (None, "custom", "email", "phone"):  # tuple, not dict: the value may be unhashable
            self.problem(t("forms.validation_type", value=_q(validation_type)), name, t("forms.validation_type_change"))
        subtype = component.get("subtype", "datetime") if kind == "datetime" else None
        if subtype is not None and (not isinstance(subtype, str) or subtype not in _SUBTYPES):
            self.problem(t("forms.subtype", value=_q(subtype)), name, t("forms.subtype_change"))
            subtype = None
        values, values_key = self.options(component, kind, name) if kind in CHOICE_TYPES else (None, None)
        field = Field(
            key=key, type=kind, label=str(component.get("label") or component.get("dateLabel") or ""),
            required=rules.get("validate.required") is True, hide_if=hide, values=values, values_key=values_key,
            min_length=min_length, max_length=max_length, pattern=pattern, minimum=minimum, maximum=maximum,
            decimal_digits=self.limit(component, "decimalDigits", name, MAX_DECIMAL_DIGITS, True) if kind == "number" else None,
            validation_type=validation_type if validation_type in ("email", "phone") else None, subtype=subtype,
            multiple=component.get("multiple") is True, id=name,
            readonly=component.get("readonly") is True or component.get("disabled") is True)
        default = component.get("defaultValue")
        if default is not None and not _is_feel(default):
            try:  # an empty default is fine even when required: the user fills the field in
                default = _clean(dataclasses.replace(field, required=False), default, values)
            except _Invalid as error:
                self.problem(t("forms.default_invalid", value=_q(default), error=error.text), name, t("forms.default_change"))
                default = None
        self.fields.append(dataclasses.replace(field, default=default))

    def options(self, component: dict[str, Any], kind: str, name: str) -> tuple[tuple[str, ...] | None, str | None]:
        values, values_key = component.get("values"), component.get("valuesKey")
        if values is not None and values_key is not None:
            self.problem(t("forms.values_and_key"), name, t("forms.values_or_key"))
        elif values_key is not None and not (isinstance(values_key, str) and values_key.isidentifier()):
            self.problem(t("forms.values_key_invalid", value=_q(values_key)), name, t("forms.values_key_change"))
        elif values_key is not None:
            return None, values_key
        elif isinstance(values, list) and len(values) > MAX_OPTIONS:
            self.problem(t("forms.too_many_options", count=len(values), limit=MAX_OPTIONS), name, t("forms.options_change"))
        elif values is not None and not (isinstance(values, list) and values and all(
                isinstance(v, dict) and isinstance(v.get("label"), str) and isinstance(v.get("value"), str) for v in values)):
            self.problem(t("forms.values_malformed"), name, t("forms.fix_options"))
        elif values is not None and len({v["value"] for v in values}) < len(values):
            self.problem(t("forms.values_repeated"), name, t("forms.values_own"))
        elif values is not None:
            return tuple(v["value"] for v in values), None
        elif "valuesExpression" not in component:  # a valuesExpression is already reported as FEEL
            self.problem(t("forms.no_options_defined", kind=kind), name, t("forms.add_options"))
        return None, None


def _no_constant(name: str) -> Any:
    raise ValueError(t("forms.json_constant", name=name))


def _whole_number(digits: str) -> int:
    if len(digits) > MAX_JSON_DIGITS:  # int() of more digits is quadratic where the interpreter's limit is lifted
        raise ValueError(t("forms.json_digits", limit=MAX_JSON_DIGITS))
    return int(digits)


def parse_form(text: str, source: str = "<form>", deploying: bool = False) -> FormDefinition:
    """Parse and check a .form file; raise FormError listing every problem. ``deploying``: also what
    form-js's schema and Camunda 7's form linter refuse that matters here (engine.forms.compat) —
    only for a form being deployed, so a version deployed before keeps loading."""
    if not isinstance(text, str):
        raise FormError(t("forms.not_json_text"), source)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FORM_BYTES:
        raise FormError(t("forms.form_too_large", size=size), source)
    try:
        schema = json.loads(text.removeprefix("\ufeff"), parse_constant=_no_constant, parse_int=_whole_number)
    except json.JSONDecodeError as error:
        # error.msg is the json module's own English ("Expecting value")
        raise FormError(t("forms.bad_json_at", error=error.msg, line=error.lineno, column=error.colno), source) from None
    except RecursionError:  # the parser's stack, whose depth depends on the caller's
        raise FormError(t("forms.too_deep_export"), source) from None
    except ValueError as error:
        said = error.args[0] if error.args and isinstance(error.args[0], Text) else str(error)
        raise FormError(t("forms.bad_json", error=said), source) from None
    if not isinstance(schema, dict):
        raise FormError(t("forms.not_object"), source)
    reader, form_id, components = _Reader(), schema.get("id"), schema.get("components")
    if not isinstance(form_id, str) or len(form_id) > MAX_FORM_ID or not _FORM_ID.fullmatch(form_id):
        reader.problems.append(t("forms.no_id", limit=MAX_FORM_ID) if form_id is None
                               else t("forms.bad_id", form_id=_q(form_id), limit=MAX_FORM_ID))
    if not isinstance(components, list):
        reader.problems.append(t("forms.no_components"))
    else:
        try:
            for what, where, change in compat.problems(schema) if deploying else ():
                reader.problem(what, where, change)
            # A Camunda 7 form declares a file field as a textfield with custom properties (uploads).
            declared: list[tuple[Text, str, Text]] = []
            components = with_file_fields(components, "components", declared)
            schema = {**schema, "components": components}
            for what, where, change in declared:
                reader.problem(what, where, change)
            for what, where, change in page_properties.problems(components):  # startsWith, excludes
                reader.problem(what, where, change)
            for what, where, change in english_labels.problems(components):  # label.en.<value>
                reader.problem(what, where, change)
            reader.components(components, None, 0, "components")
        except RecursionError:  # deeply nested JSON inside a component
            reader.problems.append(t("forms.too_deep_simplify"))
        except _TooManyComponents:
            reader.problems.append(t("forms.too_many_components", limit=MAX_COMPONENTS))
    if len(reader.problems) > MAX_PROBLEMS:  # one line each, and a page or a terminal of them is enough
        unlisted = len(reader.problems) - MAX_PROBLEMS
        reader.problems[MAX_PROBLEMS:] = [t("forms.more_problems", count=unlisted)]
    if reader.problems:
        raise FormError(reader.problems, source)
    return FormDefinition(str(form_id), schema, tuple(reader.fields))
