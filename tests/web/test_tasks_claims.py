"""Claiming and unclaiming tasks, and substitutes through the Flask test client (Orenburg, virtual clock).

The case starts Monday 2025-11-10: posted 09:40, detected 10:00 Asia/Yekaterinburg; routing is due 10:30.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import AuditEvent, User
from tests.web import tasks_support
from tests.web.tasks_support import EXEC, EXEC2, client_as, local, routed, task_of, text_of

password_hash = tasks_support.password_hash  # fixtures shared by the test_tasks_* modules
tasks_app = tasks_support.tasks_app



# ---------------------------------------------------------------- claim / unclaim

def test_claimed_task_can_only_be_completed_by_the_claimant_until_unclaimed(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    task = task_of(tasks_app, "accept_message")
    a, b = client_as(tasks_app, EXEC), client_as(tasks_app, EXEC2)

    response = a.post(f"/tasks/{task.id}/claim", data={"back": "task"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/tasks/{task.id}")
    assert task_of(tasks_app, "accept_message").claimed_by == EXEC
    assert "у вас в работе" in text_of(a.get("/inbox"))

    inbox = text_of(b.get("/inbox"))
    assert "Пётр Дорожный" in inbox and "Взять в работу" not in inbox
    page = b.get(f"/tasks/{task.id}")  # B may see it ...
    assert page.status_code == 200 and "Задачу взял(а) в работу Пётр Дорожный" in text_of(page)
    assert re.search(r'<fieldset class="plain" disabled>', text_of(page))
    refused = b.post(f"/tasks/{task.id}", data={})  # ... but not complete it (the claim is checked first)
    assert refused.status_code == 409
    assert "Задача в работе у другого сотрудника" in text_of(refused) and "Пётр Дорожный" in text_of(refused)
    assert b.post(f"/tasks/{task.id}/unclaim").status_code == 403  # nor unclaim it
    claimed_again = b.post(f"/tasks/{task.id}/claim", follow_redirects=True)
    assert "уже взял(а) в работу Пётр Дорожный" in text_of(claimed_again)

    assert a.post(f"/tasks/{task.id}/unclaim").status_code == 303
    assert task_of(tasks_app, "accept_message").claimed_by is None
    assert b.post(f"/tasks/{task.id}", data={"competent": "true"}).status_code == 303
    assert task_of(tasks_app, "draft_answer")
    with tasks_app.extensions["otklik_db"].session() as session:
        kinds = list(session.scalars(select(AuditEvent.kind).where(AuditEvent.kind.in_(["claimed", "unclaimed"]))
                                     .order_by(AuditEvent.id)))
    assert kinds == ["claimed", "unclaimed"]


def test_claimant_completes_own_claimed_task(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    task = task_of(tasks_app, "accept_message")
    client = client_as(tasks_app, EXEC)
    client.post(f"/tasks/{task.id}/claim")
    assert client.post(f"/tasks/{task.id}", data={"competent": "true"}).status_code == 303


def test_a_curator_can_unclaim_an_executors_task(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    task = task_of(tasks_app, "accept_message")
    client_as(tasks_app, EXEC).post(f"/tasks/{task.id}/claim")
    response = client_as(tasks_app, "curator").post(f"/tasks/{task.id}/unclaim")
    assert response.status_code == 303
    assert task_of(tasks_app, "accept_message").claimed_by is None
    with tasks_app.extensions["otklik_db"].session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "unclaimed")).one()
    assert (event.actor, event.details["claimed_by"]) == ("curator", EXEC)


def test_a_substitute_sees_and_completes_the_absent_colleagues_tasks(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import substitute

    with tasks_app.extensions["otklik_db"].session() as session:
        users = {u.login: u for u in session.scalars(select(User))}
        substitute(session, users[EXEC], users["exec_orb_health"], local("2025-11-10T00:00"), local("2025-11-20T00:00"))
    routed(tasks_app)
    client = client_as(tasks_app, "exec_orb_health")
    assert "Принять сообщение или вернуть куратору" in text_of(client.get("/inbox"))
    task = task_of(tasks_app, "accept_message")
    assert client.post(f"/tasks/{task.id}", data={"competent": "true"}).status_code == 303
