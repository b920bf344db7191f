"""A worker's ``bpmnError`` caught by a boundary error event on its service task (issue 17).

Only the task's own boundary events are asked (Camunda 7 propagates an uncaught error up the
scopes; Otklik refuses it instead, so a worker's error never lands somewhere the analyst did not
draw). A boundary error event with no error code (no ``errorRef``, or an error without
``errorCode``) catches every code, as in Camunda 7.
"""
from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import ErrorEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.util.task import TaskState


def _catching(task: Any, code: str) -> list[Any]:
    parent = task.parent
    if parent is None:
        return []
    found = []
    for sibling in parent.children:
        definition = getattr(sibling.task_spec, "event_definition", None)
        if sibling is task or sibling.state != TaskState.WAITING or not isinstance(definition, ErrorEventDefinition):
            continue
        if definition.code in (None, "", code):
            found.append(sibling)
    # The event with this very code wins over a catch-all one.
    return sorted(found, key=lambda s: s.task_spec.event_definition.code != code)


def catch_error(task: Any, code: str) -> bool:
    """Fire the boundary error event of ``task`` that catches ``code``; whether there was one."""
    catching = _catching(task, code)
    if not catching:
        return False
    boundary = catching[0]
    event = BpmnEvent(ErrorEventDefinition(code, code=code))
    boundary.task_spec.catch(boundary, event)
    boundary.task_spec._update(boundary)
    return True
