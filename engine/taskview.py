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

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import clock, expressions, runtime, store
from .access import grants
from .claims import may_unclaim
from .errors import Conflict
from .forms import (CHOICE_TYPES, INPUT_TYPES, Field, FormDefinition, FormError, feel_to_expression,
                    validate_submission, visible_fields)
from .models import Attachment, Instance, Message, Organisation, Task, User
from .regions import get_region
from .schedules import schedule_from_json
from .spiff import inspect
from .spiff.script_engine import case_variables
from .workingtime import calendar_for_region

SOON = timedelta(minutes=30)  # less working time than this left: the inbox highlights the task
_EMPTY: Mapping[str, Any] = {"textfield": "", "textarea": "", "checklist": [], "filepicker": [], "checkbox": False}


@dataclass(frozen=True)
class Countdown:
    due_at: datetime  # in the region's time zone
    remaining: timedelta  # working time until due_at; negative once overdue
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
class Option:
    value: str
    label: str


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
    parts: tuple[Part, ...]
    attachments: dict[str, str]  # attachment id → file name, for the ids the case refers to (this message's only)


# ---------------------------------------------------------------- countdowns and claims

def countdown(task: Task, now: datetime, schedule_json: dict | None = None) -> Countdown | None:
    """Working time left until the task's due time (None when it has none)."""
    if task.due_at is None:
        return None
    try:
        schedule = schedule_from_json(schedule_json) if schedule_json else None
    except ValueError:
        schedule = None  # a broken schedule is the admin's to fix; count in the region's default
    calendar = calendar_for_region(task.region, schedule)
    remaining = calendar.working_time_between(now, task.due_at)
    overdue = task.due_at <= now
    return Countdown(due_at=task.due_at.astimezone(calendar.timezone), remaining=remaining, overdue=overdue,
                     soon=not overdue and remaining < SOON)


def _claim_state(task: Task, login: str, granted: list, names: Mapping[str, str]) -> ClaimState:
    holder = task.claimed_by
    return ClaimState(
        claimed_by=holder, claimed_by_name=names.get(holder, holder) if holder else None, mine=holder == login,
        can_claim=task.status == "open" and holder is None,
        can_unclaim=task.status == "open" and may_unclaim(granted, task, login),
        can_complete=task.status == "open" and holder in (None, login),
    )


def _full_names(session: Session, logins: set[str]) -> dict[str, str]:
    if not logins:
        return {}
    return dict(session.execute(select(User.login, User.full_name).where(User.login.in_(logins))).all())


def _organisations(session: Session, keys: set[str]) -> dict[str, Organisation]:
    if not keys:
        return {}
    return {o.key: o for o in session.scalars(select(Organisation).where(Organisation.key.in_(keys)))}


def inbox_rows(session: Session, login: str) -> list[InboxRow]:
    """The user's open tasks (runtime.inbox: by due time) with what the inbox shows about each."""
    tasks = runtime.inbox(session, login)
    if not tasks:
        return []
    granted = grants(session, login, clock.now())
    messages = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_({t.message_id for t in tasks})))}
    organisations = _organisations(session, {t.organisation_key for t in tasks if t.organisation_key})
    names = _full_names(session, {t.claimed_by for t in tasks if t.claimed_by})
    now = clock.now()
    rows = []
    for task in tasks:
        organisation = organisations.get(task.organisation_key or "")
        region = get_region(task.region)
        rows.append(InboxRow(
            task=task, message=messages[task.message_id], region_name=region.name, timezone=region.timezone,
            organisation_name=organisation.name if organisation else None,
            countdown=countdown(task, now, organisation.schedule if organisation else None),
            claim=_claim_state(task, login, granted, names),
        ))
    return rows


# ---------------------------------------------------------------- forms: components, options, visibility

def components(schema_components: Sequence[Any], path: str = "components") -> Iterator[tuple[dict[str, Any], str, int]]:
    """Every component of a form, depth first, with its name (as parse_form names it) and depth."""
    yield from _walk(schema_components, path, 0)


def _walk(items: Sequence[Any], path: str, depth: int) -> Iterator[tuple[dict[str, Any], str, int]]:
    for index, component in enumerate(items if isinstance(items, list) else []):
        if not isinstance(component, dict):
            continue
        yield component, component_name(component, path, index), depth
        if component.get("type") == "group":
            yield from _walk(component.get("components") or [], f"{path}[{index}].components", depth + 1)


