"""Who sees and does what; two officials (or two workers) racing — SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.errors import Conflict, Forbidden
from engine.models import User, Violation
from engine.runtime import cases as runtime
from engine.runtime.timers import fire_due_timers
from tests.factories import substitute
from tests.scenario.driver import Case
from tests.scenario.test_orenburg import ROUTE


@pytest.fixture
def case(orenburg):  # type: ignore[no-untyped-def]
    case = orenburg
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    return case


def inbox(case: Case, login: str) -> list[str]:
    with case.db.session() as session:
        return [t.element_id for t in runtime.inbox(session, login)]


def test_inbox_shows_each_role_only_its_tasks(case) -> None:  # type: ignore[no-untyped-def]
    assert inbox(case, "curator") == ["route_message"]
    assert inbox(case, "exec_orb_roads") == []
    case.complete("route_message", "curator", ROUTE)
    assert inbox(case, "exec_orb_roads") == ["accept_message"]
    assert inbox(case, "exec_orb_health") == []
    assert inbox(case, "curator") == []
    assert inbox(case, "nobody") == []


def test_executor_of_another_agency_cannot_complete(case) -> None:  # type: ignore[no-untyped-def]
    case.complete("route_message", "curator", ROUTE)
    with pytest.raises(Forbidden):
        case.complete("accept_message", "exec_orb_health", {"competent": True})
    with pytest.raises(Forbidden):
        case.complete("accept_message", "curator", {"competent": True})
    assert case.open_elements() == ["accept_message"]


def test_clause_5_substitute_acts_for_the_absent_executor_during_the_dates(case) -> None:  # type: ignore[no-untyped-def]
    with case.db.session() as session:
        absent = session.scalar(select(User).where(User.login == "exec_orb_roads"))
        stand_in = User(login="stand_in", full_name="Заместитель")
        session.add(stand_in)
        session.flush()
        substitute(session, absent, stand_in, datetime(2025, 11, 10, tzinfo=UTC),
                   datetime(2025, 11, 11, tzinfo=UTC))
    case.complete("route_message", "curator", ROUTE)
    assert inbox(case, "stand_in") == ["accept_message"]
    case.at("2025-11-11T10:00")  # the substitution ended at midnight UTC
    assert inbox(case, "stand_in") == []
    with pytest.raises(Forbidden):
        case.complete("accept_message", "stand_in", {"competent": True})


def test_two_threads_completing_one_task_exactly_one_wins(case) -> None:  # type: ignore[no-untyped-def]
    task = case.task("route_message")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        barrier.wait()
        try:
            with case.db.session() as session:
                runtime.complete_task(session, task.id, "curator", ROUTE)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert case.open_elements() == ["accept_message"]


def test_two_workers_on_the_same_due_timers_fire_each_once(case) -> None:  # type: ignore[no-untyped-def]
    case.clock.set(case.local("2025-11-10T10:31"))
    barrier = threading.Barrier(2)
    fired: list[int] = []
    errors: list[BaseException] = []  # a thread's exception is otherwise only printed

    def work() -> None:
        barrier.wait()
        try:
            fired.append(fire_due_timers(case.db))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a worker did not finish"
    assert errors == []
    assert sorted(fired) == [0, 1]  # both passes ran; one of them fired the deadline
    with case.db.session() as session:
        assert len(session.scalars(select(Violation)).all()) == 1
