"""A person's notification centre: their in-app deliveries, newest first, unread count, marking read.

Only the signed-in person's own rows: every query is by their user id, so one official never sees
or marks another's notifications (a substitute included: they get their own delivery when they stand in,
engine.notifications.resolution).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.models import Delivery, Notification, User
from engine.models.delivery import IN_APP
from engine.notifications.wording import body_in, subject_in

PAGE_SIZE = 25


@dataclass(frozen=True)
class Item:
    id: int  # the delivery's id: what "mark read" names
    subject: str
    body: str
    created_at: datetime
    region: str  # the case's territory: its zone is how times are shown
    message_id: int | None
    read_at: datetime | None


def _user_id(session: Session, login: str) -> int | None:
    return session.scalar(select(User.id).where(User.login == login))


def unread_count(session: Session, login: str) -> int:
    user_id = _user_id(session, login)
    if user_id is None:
        return 0
    return session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.user_id == user_id, Delivery.channel == IN_APP, Delivery.read_at.is_(None))) or 0


def page(session: Session, login: str, number: int = 1, size: int = PAGE_SIZE) -> tuple[list[Item], int]:
    """Page ``number`` (from 1) of the person's notifications, newest first, and how many there are."""
    user_id = _user_id(session, login)
    if user_id is None:
        return [], 0
    mine = (Delivery.user_id == user_id) & (Delivery.channel == IN_APP)
    total = session.scalar(select(func.count()).select_from(Delivery).where(mine)) or 0
    rows = session.execute(
        select(Delivery.id, Notification.subject, Notification.body, Notification.subject_text,
               Notification.body_text, Notification.created_at, Notification.region, Notification.message_id,
               Delivery.read_at)
        .join(Notification, Notification.id == Delivery.notification_id).where(mine)
        .order_by(Notification.created_at.desc(), Delivery.id.desc())
        .offset(max(0, number - 1) * size).limit(size))
    # In the reader's language (the request's); rows written before codes were kept read as stored,
    # their ISO instants on the territory's clock (engine.notifications.wording).
    return [Item(id_, subject_in(subject_text, subject, region), body_in(body_text, body, region), created_at, region,
                 message_id, read_at)
            for id_, subject, body, subject_text, body_text, created_at, region, message_id, read_at in rows], total


def mark_read(session: Session, login: str, delivery_id: int, at: datetime) -> bool:
    """Mark one of the person's own notifications read; False when it is not theirs (or not there)."""
    user_id = _user_id(session, login)
    if user_id is None:
        return False
    row = session.get(Delivery, delivery_id)
    if row is None or row.user_id != user_id or row.channel != IN_APP:
        return False
    if row.read_at is None:
        row.read_at = at
    return True


def mark_all_read(session: Session, login: str, at: datetime) -> int:
    """Mark every unread notification of the person read; returns how many."""
    user_id = _user_id(session, login)
    if user_id is None:
        return 0
    result = session.execute(update(Delivery).where(
        Delivery.user_id == user_id, Delivery.channel == IN_APP, Delivery.read_at.is_(None))
        .values(read_at=at).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)
