from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class FrozenReport(Base):
    """A summary as it was sent: a region's period, frozen once (engine.reports.frozen).

    A closed period's figures can still move — a case of the period answered later — so the report
    its addressees received is kept as a snapshot, with when and by whom it was frozen; the live
    figures are shown beside it when they differ. One per region and period."""

    __tablename__ = "frozen_report"
    __table_args__ = (UniqueConstraint("region", "period", name="uq_frozen_report_region_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16))  # YYYY-MM or YYYY-Qn
    frozen_at: Mapped[datetime]
    frozen_by: Mapped[str] = mapped_column(String(64))  # a login, or "system" (the scheduler)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)  # engine.reports.snapshot.to_snapshot
    # When the worker sent it to the procedure's report.recipient (engine.reports.schedule); None: not
    # sent (frozen by hand, or before its due moment). Set once, with the notifications, in one transaction.
    sent_at: Mapped[datetime | None]
