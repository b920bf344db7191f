"""The timer worker: fire every due deadline exactly once, in due order, and outlive every fault.

Nothing in SpiffWorkflow fires by itself; each instance keeps ``next_timer_at`` and the
worker picks due instances, oldest due first. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets
several workers share the load without firing a timer twice; on SQLite the database lock
serialises writers and the version column refuses a stale save.

Several due instances are claimed per transaction (``batch``): the claim query, BEGIN and the
commit's flush to disk are paid once per batch instead of once per case (on PostgreSQL, with
synchronous commit, those were half of a lone case's 17 ms). Each case still runs inside its own
SAVEPOINT, so a case that raises is rolled back alone and becomes an incident (``failed``, listed
by :mod:`engine.runtime.incidents`); the others in the batch commit. A batch stays small because, on
SQLite, its transaction holds the write lock that officials' completions wait for.

The loop itself (:func:`run_worker`) survives everything but KeyboardInterrupt and SystemExit:
a pass that fails (database locked or gone, a bug) is logged and retried after a backoff that
doubles from 1 s to 60 s and resets after a good pass.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine import clock
from engine.db.audit import record
from engine.db.database import Database
from engine.models import Instance
from engine.notifications import delivery, webhook_sender
from engine.notifications.mail import MailSettings
from engine.runtime import store
from engine.surges.detect import check_surges

log = logging.getLogger(__name__)

BATCH = 20  # ~0.1 s of work: short enough that a waiting completion is not noticed
# ... unless its cases are slow: a batch then commits early, once it has run this long, so a
# slow case holds the write lock (SQLite) for its own time, not for nineteen more like it.
BATCH_SECONDS = 0.5
# A case skipped for a transient reason (saved by someone else first, a lock or statement
# timeout) is tried again on the next pass; this many passes in a row and it is an incident.
TRANSIENT_STRIKES = 3
FIRST_BACKOFF, MAX_BACKOFF = 1.0, 60.0  # seconds after a failed pass: doubled each time, capped
_NAP = 1.0  # the longest uninterrupted sleep: a stop request is noticed within a second
_ERROR_CHARS = 500  # an error is kept (audit) and shown (incidents) as one short line


class TimerDidNotFire(RuntimeError):
    """A timer that was due before the pass is still armed after it: the same state would not
    fire it next pass either, so the case is an incident rather than a cost paid every poll."""


def _claim_due(session: Session, now: datetime, skipped: set[int], limit: int) -> list[int]:
    # Ids only: a row whose columns cannot be read (corrupt) must not break the claim for all.
    query = (
        select(Instance.id)
        .where(Instance.status == "running", Instance.next_timer_at.is_not(None), Instance.next_timer_at <= now,
               Instance.id.not_in(skipped))
        .order_by(Instance.next_timer_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def _fire(session: Session, instance_id: int, now: datetime, skipped: set[int]) -> None:
    instance = session.get(Instance, instance_id)
    if instance is None:
        return  # deleted since the claim (defensive: the claim's lock keeps the row as it was)
    due_before = instance.next_timer_at
    workflow = store.load(session, instance)
    store.advance(session, instance, workflow, "system")
    store.save(session, instance, workflow, "system")
    due_after = instance.next_timer_at
    if due_after is not None and due_after <= now:
        if due_after == due_before:
            # Loading the same state again would not fire it either: never spin on one case.
            raise TimerDidNotFire(f"timer due {due_after.isoformat()} did not fire")
        # Armed during this pass and already overdue (e.g. counted from posted_at): the next
        # pass fires it, or finds it stuck.
        skipped.add(instance_id)


def one_line(error: BaseException) -> str:
    """``Type: message`` on one line, at most ~500 characters: what the audit keeps and the
    incidents page shows (the traceback goes to the log)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= _ERROR_CHARS else text[:_ERROR_CHARS - 1] + "…"


def _mark_failed(session: Session, instance_id: int, error: BaseException) -> None:
    log.error("instance %s failed while firing timers: %s", instance_id, one_line(error), exc_info=error)
    # A Core UPDATE, not the ORM object: the row may be the very thing that cannot be loaded.
    # The version moves so a completion prepared against the old row is refused.
    session.execute(update(Instance).where(Instance.id == instance_id)
                    .values(status="failed", version=Instance.version + 1)
                    .execution_options(synchronize_session=False))
    message_id = session.scalar(select(Instance.message_id).where(Instance.id == instance_id))
    record(session, "failed", actor="system", at=clock.now(), instance_id=instance_id, message_id=message_id,
           details={"error": one_line(error)})
    session.flush()


