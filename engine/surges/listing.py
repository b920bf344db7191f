"""What supervisors and the regulator read of the surges found: the list and one surge with its messages.

Who sees which is engine.directory.policy.surge_regions: those who read the territory's reports (the
curator, the supervisor, the regulator) and those a surge is told to (the Governor and his office, the
deputy minister), whose notification links here. Someone who reads no territory's surges is refused
(403); a surge of another territory is 404, so its existence is not told either.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS
from engine.directory.access import current_grants
from engine.directory.policy import surge_regions
from engine.errors import Forbidden, NotFound
from engine.models import Deployment, Message
from engine.models.surge import Surge
from engine.surges.detect import topic_labels_of
from engine.surges.record import MAX_MESSAGE_IDS
from engine.texts import Text, t

__all__ = ["PAGE", "SurgeItem", "SurgeMessage", "recipients_text", "surge_for", "surges_for"]

PAGE = 50  # newest first; older ones stay in the database (and the audit of their notifications)


@dataclass(frozen=True)
class SurgeItem:
    id: int
    region: str
    region_name: str
    topic: str  # the routing form's label
    location: str | None
    window_start: datetime
    window_end: datetime
    detected_at: datetime
    count: int
    baseline: float
    threshold: float
    recipients: tuple[str, ...]
    clause: str
    notified_at: datetime | None
    message_count: int  # how many it keeps (at most MAX_MESSAGE_IDS)


@dataclass(frozen=True)
class SurgeMessage:
    id: int
    registered_at: datetime
    author: str
    network: str
    url: str
    text: str


def _item(surge: Surge, labels: dict[str, str]) -> SurgeItem:
    rule = surge.rule or {}
    return SurgeItem(
        id=surge.id, region=surge.region, region_name=REGIONS[surge.region].display_name if surge.region in REGIONS else surge.region,
        topic=labels.get(surge.topic, surge.topic), location=surge.location, window_start=surge.window_start,
        window_end=surge.window_end, detected_at=surge.detected_at, count=surge.count, baseline=surge.baseline,
        threshold=surge.threshold, recipients=tuple(rule.get("recipients") or ()), clause=str(rule.get("clause") or ""),
        notified_at=surge.notified_at, message_count=len(surge.message_ids or ()))


def _labels(session: Session, deployment_ids: set[int]) -> dict[int, dict[str, str]]:
    rows = session.execute(select(Deployment.id, Deployment.content_hash).where(Deployment.id.in_(deployment_ids)))
    return {deployment_id: topic_labels_of(session, deployment_id, content_hash) for deployment_id, content_hash in rows}


def _regions(session: Session, login: str) -> list[str]:
    regions = surge_regions(current_grants(session, login))
    if not regions:
        raise Forbidden(t("surge.forbidden"))
    return regions


def surges_for(session: Session, login: str, limit: int = PAGE) -> tuple[list[SurgeItem], int]:
    """The newest surges of the territories ``login`` oversees, and how many there are."""
    regions = _regions(session, login)
    mine = Surge.region.in_(regions)
    total = session.scalar(select(func.count()).select_from(Surge).where(mine)) or 0
    rows = list(session.scalars(select(Surge).where(mine).order_by(Surge.detected_at.desc(), Surge.id.desc())
                                .limit(limit)))
    labels = _labels(session, {row.deployment_id for row in rows})
    return [_item(row, labels.get(row.deployment_id, {})) for row in rows], total


def surge_for(session: Session, login: str, surge_id: int) -> tuple[SurgeItem, list[SurgeMessage]]:
    """One surge and the messages it keeps, first registered first."""
    surge = session.get(Surge, surge_id)
    if surge is None or surge.region not in _regions(session, login):
        raise NotFound(t("surge.not_found", id=surge_id))
    ids = list(surge.message_ids or ())[:MAX_MESSAGE_IDS]
    messages = [SurgeMessage(m.id, m.registered_at, m.author, m.network, m.url, m.text[:300])
                for m in session.scalars(select(Message).where(Message.id.in_(ids))
                                         .order_by(Message.registered_at, Message.id))]
    return _item(surge, _labels(session, {surge.deployment_id}).get(surge.deployment_id, {})), messages


def recipients_text(keys: tuple[str, ...]) -> list[Text]:
    """The recipients in words («Губернатору»), for the page."""
    return [t(f"surge.to.{key}") for key in keys]
