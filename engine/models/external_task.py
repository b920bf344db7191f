from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class ExternalTask(Base):
    """A service task whose topic is declared external (issue 17): it waits in the workflow until a
    worker completes it through ``/engine-rest/external-task``. Projected from the workflow state on
    every save, like the inbox's ``task`` rows (engine.runtime.external_rows).

    ``worker_id`` and ``lock_expires_at`` are the lock: a task is fetchable while it is open, not
    locked (or its lock expired), its retries are not exhausted (``retries`` NULL until a failure
    is reported; 0 is an incident) and ``retry_at`` has passed."""

    __tablename__ = "external_task"
    __table_args__ = (
        # fetchAndLock: open tasks of a topic in a region, oldest first. Partial like ix_task_open.
        Index("ix_external_task_open", "topic", "region", "priority", "created_at",
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # SpiffWorkflow task UUID
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"))
    process_key: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(32))
    element_id: Mapped[str] = mapped_column(String(128))
    topic: Mapped[str] = mapped_column(String(128))
    priority: Mapped[int] = mapped_column(default=0)
    # The case's variables when the task began, Camunda-typed ({name: {value, type}}): what a fetch hands out.
    variables: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    worker_id: Mapped[str | None] = mapped_column(String(255))
    lock_expires_at: Mapped[datetime | None]
    retries: Mapped[int | None]
    retry_at: Mapped[datetime | None]
    error_message: Mapped[str | None] = mapped_column(String(666))
    error_details: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | completed | cancelled
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(255))  # the worker id that completed it
