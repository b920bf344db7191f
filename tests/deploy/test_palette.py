"""Never silent: each construct of the Camunda 7 palette, drawn alone into bpmn/orenburg.bpmn,
gets the answer written here — it runs (deploys clean), it is refused (naming the element and
what to draw instead), or it is deployed with a warning naming what is ignored.

The expected answers are written out below, not read from engine/deployment/palette.py: a
changed answer in the table fails here until someone decides it on purpose.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.deployment.deployer import Source, library_forms, plan
from engine.deployment.palette import PALETTE, REFUSED, RUNS, WARNING
from engine.errors import DeploymentError
from tests.deploy.palette_variants import Variant, build

Change = Callable[[Variant], object]


def _first(xml: str) -> Change:
    """A flow node between the start event and the first task."""
    def change(v: Variant) -> None:
        node = v.node(xml)
        v.on_first_flow(node.get("id") or "")
    return change


def _event(local: str, definition: str, extra: str = "") -> Change:
    return _first(f'<bpmn:{local} id="palette_event">{definition}</bpmn:{local}>{extra}')


def _definition(element_id: str, definition: str) -> Change:
    return lambda v: v.element(element_id).append(v.fragment(definition))


def _boundary(definition: str, interrupting: bool = True) -> Change:
    def change(v: Variant) -> None:
        v.node(f'<bpmn:boundaryEvent id="palette_event" attachedToRef="route_message" '
               f'cancelActivity="{str(interrupting).lower()}">{definition}</bpmn:boundaryEvent>')
        v.node('<bpmn:endEvent id="palette_end"/>')
        v.flow("palette_boundary_flow", "palette_event", "palette_end")
    return change


def _worker_error_boundary(v: Variant) -> None:
    """forward_threat served by a worker (topic declared external), an error boundary event on it."""
    task = v.element("forward_threat")
    task.set("{http://camunda.org/schema/1.0/bpmn}topic", "threat_registry")
    for notify_only in [p for p in task.iter("{http://camunda.org/schema/1.0/bpmn}property")
                        if p.get("name") in ("recipient", "subject")]:
        notify_only.getparent().remove(notify_only)
    v.extension("forward_threat", '<camunda:properties><camunda:property name="external" value="true"/>'
                                  '</camunda:properties>')
    v.root.insert(0, v.fragment('<bpmn:error id="palette_error" name="x" errorCode="not_a_threat"/>'))
    v.node('<bpmn:boundaryEvent id="palette_event" attachedToRef="forward_threat">'
           '<bpmn:errorEventDefinition errorRef="palette_error"/></bpmn:boundaryEvent>')
    v.node('<bpmn:endEvent id="palette_end"/>')
    v.flow("palette_boundary_flow", "palette_event", "palette_end")


def test_an_error_boundary_event_off_a_workers_task_is_refused_saying_where_to_attach_it() -> None:
    problems, _, _ = _deploy(build(_boundary(ERROR)))
    assert any(p.startswith("variant.bpmn: palette_event: ") and "external = true" in p for p in problems), problems


def _attribute(element_id: str, name: str, value: str) -> Change:
    def change(v: Variant) -> None:
        prefix, _, local = name.rpartition(":")
        v.element(element_id).set(f"{{{'http://camunda.org/schema/1.0/bpmn'}}}{local}" if prefix else local, value)
    return change


def _extension(element_id: str, xml: str) -> Change:
    return lambda v: v.extension(element_id, xml)


def _after_outgoing(element_id: str, xml: str) -> Change:
    def change(v: Variant) -> None:
        element = v.element(element_id)
        last = element.findall("{http://www.omg.org/spec/BPMN/20100524/MODEL}outgoing")[-1]
        for offset, node in enumerate(v.fragment(f"<bpmn:wrap>{xml}</bpmn:wrap>")):
            element.insert(element.index(last) + 1 + offset, node)
    return change


def _root(xml: str) -> Change:
    """A root element of bpmn:definitions, before the process."""
    def change(v: Variant) -> None:
        v.root.insert(0, v.fragment(xml))
    return change


def _other_pool(v: Variant) -> None:
    v.root.insert(list(v.root).index(v.process) + 1, v.fragment(
        '<bpmn:process id="palette_citizen" isExecutable="false"/>'))
    collaboration = v.root.find("{http://www.omg.org/spec/BPMN/20100524/MODEL}collaboration")
    collaboration.append(v.fragment('<bpmn:participant id="palette_pool" name="Гражданин" processRef="palette_citizen"/>'))
    collaboration.append(v.fragment('<bpmn:messageFlow id="palette_message_flow" sourceRef="palette_pool" '
                                    'targetRef="message_detected"/>'))
    v.shape("palette_pool")


def _event_subprocess(v: Variant) -> None:
    sub = v.node('<bpmn:subProcess id="palette_event_sub" triggeredByEvent="true"/>')
    v.node('<bpmn:startEvent id="palette_sub_start"/>', parent=sub)
    v.node('<bpmn:endEvent id="palette_sub_end"/>', parent=sub)
    v.flow("palette_sub_flow", "palette_sub_start", "palette_sub_end", parent=sub)


def _subprocess(local: str) -> Change:
    def change(v: Variant) -> None:
        sub = v.node(f'<bpmn:{local} id="palette_sub"/>')
        v.node('<bpmn:startEvent id="palette_sub_start"/>', parent=sub)
        v.node('<bpmn:endEvent id="palette_sub_end"/>', parent=sub)
        v.flow("palette_sub_flow", "palette_sub_start", "palette_sub_end", parent=sub)
        v.on_first_flow("palette_sub")
    return change


def _inclusive(v: Variant) -> None:
    v.node('<bpmn:inclusiveGateway id="palette_split"/>')
    v.node('<bpmn:inclusiveGateway id="palette_join"/>')
    v.flow("palette_a", "palette_split", "palette_join").append(v.fragment(
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">True</bpmn:conditionExpression>'))
    v.flow("palette_b", "palette_split", "palette_join").append(v.fragment(
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">False</bpmn:conditionExpression>'))
    v.on_first_flow("palette_split", "palette_join")


MESSAGE = "<bpmn:messageEventDefinition/>"
TIMER = "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>"
SIGNAL, ERROR, ESCALATION = "<bpmn:signalEventDefinition/>", "<bpmn:errorEventDefinition/>", "<bpmn:escalationEventDefinition/>"
COMPENSATE, LINK, CANCEL = "<bpmn:compensateEventDefinition/>", '<bpmn:linkEventDefinition name="A"/>', "<bpmn:cancelEventDefinition/>"
CONDITIONAL = ('<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">True</bpmn:condition>'
               "</bpmn:conditionalEventDefinition>")
START, END, TASK, SERVICE, PROCESS = "message_detected", "routing_violation_recorded", "route_message", "forward_threat", "orenburg"
DEFINITIONS = {"message": MESSAGE, "timer": TIMER, "signal": SIGNAL, "error": ERROR, "escalation": ESCALATION,
               "compensate": COMPENSATE, "link": LINK, "cancel": CANCEL, "conditional": CONDITIONAL}

# construct → (expected answer, the element the answer names, how to draw it into Orenburg)
CASES: dict[str, tuple[str, str | None, Change]] = {
    **{f"bpmn:startEvent:{k}": (REFUSED, START, _definition(START, DEFINITIONS[k])) for k in (
        "message", "timer", "conditional", "signal", "error", "escalation", "compensate")},
    "bpmn:startEvent:multiple": (REFUSED, START, lambda v: [_definition(START, d)(v) for d in (MESSAGE, SIGNAL)]),
    "bpmn:endEvent:terminate": (RUNS, END, _definition(END, "<bpmn:terminateEventDefinition/>")),
    **{f"bpmn:endEvent:{k}": (REFUSED, END, _definition(END, DEFINITIONS[k])) for k in (
        "message", "signal", "error", "escalation", "cancel", "compensate")},
    "bpmn:endEvent:multiple": (REFUSED, END, lambda v: [_definition(END, d)(v) for d in (MESSAGE, SIGNAL)]),
    "bpmn:intermediateThrowEvent": (RUNS, "palette_event", _event("intermediateThrowEvent", "")),
    **{f"bpmn:intermediateThrowEvent:{k}": (REFUSED, "palette_event", _event("intermediateThrowEvent", DEFINITIONS[k]))
       for k in ("message", "signal", "escalation", "compensate", "link")},
    "bpmn:intermediateThrowEvent:multiple": (REFUSED, "palette_event", _event("intermediateThrowEvent", MESSAGE + SIGNAL)),
    "bpmn:intermediateCatchEvent": (REFUSED, "palette_event", _event("intermediateCatchEvent", "")),
    "bpmn:intermediateCatchEvent:timer": (RUNS, "palette_event", _event("intermediateCatchEvent", TIMER)),
    **{f"bpmn:intermediateCatchEvent:{k}": (REFUSED, "palette_event", _event("intermediateCatchEvent", DEFINITIONS[k]))
       for k in ("message", "signal", "conditional", "link")},
    "bpmn:intermediateCatchEvent:multiple": (REFUSED, "palette_event", _event("intermediateCatchEvent", MESSAGE + SIGNAL)),
    "bpmn:boundaryEvent": (REFUSED, "palette_event", _boundary("")),
    "bpmn:boundaryEvent:timer": (RUNS, "routing_deadline", _attribute("routing_deadline", "cancelActivity", "true")),
    "bpmn:boundaryEvent:timer:non-interrupting": (RUNS, "routing_deadline", lambda v: None),
    **{f"bpmn:boundaryEvent:{k}": (REFUSED, "palette_event", _boundary(DEFINITIONS[k])) for k in (
        "message", "signal", "conditional", "escalation", "cancel", "compensate")},
    # An error boundary event catches a worker's bpmnError: on a service task served by a worker it runs
    # (tests/external/test_external_tasks.py runs it in a case); anywhere else it is refused.
    "bpmn:boundaryEvent:error": (RUNS, "palette_event", _worker_error_boundary),
    "bpmn:boundaryEvent:multiple": (REFUSED, "palette_event", _boundary(MESSAGE + SIGNAL)),
    "bpmn:task": (REFUSED, "palette_node", _first('<bpmn:task id="palette_node"/>')),
    "bpmn:scriptTask": (REFUSED, "palette_node", _first(
        '<bpmn:scriptTask id="palette_node" scriptFormat="python"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>')),
    **{f"bpmn:{local}": (REFUSED, "palette_node", _first(f'<bpmn:{local} id="palette_node"/>')) for local in (
        "businessRuleTask", "callActivity", "sendTask", "receiveTask", "manualTask", "complexGateway",
        "eventBasedGateway")},
    "bpmn:subProcess": (RUNS, "palette_sub", _subprocess("subProcess")),
    "bpmn:subProcess:event": (REFUSED, "palette_event_sub", _event_subprocess),
    "bpmn:adHocSubProcess": (REFUSED, "palette_sub", _first('<bpmn:adHocSubProcess id="palette_sub"/>')),
    "bpmn:transaction": (REFUSED, "palette_sub", _subprocess("transaction")),
    "bpmn:isForCompensation": (REFUSED, TASK, _attribute(TASK, "isForCompensation", "true")),
    "bpmn:multiInstanceLoopCharacteristics:sequential": (RUNS, "prepare_part", lambda v: v.element(
        "prepare_part")[-1].set("isSequential", "true")),
    "bpmn:standardLoopCharacteristics": (REFUSED, TASK, _after_outgoing(TASK, "<bpmn:standardLoopCharacteristics/>")),
    "bpmn:completionCondition": (RUNS, "prepare_part", lambda v: v.element("prepare_part")[-1].append(v.fragment(
        '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">False</bpmn:completionCondition>'))),
    "bpmn:inclusiveGateway": (RUNS, "palette_split", _inclusive),
    "bpmn:conditionExpression:script": (REFUSED, "category_threat", lambda v: v.element("category_threat")[0].set(
        "language", "javascript")),
    "bpmn:process:not-executable": (WARNING, "palette_citizen", _other_pool),
    "bpmn:participant:other": (WARNING, "palette_pool", _other_pool),
    "bpmn:messageFlow": (WARNING, "palette_message_flow", _other_pool),
    "bpmn:textAnnotation": (RUNS, "palette_note", lambda v: v.process.append(v.fragment(
        '<bpmn:textAnnotation id="palette_note"><bpmn:text>п. 6</bpmn:text></bpmn:textAnnotation>'))),
    "bpmn:association": (RUNS, "palette_link", lambda v: v.process.append(v.fragment(
        f'<bpmn:association id="palette_link" sourceRef="{TASK}" targetRef="{TASK}"/>'))),
    "bpmn:category": (RUNS, "palette_category", _root(
        '<bpmn:category id="palette_category"><bpmn:categoryValue id="palette_value" value="п. 6"/></bpmn:category>')),
    "bpmn:group": (RUNS, "palette_group", lambda v: v.process.append(v.fragment(
        '<bpmn:group id="palette_group" categoryValueRef="palette_value"/>'))),
    **{f"bpmn:{local}": (WARNING, f"palette_{local}", _root(f'<bpmn:{local} id="palette_{local}" name="x"/>'))
       for local in ("message", "signal", "escalation")},
    "bpmn:error": (RUNS, "palette_error", _worker_error_boundary),
    "bpmn:dataObject": (WARNING, "palette_data", lambda v: v.process.append(v.fragment(
        '<bpmn:dataObject id="palette_data"/>'))),
    "bpmn:dataObjectReference": (WARNING, "palette_data_ref", lambda v: v.process.append(v.fragment(
        '<bpmn:dataObjectReference id="palette_data_ref"/>'))),
    "bpmn:dataStore": (REFUSED, "palette_store", _root('<bpmn:dataStore id="palette_store"/>')),
    "bpmn:dataStoreReference": (REFUSED, "palette_store_ref", lambda v: v.process.append(v.fragment(
        '<bpmn:dataStoreReference id="palette_store_ref"/>'))),
    "bpmn:dataOutputAssociation": (REFUSED, "palette_out", lambda v: [v.process.append(v.fragment(
        '<bpmn:dataObjectReference id="palette_data_ref"/>')), _after_outgoing(TASK, (
            '<bpmn:dataOutputAssociation id="palette_out"><bpmn:targetRef>palette_data_ref</bpmn:targetRef>'
            '</bpmn:dataOutputAssociation>'))(v)]),
    "bpmn:dataInputAssociation": (REFUSED, "palette_in", lambda v: [v.process.append(v.fragment(
        '<bpmn:dataObjectReference id="palette_data_ref"/>')), _after_outgoing(TASK, (
            '<bpmn:property id="palette_placeholder" name="__targetRef_placeholder"/>'
            '<bpmn:dataInputAssociation id="palette_in"><bpmn:sourceRef>palette_data_ref</bpmn:sourceRef>'
            '<bpmn:targetRef>palette_placeholder</bpmn:targetRef></bpmn:dataInputAssociation>'))(v)]),
    "bpmn:property": (WARNING, "palette_placeholder", _after_outgoing(
        TASK, '<bpmn:property id="palette_placeholder" name="__targetRef_placeholder"/>')),
    # camunda: attributes
    "camunda:formRefVersion": (WARNING, TASK, _attribute(TASK, "camunda:formRefVersion", "2")),
    "camunda:formHandlerClass": (REFUSED, TASK, _attribute(TASK, "camunda:formHandlerClass", "org.Example")),
    **{f"bpmn:startEvent@camunda:{name}": (REFUSED, START, _attribute(START, f"camunda:{name}", "x")) for name in (
        "formRef", "formRefBinding", "formRefVersion", "formKey", "formHandlerClass")},
    "camunda:assignee": (REFUSED, TASK, _attribute(TASK, "camunda:assignee", "curator")),
    "camunda:candidateUsers": (REFUSED, TASK, _attribute(TASK, "camunda:candidateUsers", "curator")),
    "camunda:dueDate": (REFUSED, TASK, _attribute(TASK, "camunda:dueDate", "${now()}")),
    "camunda:followUpDate": (REFUSED, TASK, _attribute(TASK, "camunda:followUpDate", "${now()}")),
    "camunda:priority": (WARNING, TASK, _attribute(TASK, "camunda:priority", "80")),
    **{f"camunda:{name}": (WARNING, TASK, _attribute(TASK, f"camunda:{name}", "true")) for name in (
        "async", "asyncBefore", "asyncAfter", "exclusive")},
    "camunda:jobPriority": (WARNING, PROCESS, _attribute(PROCESS, "camunda:jobPriority", "5")),
    "camunda:taskPriority": (WARNING, SERVICE, _attribute(SERVICE, "camunda:taskPriority", "5")),
    "camunda:historyTimeToLive": (WARNING, PROCESS, lambda v: None),
    "camunda:versionTag": (WARNING, PROCESS, _attribute(PROCESS, "camunda:versionTag", "1.0")),
    "camunda:isStartableInTasklist": (WARNING, PROCESS, _attribute(PROCESS, "camunda:isStartableInTasklist", "false")),
    "camunda:candidateStarterGroups": (REFUSED, PROCESS, _attribute(PROCESS, "camunda:candidateStarterGroups", "curator")),
    "camunda:candidateStarterUsers": (REFUSED, PROCESS, _attribute(PROCESS, "camunda:candidateStarterUsers", "curator")),
    "camunda:initiator": (REFUSED, START, _attribute(START, "camunda:initiator", "starter")),
    "camunda:diagramRelationId": (WARNING, "orenburg_definitions", lambda v: v.root.set(
        "{http://camunda.org/schema/1.0/bpmn}diagramRelationId", "abc")),
    **{f"camunda:{name}": (REFUSED, SERVICE, _attribute(SERVICE, f"camunda:{name}", "x")) for name in (
        "class", "expression", "delegateExpression", "resultVariable")},
    "camunda:resource": (REFUSED, "category_threat", lambda v: v.element("category_threat")[0].set(
        "{http://camunda.org/schema/1.0/bpmn}resource", "condition.py")),
    # camunda: extension elements
    "camunda:inputOutput": (RUNS, TASK, _extension(
        TASK, '<camunda:inputOutput><camunda:outputParameter name="received_at">now()</camunda:outputParameter>'
              '</camunda:inputOutput>')),
    "camunda:outputParameter": (RUNS, TASK, _extension(
        TASK, '<camunda:inputOutput><camunda:outputParameter name="received_at">now()</camunda:outputParameter>'
              '</camunda:inputOutput>')),
    **{f"camunda:{name}": (RUNS, SERVICE, lambda v: [_attribute(SERVICE, "camunda:modelerTemplate", "otklik.service.notify")(v),
                                                     _attribute(SERVICE, "camunda:modelerTemplateVersion", "1")(v)])
       for name in ("modelerTemplate", "modelerTemplateVersion")},
    "camunda:executionListener": (REFUSED, TASK, _extension(TASK, '<camunda:executionListener class="a.B" event="start"/>')),
    "camunda:taskListener": (REFUSED, TASK, _extension(TASK, '<camunda:taskListener class="a.B" event="create"/>')),
    "camunda:field": (REFUSED, SERVICE, _extension(SERVICE, '<camunda:field name="a"><camunda:string>x</camunda:string></camunda:field>')),
    "camunda:connector": (REFUSED, SERVICE, _extension(
        SERVICE, "<camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector>")),
    "bpmn:startEvent@camunda:formData": (REFUSED, START, _extension(
        START, '<camunda:formData><camunda:formField id="a" type="string"/></camunda:formData>')),
    "bpmn:startEvent@camunda:formProperty": (REFUSED, START, _extension(START, '<camunda:formProperty id="a"/>')),
    "camunda:failedJobRetryTimeCycle": (WARNING, TASK, _extension(
        TASK, "<camunda:failedJobRetryTimeCycle>R3/PT5M</camunda:failedJobRetryTimeCycle>")),
    "camunda:errorEventDefinition": (REFUSED, SERVICE, _extension(
        SERVICE, '<camunda:errorEventDefinition id="palette_error" expression="${true}"/>')),
    "camunda:potentialStarter": (REFUSED, PROCESS, _extension(PROCESS, (
        "<camunda:potentialStarter><bpmn:resourceAssignmentExpression><bpmn:formalExpression>group(curator)"
        "</bpmn:formalExpression></bpmn:resourceAssignmentExpression></camunda:potentialStarter>"))),
    # what the table does not name
    "bpmn:*": (REFUSED, "palette_owner", _after_outgoing(TASK, (
        '<bpmn:potentialOwner id="palette_owner"><bpmn:resourceAssignmentExpression><bpmn:formalExpression>'
        "user(curator)</bpmn:formalExpression></bpmn:resourceAssignmentExpression></bpmn:potentialOwner>"))),
    "camunda:*": (REFUSED, TASK, _attribute(TASK, "camunda:somethingNew", "x")),
    "other:*": (WARNING, TASK, _extension(TASK, '<x:hint xmlns:x="urn:example:tool">x</x:hint>')),
}
# A catch-all's variant draws one construct the table does not name; the answer names that one.
DRAWN = {"bpmn:*": "bpmn:potentialOwner", "camunda:*": "camunda:somethingNew", "other:*": "other:hint"}


def _deploy(data: bytes) -> tuple[list[str], list[str], dict[str, int]]:
    """(problems, warnings, constructs) of a variant, as lines `file: element: text`."""
    try:
        [item] = plan([Source("variant.bpmn", data)], library_forms())
    except DeploymentError as error:
        return [str(p) for p in error.problems], [], {}
    return [], [str(w) for w in item.info.warnings], item.info.constructs


@pytest.mark.parametrize("construct", sorted(CASES))
def test_each_construct_gets_its_answer(construct: str) -> None:
    answer, element, change = CASES[construct]
    entry = PALETTE[construct]
    assert entry.answer == answer, f"{construct}: the table says {entry.answer}, the test {answer}"
    drawn = DRAWN.get(construct, construct)
    problems, warnings, constructs = _deploy(build(change))
    if answer == RUNS:
        assert problems == [] and constructs.get(drawn), problems
        assert not any(drawn in w for w in warnings), warnings
    elif answer == WARNING:
        assert problems == [], problems
        [line] = [w for w in warnings if f" {drawn} is ignored: " in w]
        assert f"variant.bpmn: {element}" in line and element in line.split(": ")[1].split(", "), line
    else:
        mine = [p for p in problems if p.startswith(f"variant.bpmn: {element}: ")]
        wrapped = [p for p in mine if f"{drawn} does not run in Otklik: " in p]
        assert wrapped or (entry.text.startswith("validation.unsupported.") and mine), problems


def test_every_answer_is_drawn_here_or_in_the_shipped_diagram() -> None:
    """Each construct the palette answers itself has a variant above, or runs in Orenburg as shipped.
    (Those answered by another check — reported=False — are that check's tests' business.)"""
    _, _, shipped = _deploy(build(lambda v: None))
    unproven = {key for key, entry in PALETTE.items() if entry.reported and key not in CASES
                and not (entry.answer == RUNS and key in shipped)}
    assert unproven == set()


def test_what_a_non_executable_process_draws_is_not_judged() -> None:
    """A second pool's process never runs: its tasks are neither run nor refused, only the pool is warned about."""
    def change(v: Variant) -> None:
        _other_pool(v)
        v.element("palette_citizen").append(v.fragment('<bpmn:task id="palette_citizen_posts" camunda:assignee="x"/>'))
    problems, warnings, constructs = _deploy(build(change))
    assert problems == [] and "bpmn:task" not in constructs and "camunda:assignee" not in constructs
    assert any("palette_citizen: bpmn:process:not-executable is ignored" in w for w in warnings), warnings


def test_the_shipped_diagram_runs_what_it_draws_and_warns_once() -> None:
    problems, warnings, constructs = _deploy(build(lambda v: None))
    assert problems == []
    assert all(PALETTE[key].answer != REFUSED for key in constructs)
    assert warnings == ["variant.bpmn: orenburg: camunda:historyTimeToLive is ignored: case history is kept in "
                        "Otklik's database by its own retention rules; Camunda Modeler requires the field, it does "
                        "not change how a case runs"]
