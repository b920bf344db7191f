"""The one diagram reader: a deployed diagram's XML read once into what the read models need.

The procedure card, the comparison, the diff of two versions, a case on its diagram, the heatmap
and the deploy page all ask the same questions of a diagram — its elements by id with type, name,
lane, documentation, timer, clauses cited, properties; its sequence flows; its pools — and used to
walk the lxml tree each in its own way. :func:`read` answers them all from one parse, kept per
content hash: a deployment is immutable, so the same text always reads the same, and a page that
shows a 200 kB diagram no longer parses it on every request. Deploy-time checks
(engine.deployment.validation) still walk the raw tree, since they judge the XML itself; they share the
element helpers below (:func:`properties`, :func:`timer_of`, :func:`lanes_of`).

Clause citations ("п. 6", "пп. 4–17 и 21") are parsed here only: :func:`clauses_in`, :func:`clause_of`.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from lxml import etree

from engine.bpmn.namespaces import NS, bpmn, camunda, local_name
from engine.bpmn.timer_template import template_expression
from engine.bpmn.xmlsafe import parse
from engine.directory.roles import lane_role

__all__ = ["FLOW_NODES", "REFUSED_NODES", "SUPPORTED_NODES", "VARIABLE_PREFIX", "Diagram", "Flow", "Lane", "Node",
           "clause_of", "clauses_in", "lanes_of", "properties", "read", "read_diagram", "text", "timer_of"]

VARIABLE_PREFIX = "var."  # process property "var.published" = "False" declares a case variable
# Flow nodes the engine runs, and those refused at deployment (engine.deployment.validation says why).
# (The answer for every construct, events by trigger included: engine/deployment/palette.py.)
SUPPORTED_NODES = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
                   "userTask", "serviceTask", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "subProcess")
REFUSED_NODES = ("scriptTask", "businessRuleTask", "callActivity", "sendTask", "receiveTask", "complexGateway",
                 "manualTask", "task", "eventBasedGateway")
FLOW_NODES = (*SUPPORTED_NODES, *REFUSED_NODES)
_TIMER_KINDS = ("timeDate", "timeDuration", "timeCycle")
_CACHE_SIZE = 32  # diagrams, ~0.5 MB each parsed; the five regions' versions in use fit

# ------------------------------------------------------------------ clause citations

# "п. 6", "пп. 6–14 и 21", "п. 4, 6:", "п. 2.4": the numbers after п./пп., commas and "и" continue the list.
_NUMBER = r"\d+(?:\.\d+)*(?:\s*[–—-]\s*\d+(?:\.\d+)*)?"
_CLAUSES = re.compile(rf"(?<![\w.])пп?\.\s*({_NUMBER}(?:\s*(?:,|и)\s*{_NUMBER})*)")
_CLAUSE_ITEM = re.compile(_NUMBER)


def clauses_in(*texts: str) -> tuple[str, ...]:
    """Clause numbers cited as "п. N" / "пп. N–M и K" in the texts, first mention first."""
    found: list[str] = []
    for value in texts:
        for match in _CLAUSES.finditer(value or ""):
            for item in _CLAUSE_ITEM.findall(match.group(1)):
                item = re.sub(r"\s*[–—-]\s*", "–", item)
                if item not in found:
                    found.append(item)
    return tuple(found)


def clause_of(name: str) -> str | None:
    """"9 рабочих часов …, п. 8" → "8": the last clause a timer's name cites (its deadline's clause).

    The same parser as :func:`clauses_in`, so "пп. 4–17" is "4–17" and "п. 6, 8" is "8" here too
    (the message card's former regex said "4" and "6"; every name in the shipped diagrams reads the same)."""
    found = clauses_in(name)
    return found[-1] if found else None


# ------------------------------------------------------------------ element helpers (shared with validation)

def text(element: etree._Element | None) -> str:
    """An element's text with its whitespace runs made single spaces ("" for no element)."""
    return " ".join((element.text or "").split()) if element is not None else ""


def properties(element: etree._Element) -> dict[str, str | None]:
    """The element's camunda:properties as written (a value left empty in the Modeler is None)."""
    return {p.get("name") or "": p.get("value")
            for p in element.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)}


def timer_of(element: etree._Element) -> tuple[str, str | None] | None:
    """An event's timer: (timeDate/timeDuration/timeCycle, its expression stripped), ("", None) for a
    timer definition without an expression, None for no timer."""
    definition = element.find("bpmn:timerEventDefinition", NS)
    if definition is None:
        return None
    for kind in _TIMER_KINDS:
        found = definition.find(f"bpmn:{kind}", NS)
        if found is not None:
            return kind, (found.text or "").strip()
    return "", None


def lanes_of(process: etree._Element) -> dict[str, tuple[str, str]]:
    """Flow node id → (lane id, lane name) from the lanes' flowNodeRef lists."""
    return {ref.text.strip(): (lane.get("id") or "", " ".join((lane.get("name") or "").split()))
            for lane in process.iter(bpmn("lane")) for ref in lane.findall("bpmn:flowNodeRef", NS) if ref.text}


