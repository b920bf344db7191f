"""A template's parameters, declared in the diagram as process properties an analyst draws in
Camunda Modeler's "Extension properties" (no JSON to type).

A diagram is a **template** when its process declares ``template`` = ``true``: it deploys like a
procedure (versioned) but never runs; a municipality *adopts* it (engine.templates), which deploys
a procedure of its own generated from it. For each parameter ``<name>``:

* ``param.<name>.type`` — ``hours`` | ``days`` (whole working hours / days), ``boolean``,
  ``choice`` (one of ``param.<name>.choices``), ``text``; required;
* ``param.<name>.label``, ``param.<name>.help`` — what the adoption form says (label defaults to
  the name);
* ``param.<name>.choices`` — the allowed values of a ``choice``, comma-separated
  (``official, executor``);
* ``param.<name>.clause`` — the clause of the act the parameter implements;
* the default is the case variable's own declaration ``var.<name>`` (``8``, ``True``,
  ``'official'``), which a procedure generated from the template carries with the chosen value.

A generated procedure says where it came from: ``template.source`` (the template's process id) and
``template.version``. Pure functions over the process properties: no database, no XML.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from engine.bpmn.reader import VARIABLE_PREFIX
from engine.texts import Text, t

TEMPLATE_PROPERTY = "template"
SOURCE_PROPERTY = "template.source"
VERSION_PROPERTY = "template.version"
TEMPLATE_PROPERTIES = frozenset({TEMPLATE_PROPERTY, SOURCE_PROPERTY, VERSION_PROPERTY})
PARAM_PREFIX = "param."
ATTRIBUTES = ("type", "label", "help", "choices", "clause")
TYPES = ("hours", "days", "boolean", "choice", "text")
# Whole working hours / days a deadline parameter may take: more is a typo (a year of working days).
MAXIMUM = {"hours": 2000, "days": 250}
MAX_TEXT = 300
_TRUE, _FALSE = ("true", "yes", "1", "да"), ("false", "no", "0", "нет")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter. ``default`` is the value as people write it (``8``, ``true``,
    ``official``) — the template's default, or for an adopted procedure the value it chose."""

    name: str
    type: str
    label: str
    help: str
    choices: tuple[str, ...]
    default: str
    clause: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "label": self.label, "help": self.help,
                "choices": list(self.choices), "default": self.default, "clause": self.clause}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Parameter:
        return cls(str(data["name"]), str(data["type"]), str(data.get("label") or data["name"]),
                   str(data.get("help") or ""), tuple(data.get("choices") or ()), str(data.get("default") or ""),
                   str(data.get("clause") or ""))


