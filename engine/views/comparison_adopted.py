"""A procedure adopted from a template, beside the template it came from, for the regulator's comparison.

A municipality's adopted procedure is the template's diagram with its own parameter values (the
``var.<name>`` defaults, engine.templates). The regulator wants to see which template and version it
follows and where the municipality chose differently from the template's defaults: this module reads
both diagrams — the adopted one and the template version it was generated from — and says which
parameters differ (engine.views.comparison marks the cells they change, each beside the template's
own cell, so "2 working days" is read beside the template's "1 working day").

The parameters are those the template declares (``param.<name>.*`` properties); a template declaring
none counts each of its ``var.*`` defaults. Values are compared as the expressions they are
(``'official'`` and ``"official"``, ``1`` and ``1.0`` agree), not as text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn.reader import Diagram, read_diagram
from engine.expressions.deadline_words import plural
from engine.expressions.language import ExpressionError, evaluate
from engine.models import Deployment
from engine.texts import current_language, t

__all__ = ["Adopted", "Differs", "adopted_from", "parameter_names", "shown_value", "template_of", "with_unit"]

PARAMETER_PREFIX = "param."


@dataclass(frozen=True)
class Differs:
    """One parameter the municipality set differently from the template's default, as people read them."""
    name: str
    value: str
    default: str
    label: str = ""  # the template's declared label (param.<name>.label): what people read, not the name


@dataclass(frozen=True)
class Adopted:
    """What an adopted procedure's column says about its template."""
    template: str  # the template's process id
    version: int  # the template version adopted
    name: str  # the template's name
    differs: tuple[Differs, ...] = ()

    @property
    def names(self) -> frozenset[str]:
        return frozenset(d.name for d in self.differs)

    def label(self, name: str) -> str:
        """A differing parameter as people read it; a template that declared no label reads «параметр процедуры»."""
        found = next((d.label for d in self.differs if d.name == name), "")
        return found or str(t("compare.adopted.unlabelled"))


def parameter_names(template: Diagram) -> list[str]:
    """The template's parameters: declared ``param.<name>.*``, else every ``var.*`` default."""
    declared = {key[len(PARAMETER_PREFIX):].split(".", 1)[0] for key in template.properties
                if key.startswith(PARAMETER_PREFIX) and len(key) > len(PARAMETER_PREFIX)}
    names = declared or set(template.variables)
    return sorted(n for n in names if n)


def _value(expression: str) -> Any:
    """The value of a default as written; the text itself when it is not an expression."""
    try:
        return evaluate(expression, {}, {})
    except ExpressionError:
        return expression.strip()


def shown_value(expression: str | None, help_text: str = "") -> str:
    """A parameter's value as people read it: yes/no, a number, a word — «—» when absent. A choice's
    value reads as its template's help explains it ("official — уполномоченное должностное лицо; …"),
    so a regulator reads the performer, not the key."""
    if expression is None:
        return "—"
    value = _value(expression)
    if isinstance(value, bool):
        return str(t("compare.adopted.yes" if value else "compare.adopted.no"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value:
        return _explained(value, help_text) or value
    return str(value) if value != "" else "«»"


# A declared parameter's type (engine.bpmn.template_parameters.TYPES) → its unit's forms, per language.
_UNITS = {"ru": {"hours": ("рабочий час", "рабочих часа", "рабочих часов", "рабочего часа"),
                 "days": ("рабочий день", "рабочих дня", "рабочих дней", "рабочего дня")},
          "en": {"hours": ("working hour", "working hours", "working hours", "working hours"),
                 "days": ("working day", "working days", "working days", "working days")}}


def with_unit(value: str, kind: str) -> str:
    """«16 рабочих часов», not a bare «16», for a parameter of type hours or days."""
    unit = _UNITS.get(current_language(), _UNITS["ru"]).get(kind.strip())
    return f"{value} {plural(int(value), unit)}" if unit is not None and value.isdigit() else value


def _explained(value: str, help_text: str) -> str:
    """The words the help gives a choice's value («official — уполномоченное должностное лицо (…)»)."""
    for part in help_text.split(";"):
        key, dash, words = part.strip().partition(" — ")
        if dash and key.strip() == value:
            return words.split(" (", 1)[0].strip()
    return ""


def adopted_from(template_xml: str, procedure_xml: str, template: str, version: int) -> Adopted:
    """The adopted procedure's template and the parameters whose values differ from its defaults."""
    template_diagram, procedure = read_diagram(template_xml), read_diagram(procedure_xml)
    defaults, values = template_diagram.variables, procedure.variables
    differs = []
    declared = template_diagram.properties
    for name in parameter_names(template_diagram):
        default, value = defaults.get(name), values.get(name)
        if value is None and default is None:
            continue
        if value is None or default is None or _value(value) != _value(default):
            help_text = declared.get(f"{PARAMETER_PREFIX}{name}.help") or ""
            label = (declared.get(f"{PARAMETER_PREFIX}{name}.label") or "").strip()
            kind = declared.get(f"{PARAMETER_PREFIX}{name}.type") or ""
            differs.append(Differs(name, with_unit(shown_value(value, help_text), kind),
                                   with_unit(shown_value(default, help_text), kind), label))
    return Adopted(template, version, template_diagram.name, tuple(differs))



def template_of(session: Session, deployment: Deployment) -> tuple[str, str, int] | None:
    """(template XML, template process id, version) an adopted deployment was generated from; None
    for a procedure drawn on its own."""
    template, version = deployment.template_process_id, deployment.template_version
    if not template or version is None:
        return None
    xml = session.scalar(select(Deployment.bpmn_xml).where(Deployment.process_id == template,
                                                           Deployment.version == version))
    return (xml, template, version) if xml is not None else None
