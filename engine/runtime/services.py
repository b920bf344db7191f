"""External-task handlers: each ``camunda:topic`` of a service task is a function here.

The engine runs a handler inside the same transaction that advances the workflow, so a
violation row and the state that recorded it are saved together or not at all.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn.conventions import BASIS_ACT, BASIS_PARAMETER, BASIS_PROPERTY, RECIPIENT_PROPERTY
from engine.db.audit import record
from engine.models import Organisation, Violation
from engine.notifications import routing
from engine.texts import Text, t

# A notify or record_violation task that names no recipient tells the region's supervisor.
RECIPIENT_DEFAULT = "supervisor"


@dataclass
class ServiceCall:
    """What a handler may know about the call."""

    session: Session
    instance_id: int
    message_id: int
    region: str
    element_id: str
    properties: dict[str, str]
    data: dict[str, Any]
    now: datetime
    timer_id: str | None = None  # the deadline timer that led here, if any
    due_at: datetime | None = None
    organisation_key: str | None = None  # whose deadline it was
    timer_name: str | None = None  # the deadline as the diagram names it ("8 рабочих часов, п. 6")
    results: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[ServiceCall], None]
_REGISTRY: dict[str, Handler] = {}


def handler(topic: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _REGISTRY[topic] = function
        return function

    return register


def topics() -> frozenset[str]:
    return frozenset(_REGISTRY)


def get_handler(topic: str) -> Handler:
    return _REGISTRY[topic]


def _recipients(call: ServiceCall, default: str | None) -> str:
    """The task's ``recipient`` keys (validated at deployment), else ``default``."""
    return (call.properties.get(RECIPIENT_PROPERTY) or "").strip() or (default or "")


def _organisation_name(call: ServiceCall) -> Text | str:
    if call.organisation_key is None:
        return t("notifications.no_organisation")
    name = call.session.scalar(select(Organisation.name).where(Organisation.key == call.organisation_key))
    return name or call.organisation_key


def _deadline_words(call: ServiceCall, clause: str, deadline: str) -> str:
    """What people read for the deadline: the timer's name from the diagram, without the clause the
    subject already cites ("30 рабочих минут с момента выявления"), never the diagram's short key."""
    name = " ".join((call.timer_name or "").split())
    if not name:
        return deadline
    if clause:
        name = re.sub(rf",?\s*\(?п\.\s*{re.escape(clause)}\)?\s*$", "", name).strip() or name
    return name


@handler("record_violation")
def record_violation(call: ServiceCall) -> None:
    """A deadline passed: keep it for the monthly report and tell whom the act names (``recipient``)."""
    clause = call.properties.get("clause", "")
    deadline = call.properties.get("deadline", call.element_id)
    basis = (call.properties.get(BASIS_PROPERTY) or BASIS_ACT).strip()
    call.session.add(
        Violation(
            instance_id=call.instance_id,
            message_id=call.message_id,
            region=call.region,
            clause=clause,
            basis=basis,
            deadline=deadline,
            element_id=call.element_id,
            timer_id=call.timer_id,
            organisation_key=call.organisation_key,
            due_at=call.due_at,
            recorded_at=call.now,
        )
    )
    record(call.session, "violation", actor="system", at=call.now, instance_id=call.instance_id,
           message_id=call.message_id, element_id=call.element_id,
           details={"clause": clause, "deadline": deadline, "timer": call.timer_id,
                    "due_at": call.due_at.isoformat() if call.due_at else None,
                    "organisation": call.organisation_key})
    # Whom the act orders to be told (Orenburg п. 19 agency heads, Smolensk п. 13 the supervising deputy
    # governor); a task that does not say tells the supervisor. Kept as codes, read in each reader's language;
    # the due time stays an instant, shown on the territory's clock when read (engine.notifications.wording).
    due: datetime | str = call.due_at if call.due_at is not None else "—"
    deadline_words = _deadline_words(call, clause, deadline)
    code = ("notifications.violation_subject_parameter" if basis == BASIS_PARAMETER
            else "notifications.violation_subject")
    routing.notify(call.session, region=call.region, recipients=_recipients(call, RECIPIENT_DEFAULT),
                   subject=t(code, clause=clause, deadline=deadline_words, due=due),
                   body=t("notifications.violation_body", case=call.message_id, deadline=deadline_words, due=due,
                          organisation=_organisation_name(call)),
                   at=call.now, instance_id=call.instance_id, message_id=call.message_id,
                   organisation_key=call.organisation_key, element_id=call.element_id)


@handler("notify")
def notify(call: ServiceCall) -> None:
    """Tell the ``recipient`` keys (validated at deployment) about the case: the message's text is the
    body; ``agency_head``/``deputy_governor`` are resolved against the organisation the task declares."""
    subject = call.properties.get("subject", call.element_id)
    body = str(call.data.get("text", ""))
    routing.notify(call.session, region=call.region, recipients=_recipients(call, RECIPIENT_DEFAULT),
                   subject=subject, body=body, at=call.now, instance_id=call.instance_id,
                   message_id=call.message_id, organisation_key=call.organisation_key, element_id=call.element_id)
