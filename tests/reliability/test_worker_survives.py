"""The timer worker outlives every fault (issue 11, finding 3).

A locked database, a lost connection, an exception in the claim or in ``next_due`` end a pass,
never the loop: it backs off (1 s, doubling to 60 s, reset after a good pass) and goes on. A case
that cannot be fired is an incident (``failed``, listed by engine.runtime.incidents) while every other
due timer fires exactly once. Nothing here sleeps: ``run_worker`` gets a fake ``sleep`` that
records the waits, moves the test along (releases a lock) and stops the loop.
"""
from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from engine.db.database import Database, upgrade
from engine.errors import Forbidden
from engine.models import AuditEvent, Instance
from engine.runtime import cases as runtime
from engine.runtime import incidents, store, timers
from engine.runtime.timers import connect_patiently, run_worker
from tests.factories import official, organisation

INTERVAL = 5.0


class FakeSleep:
    """Records each wait; runs ``actions[i]`` at the i-th wait; stops the loop after ``stop_after`` waits."""

    def __init__(self, stop_after: int, actions: dict[int, Callable[[], None]] | None = None) -> None:
        self.calls: list[float] = []
        self.stop_after, self.actions = stop_after, actions or {}

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if action := self.actions.get(len(self.calls)):
            action()

    def stopped(self) -> bool:
        return len(self.calls) >= self.stop_after


def _run(db, sleep: FakeSleep) -> None:  # type: ignore[no-untyped-def]
    run_worker(db, interval=INTERVAL, should_stop=sleep.stopped, sleep=sleep)


def _cases(case, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """``count`` Orenburg cases detected a minute apart; at 11:30 every routing deadline is due."""
    ids = []
    for minute in range(count):
        detected = case.local(f"2025-11-10T10:{minute:02d}")
        case.clock.set(detected)
        with case.db.session() as session:
            ids.append(runtime.start_procedure(session, runtime.MessageInput(
                region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
                text="Яма на дороге", posted_at=detected, detected_at=detected), "curator").id)
    case.clock.set(case.local("2025-11-10T11:30"))
    return ids


def _fired(db) -> Counter[int]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return Counter(session.scalars(select(AuditEvent.instance_id).where(AuditEvent.kind == "timer_fired")))


def _status(db, instance_id: int) -> str:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return session.scalar(select(Instance.status).where(Instance.id == instance_id))


def _events(db, instance_id: int, kind: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id,
                                                              AuditEvent.kind == kind).order_by(AuditEvent.id)))


