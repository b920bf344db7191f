"""Element templates' constraints, enforced at deployment as Camunda Modeler enforces them on screen.

An element that applies a template (``camunda:modelerTemplate="otklik.deadline.working-hours"``)
must carry values the template allows: a field marked ``notEmpty`` is filled, a ``pattern``
matches, ``minLength``/``maxLength`` hold, a dropdown's value is one of its choices and a hidden
field keeps the template's value. The Modeler only shows these as red fields; a diagram saved
anyway, or edited by hand, would deploy with ``recipient="nobody"`` or an empty amount. The
templates are data (``bpmn/.camunda/element-templates/*.json``), read at deployment; no Python
names a template. Messages name the template and the field by the labels the analyst sees.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from engine.bpmn.namespaces import CAMUNDA, NS
from engine.settings import PROJECT_ROOT
from engine.texts import Text, t

TEMPLATE_DIR = PROJECT_ROOT / "bpmn" / ".camunda" / "element-templates"  # where Camunda Modeler finds them
_PREFIXES = {"camunda": CAMUNDA}


@dataclass(frozen=True)
class Finding:
    element: str | None
    text: Text


def load_templates(directory: Path = TEMPLATE_DIR) -> dict[tuple[str, int | None], dict[str, Any]]:
    """(template id, version) → template, from every ``*.json`` in ``directory`` (none when absent).
    A file that is not a template list is skipped: tests/deploy/test_element_templates.py checks
    the files themselves against Camunda's schema."""
    found: dict[tuple[str, int | None], dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for template in data if isinstance(data, list) else [data]:
            if isinstance(template, dict) and isinstance(template.get("id"), str):
                found[(template["id"], template.get("version"))] = template
    return found


def _attribute(name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return f"{{{_PREFIXES[prefix]}}}{local}" if prefix in _PREFIXES else local


def _value(element: etree._Element, binding: dict[str, Any]) -> str | None:
    """The value the XML holds for a template field's binding (None: not set, or a binding kind
    Otklik's templates do not use)."""
    kind, name = binding.get("type"), binding.get("name") or ""
    if kind == "property":
        return element.get(_attribute(name))
    if kind == "camunda:property":
        for node in element.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS):
            if node.get("name") == name:
                return node.get("value")
        return None
    if kind == "camunda:outputParameter":  # the field is the parameter's name; its text is the source
        for node in element.findall("bpmn:extensionElements/camunda:inputOutput/camunda:outputParameter", NS):
            if (node.text or "").strip() == (binding.get("source") or "").strip():
                return node.get("name")
        return None
    if kind == "camunda:inputParameter":
        for node in element.findall("bpmn:extensionElements/camunda:inputOutput/camunda:inputParameter", NS):
            if node.get("name") == name:
                return node.text or ""
        return None
    return None


def _field_problems(template: dict[str, Any], field: dict[str, Any], value: str | None) -> Iterable[Text]:
    binding = field.get("binding") or {}
    label = field.get("label") or binding.get("name") or binding.get("source") or "?"
    where = {"template": template.get("name") or template["id"], "field": label}
    constraints = field.get("constraints") or {}
    if field.get("type") == "Hidden":
        if "value" in field and value is not None and value != str(field["value"]):
            yield t("template.hidden_changed", **where, value=value, expected=field["value"])
        return
    if value is None or not value.strip():
        if constraints.get("notEmpty"):
            yield t("template.empty", **where)
        return
    choices = [str(c.get("value")) for c in field.get("choices") or [] if isinstance(c, dict)]
    if field.get("type") == "Dropdown" and choices and value not in choices:
        yield t("template.not_a_choice", **where, value=value, choices=", ".join(choices))
    pattern = constraints.get("pattern")
    if pattern is not None:
        regex = str(pattern.get("value") if isinstance(pattern, dict) else pattern)
        message = pattern.get("message") if isinstance(pattern, dict) else None
        try:
            matched = re.search(regex, value) is not None
        except re.error:
            matched = True  # a pattern Python cannot read is the template's problem, not the diagram's
        if not matched:
            yield t("template.pattern", **where, value=value, hint=message or t("template.pattern_hint", pattern=regex))
    if isinstance(constraints.get("minLength"), int) and len(value) < constraints["minLength"]:
        yield t("template.too_short", **where, limit=constraints["minLength"])
    if isinstance(constraints.get("maxLength"), int) and len(value) > constraints["maxLength"]:
        yield t("template.too_long", **where, limit=constraints["maxLength"])


def _marks(template: dict[str, Any]) -> list[tuple[str, str]]:
    """The hidden extension properties a template writes (``timer.function`` = ``working_hours``):
    they mark an element as built from it even when the Modeler's link to the template is gone."""
    return [(f["binding"]["name"], str(f["value"])) for f in template.get("properties") or []
            if isinstance(f, dict) and f.get("type") == "Hidden" and "value" in f
            and isinstance(f.get("binding"), dict) and f["binding"].get("type") == "camunda:property"]


def _template_of(element: etree._Element, templates: dict[tuple[str, int | None], dict[str, Any]]
                 ) -> tuple[dict[str, Any] | None, str | None]:
    """The template the element applies (or, unlinked, carries the marks of), and the id it names."""
    template_id = element.get(f"{{{CAMUNDA}}}modelerTemplate")
    if template_id is None:
        kind = f"bpmn:{etree.QName(element).localname[:1].upper()}{etree.QName(element).localname[1:]}"
        for template in templates.values():
            marks = _marks(template)
            if marks and kind in (template.get("appliesTo") or []) and all(
                    _value(element, {"type": "camunda:property", "name": n}) == v for n, v in marks):
                return template, None
        return None, None
    version_text = element.get(f"{{{CAMUNDA}}}modelerTemplateVersion")
    version = int(version_text) if version_text and version_text.isdigit() else None
    found = templates.get((template_id, version)) or next(
        (v for (tid, _), v in sorted(templates.items(), key=lambda kv: kv[0][1] or 0, reverse=True)
         if tid == template_id), None)
    return found, template_id


def template_findings(root: etree._Element, directory: Path = TEMPLATE_DIR) -> list[Finding]:
    """Every constraint the diagram's templated elements break, one finding per field."""
    templates = load_templates(directory)
    findings: list[Finding] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).namespace != NS["bpmn"]:
            continue
        template, named = _template_of(element, templates)
        eid = element.get("id")
        if template is None:
            if named is not None:
                findings.append(Finding(eid, t("template.unknown", template=named,
                                               known=", ".join(sorted({tid for tid, _ in templates})))))
            continue
        for field in template.get("properties") or []:
            if isinstance(field, dict) and isinstance(field.get("binding"), dict):
                value = _value(element, field["binding"])
                findings.extend(Finding(eid, text) for text in _field_problems(template, field, value))
    return findings
