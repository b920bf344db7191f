"""External-task handlers: each ``camunda:topic`` of a service task is a function here.

The engine runs a handler inside the same transaction that advances the workflow, so a
violation row and the state that recorded it are saved together or not at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.bpmn.conventions import BASIS_ACT, BASIS_PROPERTY
from engine.db.audit import record
from engine.models import Notification, Violation


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


def _notify(call: ServiceCall, recipient: str, subject: str, body: str = "", organisation_key: str | None = None) -> None:
    call.session.add(
        Notification(
            created_at=call.now,
            region=call.region,
            recipient=recipient,
            organisation_key=organisation_key,
            subject=subject,
            body=body,
            instance_id=call.instance_id,
            message_id=call.message_id,
        )
    )
    record(call.session, "notified", actor="system", at=call.now, instance_id=call.instance_id,
           message_id=call.message_id, element_id=call.element_id,
           details={"recipient": recipient, "organisation": organisation_key, "subject": subject})


@handler("record_violation")
def record_violation(call: ServiceCall) -> None:
    """A deadline passed: keep it for the monthly report and tell the supervisor (п. 19)."""
    clause = call.properties.get("clause", "")
    deadline = call.properties.get("deadline", call.element_id)
    call.session.add(
        Violation(
            instance_id=call.instance_id,
            message_id=call.message_id,
            region=call.region,
            clause=clause,
            basis=(call.properties.get(BASIS_PROPERTY) or BASIS_ACT).strip(),
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
    due = f" (срок {call.due_at.isoformat()})" if call.due_at else ""
    _notify(call, "supervisor", f"Нарушен срок п. {clause}: {deadline}{due}",
            organisation_key=call.organisation_key)


@handler("notify")
def notify(call: ServiceCall) -> None:
    """A notification row for ``recipient`` (a role key, or ``authorities``)."""
    recipient = call.properties.get("recipient", "supervisor")
    subject = call.properties.get("subject", call.element_id)
    body = str(call.data.get("text", ""))[:4000]
    _notify(call, recipient, subject, body)