def _other_officials(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        smolensk = organisation(session, "smo_admin", "curator", "smolensk")
        official(session, "smo_supervisor", smolensk, "supervisor")
        official(session, "root", smolensk, "admin")


def test_a_case_whose_state_cannot_load_is_an_incident_and_every_other_timer_fires_once(orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 6)
    broken = ids[3]
    with orenburg.db.session() as session:
        session.execute(update(Instance).where(Instance.id == broken).values(state="{not json"))
    _other_officials(orenburg.db)
    sleep = FakeSleep(stop_after=3)
    _run(orenburg.db, sleep)
    assert _fired(orenburg.db) == Counter(i for i in ids if i != broken)  # each once, none twice
    assert sleep.calls == [INTERVAL] * 3  # nothing failed as a pass: no backoff
    assert _status(orenburg.db, broken) == "failed"
    with orenburg.db.session() as session:
        seen = {login: [i.instance_id for i in incidents.incidents(session, login).incidents]
                for login in ("supervisor", "root", "smo_supervisor")}
        with pytest.raises(Forbidden):
            incidents.incidents(session, "exec_orb_health")
        listed = incidents.incidents(session, "supervisor").incidents[0]
    assert seen == {"supervisor": [broken], "root": [broken], "smo_supervisor": []}
    assert listed.region == "orenburg" and listed.failed_at is not None
    assert listed.error.startswith("JSONDecodeError") and "\n" not in listed.error

    # Retry: back to running; the next pass tries it once more and it is an incident again.
    with orenburg.db.session() as session:
        assert incidents.retry(session, "supervisor", broken) > 0
    assert _status(orenburg.db, broken) == "running"
    assert [e.actor for e in _events(orenburg.db, broken, "retried")] == ["supervisor"]
    _run(orenburg.db, FakeSleep(stop_after=2))
    assert _status(orenburg.db, broken) == "failed"
    assert len(_events(orenburg.db, broken, "failed")) == 2
    assert _fired(orenburg.db) == Counter(i for i in ids if i != broken)


def test_the_loop_survives_a_locked_database_and_fires_everything_once_it_is_free(orenburg) -> None:  # type: ignore[no-untyped-def]
    if orenburg.db.is_postgresql:
        pytest.skip("SQLite's database-wide write lock")
    ids = _cases(orenburg, 5)

    @event.listens_for(orenburg.db.engine, "connect")
    def _short_busy_timeout(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # The worker's 30 s busy timeout in 50 ms, so the test does not wait for it.
        dbapi_connection.execute("PRAGMA busy_timeout = 50")

    orenburg.db.engine.dispose()
    holder = sqlite3.connect(orenburg.db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        sleep = FakeSleep(stop_after=2, actions={1: lambda: holder.execute("COMMIT")})
        started = time.monotonic()
        _run(orenburg.db, sleep)
        assert time.monotonic() - started < 10
    finally:
        holder.close()
    assert sleep.calls == [timers.FIRST_BACKOFF, INTERVAL]  # backed off once, then a normal poll
    assert _fired(orenburg.db) == Counter(ids)


def test_an_exception_in_the_claim_or_in_next_due_ends_the_pass_not_the_loop(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 4)
    failing = {"claim": 1, "next_due": 1}

    def once(name: str, real: Callable) -> Callable:  # type: ignore[type-arg]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            if failing[name]:
                failing[name] -= 1
                raise RuntimeError(f"{name} broke")
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(timers, "_claim_due", once("claim", timers._claim_due))
    monkeypatch.setattr(timers, "next_due", once("next_due", timers.next_due))
    sleep = FakeSleep(stop_after=3)
    _run(orenburg.db, sleep)
    # Claim failed (1 s), then everything fired but next_due failed (2 s), then a good pass.
    assert sleep.calls == [1.0, 2.0, INTERVAL]
    assert _fired(orenburg.db) == Counter(ids)


def test_backoff_doubles_to_a_minute_and_starts_over_after_a_good_pass(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    outcomes = iter([False] * 8 + [True] + [False])  # False: the pass raises

    def scripted(*args, **kwargs) -> int:  # type: ignore[no-untyped-def]
        if not next(outcomes):
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
        return 0

    monkeypatch.setattr(timers, "fire_due_timers", scripted)
    sleep = FakeSleep(stop_after=10)
    _run(db, sleep)
    assert sleep.calls == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, INTERVAL, 1.0]


def test_a_lost_connection_is_dropped_from_the_pool_and_the_loop_goes_on(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lost = iter([True])

    def scripted(*args, **kwargs) -> int:  # type: ignore[no-untyped-def]
        if next(lost, False):
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"),
                                   connection_invalidated=True)
        return 0

    disposed = []
    real_dispose = db.engine.dispose
    monkeypatch.setattr(timers, "fire_due_timers", scripted)
    monkeypatch.setattr(db.engine, "dispose", lambda *a, **k: (disposed.append(True), real_dispose(*a, **k)))
    sleep = FakeSleep(stop_after=2)
    _run(db, sleep)
    assert disposed == [True]
    assert sleep.calls == [1.0, INTERVAL]


def test_ctrl_c_still_stops_the_worker(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def interrupted(*args, **kwargs) -> int:  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(timers, "fire_due_timers", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _run(db, FakeSleep(stop_after=5))


def _count_loads(monkeypatch) -> Counter[int]:  # type: ignore[no-untyped-def]
    loads: Counter[int] = Counter()
    real_load = store.load

    def load(session, instance, *args, **kwargs):  # type: ignore[no-untyped-def]
        loads[instance.id] += 1
        return real_load(session, instance, *args, **kwargs)

    monkeypatch.setattr(store, "load", load)
    return loads


def test_a_timer_that_stays_due_is_an_incident_not_a_cost_paid_every_pass(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 3)
    stuck = ids[1]
    real_advance = store.advance

    def advance(session, instance, workflow, actor):  # type: ignore[no-untyped-def]
        if instance.id != stuck:  # the stuck case: nothing moves, its timer stays due
            real_advance(session, instance, workflow, actor)

    monkeypatch.setattr(store, "advance", advance)
    loads = _count_loads(monkeypatch)
    _run(orenburg.db, FakeSleep(stop_after=4))
    assert loads[stuck] == 1
    assert _status(orenburg.db, stuck) == "failed"
    assert "TimerDidNotFire" in _events(orenburg.db, stuck, "failed")[0].details["error"]
    assert _fired(orenburg.db) == Counter(i for i in ids if i != stuck)


def test_a_timer_armed_already_overdue_waits_one_pass_and_is_not_an_incident(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 2)
    late = ids[0]
    real_save = store.save
    first = iter([True])

    def save(session, instance, workflow, actor):  # type: ignore[no-untyped-def]
        real_save(session, instance, workflow, actor)
        if instance.id == late and next(first, False):
            # As if the step it reached armed a deadline counted from posted_at, already past.
            instance.next_timer_at = orenburg.clock.current - timedelta(minutes=1)

    monkeypatch.setattr(store, "save", save)
    loads = _count_loads(monkeypatch)
    _run(orenburg.db, FakeSleep(stop_after=3))
    assert loads[late] == 2  # taken again on the next pass, where nothing is left due
    assert _status(orenburg.db, late) == "running"
    assert _fired(orenburg.db) == Counter(ids)


def test_a_case_always_saved_by_someone_else_first_is_an_incident_after_three_passes(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 3)
    contested = ids[2]
    real_save = store.save

    def save(session, instance, workflow, actor):  # type: ignore[no-untyped-def]
        if instance.id == contested:
            raise StaleDataError("UPDATE statement on table 'instance' expected to update 1 row(s); 0 were matched.")
        real_save(session, instance, workflow, actor)

    monkeypatch.setattr(store, "save", save)
    loads = _count_loads(monkeypatch)
    _run(orenburg.db, FakeSleep(stop_after=5))
    assert loads[contested] == timers.TRANSIENT_STRIKES  # skipped twice, then given up on
    assert _status(orenburg.db, contested) == "failed"
    assert "StaleDataError" in _events(orenburg.db, contested, "failed")[0].details["error"]
    assert _fired(orenburg.db) == Counter(i for i in ids if i != contested)


def test_a_worker_started_while_the_database_is_locked_waits_for_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "otklik.sqlite"
    first = Database(f"sqlite:///{path}")
    upgrade(first.engine)  # the schema and WAL exist; now another process holds the write lock
    first.engine.dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")

    def connect() -> Database:  # what `otklik worker` does at start: open, then migrate
        database = Database(f"sqlite:///{path}")
        event.listen(database.engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA busy_timeout = 50"))
        upgrade(database.engine)
        return database

    sleep = FakeSleep(stop_after=99, actions={2: lambda: holder.execute("COMMIT")})
    try:
        database = connect_patiently(connect, sleep=sleep)
    finally:
        holder.close()
    assert database is not None and sleep.calls == [1.0, 2.0]
    database.engine.dispose()
    assert connect_patiently(connect, should_stop=lambda: True) is None  # a stop asked: no waiting


def test_slow_cases_commit_one_by_one_so_the_write_lock_is_held_for_one_at_a_time(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 4)
    ticks = iter(range(1000))  # every look at the clock: one more second (each case is "slow")
    monkeypatch.setattr(timers, "time", SimpleNamespace(monotonic=lambda: float(next(ticks)), sleep=time.sleep))
    claims = []
    real_claim = timers._claim_due
    monkeypatch.setattr(timers, "_claim_due", lambda *args: claims.append(real_claim(*args)) or claims[-1])
    assert timers.fire_due_timers(orenburg.db, batch=20) == 4
    assert claims == [ids, ids[1:], ids[2:], ids[3:], []]  # a transaction per case, in due order
    assert _fired(orenburg.db) == Counter(ids)
