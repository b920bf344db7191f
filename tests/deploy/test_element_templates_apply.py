"""Element templates applied the way Camunda Modeler applies them: the result must deploy.

The templates' structure and the official validator are checked in test_element_templates.py;
here each template is written into a copy of bpmn/orenburg.bpmn and the engine must accept it.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from engine.bpmn.reader import read_diagram
from engine.bpmn.timer_template import template_expression
from engine.deployment.deployer import Source, library_forms, plan
from engine.directory.roles import TASK_ROLES
from engine.errors import DeploymentError
from engine.expressions.language import check
from engine.spiff.parser import parse_process
from engine.spiff.script_engine import catalogue_names
from tests.deploy.test_element_templates import (
    BPMN,
    CAMUNDA,
    NS,
    ORENBURG,
    ORGANISATION_ROLES,
    ROOT,
    XSI,
    _deadline_templates,
    _key,
    _matches,
    _role_templates,
    _user_task_templates,
    bound,
    template_named,
)


# ============================================================== applying a template (the Modeler)
def _q(name: str) -> str:
    """``camunda:formRef`` → Clark notation; a bare name stays a plain attribute."""
    prefix, _, local = name.rpartition(":")
    return f"{{{NS[prefix]}}}{local}" if prefix else local


def _element(root: etree._Element, element_id: str) -> etree._Element:
    [found] = root.xpath("//*[@id=$id]", id=element_id)
    return found


def _extension_elements(element: etree._Element) -> etree._Element:
    found = element.find("bpmn:extensionElements", NS)
    if found is None:
        found = etree.Element(f"{{{BPMN}}}extensionElements")
        docs = element.findall("bpmn:documentation", NS)  # XSD order: documentation*, extensionElements?
        element.insert(element.index(docs[-1]) + 1 if docs else 0, found)
    return found


def _child(parent: etree._Element, tag: str) -> etree._Element:
    found = parent.find(tag, NS)
    if found is None:
        prefix, local = tag.split(":")
        found = etree.SubElement(parent, f"{{{NS[prefix]}}}{local}")
    return found


def apply_template(root: etree._Element, element_id: str, template: dict[str, Any],
                   values: dict[str, str] | None = None) -> etree._Element:
    """Apply ``template`` to the element as Camunda Modeler does on a first application
    (ChangeElementTemplateHandler without an old template), then set the fields the analyst
    typed: ``values`` maps a binding name (or an output parameter's source) to the text.

    - ``camunda:modelerTemplate`` / ``camunda:modelerTemplateVersion`` name the template;
    - ``property`` → an attribute of the element;
    - ``camunda:property`` → ``extensionElements/camunda:properties``; properties the
      template does not bind are removed (step 4 of _updateCamundaPropertyProperties);
    - ``camunda:outputParameter`` → ``camunda:inputOutput``, name = the field, text = source;
      inputs and outputs the template does not bind are removed;
    - nothing else: in particular a timer definition is never touched.
    """
    element = _element(root, element_id)
    kind = f"bpmn:{etree.QName(element).localname[0].upper()}{etree.QName(element).localname[1:]}"
    assert kind in template["appliesTo"], f"{template['name']} does not apply to {kind}"
    values = dict(values or {})
    element.set(f"{{{CAMUNDA}}}modelerTemplate", template["id"])
    if "version" in template:
        element.set(f"{{{CAMUNDA}}}modelerTemplateVersion", str(template["version"]))
    chosen = []
    for prop in template["properties"]:
        key = _key(prop["binding"])
        if prop.get("type") == "Hidden":
            assert key not in values, f"{key} is hidden: the analyst cannot change it"
            value = prop["value"]
        else:
            value = values.pop(key, prop.get("value", ""))
        if prop.get("type") == "Dropdown":
            assert value in {c["value"] for c in prop["choices"]}, f"{key}: {value!r} is not a choice"
        assert _matches(prop, value), f"{key}: {value!r} fails the field's pattern"
        if prop.get("constraints", {}).get("notEmpty"):
            assert value, f"{key} must not be empty"
        chosen.append((prop["binding"], value))
    assert not values, f"the template has no fields {sorted(values)}"

    for binding, value in chosen:
        if binding["type"] == "property":
            element.set(_q(binding["name"]), value)
    properties = [(b, v) for b, v in chosen if b["type"] == "camunda:property"]
    if properties:
        container = _emptied(element, "camunda:properties")
        for binding, value in properties:
            etree.SubElement(container, f"{{{CAMUNDA}}}property", name=binding["name"], value=value)
    outputs = [(b, v) for b, v in chosen if b["type"] == "camunda:outputParameter"]
    if outputs:
        mapping = _emptied(element, "camunda:inputOutput")
        for binding, value in outputs:
            etree.SubElement(mapping, f"{{{CAMUNDA}}}outputParameter", name=value).text = binding["source"]
    return element


def _emptied(element: etree._Element, tag: str) -> etree._Element:
    """The element's ``tag`` under extensionElements, created or with its old children removed:
    the Modeler rewrites a template's whole list of bindings when it applies the template."""
    container = _child(_extension_elements(element), tag)
    for old in list(container):
        container.remove(old)
    return container


def event_properties(event: etree._Element) -> dict[str, str]:
    return {p.get("name"): p.get("value")
            for p in event.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)}


