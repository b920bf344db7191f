from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text, true
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base

PENDING, SENT, FAILED = "pending", "sent", "failed"


class Webhook(Base):
    """Where a territory's monitoring system is told that an answer was published (issue 17 §2):
    one address per territory, kept by an administrator (engine.notifications.webhooks). The
    secret signs every delivery (HMAC-SHA256), so it is kept as given: the server must know it."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory: Mapped[str] = mapped_column(String(32), ForeignKey("territory.key"), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    # The administrator's explicit choice: http:// and private or loopback addresses allowed.
    allow_private: Mapped[bool] = mapped_column(default=False, server_default=false())
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class WebhookDelivery(Base):
    """One event for one webhook: queued in the transaction that published the answer (an outbox),
    sent by the worker with retries and backoff, then ``sent`` or, after the last try, ``failed``
    and listed for administrators. The body is fixed when queued, so every retry sends the same."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "message_id", "event", name="uq_webhook_delivery_event"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    event: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), server_default=text("'pending'"))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
