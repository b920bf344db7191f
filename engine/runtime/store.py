"""Loading, advancing and saving workflows; keeping the inbox projection in step.

Every change to an instance goes through :func:`advance` then :func:`save`, in one
transaction: service-task handlers, audit rows, the task projection and the new state
commit together.

Two caches keep a completion from redoing work: deployments are immutable, so what is parsed
from one (spec, forms) is kept per process, looked up by id plus content hash; live workflows
are kept by :mod:`engine.runtime.workflow_cache`, served only while the instance row still holds the
state they were saved as.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.schedules import region_schedules
from engine.calendar.workingtime import Schedule
from engine.db.audit import record
from engine.errors import NotFound
from engine.models import Deployment, Instance, Message, Task
from engine.runtime import external_rows
from engine.runtime.services import ServiceCall, get_handler
from engine.runtime.workflow_cache import CACHE
from engine.spiff import inspect, runner
from engine.spiff.pruning import prune_history
from engine.spiff.runner import Workflow
from engine.spiff.script_engine import organisation_schedules, script_engine_for_region
from engine.spiff.serializer import dump_state, load_spec, load_state

MAX_ENGINE_ROUNDS = 100
_TICK = timedelta(microseconds=1)  # a diagram that loops without waiting is a modelling error, not a hang
_SESSION_DEPLOYMENTS = "otklik_deployments"


@lru_cache(maxsize=64)
def _spec(deployment_id: int, spec_text: str) -> tuple[Any, dict[str, Any]]:
    # Keyed by id; the text rides along so a cache miss needs no second query.
    return load_spec(spec_text)


@dataclass(frozen=True)
class DeploymentInfo:
    """What running a case needs from its deployment row, without the row's 200 kB each time."""

    id: int
    process_id: str
    name: str
    version: int
    region: str
    content_hash: str
    spec_text: str
    forms: Mapping[str, str]  # form id → .form JSON text
    variables: Mapping[str, str]  # declared case variables → default expression

    def specs(self) -> tuple[Any, dict[str, Any]]:
        return _spec(self.id, self.spec_text)


_DEPLOYMENTS: OrderedDict[tuple[int, str, str], DeploymentInfo] = OrderedDict()
_DEPLOYMENTS_LOCK = threading.Lock()
_DEPLOYMENTS_SIZE = 64


_DEPLOYMENT_KEY = select(Deployment.process_id, Deployment.content_hash).where(Deployment.id == bindparam("id"))


def deployment_info(session: Session, deployment_id: int) -> DeploymentInfo:
    """The deployment's immutable parts: once per session a two-column query, the rest cached.

    The key includes the content hash: ids alone repeat when a database is emptied or another
    one is used in the same process. Not :mod:`engine.db.session_memo`, which forgets on every flush:
    a deployment cannot change within a transaction, so only a rollback drops this one."""
    memo: dict[int, DeploymentInfo] = session.info.setdefault(_SESSION_DEPLOYMENTS, {})
    if deployment_id in memo:
        return memo[deployment_id]
    row = session.execute(_DEPLOYMENT_KEY, {"id": deployment_id}).one_or_none()
    if row is None:
        raise NotFound(f"deployment {deployment_id} does not exist")
    key = (deployment_id, row.process_id, row.content_hash)
    with _DEPLOYMENTS_LOCK:
        info = _DEPLOYMENTS.get(key)
    if info is None:
        full = session.get_one(Deployment, deployment_id)  # the row was just read: it exists
        info = DeploymentInfo(full.id, full.process_id, full.name, full.version, full.region, full.content_hash, full.spec,
                              dict(full.forms or {}), dict(full.variables or {}))
        with _DEPLOYMENTS_LOCK:
            _DEPLOYMENTS[key] = info
            while len(_DEPLOYMENTS) > _DEPLOYMENTS_SIZE:
                _DEPLOYMENTS.popitem(last=False)
    memo[deployment_id] = info
    return info


