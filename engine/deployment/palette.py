"""Never silent: the answer to every construct Camunda Modeler (Camunda 7) can draw or set.

Each BPMN element type of bpmn-js's Camunda 7 palette and replace menu, and each attribute and
extension element of the camunda-bpmn-moddle descriptor (``resources/camunda.json``), gets one
of three answers, decided from what Otklik's runtime really does with it:

- **runs** — the engine runs it (the ``proof`` names the test that runs it in a case);
- **refused** — deployment stops, naming the element and saying what to draw instead;
- **warning** — deployed, with a warning naming what is ignored and why that is harmless.

Anything not in the table is refused as unknown (a new Modeler feature is never silently
accepted). ``docs/supported-elements.md`` is this table for analysts; a test keeps them equal.
:func:`survey` walks a diagram and says what it contains; ``validation.py`` turns its findings
into problems and warnings.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from engine.bpmn.namespaces import BPMN, BPMNDI, CAMUNDA, MODELER

__all__ = ["PALETTE", "REFUSED", "RUNS", "WARNING", "Entry", "Survey", "answer_for", "survey"]

RUNS, REFUSED, WARNING = "runs", "refused", "warning"
_DC = "http://www.omg.org/spec/DD/20100524/DC"
_DI = "http://www.omg.org/spec/DD/20100524/DI"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_LAYOUT = (BPMNDI, _DC, _DI)

_PROOF = "tests/deploy/test_palette.py"  # single-feature variants of orenburg.bpmn, one per construct
_RUNS = "tests/deploy/test_palette_runs.py"
_SCENARIO = "tests/scenario/test_orenburg.py"
_WORKERS = "tests/external/test_external_tasks.py"  # a worker's bpmnError caught by the boundary event


@dataclass(frozen=True)
class Entry:
    """One construct's answer. ``text`` is a code in engine/texts/palette.py (or validation.py):
    what it does (runs), what to draw instead (refused), what is ignored and why it is harmless
    (warning). ``reported`` is False when another deployment check already refuses it in its own
    words, or when it only comes with an element that is refused itself."""

    answer: str
    text: str
    proof: str = _PROOF
    reported: bool = True


def _runs(text: str, proof: str) -> Entry:
    return Entry(RUNS, f"palette.runs.{text}", proof)


def _refused(text: str, reported: bool = True) -> Entry:
    return Entry(REFUSED, text if "." in text else f"palette.refused.{text}", _PROOF, reported)


def _warning(text: str) -> Entry:
    return Entry(WARNING, f"palette.warning.{text}")


_UNSUPPORTED = "validation.unsupported."
PALETTE: dict[str, Entry] = {
    # ---- events: the key is the element, then its trigger (none when it has no definition)
    "bpmn:startEvent": _runs("start", _SCENARIO),
    **{f"bpmn:startEvent:{kind}": _refused("start_trigger") for kind in ("message", "timer", "conditional", "signal")},
    **{f"bpmn:startEvent:{kind}": _refused("event_subprocess_start") for kind in ("error", "escalation", "compensate")},
    "bpmn:endEvent": _runs("end", _SCENARIO),
    "bpmn:endEvent:terminate": _runs("terminate", _SCENARIO),
    **{f"bpmn:endEvent:{kind}": _refused("send") for kind in ("message", "signal")},
    **{f"bpmn:endEvent:{kind}": _refused("error_escalation") for kind in ("error", "escalation")},
    "bpmn:endEvent:cancel": _refused("transaction_only"),
    "bpmn:endEvent:compensate": _refused("compensation"),
    "bpmn:intermediateThrowEvent": _runs("milestone", _RUNS),
    **{f"bpmn:intermediateThrowEvent:{kind}": _refused("send") for kind in ("message", "signal")},
    "bpmn:intermediateThrowEvent:escalation": _refused("error_escalation"),
    "bpmn:intermediateThrowEvent:compensate": _refused("compensation"),
    "bpmn:intermediateThrowEvent:link": _refused("link"),
    "bpmn:intermediateCatchEvent": _refused("catch_nothing"),
    "bpmn:intermediateCatchEvent:timer": _runs("timer_catch", "tests/scenario/test_kalmanka.py"),
    **{f"bpmn:intermediateCatchEvent:{kind}": _refused("receive") for kind in ("message", "signal", "conditional")},
    "bpmn:intermediateCatchEvent:link": _refused("link"),
    "bpmn:boundaryEvent": _refused("catch_nothing"),
    "bpmn:boundaryEvent:timer": _runs("timer_interrupting", _RUNS),
    "bpmn:boundaryEvent:timer:non-interrupting": _runs("timer_boundary", _SCENARIO),
    **{f"bpmn:boundaryEvent:{kind}": _refused("receive") for kind in ("message", "signal", "conditional")},
    "bpmn:boundaryEvent:error": _runs("error_boundary", _WORKERS),
    "bpmn:boundaryEvent:escalation": _refused("error_escalation"),
    "bpmn:boundaryEvent:cancel": _refused("transaction_only"),
    "bpmn:boundaryEvent:compensate": _refused("compensation"),
    **{f"bpmn:{event}:multiple": _refused("multiple") for event in (
        "startEvent", "endEvent", "intermediateThrowEvent", "intermediateCatchEvent", "boundaryEvent")},
    # ---- activities
    "bpmn:userTask": _runs("user_task", _SCENARIO),
    "bpmn:serviceTask": _runs("service_task", _SCENARIO),
    "bpmn:task": _refused("plain_task"),
    **{f"bpmn:{local}": _refused(_UNSUPPORTED + local) for local in (
        "scriptTask", "businessRuleTask", "callActivity", "sendTask", "receiveTask", "manualTask", "complexGateway")},
    "bpmn:subProcess": _runs("subprocess", _RUNS),
    "bpmn:subProcess:event": _refused("event_subprocess"),
    "bpmn:adHocSubProcess": _refused("ad_hoc"),
    "bpmn:transaction": _refused("transaction"),
    "bpmn:isForCompensation": _refused("compensation"),
    "bpmn:multiInstanceLoopCharacteristics": _runs("multi_instance", _SCENARIO),
    "bpmn:multiInstanceLoopCharacteristics:sequential": _runs("multi_instance_sequential", _RUNS),
    "bpmn:standardLoopCharacteristics": _refused("loop"),
    "bpmn:loopCardinality": _refused("validation.loop_cardinality", reported=False),
    "bpmn:completionCondition": _runs("completion_condition", _RUNS),
    # ---- gateways and flows
    "bpmn:exclusiveGateway": _runs("exclusive", _SCENARIO),
    "bpmn:parallelGateway": _runs("parallel", _SCENARIO),
    "bpmn:inclusiveGateway": _runs("inclusive", _RUNS),
    "bpmn:eventBasedGateway": _refused("event_gateway"),
    "bpmn:sequenceFlow": _runs("flow", _SCENARIO),
    "bpmn:conditionExpression": _runs("condition", _SCENARIO),
    "bpmn:conditionExpression:script": _refused("script_condition"),
    "bpmn:timeCycle": _refused("validation.timer_cycle", reported=False),
    # ---- pools, lanes and what is only drawn
    "bpmn:process": _runs("process", _SCENARIO),
    "bpmn:process:not-executable": _warning("not_executable"),
    "bpmn:collaboration": _runs("drawn", _SCENARIO),
    "bpmn:participant": _runs("pool", _SCENARIO),
    "bpmn:participant:other": _warning("other_pool"),
    "bpmn:lane": _runs("lane", _SCENARIO),
    "bpmn:documentation": _runs("documentation", _SCENARIO),
    "bpmn:messageFlow": _warning("message_flow"),
    **{f"bpmn:{local}": _runs("annotation", _PROOF) for local in ("textAnnotation", "association", "group", "category")},
    # bpmn:property: the placeholder bpmn-js adds to a task for a data input.
    **{f"bpmn:{local}": _warning("data") for local in ("dataObject", "dataObjectReference", "property")},
    **{f"bpmn:{local}": _refused("data_association") for local in ("dataInputAssociation", "dataOutputAssociation")},
    **{f"bpmn:{local}": _refused("data_store") for local in ("dataStore", "dataStoreReference")},
    **{f"bpmn:{local}": _warning("definition") for local in ("message", "signal", "escalation")},
    "bpmn:error": _runs("error", _WORKERS),
    # ---- camunda: attributes (camunda-bpmn-moddle) — "bpmn:<element>@camunda:<name>" overrides one element
    "camunda:candidateGroups": _runs("candidate_groups", _SCENARIO),
    "camunda:formRef": _runs("form_ref", _SCENARIO),
    "camunda:formRefBinding": _runs("form_binding", _SCENARIO),
    "camunda:formRefVersion": _warning("form_version"),
    "camunda:formKey": _refused("validation.embedded_forms", reported=False),
    "camunda:formHandlerClass": _refused("java"),
    **{f"bpmn:startEvent@camunda:{name}": _refused("start_form") for name in (
        "formRef", "formRefBinding", "formRefVersion", "formKey", "formHandlerClass")},
    "camunda:assignee": _refused("assignee"),
    "camunda:candidateUsers": _refused("assignee"),
    "camunda:dueDate": _refused("due_date"),
    "camunda:followUpDate": _refused("follow_up"),
    "camunda:priority": _warning("priority"),
    **{f"camunda:{name}": _warning("async") for name in ("async", "asyncBefore", "asyncAfter", "exclusive")},
    "camunda:jobPriority": _warning("job_priority"),
    "camunda:taskPriority": _warning("task_priority"),
    "camunda:historyTimeToLive": _warning("history"),
    "camunda:versionTag": _warning("version_tag"),
    "camunda:isStartableInTasklist": _warning("startable"),
    "camunda:candidateStarterGroups": _refused("starters"),
    "camunda:candidateStarterUsers": _refused("starters"),
    "camunda:initiator": _refused("initiator"),
    "camunda:diagramRelationId": _warning("modeler_metadata"),
    "camunda:modelerTemplate": _runs("template", "tests/deploy/test_template_constraints.py"),
    "camunda:modelerTemplateVersion": _runs("template", "tests/deploy/test_template_constraints.py"),
    "camunda:type": _runs("external", _SCENARIO),
    "camunda:topic": _runs("external", _SCENARIO),
    **{f"camunda:{name}": _refused("java") for name in ("class", "expression", "delegateExpression", "resultVariable")},
    "camunda:collection": _runs("multi_instance", _SCENARIO),
    "camunda:elementVariable": _runs("multi_instance", _SCENARIO),
    "camunda:resource": _refused("script_condition"),
    # Attributes that only come with an element refused above: that element's refusal says it all.
    **{f"camunda:{name}": _refused("comes_with_refused", reported=False) for name in (
        "errorCodeVariable", "errorMessageVariable", "escalationCodeVariable", "variableName", "variableEvents",
        "calledElementBinding", "calledElementVersion", "calledElementVersionTag", "calledElementTenantId",
        "caseRef", "caseBinding", "caseVersion", "caseTenantId", "variableMappingClass",
        "variableMappingDelegateExpression", "decisionRef", "decisionRefBinding", "decisionRefVersion",
        "decisionRefTenantId", "mapDecisionResult", "errorMessage")},
    # ---- camunda: extension elements
    "camunda:properties": _runs("properties", _SCENARIO),
    "camunda:property": _runs("properties", _SCENARIO),
    "camunda:inputOutput": _runs("outputs", "tests/deploy/test_output_parameters.py"),
    "camunda:outputParameter": _runs("outputs", "tests/deploy/test_output_parameters.py"),
    "camunda:inputParameter": _refused("validation.input_parameters", reported=False),
    "camunda:executionListener": _refused("listener"),
    "camunda:taskListener": _refused("listener"),
    "camunda:field": _refused("field"),
    "camunda:connector": _refused("java"),
    "camunda:formData": _refused("validation.embedded_forms", reported=False),
    "camunda:formProperty": _refused("validation.embedded_forms", reported=False),
    "bpmn:startEvent@camunda:formData": _refused("start_form"),
    "bpmn:startEvent@camunda:formProperty": _refused("start_form"),
    "camunda:in": _refused("comes_with_refused", reported=False),
    "camunda:out": _refused("comes_with_refused", reported=False),
    "camunda:failedJobRetryTimeCycle": _warning("retry"),
    "camunda:errorEventDefinition": _refused("external_error"),
    "camunda:potentialStarter": _refused("starters"),
    # ---- what no table entry names
    "bpmn:*": _refused("unknown_bpmn"),
    "camunda:*": _refused("unknown_camunda"),
    "other:*": _warning("foreign"),
}

_EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
_TRIGGERS = {f"{kind}EventDefinition": kind for kind in (
    "message", "timer", "conditional", "signal", "error", "escalation", "compensate", "link", "cancel", "terminate")}
# Parts of an element the entry of the element (or of its event) answers for.
_PARTS = frozenset({"definitions", "extensionElements", "incoming", "outgoing", "flowNodeRef", "laneSet",
                    "childLaneSet", "timeDate", "timeDuration", "text", "categoryValue", "condition",
                    "eventDefinitionRef", "sourceRef", "targetRef", "script", *_TRIGGERS})
# camunda: elements that sit inside another camunda: element, answered by it (a listener's
# script, a form field's validation) — except these, which get their own answer.
_OWN_ANSWER_INSIDE = frozenset({"property", "inputParameter", "outputParameter"})


@dataclass
class Survey:
    """What one diagram contains: each construct with how often it occurs, and the elements
    (their ids) where a refused or warned construct sits."""

    seen: Counter[str] = field(default_factory=Counter)
    refused: list[tuple[str | None, str]] = field(default_factory=list)
    warned: dict[str, list[str]] = field(default_factory=dict)


def answer_for(key: str) -> Entry:
    """The entry of ``key``; an unknown construct gets its namespace's catch-all entry."""
    return PALETTE.get(key) or PALETTE[f"{key.split(':', 1)[0]}:*" if key.startswith(("bpmn:", "camunda:"))
                                       else "other:*"]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _owner_id(element: etree._Element | None) -> str | None:
    """The id of the BPMN element itself, or of the nearest one around it (a camunda: extension
    element's own id, e.g. a form field's, is not what the Modeler selects)."""
    while element is not None:
        if element.get("id") and etree.QName(element).namespace == BPMN:
            return element.get("id")
        element = element.getparent()
    return None