# ------------------------------------------------------------------ the parsed diagram

def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Flow:
    id: str
    source: str
    target: str
    name: str
    condition: str | None
    is_default: bool
    written_name: str = ""  # the name exactly as typed (the diff compares it so)
    documentation: str = ""


@dataclass(frozen=True)
class Lane:
    id: str
    name: str
    written_name: str = ""
    documentation: str = ""


@dataclass(frozen=True)
class Node:
    """One flow node with what the conventions put on it."""

    id: str
    tag: str  # BPMN local name: userTask, boundaryEvent, …
    name: str  # whitespace made single spaces: what people read
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
    written_name: str = ""
    timer_kind: str | None = None  # timeDate/timeDuration/timeCycle; "" a timer without expression
    events: tuple[str, ...] = ()  # its *EventDefinition children, by local name
    default: str | None = None  # a gateway's default flow
    cancel_activity: str | None = None  # a boundary event's attribute as written
    collection: str | None = None  # multi-instance: camunda:collection, camunda:elementVariable,
    element_variable: str | None = None  # and the completion condition
    completion: str = ""
    parent: str | None = None  # the embedded subprocess holding this node (None: the process itself)

    @property
    def role(self) -> str | None:
        if self.candidate_groups:
            return self.candidate_groups.split(",")[0].strip() or None
        return lane_role(self.lane_id) if self.lane_id else None

    @property
    def clauses(self) -> tuple[str, ...]:
        """The clauses of the act this step cites in its documentation or name."""
        return clauses_in(self.documentation, self.name)


@dataclass(frozen=True)
class Diagram:
    """The executable process of a diagram (or its only process), read once and shared: immutable."""

    process_id: str
    name: str
    documentation: str
    properties: Mapping[str, str]
    nodes: Mapping[str, Node]  # in document order
    flows: tuple[Flow, ...]
    outgoing: Mapping[str, tuple[Flow, ...]] = field(default_factory=_empty)
    incoming: Mapping[str, tuple[Flow, ...]] = field(default_factory=_empty)
    boundaries: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)  # host id → boundary event ids
    lanes: Mapping[str, Lane] = field(default_factory=_empty)
    order: tuple[str, ...] = ()  # ids of nodes, flows and lanes in document order
    written_name: str = ""
    has_process: bool = True
    ids: frozenset[str] = frozenset()  # every id in the document, diagram shapes included
    pools: Mapping[str, str] = field(default_factory=_empty)  # process id → its participant (pool) id

    @property
    def region(self) -> str:
        """The territory the diagram declares it serves (process property ``region``); process ids are free names."""
        return self.properties.get("region", "")

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
            queue.extend(f.target for f in self.outgoing.get(current, ()))
            for boundary in self.boundaries.get(current, ()):
                if boundary not in seen:
                    seen.add(boundary)
                    order.append(boundary)
                    queue.extend(f.target for f in self.outgoing.get(boundary, ()))
        # Nodes no flow reaches (an event subprocess, a drawing mistake) still belong on the card.
        order += [n for n in self.nodes if n not in seen]
        return order

    def timers(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.timer is not None]

    def timer_hosts(self) -> dict[str, str]:
        """Boundary event id → the task it is attached to."""
        return {n.id: n.attached_to or "" for n in self.nodes.values() if n.tag == "boundaryEvent"}


def _node(element: etree._Element, local: str, lanes: Mapping[str, tuple[str, str]]) -> Node:
    eid = element.get("id") or ""
    timer = timer_of(element)
    props = properties(element)
    built = template_expression(props) if timer is not None else None
    if timer is not None and built is not None:
        # A deadline template's fields are the timer the engine runs (engine.spiff.parser), also when
        # the Modeler's Timer field is empty: pages read the same deadline.
        timer = (timer[0] or "timeDate", built)
    outputs = {p.get("name") or "": "".join(map(str, p.itertext())).strip()
               for p in element.findall("bpmn:extensionElements/camunda:inputOutput/camunda:outputParameter", NS)}
    events = tuple(local_name(child) for child in element
                   if isinstance(child.tag, str) and local_name(child).endswith("EventDefinition"))
    loop = element.find("bpmn:multiInstanceLoopCharacteristics", NS)
    lane_id, lane_name = lanes.get(eid, (None, ""))
    written = element.get("name") or ""
    return Node(
        id=eid, tag=local, name=" ".join(written.split()), documentation=text(element.find("bpmn:documentation", NS)),
        lane_id=lane_id, lane_name=lane_name,
        properties=MappingProxyType({k: v or "" for k, v in props.items()}),
        candidate_groups=element.get(camunda("candidateGroups")), form_ref=element.get(camunda("formRef")),
        topic=element.get(camunda("topic")), timer=timer[1] if timer else None, attached_to=element.get("attachedToRef"),
        terminate="terminateEventDefinition" in events, multi_instance=loop is not None,
        outputs=MappingProxyType(outputs), written_name=written, timer_kind=timer[0] if timer else None, events=events,
        default=element.get("default"), cancel_activity=element.get("cancelActivity"),
        collection=loop.get(camunda("collection")) if loop is not None else None,
        element_variable=loop.get(camunda("elementVariable")) if loop is not None else None,
        completion=text(loop.find("bpmn:completionCondition", NS)) if loop is not None else "",
        parent=_parent_subprocess(element),
    )


