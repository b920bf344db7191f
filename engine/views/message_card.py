"""The message card: the case as people read it — steps, deadlines with clauses, answers, history
(engine.views.timeline). People and organisations by name (engine.directory.names), never a login or key."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn import conventions
from engine.bpmn.reader import clause_of, read_diagram  # the one clause parser
from engine.calendar.regions import get_region
from engine.calendar.workingtime import WorkingCalendar, WorkingTimeRangeError, calendar_for_region
from engine.directory.names import official_names, organisation_names
from engine.expressions.language import BASE_FUNCTIONS, ExpressionError, evaluate
from engine.models import Attachment, AuditEvent, Deployment, Instance, Message, MessageLink, Task, Violation
from engine.models.message import TEST_START_SOURCE
from engine.runtime.incidents import readable_workflow
from engine.spiff import inspect
from engine.spiff.script_engine import case_variables
from engine.views.option_labels import option_labels
from engine.views.registry import LABELLED_FIELDS, Step, _open_steps, _visible_message
from engine.views.repeats import RepeatPanel, repeat_panel
from engine.views.timeline import TimelineEntry, timeline


@dataclass(frozen=True)
class Deadline:
    """An armed timer: what must happen by when, and the clause that says so."""

    name: str
    clause: str | None
    due_at: datetime
    overdue: bool
    working_time_left: timedelta | None  # negative once passed; None when too far away to count ("—")


@dataclass(frozen=True)
class RecordedViolation:
    clause: str
    deadline: str  # the diagram's short key ("routing"); ``name`` is what people read
    name: str
    due_at: datetime | None
    organisation_key: str | None
    organisation_name: str | None
    recorded_at: datetime
    # A deadline the procedure sets, not the act (conventions "basis" = "parameter"): the card says
    # «параметр процедуры, не срок постановления» instead of the act's clause.
    is_parameter: bool = False


@dataclass(frozen=True)
class Answer:
    kind: str | None = None
    kind_label: str | None = None  # the kind as the form that sets it labels it
    text: str | None = None
    measures_taken: str | None = None
    url: str | None = None
    is_published: bool = False
    attachments: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.kind or self.text or self.measures_taken or self.url or self.is_published)


@dataclass(frozen=True)
class Part:
    """One agency's contribution to a joint answer (Orenburg п. 14)."""

    organisation_key: str | None
    organisation_name: str | None
    text: str
    by: str
    at: datetime
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    message: Message
    region_name: str
    timezone: str
    instance_status: str | None
    steps: tuple[Step, ...]
    deadlines: tuple[Deadline, ...]
    violations: tuple[RecordedViolation, ...]
    answer: Answer
    parts: tuple[Part, ...]
    attachments: tuple[Attachment, ...]
    timeline: tuple[TimelineEntry, ...]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # field key → value → label
    people: dict[str, str] = field(default_factory=dict)  # login → full name (who registered, uploaded, wrote)
    organisations: dict[str, str] = field(default_factory=dict)  # key → name
    # The answer's "published" is a fact only once a publication step (conventions step=publication)
    # was reached or the case ended; before that the card does not say "нет" as if it were one.
    publication_reached: bool = False
    # Photos and videos a monitoring system sent by address (engine.runtime.intake): links, never fetched.
    links: tuple[str, ...] = ()
    # The message it repeats and, for the territory's curator, the earlier ones it may repeat (Orenburg п. 15).
    repeats: RepeatPanel | None = None

    @property
    def test_start(self) -> bool:
        """Registered by Camunda Modeler's "start instance" on a test server, not by a citizen."""
        return self.message.source == TEST_START_SOURCE

    @property
    def answer_started(self) -> bool:
        """An answer exists — a draft, measures, a link, a publication or a part — not only defaults."""
        answer = self.answer
        return bool(answer.text or answer.measures_taken or answer.url or answer.is_published or self.parts)


