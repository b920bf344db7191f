"""Single-feature variants of bpmn/orenburg.bpmn for the palette tests, built with lxml.

A variant changes one thing: an element inserted on the first flow (message_detected →
route_message, so a case meets it at once), an attribute or an extension element added to a
task, an event definition on a boundary event. New flow nodes get a shape and new flows an
edge, so only the feature itself differs from a diagram the Modeler would save.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "camunda": CAMUNDA, "xsi": XSI}
DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
FIRST_FLOW, FIRST_TASK = "to_route_message", "route_message"
_positions = itertools.count()


class Variant:
    """The Orenburg diagram being changed; :meth:`bytes` is the result."""

    def __init__(self) -> None:
        self.root = etree.fromstring(ORENBURG)
        self.process = self.root.find("bpmn:process", NS)
        self.plane = self.root.find(".//bpmndi:BPMNPlane", NS)
        self.lane = self.root.find(".//bpmn:lane[@id='lane_curator']", NS)

    def element(self, element_id: str) -> etree._Element:
        [found] = self.root.xpath("//*[@id=$id]", id=element_id)
        return found

    def fragment(self, xml: str) -> etree._Element:
        """``xml`` (prefixes bpmn:, camunda:, xsi:) parsed as one element."""
        wrapper = etree.fromstring(f"<wrapper {DECLARATIONS}>{xml}</wrapper>")
        return wrapper[0]

    def node(self, xml: str, parent: etree._Element | None = None) -> etree._Element:
        """A flow node (with its children) in the process, in the curator's lane, with a shape."""
        node = self.fragment(xml)
        (self.process if parent is None else parent).append(node)
        if parent is None:
            etree.SubElement(self.lane, f"{{{BPMN}}}flowNodeRef").text = node.get("id")
        for element in node.iter():
            if element.get("id") and etree.QName(element).localname.endswith(
                    ("Event", "Task", "task", "Gateway", "Process", "subProcess", "transaction")):
                self.shape(element.get("id") or "")
        return node

    def shape(self, element_id: str) -> None:
        n = next(_positions)
        shape = etree.SubElement(self.plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id)
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=str(3200 + 60 * n), y="100", width="36", height="36")

    def flow(self, flow_id: str, source: str, target: str, parent: etree._Element | None = None) -> etree._Element:
        flow = etree.SubElement(self.process if parent is None else parent, f"{{{BPMN}}}sequenceFlow",
                                id=flow_id, sourceRef=source, targetRef=target)
        self._link(source, "outgoing", flow_id)
        self._link(target, "incoming", flow_id)
        edge = etree.SubElement(self.plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id)
        for x in ("3200", "3260"):
            etree.SubElement(edge, f"{{{DI}}}waypoint", x=x, y="118")
        return flow

    def _link(self, element_id: str, kind: str, flow_id: str) -> None:
        element = self.element(element_id)
        link = etree.Element(f"{{{BPMN}}}{kind}")
        link.text = flow_id
        # XSD order: documentation, extensionElements, incoming*, outgoing*, then the rest.
        before = [c for c in element if etree.QName(c).localname in
                  ("documentation", "extensionElements", "incoming", *(("outgoing",) if kind == "outgoing" else ()))]
        element.insert(element.index(before[-1]) + 1 if before else 0, link)

    def on_first_flow(self, first: str, last: str | None = None) -> None:
        """message_detected → ``first`` … ``last`` → route_message."""
        flow = self.element(FIRST_FLOW)
        task = self.element(FIRST_TASK)
        flow.set("targetRef", first)
        for incoming in task.findall("bpmn:incoming", NS):
            if incoming.text == FIRST_FLOW:
                task.remove(incoming)
        self._link(first, "incoming", FIRST_FLOW)
        self.flow("palette_to_route", last or first, FIRST_TASK)

    def extension(self, element_id: str, xml: str) -> etree._Element:
        """``xml`` appended to the element's extensionElements (created where the XSD wants it)."""
        element = self.element(element_id)
        extensions = element.find("bpmn:extensionElements", NS)
        if extensions is None:
            extensions = etree.Element(f"{{{BPMN}}}extensionElements")
            docs = element.findall("bpmn:documentation", NS)
            element.insert(element.index(docs[-1]) + 1 if docs else 0, extensions)
        child = self.fragment(xml)
        extensions.append(child)
        return child

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")


def build(change: Callable[[Variant], object]) -> bytes:
    variant = Variant()
    change(variant)
    return variant.bytes()
