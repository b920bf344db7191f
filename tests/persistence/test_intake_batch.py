"""A batch of the intake API written together (engine.runtime.intake.take_batch, issue 17 performance),
on every backend: one statement per message besides a few per batch, the same cases as one message
at a time, and each message still on its own when one fails after it began writing (a lost race, a
refusal from deeper down) or when a started case's handlers read the database (an overdue message)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, select

from engine.errors import NotFound
from engine.models import AuditEvent, Instance, Message, Task, Violation
from engine.runtime import intake, store
from engine.runtime.cases import MessageInput

POSTED, DETECTED = datetime(2025, 10, 31, 7, 30, tzinfo=UTC), datetime(2025, 10, 31, 8, 0, tzinfo=UTC)


def incoming(source_id: str, detected: datetime = DETECTED) -> intake.Incoming:
    return intake.Incoming(MessageInput("orenburg", "vk", f"https://vk.com/wall-1_{source_id}", "Иван Петров",
                                        f"Яма на дороге у школы №5 ({source_id})", min(POSTED, detected), detected,
                                        source="monitor", source_id=source_id), links=("https://vk.com/photo-1_1",))


def statements_for(database: Any, batch: list[intake.Incoming]) -> tuple[int, list[intake.Taken | Any]]:
    counted: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counted.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.session() as session:
            results = intake.take_batch(session, list(batch), "curator")
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return len(counted), results


def test_a_batch_costs_one_statement_per_message(orenburg) -> None:  # type: ignore[no-untyped-def]
    statements_for(orenburg.db, [incoming("warm")])  # what a process reads once (a diagram's networks)
    few, taken_few = statements_for(orenburg.db, [incoming(f"a{n}") for n in range(3)])
    many, taken_many = statements_for(orenburg.db, [incoming(f"b{n}") for n in range(13)])
    assert all(isinstance(r, intake.Taken) and r.created for r in [*taken_few, *taken_many])
    # The message's INSERT; its instance, audit row, task and link go with the batch's (PostgreSQL).
    # SQLite returns new ids in no promised order, so SQLAlchemy inserts the audit row and the
    # link one by one there: in process, without a round trip.
    assert many - few == (10 if orenburg.db.is_postgresql else 30)


def test_a_batch_makes_the_cases_one_message_at_a_time_makes(orenburg) -> None:  # type: ignore[no-untyped-def]
    database = orenburg.db
    with database.session() as session:
        one = intake.take(session, incoming("single"), "curator")
    with database.session() as session:
        batch = intake.take_batch(session, [incoming("batch-1"), incoming("batch-2")], "curator")
    assert all(isinstance(r, intake.Taken) for r in batch)
    for taken in [one, *batch]:
        assert isinstance(taken, intake.Taken)
        assert taken.deadlines == one.deadlines and taken.deadlines  # the routing deadline, computed the same
    with database.session() as session:
        instances = session.scalars(select(Instance).order_by(Instance.id)).all()
        assert [i.version for i in instances] == [2, 1, 1]  # one at a time: inserted, then its state saved
        assert len({i.state.count('"typename": "BpmnWorkflow"') for i in instances}) == 1
        for instance in instances:
            assert store.load(session, instance).get_tasks()  # the saved state loads
            kinds = session.scalars(select(AuditEvent.kind).where(AuditEvent.instance_id == instance.id)).all()
            assert kinds == ["started"]
            tasks = session.scalars(select(Task).where(Task.instance_id == instance.id)).all()
            assert [(t.element_id, t.status) for t in tasks] == [("route_message", "open")]
            assert instance.next_timer_at is not None


def test_a_race_lost_inside_a_batch_leaves_each_message_on_its_own(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The batch's look-up says no message has the pair (as when another sending commits between
    the look-up and the write): the unique constraint refuses it at the batch's end, the batch is
    taken again one savepoint per message, and that one finds the winner's message."""
    database = orenburg.db
    with database.session() as session:
        first = intake.take(session, incoming("raced"), "curator")
    pairs = [("monitor", "new-1"), ("monitor", "raced"), ("monitor", "new-2")]
    monkeypatch.setattr(intake, "_unsent", lambda session, messages: frozenset(pairs))
    with database.session() as session:
        results = intake.take_batch(session, [incoming(s) for _, s in pairs], "curator")
    assert [(r.created, r.message_id == first.message_id) for r in results if isinstance(r, intake.Taken)] == [
        (True, False), (False, True), (True, False)]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 3
        assert session.scalar(select(func.count()).select_from(Instance)) == 3


def test_a_refusal_after_writing_undoes_only_its_message(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    database = orenburg.db
    real_advance, seen = store.advance, []

    def refuse_the_second(session, instance, workflow, actor):  # type: ignore[no-untyped-def]
        seen.append(instance.message_id)
        if len(seen) in (2, 4):  # the second message: in the batch's first try, and again when each is on its own
            raise NotFound("gone")
        return real_advance(session, instance, workflow, actor)

    monkeypatch.setattr(store, "advance", refuse_the_second)
    with database.session() as session:
        results = intake.take_batch(session, [incoming("r1"), incoming("r2"), incoming("r3")], "curator")
    assert [type(r).__name__ for r in results] == ["Taken", "NotFound", "Taken"]
    with database.session() as session:
        texts = session.scalars(select(Message.source_id).order_by(Message.id)).all()
        assert texts == ["r1", "r3"]
        assert session.scalar(select(func.count()).select_from(Task)) == 2


def test_a_pair_sent_twice_in_one_batch_makes_one_case(orenburg) -> None:  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session:
        results = intake.take_batch(session, [incoming("twice"), incoming("twice")], "curator")
    assert [(r.created, r.message_id) for r in results if isinstance(r, intake.Taken)] == [
        (True, results[0].message_id), (False, results[0].message_id)]  # type: ignore[union-attr]


def test_overdue_messages_fire_their_deadlines_inside_the_batch(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Detected days ago: the routing deadline passed before the message arrived, so starting it
    fires the deadline at once; the handlers read the database mid-batch (the batch's waiting rows
    are written first) and record the violation."""
    long_ago = datetime(2025, 10, 27, 5, 0, tzinfo=UTC)
    with orenburg.db.session() as session:
        results = intake.take_batch(session, [incoming(f"late-{n}", long_ago) for n in range(3)], "curator")
    assert all(isinstance(r, intake.Taken) and r.created for r in results)
    with orenburg.db.session() as session:
        assert session.scalar(select(func.count(func.distinct(Violation.instance_id)))) == 3
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "timer_fired")) >= 3
