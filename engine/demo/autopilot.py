"""The demo's officials at work: an open task's form filled the way a person fills it on the task page.

Nothing here names a procedure's form key or element id (tests/test_no_procedure_names.py): a field
is recognised by its type and by the words of its label, a choice by the words of its option — the
prose the official reads. What the story wants (a threat, a return for rework, a co-executor, an
agency that is not competent) steers those choices; everything else takes the form's own default.
The submission goes through ``engine.runtime.cases.complete_task``, the web's own call, so the
form's checks, hidden fields and output parameters apply as for a person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Forbidden, NotFound
from engine.forms import visible_fields
from engine.forms.model import Field
from engine.models import Membership, Organisation, Task, User
from engine.runtime import cases as runtime
from engine.runtime import task_forms

# Words of an option's or a field's label, as the forms write them (lower case).
_THREAT = re.compile(r"угроз|остро значим")
_REWORK = re.compile(r"доработ")
_REPEAT = re.compile(r"повторн")
_COMPETENT = re.compile(r"компетенц")
_URL = re.compile(r"ссылк")
_NUMBER = re.compile(r"номер")
_REMARK = re.compile(r"замечан")
_REASON = re.compile(r"обоснован|причин")
_MEASURES = re.compile(r"мер[ыа]? ")
_PART = re.compile(r"информаци")
_PLACE = re.compile(r"локац|адрес|место")
_AGENCY_FIELD = "agency"  # the routing field that also lives on the message (engine.runtime.cases)
_TOPIC_FIELD = "topic"
_PLACE_FIELD = "location"


@dataclass
class Story:
    """What the people of one case write and decide; ``done`` records the turns already taken."""

    topic: str  # the topic's label as the routing form offers it
    location: str
    agency: str  # organisation key the curator routes to
    answer: str
    actions: str = "Проведена выездная проверка, работы включены в план на текущую неделю."
    part: str = "По вопросам в ведении органа проведена проверка, меры приняты; подробности — в общем ответе."
    remark: str = "Уточните сроки выполнения работ и укажите, кто отвечает за их контроль."
    reason: str = "Вопрос не относится к компетенции органа: объект находится в ведении другого ведомства."
    threat: bool = False
    rework: bool = False
    reroute_to: str | None = None  # first agency answers «not competent», the curator sends it here
    co_agency: str | None = None  # a co-executor of a joint answer
    url: str = ""
    number: int = 0
    done: set[str] = field(default_factory=set)  # "rework", "reroute": turns already taken

    @property
    def current_agency(self) -> str:
        return self.reroute_to if "reroute" in self.done and self.reroute_to else self.agency


def _low(text: str) -> str:
    return (text or "").lower()


def _choose(options: tuple[task_forms.Option, ...], default: Any, story: Story) -> tuple[str | None, str | None]:
    """(value, turn taken) for a static radio or select."""
    labels = {o.value: _low(o.label) for o in options}
    if story.threat:
        for value, label in labels.items():
            if _THREAT.search(label):
                return value, None
    if story.rework and "rework" not in story.done:
        for value, label in labels.items():
            if _REWORK.search(label):
                return value, "rework"
    ordinary = [v for v, label in labels.items() if not (_THREAT.search(label) or _REWORK.search(label) or _REPEAT.search(label))]
    if default in ordinary:
        return default, None
    return (ordinary[0] if ordinary else (options[0].value if options else None)), None


def _topic(options: tuple[task_forms.Option, ...], story: Story) -> str | None:
    for option in options:
        if option.label == story.topic:
            return option.value
    return options[0].value if options else None


def _text(item: Field, story: Story) -> str:
    label = _low(item.label)
    if item.key == _PLACE_FIELD or _PLACE.search(label):
        return story.location
    if _URL.search(label):
        return story.url
    if _NUMBER.search(label):
        return f"{story.number}-ОС"
    if _REMARK.search(label):
        return story.remark
    if _REASON.search(label):
        return story.reason
    if _MEASURES.search(label + " "):
        return story.actions
    if _PART.search(label):
        return story.part
    return story.answer


def fill(form_view: task_forms.OpenTaskForm, story: Story) -> tuple[dict[str, Any], set[str]]:
    """The submission for an open task's form, and the story's turns it takes."""
    assert form_view.form is not None
    values: dict[str, Any] = {}
    turns: set[str] = set()
    own = form_view.task.organisation_key
    for item in form_view.form.fields:
        options = form_view.options.get(item.key, ())
        if item.readonly or item.type == "filepicker":
            continue
        if item.type == "checkbox":
            declines = bool(story.reroute_to) and "reroute" not in story.done
            if _COMPETENT.search(_low(item.label)):
                values[item.key] = not declines
                if declines:
                    turns.add("reroute")
            else:
                values[item.key] = True
        elif item.type == "checklist":
            offered_set = {o.value for o in options}
            values[item.key] = [story.co_agency] if story.co_agency in offered_set and story.co_agency != story.current_agency else []
        elif item.values_key is not None:
            offered = [o.value for o in options]
            wanted = story.current_agency if item.key == _AGENCY_FIELD else (story.reroute_to or "")
            if wanted not in offered:
                wanted = next((v for v in offered if v != own), offered[0] if offered else "")
            values[item.key] = wanted
        elif item.type in ("radio", "select"):
            if item.key == _TOPIC_FIELD:
                values[item.key] = _topic(options, story)
            else:
                values[item.key], turn = _choose(options, item.default, story)
                if turn:
                    turns.add(turn)
        elif item.type == "number":
            values[item.key] = item.default if item.default is not None else (item.minimum or 1)
        elif item.type in ("textfield", "textarea"):
            values[item.key] = _text(item, story)
        elif item.default is not None:
            values[item.key] = item.default
    shown = {f.key for f in visible_fields(form_view.form, {**form_view.context, **values})}
    if story.reroute_to and "reroute" in turns and not any(
            f.type == "checkbox" and _COMPETENT.search(_low(f.label)) for f in form_view.form.fields if f.key in shown):
        turns.discard("reroute")
    if "rework" in turns and not any(v for k, v in values.items() if k in shown and isinstance(v, str)
                                     and _REWORK.search(_low(_label_of(form_view, k, v)))):
        turns.discard("rework")
    return {k: v for k, v in values.items() if k in shown}, turns


def _label_of(form_view: task_forms.OpenTaskForm, key: str, value: str) -> str:
    return next((o.label for o in form_view.options.get(key, ()) if o.value == value), "")


def actors(session: Session, task: Task) -> list[str]:
    """Officials of the task's territory who might act on it: those holding its role in its
    organisation first, then the rest of that organisation, then the territory (a role the engine
    resolves itself, e.g. the agency's last executor); the access check decides among them."""
    rows = session.execute(
        select(User.login, Membership.role, Organisation.key).join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Organisation.region == task.region, User.is_active.is_(True)).order_by(User.login)).all()

    def rank(row: Any) -> int:
        in_place = task.organisation_key in (None, row.key)
        return (0 if row.role == task.role else 1) + (0 if in_place else 2)

    return list(dict.fromkeys(row.login for row in sorted(rows, key=rank)))


def complete(session: Session, task: Task, story: Story) -> str | None:
    """Complete ``task`` as one of its officials would; the login who did, or None when nobody may."""
    for login in actors(session, task):
        try:
            view = task_forms.open_task_form(session, task.id, login)
        except (Forbidden, NotFound):
            continue
        submitted, turns = fill(view, story) if view.form is not None else ({}, set())
        runtime.complete_task(session, task.id, login, submitted)
        story.done |= turns
        return login
    return None


def open_tasks(session: Session, instance_id: int) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.instance_id == instance_id, Task.status == "open")
                                .order_by(Task.created_at, Task.id)))
