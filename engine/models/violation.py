from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Violation(Base):
    """A missed deadline (SLA violation), for the monthly reports."""

    __tablename__ = "violation"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)  # registry counts and filter
    region: Mapped[str] = mapped_column(String(32), index=True)
    clause: Mapped[str] = mapped_column(String(32))
    # "act": the clause is a deadline of the act; "parameter": the procedure sets it, the act does not
    # (engine.bpmn.conventions BASIS_PROPERTY), so reports never charge it to the act's clause.
    basis: Mapped[str] = mapped_column(String(16), default="act", server_default=text("'act'"))
    deadline: Mapped[str] = mapped_column(String(64))
    element_id: Mapped[str] = mapped_column(String(128))  # the service task that recorded it
    timer_id: Mapped[str | None] = mapped_column(String(128))  # the timer that fired
    organisation_key: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime | None]
    recorded_at: Mapped[datetime] = mapped_column(index=True)
