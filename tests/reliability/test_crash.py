"""Crash: kill -9 of the production server and the worker in the middle of a load, then restart.

Real processes on the real clock: ``gunicorn -w 2 'web.wsgi:app'`` and ``otklik worker`` on a
SQLite file (and on a scratch PostgreSQL database when OTKLIK_TEST_DATABASE_URL is set). Threads
register messages and complete tasks over HTTP and write down every request the server
accepted (302/303 received: the transaction had committed before the response was sent).

How timers fall due in a bounded test: the Orenburg diagram is deployed with its deadlines
as seconds of calendar time (tests/reliability/fast_orenburg.py: 2–3 s per step, 6 s for the
answer), and completions pick open tasks at random, so some steps are done in time and many
are late while the worker runs — and while it is dead. After the restart the load goes on
for a while, then stops; every timer still armed falls due within 6 s and the restarted
worker fires it. Then we check, against the database:

- every accepted registration is there exactly once, every accepted completion exactly once
  (task row and audit); nothing half-written (a message without its case, a completion
  without its audit row, a task row that disagrees with the state: ``otklik db check``);
- each deadline fired exactly when its task was still open at its due time (never twice,
  never lost), and recorded one violation with that due time.
"""
from __future__ import annotations

import http.client
import random
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine.db.database import Database
from engine.deployment.deployer import Source, deploy, library_forms
from engine.models import AuditEvent, Instance, Message, Task, User, Violation
from tests.factories import orenburg_people
from tests.reliability.conftest import BACKENDS, database_url
from tests.reliability.fast_orenburg import LONGEST_SECONDS, boundary_timers, fast_orenburg, timers_recording_nothing
from tests.reliability.live import VENV_BIN, Client, Processes, environment, free_port

PASSWORD = "crash-test-password"
EXEC = "exec_orb_roads"
TZ = ZoneInfo("Asia/Yekaterinburg")
LOAD_BEFORE_KILL = 6.0  # seconds of load before kill -9 (timers of 2–3 s fall due meanwhile)
LOAD_AFTER_RESTART = 3.0
SETTLE_LIMIT = 25.0  # the restarted worker must have fired every armed timer by then
EDGE = timedelta(milliseconds=500)  # completed this close to a due time: either outcome is right

