"""Deployment checks of service tasks' topics and of the error events that catch a worker's bpmnError
(issue 17 §1): a topic is either one of Otklik's own handlers (engine.runtime.services) or declared
served by an external worker (the task's property ``external`` = ``true``), never both, never
neither; each refusal names the element and says what to draw or declare.
"""
from __future__ import annotations

from lxml import etree

from engine.bpmn.conventions import EXTERNAL_PROPERTY, declared_external
from engine.bpmn.namespaces import NS, camunda
from engine.bpmn.reader import properties
from engine.runtime import services
from engine.texts import Text, t

MAX_TOPIC = 128  # the external_task table's column


def topic_problems(task: etree._Element) -> list[Text]:
    """What is wrong with an external service task's topic (its camunda:type is checked before)."""
    topic = task.get(camunda("topic"))
    declared = properties(task)
    if not topic:
        return [t("external.topic_missing")]
    if len(topic) > MAX_TOPIC:
        return [t("external.topic_long", limit=MAX_TOPIC)]
    value = declared.get(EXTERNAL_PROPERTY)
    if value is not None and not declared_external({EXTERNAL_PROPERTY: value}):
        return [t("external.external_value", value=(value or "")[:32])]
    if declared_external({EXTERNAL_PROPERTY: value or ""}):
        return [t("external.topic_both", topic=topic)] if topic in services.topics() else []
    if topic not in services.topics():
        return [t("validation.topic_unknown", topic=topic, topics=", ".join(sorted(services.topics())))]
    return []


def error_boundary_problems(root: etree._Element) -> list[tuple[str | None, Text]]:
    """A boundary error event must sit on a service task served by a worker (the only thing that
    throws one: its bpmnError), and the error it references must have a code."""
    found: list[tuple[str | None, Text]] = []
    errors = {e.get("id"): e for e in root.iterfind("bpmn:error", NS)}
    for event in root.iterfind(".//bpmn:boundaryEvent", NS):
        definition = event.find("bpmn:errorEventDefinition", NS)
        if definition is None:
            continue
        attached = root.find(f".//*[@id='{event.get('attachedToRef', '')}']") \
            if _is_id(event.get("attachedToRef")) else None
        if attached is None or etree.QName(attached).localname != "serviceTask" \
                or not declared_external({k: v or "" for k, v in properties(attached).items()}):
            found.append((event.get("id"), t("external.error_boundary_not_worker")))
            continue
        ref = definition.get("errorRef")
        error = errors.get(ref) if ref else None
        if ref and (error is None or not (error.get("errorCode") or "").strip()):
            found.append((event.get("id"), t("external.error_code_missing", error=ref)))
    return found


def _is_id(value: str | None) -> bool:
    """An XML id (NCName-like) safe to put in an XPath literal."""
    return bool(value) and all(c.isalnum() or c in "_-." for c in value or "")
