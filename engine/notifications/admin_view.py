"""What administrators must see: notifications nobody could be found for, and e-mails that failed
for good (or are still being retried) — an escalation the act orders that did not reach a person."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.directory.names import organisation_names
from engine.models import Delivery, Notification, Organisation, User
from engine.models.delivery import EMAIL, FAILED, PENDING
from engine.models.notification import NO_RECIPIENT
from engine.notifications.wording import subject_in

SHOWN = 200  # the newest; an administrator fixes the directory, not a backlog of thousands


@dataclass(frozen=True)
class Undelivered:
    notification_id: int
    created_at: datetime
    region: str
    recipient: str  # the recipient key
    organisation_key: str | None
    subject: str
    message_id: int | None
    problem: str  # no_recipient | failed | retrying
    address: str | None = None  # the e-mail that failed
    addressee: str | None = None  # whose (a login or a state body's key)
    attempts: int = 0
    last_error: str | None = None
    # What the administrator reads (issue 16): the organisation's name, the addressee's full name or
    # the state body's name; the keys above stay for tests and links.
    organisation_name: str | None = None
    addressee_name: str | None = None


def undelivered(session: Session, limit: int = SHOWN) -> list[Undelivered]:
    """Newest first: recipients nobody holds, e-mails failed for good, e-mails being retried."""
    # In the administrator's language; older rows as stored, instants local (engine.notifications.wording).
    found = [Undelivered(n.id, n.created_at, n.region, n.recipient, n.organisation_key,
                         subject_in(n.subject_text, n.subject, n.region), n.message_id, NO_RECIPIENT)
             for n in session.scalars(select(Notification).where(Notification.status == NO_RECIPIENT)
                                      .order_by(Notification.created_at.desc()).limit(limit))]
    rows = session.execute(
        select(Delivery, Notification, User.login, Organisation.key, User.full_name, Organisation.name)
        .join(Notification, Notification.id == Delivery.notification_id)
        .outerjoin(User, User.id == Delivery.user_id)
        .outerjoin(Organisation, Organisation.id == Delivery.organisation_id)
        .where(Delivery.channel == EMAIL, or_(Delivery.status == FAILED,
                                              (Delivery.status == PENDING) & Delivery.last_error.is_not(None)))
        .order_by(Delivery.created_at.desc()).limit(limit))
    for delivery, n, login, body, full_name, body_name in rows:
        found.append(Undelivered(n.id, n.created_at, n.region, n.recipient, n.organisation_key,
                                 subject_in(n.subject_text, n.subject, n.region), n.message_id,
                                 "failed" if delivery.status == FAILED else "retrying",
                                 delivery.address, login or body, delivery.attempts, delivery.last_error,
                                 addressee_name=full_name or body_name))
    shown = sorted(found, key=lambda u: u.created_at, reverse=True)[:limit]
    names = organisation_names(session, (u.organisation_key for u in shown))
    return [replace(u, organisation_name=names.get(u.organisation_key or "")) for u in shown]
