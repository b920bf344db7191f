from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base

IN_APP, EMAIL = "in_app", "email"
PENDING, SENT, FAILED = "pending", "sent", "failed"


class Delivery(Base):
    """One notification to one person (or one state body's contact address) by one channel.

    In-app rows are ``sent`` when created and read when the person marks them; e-mail rows are
    ``pending`` until the worker sends them (engine.notifications.delivery), retried with backoff
    up to a bound, then ``failed`` and listed for administrators."""

    __tablename__ = "notification_delivery"
    __table_args__ = (
        Index("ix_delivery_user_unread", "user_id", "channel", "read_at"),
        Index("ix_delivery_due", "channel", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: a state body's address
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))  # the state body
    channel: Mapped[str] = mapped_column(String(16))  # in_app | email
    address: Mapped[str | None] = mapped_column(String(254))  # the e-mail address it goes to
    status: Mapped[str] = mapped_column(String(16), server_default=text("'pending'"))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
