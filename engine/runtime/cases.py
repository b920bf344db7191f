"""What officials do: start a procedure for a message, see their tasks, complete one."""
from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import String, Table, insert, select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine import clock
from engine.calendar.regions import get_region
from engine.db.audit import record
from engine.db.session_memo import memo
from engine.directory.access import allows, current_grants, open_tasks
from engine.errors import Conflict, Forbidden, InvalidSubmission, NotFound
from engine.expressions.language import BASE_FUNCTIONS, evaluate
from engine.forms import FormDefinition, parse_form, validate_submission
from engine.models import Instance, Message, Organisation, Task
from engine.notifications import webhooks
from engine.runtime import store
from engine.runtime.claims import already_done, ensure_may_complete, status_text
from engine.runtime.deployments import newest_procedure
from engine.runtime.message_limits import bound_problems, explain
from engine.spiff import inspect
from engine.spiff.script_engine import case_variables
from engine.texts import t

# Sources the acts name (Smolensk п. 1, Orenburg 3.2, Kuzbass п. 4, Kalmanka п. 2).
NETWORKS = ("vk", "ok", "telegram", "blog", "site", "messenger", "facebook", "twitter", "instagram")
# Routing fields that also live on the message row, for registry filters.
MESSAGE_FIELDS = ("topic", "location", "importance")


@dataclass(frozen=True)
class MessageInput:
    region: str
    network: str
    url: str
    author: str
    text: str
    posted_at: datetime
    detected_at: datetime
    repeat_of_id: int | None = None
    submission_id: str | None = None  # the registration form's one-time id (engine.runtime.registration)
    # The monitoring system that sent it and its id there (engine.runtime.intake): unique together.
    source: str | None = None
    source_id: str | None = None


def _column_length(name: str) -> int:
    """The length of the message row's String column ``name`` (topic, location, importance)."""
    column_type = Message.__table__.c[name].type
    assert isinstance(column_type, String) and column_type.length is not None  # String(n) in engine.models
    return column_type.length


def _check_message(message: MessageInput) -> None:
    get_region(message.region)  # raises UnknownRegion with the list of keys
    if message.network not in NETWORKS:
        raise ValueError(t("runtime.network_unknown", network=message.network, networks=", ".join(NETWORKS)))
    for name in ("posted_at", "detected_at"):
        if getattr(message, name).tzinfo is None:
            raise ValueError(t("runtime.needs_time_zone", name=name))
    # The same bounds as the registration form, for every other way in (the CLI, a future API).
    problems = bound_problems(message, clock.now())
    if problems:
        raise ValueError("; ".join(explain(name, code) for name, code in problems.items()))
    if message.detected_at < message.posted_at:
        raise ValueError(t("runtime.detected_before_posted"))
    if not message.text.strip():
        raise ValueError(t("runtime.text_empty"))


_MESSAGE_TABLE: Table = cast(Table, Message.__table__)
_INSERT_MESSAGE = insert(_MESSAGE_TABLE).returning(_MESSAGE_TABLE.c.id)


def _new_instance(session: Session, message_id: int, deployment_id: int, region: str, now: datetime,
                  instance_id: int | None) -> Instance:
    """A new instance. With its id handed out before, written with the next flush, with the state it
    has by then. Without, written at once: its id is needed before the first engine step."""
    instance = Instance(id=instance_id, message_id=message_id, deployment_id=deployment_id, region=region, state="",
                        status="running", started_at=now)
    session.add(instance)
    if instance_id is None:
        session.flush()
    return instance


