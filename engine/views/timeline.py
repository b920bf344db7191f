"""A case's history («История») as an official reads it: who (a person's full name, or the system in
words), what (the step or deadline as the diagram names it), and what was decided — the submitted
form's own labels and option labels, never variable names, keys, ``True`` or ``[]`` (issue 16).

The card (engine.views.message_card) and the case-on-the-diagram page (engine.views.instance) show it."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.bpmn.reader import Diagram
from engine.directory.names import official_names, organisation_names
from engine.models import AuditEvent, Deployment, Task
from engine.notifications.wording import subject_in
from engine.runtime import repeats
from engine.texts import t

# Actors that are not people: the deadline worker and engine ("system"), the demo's seed ("demo").
SYSTEM_ACTORS = frozenset({"system", "demo"})
# Kinds whose element is a step people work on (its name is the diagram's name for the task).
STEP_KINDS = frozenset({"claimed", "unclaimed", "completed"})
HIDDEN_FIELD_TYPES = frozenset({"text", "image", "spacer", "separator", "html", "button", "group", "dynamiclist"})

Value = str | bool | datetime | int | float


@dataclass(frozen=True)
class Fact:
    """One answer of a submitted form: the field's label and the value as the form labels it."""

    label: str
    value: Value
    long: bool = False  # a textarea: shown as a paragraph


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str  # the login or system actor, for filters and tests; ``who`` is what people read
    who: str | None  # the person's full name; None for a system actor (``system_actor`` says which)
    system_actor: str | None
    kind: str
    element_id: str | None
    title: str
    details: dict[str, Any] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    organisation: str | None = None  # a violation's responsible organisation, a notice's, by name
    recipient_role: str | None = None  # a notice's recipient key (a role: web labels it)


def timeline(session: Session, region: str, events: list[AuditEvent], tasks: Mapping[str, Task],
             deployments: Mapping[int, Deployment], diagrams: Mapping[int, Diagram],
             instance_deployment: Mapping[int, int]) -> list[TimelineEntry]:
    """``events`` of one case (in ``region``) in order; ``tasks`` by id, the case's deployments and
    read diagrams by deployment id, and which deployment each instance runs."""
    people = official_names(session, (e.actor for e in events if e.actor not in SYSTEM_ACTORS))
    forms = {deployment_id: _forms(deployment) for deployment_id, deployment in deployments.items()}
    organisations = organisation_names(session, [
        *(str((e.details or {}).get("organisation") or "") for e in events),
        *_chosen_organisations(events, tasks, forms, instance_deployment)])
    entries = []
    for event in events:
        details = dict(event.details or {})
        deployment_id = instance_deployment.get(event.instance_id or 0)
        diagram = diagrams.get(deployment_id) if deployment_id is not None else None
        node_names = {node_id: node.name for node_id, node in diagram.nodes.items()} if diagram is not None else {}
        task = tasks.get(str(details.get("task_id") or ""))
        form = forms.get(deployment_id or 0, {}).get(task.form_ref or "") if task is not None else None
        system = event.actor if event.actor in SYSTEM_ACTORS or event.actor not in people else None
        entries.append(TimelineEntry(
            at=event.at, actor=event.actor, who=people.get(event.actor), system_actor=system, kind=event.kind,
            element_id=event.element_id,
            title=_title(event, details, node_names, task, region),
            details=details,
            facts=tuple(_facts(details.get("data"), form, organisations)) if event.kind == "completed" else (),
            organisation=organisations.get(str(details.get("organisation") or "")),
            recipient_role=str(details["recipient"]) if event.kind == "notified" and details.get("recipient") else None,
        ))
    return entries


def _title(event: AuditEvent, details: Mapping[str, Any], node_names: Mapping[str, str], task: Task | None,
           region: str) -> str:
    """The step or deadline as the diagram names it; a notice's subject; a file's name."""
    if event.kind in STEP_KINDS:
        return node_names.get(event.element_id or "") or (task.name if task is not None else "")
    if event.kind == "timer_fired":
        return str(details.get("name") or node_names.get(event.element_id or "") or "")
    if event.kind == "violation":
        named = node_names.get(str(details.get("timer") or ""))
        return named or node_names.get(event.element_id or "") or ""
    if event.kind == "notified":
        # In the reader's language from its codes; older notices as stored (engine.notifications.wording).
        codes = details.get("subject_text")
        return subject_in(codes if isinstance(codes, list) else None, str(details.get("subject") or ""), region)
    if event.kind == "attached":
        return str(details.get("filename") or "")
    if event.kind in _REPEAT_TITLES:  # the curator's «повтор сообщения № N» (engine.runtime.repeats)
        return t(_REPEAT_TITLES[event.kind], id=details.get("earlier")).render()
    return ""


