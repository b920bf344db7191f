from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Surge(Base):
    """A surge of social activity the worker found (engine.surges.detect, Orenburg п. 21, Smolensk п. 15):
    more messages of one topic and place in a window than the procedure's rule allows over the
    territory's own usual level. Recorded once and escalated once; while it goes on (detected again
    within a window of its last end) the same row is extended, never escalated again."""

    __tablename__ = "surge"
    # The continuing surge of a topic and place is looked up by these on every detection.
    __table_args__ = (Index("ix_surge_region_topic_end", "region", "topic", "location_key", "window_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(32))
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"))  # the version whose rule applied
    topic: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(200))  # as the curator wrote it (first seen)
    location_key: Mapped[str] = mapped_column(String(200))  # engine.surges.detect.location_key: how places match
    window_start: Mapped[datetime]  # of the first detection
    window_end: Mapped[datetime]  # of the latest detection while it went on
    detected_at: Mapped[datetime] = mapped_column(index=True)
    count: Mapped[int]  # the most messages in one window while it went on
    baseline: Mapped[float]  # the usual number per window when it was first detected
    threshold: Mapped[float]  # the rule's threshold then: max(minimum, factor × baseline)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)  # the rule as applied (engine.surges.rule.SurgeRule)
    message_ids: Mapped[list[int]] = mapped_column(JSON)  # the messages behind it, first ones, bounded
    notified_at: Mapped[datetime | None]  # when the recipients were notified (engine.notifications)
