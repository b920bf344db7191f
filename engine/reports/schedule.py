"""The summary report sent on schedule: each act's addressees get the last closed period's report
from the worker (Orenburg п. 20, Smolensk п. 14, Kuzbass п. 25, Kaluga п. 1.1; issue 15).

What and to whom is data in the diagram (``report.*``, engine.deployment.report_rules); here, for
every territory whose newest procedure declares a schedule: once the last closed period's due
moment has come in the territory's zone and calendar, the report is frozen as the system
(engine.reports.frozen.freeze — or the one a supervisor froze by hand is taken) and the
addressees are notified (engine.notifications.notify: in-app, and e-mailed by the worker's next
delivery) with its figures and links to the report page and its XLSX.

Exactly once per territory and period: ``frozen_report`` is unique per territory and period, and
its ``sent_at`` is set by a conditional UPDATE (``sent_at IS NULL``) in the transaction that creates
the notifications — a second pass or a second worker finds it sent. Only the last closed period is
sent (a worker that was down for two months sends the last one; the older stay on the page to be
frozen by hand), and only a period that ended after the territory's first procedure was deployed:
nothing is reported for a time the system did not serve.

Whom ``deputy_governor`` means for a report: the deputy governor supervising the organisation that
compiles it, the territory's curator organisation (Smolensk п. 14: the curator «докладывает …
заместителю Губернатора …, курирующему вопросы информационной политики», the department's own
supervisor; Kuzbass п. 25: ЦУР «информирует заместителя Губернатора … (по внутренней политике)»).

Runtime sits below reports (pyproject's layers), so the timer worker does not import this module:
the console (engine.cli, above both) hands :data:`WORKER_JOBS` to ``run_worker``, whose pass runs
each job with its own try/except — a failing report never stops the deadlines.
"""
from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.reader import read_diagram
from engine.bpmn.xmlsafe import UnsafeXml
from engine.calendar.periods import Period, parse_period
from engine.calendar.regions import REGIONS
from engine.calendar.workingtime import calendar_for_region
from engine.db.audit import record
from engine.db.database import Database
from engine.deployment.report_rules import DAYS, QUARTER, ReportSchedule, report_schedule
from engine.models import Deployment, FrozenReport, Organisation
from engine.notifications import notify
from engine.notifications.wording import Part, zone_text
from engine.reports.frozen import SYSTEM, find, freeze
from engine.reports.snapshot import from_snapshot
from engine.settings import settings
from engine.texts import Text, t

__all__ = ["EVERY", "MAX_PER_PASS", "WORKER_JOBS", "Scheduled", "check_reports", "due_moment", "last_closed",
           "scheduled", "send_due_reports", "send_now"]

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=1)  # the least time between two checks of one database
MAX_PER_PASS = 10  # reports built per check: a summary reads a month of cases; the rest go next check
PROCEDURE = "procedure"  # Deployment.kind of what runs (a template never does)
COMPILERS = ("curator", "municipality")  # organisation kinds that compile a territory's report, in order
_SEARCH_DAYS = 400  # a working day is found within a year however the calendar is set
_CACHE_SIZE = 256


@dataclass(frozen=True)
class Scheduled:
    """A territory whose newest procedure declares a report schedule."""

    region: str
    deployment_id: int
    schedule: ReportSchedule
    serving_since: datetime  # when the territory's first procedure was deployed


_schedules: dict[tuple[int, str], ReportSchedule | None] = {}
_schedules_lock = threading.Lock()


def _schedule_of(session: Session, deployment_id: int, content_hash: str) -> ReportSchedule | None:
    # A deployment never changes: read once per process (the hash is in the key because ids repeat
    # across databases, as in engine.surges.detect).
    key = (deployment_id, content_hash)
    with _schedules_lock:
        if key in _schedules:
            return _schedules[key]
    xml = session.scalar(select(Deployment.bpmn_xml).where(Deployment.id == deployment_id))
    try:
        found = report_schedule(read_diagram(xml or "").properties)
    except (UnsafeXml, ValueError, SyntaxError):
        found = None  # refused at deployment; nothing to send
    with _schedules_lock:
        if len(_schedules) >= _CACHE_SIZE:
            _schedules.clear()
        _schedules[key] = found
    return found