def start_procedure(session: Session, message: MessageInput, actor: str, process_id: str | None = None, *,
                    instance_id: int | None = None) -> Instance:
    """Register the message and start the newest version of the procedure deployed for its
    territory, whatever its process id (a free name); ``process_id`` narrows it to that one, which
    must be deployed *for* that territory too.

    ``instance_id``: the instance's id, handed out before (engine.runtime.row_ids): its row and the
    case's others then wait in the session and are written with the next flush, a batch's together.
    Without it the instance row is written at once. The message row is written at once either way."""
    _check_message(message)
    # The newest deployment's id only: the row's diagram and spec come from the deployment cache.
    # Chosen by the deployment's own territory, never by a process id alone: a diagram another
    # territory deployed must not run our messages (its curators would read them). A territory
    # has one procedure (engine.deployment.deployer.territory_problems); the newest row wins.
    # A template never runs: only its adopters' procedures (engine.templates) do.
    # Asked once per transaction (engine.runtime.deployments): a batch's messages share the answer.
    deployment_id = newest_procedure(session, message.region, process_id)
    if deployment_id is None:
        raise NotFound(t("runtime.no_procedure", region=message.region, process=process_id) if process_id
                       else t("territory.no_procedure", region=message.region))
    deployment = store.deployment_info(session, deployment_id)
    now = clock.now()
    row: dict[str, Any] = dict(
        region=message.region, network=message.network, url=message.url, author=message.author,
        text=message.text, posted_at=message.posted_at, detected_at=message.detected_at,
        repeat_of_id=message.repeat_of_id, registered_by=actor, registered_at=now, status="in_progress",
        submission_id=message.submission_id, source=message.source, source_id=message.source_id,
    )
    # One INSERT … RETURNING, not the unit of work: nothing in the transaction reads the row back
    # before it commits except through a query (a unique source id or submission id refused here
    # raises IntegrityError as a flush would). Written at once, so the rows naming it (instance,
    # tasks, links), whenever they are flushed, find it; on the connection, so it does not flush
    # what waits in the session (the cases before it in a batch: written together at its end).
    message_id: int = session.connection().execute(_INSERT_MESSAGE, row).scalar_one()
    workflow = store.new_workflow(deployment)
    # Declared case variables first, so a gateway can test e.g. ``not published`` before any
    # form has set it; the message's own fields win on a name clash.
    start_data = {name: evaluate(expression, {}, BASE_FUNCTIONS) for name, expression in deployment.variables.items()}
    start_data.update({
        "message_id": message_id, "region": message.region, "network": message.network, "url": message.url,
        "author": message.author, "text": message.text, "repeat_of_id": message.repeat_of_id,
        "posted_at": message.posted_at.isoformat(), "detected_at": message.detected_at.isoformat(),
    })
    inspect.start_task(workflow).data.update(start_data)
    # A copy: task data and case variables must not share lists, as after a reload from the row.
    case_variables(workflow).update(copy.deepcopy(start_data))
    instance = _new_instance(session, message_id, deployment.id, deployment.region, now, instance_id)
    record(session, "started", actor=actor, at=now, instance_id=instance.id, message_id=message_id,
           details={"process_id": deployment.process_id, "version": deployment.version})
    store.advance(session, instance, workflow, actor)
    store.save(session, instance, workflow, actor, started=True)
    return instance


def inbox(session: Session, login: str) -> list[Task]:
    """Open tasks of the user's roles and organisations (and of those they substitute), by due time."""
    return list(session.scalars(open_tasks(current_grants(session, login))))


def _visible_task(session: Session, task_id: str, login: str) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(t("runtime.task_missing", id=task_id))
    if not allows(current_grants(session, login), task):
        raise Forbidden(t("runtime.task_elsewhere"))
    return task


def form_options(session: Session, region: str) -> dict[str, list[str]]:
    """Dynamic select options forms refer to with ``valuesKey``."""

    def read() -> dict[str, list[str]]:
        # Regional agencies, or a municipality's departments (Kalmanka п. 4): whoever can execute.
        agencies = session.scalars(select(Organisation.key).where(
            Organisation.region == region, Organisation.kind.in_(("agency", "department")),
            Organisation.active.is_(True)).order_by(Organisation.key))
        return {"agency_options": list(agencies)}

    # A copy each time: callers may change what they get.
    return {key: list(values) for key, values in memo(session, ("form_options", region), read).items()}


def _form_of(session: Session, task: Task, instance: Instance) -> FormDefinition | None:
    text = store.deployment_info(session, instance.deployment_id).forms.get(task.form_ref or "")
    return _parsed_form(text, task.form_ref or "") if text else None


@lru_cache(maxsize=256)
def _parsed_form(text: str, name: str) -> FormDefinition:
    # Deployed forms never change, so the text is a safe cache key.
    return parse_form(text, source=name)


def deployed_forms(session: Session, deployment_id: int) -> dict[str, FormDefinition]:
    """Every form of a deployment, parsed (cached), by form id: labels for case data on task pages."""
    try:
        forms = store.deployment_info(session, deployment_id).forms
    except NotFound:
        return {}
    return {name: _parsed_form(text, name) for name, text in forms.items()}


def task_form(session: Session, task_id: str, login: str) -> tuple[Task, FormDefinition | None]:
    """The task (if the user may see it) and its form, from the deployment the case runs on."""
    task = _visible_task(session, task_id, login)
    return task, _form_of(session, task, session.get_one(Instance, task.instance_id))  # a task's case exists


