"""Questions the runtime asks a live workflow, answered without leaking Spiff types upward."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.camunda.specs.user_task import UserTask
from SpiffWorkflow.task import Task as SpiffTask
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.conventions import DEADLINE_PROPERTY, declared_external
from engine.expressions.language import ExpressionError, evaluate
from engine.spiff.pruning import pruned_path
from engine.spiff.script_engine import case_variables


@dataclass(frozen=True)
class OpenTask:
    """A READY user task as the inbox needs it."""

    id: str
    element_id: str
    name: str
    role: str
    organisation_key: str | None
    form_ref: str | None
    due_at: datetime | None


def _timer_due(task: SpiffTask) -> datetime | None:
    value = task._get_internal_data("event_value")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def is_timer_event(task: SpiffTask) -> bool:
    definition = getattr(task.task_spec, "event_definition", None)
    return isinstance(definition, TimerEventDefinition)


def timer_due(task: SpiffTask) -> datetime | None:
    """When a (waiting or fired) timer event task is/was due."""
    return _timer_due(task) if is_timer_event(task) else None


def deadline_of(task: SpiffTask) -> datetime | None:
    """The earliest armed boundary timer guarding ``task`` (or its multi-instance parent)."""
    node = task.parent
    while node is not None:
        if isinstance(node.task_spec, BoundaryEventSplit):
            dues = [d for d in (timer_due(c) for c in node.children if c is not task) if d is not None]
            return min(dues) if dues else None
        if not isinstance(node.task_spec, MultiInstanceTask) and node is not task.parent:
            return None
        node = node.parent
    return None


def own_timers(task: SpiffTask) -> list[tuple[str, datetime]]:
    """The armed boundary timers guarding ``task`` (or its multi-instance parent): name and due."""
    node = task.parent
    while node is not None:
        if isinstance(node.task_spec, BoundaryEventSplit):
            return sorted(((c.task_spec.bpmn_name or "", due) for c in node.children
                           if c is not task and (due := timer_due(c)) is not None), key=lambda timer: timer[1])
        if not isinstance(node.task_spec, MultiInstanceTask) and node is not task.parent:
            return []
        node = node.parent
    return []


def guarded_tasks(timer_task: SpiffTask) -> list[SpiffTask]:
    """The user tasks a boundary timer is attached to (MI children included)."""
    split = timer_task.parent
    if split is None or not isinstance(split.task_spec, BoundaryEventSplit):
        return []
    found = []
    for child in split.children:
        if child is timer_task or is_timer_event(child):
            continue
        found.extend([child] if isinstance(child.task_spec, UserTask) else
                     [c for c in child.children if isinstance(c.task_spec, UserTask)])
    return found


def organisation_of(task: SpiffTask, functions: dict[str, Callable[..., Any]], *, current: bool = False) -> str | None:
    """Evaluate the task's ``organisation`` property (an expression) against its data.

    ``current``: the case's variables as they are now win over the task's own copy. A case-wide
    deadline branch was split off at the first routing and still holds the agency of that moment;
    after a return and a reroute the case variable names the agency that holds the case, which is
    the one a breach is charged to."""
    expression = task.task_spec.extensions.get("properties", {}).get("organisation")
    if not expression:
        return None
    variables = {**task.data, **case_variables(task.workflow)} if current else \
        {**case_variables(task.workflow), **task.data}  # a user task's own data: e.g. a multi-instance part
    try:
        value = evaluate(expression, variables, functions)
    except ExpressionError:
        return None
    if isinstance(value, dict):  # a completed multi-instance element: {"item": agency, ...}
        value = value.get("item")
    return str(value) if value is not None else None


def _every_task(workflow: BpmnWorkflow) -> Iterator[SpiffTask]:
    """Every task of the workflow and its subprocesses, in no particular order.

    A flat pass over SpiffWorkflow's task dicts: ``get_tasks`` walks the tree (parent and
    children looked up by id at every step), ten times slower for a question about states."""
    yield from workflow.tasks.values()
    for subprocess in workflow.subprocesses.values():
        yield from subprocess.tasks.values()


def ready_user_tasks(workflow: BpmnWorkflow, functions: dict[str, Callable[..., Any]]) -> list[OpenTask]:
    ready = [t for t in _every_task(workflow) if t.state == TaskState.READY and isinstance(t.task_spec, UserTask)]
    if len(ready) > 1:
        # Several (parallel branches, multi-instance): in tree order, as the inbox has always listed them.
        ready = [t for t in workflow.get_tasks(state=TaskState.READY) if isinstance(t.task_spec, UserTask)]
    result = []
    for task in ready:
        spec = task.task_spec
        extensions = spec.extensions
        groups = extensions.get("candidate_groups") or [""]
        result.append(OpenTask(
            id=str(task.id), element_id=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id,
            role=groups[0], organisation_key=organisation_of(task, functions),
            form_ref=extensions.get("form_ref"), due_at=deadline_of(task),
        ))
    return result


_TIMER_TYPES = frozenset({"TimeDateEventDefinition", "DurationTimerEventDefinition"})


def armed_timers(workflow: BpmnWorkflow) -> list[Any]:
    """Armed timers as SpiffWorkflow reports them: ``.name`` (what people read), ``.value`` (ISO due)."""
    return [e for e in workflow.waiting_events() if e.event_type in _TIMER_TYPES and isinstance(e.value, str)]


def timer_dues(workflow: BpmnWorkflow) -> list[datetime]:
    """Due times of every armed timer."""
    return [datetime.fromisoformat(e.value) for e in armed_timers(workflow)]


def next_timer_at(workflow: BpmnWorkflow) -> datetime | None:
    dues = timer_dues(workflow)
    return min(dues) if dues else None


def waiting_timer_events(workflow: BpmnWorkflow) -> list[SpiffTask]:
    """Timer events armed and not yet fired (intermediate and boundary), in no particular order."""
    return [t for t in _every_task(workflow) if t.state == TaskState.WAITING and is_timer_event(t)
            and t._get_internal_data("event_value") is not None]


def _deadline_declared_after(spec: Any, steps: int = 4) -> str | None:
    """The ``deadline`` a record_violation task within a few flows after ``spec`` declares
    (engine.bpmn.conventions.DEADLINE_PROPERTY): which deadline the timer is, in the diagram's words."""
    frontier, seen = list(spec.outputs), {id(spec)}
    for _ in range(steps):
        following = []
        for item in frontier:
            if id(item) in seen:
                continue
            seen.add(id(item))
            extensions = getattr(item, "extensions", None) or {}
            declared = (extensions.get("properties") or {}).get(DEADLINE_PROPERTY)
            if declared:
                return str(declared)
            following.extend(item.outputs)
        frontier = following
    return None


