"""The timer worker claims several due cases per transaction: each still fires once, in due order,
and one broken case is marked failed without stopping the others — SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select, update

from engine.models import AuditEvent, Instance, Violation
from engine.runtime import cases as runtime
from engine.runtime.timers import fire_due_timers, next_due


def _start(case, detected: str) -> int:  # type: ignore[no-untyped-def]
    case.clock.set(case.local(detected))
    with case.db.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге", posted_at=case.local(detected), detected_at=case.local(detected)), "curator")
        return instance.id


def _fired(case) -> list[int]:  # type: ignore[no-untyped-def]
    """Instance ids in the order their routing deadline fired."""
    with case.db.session() as session:
        return list(session.scalars(select(AuditEvent.instance_id).where(AuditEvent.kind == "timer_fired")
                                    .order_by(AuditEvent.id)))


def _cases(orenburg, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    # Detected a minute apart on a Monday morning: routing deadlines 30 working minutes later, in that order.
    return [_start(orenburg, f"2025-11-10T10:{minute:02d}") for minute in range(count)]


def test_batches_fire_each_case_once_in_due_order(orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 7)
    orenburg.clock.set(orenburg.local("2025-11-10T11:30"))
    assert fire_due_timers(orenburg.db, batch=3) == 7
    assert _fired(orenburg) == ids
    assert fire_due_timers(orenburg.db, batch=3) == 0
    with orenburg.db.session() as session:
        assert sorted(session.scalars(select(Violation.instance_id))) == ids


def test_limit_takes_the_earliest_due_first(orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 5)
    orenburg.clock.set(orenburg.local("2025-11-10T11:30"))
    assert fire_due_timers(orenburg.db, limit=2, batch=10) == 2
    assert _fired(orenburg) == ids[:2]
    assert fire_due_timers(orenburg.db, batch=10) == 3
    assert _fired(orenburg) == ids


def test_only_due_cases_are_claimed(orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 4)
    orenburg.clock.set(orenburg.local("2025-11-10T10:31:30"))  # only the first two are due
    assert fire_due_timers(orenburg.db, batch=10) == 2
    assert _fired(orenburg) == ids[:2]


def test_a_broken_case_is_marked_failed_and_the_rest_of_its_batch_fires(orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 5)
    broken = ids[2]
    with orenburg.db.session() as session:
        session.execute(update(Instance).where(Instance.id == broken).values(state="{not json"))
    orenburg.clock.set(orenburg.local("2025-11-10T11:30"))
    assert fire_due_timers(orenburg.db, batch=10) == 4
    assert _fired(orenburg) == [i for i in ids if i != broken]
    with orenburg.db.session() as session:
        assert session.get(Instance, broken).status == "failed"
        failed = session.scalars(select(AuditEvent).where(AuditEvent.kind == "failed")).all()
        assert [(e.instance_id, e.actor) for e in failed] == [(broken, "system")]
        assert "Error" in failed[0].details["error"]
        # Nothing of the broken case's attempt was kept: no violation, no notification.
        assert broken not in set(session.scalars(select(Violation.instance_id)))
    assert fire_due_timers(orenburg.db, batch=10) == 0  # a failed case is not retried


def test_two_batched_workers_fire_each_case_once(orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(orenburg, 12)
    orenburg.clock.set(orenburg.local("2025-11-10T11:30"))
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def work() -> None:
        barrier.wait()
        counts.append(fire_due_timers(orenburg.db, batch=4))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=50)
    assert sum(counts) == 12
    assert sorted(_fired(orenburg)) == ids


def test_next_due_is_the_earliest_future_timer(orenburg) -> None:  # type: ignore[no-untyped-def]
    assert next_due(orenburg.db) is None
    _cases(orenburg, 2)
    orenburg.clock.set(orenburg.local("2025-11-10T10:00"))
    assert next_due(orenburg.db) == orenburg.local("2025-11-10T10:30")
    orenburg.clock.set(orenburg.local("2025-11-10T10:30") + timedelta(seconds=1))
    # The first is overdue (the worker's next poll takes it); the worker sleeps until the second.
    assert next_due(orenburg.db) == orenburg.local("2025-11-10T10:31")


def test_next_due_counts_from_the_start_of_the_pass(orenburg) -> None:  # type: ignore[no-untyped-def]
    _cases(orenburg, 1)  # due 10:30
    pass_started = orenburg.local("2025-11-10T10:29:59")
    orenburg.clock.set(orenburg.local("2025-11-10T10:30:01"))  # it fell due while the pass ran
    assert next_due(orenburg.db, after=pass_started) == orenburg.local("2025-11-10T10:30")
    assert next_due(orenburg.db) is None  # from now, it is no longer in the future