_REPEAT_TITLES = {repeats.CONFIRMED: "repeat.timeline.confirmed", repeats.DISMISSED: "repeat.timeline.dismissed"}


# ---- the submitted form, in its own words ---------------------------------------------------

@dataclass(frozen=True)
class _Field:
    label: str
    type: str
    options: Mapping[str, str]  # value → label (static options)
    dynamic: bool  # options from a list the server fills (organisations)


def _forms(deployment: Deployment) -> dict[str, dict[str, _Field]]:
    """form id → field key → how it reads, in the form's order."""
    found: dict[str, dict[str, _Field]] = {}
    for form_id, text in (deployment.forms or {}).items():
        try:
            components = json.loads(text).get("components", [])
        except (ValueError, AttributeError):
            continue
        fields: dict[str, _Field] = {}
        for component in _walk(components):
            key, kind = component.get("key"), str(component.get("type") or "")
            if not key or kind in HIDDEN_FIELD_TYPES:
                continue
            options = {str(o["value"]): str(o.get("label") or o["value"])
                       for o in component.get("values") or [] if isinstance(o, dict) and "value" in o}
            fields.setdefault(str(key), _Field(label=str(component.get("label") or ""), type=kind, options=options,
                                               dynamic=bool(component.get("valuesKey"))))
        found[str(form_id)] = fields
    return found


def _walk(components: list[Any]) -> Iterable[dict[str, Any]]:
    for component in components:
        if isinstance(component, dict):
            yield component
            yield from _walk(component.get("components") or [])


def _chosen_organisations(events: list[AuditEvent], tasks: Mapping[str, Task],
                          forms: Mapping[int, Mapping[str, Mapping[str, _Field]]],
                          instance_deployment: Mapping[int, int]) -> Iterable[str]:
    """Values of fields whose options the server fills (agencies): organisation keys to name."""
    for event in events:
        data = (event.details or {}).get("data") if event.kind == "completed" else None
        task = tasks.get(str((event.details or {}).get("task_id") or ""))
        if not isinstance(data, dict) or task is None:
            continue
        form = forms.get(instance_deployment.get(event.instance_id or 0, 0), {}).get(task.form_ref or "", {})
        for key, described in form.items():
            if described.dynamic:
                value = data.get(key)
                yield from (str(v) for v in value) if isinstance(value, list) else [str(value or "")]


def _facts(data: Any, form: Mapping[str, _Field] | None, organisations: Mapping[str, str]) -> Iterable[Fact]:
    """The answers a person gave, labelled as the form labels them; empty answers and values the
    form does not show (technical variables) are left out."""
    if not isinstance(data, dict) or not form:
        return
    for key, described in form.items():
        value = data.get(key)
        if value in (None, "", [], {}) or not described.label:
            continue
        shown = _shown(value, described, organisations)
        if shown in ("", None):
            continue
        yield Fact(label=described.label, value=shown, long=described.type == "textarea")


def _shown(value: Any, described: _Field, organisations: Mapping[str, str]) -> Value | None:
    def one(item: Any) -> str:
        text = str(item)
        if described.dynamic:
            return organisations.get(text, text)
        return described.options.get(text, text)

    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return ", ".join(one(item) for item in value if item not in (None, ""))
    if isinstance(value, dict):
        return None  # a structure no form field writes: nothing a person typed
    if described.type == "datetime" and isinstance(value, str):
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            return value
        if instant.tzinfo is not None:
            return instant  # the page writes it on the territory's clock
        return instant.strftime("%d.%m.%Y" if len(value) <= 10 else "%d.%m.%Y %H:%M")
    if isinstance(value, (int, float)):
        return value
    return one(value)
