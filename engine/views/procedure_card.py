"""The procedure card: a diagram read back as the steps people act on, in the order a case meets them.

The regulator and the officials check a procedure against its act without Camunda Modeler: who does
each step, by when (in words, engine.deadline_words) and which clause it implements. Everything is
read from the diagram's own conventions (docs/analyst-guide.md): lanes ``lane_<role>``, candidate
groups, boundary and intermediate timers, ``var.*`` process properties, "п. N" in documentation.
Pure functions over the XML text; engine.comparison builds on the same reading (:class:`Diagram`).
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from engine.bpmn.xmlsafe import parse
from engine.calendar.regions import REGIONS
from engine.directory.roles import lane_role
from engine.expressions.deadline_words import deadline_in_words, expression_names
from engine.forms import FormError, parse_form

__all__ = ["CardStep", "Diagram", "Flow", "Node", "ProcedureCard", "case_value_names", "clauses_in",
           "procedure_card", "read_diagram", "timer_words"]

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
VARIABLE_PREFIX = "var."
_NODE_TAGS = frozenset({"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
                        "userTask", "serviceTask", "task", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
                        "eventBasedGateway", "subProcess"})
_GATEWAYS = frozenset({"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway"})
# "п. 6", "пп. 6–14 и 21", "п. 4, 6:", "п. 2.4": the numbers after п./пп., commas and "и" continue the list.
_NUMBER = r"\d+(?:\.\d+)*(?:\s*[–—-]\s*\d+(?:\.\d+)*)?"
_CLAUSES = re.compile(rf"(?<![\w.])пп?\.\s*({_NUMBER}(?:\s*(?:,|и)\s*{_NUMBER})*)")
_CLAUSE_ITEM = re.compile(_NUMBER)


@dataclass(frozen=True)
class Flow:
    id: str
    source: str
    target: str
    name: str
    condition: str | None
    is_default: bool


@dataclass(frozen=True)
class Node:
    """One flow node with what the conventions put on it."""

    id: str
    tag: str  # BPMN local name: userTask, boundaryEvent, …
    name: str
    documentation: str
    lane_id: str | None
    lane_name: str
    properties: Mapping[str, str]  # camunda extension properties
    candidate_groups: str | None
    form_ref: str | None
    topic: str | None
    timer: str | None  # the timer expression (timeDate, timeDuration or timeCycle text)
    attached_to: str | None  # a boundary event's host
    terminate: bool
    multi_instance: bool
    outputs: Mapping[str, str]  # camunda output parameters (name → expression)

    @property
    def role(self) -> str | None:
        if self.candidate_groups:
            return self.candidate_groups.split(",")[0].strip() or None
        return lane_role(self.lane_id) if self.lane_id else None


@dataclass
class Diagram:
    """The executable process of a diagram: nodes, sequence flows, lanes and process properties."""

    process_id: str
    name: str
    documentation: str
    properties: dict[str, str]
    nodes: dict[str, Node]  # in document order
    flows: list[Flow]
    outgoing: dict[str, list[Flow]] = field(default_factory=dict)
    incoming: dict[str, list[Flow]] = field(default_factory=dict)
    boundaries: dict[str, list[str]] = field(default_factory=dict)  # host id → boundary event ids

    @property
    def region(self) -> str:
        return self.properties.get("region") or (self.process_id if self.process_id in REGIONS else "")

    @property
    def variables(self) -> dict[str, str]:
        """``var.<name>`` process properties: name → default (expression text)."""
        return {k[len(VARIABLE_PREFIX):]: (v or "").strip() for k, v in self.properties.items()
                if k.startswith(VARIABLE_PREFIX)}

    def flow_order(self) -> list[str]:
        """Node ids breadth-first from the start events; a host's boundary events right after it."""
        order: list[str] = []
        seen: set[str] = set()
        queue = deque(n.id for n in self.nodes.values() if n.tag == "startEvent")
        while queue:
            current = queue.popleft()
            if current in seen or current not in self.nodes:
                continue
            seen.add(current)
            order.append(current)
            queue.extend(f.target for f in self.outgoing.get(current, []))
            for boundary in self.boundaries.get(current, []):
                if boundary not in seen:
                    seen.add(boundary)
                    order.append(boundary)
                    queue.extend(f.target for f in self.outgoing.get(boundary, []))
        # Nodes no flow reaches (an event subprocess, a drawing mistake) still belong on the card.
        order += [n for n in self.nodes if n not in seen]
        return order

    def timers(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.timer is not None]