def _event_key(element: etree._Element, local: str) -> str:
    triggers = [_TRIGGERS[_local(c)] for c in element if isinstance(c.tag, str) and _local(c) in _TRIGGERS]
    if len(triggers) > 1 or element.find(f"{{{BPMN}}}eventDefinitionRef") is not None:
        return f"bpmn:{local}:multiple"
    if not triggers:
        return f"bpmn:{local}"
    key = f"bpmn:{local}:{triggers[0]}"
    if local == "boundaryEvent" and triggers[0] == "timer" and element.get("cancelActivity") == "false":
        key += ":non-interrupting"
    return key


def _bpmn_key(element: etree._Element, executable: set[str]) -> str | None:
    """The construct a BPMN element is, or None for a part its owner's entry answers for."""
    local = _local(element)
    if local in _PARTS:
        return None
    if local in _EVENTS:
        return _event_key(element, local)
    if local == "subProcess" and element.get("triggeredByEvent") == "true":
        return "bpmn:subProcess:event"
    if local == "multiInstanceLoopCharacteristics" and element.get("isSequential") == "true":
        return f"bpmn:{local}:sequential"
    if local == "conditionExpression" and (element.get("language") or element.get(f"{{{CAMUNDA}}}resource")):
        return "bpmn:conditionExpression:script"
    if local == "process" and element.get("isExecutable") != "true":
        return "bpmn:process:not-executable"
    if local == "participant" and element.get("processRef") not in executable:
        return "bpmn:participant:other"
    return f"bpmn:{local}"