def timer_expression(properties: dict[str, str]) -> str:
    """The engine builds the timer from the template's fields (engine.bpmn.timer_template)."""
    built = template_expression(properties)
    assert built is not None
    return built


def set_timer(event: etree._Element, expression: str) -> None:
    """Type ``expression`` into the event's Timer (type Date), as the analyst or a build step would."""
    definition = event.find("bpmn:timerEventDefinition", NS)
    for old in list(definition):
        definition.remove(old)
    node = etree.SubElement(definition, f"{{{BPMN}}}timeDate")
    node.set(f"{{{XSI}}}type", "bpmn:tFormalExpression")
    node.text = expression


def timer_of(root: etree._Element, event_id: str) -> str | None:
    node = _element(root, event_id).find("bpmn:timerEventDefinition/bpmn:timeDate", NS)
    return node.text if node is not None else None


def move_to_lane(root: etree._Element, task_id: str, role: str) -> None:
    """Put a task into lane_<role> (created if the diagram has none)."""
    for ref in root.iter(f"{{{BPMN}}}flowNodeRef"):
        if ref.text == task_id:
            ref.getparent().remove(ref)
    lanes = root.xpath("//bpmn:lane[@id=$id]", namespaces=NS, id=f"lane_{role}")
    if lanes:
        lane = lanes[0]
    else:
        lane_set = root.find(".//bpmn:laneSet", NS)
        lane = etree.SubElement(lane_set, f"{{{BPMN}}}lane", id=f"lane_{role}", name=role)
    etree.SubElement(lane, f"{{{BPMN}}}flowNodeRef").text = task_id


def orenburg() -> etree._Element:
    return etree.fromstring(ORENBURG)


def deploys(root: etree._Element, name: str = "orenburg.bpmn") -> None:
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    try:
        [item] = plan([Source(name, data)], library_forms())
    except DeploymentError as error:
        pytest.fail("\n".join(str(p) for p in error.problems))
    assert item.info.process_id == "orenburg"



# ================================================================================= deadlines
@pytest.mark.parametrize(("name", "event_id", "fields", "expected"), [
    ("Срок в рабочих часах", "rework_deadline", {"timer.amount": "8"}, "working_hours(8)"),
    ("Срок в рабочих часах", "draft_deadline", {"timer.amount": "answer_hours-4", "timer.since": "detected_at"},
     "working_hours(answer_hours - 4, since=detected_at)"),
    ("Срок в рабочих часах", "answer_deadline", {"timer.amount": "answer_hours", "timer.since": "detected_at"},
     "working_hours(answer_hours, since=detected_at)"),
    ("Срок в рабочих минутах", "approval_deadline", {"timer.amount": "30"}, "working_minutes(30)"),
    ("Срок в рабочих минутах", "routing_deadline", {"timer.amount": "30", "timer.since": "detected_at"},
     "working_minutes(30, since=detected_at)"),
    ("Срок в рабочих днях", "final_deadline", {"timer.amount": "7", "timer.since": "posted_at"},
     "working_days(7, since=posted_at)"),
    ("Срок в рабочих днях", "publication_deadline", {"timer.amount": "0"}, "working_days(0)"),
], ids=["hours-8", "hours-param-since", "hours-intermediate", "minutes-30", "minutes-since", "days-since", "days-0"])
def test_deadline_template_gives_a_timer_that_deploys(name: str, event_id: str, fields: dict[str, str],
                                                      expected: str) -> None:
    root = orenburg()
    before = timer_of(root, event_id)
    event = apply_template(root, event_id, template_named(name), fields)
    # What the Modeler wrote: the fields on the event; the timer itself is untouched.
    assert timer_of(root, event_id) == before
    properties = event_properties(event)
    assert properties["timer.function"] == bound(template_named(name), "timer.function")["value"]
    expression = timer_expression(properties)
    assert expression == expected
    set_timer(event, expression)
    assert timer_of(root, event_id) == expected
    assert event.get(f"{{{CAMUNDA}}}modelerTemplate") == template_named(name)["id"]
    deploys(root)


