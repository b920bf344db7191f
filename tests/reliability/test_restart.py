"""A full restart with deadlines overdue: the worker was down while the clock passed several of
them; the first pass after the restart fires each once, in due order, at its own due time.

Orenburg (Asia/Yekaterinburg), Monday 2025-11-10, every case detected at 10:00. Four cases
stand at different steps, each waiting on two deadlines except the first:

=====  ===========================  ==========================================================
case   where it stands              deadlines (local time)
=====  ===========================  ==========================================================
A      not routed                   п. 6 routing 10:30
B      routed 10:10 with a co-agency п. 14 part 12:10; п. 8 answer Tue 11:00
C      routed (5 h) and accepted    п. 9 draft 11:00; п. 8 answer 16:00
D      drafted 10:20                п. 10 approval 10:50; п. 8 answer Tue 11:00
=====  ===========================  ==========================================================

The virtual clock then jumps to Wednesday noon with no worker running; the processes are
"restarted" (a new Database: nothing is carried over in memory) and one worker pass runs. SQLite
and, with OTKLIK_TEST_DATABASE_URL, PostgreSQL. A second variant runs that pass as a fresh
``otklik worker --once`` process on the real clock (later than every deadline here).
"""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta

from sqlalchemy import select

from engine.cli.db import check_consistency
from engine.db.database import Database
from engine.models import AuditEvent, Instance, Violation
from engine.runtime.timers import fire_due_timers
from tests.reliability.live import VENV_BIN
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE

# case → [(timer element, clause, deadline key, local due time)], in due order
EXPECTED = {
    "A": [("routing_deadline", "6", "routing", "2025-11-10T10:30")],
    "B": [("part_deadline", "14", "part", "2025-11-10T12:10"),  # п. 7 breaks only at a late return
          ("answer_deadline", "8", "answer", "2025-11-11T11:00")],
    "C": [("draft_deadline", "9", "draft", "2025-11-10T11:00"),
          ("answer_deadline", "8", "answer", "2025-11-10T16:00")],
    "D": [("approval_deadline", "10", "approval", "2025-11-10T10:50"),
          ("answer_deadline", "8", "answer", "2025-11-11T11:00")],
}


def set_up_cases(orenburg) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Four cases on the virtual clock, every step before any deadline; returns instance ids."""
    ids = {}
    for name in "ABCD":
        orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00", text=f"Случай {name}")
        ids[name] = orenburg.instance_id
    orenburg.clock.set(orenburg.local("2025-11-10T10:10"))
    for name, hours in (("B", 9), ("C", 5), ("D", 9)):
        orenburg.instance_id = ids[name]
        orenburg.complete("route_message", "curator", {**ROUTE, "answer_hours": hours,
                                                       "co_agencies": ["orb_health"] if name == "B" else []})
    orenburg.clock.set(orenburg.local("2025-11-10T10:15"))
    for name in "CD":
        orenburg.instance_id = ids[name]
        orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.clock.set(orenburg.local("2025-11-10T10:20"))
    orenburg.instance_id = ids["D"]
    orenburg.complete("draft_answer", EXEC, DRAFT)
    with orenburg.db.session() as session:
        assert not session.scalars(select(AuditEvent).where(AuditEvent.kind == "timer_fired")).all()
    return ids


def fired_and_violations(db: Database, instance_id: int):  # type: ignore[no-untyped-def]
    with db.session() as session:
        fired = [(e.element_id, datetime.fromisoformat(e.details["due_at"]), e.at) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "timer_fired", AuditEvent.instance_id == instance_id)
            .order_by(AuditEvent.id))]
        violations = [(v.timer_id, v.clause, v.deadline, v.due_at, v.recorded_at) for v in session.scalars(
            select(Violation).where(Violation.instance_id == instance_id).order_by(Violation.id))]
    return fired, violations


def assert_each_fired_once_in_order(orenburg, db: Database, ids: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    for name, expected in EXPECTED.items():
        fired, violations = fired_and_violations(db, ids[name])
        want = [(timer, orenburg.local(at)) for timer, _, _, at in expected]
        assert [(timer, due) for timer, due, _ in fired] == want, name  # once each, in due order
        assert [(t, c, d, due) for t, c, d, due, _ in violations] == [
            (timer, clause, key, orenburg.local(at)) for timer, clause, key, at in expected], name
        # Recorded as of its due time, not of the catch-up days later.
        for _, _, _, due, recorded in violations:
            assert timedelta(0) <= recorded - due < timedelta(seconds=1), (name, due, recorded)


def test_overdue_deadlines_fire_once_each_in_due_order_after_a_restart(db, orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = set_up_cases(orenburg)
    # The worker is down; Tuesday and Wednesday pass.
    orenburg.clock.set(orenburg.local("2025-11-12T12:00"))
    url = db.engine.url.render_as_string(hide_password=False)
    db.engine.dispose()
    restarted = Database(url)
    fire_due_timers(restarted)
    assert_each_fired_once_in_order(orenburg, restarted, ids)

    # Nothing fires twice: another pass now, and another a week later.
    fire_due_timers(restarted)
    orenburg.clock.set(orenburg.local("2025-11-19T12:00"))
    fire_due_timers(restarted)
    assert_each_fired_once_in_order(orenburg, restarted, ids)
    with restarted.session() as session:
        assert session.scalars(select(Instance.next_timer_at).where(Instance.id.in_(ids.values()))).all() == [None] * 4
    assert check_consistency(restarted).consistent

    # The cases go on after the restart: D is approved and published, and ends.
    orenburg.db, orenburg.instance_id = restarted, ids["D"]
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", EXEC, PUBLISH)
    assert orenburg.instance().status == "completed"
    assert check_consistency(restarted).consistent
    restarted.engine.dispose()


def test_a_fresh_worker_process_fires_the_overdue_deadlines_once_in_order(db, orenburg) -> None:  # type: ignore[no-untyped-def]
    ids = set_up_cases(orenburg)
    url = db.engine.url.render_as_string(hide_password=False)
    db.engine.dispose()
    env = {**os.environ, "OTKLIK_DATABASE_URL": url}
    for _ in range(2):  # a second process finds nothing left to fire (checked below: once each)
        done = subprocess.run([str(VENV_BIN / "otklik"), "worker", "--once"], env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    # The real clock of the process, not the test's, chose the moment; the due times are the diagram's.
    assert_each_fired_once_in_order(orenburg, db, ids)
    assert check_consistency(db).consistent