def _is_disconnect(error: Exception) -> bool:
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _fire_batch(session: Session, instance_ids: list[int], now: datetime, skipped: set[int],
                strikes: dict[int, int]) -> int:
    """Fire claimed instances, each in its own savepoint, until they are done or the batch has
    run :data:`BATCH_SECONDS` (the rest are claimed again by the next batch); returns how many
    were advanced."""
    done = 0
    started = time.monotonic()
    for position, instance_id in enumerate(instance_ids):
        if position and time.monotonic() - started > BATCH_SECONDS:
            break
        try:
            with session.begin_nested():
                _fire(session, instance_id, now, skipped)
        except (StaleDataError, OperationalError) as error:
            if _is_disconnect(error):
                raise  # the database, not the case: the loop reconnects and retries the pass
            # Saved by someone else first (SQLite's version check), or a lock/statement timeout:
            # worth another try next pass, but not at full cost forever.
            skipped.add(instance_id)
            strikes[instance_id] = strikes.get(instance_id, 0) + 1
            if strikes[instance_id] < TRANSIENT_STRIKES:
                log.warning("instance %s skipped this pass (%d): %s", instance_id, strikes[instance_id],
                            one_line(error))
                continue
            del strikes[instance_id]
            with session.begin_nested():
                _mark_failed(session, instance_id, error)
            continue
        except Exception as error:  # noqa: BLE001 - one broken case must not stop the others
            if _is_disconnect(error):
                raise
            skipped.add(instance_id)
            strikes.pop(instance_id, None)
            with session.begin_nested():
                _mark_failed(session, instance_id, error)
            continue
        strikes.pop(instance_id, None)
        done += 1
    return done


def fire_due_timers(db: Database, limit: int | None = None, batch: int = BATCH,
                    strikes: dict[int, int] | None = None) -> int:
    """Advance every instance whose next timer is due; returns how many were advanced
    (a case that raised is marked ``failed`` — an incident — and not counted).

    ``strikes`` carries, from one pass to the next, how many passes in a row each case was
    skipped for a transient error (:func:`run_worker` keeps one)."""
    fired = 0
    skipped: set[int] = set()
    strikes = {} if strikes is None else strikes
    while limit is None or fired < limit:
        now = clock.now()
        size = batch if limit is None else min(batch, limit - fired)
        with db.session() as session:
            instance_ids = _claim_due(session, now, skipped, max(1, size))
            if not instance_ids:
                return fired
            fired += _fire_batch(session, instance_ids, now, skipped, strikes)
    return fired


def next_due(db: Database, after: datetime | None = None) -> datetime | None:
    """The earliest armed timer due after ``after`` (default: now). Timers due before it were
    already offered to the last pass; one it skipped is retried on the next poll, not in a busy
    loop."""
    # Read-only: the poll between passes takes no write lock (SQLite) from officials' completions.
    with db.session(readonly=True) as session:
        return session.scalar(select(func.min(Instance.next_timer_at)).where(
            Instance.status == "running", Instance.next_timer_at > (after or clock.now())))


def backoff(failures: int) -> float:
    """Seconds to wait after ``failures`` failed passes in a row: 1, 2, 4 … 60."""
    return min(FIRST_BACKOFF * 2.0 ** min(failures - 1, 16), MAX_BACKOFF)  # 2.0: int ** int is Any to mypy


def _nap(seconds: float, should_stop: Callable[[], bool]) -> None:
    # In slices: a stop request (SIGTERM sets a flag) is not kept waiting a whole backoff.
    end = time.monotonic() + seconds
    while not should_stop():
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, _NAP))


def connect_patiently(connect: Callable[[], Database], should_stop: Callable[[], bool] = lambda: False,
                      sleep: Callable[[float], None] | None = None) -> Database | None:
    """``connect()`` (open and migrate the database) until it works, with the same backoff, or
    None once a stop is asked: a worker started while the database is locked or not up yet
    waits for it instead of exiting."""
    pause = sleep or (lambda seconds: _nap(seconds, should_stop))
    failures = 0
    while not should_stop():
        try:
            return connect()
        except OperationalError as error:
            failures += 1
            wait = backoff(failures)
            log.error("cannot open the database (%d in a row), next try in %.0f s: %s", failures, wait,
                      one_line(error))
            pause(wait)
    return None


# A job the worker runs after the timers each pass, named for its log line: given by a layer above
# (the console hands engine.reports.schedule's, which runtime may not import).
Job = tuple[str, Callable[[Database], object]]


