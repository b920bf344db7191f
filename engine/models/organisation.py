from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Organisation(Base):
    """A region's curator ministry, an agency, a municipality or a department."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))  # engine.directory.officials.ORGANISATION_KINDS
    region: Mapped[str] = mapped_column(String(32), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    # Own working hours (engine.calendar.schedules); None = the default Mon–Fri 09:00–18:00, lunch 13–14.
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # False once removed while history still refers to it (engine.directory.organisations): old cases
    # keep its name; dropdowns, routing and new roles leave it out.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The contact address notifications are e-mailed to: a competent state body's (kind state_body,
    # Orenburg п. 17) is how it is reached at all; other organisations' is informational.
    email: Mapped[str | None] = mapped_column(String(254))
