"""Freezing a report: the summary its addressees received, kept as it was (issue 15).

A closed period's live figures can still move (a case of the period answered in the next one),
so the report that was sent is stored: by an explicit action of the region's supervisor or
regulator («Зафиксировать отчёт», audited ``report_frozen``) or by a scheduler calling
:func:`freeze` with actor ``"system"`` — one call produces and freezes a region's report for a
period. Only a period that is over can be frozen, once. The page then shows the snapshot, when
and by whom it was frozen, and the live figures beside it where they differ (:func:`report_view`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.periods import parse_period
from engine.calendar.regions import get_region
from engine.db.audit import record
from engine.directory import policy
from engine.directory.access import current_grants
from engine.directory.names import official_names
from engine.errors import Conflict, Forbidden
from engine.models import FrozenReport
from engine.reports import dynamics
from engine.reports.snapshot import differences, from_snapshot, to_snapshot
from engine.reports.summary import Summary, build_summary, name_things, summary_for
from engine.texts import t

SYSTEM = "system"


@dataclass
class ReportView:
    summary: Summary                      # the frozen snapshot when there is one, else the live figures
    frozen: FrozenReport | None = None
    live: Summary | None = None           # the live figures, when frozen
    changes: dict[str, Any] = field(default_factory=dict)  # figure → live value, where it differs
    may_freeze: bool = False
    frozen_by_name: str = ""  # who froze it, as people read it: the official's name, or the scheduler in words


def freeze_regions(session: Session, login: str) -> list[str]:
    """Regions whose reports ``login`` may freeze (policy.REPORT_FREEZERS)."""
    return policy.report_freeze_regions(current_grants(session, login))


def find(session: Session, region: str, label: str) -> FrozenReport | None:
    return session.scalars(select(FrozenReport).where(FrozenReport.region == region,
                                                      FrozenReport.period == label.strip())).first()


def freeze(session: Session, region: str, label: str, actor: str = SYSTEM) -> FrozenReport:
    """Build the region's summary for the period and freeze it (the scheduler's one call).

    Conflict when the period is not over yet or its report is already frozen; ValueError for a
    bad period label."""
    info = get_region(region)
    period = parse_period(label, info.timezone)
    now = clock.now()
    if period.end > now:
        raise Conflict(t("report.freeze.not_over", period=period.label))
    if find(session, region, period.label) is not None:
        raise Conflict(t("report.freeze.already", period=period.label))
    summary = build_summary(session, region, period.label)
    frozen = FrozenReport(region=region, period=period.label, frozen_at=now, frozen_by=actor,
                          snapshot=to_snapshot(summary))
    session.add(frozen)
    session.flush()
    record(session, "report_frozen", actor=actor, at=now,
           details={"region": region, "period": period.label, "frozen_report": frozen.id,
                    "messages": summary.messages, "violations": summary.violations,
                    "parameter_violations": summary.parameter_violations})
    return frozen


def freeze_for(session: Session, login: str, region: str, label: str) -> FrozenReport:
    """:func:`freeze` by a person: the region's supervisor or regulator (Forbidden otherwise)."""
    if region not in freeze_regions(session, login):
        raise Forbidden(f"{login} may not freeze the reports of region '{region}'")
    return freeze(session, region, label, login)


def report_view(session: Session, login: str, region: str, label: str,
                months: int = dynamics.DEFAULT_MONTHS) -> ReportView:
    """What the report page shows: the frozen snapshot (and the live differences) or the live figures."""
    live = summary_for(session, login, region, label, months)
    frozen = find(session, region, live.period.label)
    may = region in freeze_regions(session, login) and frozen is None and live.period.end <= clock.now()
    if frozen is None:
        return ReportView(live, may_freeze=may)
    snapshot = name_things(session, from_snapshot(frozen.snapshot))
    return ReportView(snapshot, frozen, live, differences(snapshot, live), frozen_by_name=frozen_by(session, frozen))


def frozen_by(session: Session, frozen: FrozenReport) -> str:
    """Who froze the report, in words: the official's full name, «по расписанию» for the scheduler —
    never a login (issue 16)."""
    if frozen.frozen_by == SYSTEM:
        return str(t("report.frozen_by_schedule"))
    return official_names(session, [frozen.frozen_by]).get(frozen.frozen_by) or str(t("report.frozen_by_unknown"))
