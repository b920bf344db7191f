"""The violation registry: every case that broke a deadline, by clause, basis and period.

What the regulator opens from a report's "п. 8: 3" (issue 15): one row per recorded breach, with
the organisation held responsible (its name), the time it fell due (shown in the territory's
zone) and the delay — how long after that the guarded step was done (or is still not done), in
working time when the deadline is counted in working time (``working_*`` in the diagram), in
calendar time otherwise; each row says which. A breach whose ``basis`` is ``parameter`` is a
deadline the procedure sets, not the act: it is listed as such and never under the act's clause.

The query string is read here, bounded and validated (:func:`parse_filter`), so the page holds
no rule; who sees which case is the access policy's (message_visibility), as in the registry.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.conventions import BASES, BASIS_PARAMETER, DEADLINES
from engine.calendar.periods import parse_period
from engine.calendar.regions import REGIONS, get_region
from engine.calendar.workingtime import calendar_for_region
from engine.directory.access import grants
from engine.directory.policy import message_visibility
from engine.errors import InvalidSubmission
from engine.models import Instance, Message, Organisation, Task, Violation
from engine.reports.facts import DiagramFacts, facts_by_instance
from engine.texts import Text, render, t

PAGE_SIZE = 50
MAX_PAGE = 10_000
CLAUSE = re.compile(r"\d{1,3}(\.\d{1,3}){0,3}")
DEADLINE = re.compile(r"[a-z][a-z_]{0,63}")
ARGS = ("region", "clause", "basis", "deadline", "period")  # the query string this filter reads


@dataclass(frozen=True)
class ViolationFilter:
    region: str = ""
    clause: str = ""
    basis: str = ""       # "", "act" or "parameter"
    deadline: str = ""    # the diagram's deadline key (a parameter's breach has no clause of the act)
    period: str = ""      # YYYY-MM or YYYY-Qn: breaches that fell due in it
    page: int = 1

    @property
    def active(self) -> bool:
        """The registry shows breaches instead of messages when any of these is asked."""
        return bool(self.clause or self.basis or self.deadline or self.period)


def parse_filter(args: Mapping[str, str]) -> ViolationFilter:
    """The filter from a query string; InvalidSubmission naming each bad field (a Text, Russian by
    default) for anything else — a clause is digits and dots (``8``, ``2.4``), a period
    ``YYYY-MM``/``YYYY-Qn`` within the reports' years, a page 1…10000."""
    problems: dict[str, str | Text] = {}
    region = (args.get("region") or "").strip()
    if region and region not in REGIONS:
        problems["region"] = t("violations.bad_region", known=", ".join(sorted(REGIONS)))
    clause = (args.get("clause") or "").strip().removeprefix("п.").strip()
    if clause and not CLAUSE.fullmatch(clause):
        problems["clause"] = t("violations.bad_clause")
    basis = (args.get("basis") or "").strip()
    if basis and basis not in BASES:
        problems["basis"] = t("violations.bad_basis", known=", ".join(sorted(BASES)))
    deadline = (args.get("deadline") or "").strip()
    if deadline and not DEADLINE.fullmatch(deadline):
        problems["deadline"] = t("violations.bad_deadline")
    period = (args.get("period") or "").strip()
    if period:
        try:
            parse_period(period, get_region(region).timezone if region in REGIONS else "UTC")
        except ValueError:
            problems["period"] = t("violations.bad_period")
    raw_page = (args.get("page") or "1").strip()
    page = int(raw_page) if raw_page.isdigit() and len(raw_page) <= 5 else 0
    if not 1 <= page <= MAX_PAGE:
        problems["page"] = t("violations.bad_page", last=MAX_PAGE)
    if problems:
        raise InvalidSubmission(problems)
    return ViolationFilter(region, clause, basis, deadline, period, page)


@dataclass(frozen=True)
class ViolationRow:
    violation_id: int
    message_id: int
    region: str
    clause: str
    is_parameter: bool     # a deadline of the procedure, not of the act
    deadline: str
    organisation_key: str | None
    organisation_name: str | None
    due_at: datetime | None
    done_at: datetime | None   # when the late step (or the case) was done; None: not yet
    delay: timedelta | None    # from due to done (or now); None when it cannot be counted
    working_time: bool         # the delay is working time (else calendar time)


@dataclass(frozen=True)
class ViolationPage:
    rows: list[ViolationRow]
    total: int
    page: int
    pages: int
    per_page: int = PAGE_SIZE


