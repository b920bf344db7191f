from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base

ROUTED, NO_RECIPIENT = "routed", "no_recipient"


class Notification(Base):
    """Something the act orders to be told to one recipient key (engine.bpmn.conventions RECIPIENTS):
    one row per key; the people it reached are its :class:`engine.models.delivery.Delivery` rows.

    ``status`` is ``routed`` once at least one person or body was found, ``no_recipient`` when the
    directory holds nobody for the key — never silent: administrators see those
    (engine.notifications.admin_view)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    region: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(64))  # a recipient key: supervisor, governor, authorities …
    organisation_key: Mapped[str | None] = mapped_column(String(64))  # the organisation responsible for the case
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # What it says as text codes and parameters (engine.notifications.wording), rendered when read in
    # the reader's language; subject/body above keep the Russian rendering (e-mails, older readers).
    # None on rows written before (migration 0017) or too big to keep: those read as subject/body.
    subject_text: Mapped[list[Any] | None] = mapped_column(JSON)
    body_text: Mapped[list[Any] | None] = mapped_column(JSON)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("instance.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    delivered_at: Mapped[datetime | None]  # the first delivery that reached someone (in-app: at once)
    status: Mapped[str] = mapped_column(String(16), default=ROUTED, server_default=text("'routed'"), index=True)
