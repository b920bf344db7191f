"""Recording a surge once and escalating it once, with the messages behind it.

The rule of "once": a topic and place over the threshold again within one window of the end of its
last recorded surge (the two windows overlap) is the same surge going on. Its row is extended — the
window's end moves, the count keeps its peak, new messages join the list while it has room — and
nobody is told again. Once a whole window has passed without it, the next one is a new surge and
is escalated.

The notification (engine.notifications.notify, recipients ``surge.recipient``) names the topic, the
place, the window in the territory's zone, the count against the usual level and the rule's
threshold, and lists the first :data:`LISTED` messages (time, author, network, a link to the case)
with "и ещё N" for the rest; the surge's own page lists all it kept.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS
from engine.models import Message
from engine.models.surge import Surge
from engine.notifications import notify
from engine.notifications.wording import Part, zone_text
from engine.settings import settings
from engine.surges.words import counted
from engine.texts import Text, t

if TYPE_CHECKING:  # detect imports this module; the types only are needed here
    from engine.surges.detect import Found, Watched

__all__ = ["LISTED", "MAX_MESSAGE_IDS", "record_surges", "zone_of"]

MAX_MESSAGE_IDS = 50  # messages a surge keeps (its page lists them); the count says how many there were
LISTED = 20  # messages listed in the notification; the rest is "и ещё N"
AUTHOR_CHARS = 60  # an author's name in a notification line
_ADVISORY = 727301  # PostgreSQL: one recorder per territory at a time (several workers may run)


def zone_of(region: str) -> ZoneInfo:
    return ZoneInfo(REGIONS[region].timezone) if region in REGIONS else ZoneInfo("UTC")


def _messages(session: Session, region: str, found: Found) -> list[Message]:
    """The messages of the window behind a found surge, first registered first, bounded."""
    places = [p for p in found.locations if p is not None]
    where_place: ColumnElement[bool] = Message.location.in_(places) if places else Message.location.is_(None)
    if places and None in found.locations:
        where_place = or_(where_place, Message.location.is_(None))
    return list(session.scalars(
        select(Message).where(Message.region == region, Message.topic == found.topic, where_place,
                              Message.registered_at > found.start, Message.registered_at <= found.end)
        .order_by(Message.registered_at, Message.id).limit(MAX_MESSAGE_IDS)))


def _lock(session: Session, region: str) -> None:
    # SQLite's writer begins IMMEDIATE (engine.db.database): already one at a time.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_ADVISORY, func.hashtext(region))))


def _continuing(session: Session, region: str, found: Found, window: timedelta) -> Surge | None:
    return session.scalar(
        select(Surge).where(Surge.region == region, Surge.topic == found.topic,
                            Surge.location_key == found.location_key, Surge.window_end >= found.end - window)
        .order_by(Surge.window_end.desc(), Surge.id.desc()).limit(1))


def record_surges(session: Session, territory: Watched, found: Sequence[Found], now: datetime) -> list[int]:
    """Record what is new (and notify), extend what goes on; returns the ids of the new surges."""
    _lock(session, territory.region)
    rule = territory.rule
    window = timedelta(minutes=rule.window_minutes)
    new: list[int] = []
    for surge in found:
        messages = _messages(session, territory.region, surge)
        going_on = _continuing(session, territory.region, surge, window)
        if going_on is not None:
            going_on.window_end = max(going_on.window_end, surge.end)
            going_on.count = max(going_on.count, surge.count)
            room = [m.id for m in messages if m.id not in going_on.message_ids]
            going_on.message_ids = [*going_on.message_ids, *room][:MAX_MESSAGE_IDS]
            continue
        place = next((p for p in surge.locations if p), None)
        row = Surge(region=territory.region, deployment_id=territory.deployment_id, topic=surge.topic,
                    location=place, location_key=surge.location_key, window_start=surge.start,
                    window_end=surge.end, detected_at=now, count=surge.count, baseline=surge.baseline,
                    threshold=surge.threshold, message_ids=[m.id for m in messages],
                    rule={"window": rule.window_minutes, "baseline_days": rule.baseline_days, "factor": rule.factor,
                          "minimum": rule.minimum, "recipients": list(rule.recipients), "clause": rule.clause})
        session.add(row)
        session.flush()
        subject, body = notification_text(territory, row, messages)
        # The first message behind it: the notification centre's «Открыть дело» and the e-mail's case link.
        notify(session, region=territory.region, recipients=list(rule.recipients), subject=subject, body=body, at=now,
               message_id=messages[0].id if messages else None)
        row.notified_at = now
        new.append(row.id)
    return new


def topic_label(territory: Watched, topic: str) -> str:
    return territory.topic_labels.get(topic, topic)


def notification_text(territory: Watched, surge: Surge, messages: Sequence[Message]) -> tuple[Text, list[Part]]:
    """The subject and the body's lines as texts, read in each reader's language; times stay instants,
    shown on the territory's clock, which the body names in words (engine.notifications.wording)."""
    zone = zone_of(territory.region)
    rule = territory.rule
    place: Text | str = surge.location or t("surge.no_location")
    clause = t("surge.clause_cited", clause=rule.clause) if rule.clause else ""
    subject = t("surge.subject", topic=topic_label(territory, surge.topic), location=place,
                count=counted(surge.count, "messages"), window=counted(rule.window_minutes, "minutes"), clause=clause)
    base = settings().base_url or ""
    # The surge's page first: the notification centre shows a body's beginning only.
    lines: list[Part] = [
        t("surge.body_page", link=f"{base}/surges/{surge.id}"),
        t("surge.body", start=surge.window_start, end=surge.window_end,
          zone=zone_text(territory.region, surge.window_start), count=counted(surge.count, "messages"),
          topic=topic_label(territory, surge.topic), location=place, baseline=counted(surge.baseline, "messages"),
          days=counted(rule.baseline_days, "days"), threshold=counted(surge.threshold, "messages")),
        t("surge.body_messages")]
    for message in messages[:LISTED]:
        author = " ".join(message.author.split())[:AUTHOR_CHARS]
        lines.append(f"• {_local(message.registered_at, zone)} {author} ({message.network}) — {base}/messages/{message.id}")
    if surge.count > min(len(messages), LISTED):
        lines.append(t("surge.body_more", more=surge.count - min(len(messages), LISTED)))
    return subject, lines


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")
