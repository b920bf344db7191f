"""The ``external_task`` rows, kept in step with the workflow on every save (like the inbox's rows).

A service task whose topic is declared external waits STARTED in the workflow; here it becomes a
row a worker can fetch (engine.runtime.external_tasks). One that stopped waiting without a worker's
completion (a boundary timer interrupted it, a terminate end event ended the case) is ``cancelled``:
a worker holding its lock is then told it is gone.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from engine.bpmn.conventions import PRIORITY_PROPERTY
from engine.models import ExternalTask, Instance
from engine.runtime.camunda_values import typed_variables
from engine.spiff import inspect
from engine.spiff.script_engine import case_variables

_OPEN = select(ExternalTask).where(ExternalTask.instance_id == bindparam("instance_id"),
                                   ExternalTask.status == "open")


def task_values(workflow: Any, task: Any) -> dict[str, Any]:
    """What a worker reads: the task's data with the case-wide variables over it (Camunda 7's
    process variables)."""
    return {**task.data, **case_variables(workflow)}


def project(session: Session, instance: Instance, workflow: Any, now: datetime, *, started: bool = False) -> None:
    if not inspect.has_worker_tasks(workflow):
        return  # most diagrams: no query on their saves
    waiting = {str(task.id): task for task in inspect.waiting_worker_tasks(workflow)}
    # A case started in this transaction has no rows yet, and may not be written yet (its batch's
    # flush writes it: engine.runtime.row_ids), so nothing is read.
    rows = {} if started else {row.id: row for row in session.scalars(_OPEN, {"instance_id": instance.id})}
    for task_id, row in rows.items():
        if task_id not in waiting:
            row.status, row.closed_at = "cancelled", now
            row.worker_id = row.lock_expires_at = None
    if not waiting:
        return
    process_key = workflow.spec.name
    for task_id, task in waiting.items():
        if task_id in rows:
            continue
        properties = task.task_spec.extensions.get("properties") or {}
        session.add(ExternalTask(
            id=task_id, instance_id=instance.id, message_id=instance.message_id,
            deployment_id=instance.deployment_id, process_key=process_key, region=instance.region,
            element_id=task.task_spec.bpmn_id, topic=task.task_spec.extensions.get("topic") or "",
            priority=_priority(properties.get(PRIORITY_PROPERTY)),
            variables=typed_variables(task_values(workflow, task)), status="open", created_at=now,
        ))


def _priority(text: str | None) -> int:
    """The task's ``priority`` property (Camunda's ``camunda:taskPriority`` is refused by the palette);
    a whole number, else 0."""
    try:
        return max(-(2**31), min(2**31 - 1, int((text or "0").strip())))
    except ValueError:
        return 0
