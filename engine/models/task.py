from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Task(Base):
    """An open user task, projected from the workflow state for fast inbox queries."""

    __tablename__ = "task"
    __table_args__ = (
        # The inbox: open tasks of a role for an organisation (or region-wide), by due time. Partial:
        # closed rows outnumber open ones many times over and are never in an inbox. Queries must say
        # status = 'open' as a literal for SQLite (and PostgreSQL's generic plans) to use it.
        # message_id rides along so "messages with an overdue open task" is read from the index alone.
        Index("ix_task_open", "role", "organisation_key", "region", "due_at", "message_id",
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
        # Messages an organisation worked on, any status: an executor's registry, the agency filter.
        Index("ix_task_organisation", "organisation_key", "role", "message_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # SpiffWorkflow task UUID
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)  # a registry page's open steps
    region: Mapped[str] = mapped_column(String(32))
    element_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32))
    organisation_key: Mapped[str | None] = mapped_column(String(64))  # None: any org of the role in the region
    form_ref: Mapped[str | None] = mapped_column(String(128))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # Completed and cancelled rows stay: a second completion then gets a clear conflict.
    # Not indexed alone: open tasks are found through ix_task_open, closed ones by instance or message.
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | completed | cancelled
    completed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None]