def component_name(component: Mapping[str, Any], path: str, index: int) -> str:
    return str(component.get("id") or component.get("key") or f"{path}[{index}]")


class _NullDefault(dict):  # type: ignore[type-arg]
    """A name with no value is null, as in FEEL."""

    def __missing__(self, key: str) -> None:
        return None


def _condition_true(hide: Any, variables: Mapping[str, Any]) -> bool:
    if hide is None or hide == "":
        return False
    try:
        return expressions.evaluate(feel_to_expression(hide), variables, {}) is True
    except (FormError, expressions.ExpressionError):
        return False  # FEEL gives null for what cannot be compared; null never hides


def hidden_components(form: FormDefinition, data: Mapping[str, Any]) -> frozenset[str]:
    """Names of the components hidden for ``data`` (form values over case variables).

    Input fields follow engine.forms.visible_fields exactly (the rule the server validates with);
    text and group components are hidden by their own condition or a hidden group around them."""
    visible = {f.key for f in visible_fields(form, data)}
    hidden_keys = {f.key for f in form.fields} - visible
    initial = {f.key: f.default if f.default is not None else _EMPTY.get(f.type) for f in form.fields}
    variables = _NullDefault({**initial, **data, **{key: None for key in hidden_keys}})
    field_names = {f.id: f.key for f in form.fields}
    hidden: set[str] = set()
    hidden_groups: list[tuple[int, bool]] = []  # (depth, hidden) of the enclosing groups
    for component, name, depth in components(form.schema.get("components") or []):
        while hidden_groups and hidden_groups[-1][0] >= depth:
            hidden_groups.pop()
        outer = any(h for _, h in hidden_groups)
        if name in field_names and component.get("type") in INPUT_TYPES:
            is_hidden = field_names[name] in hidden_keys
        else:
            conditional = component.get("conditional")
            own = conditional.get("hide") if isinstance(conditional, dict) else None
            is_hidden = outer or _condition_true(own, variables)
        if is_hidden:
            hidden.add(name)
        if component.get("type") == "group":
            hidden_groups.append((depth, is_hidden))
    return frozenset(hidden)


def _dynamic_options(session: Session, region: str) -> dict[str, tuple[Option, ...]]:
    """valuesKey lists: the engine's (agency_options, labelled with organisation names)."""
    names = {o.key: o.name for o in session.scalars(select(Organisation).where(Organisation.region == region))}
    return {key: tuple(Option(v, names.get(v, v)) for v in values)
            for key, values in runtime.form_options(session, region).items()}


def _options_for(component: Mapping[str, Any], dynamic: Mapping[str, tuple[Option, ...]],
                 context: Mapping[str, Any]) -> tuple[Option, ...]:
    values = component.get("values")
    if isinstance(values, list):
        return tuple(Option(str(v.get("value")), str(v.get("label") or v.get("value")))
                     for v in values if isinstance(v, dict))
    key = component.get("valuesKey")
    if not isinstance(key, str):
        return ()
    if key in dynamic:
        return dynamic[key]
    # As in form-js, a valuesKey list may come from the task data, as values or {label, value} items.
    source = context.get(key)
    items = source if isinstance(source, (list, tuple)) else ()
    return tuple(Option(str(i.get("value")), str(i.get("label") or i.get("value"))) if isinstance(i, Mapping)
                 else Option(str(i), str(i)) for i in items)


def _form_options(form: FormDefinition, dynamic: Mapping[str, tuple[Option, ...]],
                  context: Mapping[str, Any]) -> dict[str, tuple[Option, ...]]:
    result = {}
    for component, _name, _depth in components(form.schema.get("components") or []):
        if component.get("type") in CHOICE_TYPES and isinstance(component.get("key"), str):
            result[component["key"]] = _options_for(component, dynamic, context)
    return result


def _initial_value(field: Field, context: Mapping[str, Any], options: Sequence[Option] | None) -> Any:
    default = field.default if field.default is not None else _EMPTY.get(field.type)
    value = context.get(field.key)
    if value is None:
        return default
    allowed = {o.value for o in options} if options is not None and field.type in CHOICE_TYPES else None
    if allowed is not None:
        if field.type == "checklist":
            return [v for v in value if v in allowed] if isinstance(value, list) else default
        return value if value in allowed else default
    if field.type == "filepicker":
        return [str(v) for v in value] if isinstance(value, list) else default
    return value


