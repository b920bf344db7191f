"""What the inbox and a task page show, assembled from rows and case data (the web only formats it).

* Countdowns are in working time, in the task organisation's schedule (the region's default when
  it has none) and the region's time zone: "2 h 15 min of working time left".
* A form starts with the case's values for its keys, as Camunda Tasklist fills a form from process
  variables of the same name (the rework form shows the draft being reworked); a value that is no
  longer an offered option falls back to the field's default.
* The case data beside the form is every value some form of the procedure set, labelled with that
  form's label and option labels, except the keys of the form being filled in; the parts of a
  multi-instance step (e.g. each agency's part of a joint answer) come separately.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.regions import get_region
from engine.calendar.schedules import schedule_from_json
from engine.calendar.workingtime import Schedule, WorkingCalendar, WorkingTimeRangeError, calendar_for_region
from engine.directory.access import OPEN, Grant, current_grants, open_tasks, task_clause
from engine.directory.names import official_names
from engine.forms import CHOICE_TYPES, INPUT_TYPES, FormDefinition, visible_fields
from engine.models import Attachment, AuditEvent, Message, Organisation, Task
from engine.runtime import cases as runtime
from engine.runtime.claims import may_unclaim
from engine.runtime.task_forms import Option, components, hidden_components, open_task_form, options_for
from engine.views.repeats import RepeatPanel, repeat_panel
from engine.views.task_deadlines import Deadlines, deadlines

INBOX_PAGE = 50  # rows per inbox page, most urgent first
SOON = timedelta(minutes=30)  # less working time than this left: the inbox highlights the task
_EMPTY: Mapping[str, Any] = {"textfield": "", "textarea": "", "checklist": [], "filepicker": [], "checkbox": False}


@dataclass(frozen=True)
class Countdown:
    due_at: datetime  # in the region's time zone
    # Working time until due_at, negative once overdue; None when the due time is more than
    # ten years (workingtime.MAX_SPAN_DAYS) away: the page shows "—" rather than walk centuries.
    remaining: timedelta | None
    overdue: bool  # the due time has passed (calendar time)
    soon: bool


@dataclass(frozen=True)
class ClaimState:
    claimed_by: str | None
    claimed_by_name: str | None
    mine: bool
    can_claim: bool
    can_unclaim: bool
    can_complete: bool  # not claimed by someone else


@dataclass(frozen=True)
class InboxRow:
    task: Task
    message: Message
    region_name: str
    timezone: str
    organisation_name: str | None
    countdown: Countdown | None
    claim: ClaimState


@dataclass(frozen=True)
class CaseItem:
    """One labelled value: text, a number, True/False, or a list of labels / attachment ids."""

    key: str
    label: str
    type: str  # the form field type that set it
    value: Any


@dataclass(frozen=True)
class Part:
    """One participant's contribution to a multi-instance step (``item``: e.g. the agency key)."""

    item: str
    label: str
    items: tuple[CaseItem, ...]


@dataclass(frozen=True)
class TaskView:
    task: Task
    message: Message
    region_name: str
    timezone: str
    organisation_name: str | None
    countdown: Countdown | None
    claim: ClaimState
    message_link: str | None  # the message URL when it is http(s); anything else is shown as text only
    message_fields: tuple[CaseItem, ...]  # topic, location, importance once the curator set them
    form: FormDefinition | None
    options: dict[str, tuple[Option, ...]]  # choice field key → options with labels
    values: dict[str, Any]  # field key → value the form starts with
    context: dict[str, Any]  # task and case variables, as complete_task sees them
    hidden: frozenset[str]  # component names hidden by conditional.hide for ``values``
    case_items: tuple[CaseItem, ...]
    # Values of an earlier round: a field its own form hides under the case's current values (the
    # remarks of a rework once the draft is approved; the last round's remarks beside a new
    # approval). Shown apart and labelled, never as current.
    earlier_items: tuple[CaseItem, ...]
    parts: tuple[Part, ...]
    attachments: dict[str, str]  # attachment id → file name, for the ids the case refers to (this message's only)
    deadlines: Deadlines  # the step's own and the whole case's, each with its clause
    repeats: RepeatPanel | None = None  # the message it repeats, with its answer; a curator's suggestions