# What each step's form gets (as a browser posts it) and who does it.
STEPS = {
    "route_message": ("curator", {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург",
                                  "importance": "normal", "answer_hours": "9", "agency": "orb_roads"}),
    "accept_message": (EXEC, {"competent": "true"}),
    "draft_answer": (EXEC, {"answer_kind": "answer", "answer_text": "Яму заделают до пятницы."}),
    "approve_answer": ("curator", {"decision": "approve"}),
    "publish_answer": (EXEC, {"published": "true", "answer_url": "https://vk.com/wall-1_1?reply=2"}),
}
NETWORK_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Ledger:
    """What the clients know: accepted, refused (409) and unknown (no response) requests."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    registered: list[str] = field(default_factory=list)
    registrations_unknown: list[str] = field(default_factory=list)
    completed: dict[str, str] = field(default_factory=dict)  # task id → login
    completions_unknown: list[str] = field(default_factory=list)
    conflicts: int = 0
    in_flight: set[str] = field(default_factory=set)
    unexpected: list[str] = field(default_factory=list)


def seed(url: str) -> None:
    database = Database(url)
    with database.session() as session:
        orenburg_people(session)
        password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # cheap, for a test
        for user in session.scalars(select(User)):
            user.password_hash = password_hash
        deploy(session, [Source("orenburg.bpmn", fast_orenburg())], "analyst", extra_forms=library_forms())
    database.engine.dispose()


def registration_form(url: str) -> dict[str, object]:
    detected = datetime.now(TZ).replace(second=0, microsecond=0) - timedelta(minutes=1)
    return {"region": "orenburg", "network": "vk", "url": url, "author": "Иван Петров",
            "text": "Яма на дороге у школы №5", "posted_at": (detected - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "detected_at": detected.strftime("%Y-%m-%dT%H:%M"), "repeat_of": ""}


def registrar(port: int, name: str, ledger: Ledger, stop: threading.Event) -> None:
    client = Client(port)
    client.sign_in("curator", PASSWORD)
    number = 0
    while not stop.is_set():
        number += 1
        url = f"https://vk.com/wall-{name}_{number}"
        try:
            status, _ = client.request("POST", "/messages/new", registration_form(url))
        except NETWORK_ERRORS:
            with ledger.lock:
                ledger.registrations_unknown.append(url)
            time.sleep(0.05)  # the server is down: do not spin
            continue
        with ledger.lock:
            if status == 302:
                ledger.registered.append(url)
            else:
                ledger.unexpected.append(f"registration {url}: HTTP {status}")


def completer(port: int, seed_value: int, database: Database, ledger: Ledger, stop: threading.Event) -> None:
    clients = {login: Client(port) for login in ("curator", EXEC)}
    for login, client in clients.items():
        client.sign_in(login, PASSWORD)
    rng = random.Random(seed_value)
    while not stop.is_set():
        with database.session() as session:
            candidates = session.execute(select(Task.id, Task.element_id).where(
                Task.status == "open", Task.element_id.in_(list(STEPS)))).all()
        with ledger.lock:
            candidates = [c for c in candidates if c.id not in ledger.in_flight and c.id not in ledger.completed]
            chosen = rng.choice(candidates) if candidates else None
            if chosen is not None:
                ledger.in_flight.add(chosen.id)
        if chosen is None:
            time.sleep(0.05)
            continue
        login, form = STEPS[chosen.element_id]
        try:
            status, _ = clients[login].request("POST", f"/tasks/{chosen.id}", form)
        except NETWORK_ERRORS:
            status = None
        with ledger.lock:
            ledger.in_flight.discard(chosen.id)
            if status == 303:
                ledger.completed[chosen.id] = login
            elif status == 409:  # done by the other thread, or before the crash with the answer lost
                ledger.conflicts += 1
            elif status is None:
                ledger.completions_unknown.append(chosen.id)  # may be retried: then 303 or 409
            else:
                ledger.unexpected.append(f"completion {chosen.element_id} {chosen.id}: HTTP {status}")
        if status is None:
            time.sleep(0.05)


def reported(target, ledger: Ledger):  # type: ignore[no-untyped-def]
    """A thread body whose unexpected failure (e.g. a refused sign-in) fails the test by name."""
    def run(*args) -> None:  # type: ignore[no-untyped-def]
        try:
            target(*args)
        except Exception as error:  # noqa: BLE001 - reported, then asserted on
            with ledger.lock:
                ledger.unexpected.append(f"{target.__name__}: {type(error).__name__}: {error}")
    return run


def wait_for_timers(database: Database) -> datetime:
    """Wait until no case has an armed timer left that could fall due in the test; returns then."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while True:
        now = datetime.now(UTC)
        with database.session() as session:
            armed = session.scalar(select(func.count()).select_from(Instance).where(
                Instance.status == "running", Instance.next_timer_at.is_not(None),
                Instance.next_timer_at < now + timedelta(minutes=10)))
        if armed == 0:
            return now
        assert time.monotonic() < deadline, f"{armed} case(s) still have armed timers {SETTLE_LIMIT} s after the load"
        time.sleep(0.2)


def due(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def check_requests(database: Database, ledger: Ledger) -> list[str]:
    problems = []
    with database.session() as session:
        urls = Counter(session.scalars(select(Message.url)))
        instances = Counter(session.scalars(select(Instance.message_id)))
        message_ids = set(session.scalars(select(Message.id)))
        started = Counter(session.scalars(select(AuditEvent.instance_id).where(AuditEvent.kind == "started")))
        instance_ids = set(session.scalars(select(Instance.id)))
        rows = {t.id: t for t in session.scalars(select(Task))}
        audited = Counter(e.details["task_id"] for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "completed")))
        failed = list(session.scalars(select(Instance.id).where(Instance.status == "failed")))
    problems += [f"accepted registration {u} stored {urls[u]} times" for u in ledger.registered if urls[u] != 1]
    problems += [f"message {u} stored {n} times" for u, n in urls.items() if n > 1]
    problems += [f"message {m} has {instances[m]} cases" for m in message_ids if instances[m] != 1]
    problems += [f"case {i} has {started[i]} 'started' audit rows" for i in instance_ids if started[i] != 1]
    for task_id, login in ledger.completed.items():
        row = rows.get(task_id)
        if row is None or row.status != "completed" or row.completed_by != login or audited[task_id] != 1:
            problems.append(f"accepted completion {task_id}: row {row and (row.status, row.completed_by)}, "
                            f"{audited[task_id]} audit rows")
    done = {t for t, row in rows.items() if row.status == "completed"}
    problems += [f"task {t}: {audited[t]} completion audit rows" for t in done | set(audited) if audited[t] != 1]
    problems += [f"case {i} failed" for i in failed]
    return problems


