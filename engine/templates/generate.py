"""A procedure's diagram generated from a template's: the template's XML with the adopter's choices.

Everything the analyst drew stays as drawn (steps, lanes, forms, layout); only process properties
change — ``region`` (the adopting territory), ``var.<name>`` (each parameter's chosen value),
``template`` = ``false``, ``template.source`` and ``template.version`` (where it came from) — and
the process id (with the pool and the diagram plane that name it). The ``param.*`` declarations
stay, so the procedure knows its parameters' types and labels (its Deployment.parameters hold the
chosen values) and an upgrade can keep them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from engine.bpmn.namespaces import BPMNDI, NS, bpmn, camunda
from engine.bpmn.template_parameters import (
    SOURCE_PROPERTY,
    TEMPLATE_PROPERTY,
    VERSION_PROPERTY,
    Parameter,
    expression,
)
from engine.bpmn.xmlsafe import parse


def _process(root: etree._Element) -> etree._Element:
    processes = root.findall(bpmn("process"))
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    return executable[0]  # a deployed template has exactly one executable process (validation)


def _properties(process: etree._Element) -> etree._Element:
    extensions = process.find(bpmn("extensionElements"))
    if extensions is None:
        extensions = etree.Element(bpmn("extensionElements"))
        # extensionElements comes right after documentation in the BPMN schema's sequence.
        documentation = process.findall(bpmn("documentation"))
        process.insert(process.index(documentation[-1]) + 1 if documentation else 0, extensions)
    found = extensions.find(camunda("properties"))
    if found is None:
        found = etree.SubElement(extensions, camunda("properties"))
    return found


def _set(properties: etree._Element, name: str, value: str) -> None:
    for item in properties.findall("camunda:property", NS):
        if item.get("name") == name:
            item.set("value", value)
            return
    etree.SubElement(properties, camunda("property"), {"name": name, "value": value})


def generate(template_xml: str, template_pid: str, template_version: int, process_id: str, territory: str,
             parameters: Sequence[Parameter], values: Mapping[str, str], name: str | None = None) -> str:
    """The procedure's BPMN XML; ``values`` are checked and normalised already (catalogue.check_values)."""
    tree = parse(template_xml.encode("utf-8"))
    root = tree.getroot()
    process = _process(root)
    old_id = process.get("id")
    process.set("id", process_id)
    for participant in root.iter(bpmn("participant")):
        if participant.get("processRef") == old_id:
            participant.set("processRef", process_id)
    for plane in root.iter(f"{{{BPMNDI}}}BPMNPlane"):
        if plane.get("bpmnElement") == old_id:
            plane.set("bpmnElement", process_id)
    if name:
        process.set("name", name)
    properties = _properties(process)
    _set(properties, "region", territory)
    _set(properties, TEMPLATE_PROPERTY, "false")
    _set(properties, SOURCE_PROPERTY, template_pid)
    _set(properties, VERSION_PROPERTY, str(template_version))
    for parameter in parameters:
        _set(properties, f"var.{parameter.name}", expression(parameter, values[parameter.name]))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8").decode("utf-8")