@event.listens_for(Session, "after_soft_rollback")
def _forget_deployments(session: Session, previous_transaction: Any) -> None:
    # A rolled-back deployment's id can be handed out again (SQLite reuses it).
    session.info.pop(_SESSION_DEPLOYMENTS, None)


def new_workflow(deployment: Deployment | DeploymentInfo) -> Workflow:
    spec, subprocess_specs = _spec(deployment.id, deployment.spec) if isinstance(deployment, Deployment) \
        else deployment.specs()
    return runner.new_workflow(spec, subprocess_specs, deployment.region)


def _restorer(session: Session, instance: Instance) -> tuple[Callable[[], Workflow], Callable[[Workflow], bool]]:
    """How to rebuild the instance's workflow from its row, and whether a cached one still fits it."""
    info = deployment_info(session, instance.deployment_id)
    spec, subprocess_specs = info.specs()
    script_engine = script_engine_for_region(info.region)
    state = instance.state
    return (lambda: load_state(state, spec, subprocess_specs, script_engine),
            lambda workflow: workflow.spec is spec and workflow.script_engine is script_engine)


def load(session: Session, instance: Instance, for_update: bool = False) -> Workflow:
    """The instance's workflow as its row holds it now. With ``for_update`` the caller is about to
    change it; it then returns to the process cache only through :func:`save` and a commit."""
    restore, fits = _restorer(session, instance)
    return CACHE.load(session, instance.id, instance.state, instance.version, restore=restore, fits=fits,
                      for_update=for_update)


def load_for_reading(session: Session, instance: Instance) -> Workflow:
    """The instance's workflow as its row holds it now, for a page to look at — never to change.

    The read path of :func:`load`: no row lock is asked for (nor by :func:`load`; writers lock the row
    themselves, engine.runtime.cases), nothing is marked for update, and a workflow this unit of
    work is changing is never shown. The process cache still serves it when the row is unchanged,
    so a page costs no deserialization (engine.runtime.workflow_cache, :meth:`WorkflowCache.read`)."""
    restore, fits = _restorer(session, instance)
    return CACHE.read(session, instance.id, instance.state, instance.version, restore=restore, fits=fits)


def functions_for(region: str) -> dict[str, Any]:
    functions: dict[str, Any] = script_engine_for_region(region).environment.functions  # SpiffWorkflow: untyped
    return functions


class _RegionSchedules(Mapping[str, Schedule]):
    """Organisation schedules of a region, read only if an expression names an organisation
    (``working_hours(n, org=agency)``); most engine steps never ask, so most never query."""

    def __init__(self, session: Session, region: str) -> None:
        self._session, self._region = session, region
        self._loaded: dict[str, Schedule] | None = None

    def _data(self) -> dict[str, Schedule]:
        if self._loaded is None:
            self._loaded = region_schedules(self._session, self._region)
        return self._loaded

    def __getitem__(self, key: str) -> Schedule:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


def advance(session: Session, instance: Instance, workflow: Workflow, actor: str) -> None:
    """Run engine steps until only user tasks and armed timers are left.

    Timers that are already due fire one due time at a time, oldest first, with the clock
    pinned to that time — after downtime each fires once, in order, as it would have.
    """
    CACHE.changed(session, instance.id, workflow)
    now = clock.now()
    with organisation_schedules(_RegionSchedules(session, instance.region)):
        _follow_case_variables(workflow)
        for due in sorted({d for d in inspect.timer_dues(workflow) if d <= now}):
            # SpiffWorkflow fires a timer only when now is strictly after its due time.
            with clock.pinned(due + _TICK):
                _run_engine(session, instance, workflow)
        _run_engine(session, instance, workflow)


_COUNTED_FROM = re.compile(r"\bsince\s*=")


