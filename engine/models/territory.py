from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Territory(Base):
    """A region or a municipality: the key every organisation, message, deployment and task names,
    its IANA time zone and its own working-time exceptions (engine.calendar.regions reads them)."""

    __tablename__ = "territory"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # What pages in English show (an administrator's choice); None: the Russian name (migration 0016).
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))  # region | municipality
    timezone: Mapped[str] = mapped_column(String(64))
    # A municipality's region: it inherits the region's extra holidays, workdays and schedule.
    parent_key: Mapped[str | None] = mapped_column(ForeignKey("territory.key"))
    extra_holidays: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    extra_workdays: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    # Like organisation.schedule (engine.calendar.schedules); None = the parent's, else Mon–Fri 09–18.
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class TerritoryGeneration(Base):
    """One row whose ``generation`` changes with every change of a territory.

    Every process compares it with the one its snapshot of territories was read at, at the start of
    each unit of work (engine.calendar.live), so a region added in the web process is used by the
    worker's next transaction. A fresh random token rather than a counter: it never comes back, not
    even after a database is restored from a backup or a test empties the tables."""

    __tablename__ = "territory_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[str] = mapped_column(String(32))