def complete_task(session: Session, task_id: str, login: str, submitted: Mapping[str, Any]) -> Task:
    """Validate the form, run the task, advance the case. Raises NotFound, Forbidden,
    Conflict (already done, e.g. in another tab; or claimed by someone else) or InvalidSubmission."""
    task = _visible_task(session, task_id, login)
    if task.status != "open":
        raise already_done(task)
    try:
        # The row lock makes a concurrent completion wait, then see the task as done.
        # populate_existing: a row this session read before the lock (the task page) is read again.
        instance = session.execute(
            select(Instance).where(Instance.id == task.instance_id).with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
    except NoResultFound:
        raise NotFound(t("runtime.case_missing", id=task_id)) from None
    session.refresh(task)
    if task.status != "open":
        raise Conflict(t("runtime.task_just_by", name=task.name, status=status_text(task.status),
                           who=task.completed_by or t("runtime.the_system")))
    ensure_may_complete(task, login)  # claimed by someone else: ClaimedByOther (a Conflict)
    workflow = store.load(session, instance, for_update=True)
    if instance.next_timer_at is not None and instance.next_timer_at <= clock.now():
        # Deadlines that passed before this completion fire first, at their own due times.
        store.advance(session, instance, workflow, login)
    spiff_task = inspect.get_task(workflow, task_id)
    if spiff_task is None or not inspect.is_ready_user_task(spiff_task):
        raise Conflict(t("runtime.task_not_waiting", name=task.name))
    form = _form_of(session, task, instance)
    context = {**spiff_task.data, **case_variables(workflow)}
    # Agencies are read only for a form that offers them (valuesKey).
    options = form_options(session, instance.region) if form and any(f.values_key for f in form.fields) else {}
    cleaned = validate_submission(form, submitted, context, options) if form else {}
    variable = inspect.multi_instance_variable(spiff_task)
    routed = {} if variable else _routed(cleaned)
    if variable:
        # Each participant writes its part into the element variable; SpiffWorkflow merges
        # back only that variable (design: multi-instance).
        spiff_task.data[variable] = {"item": spiff_task.data.get(variable), **cleaned}
    else:
        spiff_task.data.update(cleaned)
        case_variables(workflow).update(copy.deepcopy(cleaned))
    _apply_outputs(spiff_task, workflow, instance.region)
    spiff_task.run()
    now = clock.now()
    task.status, task.completed_by, task.closed_at = "completed", login, now
    if routed:
        message = session.get(Message, instance.message_id)
        for name, value in routed.items():
            setattr(message, name, value)
    record(session, "completed", actor=login, at=now, instance_id=instance.id, message_id=instance.message_id,
           element_id=task.element_id, details={"task_id": task_id, "data": _auditable(cleaned)})
    store.advance(session, instance, workflow, login)
    try:
        # save() flushes the instance row: that is where a stale version is refused.
        store.save(session, instance, workflow, login)
        session.flush()
    except StaleDataError:
        raise Conflict(t("runtime.completed_at_once", name=task.name)) from None
    # Published by this completion: the territory's webhooks are told, queued in this transaction.
    webhooks.queue_if_published(session, instance, case_variables(workflow))
    return task


def _routed(cleaned: Mapping[str, Any]) -> dict[str, str | None]:
    """The routing fields the form set, as text for the message row; InvalidSubmission when one is
    longer than its column (a diagram's form may offer it without a maxLength, and PostgreSQL
    refuses a longer value)."""
    routed: dict[str, str | None] = {}
    problems: dict[str, str] = {}
    for name in MESSAGE_FIELDS:
        if name not in cleaned:
            continue
        value = cleaned[name]
        routed[name] = text = value if value is None or isinstance(value, str) else str(value)
        limit = _column_length(name)
        if text is not None and len(text) > limit:
            problems[name] = f"must be at most {limit} characters"
    if problems:
        raise InvalidSubmission(problems)
    return routed


def _apply_outputs(spiff_task: Any, workflow: Any, region: str) -> None:
    """The task's output parameters (``received_at = now()``) become case variables, evaluated
    after the form's values are in, so an output may use them."""
    outputs = spiff_task.task_spec.extensions.get("outputs") or {}
    if not outputs:
        return
    functions = store.functions_for(region)
    context = {**spiff_task.data, **case_variables(workflow)}
    values = {name: evaluate(expression, context, functions) for name, expression in outputs.items()}
    spiff_task.data.update(values)
    case_variables(workflow).update(copy.deepcopy(values))


def _auditable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, (str, int, float, bool, type(None), list)) else str(v)) for k, v in data.items()}