class ParameterValueError(ValueError):
    """A value outside its parameter's declaration; ``text`` names the parameter."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text)


def is_template(properties: Mapping[str, str | None]) -> bool:
    return (properties.get(TEMPLATE_PROPERTY) or "").strip().lower() == "true"


def source_of(properties: Mapping[str, str | None]) -> tuple[str, int] | None:
    """(template process id, version) a generated procedure declares, None for any other diagram."""
    source = (properties.get(SOURCE_PROPERTY) or "").strip()
    version = (properties.get(VERSION_PROPERTY) or "").strip()
    return (source, int(version)) if source and version.isdigit() else None


def _names(properties: Mapping[str, str | None]) -> list[str]:
    found: list[str] = []
    for key in properties:
        if key.startswith(PARAM_PREFIX) and "." in key[len(PARAM_PREFIX):]:
            name = key[len(PARAM_PREFIX):].rsplit(".", 1)[0]
            if name not in found:
                found.append(name)
    return found


def _people_value(kind: str, expression: str) -> str:
    """``var.<name>``'s expression as people write the value; ValueError when it is not of ``kind``."""
    value = ast.literal_eval(expression.strip())
    if kind in MAXIMUM:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(expression)
        return str(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(expression)
        return "true" if value else "false"
    if not isinstance(value, str):
        raise ValueError(expression)
    return value


def _declared(properties: Mapping[str, str | None]) -> Iterator[tuple[Parameter | None, Text | None]]:
    def get(name: str, attribute: str) -> str:
        return (properties.get(f"{PARAM_PREFIX}{name}.{attribute}") or "").strip()

    for key in properties:
        if key.startswith(PARAM_PREFIX):
            rest = key[len(PARAM_PREFIX):]
            attribute = rest.rsplit(".", 1)[1] if "." in rest else ""
            if attribute not in ATTRIBUTES:
                yield None, t("templates.attribute_unknown", property=key, known=", ".join(ATTRIBUTES))
    for name in _names(properties):
        kind = get(name, "type")
        choices = tuple(c.strip() for c in get(name, "choices").split(",") if c.strip())
        default_expression = properties.get(VARIABLE_PREFIX + name)
        if not name.isidentifier() or name.startswith("_"):
            yield None, t("templates.name_invalid", name=name)
            continue
        if kind not in TYPES:
            yield None, t("templates.type_unknown" if kind else "templates.type_missing", name=name, value=kind,
                          types=", ".join(TYPES))
            continue
        if kind == "choice" and not choices:
            yield None, t("templates.choices_missing", name=name)
            continue
        if kind != "choice" and choices:
            yield None, t("templates.choices_not_choice", name=name)
            continue
        if not (default_expression or "").strip():
            yield None, t("templates.default_missing", name=name)
            continue
        try:
            default = _people_value(kind, default_expression or "")
        except (ValueError, SyntaxError):
            yield None, t("templates.default_mismatch", name=name, value=(default_expression or "").strip(),
                          type=t(f"templates.type.{kind}"))
            continue
        parameter = Parameter(name, kind, get(name, "label") or name, get(name, "help"), choices, default,
                              get(name, "clause"))
        try:
            normalise(parameter, default)
        except ParameterValueError as error:
            yield None, t("templates.default_refused", name=name, problem=error.text)
            continue
        yield parameter, None


def declared_parameters(properties: Mapping[str, str | None]) -> tuple[list[Parameter], list[Text]]:
    """The parameters a process declares (``param.*`` with ``var.*`` defaults), and what is wrong
    with the declarations, each problem naming the property to change."""
    parameters, problems = [], []
    for parameter, problem in _declared(properties):
        if parameter is not None:
            parameters.append(parameter)
        if problem is not None:
            problems.append(problem)
    flag = (properties.get(TEMPLATE_PROPERTY) or "").strip().lower()
    if TEMPLATE_PROPERTY in properties and flag not in ("true", "false"):
        problems.append(t("templates.flag_invalid", value=flag))
    source = (properties.get(SOURCE_PROPERTY) or "").strip()
    version = (properties.get(VERSION_PROPERTY) or "").strip()
    if bool(source) != bool(version) or (version and not version.isdigit()):
        problems.append(t("templates.source_invalid", source=source, version=version))
    if source and is_template(properties):
        problems.append(t("templates.template_from_template", source=source))
    return parameters, problems


def normalise(parameter: Parameter, raw: str) -> str:
    """``raw`` as the parameter's value is written (``true``, ``8``, ``official``); raises
    ParameterValueError naming the parameter for a value outside its declaration."""
    value = raw.strip()
    said = {"name": parameter.name, "label": parameter.label, "value": value[:60]}
    if parameter.type in MAXIMUM:
        if not value.isdigit():
            raise ParameterValueError(t("templates.value_not_number", **said, type=t(f"templates.type.{parameter.type}")))
        if int(value) > MAXIMUM[parameter.type]:
            raise ParameterValueError(t("templates.value_too_big", **said, limit=MAXIMUM[parameter.type]))
        return str(int(value))
    if parameter.type == "boolean":
        if value.lower() in _TRUE:
            return "true"
        if value.lower() in _FALSE:
            return "false"
        raise ParameterValueError(t("templates.value_not_boolean", **said))
    if parameter.type == "choice":
        if value not in parameter.choices:
            raise ParameterValueError(t("templates.value_not_choice", **said, choices=", ".join(parameter.choices)))
        return value
    if len(value) > MAX_TEXT or "\n" in value:
        raise ParameterValueError(t("templates.value_text", **said, limit=MAX_TEXT))
    return value


def expression(parameter: Parameter, value: str) -> str:
    """The ``var.<name>`` expression of a (normalised) value: ``8``, ``True``, ``'official'``."""
    if parameter.type in MAXIMUM:
        return str(int(value))
    if parameter.type == "boolean":
        return "True" if value == "true" else "False"
    return repr(value)
