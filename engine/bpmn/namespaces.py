"""The XML namespaces of a Camunda 7 diagram, written once.

lxml names an element by its namespace URI, never by the prefix a file happens to use
(``bpmn:``, ``bpmn2:``, or none with a default namespace), so every lookup goes through these
URIs: the Clark form ``{uri}local`` (:func:`bpmn`, :func:`camunda`) or the prefix map :data:`NS`
for ``find``/``findall`` paths. The prefixes in :data:`NS` are ours, not the file's.
"""
from __future__ import annotations

from lxml import etree

__all__ = ["BPMN", "BPMNDI", "CAMUNDA", "MODELER", "NS", "ZEEBE", "bpmn", "camunda", "is_bpmn", "local_name"]

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
MODELER = "http://camunda.org/schema/modeler/1.0"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"  # Camunda 8: recognised only to be refused
NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "camunda": CAMUNDA}

_BPMN_TAG = f"{{{BPMN}}}"


def bpmn(local: str) -> str:
    """``{…/MODEL}local``: the tag of a BPMN element, whatever prefix the file uses."""
    return f"{_BPMN_TAG}{local}"


def camunda(local: str) -> str:
    """``{…camunda…}local``: a Camunda extension attribute or element."""
    return f"{{{CAMUNDA}}}{local}"


def is_bpmn(element: etree._Element) -> bool:
    """An element of the BPMN model namespace (not a comment, not DI, not an extension)."""
    return isinstance(element.tag, str) and element.tag.startswith(_BPMN_TAG)


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname
