"""Loading, advancing and saving workflows; keeping the inbox projection in step.

Every change to an instance goes through :func:`advance` then :func:`save`, in one
transaction: service-task handlers, audit rows, the task projection and the new state
commit together.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from SpiffWorkflow.bpmn import BpmnWorkflow

from . import clock
from .audit import record
from .models import Deployment, Instance, Message, Task
from .services import ServiceCall, get_handler
from .spiff import inspect
from .schedules import region_schedules
from .spiff.script_engine import organisation_schedules, script_engine_for_region
from .spiff.serializer import dump_state, load_spec, load_state

MAX_ENGINE_ROUNDS = 100
_TICK = timedelta(microseconds=1)  # a diagram that loops without waiting is a modelling error, not a hang


@lru_cache(maxsize=64)
def _spec(deployment_id: int, spec_text: str) -> tuple[Any, dict[str, Any]]:
    # Keyed by id; the text rides along so a cache miss needs no second query.
    return load_spec(spec_text)


def new_workflow(deployment: Deployment) -> BpmnWorkflow:
    spec, subprocess_specs = _spec(deployment.id, deployment.spec)
    return BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine_for_region(deployment.region))


def load(session: Session, instance: Instance) -> BpmnWorkflow:
    deployment = session.get(Deployment, instance.deployment_id)
    spec, subprocess_specs = _spec(deployment.id, deployment.spec)
    return load_state(instance.state, spec, subprocess_specs, script_engine_for_region(deployment.region))


def functions_for(region: str) -> dict[str, Any]:
    return script_engine_for_region(region).environment.functions


def advance(session: Session, instance: Instance, workflow: BpmnWorkflow, actor: str) -> None:
    """Run engine steps until only user tasks and armed timers are left.

    Timers that are already due fire one due time at a time, oldest first, with the clock
    pinned to that time — after downtime each fires once, in order, as it would have.
    """
    now = clock.now()
    with organisation_schedules(region_schedules(session, instance.region)):
        for due in sorted({d for d in inspect.timer_dues(workflow) if d <= now}):
            # SpiffWorkflow fires a timer only when now is strictly after its due time.
            with clock.pinned(due + _TICK):
                _run_engine(session, instance, workflow)
        _run_engine(session, instance, workflow)


def _run_engine(session: Session, instance: Instance, workflow: BpmnWorkflow) -> None:
    now = clock.now()

    def will_complete(task: Any) -> None:
        if inspect.is_external_task(task):
            _call_service(session, instance, task, now)

    def did_complete(task: Any) -> None:
        if inspect.is_timer_event(task):
            due = inspect.timer_due(task)
            record(session, "timer_fired", actor="system", at=now, instance_id=instance.id,
                   message_id=instance.message_id, element_id=task.task_spec.bpmn_id,
                   details={"name": task.task_spec.bpmn_name, "due_at": due.isoformat() if due else None})

    for _ in range(MAX_ENGINE_ROUNDS):
        workflow.refresh_timers()
        workflow.do_engine_steps(will_complete_task=will_complete, did_complete_task=did_complete)
        if next(inspect.pending_engine_tasks(workflow), None) is None:
            return
    raise RuntimeError(f"instance {instance.id}: engine steps did not settle; check the diagram for loops")


def _call_service(session: Session, instance: Instance, task: Any, now: datetime) -> None:
    extensions = task.task_spec.extensions
    timer = inspect.trigger_timer(task)
    organisation = None
    if timer is not None:
        guarded = [t for t in inspect.guarded_tasks(timer) if inspect.is_ready_user_task(t)]
        if guarded:
            organisation = inspect.organisation_of(guarded[0], functions_for(instance.region))
    if organisation is None and extensions.get("properties", {}).get("organisation"):
        # A case-wide deadline (no task guarded) names the responsible agency itself, e.g. agency.
        organisation = inspect.organisation_of(task, functions_for(instance.region))
    call = ServiceCall(
        session=session, instance_id=instance.id, message_id=instance.message_id, region=instance.region,
        element_id=task.task_spec.bpmn_id, properties=dict(extensions.get("properties", {})),
        data=dict(task.data), now=now,
        timer_id=timer.task_spec.bpmn_id if timer is not None else None,
        due_at=inspect.timer_due(timer) if timer is not None else None, organisation_key=organisation,
    )
    get_handler(extensions["topic"])(call)
    task.data.update(call.results)


def save(session: Session, instance: Instance, workflow: BpmnWorkflow, actor: str) -> None:
    """Persist the state and bring the task projection in line with it."""
    now = clock.now()
    instance.state = dump_state(workflow)
    instance.next_timer_at = inspect.next_timer_at(workflow)
    if workflow.completed and instance.status == "running":
        instance.status, instance.completed_at = "completed", now
        message = session.get(Message, instance.message_id)
        message.status = "closed"
        record(session, "instance_completed", actor=actor, at=now, instance_id=instance.id,
               message_id=instance.message_id)
    session.flush()
    _project(session, instance, workflow, now)


def _project(session: Session, instance: Instance, workflow: BpmnWorkflow, now: datetime) -> None:
    current = {t.id: t for t in inspect.ready_user_tasks(workflow, functions_for(instance.region))}
    rows = {r.id: r for r in session.scalars(
        select(Task).where(Task.instance_id == instance.id, Task.status == "open"))}
    for task_id, row in rows.items():
        if task_id not in current:
            row.status, row.closed_at = "cancelled", now  # e.g. ended by a terminate event
        elif row.due_at != current[task_id].due_at:
            row.due_at = current[task_id].due_at
    for task_id, open_task in current.items():
        if task_id in rows:
            continue
        session.add(Task(
            id=task_id, instance_id=instance.id, message_id=instance.message_id, region=instance.region,
            element_id=open_task.element_id, name=open_task.name, role=open_task.role,
            organisation_key=open_task.organisation_key, form_ref=open_task.form_ref,
            due_at=open_task.due_at, created_at=now,
        ))