def check_timers(database: Database, settled_at: datetime) -> tuple[list[str], int]:
    """Each deadline fired once exactly when its step (or, for п. 8, the case) was still open."""
    problems = []
    guards = boundary_timers()
    with database.session() as session:
        fired = Counter((e.instance_id, e.element_id) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "timer_fired")))
        fired_due = {(e.instance_id, e.element_id): due(e.details.get("due_at")) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "timer_fired"))}
        violations = Counter((v.instance_id, v.timer_id, v.due_at) for v in session.scalars(select(Violation)))
        tasks = list(session.scalars(select(Task)))
        cases = {i.id: i for i in session.scalars(select(Instance))}
    problems += [f"timer {e} of case {i} fired {n} times" for (i, e), n in fired.items() if n > 1]
    silent = timers_recording_nothing()
    expected_violations = Counter((i, e, fired_due[i, e]) for (i, e) in fired if e not in silent)
    if violations != expected_violations:
        problems.append(f"violations without their timer: {violations - expected_violations}; "
                        f"timers without their violation: {expected_violations - violations}")
    for task in tasks:
        timer = guards.get(task.element_id)
        if timer is None or task.due_at is None:
            continue
        end = task.closed_at or settled_at
        should = end > task.due_at
        if abs(end - task.due_at) < EDGE:
            continue  # done at its due time: on time or late by microseconds, both right
        if fired[task.instance_id, timer] != int(should):
            problems.append(f"{timer} of case {task.instance_id} (due {task.due_at}, task closed {task.closed_at}) "
                            f"fired {fired[task.instance_id, timer]} times, expected {int(should)}")
    # п. 8: armed when the case is routed, 6 s later; cancelled when the answer is published.
    routed = {t.instance_id: t.closed_at for t in tasks if t.element_id == "route_message" and t.closed_at}
    for instance_id, at in routed.items():
        answer_due = at + timedelta(seconds=LONGEST_SECONDS)
        case = cases[instance_id]
        end = case.completed_at or settled_at
        if abs(end - answer_due) < 2 * EDGE:
            continue
        should = int(end > answer_due)
        if fired[instance_id, "answer_deadline"] != should:
            problems.append(f"answer_deadline of case {instance_id} (due ~{answer_due}, ended {case.completed_at}) "
                            f"fired {fired[instance_id, 'answer_deadline']} times, expected {should}")
    return problems, sum(fired.values())


@pytest.fixture(params=BACKENDS)
def crash_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    url = database_url(request, request.param, tmp_path)
    seed(url)
    return url


def test_kill_9_mid_load_loses_nothing_and_duplicates_nothing(crash_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    began = time.monotonic()
    (tmp_path / "instance").mkdir()
    env = environment(crash_url, tmp_path / "instance")
    processes = Processes(env, free_port(), tmp_path)
    database = Database(crash_url)
    ledger, stop = Ledger(), threading.Event()
    threads = [threading.Thread(target=reported(registrar, ledger), args=(processes.port, f"r{n}", ledger, stop))
               for n in (1, 2)]
    threads += [threading.Thread(target=reported(completer, ledger), args=(processes.port, n, database, ledger, stop))
                for n in (1, 2)]
    try:
        processes.start()
        for thread in threads:
            thread.start()
        time.sleep(LOAD_BEFORE_KILL)  # the load runs; this is its length, nothing is timed by it
        with database.session() as session:
            fired_before = session.scalar(select(func.count()).where(AuditEvent.kind == "timer_fired"))
        with ledger.lock:
            accepted_before = (len(ledger.registered), len(ledger.completed))
        processes.kill()
        killed = time.monotonic()
        processes.start()
        downtime = time.monotonic() - killed
        time.sleep(LOAD_AFTER_RESTART)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        settled_at = wait_for_timers(database)
    finally:
        stop.set()
        processes.stop()
    check = subprocess.run([str(VENV_BIN / "otklik"), "db", "check"], env=env, capture_output=True, text=True,
                           timeout=60)
    problems = check_requests(database, ledger)
    timer_problems, fired = check_timers(database, settled_at)
    database.engine.dispose()
    print(f"\ncrash test: {len(ledger.registered)} registrations and {len(ledger.completed)} completions accepted "
          f"({accepted_before[0]} and {accepted_before[1]} before kill -9), "
          f"{len(ledger.registrations_unknown)} + {len(ledger.completions_unknown)} without an answer, "
          f"{ledger.conflicts} conflicts; timers fired {fired} ({fired_before} before the kill); "
          f"restart {downtime:.1f} s; total {time.monotonic() - began:.1f} s; {check.stdout.strip()}")
    assert not ledger.unexpected, ledger.unexpected[:10]
    assert not problems, problems[:20]
    assert not timer_problems, timer_problems[:20]
    assert check.returncode == 0, check.stdout + check.stderr
    assert "all consistent" in check.stdout
    # The load did what it is for: requests accepted on both sides of the crash, deadlines fired.
    assert accepted_before[0] > 0 and len(ledger.registered) > accepted_before[0]
    assert len(ledger.completed) > accepted_before[1] > 0
    assert fired_before > 0 and fired > fired_before
