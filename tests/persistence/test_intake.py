"""engine.runtime.intake on every backend (SQLite; PostgreSQL when OTKLIK_TEST_DATABASE_URL is set):
two sendings of one (source, source_id) racing in two threads make one case, the loser finds the
winner's message; the state a monitoring system reads shows the answer's address once published."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from engine import texts
from engine.errors import Forbidden
from engine.models import Message, Task
from engine.runtime import cases as runtime
from engine.runtime import intake
from engine.views.message_status import message_status
from tests.scenario.test_orenburg import DRAFT, PUBLISH, ROUTE

POSTED, DETECTED = datetime(2025, 10, 31, 7, 30, tzinfo=UTC), datetime(2025, 10, 31, 8, 0, tzinfo=UTC)


def incoming(source_id: str = "post-1") -> intake.Incoming:
    return intake.Incoming(runtime.MessageInput("orenburg", "vk", "https://vk.com/wall-1_2", "Иван Петров",
                                                "Яма на дороге у школы №5", POSTED, DETECTED,
                                                source="monitor", source_id=source_id))


def test_two_sendings_racing_make_one_case(orenburg) -> None:  # type: ignore[no-untyped-def]
    database = orenburg.db
    barrier = threading.Barrier(2)
    results: list[intake.Taken] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            with database.session() as session:
                results.append(intake.take(session, incoming("race"), "curator"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(r.created for r in results) == [False, True]
    assert len({r.message_id for r in results}) == 1
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_the_loser_of_the_constraint_finds_the_winners_message(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The race's narrow path made certain: the earlier-sending check sees nothing (as when both
    check before either commits), the insert hits the unique constraint, the winner is found."""
    database = orenburg.db
    with database.session() as session:
        first = intake.take(session, incoming("narrow"), "curator")
    real = intake._earlier
    calls = []

    def blind_first(session, message):  # type: ignore[no-untyped-def]
        calls.append(1)
        return None if len(calls) == 1 else real(session, message)

    monkeypatch.setattr(intake, "_earlier", blind_first)
    with database.session() as session:
        again = intake.take(session, incoming("narrow"), "curator")
    assert (again.created, again.message_id) == (False, first.message_id) and len(calls) == 2
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_only_a_curator_of_the_territory_takes_messages(orenburg) -> None:  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session, texts.language("ru"):
        try:
            intake.take(session, incoming(), "exec_orb_roads")
        except Forbidden as refused:
            assert str(refused) == "вы не куратор территории «Оренбургская область»: регистрировать её сообщения нельзя"
        else:
            raise AssertionError("an executor took a message in")


def test_the_public_answer_url_shows_once_published(orenburg) -> None:  # type: ignore[no-untyped-def]
    database = orenburg.db
    with database.session() as session:
        taken = intake.take(session, incoming(), "curator")
    steps = [("route_message", "curator", ROUTE), ("accept_message", "exec_orb_roads", {"competent": True}),
             ("draft_answer", "exec_orb_roads", DRAFT), ("approve_answer", "curator", {"decision": "approve"})]
    for element, login, data in steps:
        with database.session() as session:
            task = session.scalars(select(Task).where(Task.message_id == taken.message_id, Task.element_id == element,
                                                      Task.status == "open")).one()
            runtime.complete_task(session, task.id, login, data)
    with database.session() as session:
        before = message_status(session, taken.message_id, "curator")
    assert (before.answer_is_public, before.public_answer_url) == (False, None)
    with database.session() as session:
        task = session.scalars(select(Task).where(Task.message_id == taken.message_id,
                                                  Task.element_id == "publish_answer", Task.status == "open")).one()
        runtime.complete_task(session, task.id, "exec_orb_roads", PUBLISH)
    with database.session() as session:
        after = message_status(session, taken.message_id, "curator")
    assert (after.answer_is_public, after.public_answer_url) == (True, "https://vk.com/wall-1_1?reply=2")
    assert after.status == "closed" and after.deadlines == ()