def _pass(db: Database, interval: float, batch: int, strikes: dict[int, int], jobs: Sequence[Job] = ()) -> float:
    """One poll: fire what is due, run the jobs; returns how long to wait before the next."""
    started = clock.now()
    count = fire_due_timers(db, batch=batch, strikes=strikes)
    if count:
        log.info("advanced %d instance(s)", count)
    _surges(db)  # Orenburg п. 21, Smolensk п. 15: before delivery, so its e-mails go in this pass
    for name, job in jobs:  # before delivery too; each alone, so one failing never stops the rest
        _job(db, name, job)
    _deliver(db)  # after the timers: a violation this pass recorded is mailed in this pass
    _webhooks(db)
    # Measured from the pass's start: a timer that fell due during the pass is not mistaken
    # for one the pass saw and skipped (which would cost a whole interval of lateness).
    due = next_due(db, after=started)
    return interval if due is None else min(interval, (due - clock.now()).total_seconds())


def _surges(db: Database) -> None:
    """Detect and escalate surges (engine.surges.detect, at most once a minute). Its own faults are
    logged and left for the next check: a surge check never delays or fails the deadlines."""
    try:
        escalated = check_surges(db)
    except Exception as error:  # noqa: BLE001 - the next check tries again; timers must go on
        log.error("checking surges failed, tried again next pass: %s", one_line(error), exc_info=error)
        return
    if escalated:
        log.info("escalated %d surge(s) of social activity", len(escalated))


def _job(db: Database, name: str, job: Callable[[Database], object]) -> None:
    try:
        done = job(db)
    except Exception as error:  # noqa: BLE001 - the next pass tries again; timers must go on
        log.error("%s failed, tried again next pass: %s", name, one_line(error), exc_info=error)
        return
    if done:
        log.info("%s: %s", name, done)


def _deliver(db: Database) -> None:
    """Send due e-mails (engine.notifications.delivery). Its own faults are logged and left for the
    next pass: a bad mail server never delays or fails the deadlines."""
    try:
        sent = delivery.deliver_pending(db)
    except Exception as error:  # noqa: BLE001 - mail is retried next pass; timers must go on
        log.error("sending notifications failed, retried next pass: %s", one_line(error), exc_info=error)
        return
    if sent:
        log.info("sent %d notification e-mail(s)", sent)


def _webhooks(db: Database) -> None:
    """POST due webhook deliveries (engine.notifications.webhook_sender); its faults are logged and
    left for the next pass, like e-mail's: a receiver that is down never delays the deadlines."""
    try:
        sent = webhook_sender.deliver_webhooks(db)
    except Exception as error:  # noqa: BLE001 - retried next pass; timers must go on
        log.error("sending webhooks failed, retried next pass: %s", one_line(error), exc_info=error)
        return
    if sent:
        log.info("delivered %d webhook(s)", sent)


def run_worker(db: Database, interval: float = 5.0, should_stop: Callable[[], bool] = lambda: False,
               batch: int = BATCH, sleep: Callable[[float], None] | None = None, jobs: Sequence[Job] = ()) -> None:
    """Poll for due timers until ``should_stop()``; the production loop of ``otklik worker``.

    Between polls it sleeps until the earliest known timer falls due, but never longer than
    ``interval``: timers armed meanwhile by officials' completions are found at the next poll,
    and are due minutes later, so a deadline is fired within the time it takes to process.

    A pass that raises (database locked past its timeout, connection lost, a bug outside any
    one case) is logged and the loop waits :func:`backoff` seconds; after a lost connection the
    pool is emptied so the next pass connects afresh. ``sleep`` replaces the wait (tests); ``jobs``
    run after the timers each pass (:func:`_pass`).
    """
    pause = sleep or (lambda seconds: _nap(seconds, should_stop))
    strikes: dict[int, int] = {}
    failures = 0
    mail = MailSettings.current()
    if mail is None:
        log.info("notifications: e-mail is off (OTKLIK_SMTP_HOST not set) — in-app only")
    else:
        log.info("notifications: e-mail via %s:%d (%s) from %s", mail.host, mail.port, mail.tls, mail.sender)
    while not should_stop():
        try:
            wait = _pass(db, interval, batch, strikes, jobs)
        except Exception as error:  # noqa: BLE001 - the worker outlives every fault; Ctrl-C still stops it
            failures += 1
            wait = backoff(failures)
            # The traceback once per outage; a one-line reminder while it lasts.
            log.error("timer pass failed (%d in a row), next try in %.0f s: %s", failures, wait, one_line(error),
                      exc_info=error if failures == 1 else None)
            if isinstance(error, DBAPIError):
                db.engine.dispose()  # a broken connection must not be handed out again
        else:
            if failures:
                log.info("timer passes work again after %d failure(s)", failures)
            failures = 0
        if wait > 0:
            pause(wait)
