"""Races on PostgreSQL: two officials completing one task at once, two workers on the same timers.

Skipped without OTKLIK_TEST_DATABASE_URL (SQLite serialises every writer, so there is no race
to lose there; tests/persistence covers it). The cases start on the virtual clock.
"""
from __future__ import annotations

import subprocess
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.cli.db import check_consistency
from engine.db.database import Database
from engine.errors import Conflict
from engine.models import AuditEvent, Task, User, Violation
from engine.runtime import cases as runtime
from tests.factories import deploy_files, orenburg_people
from tests.reliability.conftest import requires_postgresql
from tests.reliability.live import VENV_BIN
from tests.scenario.test_orenburg import ROUTE

pytestmark = requires_postgresql

TZ = ZoneInfo("Asia/Yekaterinburg")
EXEC = "exec_orb_roads"
PAIRS = 100
PASSWORD = "race-test-password"


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def orenburg_pg(pg_db: Database, virtual_clock) -> Database:  # type: ignore[no-untyped-def]
    with pg_db.session() as session:
        orenburg_people(session)
        for user in session.scalars(select(User)):
            user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        deploy_files(session, "bpmn/orenburg.bpmn")
    virtual_clock.set(local("2025-11-10T10:00"))
    return pg_db


def start_cases(db: Database, count: int, tag: str) -> list[int]:
    ids = []
    for number in range(count):
        with db.session() as session:
            ids.append(runtime.start_procedure(session, runtime.MessageInput(
                region="orenburg", network="vk", url=f"https://vk.com/wall-{tag}_{number}", author="Иван Петров",
                text="Яма на дороге у школы №5", posted_at=local("2025-11-10T09:40"),
                detected_at=local("2025-11-10T10:00")), "curator").id)
    return ids


def open_task(db: Database, instance_id: int, element_id: str) -> str:
    with db.session() as session:
        return session.scalars(select(Task.id).where(
            Task.instance_id == instance_id, Task.element_id == element_id, Task.status == "open")).one()


def complete(db: Database, instance_id: int, element_id: str, login: str, data: dict[str, object]) -> None:
    with db.session() as session:
        runtime.complete_task(session, open_task(db, instance_id, element_id), login, data)


