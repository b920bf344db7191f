"""What a worker does with a task it locked (issue 17): complete, failure, extendLock, unlock, bpmnError.

Every call names the task by id and (but unlock) the worker holding its lock; a task completed,
cancelled, never there or outside the caller's regions is a 404, a lock another worker holds or
that expired a 400 (Camunda answers 500 for some of these; docs/integration.md). A completion locks
the case's row first (``SELECT … FOR UPDATE``, as an official's completion does), then reads the
task's row again: two workers racing with the same task (one of them after its lock expired and
the other fetched it) advance the case once, and the loser gets a clear refusal.
"""
from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine import clock
from engine.db.audit import record
from engine.errors import InvalidSubmission
from engine.models import ExternalTask, Instance
from engine.runtime import store
from engine.runtime.camunda_values import case_values
from engine.runtime.external_access import Refused, worker_regions
from engine.runtime.external_fetch import lock_ms, worker_id_of
from engine.spiff import inspect
from engine.spiff.error_events import catch_error
from engine.spiff.script_engine import case_variables
from engine.texts import t

MAX_ERROR_MESSAGE = 666  # Camunda 7 keeps this many characters of errorMessage
MAX_ERROR_DETAILS = 20_000
MAX_RETRIES = 1000
MAX_RETRY_TIMEOUT_MS = 30 * 24 * 3600 * 1000  # a month


def _row(session: Session, login: str, task_id: str, *, for_update: bool = False) -> ExternalTask:
    """The open task ``task_id`` in the caller's regions; Refused (404) otherwise."""
    regions = worker_regions(session, login)
    query = select(ExternalTask).where(ExternalTask.id == task_id[:36])
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = session.scalars(query).one_or_none()
    if row is None or (regions is not None and row.region not in regions):
        raise Refused(404, "InvalidRequestException", t("external.task_missing", id=task_id[:64]))
    if row.status != "open":
        raise Refused(404, "InvalidRequestException",
                      t("external.task_closed", id=row.id, status=t(f"external.status_{row.status}")))
    return row


def _check_lock(row: ExternalTask, worker: str, now: datetime) -> None:
    """The caller's worker holds the task's lock now; Refused (400) saying who does, or that it expired."""
    if row.worker_id is None or row.lock_expires_at is None:
        raise Refused(400, "BadUserRequestException", t("external.not_locked", id=row.id))
    if row.worker_id != worker:
        raise Refused(400, "BadUserRequestException",
                      t("external.locked_by_other", id=row.id, worker=worker[:64], holder=row.worker_id[:64]))
    if row.lock_expires_at <= now:
        raise Refused(400, "BadUserRequestException", t("external.lock_expired", id=row.id, worker=worker[:64]))


def _locked_case(session: Session, login: str, task_id: str, worker: str) -> tuple[ExternalTask, Instance, Any]:
    """The task's row and its case's row, the case locked for update, the lock checked after the
    case's lock was granted (so a racing completion is seen); the case's workflow."""
    row = _row(session, login, task_id)
    try:
        instance = session.execute(select(Instance).where(Instance.id == row.instance_id).with_for_update()
                                   .execution_options(populate_existing=True)).scalar_one()
    except NoResultFound:
        raise Refused(404, "InvalidRequestException", t("external.task_missing", id=task_id[:64])) from None
    session.refresh(row)  # read again now that the case is ours: a racing completion is seen
    if row.status != "open":
        raise Refused(404, "InvalidRequestException",
                      t("external.task_closed", id=row.id, status=t(f"external.status_{row.status}")))
    now = clock.now()
    _check_lock(row, worker, now)
    if instance.status != "running":
        raise Refused(409, "BadUserRequestException", t("external.case_not_running", case=instance.message_id))
    workflow = store.load(session, instance, for_update=True)
    if instance.next_timer_at is not None and instance.next_timer_at <= now:
        store.advance(session, instance, workflow, worker)  # deadlines that passed fire first, at their times
    spiff_task = inspect.get_task(workflow, row.id)
    if spiff_task is None or not inspect.is_waiting_worker_task(spiff_task):
        raise Refused(409, "BadUserRequestException", t("external.task_interrupted", id=row.id))
    return row, instance, (workflow, spiff_task)


def _save(session: Session, row: ExternalTask, instance: Instance, workflow: Any, actor: str) -> None:
    store.advance(session, instance, workflow, actor)
    try:
        store.save(session, instance, workflow, actor)
        session.flush()
    except StaleDataError:
        raise Refused(409, "BadUserRequestException", t("external.completed_at_once", id=row.id)) from None


