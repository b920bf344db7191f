"""Incidents: cases the timer worker could not advance, and external tasks a worker gave up on
(engine.runtime.external_incidents), for the people who can act on them.

A case whose deadline fails to fire (its state cannot be loaded, the diagram raises, a timer
stays due) is set ``failed`` by :mod:`engine.runtime.timers` with an audit event holding the error, and
the worker goes on with the others. Its deadlines then wait: a supervisor sees their region's
incidents, an administrator all of them, and after the cause is dealt with one of them puts
the case back to ``running`` — the worker's next pass tries it again (and, if it still fails,
it is an incident again, once, not on every poll).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Subquery, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.regions import REGIONS
from engine.db.audit import record
from engine.directory import policy
from engine.directory.access import current_grants
from engine.errors import Conflict, Forbidden, NotFound
from engine.models import AuditEvent, Instance
from engine.runtime import store
from engine.runtime.external_incidents import external_incidents, retry_external

log = logging.getLogger(__name__)

PAGE = 200  # a page never reads more; the count says how many there are


@dataclass(frozen=True)
class Incident:
    instance_id: int
    message_id: int
    region: str
    region_name: str
    timezone: str
    failed_at: datetime | None
    error: str  # one line


@dataclass(frozen=True)
class IncidentList:
    incidents: list[Incident]
    total: int


def incident_regions(session: Session, login: str) -> frozenset[str] | None:
    """Regions whose incidents ``login`` may see and retry: None means all (an administrator);
    an empty set means none."""
    return policy.incident_regions(current_grants(session, login))


def _visible(login: str, regions: frozenset[str] | None) -> frozenset[str] | None:
    if regions is not None and not regions:
        raise Forbidden(f"{login} may not see incidents")
    return regions


def readable_workflow(session: Session, instance: Instance) -> Any | None:
    """The case's workflow, or None if its state cannot be loaded (logged): the message card and
    the case diagram then show what the database holds instead of failing too. The worker makes
    such a case an incident at its next due timer."""
    try:
        return store.load_for_reading(session, instance)
    except DBAPIError:
        raise  # the database, not the case
    except Exception:  # noqa: BLE001 - a page about one broken case must still answer
        log.exception("instance %s: state cannot be loaded (status %s)", instance.id, instance.status)
        return None


def _latest_failures() -> Subquery:
    """The newest ``failed`` audit event of each instance (id), as a subquery."""
    return (select(AuditEvent.instance_id, func.max(AuditEvent.id).label("event_id"))
            .where(AuditEvent.kind == "failed").group_by(AuditEvent.instance_id).subquery())


def incidents(session: Session, login: str, limit: int = PAGE) -> IncidentList:
    """Failed cases ``login`` may see, the most recent failure first (Forbidden for other roles)."""
    regions = _visible(login, incident_regions(session, login))
    where = [Instance.status == "failed"]
    if regions is not None:
        where.append(Instance.region.in_(sorted(regions)))
    total = session.scalar(select(func.count()).select_from(Instance).where(*where)) or 0
    latest = _latest_failures()
    rows = session.execute(
        select(Instance.id, Instance.message_id, Instance.region, AuditEvent.at, AuditEvent.details)
        .where(*where)
        .outerjoin(latest, latest.c.instance_id == Instance.id)
        .outerjoin(AuditEvent, AuditEvent.id == latest.c.event_id)
        .order_by(AuditEvent.at.desc().nulls_last(), Instance.id.desc())
        .limit(limit))
    found = []
    for instance_id, message_id, region, at, details in rows:
        found.append(_incident(instance_id, message_id, region, at, str((details or {}).get("error", ""))))
    # External tasks a worker gave up on (retries 0): the case runs on, the task waits for a Retry.
    stuck = external_incidents(session, regions, limit)
    found += [_incident(s.instance_id, s.message_id, s.region, s.at, s.error) for s in stuck.incidents]
    found.sort(key=lambda i: (i.failed_at is not None, i.failed_at or clock.now()), reverse=True)
    return IncidentList(found[:limit], total + stuck.total)


def _incident(instance_id: int, message_id: int, region: str, at: datetime | None, error: str) -> Incident:
    info = REGIONS.get(region)
    return Incident(instance_id, message_id, region, info.display_name if info else region,
                    info.timezone if info else "UTC", at, error)


def retry(session: Session, login: str, instance_id: int) -> int:
    """Put a failed case back to ``running``: the worker's next pass fires its due timers
    again. Audit-logged with who asked. Returns the case's number (its message id)."""
    regions = _visible(login, incident_regions(session, login))
    # Columns, not the ORM object: the row may be the very thing that could not be loaded.
    row = session.execute(select(Instance.region, Instance.status, Instance.message_id)
                          .where(Instance.id == instance_id)).one_or_none()
    if row is None or (regions is not None and row.region not in regions):
        raise NotFound(f"no incident {instance_id} for {login}")
    # Guarded UPDATE: two people pressing Retry at once record one retry, not two. The version
    # moves as for any change of the case.
    result = session.execute(update(Instance).where(Instance.id == instance_id, Instance.status == "failed")
                             .values(status="running", version=Instance.version + 1)
                             .execution_options(synchronize_session=False))
    # An UPDATE returns a CursorResult (it has rowcount); Session.execute is typed as any Result.
    assert isinstance(result, CursorResult)
    changed = result.rowcount + retry_external(session, instance_id)
    if not changed:
        raise Conflict(f"case {row.message_id} is not failed now (retried already?)")
    record(session, "retried", actor=login, at=clock.now(), instance_id=instance_id, message_id=row.message_id)
    session.flush()
    message_id: int = row.message_id
    return message_id