def violations_page(session: Session, login: str, chosen: ViolationFilter) -> ViolationPage:
    """One page (newest due first) of the breaches ``login`` may see that match ``chosen``."""
    now = clock.now()
    visible = select(Message.id).where(message_visibility(grants(session, login, now), session))
    query = select(Violation).where(Violation.message_id.in_(visible))
    if chosen.region:
        query = query.where(Violation.region == chosen.region)
    if chosen.basis == BASIS_PARAMETER:
        query = query.where(Violation.basis == BASIS_PARAMETER)
    elif chosen.basis or chosen.clause:
        # "п. 8" means the act's п. 8: a parameter's breach labelled 8 is not one of them.
        query = query.where(Violation.basis != BASIS_PARAMETER)
    if chosen.clause:
        query = query.where(Violation.clause == chosen.clause)
    if chosen.deadline:
        query = query.where(Violation.deadline == chosen.deadline)
    if chosen.period:
        due = func.coalesce(Violation.due_at, Violation.recorded_at)
        regions = [chosen.region] if chosen.region else sorted(REGIONS)
        # A month is the territory's own month: each region's bounds in its zone.
        bounds = [(r, parse_period(chosen.period, get_region(r).timezone)) for r in regions]
        query = query.where(or_(*(and_(Violation.region == r, due >= p.start, due < p.end) for r, p in bounds)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(chosen.page, pages)
    found = list(session.scalars(query.order_by(func.coalesce(Violation.due_at, Violation.recorded_at).desc(),
                                                Violation.id.desc())
                                 .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return ViolationPage(_rows(session, found, now), total, page, pages)


def _rows(session: Session, found: list[Violation], now: datetime) -> list[ViolationRow]:
    if not found:
        return []
    instance_ids = {v.instance_id for v in found}
    facts = facts_by_instance(session, instance_ids)
    instances = {i.id: i for i in session.scalars(select(Instance).where(Instance.id.in_(instance_ids)))}
    tasks = list(session.scalars(select(Task).where(Task.instance_id.in_(instance_ids))))
    keys = {v.organisation_key for v in found if v.organisation_key}
    names = dict(session.execute(select(Organisation.key, Organisation.name)
                                 .where(Organisation.key.in_(keys))).all()) if keys else {}
    rows = []
    for v in found:
        done = _done_at(v, facts[v.instance_id], instances[v.instance_id], tasks)
        working = (v.timer_id or "") in facts[v.instance_id].working_timers
        rows.append(ViolationRow(
            violation_id=v.id, message_id=v.message_id, region=v.region, clause=v.clause,
            is_parameter=v.basis == BASIS_PARAMETER, deadline=v.deadline, organisation_key=v.organisation_key,
            organisation_name=names.get(v.organisation_key or ""), due_at=v.due_at, done_at=done,
            delay=_delay(v.region, v.due_at, done or now, working), working_time=working))
    return rows


def _done_at(violation: Violation, facts: DiagramFacts, instance: Instance, tasks: list[Task]) -> datetime | None:
    """When the late step was done: the guarded task's completion, else (a case-wide deadline) the
    case's end. None while it is not done."""
    host = facts.timer_hosts.get(violation.timer_id or "")
    due = violation.due_at
    guarded = [task for task in tasks if task.instance_id == violation.instance_id and host
               and task.element_id == host and (due is None or task.created_at <= due)]
    if guarded:
        latest = max(guarded, key=lambda task: task.created_at)
        return latest.closed_at if latest.status != "open" else None
    return instance.completed_at


def _delay(region: str, due: datetime | None, end: datetime, working: bool) -> timedelta | None:
    if due is None:
        return None
    if not working:
        return max(end - due, timedelta(0))
    calendar = calendar_for_region(region)
    if not calendar.countable(due, end):
        return None
    return max(calendar.working_time_between(due, end), timedelta(0))


def clause_counts(session: Session, login: str, regions: list[str]) -> dict[str, Counter[str]]:
    """Region → the act's clause → breaches recorded so far that ``login`` may see (the comparison
    links each clause it names to the registry filtered by it). Parameter breaches are not counted."""
    if not regions:
        return {}
    visible = select(Message.id).where(message_visibility(grants(session, login, clock.now()), session))
    rows = session.execute(select(Violation.region, Violation.clause, func.count()).where(
        Violation.region.in_(regions), Violation.basis != BASIS_PARAMETER, Violation.message_id.in_(visible))
        .group_by(Violation.region, Violation.clause)).all()
    counts: dict[str, Counter[str]] = {}
    for region, clause, n in rows:
        counts.setdefault(region, Counter())[clause] = n
    return counts


def deadline_label(key: str) -> str:
    """What people read for a diagram's deadline key (``draft`` → «проект ответа»); the key itself
    for one the conventions do not list."""
    return render(t(f"report.deadline.{key}")) if key in DEADLINES else key
