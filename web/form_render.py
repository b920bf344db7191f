"""Camunda Forms (form-js JSON) turned into widgets for the Jinja macros in templates/forms/.

Presentation only: which input a component becomes, its value as the browser should show it, its
error in the request's language (the engine's field errors are Texts, engine.texts.forms). What is
valid and what is hidden is the engine's (engine.forms, engine.runtime.task_forms); how a submission
is read — which file ids a form may keep — is engine.runtime.completion's.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.forms import FormDefinition
from engine.forms.page_properties import EXCLUDES
from engine.runtime.task_forms import Option, component_name, components
from engine.texts import Text, render

_INPUT_TYPES = {"textfield", "textarea", "number", "select", "radio", "checkbox", "checklist", "datetime", "filepicker"}
_DATETIME_INPUTS = {"date": "date", "time": "time", "datetime": "datetime-local"}
_DATETIME_WIDTH = {"date": 10, "time": 5, "datetime": 16}  # 2024-05-31T14:30[:00+05:00] → what the input takes


@dataclass
class Widget:
    """One component as the macros draw it."""

    type: str
    name: str  # the component's name (id), for conditions and tests
    html_id: str
    key: str | None = None
    label: str = ""
    description: str = ""
    paragraphs: list[str] = field(default_factory=list)  # text components
    required: bool = False
    readonly: bool = False
    hidden: bool = False
    hide_if: str | None = None  # the FEEL condition, for static/js/form.js
    value: Any = None  # str, list[str] or bool
    options: Sequence[Option] = ()
    kept_files: list[tuple[str, str]] = field(default_factory=list)  # filepicker: (id, name) already in the case
    files_lost: bool = False  # filepicker: files chosen before a failed check must be chosen again
    error: str | None = None
    autofocus: bool = False
    input_type: str = "text"
    attributes: dict[str, Any] = field(default_factory=dict)  # min, max, step, maxlength, accept, …
    # checklist with the form property ``excludes``: the key of the field whose chosen value it may not
    # also tick, and that value as the form starts (its option starts hidden; static/js/task_excludes.js
    # follows later choices; the server refuses it either way: engine/runtime/task_forms.py).
    excludes: str | None = None
    excluded_value: str | None = None
    children: list[Widget] = field(default_factory=list)

    @property
    def describedby(self) -> str:
        ids = [f"{self.html_id}-description"] if self.description else []
        ids += [f"{self.html_id}-error"] if self.error else []
        return " ".join(ids)


def _html_id(name: str) -> str:
    return "field-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _shown_value(kind: str, value: Any, subtype: str | None) -> Any:
    """A stored value as the input shows it."""
    if kind in ("checklist", "filepicker"):
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    if kind == "checkbox":
        return value is True or value in ("true", "on", "1")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "datetime" and isinstance(value, str):
        return value[:_DATETIME_WIDTH.get(subtype or "datetime", 16)]
    return str(value)


def _number_attributes(component: Mapping[str, Any]) -> dict[str, Any]:
    rules = component.get("validate") or {}
    digits = component.get("decimalDigits")
    attributes = {"inputmode": "decimal", "step": "any"}
    if isinstance(digits, int) and not isinstance(digits, bool) and 0 <= digits <= 10:
        attributes["step"] = "1" if digits == 0 else "0." + "0" * (digits - 1) + "1"
    for prop, attribute in (("min", "min"), ("max", "max")):
        if isinstance(rules.get(prop), (int, float)) and not isinstance(rules.get(prop), bool):
            attributes[attribute] = rules[prop]
    return attributes


def _text_attributes(component: Mapping[str, Any]) -> dict[str, Any]:
    rules = component.get("validate") or {}
    attributes: dict[str, Any] = {}
    if isinstance(rules.get("maxLength"), int) and not isinstance(rules.get("maxLength"), bool):
        attributes["maxlength"] = rules["maxLength"]
    if isinstance(rules.get("minLength"), int) and not isinstance(rules.get("minLength"), bool):
        attributes["minlength"] = rules["minLength"]
    return attributes


def _paragraphs(text: Any) -> list[str]:
    """Static text: one paragraph per blank-line-separated block (escaped by Jinja when drawn)."""
    blocks = re.split(r"\n\s*\n", str(text or "").strip())
    return [b.strip() for b in blocks if b.strip()]


def build(form: FormDefinition, values: Mapping[str, Any], options: Mapping[str, Sequence[Option]],
          hidden: frozenset[str], errors: Mapping[str, str | Text] | None = None, *,
          kept_files: Mapping[str, Sequence[str]] | None = None, files_lost: Sequence[str] = (),
          file_names: Mapping[str, str] | None = None) -> list[Widget]:
    """Widgets for the form's components; the first field with an error gets autofocus."""
    errors = errors or {}
    focus = {"done": False}

    def make(items: Sequence[Any], path: str) -> list[Widget]:
        widgets = []
        for index, component in enumerate(items if isinstance(items, list) else []):
            if not isinstance(component, dict):
                continue
            name = component_name(component, path, index)
            kind = str(component.get("type"))
            conditional = component.get("conditional")
            hide_if = conditional.get("hide") if isinstance(conditional, dict) else None
            widget = Widget(type=kind, name=name, html_id=_html_id(name), label=str(component.get("label") or ""),
                            description=str(component.get("description") or ""), hidden=name in hidden,
                            hide_if=hide_if if isinstance(hide_if, str) and hide_if else None)
            if kind == "text":
                widget.paragraphs = _paragraphs(component.get("text"))
            elif kind == "group":
                widget.children = make(component.get("components") or [], f"{path}[{index}].components")
            elif kind in _INPUT_TYPES and isinstance(component.get("key"), str):
                key = component["key"]
                subtype = component.get("subtype", "datetime") if kind == "datetime" else None
                widget.key = key
                widget.label = widget.label or str(component.get("dateLabel") or component.get("timeLabel") or key)
                widget.required = (component.get("validate") or {}).get("required") is True
                widget.readonly = component.get("readonly") is True or component.get("disabled") is True
                widget.value = _shown_value(kind, values.get(key), subtype)
                widget.options = tuple(options.get(key, ()))
                excludes = (component.get("properties") or {}).get(EXCLUDES) if kind == "checklist" else None
                if isinstance(excludes, str) and excludes:
                    chosen = values.get(excludes)
                    widget.excludes, widget.excluded_value = excludes, chosen if isinstance(chosen, str) else None
                if key in errors and not widget.hidden:
                    widget.error = render(errors[key])  # a Text in the request's language (engine.texts)
                    widget.autofocus = not focus["done"]
                    focus["done"] = True
                if kind == "number":
                    widget.input_type, widget.attributes = "number", _number_attributes(component)
                elif kind in ("textfield", "textarea"):
                    widget.attributes = _text_attributes(component)
                    validation_type = (component.get("validate") or {}).get("validationType")
                    widget.input_type = {"email": "email", "phone": "tel"}.get(validation_type, "text")
                elif kind == "datetime":
                    widget.input_type = _DATETIME_INPUTS.get(str(subtype), "datetime-local")
                elif kind == "filepicker":
                    widget.input_type = "file"
                    accept = component.get("accept")
                    widget.attributes = {"accept": accept} if isinstance(accept, str) and accept else {}
                    widget.attributes["multiple"] = component.get("multiple") is True
                    kept = (kept_files or {}).get(key, widget.value or [])
                    widget.kept_files = [(str(v), (file_names or {}).get(str(v), "")) for v in kept]
                    widget.files_lost = key in files_lost
                    widget.value = []
            else:
                continue
            widgets.append(widget)
        return widgets

    return make(form.schema.get("components") or [], "components")


_FEEL_WORDS = frozenset({"and", "or", "not", "true", "false", "null"})


def condition_context(form: FormDefinition, context: Mapping[str, Any]) -> dict[str, Any]:
    """The case variables (not form fields) that conditions name, for static/js/form.js: only
    those, and only plain values, so the page carries no more of the case than it shows."""
    names: set[str] = set()
    for component, _name, _depth in components(form.schema.get("components") or []):
        conditional = component.get("conditional")
        hide = conditional.get("hide") if isinstance(conditional, dict) else None
        if isinstance(hide, str):
            names |= set(re.findall(r"[^\W\d]\w*", re.sub(r'"(?:[^"\\]|\\.)*"', "", hide)))
    names -= _FEEL_WORDS | {f.key for f in form.fields}
    return {n: context[n] for n in sorted(names)
            if n in context and (context[n] is None or isinstance(context[n], (str, int, float, bool)))}