def complete(session: Session, login: str, task_id: str, body: Any) -> None:
    """The worker's result: ``variables`` become case variables, ``localVariables`` the task's own;
    the service task completes and the case advances."""
    worker = worker_id_of(body)
    try:
        variables = case_values(body.get("variables"), "variables")
        local = case_values(body.get("localVariables"), "localVariables")
    except InvalidSubmission as error:
        raise Refused(400, "InvalidRequestException", t("external.variables_refused", problems=str(error))) from None
    row, instance, (workflow, spiff_task) = _locked_case(session, login, task_id, worker)
    spiff_task.data.update(local)
    spiff_task.data.update(variables)
    case_variables(workflow).update(copy.deepcopy(variables))
    spiff_task.complete()
    now = clock.now()
    row.status, row.closed_at, row.completed_by = "completed", now, worker
    row.lock_expires_at = None
    record(session, "external_completed", actor=login, at=now, instance_id=instance.id,
           message_id=instance.message_id, element_id=row.element_id,
           details={"task_id": row.id, "topic": row.topic, "worker": worker, "variables": sorted(variables)})
    _save(session, row, instance, workflow, login)


def bpmn_error(session: Session, login: str, task_id: str, body: Any) -> None:
    """A business error the diagram catches: a boundary error event on the task with that error
    code takes the case along its flow. Refused (400) naming what to draw when there is none."""
    worker = worker_id_of(body)
    code = body.get("errorCode")
    if not isinstance(code, str) or not code.strip() or len(code) > 255:
        raise Refused(400, "InvalidRequestException", t("external.error_code"))
    try:
        variables = case_values(body.get("variables"), "variables")
    except InvalidSubmission as error:
        raise Refused(400, "InvalidRequestException", t("external.variables_refused", problems=str(error))) from None
    row, instance, (workflow, spiff_task) = _locked_case(session, login, task_id, worker)
    if not catch_error(spiff_task, code):
        raise Refused(400, "BadUserRequestException", t("external.error_not_caught", element=row.element_id,
                                                        error_code=code[:64]))
    case_variables(workflow).update(copy.deepcopy(variables))
    now = clock.now()
    row.status, row.closed_at, row.completed_by = "completed", now, worker
    row.lock_expires_at = None
    message = body.get("errorMessage")
    record(session, "external_bpmn_error", actor=login, at=now, instance_id=instance.id,
           message_id=instance.message_id, element_id=row.element_id,
           details={"task_id": row.id, "topic": row.topic, "worker": worker, "code": code,
                    "message": str(message)[:MAX_ERROR_MESSAGE] if message is not None else None})
    _save(session, row, instance, workflow, login)


def _bounded_text(body: dict[str, Any], name: str, limit: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Refused(400, "InvalidRequestException", t("external.not_text", name=name))
    return value[:limit]


def failure(session: Session, login: str, task_id: str, body: Any) -> None:
    """The worker could not do it: with retries left the task is fetchable again after
    ``retryTimeout``; at 0 retries it is an incident (engine.runtime.incidents) until someone retries it."""
    worker = worker_id_of(body)
    retries = body.get("retries")
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= MAX_RETRIES:
        raise Refused(400, "InvalidRequestException", t("external.number_range", name="retries", low=0,
                                                        high=MAX_RETRIES))
    timeout = body.get("retryTimeout") or 0
    if isinstance(timeout, bool) or not isinstance(timeout, int) or not 0 <= timeout <= MAX_RETRY_TIMEOUT_MS:
        raise Refused(400, "InvalidRequestException", t("external.number_range", name="retryTimeout", low=0,
                                                        high=MAX_RETRY_TIMEOUT_MS))
    message = _bounded_text(body, "errorMessage", MAX_ERROR_MESSAGE)
    details = _bounded_text(body, "errorDetails", MAX_ERROR_DETAILS)
    row = _row(session, login, task_id, for_update=True)
    now = clock.now()
    _check_lock(row, worker, now)
    row.retries, row.error_message, row.error_details = retries, message, details
    row.retry_at = now + timedelta(milliseconds=timeout) if retries > 0 else None
    row.worker_id = row.lock_expires_at = None
    record(session, "external_incident" if retries == 0 else "external_failure", actor=login, at=now,
           instance_id=row.instance_id, message_id=row.message_id, element_id=row.element_id,
           details={"task_id": row.id, "topic": row.topic, "worker": worker, "retries": retries,
                    "error": message})
    session.flush()


def extend_lock(session: Session, login: str, task_id: str, body: Any) -> None:
    """The worker needs longer: the lock now ends ``newDuration`` ms from now."""
    worker = worker_id_of(body)
    duration = lock_ms(body, "newDuration")
    row = _row(session, login, task_id, for_update=True)
    now = clock.now()
    _check_lock(row, worker, now)
    row.lock_expires_at = now + timedelta(milliseconds=duration)
    session.flush()


def unlock(session: Session, login: str, task_id: str) -> None:
    """Release the task's lock whoever holds it (Camunda's unlock names no worker)."""
    row = _row(session, login, task_id, for_update=True)
    row.worker_id = row.lock_expires_at = None
    session.flush()