def _attribute_keys(element: etree._Element, local: str) -> list[str]:
    keys = []
    for name in element.attrib:
        qname = etree.QName(name)
        if qname.namespace == CAMUNDA:
            specific = f"bpmn:{local}@camunda:{qname.localname}"
            keys.append(specific if specific in PALETTE else f"camunda:{qname.localname}")
        elif qname.namespace is None:
            if qname.localname == "isForCompensation" and element.get(name) == "true":
                keys.append("bpmn:isForCompensation")
        elif qname.namespace not in (MODELER, _XSI, BPMN):
            keys.append(f"other:{qname.localname}")
    return keys


def _element_key(element: etree._Element, executable: set[str]) -> str | None:
    namespace = etree.QName(element).namespace
    parent = element.getparent()
    parent_namespace = etree.QName(parent).namespace if parent is not None else None
    if namespace == BPMN:
        return _bpmn_key(element, executable)
    local = _local(element)
    if namespace == CAMUNDA:
        if parent_namespace == CAMUNDA and local not in _OWN_ANSWER_INSIDE:
            return None
        holder = parent.getparent() if parent is not None else None  # extensionElements → its element
        owner = _local(holder) if holder is not None else ""
        specific = f"bpmn:{owner}@camunda:{local}"
        return specific if specific in PALETTE else f"camunda:{local}"
    return f"other:{local}" if parent_namespace == BPMN else None


def survey(root: etree._Element) -> Survey:
    """Every construct of the diagram under ``root`` (a bpmn:definitions), with the answers."""
    found = Survey()
    processes = list(root.iter(f"{{{BPMN}}}process"))
    executable = {p.get("id") or "" for p in processes if p.get("isExecutable") == "true"}
    drawn_only = {p for p in processes if p.get("isExecutable") != "true"}
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).namespace in _LAYOUT:
            continue
        ancestors = list(element.iterancestors())
        if etree.QName(element).namespace == BPMN and any(etree.QName(a).namespace != BPMN for a in ancestors):
            continue  # a BPMN element inside an extension (a task listener's timer) is the extension's
        if any(a in drawn_only for a in ancestors):
            continue  # inside a process that never runs: its own warning (bpmn:process:not-executable) says so
        key = _element_key(element, executable)
        keys = ([key] if key else []) + _attribute_keys(element, _local(element))
        for construct in keys:
            found.seen[construct] += 1
            entry = answer_for(construct)
            where = _owner_id(element)
            if entry.answer == REFUSED and entry.reported:
                found.refused.append((where, construct))
            elif entry.answer == WARNING:
                found.warned.setdefault(construct, []).append(where or "")
    return found
