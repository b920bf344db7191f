from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Instance(Base):
    """A running (or finished) procedure for one message.

    ``version`` is SQLAlchemy's optimistic lock: an UPDATE that finds another version
    fails, so two completions of the same task cannot both be saved.
    """

    __tablename__ = "instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"))
    region: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(Text)  # SpiffWorkflow state without the spec
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | completed | failed
    version: Mapped[int] = mapped_column(default=1)
    next_timer_at: Mapped[datetime | None] = mapped_column(index=True)
    started_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}