def test_deadline_fields_alone_make_the_timer() -> None:
    """Pick "Срок в рабочих часах", type 8, leave Timer empty → deploys as working_hours(8)."""
    root = orenburg()
    event = apply_template(root, "rework_deadline", template_named("Срок в рабочих часах"), {"timer.amount": "8"})
    definition = event.find("bpmn:timerEventDefinition", NS)
    for old in list(definition):
        definition.remove(old)  # a new timer event, as the Modeler creates it
    [item] = plan([Source("orenburg.bpmn", etree.tostring(root, xml_declaration=True, encoding="UTF-8"))], library_forms())
    spec, _ = parse_process(etree.tostring(root), "orenburg")
    assert spec.task_specs["rework_deadline"].event_definition.expression == "working_hours(8)"
    assert item.info.process_id == "orenburg"


def test_a_timer_that_disagrees_with_the_template_fields_is_refused() -> None:
    root = orenburg()
    event = apply_template(root, "rework_deadline", template_named("Срок в рабочих часах"), {"timer.amount": "8"})
    set_timer(event, "working_hours(2)")
    with pytest.raises(DeploymentError) as error:
        plan([Source("orenburg.bpmn", etree.tostring(root, xml_declaration=True, encoding="UTF-8"))], library_forms())
    assert any("rework_deadline" in str(p) and "working_hours(8)" in str(p) for p in error.value.problems)


def _all_timers() -> Iterator[tuple[str, str, str]]:
    """Every timer of the shipped diagrams as the engine reads it: typed, or built from a deadline
    template's fields with the Timer field left empty (engine.bpmn.reader)."""
    for path in sorted((ROOT / "bpmn").glob("**/*.bpmn")):
        for node in read_diagram(path.read_text(encoding="utf-8")).timers():
            yield path.name, node.id, node.timer or ""


TIMER = re.compile(r"^(working_\w+)\((.+?)(?:, since=(\w+))?\)$")


@pytest.mark.parametrize(("diagram", "event_id", "expression"), list(_all_timers()),
                         ids=[f"{d}:{e}" for d, e, _ in _all_timers()])
def test_every_timer_in_the_diagrams_can_be_made_with_a_template(diagram: str, event_id: str,
                                                                 expression: str) -> None:
    match = TIMER.match(expression)
    assert match, f"{diagram}: {event_id}: {expression!r} is not a working-time deadline"
    function, amount, since = match.groups()
    [template] = [t for t in _deadline_templates() if bound(t, "timer.function")["value"] == function]
    fields = {"timer.function": function, "timer.amount": amount, "timer.since": since or "None"}
    assert _matches(bound(template, "timer.amount"), amount), f"{event_id}: amount {amount!r}"
    assert fields["timer.since"] in {c["value"] for c in bound(template, "timer.since")["choices"]}
    assert timer_expression(fields) == expression
    check(expression, catalogue_names())


# ============================================================================== service tasks
@pytest.mark.parametrize(("task_id", "fields", "organisation"), [
    ("record_rework_violation", {"clause": "11", "deadline": "rework"}, "None"),
    ("record_answer_violation", {"clause": "8", "deadline": "answer", "organisation": "agency"}, "agency"),
], ids=["task-deadline", "case-deadline"])
def test_record_violation_template_deploys(task_id: str, fields: dict[str, str], organisation: str) -> None:
    root = orenburg()
    task = apply_template(root, task_id, template_named("Зафиксировать нарушение срока"), fields)
    assert task.get(f"{{{CAMUNDA}}}type") == "external" and task.get(f"{{{CAMUNDA}}}topic") == "record_violation"
    assert event_properties(task) == {"clause": fields["clause"], "deadline": fields["deadline"],
                                      "organisation": organisation}
    deploys(root)


def test_organisation_none_means_no_organisation() -> None:
    """``None`` (the default choice) is an expression the engine evaluates to no organisation,
    exactly as if the property were absent (engine.spiff.inspect.organisation_of)."""
    from types import SimpleNamespace

    from engine.spiff.inspect import organisation_of

    def task(properties: dict[str, str]) -> Any:  # what organisation_of reads of a SpiffWorkflow task
        workflow = SimpleNamespace(data={})
        workflow.top_workflow = workflow
        return SimpleNamespace(task_spec=SimpleNamespace(extensions={"properties": properties}),
                               workflow=workflow, data={"agency": "orb_roads"})

    assert organisation_of(task({"organisation": "agency"}), {}) == "orb_roads"  # the fake task is read
    assert organisation_of(task({}), {}) is None
    assert organisation_of(task({"organisation": "None"}), {}) is None


def test_notify_template_deploys() -> None:
    root = orenburg()
    fields = {"recipient": "governor", "subject": "Социально значимое сообщение (п. 21)"}
    task = apply_template(root, "report_to_governor", template_named("Уведомить"), fields)
    assert task.get(f"{{{CAMUNDA}}}topic") == "notify"
    assert event_properties(task) == fields
    deploys(root)


