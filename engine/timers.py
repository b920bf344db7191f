"""The timer worker: fire every due deadline exactly once, in due order.

Nothing in SpiffWorkflow fires by itself; each instance keeps ``next_timer_at`` and the
worker picks due instances, oldest due first. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets
several workers share the load without firing a timer twice; on SQLite the database lock
serialises writers and the version column refuses a stale save.

Several due instances are claimed per transaction (``batch``): the claim query, BEGIN and the
commit's flush to disk are paid once per batch instead of once per case (on PostgreSQL, with
synchronous commit, those were half of a lone case's 17 ms). Each case still runs inside its own
SAVEPOINT, so a case that raises is rolled back alone and marked ``failed``; the others in the
batch commit. A batch stays small because, on SQLite, its transaction holds the write lock that
officials' completions wait for.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import clock, store
from .audit import record
from .db import Database
from .models import Instance

log = logging.getLogger(__name__)

BATCH = 20  # ~0.1 s of work: short enough that a waiting completion is not noticed


def _claim_due(session: Session, now: datetime, skipped: set[int], limit: int) -> list[Instance]:
    query = (
        select(Instance)
        .where(Instance.status == "running", Instance.next_timer_at.is_not(None), Instance.next_timer_at <= now,
               Instance.id.not_in(skipped))
        .order_by(Instance.next_timer_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def _fire(session: Session, instance: Instance, now: datetime, skipped: set[int]) -> None:
    workflow = store.load(session, instance)
    store.advance(session, instance, workflow, "system")
    store.save(session, instance, workflow, "system")
    if instance.next_timer_at is not None and instance.next_timer_at <= now:
        # Nothing moved: never spin on one case; it is picked up on the next poll.
        log.warning("instance %s: timer due %s did not fire", instance.id, instance.next_timer_at)
        skipped.add(instance.id)


def _mark_failed(session: Session, instance: Instance, error: Exception) -> None:
    log.error("instance %s failed while firing timers: %s: %s", instance.id, type(error).__name__, error,
              exc_info=error)
    instance.status = "failed"
    record(session, "failed", actor="system", at=clock.now(), instance_id=instance.id,
           message_id=instance.message_id, details={"error": f"{type(error).__name__}: {error}"})
    session.flush()


def _fire_batch(session: Session, instances: list[Instance], now: datetime, skipped: set[int]) -> int:
    """Fire each claimed instance in its own savepoint; returns how many were advanced."""
    done = 0
    for instance in instances:
        instance_id = instance.id  # read before a rollback can expire the object
        try:
            with session.begin_nested():
                _fire(session, instance, now, skipped)
        except StaleDataError:
            # Another worker or an official saved it first (cannot happen under the row lock on
            # PostgreSQL; kept for SQLite's version check). Its savepoint is gone; look again later.
            skipped.add(instance_id)
            continue
        except Exception as error:  # noqa: BLE001 - one broken case must not stop the others
            skipped.add(instance_id)
            with session.begin_nested():
                _mark_failed(session, session.get(Instance, instance_id), error)  # type: ignore[arg-type]
            continue
        done += 1
    return done


def fire_due_timers(db: Database, limit: int | None = None, batch: int = BATCH) -> int:
    """Advance every instance whose next timer is due; returns how many were advanced
    (a case that raised is marked ``failed`` and not counted)."""
    fired = 0
    skipped: set[int] = set()
    while limit is None or fired < limit:
        now = clock.now()
        size = batch if limit is None else min(batch, limit - fired)
        with db.session() as session:
            instances = _claim_due(session, now, skipped, max(1, size))
            if not instances:
                return fired
            fired += _fire_batch(session, instances, now, skipped)
    return fired


def next_due(db: Database, after: datetime | None = None) -> datetime | None:
    """The earliest armed timer due after ``after`` (default: now). Timers due before it were
    already offered to the last pass; one that did not fire is retried on the next poll, not in
    a busy loop."""
    with db.session() as session:
        return session.scalar(select(func.min(Instance.next_timer_at)).where(
            Instance.status == "running", Instance.next_timer_at > (after or clock.now())))


def run_worker(db: Database, interval: float = 5.0, should_stop: Callable[[], bool] = lambda: False,
               batch: int = BATCH) -> None:
    """Poll for due timers until ``should_stop()``; the production loop of ``otklik worker``.

    Between polls it sleeps until the earliest known timer falls due, but never longer than
    ``interval``: timers armed meanwhile by officials' completions are found at the next poll,
    and are due minutes later, so a deadline is fired within the time it takes to process.
    """
    while not should_stop():
        started = clock.now()
        count = fire_due_timers(db, batch=batch)
        if count:
            log.info("advanced %d instance(s)", count)
        # Measured from the pass's start: a timer that fell due during the pass is not mistaken
        # for one the pass saw and skipped (which would cost a whole interval of lateness).
        due = next_due(db, after=started)
        wait = interval if due is None else min(interval, (due - clock.now()).total_seconds())
        if wait > 0:
            time.sleep(wait)