def message_card(session: Session, message_id: int, login: str) -> Card:
    """Everything about one message the user may see (NotFound otherwise)."""
    message = _visible_message(session, message_id, login)
    now = clock.now()
    region = get_region(message.region)
    instances = list(session.scalars(select(Instance).where(Instance.message_id == message.id).order_by(Instance.id)))
    deadlines: list[Deadline] = []
    variables: dict[str, Any] = {}
    calendar = calendar_for_region(message.region)
    for instance in instances:
        workflow = readable_workflow(session, instance)
        if workflow is None:
            continue  # an incident whose state cannot be loaded: the rest of the card still shows
        variables.update(case_variables(workflow))
        for event in inspect.armed_timers(workflow):
            due = datetime.fromisoformat(event.value)
            deadlines.append(Deadline(name=event.name or "", clause=clause_of(event.name or ""), due_at=due,
                                      overdue=due < now, working_time_left=_working_time_left(calendar, now, due)))
    tasks = list(session.scalars(select(Task).where(Task.message_id == message.id)))
    violation_rows = list(session.scalars(select(Violation).where(Violation.message_id == message.id)
                                          .order_by(Violation.recorded_at, Violation.id)))
    attachments = tuple(session.scalars(select(Attachment).where(Attachment.message_id == message.id)
                                        .order_by(Attachment.uploaded_at, Attachment.id)))
    names = organisation_names(session, [*(t.organisation_key for t in tasks),
                                         *(v.organisation_key for v in violation_rows),
                                         *(a.organisation_key for a in attachments)])
    events = _events(session, message.id, [i.id for i in instances])
    deployments = {d.id: d for d in session.scalars(select(Deployment).where(
        Deployment.id.in_({i.deployment_id for i in instances})))} if instances else {}
    diagrams = {deployment_id: read_diagram(d.bpmn_xml) for deployment_id, d in deployments.items()}
    node_names = {node_id: node.name for diagram in diagrams.values() for node_id, node in diagram.nodes.items()}
    deployment = deployments[instances[-1].deployment_id] if instances else None
    declared = diagrams[deployment.id].properties if deployment is not None else {}
    kind = conventions.answer_variable(declared, conventions.ANSWER_KIND)
    labels = option_labels(deployment, (*LABELLED_FIELDS, *([kind] if kind else []))) if deployment is not None else {}
    parts = tuple(_parts(events, {t.id: t for t in tasks}, names, declared))
    people = official_names(session, [message.registered_by, *(a.uploaded_by for a in attachments),
                                      *(p.by for p in parts)])
    return Card(
        message=message, region_name=region.display_name, timezone=region.timezone,
        instance_status=instances[-1].status if instances else None,
        steps=tuple(_open_steps(session, [message.id], now).get(message.id, ())),
        deadlines=tuple(sorted(deadlines, key=lambda d: d.due_at)),
        violations=tuple(RecordedViolation(
            clause=v.clause, deadline=v.deadline,
            # The deadline as the diagram names its timer; the short key only if the diagram lost it.
            name=node_names.get(v.timer_id or "") or node_names.get(v.element_id or "") or v.deadline,
            due_at=v.due_at, organisation_key=v.organisation_key,
            organisation_name=names.get(v.organisation_key or ""), recorded_at=v.recorded_at,
            is_parameter=v.basis == conventions.BASIS_PARAMETER) for v in violation_rows),
        answer=answer_of(variables, declared, labels),
        repeats=repeat_panel(session, message, login),
        parts=parts,
        attachments=attachments,
        links=tuple(session.scalars(select(MessageLink.url).where(MessageLink.message_id == message.id)
                                    .order_by(MessageLink.id))),
        timeline=tuple(timeline(session, message.region, events, {t.id: t for t in tasks}, deployments, diagrams,
                                {i.id: i.deployment_id for i in instances})),
        labels=labels, people=people, organisations=names,
        publication_reached=any(instance.status == "completed" for instance in instances) or any(
            _is_publication(diagrams, instances, t) for t in tasks),
    )


def _is_publication(diagrams: Mapping[int, Any], instances: list[Instance], task: Task) -> bool:
    """The task is a step the diagram declares as the publication (conventions: step=publication)."""
    deployment_id = next((i.deployment_id for i in instances if i.id == task.instance_id), None)
    diagram = diagrams.get(deployment_id) if deployment_id is not None else None
    node = diagram.nodes.get(task.element_id) if diagram is not None else None
    steps = (node.properties.get(conventions.STEP_PROPERTY) or "").split() if node is not None else []
    return "publication" in steps


def _working_time_left(calendar: WorkingCalendar, now: datetime, due: datetime) -> timedelta | None:
    try:
        return calendar.working_time_between(now, due)
    except WorkingTimeRangeError:
        return None  # a timer armed before due instants were bounded (engine.bpmn.timer_bounds)


def answer_of(variables: Mapping[str, Any], declared: Mapping[str, str | None],
              labels: dict[str, dict[str, str]]) -> Answer:
    """The answer as the diagram declares its variables (engine.bpmn.conventions: answer.*)."""
    def value(declaration: str) -> Any:
        name = conventions.answer_variable(declared, declaration)
        return variables.get(name) if name else None

    def text(declaration: str) -> str | None:
        found = value(declaration)
        return str(found) if found not in (None, "") else None

    kind = text(conventions.ANSWER_KIND)
    kind_name = conventions.answer_variable(declared, conventions.ANSWER_KIND) or ""
    return Answer(kind=kind, kind_label=labels.get(kind_name, {}).get(kind or "") or kind,
                  text=text(conventions.ANSWER_TEXT), measures_taken=text(conventions.ANSWER_MEASURES),
                  url=text(conventions.ANSWER_URL), is_published=_is_published(variables, declared),
                  attachments=_files(value(conventions.ANSWER_FILES)))


def _is_published(variables: Mapping[str, Any], declared: Mapping[str, str | None]) -> bool:
    """``answer.published`` over the case's variables; a variable not set yet means not published."""
    expression = (declared.get(conventions.ANSWER_PUBLISHED) or "").strip()
    if not expression:
        return False
    try:
        return bool(evaluate(expression, variables, BASE_FUNCTIONS))
    except ExpressionError:
        return False


def _files(found: Any) -> tuple[str, ...]:
    return tuple(str(f) for f in found) if isinstance(found, list) else ()


def _events(session: Session, message_id: int, instance_ids: list[int]) -> list[AuditEvent]:
    where = AuditEvent.message_id == message_id
    if instance_ids:
        where = or_(where, AuditEvent.instance_id.in_(instance_ids))
    return list(session.scalars(select(AuditEvent).where(where).order_by(AuditEvent.at, AuditEvent.id)))


def _parts(events: list[AuditEvent], tasks: dict[str, Task], names: dict[str, str],
           declared: Mapping[str, str]) -> Iterable[Part]:
    """Each participant's part of a joint answer: completions carrying the declared ``answer.part``."""
    part = conventions.answer_variable(declared, conventions.ANSWER_PART)
    files = conventions.answer_variable(declared, conventions.ANSWER_FILES)
    if part is None:
        return
    for event in events:
        data = (event.details or {}).get("data") if event.kind == "completed" else None
        if not isinstance(data, dict) or part not in data:
            continue
        task = tasks.get(str((event.details or {}).get("task_id")))
        organisation = task.organisation_key if task else None
        yield Part(organisation_key=organisation, organisation_name=names.get(organisation or ""),
                   text=str(data.get(part) or ""), by=event.actor, at=event.at,
                   attachments=_files(data.get(files) if files else None))