def scheduled(session: Session) -> list[Scheduled]:
    """The territories whose newest procedure declares a report schedule, by key."""
    newest = select(func.max(Deployment.id)).where(Deployment.kind == PROCEDURE).group_by(Deployment.region)
    first = {region: at for region, at in session.execute(
        select(Deployment.region, func.min(Deployment.deployed_at)).where(Deployment.kind == PROCEDURE)
        .group_by(Deployment.region))}
    rows = session.execute(select(Deployment.id, Deployment.region, Deployment.content_hash)
                           .where(Deployment.id.in_(newest.scalar_subquery())).order_by(Deployment.region))
    found = []
    for deployment_id, region, content_hash in rows:
        schedule = _schedule_of(session, deployment_id, content_hash)
        if schedule is not None and region in REGIONS:
            found.append(Scheduled(region, deployment_id, schedule, first[region]))
    return found


def last_closed(region: str, schedule: ReportSchedule, now: datetime) -> Period:
    """The last month or quarter that is over at ``now`` in the territory's zone."""
    zone = REGIONS[region].timezone
    local = now.astimezone(ZoneInfo(zone))
    label = f"{local.year}-Q{(local.month - 1) // 3 + 1}" if schedule.period == QUARTER else f"{local:%Y-%m}"
    return parse_period(label, zone).previous(zone)


def due_moment(region: str, schedule: ReportSchedule, period: Period) -> datetime:
    """When the period's report goes out: n calendar days after it (local midnight), or the start of
    the n-th working day after it in the territory's calendar."""
    if schedule.due_unit == DAYS:
        return period.end + timedelta(days=schedule.due_amount)  # wall-clock: local midnight stays midnight
    calendar = calendar_for_region(region)
    day, counted = period.end.date(), 0
    for _ in range(_SEARCH_DAYS):
        opening = calendar.working_periods(day)
        if opening:
            counted += 1
            if counted == schedule.due_amount:
                return opening[0][0]
        day += timedelta(days=1)
    return period.end + timedelta(days=schedule.due_amount)  # no working day in a year: a broken calendar


def _compiler(session: Session, region: str) -> str | None:
    """The organisation compiling the territory's report (``deputy_governor`` is its supervisor)."""
    for kind in COMPILERS:
        key = session.scalar(select(Organisation.key).where(
            Organisation.region == region, Organisation.kind == kind, Organisation.active.is_(True))
            .order_by(Organisation.id).limit(1))
        if key is not None:
            return key
    return None


def _links(region: str, period: str) -> tuple[str, str]:
    base = settings().base_url or ""
    query = urlencode({"region": region, "period": period})
    return f"{base}/reports?{query}", f"{base}/reports/export?{query}"


def notification_text(report: FrozenReport, schedule: ReportSchedule) -> tuple[Text, list[Part]]:
    """The subject and the body's lines as texts, read in each reader's language; the freezing time
    stays an instant, shown on the territory's clock, named in words (engine.notifications.wording)."""
    summary = from_snapshot(report.snapshot)
    clause = t("schedule.clause_cited", clause=schedule.clause) if schedule.clause else ""
    page, xlsx = _links(report.region, report.period)
    subject = t("schedule.subject", period=report.period, region=summary.region_name, clause=clause)
    body: list[Part] = [
        t("schedule.body", period=report.period, region=summary.region_name, clause=clause,
          zone=zone_text(report.region, report.frozen_at), frozen_at=report.frozen_at),
        t("schedule.body_figures", messages=summary.messages, answered=summary.answered,
          in_time=summary.answered_in_time, no_answer=summary.no_answer, open_cases=summary.open_cases,
          violations=summary.violations, parameters=summary.parameter_violations),
        t("schedule.body_page", link=page), t("schedule.body_xlsx", link=xlsx)]
    return subject, body


