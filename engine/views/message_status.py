"""A message's state as a monitoring system reads it (GET /api/v1/messages/{id}): its status,
its procedure, its deadlines and the published answer's address — from the card, so the API shows
exactly what the card shows and only to whom the card is visible."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.models import Deployment, Instance
from engine.texts import t
from engine.views.message_card import message_card


@dataclass(frozen=True)
class StatusDeadline:
    name: str
    due_at: datetime  # aware, UTC
    overdue: bool


@dataclass(frozen=True)
class MessageStatus:
    message_id: int
    status: str  # the message's: in_progress, closed
    case_status: str | None  # the case's: running, completed, incident…
    region: str
    timezone: str
    source: str | None
    source_id: str | None
    procedure_name: str | None
    process_id: str | None
    version: int | None
    deadlines: tuple[StatusDeadline, ...]
    answer_is_public: bool
    public_answer_url: str | None  # only once published: a draft's link is not the answer
    attachments: tuple[str, ...]
    repeat_of: int | None = None  # the earlier message its curator confirmed this one repeats


def message_status(session: Session, message_id: int, login: str) -> MessageStatus:
    """The message's state for ``login``; NotFound when it does not exist or they may not see it
    (the card's rule: engine.directory.policy.message_visibility)."""
    try:
        card = message_card(session, message_id, login)
    except NotFound:
        raise NotFound(t("intake.not_found", id=message_id)) from None
    deployment = session.scalar(select(Deployment).join(Instance, Instance.deployment_id == Deployment.id)
                                .where(Instance.message_id == message_id).order_by(Instance.id.desc()).limit(1))
    is_public = card.answer.is_published
    return MessageStatus(
        message_id=card.message.id, status=card.message.status, case_status=card.instance_status,
        region=card.message.region, timezone=card.timezone, source=card.message.source,
        source_id=card.message.source_id,
        procedure_name=deployment.name if deployment else None,
        process_id=deployment.process_id if deployment else None,
        version=deployment.version if deployment else None,
        deadlines=tuple(StatusDeadline(d.name, d.due_at, d.overdue) for d in card.deadlines),
        answer_is_public=is_public, public_answer_url=card.answer.url if is_public else None, attachments=card.links,
        repeat_of=card.message.repeat_of_id)