# ---------------------------------------------------------------- countdowns and claims

def _schedule(schedule_json: Mapping[str, Any] | None) -> Schedule | None:
    try:
        return schedule_from_json(schedule_json) if schedule_json else None
    except ValueError:
        return None  # a broken schedule is the admin's to fix; count in the region's default


def _countdown(due_at: datetime, remaining: timedelta | None, now: datetime, calendar: WorkingCalendar) -> Countdown:
    overdue = due_at <= now
    return Countdown(due_at=due_at.astimezone(calendar.timezone), remaining=remaining, overdue=overdue,
                     soon=not overdue and remaining is not None and remaining < SOON)


def countdown(task: Task, now: datetime, schedule_json: Mapping[str, Any] | None = None) -> Countdown | None:
    """Working time left until the task's due time (None when it has none)."""
    if task.due_at is None:
        return None
    calendar = calendar_for_region(task.region, _schedule(schedule_json))
    try:
        remaining: timedelta | None = calendar.working_time_between(now, task.due_at)
    except WorkingTimeRangeError:
        remaining = None
    return _countdown(task.due_at, remaining, now, calendar)


def _countdowns(tasks: Sequence[Task], now: datetime, organisations: Mapping[str, Organisation]) -> dict[str, Countdown | None]:
    """``countdown`` of many tasks at once. Working time is additive — W(now, b) = W(now, a) + W(a, b) —
    so the tasks of one calendar are taken in due order and each adds only the stretch since the
    previous one: a backlog weeks overdue costs one walk over those weeks, not one per task.
    A due time too far from now to count (``countable``) gets no figure and is left out of the chain."""
    result: dict[str, Countdown | None] = {}
    # Each task with its due time, read once: the pair keeps it typed as set (not None) below.
    groups: dict[tuple[str, Schedule | None], list[tuple[datetime, Task]]] = {}
    for task in tasks:
        if task.due_at is None:
            result[task.id] = None
            continue
        organisation = organisations.get(task.organisation_key or "")
        groups.setdefault((task.region, _schedule(organisation.schedule if organisation else None)), []).append(
            (task.due_at, task))
    for (region, schedule), members in groups.items():
        calendar = calendar_for_region(region, schedule)
        previous, remaining = now, timedelta(0)
        for due_at, task in sorted(members, key=lambda member: member[0]):
            if not calendar.countable(now, due_at):
                result[task.id] = _countdown(due_at, None, now, calendar)
                continue
            remaining += calendar.working_time_between(previous, due_at)
            previous = due_at
            result[task.id] = _countdown(due_at, remaining, now, calendar)
    return result


def _claim_state(task: Task, login: str, granted: list[Grant], names: Mapping[str, str]) -> ClaimState:
    holder = task.claimed_by
    return ClaimState(
        claimed_by=holder, claimed_by_name=names.get(holder, holder) if holder else None, mine=holder == login,
        can_claim=task.status == "open" and holder is None,
        can_unclaim=task.status == "open" and may_unclaim(granted, task, login),
        can_complete=task.status == "open" and holder in (None, login),
    )


def _organisations(session: Session, keys: set[str]) -> dict[str, Organisation]:
    if not keys:
        return {}
    return {o.key: o for o in session.scalars(select(Organisation).where(Organisation.key.in_(keys)))}


def inbox_count(session: Session, login: str) -> int:
    """How many open tasks the user's inbox holds (to say "first 50 of 4,000")."""
    granted = current_grants(session, login)
    if not granted:
        return 0
    return session.scalar(select(func.count()).select_from(Task).where(Task.status == OPEN, task_clause(granted))) or 0


