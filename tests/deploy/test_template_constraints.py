"""Element templates' constraints hold at deployment, not only on the Modeler's screen.

A template is applied to bpmn/orenburg.bpmn as Camunda Modeler applies it (apply_template), then
one value is broken by hand, as an analyst saving a red field or editing the XML would. The
refusal names the template and the field by the labels the analyst sees in the Properties panel.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from engine.deployment.deployer import Source, library_forms, plan
from engine.deployment.template_constraints import template_findings
from engine.errors import DeploymentError
from tests.deploy.palette_variants import CAMUNDA, NS, Variant, build
from tests.deploy.test_element_templates import template_named
from tests.deploy.test_element_templates_apply import apply_template


def _property(v: Variant, element_id: str, name: str) -> etree._Element:
    [found] = v.element(element_id).xpath(".//camunda:property[@name=$name]", namespaces=NS, name=name)
    return found


def _applied(template: str, element_id: str, values: dict[str, str] | None = None,
             then: Callable[[Variant], object] = lambda v: None) -> bytes:
    def change(v: Variant) -> None:
        apply_template(v.root, element_id, template_named(template), values)
        then(v)
    return build(change)


def _deadline(v: Variant) -> None:
    # The timer the template builds replaces the typed one (engine.bpmn.timer_template).
    [typed] = v.element("routing_deadline").xpath(".//bpmn:timeDate", namespaces=NS)
    typed.text = ""


def _problems(data: bytes) -> list[str]:
    try:
        plan([Source("templated.bpmn", data)], library_forms())
    except DeploymentError as error:
        return [str(p) for p in error.problems]
    return []


DEADLINE = {"timer.amount": "30", "timer.since": "detected_at"}


def _set(element_id: str, name: str, value: str) -> Callable[[Variant], None]:
    def change(v: Variant) -> None:
        if element_id == "routing_deadline":
            _deadline(v)
        _property(v, element_id, name).set("value", value)
    return change


def test_templates_applied_as_the_modeler_does_deploy() -> None:
    assert _problems(_applied("Уведомить", "forward_threat", {"recipient": "authorities", "subject": "Угроза"})) == []
    assert _problems(_applied("Срок в рабочих минутах", "routing_deadline", DEADLINE, _deadline)) == []


@pytest.mark.parametrize(("template", "element", "values", "name", "value", "expected"), [
    ("Уведомить", "forward_threat", {"recipient": "authorities", "subject": "Угроза"}, "recipient", "nobody",
     "forward_threat: «Уведомить»: field «Кому»: «nobody» is not one of the choices (supervisor, governor, authorities, agency_head, "
     "deputy_governor, deputy_minister)"),
    ("Срок в рабочих минутах", "routing_deadline", DEADLINE, "timer.since", "foo_at",
     "routing_deadline: «Срок в рабочих минутах»: field «Считать от»: «foo_at» is not one of the choices "
     "(None, detected_at, posted_at, received_at, registered_at)"),
    ("Зафиксировать нарушение срока", "record_routing_violation", {"clause": "6", "deadline": "routing"},
     "clause", "", "record_routing_violation: «Зафиксировать нарушение срока»: field «Пункт регламента» is empty"),
    ("Срок в рабочих минутах", "routing_deadline", DEADLINE, "timer.amount", "  ",
     "routing_deadline: «Срок в рабочих минутах»: field «Рабочих минут» is empty"),
    ("Срок в рабочих минутах", "routing_deadline", DEADLINE, "timer.amount", "30 минут",
     "routing_deadline: «Срок в рабочих минутах»: field «Рабочих минут»: «30 минут» does not fit: Введите число (30) "
     "или имя параметра процесса (answer_hours, answer_hours - 4)"),
    ("Уведомить", "forward_threat", {"recipient": "authorities", "subject": "Угроза"}, "subject", "Я" * 201,
     "forward_threat: «Уведомить»: field «Тема» is longer than 200 characters"),
], ids=["dropdown-recipient", "dropdown-since", "empty-clause", "empty-amount", "pattern-amount", "max-length"])
def test_a_broken_field_is_refused_naming_the_template_and_the_field(
        template: str, element: str, values: dict[str, str], name: str, value: str, expected: str) -> None:
    found = _problems(_applied(template, element, values, _set(element, name, value)))
    assert found[:1] == [f"templated.bpmn: {expected}"]  # no "syntax error at column 17" after it; only
    # the diagram contract may add its own refusal of the same value, listing the recipient keys it accepts
    assert all(line.startswith(f"templated.bpmn: {element}: property 'recipient': unknown recipient") for line in found[1:])


def test_a_hidden_field_changed_by_hand_is_refused() -> None:
    found = _problems(_applied("Уведомить", "forward_threat", {"recipient": "authorities", "subject": "Угроза"},
                               lambda v: v.element("forward_threat").set(f"{{{CAMUNDA}}}topic", "record_violation")))
    assert "templated.bpmn: forward_threat: «Уведомить»: camunda:topic = «record_violation» was changed by hand, the " \
           "template sets «notify»; apply the template again" in found


def test_an_unknown_template_is_refused() -> None:
    found = _problems(build(lambda v: v.element("forward_threat").set(f"{{{CAMUNDA}}}modelerTemplate", "acme.sms")))
    assert len(found) == 1 and found[0].startswith(
        "templated.bpmn: forward_threat: element template «acme.sms» is not in bpmn/.camunda/element-templates"), found


def test_the_constraints_are_read_from_the_templates_as_data(tmp_path: Path) -> None:
    """No Python names a template: a new template file's constraint is enforced as it is written."""
    (tmp_path / "acme.json").write_text(json.dumps([{
        "$schema": "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json",
        "name": "Звонок", "id": "acme.call", "version": 3, "appliesTo": ["bpmn:ServiceTask"],
        "properties": [{"label": "Телефон", "type": "String", "binding": {"type": "camunda:property", "name": "phone"},
                        "constraints": {"notEmpty": True, "pattern": "^\\+7[0-9]{10}$"}}]}]), encoding="utf-8")
    root = etree.fromstring(build(lambda v: [v.element("forward_threat").set(f"{{{CAMUNDA}}}modelerTemplate", "acme.call"),
                                             v.element("forward_threat").set(f"{{{CAMUNDA}}}modelerTemplateVersion", "3")]))
    [finding] = template_findings(root, tmp_path)
    assert (finding.element, str(finding.text)) == ("forward_threat", "«Звонок»: field «Телефон» is empty")
    _property_holder = root.xpath("//*[@id='forward_threat']//camunda:properties", namespaces=NS)[0]
    etree.SubElement(_property_holder, f"{{{CAMUNDA}}}property", name="phone", value="112")
    [finding] = template_findings(root, tmp_path)
    assert str(finding.text) == "«Звонок»: field «Телефон»: «112» does not fit: it must look like ^\\+7[0-9]{10}$"


def test_a_deadline_unlinked_from_its_template_is_still_checked_by_its_fields() -> None:
    """The Modeler's Unlink keeps the fields; timer.function = working_minutes still says which template built it."""
    def unlink(v: Variant) -> None:
        _set("routing_deadline", "timer.amount", "")(v)
        for name in ("modelerTemplate", "modelerTemplateVersion"):
            del v.element("routing_deadline").attrib[f"{{{CAMUNDA}}}{name}"]
    found = _problems(_applied("Срок в рабочих минутах", "routing_deadline", DEADLINE, unlink))
    assert found == ["templated.bpmn: routing_deadline: «Срок в рабочих минутах»: field «Рабочих минут» is empty"]