def case_timers(workflow: BpmnWorkflow) -> list[tuple[str, datetime, str | None]]:
    """Armed timers that guard the case rather than one task (name, due, the ``deadline`` key the
    violation it leads to declares): an intermediate timer on a branch of its own (the whole
    answer's deadline, split off at routing; a return's), not a boundary timer attached to a task.
    A task page shows them beside the task's own deadline."""
    found = []
    for task in waiting_timer_events(workflow):
        if task.parent is not None and isinstance(task.parent.task_spec, BoundaryEventSplit):
            continue
        due = _timer_due(task)
        if due is not None:
            found.append((task.task_spec.bpmn_name or "", due, _deadline_declared_after(task.task_spec)))
    return sorted(found, key=lambda timer: timer[1])


def get_task(workflow: BpmnWorkflow, task_id: str) -> SpiffTask | None:
    try:
        return workflow.get_task_from_id(UUID(task_id))
    except (ValueError, KeyError, TypeError):
        return None


def is_ready_user_task(task: SpiffTask) -> bool:
    return task.state == TaskState.READY and isinstance(task.task_spec, UserTask)


def multi_instance_variable(task: SpiffTask) -> str | None:
    """The element variable a multi-instance child writes its form into, if any."""
    parent = task.parent
    if parent is not None and isinstance(parent.task_spec, MultiInstanceTask):
        item = parent.task_spec.output_item or parent.task_spec.input_item
        return item.bpmn_id if item is not None else None
    return None


def is_external_task(task: SpiffTask) -> bool:
    return task.task_spec.extensions.get("type") == "external" if hasattr(task.task_spec, "extensions") else False


def is_worker_task(task: SpiffTask) -> bool:
    """An external task whose topic the diagram declares served by a worker (not in process)."""
    return is_external_task(task) and declared_external(task.task_spec.extensions.get("properties") or {})


def has_worker_tasks(workflow: BpmnWorkflow) -> bool:
    """Whether the workflow's diagram has a service task served by an external worker at all."""
    specs = [workflow.spec, *workflow.subprocess_specs.values()]
    return any(_declares_worker(task_spec) for spec in specs for task_spec in spec.task_specs.values())


def _declares_worker(task_spec: Any) -> bool:
    extensions = getattr(task_spec, "extensions", None)
    return isinstance(extensions, dict) and extensions.get("type") == "external" and \
        declared_external(extensions.get("properties") or {})


def waiting_worker_tasks(workflow: BpmnWorkflow) -> list[SpiffTask]:
    """Service tasks waiting (STARTED) for an external worker's completion."""
    return [t for t in _every_task(workflow) if t.state == TaskState.STARTED and is_worker_task(t)]


def is_waiting_worker_task(task: SpiffTask) -> bool:
    return task.state == TaskState.STARTED and is_worker_task(task)


def pending_engine_tasks(workflow: BpmnWorkflow) -> Iterator[SpiffTask]:
    """READY tasks the engine (not a person) would run, in no particular order."""
    return (t for t in _every_task(workflow) if t.state == TaskState.READY and not t.task_spec.manual)


def start_task(workflow: BpmnWorkflow) -> SpiffTask:
    return workflow.get_tasks(state=TaskState.READY)[0]


def trigger_timer(task: SpiffTask) -> SpiffTask | None:
    """The timer event that led (through its outgoing flow) to this task, if any."""
    node = task.parent
    while node is not None:
        if is_timer_event(node):
            return node
        if isinstance(node.task_spec, UserTask):
            return None
        node = node.parent
    return None


def path_taken(workflow: BpmnWorkflow) -> list[str]:
    """Diagram element ids the case has passed through (completed), in no particular order."""
    found = {t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.COMPLETED)
             if getattr(t.task_spec, "bpmn_id", None)}
    return sorted(found.union(pruned_path(workflow)))  # and those cut from a long case's tree


def waiting_timers(workflow: BpmnWorkflow) -> list[tuple[str, str, datetime]]:
    """(element id, name, due) of every armed timer event, for marking them on the diagram."""
    result = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
        due = timer_due(task)
        if due is not None and getattr(task.task_spec, "bpmn_id", None):
            result.append((task.task_spec.bpmn_id, task.task_spec.bpmn_name or task.task_spec.bpmn_id, due))
    return sorted(result, key=lambda item: item[2])