def inbox_rows(session: Session, login: str, limit: int | None = None, offset: int = 0) -> list[InboxRow]:
    """The user's open tasks by due time with what the inbox shows about each; with ``limit``,
    only that many of the most urgent after ``offset`` (rendering and countdowns cost per row)."""
    now = clock.now()
    granted = current_grants(session, login)
    tasks = list(session.scalars(open_tasks(granted, limit, offset))) if granted else []
    if not tasks:
        return []
    messages = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_({t.message_id for t in tasks})))}
    organisations = _organisations(session, {t.organisation_key for t in tasks if t.organisation_key})
    names = official_names(session, {t.claimed_by for t in tasks if t.claimed_by})
    countdowns = _countdowns(tasks, now, organisations)
    rows = []
    for task in tasks:
        organisation = organisations.get(task.organisation_key or "")
        region = get_region(task.region)
        rows.append(InboxRow(
            task=task, message=messages[task.message_id], region_name=region.display_name, timezone=region.timezone,
            organisation_name=organisation.name if organisation else None, countdown=countdowns[task.id],
            claim=_claim_state(task, login, granted, names),
        ))
    return rows


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    pages: int


def inbox_page(session: Session, login: str, page: int = 1) -> InboxPage:
    """One page of the inbox, most urgent first. A region's curator can hold thousands of open
    tasks; rendering them all took seconds (bench/inbox.py), and nobody reads past the first."""
    total = inbox_count(session, login)
    pages = max(1, -(-total // INBOX_PAGE))
    page = min(max(1, page), pages)
    rows = inbox_rows(session, login, INBOX_PAGE, (page - 1) * INBOX_PAGE) if total else []
    return InboxPage(rows, total, page, pages)


# ---------------------------------------------------------------- case data beside the form

@dataclass(frozen=True)
class _Described:
    label: str
    type: str
    options: Mapping[str, str]  # value → label


def _descriptions(forms: Mapping[str, FormDefinition], dynamic: Mapping[str, tuple[Option, ...]],
                  context: Mapping[str, Any]) -> dict[str, _Described]:
    """Field key → label, type and option labels, from every form of the deployment (first wins)."""
    found: dict[str, _Described] = {}
    for form in forms.values():
        for component, _name, _depth in components(form.schema.get("components") or []):
            key, kind = component.get("key"), component.get("type")
            if not isinstance(key, str) or kind not in INPUT_TYPES or key in found:
                continue
            options = {o.value: o.label for o in options_for(component, dynamic, context)} if kind in CHOICE_TYPES else {}
            label = component.get("label") or component.get("dateLabel") or key
            found[key] = _Described(str(label), str(kind), options)
    return found


def _shown(value: Any, described: _Described) -> Any:
    if described.type == "checklist" and isinstance(value, list):
        return [described.options.get(str(v), str(v)) for v in value]
    if described.type in CHOICE_TYPES:
        return described.options.get(str(value), str(value))
    if described.type == "filepicker" and isinstance(value, list):
        return [str(v) for v in value]
    return value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def _case_item(key: str, value: Any, descriptions: Mapping[str, _Described]) -> CaseItem | None:
    described = descriptions.get(key)
    if described is None or _is_empty(value):
        return None
    return CaseItem(key, described.label, described.type, _shown(value, described))


def _submitted_keys(session: Session, instance_id: int) -> set[str]:
    """Keys some step of the case submitted. A procedure's parameter default (``var.answer_kind``)
    is in the case's data from the start, but nobody has done it yet: it is not «уже сделано»."""
    keys: set[str] = set()
    for details in session.scalars(select(AuditEvent.details).where(
            AuditEvent.instance_id == instance_id, AuditEvent.kind == "completed")):
        data = (details or {}).get("data")
        keys.update(data if isinstance(data, dict) else ())
    return keys


def _stale_keys(forms: Mapping[str, FormDefinition], context: Mapping[str, Any]) -> set[str]:
    """Keys every form that sets them now hides: what was entered in a round that has passed."""
    declared: dict[str, bool] = {}  # key → visible in some form that declares it
    for form in forms.values():
        visible = {f.key for f in visible_fields(form, context)}
        for field in form.fields:
            declared[field.key] = declared.get(field.key, False) or field.key in visible
    return {key for key, seen in declared.items() if not seen}


def _is_parts(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "item" in v for v in value)


def _parts(task_data: Mapping[str, Any], descriptions: Mapping[str, _Described],
           names: Mapping[str, str]) -> tuple[Part, ...]:
    parts = []
    for value in task_data.values():
        if not _is_parts(value):
            continue
        for entry in value:
            items = tuple(i for k, v in entry.items() if k != "item" and (i := _case_item(k, v, descriptions)))
            item = str(entry["item"])
            parts.append(Part(item, names.get(item, item), items))
    return tuple(parts)


def _attachment_names(session: Session, message_id: int, groups: Sequence[Sequence[CaseItem]],
                      values: Mapping[str, Any], form: FormDefinition | None) -> dict[str, str]:
    """Names of the files the case refers to; ids of another message's files are not resolved."""
    ids = {str(v) for items in groups for item in items if item.type == "filepicker" for v in item.value}
    ids |= {str(v) for f in (form.fields if form else ()) if f.type == "filepicker" for v in values.get(f.key) or []}
    numbers = {int(i) for i in ids if i.isdigit() and len(i) < 19}
    if not numbers:
        return {}
    rows = session.execute(select(Attachment.id, Attachment.filename).where(
        Attachment.id.in_(numbers), Attachment.message_id == message_id))
    return {str(row_id): name for row_id, name in rows}


def _safe_link(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


# ---------------------------------------------------------------- the task page

def task_view(session: Session, task_id: str, login: str) -> TaskView:
    """Everything a task page shows; NotFound, Forbidden, or Conflict when the task is no longer open."""
    opened = open_task_form(session, task_id, login)
    task, instance, form, task_data, context = opened.task, opened.instance, opened.form, opened.task_data, opened.context
    message = session.get_one(Message, task.message_id)

    region = get_region(task.region)
    region_orgs = {o.key: o for o in session.scalars(select(Organisation).where(Organisation.region == task.region))}
    org_key = task.organisation_key
    organisation = (region_orgs.get(org_key) or _organisations(session, {org_key}).get(org_key)) if org_key else None
    dynamic = opened.dynamic
    forms = runtime.deployed_forms(session, instance.deployment_id)
    descriptions = _descriptions(forms, dynamic, context)
    names = {org.key: org.name for org in region_orgs.values()}

    options, values = opened.options, opened.values
    own_keys = set(values)
    hidden = hidden_components(form, {**context, **values}) if form else frozenset()
    # This form's own fields it starts with hidden: their case value is the last round's (remarks).
    own_earlier = {f.key for f in form.fields if f.id in hidden or f.key in hidden} if form else set()
    stale = _stale_keys(forms, context) | own_earlier
    submitted = _submitted_keys(session, instance.id)
    shown = [(key, item) for key, value in context.items()
             if (key not in own_keys or key in own_earlier) and key not in runtime.MESSAGE_FIELDS and key in submitted
             and not _is_parts(value) and (item := _case_item(key, value, descriptions))]
    shown.reverse()  # newest first: what the last step set (the draft, the decision) before the routing
    case_items = tuple(item for key, item in shown if key not in stale)
    earlier_items = tuple(item for key, item in shown if key in stale)
    message_fields = tuple(
        CaseItem(name, descriptions[name].label if name in descriptions else "", "text",
                 descriptions[name].options.get(value, value) if name in descriptions else value)
        for name in runtime.MESSAGE_FIELDS if (value := getattr(message, name, None)))

    parts = _parts(task_data, descriptions, names)
    attachments = _attachment_names(session, message.id, [case_items, earlier_items, *(p.items for p in parts)],
                                    values, form)
    granted = current_grants(session, login)
    now = clock.now()
    calendar = calendar_for_region(task.region, _schedule(organisation.schedule if organisation else None))
    return TaskView(
        task=task, message=message, region_name=region.display_name, timezone=region.timezone,
        organisation_name=organisation.name if organisation else None,
        countdown=countdown(task, now, organisation.schedule if organisation else None),
        claim=_claim_state(task, login, granted, official_names(session, {task.claimed_by} if task.claimed_by else set())),
        message_link=_safe_link(message.url), message_fields=message_fields,
        form=form, options=options, values=values, context=context,
        hidden=hidden, case_items=case_items, earlier_items=earlier_items, parts=parts, attachments=attachments,
        deadlines=deadlines(opened.own_timers, opened.case_timers, now, calendar, SOON),
        repeats=repeat_panel(session, message, login, task),
    )

