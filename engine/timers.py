"""The timer worker: fire every due deadline exactly once, in due order.

Nothing in SpiffWorkflow fires by itself; each instance keeps ``next_timer_at`` and the
worker picks due instances one at a time. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets
several workers share the load without firing a timer twice; on SQLite the database lock
serialises writers and the version column refuses a stale save.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from . import clock, store
from .audit import record
from .db import Database
from .models import Instance

log = logging.getLogger(__name__)


def _claim_due(session, now, skipped):  # type: ignore[no-untyped-def]
    query = (
        select(Instance)
        .where(Instance.status == "running", Instance.next_timer_at.is_not(None), Instance.next_timer_at <= now,
               Instance.id.not_in(skipped))
        .order_by(Instance.next_timer_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).first()


def fire_due_timers(db: Database, limit: int | None = None) -> int:
    """Advance every instance whose next timer is due; returns how many were advanced."""
    fired = 0
    skipped: set[int] = set()
    while limit is None or fired < limit:
        now = clock.now()
        try:
            with db.session() as session:
                instance = _claim_due(session, now, skipped)
                if instance is None:
                    return fired
                try:
                    workflow = store.load(session, instance)
                    store.advance(session, instance, workflow, "system")
                    store.save(session, instance, workflow, "system")
                    if instance.next_timer_at is not None and instance.next_timer_at <= now:
                        # Nothing moved: never spin on one case; it is picked up on the next poll.
                        log.warning("instance %s: timer due %s did not fire", instance.id, instance.next_timer_at)
                        skipped.add(instance.id)
                except StaleDataError:
                    raise
                except Exception as error:  # noqa: BLE001 - one broken case must not stop the others
                    session.rollback()
                    _mark_failed(db, instance.id, error)
                    skipped.add(instance.id)
                    continue
            fired += 1
        except StaleDataError:
            continue  # another worker or a user saved it first; look again
    return fired


def _mark_failed(db: Database, instance_id: int, error: Exception) -> None:
    log.exception("instance %s failed while firing timers", instance_id)
    with db.session() as session:
        instance = session.get(Instance, instance_id)
        instance.status = "failed"
        record(session, "failed", actor="system", at=clock.now(), instance_id=instance_id,
               message_id=instance.message_id, details={"error": f"{type(error).__name__}: {error}"})


def run_worker(db: Database, interval: float = 5.0, should_stop: Callable[[], bool] = lambda: False) -> None:
    """Poll for due timers until ``should_stop()``; the production loop of ``otklik worker``."""
    while not should_stop():
        count = fire_due_timers(db)
        if count:
            log.info("advanced %d instance(s)", count)
        time.sleep(interval)
