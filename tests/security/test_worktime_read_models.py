"""Pages that count working time stay fast and answer 200 whatever the due time (issue 11, finding 2).

A timer armed before due instants were bounded (engine.bpmn.timer_bounds) may still say 9999-12-30:
the inbox, the task page, the message card and the case diagram used to walk ~2.9 million days
for it (tens of seconds per page). Now a due time more than ten years away is shown with "—"
for the working time left, and the rest of the page is as usual.
"""
from __future__ import annotations

import time
from datetime import timedelta

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.models import Instance, Task
from engine.runtime import store
from engine.views import task as taskview
from engine.views.message_card import message_card
from tests.scenario.driver import Case

FAR = "9999-12-30T00:00:00+05:00"


def arm_far_timer(db, virtual_clock) -> Case:  # type: ignore[no-untyped-def]
    """An Orenburg case whose routing deadline (п. 6) was armed for the year 9999."""
    case = Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with db.session() as session:
        instance = session.get(Instance, case.instance_id)
        workflow = store.load(session, instance, for_update=True)
        [timer] = [t for t in workflow.get_tasks(state=TaskState.WAITING)
                   if t.task_spec.name == "routing_deadline"]
        timer._set_internal_data(event_value=FAR)
        store.save(session, instance, workflow, "legacy")
    return case


def test_engine_read_models_show_no_figure_for_a_due_time_centuries_away(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = arm_far_timer(db, virtual_clock)
    started = time.perf_counter()
    with db.session() as session:
        [row] = taskview.inbox_page(session, "curator").rows
        task = session.scalars(select(Task).where(Task.instance_id == case.instance_id)).one()
        single = taskview.countdown(task, virtual_clock.current)
        card = message_card(session, task.message_id, "curator")
    seconds = time.perf_counter() - started
    assert row.countdown is not None and row.countdown.due_at.year == 9999
    assert row.countdown.remaining is None and not row.countdown.overdue and not row.countdown.soon
    assert single is not None and single.remaining is None
    [deadline] = [d for d in card.deadlines if d.due_at.year == 9999]
    assert deadline.working_time_left is None
    assert seconds < 2, f"{seconds:.1f} s"


def test_inbox_mixes_countable_and_far_due_times(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    # Two cases: the far one gets "—", the near one its figure (30 working minutes from 10:00).
    arm_far_timer(db, virtual_clock)
    virtual_clock.set(virtual_clock.current - timedelta(minutes=1))
    near = Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    near.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with db.session() as session:
        rows = taskview.inbox_page(session, "curator").rows
    remaining = sorted((r.countdown.remaining for r in rows), key=lambda r: r is None)
    assert remaining == [timedelta(minutes=30), None]


def test_pages_answer_200_with_a_dash_and_fast(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = arm_far_timer(app.extensions["otklik_db"], virtual_clock)
    with app.extensions["otklik_db"].session() as session:
        task = session.scalars(select(Task).where(Task.instance_id == case.instance_id)).one()
        message_id, task_id = task.message_id, task.id
    client = client_for("curator")
    for path in ("/inbox", f"/tasks/{task_id}", f"/messages/{message_id}", f"/messages/{message_id}/diagram"):
        started = time.perf_counter()
        response = client.get(path)
        seconds = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code)
        assert seconds < 2, f"{path}: {seconds:.1f} s"
        if path != f"/messages/{message_id}/diagram":
            assert "—" in response.get_data(as_text=True) and "30.12.9999" in response.get_data(as_text=True), path