def _send(session: Session, territory: Scheduled, period: Period, now: datetime) -> int | None:
    """Freeze (unless frozen) and notify, once; the frozen report's id, or None when already sent."""
    report = find(session, territory.region, period.label) or freeze(session, territory.region, period.label, SYSTEM)
    claimed = session.execute(update(FrozenReport).where(FrozenReport.id == report.id, FrozenReport.sent_at.is_(None))
                              .values(sent_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
        return None
    schedule = territory.schedule
    subject, body = notification_text(report, schedule)
    made = notify(session, region=territory.region, recipients=list(schedule.recipients), subject=subject, body=body,
                  at=now, organisation_key=_compiler(session, territory.region))
    record(session, "report_sent", actor=SYSTEM, at=now,
           details={"region": territory.region, "period": period.label, "frozen_report": report.id,
                    "recipients": list(schedule.recipients), "notifications": [n.id for n in made]})
    return report.id


def send_now(session: Session, region: str, label: str, actor: str) -> list[str]:
    """Send a closed period's report to the procedure's addressees now, again if it was sent
    (``otklik report --send``: after an addressee was granted, or an address fixed). Freezes it
    first when it is not frozen; returns the recipient keys. ValueError when the territory's
    procedure declares no schedule; Conflict (from freeze) when the period is not over."""
    now = clock.now()
    found = [s for s in scheduled(session) if s.region == region]
    if not found:
        raise ValueError(f"the procedure of '{region}' declares no report schedule (report.*)")
    territory = found[0]
    period = parse_period(label, REGIONS[region].timezone)
    report = find(session, region, period.label) or freeze(session, region, period.label, actor)
    if report.sent_at is None:
        report.sent_at = now
    subject, body = notification_text(report, territory.schedule)
    made = notify(session, region=region, recipients=list(territory.schedule.recipients), subject=subject, body=body,
                  at=now, organisation_key=_compiler(session, region))
    record(session, "report_sent", actor=actor, at=now,
           details={"region": region, "period": period.label, "frozen_report": report.id, "again": True,
                    "recipients": list(territory.schedule.recipients), "notifications": [n.id for n in made]})
    return [n.recipient for n in made]


def send_due_reports(db: Database, now: datetime | None = None) -> list[int]:
    """Send every territory's report whose due moment has come and that was not sent; returns the
    frozen reports' ids sent by this call. A territory that fails is logged and tried next check."""
    now = now or clock.now()
    with db.session(readonly=True) as session:
        due = []
        for territory in scheduled(session):
            period = last_closed(territory.region, territory.schedule, now)
            if period.end <= territory.serving_since or due_moment(territory.region, territory.schedule, period) > now:
                continue
            sent = session.scalar(select(FrozenReport.sent_at).where(
                FrozenReport.region == territory.region, FrozenReport.period == period.label))
            if sent is None:
                due.append((territory, period))
    done: list[int] = []
    for territory, period in due[:MAX_PER_PASS]:
        try:
            with db.session() as session:
                sent_id = _send(session, territory, period, now)
        except Exception as error:  # noqa: BLE001 - one territory's report must not hold back the others
            log.error("sending the %s report for %s failed, tried again next check: %s", territory.region,
                      period.label, error, exc_info=error)
            continue
        if sent_id is not None:
            done.append(sent_id)
    return done


_last_check: weakref.WeakKeyDictionary[Database, datetime] = weakref.WeakKeyDictionary()


def check_reports(db: Database) -> list[int]:
    """The worker's job: :func:`send_due_reports` at most once a minute per database (a clock set
    back, as in tests, checks again)."""
    now = clock.now()
    last = _last_check.get(db)
    if last is not None and timedelta(0) <= now - last < EVERY:
        return []
    _last_check[db] = now
    return send_due_reports(db, now)


# What the console hands the worker (engine.runtime.timers.run_worker's ``jobs``).
WORKER_JOBS: tuple[tuple[str, Callable[[Database], object]], ...] = (("summary reports", check_reports),)
