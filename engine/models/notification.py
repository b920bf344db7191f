from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Notification(Base):
    """Something to tell a role; delivery channels (e-mail, messengers) come later."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    region: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(64))  # a role key (supervisor) or "authorities"
    organisation_key: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("instance.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    delivered_at: Mapped[datetime | None]