def _text(element: etree._Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _node(element: etree._Element, lanes: Mapping[str, tuple[str, str]]) -> Node:
    eid = element.get("id") or ""
    local = etree.QName(element).localname
    properties = {p.get("name") or "": p.get("value") or ""
                  for p in element.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)}
    timer = element.find("bpmn:timerEventDefinition", NS)
    expression = None
    if timer is not None:
        for kind in ("timeDate", "timeDuration", "timeCycle"):
            found = timer.find(f"bpmn:{kind}", NS)
            if found is not None:
                expression = (found.text or "").strip()
    outputs = {p.get("name") or "": (p.text or "").strip()
               for p in element.findall("bpmn:extensionElements/camunda:inputOutput/camunda:outputParameter", NS)}
    lane_id, lane_name = lanes.get(eid, (None, ""))
    return Node(
        id=eid, tag=local, name=" ".join((element.get("name") or "").split()),
        documentation=_text(element.find("bpmn:documentation", NS)), lane_id=lane_id, lane_name=lane_name,
        properties=properties, candidate_groups=element.get(f"{{{CAMUNDA}}}candidateGroups"),
        form_ref=element.get(f"{{{CAMUNDA}}}formRef"), topic=element.get(f"{{{CAMUNDA}}}topic"),
        timer=expression, attached_to=element.get("attachedToRef"),
        terminate=element.find("bpmn:terminateEventDefinition", NS) is not None,
        multi_instance=element.find("bpmn:multiInstanceLoopCharacteristics", NS) is not None,
        outputs=outputs,
    )


def read_diagram(bpmn_xml: str) -> Diagram:
    """Read the executable process (or the only process) of a diagram; raise ValueError if there is none."""
    root = parse(bpmn_xml.encode("utf-8")).getroot()  # engine.xmlsafe: no DTD, entities or network
    processes = root.findall("bpmn:process", NS)
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    if not executable:
        raise ValueError("the diagram has no process")
    process = executable[0]
    lanes = {(ref.text or "").strip(): (lane.get("id") or "", " ".join((lane.get("name") or "").split()))
             for lane in process.iter(f"{{{BPMN}}}lane") for ref in lane.findall("bpmn:flowNodeRef", NS)}
    nodes: dict[str, Node] = {}
    defaults: set[str] = set()
    listed: dict[str, list[str]] = {}  # node id → its <outgoing> flow ids, in the order drawn
    flows: list[Flow] = []
    for element in process.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{BPMN}}}"):
            continue
        local = etree.QName(element).localname
        if local in _NODE_TAGS and element.get("id"):
            nodes[element.get("id") or ""] = _node(element, lanes)
            listed[element.get("id") or ""] = [_text(o) for o in element.findall("bpmn:outgoing", NS)]
            if element.get("default"):
                defaults.add(element.get("default") or "")
    for element in process.iter(f"{{{BPMN}}}sequenceFlow"):
        condition = element.find("bpmn:conditionExpression", NS)
        flows.append(Flow(element.get("id") or "", element.get("sourceRef") or "", element.get("targetRef") or "",
                          " ".join((element.get("name") or "").split()),
                          (condition.text or "").strip() if condition is not None else None,
                          element.get("id") in defaults))
    properties = {p.get("name") or "": p.get("value") or ""
                  for p in process.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)}
    diagram = Diagram(process.get("id") or "", " ".join((process.get("name") or "").split()),
                      _text(process.find("bpmn:documentation", NS)), properties, nodes, flows)
    by_id = {f.id: f for f in flows}
    for node_id in nodes:
        # The node's own <outgoing> list keeps the order the analyst drew; flows not listed follow.
        drawn = [by_id[t] for t in listed[node_id] if t in by_id and by_id[t].source == node_id]
        diagram.outgoing[node_id] = drawn + [f for f in flows if f.source == node_id and f not in drawn]
        diagram.incoming[node_id] = [f for f in flows if f.target == node_id]
    for node in nodes.values():
        if node.tag == "boundaryEvent" and node.attached_to:
            diagram.boundaries.setdefault(node.attached_to, []).append(node.id)
    return diagram


def clauses_in(*texts: str) -> tuple[str, ...]:
    """Clause numbers cited as "п. N" / "пп. N–M и K" in the texts, first mention first."""
    found: list[str] = []
    for text in texts:
        for match in _CLAUSES.finditer(text or ""):
            for item in _CLAUSE_ITEM.findall(match.group(1)):
                item = re.sub(r"\s*[–—-]\s*", "–", item)
                if item not in found:
                    found.append(item)
    return tuple(found)


