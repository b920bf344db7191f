"""External tasks a worker gave up on: its ``/failure`` with ``retries`` 0 (issue 17 §1).

Such a task is an incident on the same page as the cases the timer worker could not fire
(engine.runtime.incidents, /incidents): the supervisor of its region and the administrator see
it with the worker's error, and Retry gives it one retry — the next fetchAndLock hands it out
again. Unlike a failed case, the case itself keeps running meanwhile: its deadlines still fire.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, CursorResult, func, select, update
from sqlalchemy.orm import Session

from engine.models import ExternalTask


@dataclass(frozen=True)
class Stuck:
    instance_id: int
    message_id: int
    region: str
    at: datetime | None
    error: str  # one line: the topic, the element and the worker's errorMessage


@dataclass(frozen=True)
class StuckList:
    incidents: list[Stuck]
    total: int


def _where(regions: frozenset[str] | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [ExternalTask.status == "open", ExternalTask.retries == 0]
    if regions is not None:
        where.append(ExternalTask.region.in_(sorted(regions)))
    return where


def external_incidents(session: Session, regions: frozenset[str] | None, limit: int) -> StuckList:
    """Open external tasks with no retries left in ``regions`` (None: all), newest first."""
    where = _where(regions)
    total = session.scalar(select(func.count()).select_from(ExternalTask).where(*where)) or 0
    rows = session.scalars(select(ExternalTask).where(*where)
                           .order_by(ExternalTask.created_at.desc()).limit(limit))
    found = [Stuck(r.instance_id, r.message_id, r.region, r.closed_at or r.created_at,
                   " ".join(f"{r.topic} ({r.element_id}): {r.error_message or ''}".split())) for r in rows]
    return StuckList(found, total)


def retry_external(session: Session, instance_id: int) -> int:
    """One more retry for the case's external tasks that had none left; how many there were."""
    result = session.execute(update(ExternalTask)
                             .where(ExternalTask.instance_id == instance_id, *_where(None))
                             .values(retries=1, retry_at=None)
                             .execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return result.rowcount