def double_completion(db: Database, task_id: str) -> list[str]:
    """Two sessions complete one task at the same moment; returns what each got."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        barrier.wait()
        try:
            with db.session() as session:
                runtime.complete_task(session, task_id, "curator", ROUTE)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        except Exception as error:  # noqa: BLE001 - anything else is the finding
            outcomes.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_100_double_completions_exactly_one_wins_each_time(orenburg_pg: Database) -> None:
    cases = start_cases(orenburg_pg, PAIRS, "race")
    tasks = [open_task(orenburg_pg, case, "route_message") for case in cases]
    with ThreadPoolExecutor(max_workers=4) as pool:  # four pairs racing at a time, eight sessions
        results = list(pool.map(lambda task_id: double_completion(orenburg_pg, task_id), tasks))
    assert [sorted(r) for r in results] == [["conflict", "won"]] * PAIRS
    with orenburg_pg.session() as session:
        audited = Counter(e.details["task_id"] for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "completed")))
        accept = Counter(session.scalars(select(Task.instance_id).where(
            Task.element_id == "accept_message", Task.status == "open")))
    assert audited == Counter({task_id: 1 for task_id in tasks})
    assert accept == Counter({case: 1 for case in cases})  # each case moved on exactly once
    report = check_consistency(orenburg_pg)
    assert report.checked == PAIRS and report.consistent, report.findings[:5]


def test_double_completion_through_the_web_is_one_303_and_one_409(orenburg_pg: Database, tmp_path,
                                                                   monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_SECRET_KEY", "race-test-secret")  # no key file written into the repo
    from web import create_app

    app = create_app({"DATABASE_URL": orenburg_pg.engine.url.render_as_string(hide_password=False),
                      "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    [case] = start_cases(orenburg_pg, 1, "web")
    task_id = open_task(orenburg_pg, case, "route_message")
    form = {**ROUTE, "answer_hours": "9"}
    form.pop("co_agencies")
    clients = []
    for _ in range(2):  # the same curator in two browsers
        client = app.test_client()
        assert client.post("/login", data={"login": "curator", "password": PASSWORD}).status_code == 302
        clients.append(client)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post(client) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        statuses.append(client.post(f"/tasks/{task_id}", data=form).status_code)

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    app.extensions["otklik_db"].engine.dispose()
    assert sorted(statuses) == [303, 409]
    assert open_task(orenburg_pg, case, "accept_message")


def test_two_worker_processes_on_the_same_due_timers_fire_each_once(orenburg_pg: Database, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    """Two ``otklik worker --once`` processes at once, as two machines would run them.

    The cases are set up on the virtual clock in November 2025; the workers read the real
    clock, later than every deadline here, so all of them are overdue for both workers.
    """
    waiting = start_cases(orenburg_pg, 30, "waiting")  # routing deadline (п. 6)
    virtual_clock.set(local("2025-11-10T10:10"))
    routed = start_cases(orenburg_pg, 30, "routed")  # return (п. 7) and answer (п. 8) deadlines
    accepted = start_cases(orenburg_pg, 30, "accepted")  # draft (п. 9) and answer (п. 8) deadlines
    for case in routed + accepted:
        complete(orenburg_pg, case, "route_message", "curator", ROUTE)
    for case in accepted:
        complete(orenburg_pg, case, "accept_message", EXEC, {"competent": True})
    expected = Counter({(c, "routing_deadline"): 1 for c in waiting})
    expected.update({(c, e): 1 for c in routed for e in ("return_deadline", "answer_deadline")})
    expected.update({(c, e): 1 for c in accepted for e in ("draft_deadline", "answer_deadline")})

    env = {"OTKLIK_DATABASE_URL": orenburg_pg.engine.url.render_as_string(hide_password=False), "PATH": "/usr/bin:/bin"}
    workers = [subprocess.Popen([str(VENV_BIN / "otklik"), "worker", "--once"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=60) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    print("\ntwo workers:", [out.strip() for out, _ in outputs])

    with orenburg_pg.session() as session:
        fired = Counter((e.instance_id, e.element_id) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "timer_fired")))
        violations = Counter((v.instance_id, v.timer_id) for v in session.scalars(select(Violation)))
    assert fired == expected
    # п. 7 charges only a late *return* (checked when the return is made): the return timer fires
    # and shows the deadline, but records no breach while the agency has not returned the case.
    charged = Counter({key: n for key, n in expected.items() if key[1] != "return_deadline"})
    assert violations == charged
    assert check_consistency(orenburg_pg).consistent


def test_one_registration_form_sent_twice_at_once_registers_one_message(orenburg_pg) -> None:  # type: ignore[no-untyped-def]
    # A double click or a retry: two requests carrying the same form id reach the server together.
    from engine.errors import AlreadyRegistered
    from engine.models import Message
    from engine.runtime.registration import register_message

    message = runtime.MessageInput(region="orenburg", network="vk", url="https://vk.com/wall-1_9", author="Иван Петров",
                                   text="Яма", posted_at=local("2025-11-10T09:40"), detected_at=local("2025-11-10T09:50"),
                                   submission_id="0123456789abcdef0123456789abcdef")
    for _round in range(10):
        with orenburg_pg.session() as session:
            session.query(Message).filter(Message.submission_id == message.submission_id).update({"submission_id": None})
        barrier = threading.Barrier(2)

        def send(barrier: threading.Barrier = barrier) -> str:
            barrier.wait()
            try:
                with orenburg_pg.session() as session:
                    return f"new {register_message(session, message, 'curator').message_id}"
            except AlreadyRegistered as sent:
                return f"old {sent.message_id}"

        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(lambda _n: send(), range(2)))
        assert [o.split()[0] for o in outcomes] == ["new", "old"], outcomes
        assert outcomes[0].split()[1] == outcomes[1].split()[1]  # the second was told the first's number