# ================================================================================= user tasks
@pytest.mark.parametrize(("task_id", "role", "step"), [
    ("rework_answer", "executor", "rework"), ("compose_joint_answer", "last_executor", "joint"),
    ("approve_answer", "curator", "approval"), ("publish_answer", "executor", "publication")])
def test_the_role_template_keeps_the_declared_step(task_id: str, role: str, step: str) -> None:
    """The Modeler rewrites a template's properties: the template's «Шаг ответа» field carries
    the step the comparison, the card and the summary read (engine.bpmn.conventions)."""
    from engine.bpmn.reader import read_diagram

    root = orenburg()
    template = _role_templates()[role]
    values = {"step": step} | ({"organisation": "part"} if task_id == "prepare_part" else {})
    form = _element(root, task_id).get(f"{{{CAMUNDA}}}formRef")
    task = apply_template(root, task_id, template, {"camunda:formRef": form, **values})
    assert event_properties(task)["step"] == step
    deploys(root)
    assert read_diagram(etree.tostring(root)).nodes[task_id].properties["step"] == step


def test_the_step_field_allows_exactly_the_declared_steps() -> None:
    from engine.bpmn.conventions import STEPS

    for template in _user_task_templates():
        field = bound(template, "step")
        assert _matches(field, "") and _matches(field, "approval publication")
        assert all(_matches(field, step) for step in STEPS)
        assert not _matches(field, "aproval") and not _matches(field, "joint_answer")


def test_the_deadline_field_offers_exactly_the_declared_deadlines() -> None:
    from engine.bpmn.conventions import DEADLINES

    field = bound(template_named("Зафиксировать нарушение срока"), "deadline")
    assert [c["value"] for c in field["choices"]] == list(DEADLINES)


@pytest.mark.parametrize("role", sorted(TASK_ROLES))
def test_role_template_deploys(role: str) -> None:
    root = orenburg()
    if role != "curator":
        move_to_lane(root, "route_message", role)
    template = _role_templates()[role]
    task = apply_template(root, "route_message", template, {"camunda:formRef": "orenburg_routing"})
    assert task.get(f"{{{CAMUNDA}}}candidateGroups") == role
    assert task.get(f"{{{CAMUNDA}}}formRef") == "orenburg_routing"
    assert task.get(f"{{{CAMUNDA}}}formRefBinding") == "latest"
    assert event_properties(task) == ({"organisation": "agency"} if role in ORGANISATION_ROLES else {}) | {"step": ""}
    deploys(root)


def test_executor_template_in_the_multi_instance_part_task() -> None:
    root = orenburg()
    task = apply_template(root, "prepare_part", _role_templates()["executor"],
                          {"camunda:formRef": "joint_part", "organisation": "part"})
    assert event_properties(task) == {"organisation": "part", "step": ""}
    deploys(root)


def test_executor_template_without_organisation_is_refused() -> None:
    """The engine refuses an emptied organisation; the template marks the field notEmpty."""
    root = orenburg()
    template = copy.deepcopy(_role_templates()["executor"])
    del bound(template, "organisation")["constraints"]
    task = apply_template(root, "draft_answer", template, {"organisation": ""})
    assert event_properties(task) == {"organisation": "", "step": ""}
    with pytest.raises(DeploymentError) as error:
        plan([Source("orenburg.bpmn", etree.tostring(root, xml_declaration=True, encoding="UTF-8"))], library_forms())
    assert any("draft_answer" in str(p) and "organisation" in str(p) for p in error.value.problems)


@pytest.mark.parametrize(("role", "moment"), [("curator", "received_at"), ("reception", "registered_at")])
def test_remember_moment_template_then_count_from_it(role: str, moment: str) -> None:
    root = orenburg()
    if role != "curator":
        move_to_lane(root, "route_message", role)
    [template] = [t for t in _user_task_templates()
                  if bound(t, "camunda:candidateGroups")["value"] == role and t["name"].startswith("Запомнить момент")]
    task = apply_template(root, "route_message", template, {"camunda:formRef": "orenburg_routing", "now()": moment})
    [output] = task.findall("bpmn:extensionElements/camunda:inputOutput/camunda:outputParameter", NS)
    assert (output.get("name"), output.text) == (moment, "now()")
    # A later deadline counts from the recorded moment.
    event = apply_template(root, "draft_deadline", template_named("Срок в рабочих часах"),
                           {"timer.amount": "8", "timer.since": moment})
    set_timer(event, timer_expression(event_properties(event)))
    assert timer_of(root, "draft_deadline") == f"working_hours(8, since={moment})"
    deploys(root)