def coerce_for_conditions(form: FormDefinition, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Submitted text turned into what conditions compare (numbers, true/false), best effort:
    only to decide which fields a re-rendered form shows; validation is validate_submission's."""
    data: dict[str, Any] = {}
    for field in form.fields:
        value = raw.get(field.key)
        if field.type == "checkbox":
            data[field.key] = bool(value) and value not in ("false", "0")
        elif field.type == "number":
            try:
                text = str(value).strip()
                data[field.key] = int(text) if text.lstrip("+-").isdigit() else float(text)
            except (TypeError, ValueError):
                data[field.key] = None
        elif value is not None:
            data[field.key] = value
    return data


def hidden_for_submission(view: TaskView, raw: Mapping[str, Any]) -> frozenset[str]:
    """Which components a re-rendered form hides, given what the user submitted."""
    if view.form is None:
        return frozenset()
    return hidden_components(view.form, {**view.context, **coerce_for_conditions(view.form, raw)})


def check_submission(session: Session, view: TaskView, submitted: Mapping[str, Any]) -> dict[str, Any]:
    """Validate as complete_task will (InvalidSubmission), before anything is stored, e.g. uploads."""
    if view.form is None:
        return {}
    return validate_submission(view.form, submitted, view.context, runtime.form_options(session, view.task.region))


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
            options = {o.value: o.label for o in _options_for(component, dynamic, context)} if kind in CHOICE_TYPES else {}
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
    task, form = runtime.task_form(session, task_id, login)  # checks that the user may see it
    if task.status != "open":
        raise Conflict(f"task '{task.name}' is already {task.status}"
                       + (f" by {task.completed_by}" if task.completed_by else ""))
    instance = session.get(Instance, task.instance_id)
    message = session.get(Message, task.message_id)
    workflow = store.load(session, instance)
    spiff_task = inspect.get_task(workflow, task.id)
    task_data = dict(spiff_task.data) if spiff_task is not None else {}
    context = {**task_data, **case_variables(workflow)}  # as complete_task validates against

    region = get_region(task.region)
    region_orgs = {o.key: o for o in session.scalars(select(Organisation).where(Organisation.region == task.region))}
    org_key = task.organisation_key
    organisation = (region_orgs.get(org_key) or _organisations(session, {org_key}).get(org_key)) if org_key else None
    dynamic = _dynamic_options(session, task.region)
    descriptions = _descriptions(runtime.deployed_forms(session, instance.deployment_id), dynamic, context)
    names = {org.key: org.name for org in region_orgs.values()}

    options = _form_options(form, dynamic, context) if form else {}
    values = {f.key: _initial_value(f, context, options.get(f.key)) for f in form.fields} if form else {}
    own_keys = set(values)
    case_items = tuple(item for key, value in context.items()
                       if key not in own_keys and key not in runtime.MESSAGE_FIELDS and not _is_parts(value)
                       and (item := _case_item(key, value, descriptions)))
    message_fields = tuple(
        CaseItem(name, descriptions[name].label if name in descriptions else "", "text",
                 descriptions[name].options.get(value, value) if name in descriptions else value)
        for name in runtime.MESSAGE_FIELDS if (value := getattr(message, name, None)))

    parts = _parts(task_data, descriptions, names)
    attachments = _attachment_names(session, message.id, [case_items, *(p.items for p in parts)], values, form)
    granted = grants(session, login, clock.now())
    return TaskView(
        task=task, message=message, region_name=region.name, timezone=region.timezone,
        organisation_name=organisation.name if organisation else None,
        countdown=countdown(task, clock.now(), organisation.schedule if organisation else None),
        claim=_claim_state(task, login, granted, _full_names(session, {task.claimed_by} if task.claimed_by else set())),
        message_link=_safe_link(message.url), message_fields=message_fields,
        form=form, options=options, values=values, context=context,
        hidden=hidden_components(form, {**context, **values}) if form else frozenset(),
        case_items=case_items, parts=parts, attachments=attachments,
    )