def case_value_names(forms: Mapping[str, str] | None) -> frozenset[str]:
    """Keys of the input fields of the procedure's forms: variables a person sets during the case."""
    names: set[str] = set()
    for text in (forms or {}).values():
        try:
            names.update(f.key for f in parse_form(text).fields)
        except FormError:
            continue  # a broken form was refused at deployment; it sets nothing here
    return frozenset(names)


@dataclass(frozen=True)
class CardStep:
    element_id: str
    kind: str  # user_task, service_task, timer, gateway, start, end
    name: str
    role: str | None  # role key: curator, executor, … (system for lane_system)
    lane: str  # the lane's name, what people read
    deadline_words: str  # "" when the step has no deadline
    deadline_element_id: str | None  # the timer (for a task: its first boundary timer)
    clauses: tuple[str, ...]
    documentation: str
    organisation: str | None  # the executor task's organisation expression (agency, part)
    expression: str | None = None  # a timer's expression, as written
    is_parameter: bool = False  # the deadline reads a diagram parameter (var.*)
    parameters: tuple[str, ...] = ()  # which ones
    host_id: str | None = None  # a boundary timer's task
    form_id: str | None = None  # a user task's camunda:formRef
    multi_instance: bool = False


@dataclass(frozen=True)
class ProcedureCard:
    process_id: str
    name: str
    region: str
    documentation: str
    parameters: dict[str, str]  # var.<name> → default, as written in the diagram
    summary: str | None
    steps: list[CardStep]

    def step(self, element_id: str) -> CardStep:
        for step in self.steps:
            if step.element_id == element_id:
                return step
        raise KeyError(element_id)


def timer_words(diagram: Diagram, timer: Node, case_values: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """A timer's deadline in words and the diagram parameters it reads."""
    expression = timer.timer or ""
    variables = diagram.variables
    used = tuple(sorted(n for n in expression_names(expression) if n in variables and n not in case_values))
    return deadline_in_words(expression, variables, case_values), used


def _kind(node: Node) -> str | None:
    """The card's kind for a node, or None when the node is not a step people act on or wait for."""
    if node.tag == "startEvent":
        return "start"
    if node.tag == "userTask":
        return "user_task"
    if node.tag == "serviceTask" and node.topic == "notify":
        return "service_task"
    if node.timer is not None and node.tag in ("boundaryEvent", "intermediateCatchEvent"):
        return "timer"
    if node.tag in _GATEWAYS and node.name:
        return "gateway"
    if node.tag == "endEvent" and node.terminate:
        return "end"
    return None


def _step(diagram: Diagram, node: Node, kind: str, case_values: frozenset[str]) -> CardStep:
    words = ""
    used: tuple[str, ...] = ()
    deadline_id: str | None = None
    if kind == "timer":
        words, used = timer_words(diagram, node, case_values)
        deadline_id = node.id
    elif kind == "user_task":
        timers = [diagram.nodes[b] for b in diagram.boundaries.get(node.id, []) if diagram.nodes[b].timer is not None]
        described = [timer_words(diagram, t, case_values) for t in timers]
        words = "; ".join(dict.fromkeys(w for w, _ in described))
        used = tuple(sorted({n for _, names in described for n in names}))
        deadline_id = timers[0].id if timers else None
    return CardStep(
        element_id=node.id, kind=kind, name=node.name, role=node.role, lane=node.lane_name,
        deadline_words=words, deadline_element_id=deadline_id, clauses=clauses_in(node.documentation, node.name),
        documentation=node.documentation, organisation=node.properties.get("organisation"),
        expression=node.timer if kind == "timer" else None, is_parameter=bool(used), parameters=used,
        host_id=node.attached_to, form_id=node.form_ref, multi_instance=node.multi_instance,
    )


def procedure_card(bpmn_xml: str, forms: Mapping[str, str] | None = None) -> ProcedureCard:
    """The card of a diagram; ``forms`` (form id → .form JSON) tell case values from diagram parameters."""
    diagram = read_diagram(bpmn_xml)
    case_values = case_value_names(forms)
    steps = []
    for node_id in diagram.flow_order():
        node = diagram.nodes[node_id]
        kind = _kind(node)
        if kind is not None:
            steps.append(_step(diagram, node, kind, case_values))
    return ProcedureCard(
        process_id=diagram.process_id, name=diagram.name, region=diagram.region,
        documentation=diagram.documentation, parameters=diagram.variables,
        summary=diagram.properties.get("summary") or None, steps=steps,
    )