def _parent_subprocess(element: etree._Element) -> str | None:
    """The id of the nearest embedded subprocess around ``element`` (None at process level)."""
    for ancestor in element.iterancestors():
        if ancestor.tag == bpmn("subProcess"):
            return ancestor.get("id")
        if ancestor.tag == bpmn("process"):
            return None
    return None


def _read(data: bytes) -> Diagram:
    root = parse(data).getroot()  # engine.bpmn.xmlsafe: no DTD, entities or network
    ids = frozenset(e.get("id") or "" for e in root.iter() if isinstance(e.tag, str) and e.get("id"))
    pools = MappingProxyType({p.get("processRef") or "": p.get("id") or "" for p in root.iter(bpmn("participant"))})
    processes = root.findall("bpmn:process", NS)
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    if not executable:
        return Diagram("", "", "", MappingProxyType({}), MappingProxyType({}), (), has_process=False, ids=ids, pools=pools)
    process = executable[0]
    lanes_by_node = lanes_of(process)
    wanted = {bpmn(name) for name in (*FLOW_NODES, "sequenceFlow", "lane")}
    nodes: dict[str, Node] = {}
    lanes: dict[str, Lane] = {}
    order: dict[str, None] = {}
    flows: list[Flow] = []
    defaults: set[str] = set()
    listed: dict[str, list[str]] = {}  # node id → its <outgoing> flow ids, in the order drawn
    for element in process.iter(*wanted):
        eid = element.get("id")
        if not eid:
            continue
        local, written = local_name(element), element.get("name") or ""
        order[eid] = None
        documentation = text(element.find("bpmn:documentation", NS))
        if local == "lane":
            lanes[eid] = Lane(eid, " ".join(written.split()), written, documentation)
        elif local == "sequenceFlow":
            condition = element.find("bpmn:conditionExpression", NS)
            flows.append(Flow(eid, element.get("sourceRef") or "", element.get("targetRef") or "", " ".join(written.split()),
                              (condition.text or "").strip() if condition is not None else None, False, written,
                              documentation))
        else:
            nodes[eid] = _node(element, local, lanes_by_node)
            listed[eid] = [text(o) for o in element.findall("bpmn:outgoing", NS)]
            if element.get("default"):
                defaults.add(element.get("default") or "")
    flows = [Flow(f.id, f.source, f.target, f.name, f.condition, f.id in defaults, f.written_name, f.documentation)
             for f in flows]
    by_id = {f.id: f for f in flows}
    outgoing: dict[str, tuple[Flow, ...]] = {}
    incoming: dict[str, tuple[Flow, ...]] = {}
    boundaries: dict[str, list[str]] = {}
    for node_id in nodes:
        # The node's own <outgoing> list keeps the order the analyst drew; flows not listed follow.
        drawn = [by_id[t] for t in listed[node_id] if t in by_id and by_id[t].source == node_id]
        outgoing[node_id] = (*drawn, *(f for f in flows if f.source == node_id and f not in drawn))
        incoming[node_id] = tuple(f for f in flows if f.target == node_id)
    for node in nodes.values():
        if node.tag == "boundaryEvent" and node.attached_to:
            boundaries.setdefault(node.attached_to, []).append(node.id)
    written = process.get("name") or ""
    return Diagram(
        process.get("id") or "", " ".join(written.split()), text(process.find("bpmn:documentation", NS)),
        MappingProxyType({k: v or "" for k, v in properties(process).items()}), MappingProxyType(nodes), tuple(flows),
        MappingProxyType(outgoing), MappingProxyType(incoming),
        MappingProxyType({k: tuple(v) for k, v in boundaries.items()}), MappingProxyType(lanes), tuple(order),
        written, True, ids, pools,
    )


_DIAGRAMS: OrderedDict[bytes, Diagram] = OrderedDict()
_LOCK = threading.Lock()


def read(xml: str | bytes) -> Diagram:
    """The diagram, parsed once per content (sha256 of the UTF-8 text): the same text read twice, as
    str or bytes, is the same object. Raises :class:`engine.bpmn.xmlsafe.UnsafeXml` for unacceptable XML."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    key = hashlib.sha256(data).digest()
    with _LOCK:
        found = _DIAGRAMS.get(key)
        if found is not None:
            _DIAGRAMS.move_to_end(key)
            return found
    diagram = _read(data)  # outside the lock: two threads may parse the same text once each, harmlessly
    with _LOCK:
        _DIAGRAMS[key] = diagram
        while len(_DIAGRAMS) > _CACHE_SIZE:
            _DIAGRAMS.popitem(last=False)
    return diagram


def read_diagram(bpmn_xml: str | bytes) -> Diagram:
    """Read the executable process (or the only process) of a diagram; raise ValueError if there is none."""
    diagram = read(bpmn_xml)
    if not diagram.has_process:
        raise ValueError("the diagram has no process")
    return diagram