def _follow_case_variables(workflow: Workflow) -> None:
    """An armed timer counted from a fixed moment (``since=``) follows the case's variables.

    SpiffWorkflow computes a timer's due time once, when it is armed. A case-wide deadline such as
    ``working_hours(answer_hours, since=detected_at)`` must move when the curator sets a shorter
    term later (when a returned message is routed again): so its expression is evaluated again
    against the variables as they are now. A timer without ``since=`` counts from its arming and is left alone;
    one whose expression cannot be evaluated now keeps the due time it had."""
    for task in inspect.waiting_timer_events(workflow):
        expression = task.task_spec.event_definition.expression
        if not isinstance(expression, str) or not _COUNTED_FROM.search(expression):
            continue
        try:
            value = workflow.script_engine.evaluate(task, expression)
        except ValueError:  # ExpressionError and a refused due time are ValueErrors
            continue
        if isinstance(value, str) and value != task._get_internal_data("event_value"):
            task._set_internal_data(event_value=value)


def _run_engine(session: Session, instance: Instance, workflow: Workflow) -> None:
    now = clock.now()

    def will_complete(task: Any) -> None:
        if inspect.is_external_task(task) and not inspect.is_worker_task(task):
            _call_service(session, instance, task, now)  # a worker's task waits for /external-task

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
        # A case-wide deadline (no task guarded) names the responsible agency itself, e.g. agency,
        # read from the case as it is when the deadline passes (after a reroute: the new agency).
        organisation = inspect.organisation_of(task, functions_for(instance.region), current=True)
    call = ServiceCall(
        session=session, instance_id=instance.id, message_id=instance.message_id, region=instance.region,
        element_id=task.task_spec.bpmn_id, properties=dict(extensions.get("properties", {})),
        data=dict(task.data), now=now,
        timer_id=timer.task_spec.bpmn_id if timer is not None else None,
        due_at=inspect.timer_due(timer) if timer is not None else None, organisation_key=organisation,
        timer_name=timer.task_spec.bpmn_name if timer is not None else None,
    )
    get_handler(extensions["topic"])(call)
    task.data.update(call.results)


def save(session: Session, instance: Instance, workflow: Workflow, actor: str, *, started: bool = False) -> None:
    """Persist the state and bring the task projection in line with it. ``started``: the case was
    created in this transaction (engine.runtime.cases.start_procedure), so it has no task rows yet."""
    now = clock.now()
    prune_history(workflow)  # a case that loops (rework rounds) keeps a shallow tree: engine.spiff.pruning
    state = dump_state(workflow)
    instance.state = state
    instance.next_timer_at = inspect.next_timer_at(workflow)
    if workflow.completed and instance.status == "running":
        instance.status, instance.completed_at = "completed", now
        message = session.get_one(Message, instance.message_id)  # an instance's message is never deleted
        message.status = "closed"
        record(session, "instance_completed", actor=actor, at=now, instance_id=instance.id,
               message_id=instance.message_id)
    if started:
        _project(session, instance, workflow, now, started)  # reads nothing: its rows join the same flush
        external_rows.project(session, instance, workflow, now, started=True)
    if started and sa_inspect(instance).pending:
        # Not written yet (its id was handed out before: engine.runtime.row_ids): it will be, with
        # this state, at version 1, in the flush that writes its batch.
        CACHE.saved(session, instance.id, workflow, state, 1)
        return
    session.flush()
    # After the flush the row's new version is known; the cache keeps this workflow if we commit.
    CACHE.saved(session, instance.id, workflow, state, instance.version)
    if not started:
        _project(session, instance, workflow, now, started)
        external_rows.project(session, instance, workflow, now)


# Built once: on every save, constructing the statement would cost more than running it.
_OPEN_TASKS = select(Task).where(Task.instance_id == bindparam("instance_id"), Task.status == "open")


def _project(session: Session, instance: Instance, workflow: Workflow, now: datetime, started: bool) -> None:
    current = {t.id: t for t in inspect.ready_user_tasks(workflow, functions_for(instance.region))}
    # A case started in this transaction has no rows to read (a query saved per message taken in).
    rows = {} if started else {r.id: r for r in session.scalars(_OPEN_TASKS, {"instance_id": instance.id})}
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
