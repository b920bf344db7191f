"""Kalmanka's task pages say which deadline governs each step (issue 16 item 4): the publish step has
no timer of its own and shows the whole answer's deadline (п. 6) instead of «без срока»; the
reception's registration has none at all and says so, as its help text does. Virtual clock in the
district's time (UTC+7): detected Monday 10.11.2025 10:00."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from engine.models import Task, User
from engine.runtime import cases as runtime
from tests.factories import deploy_files, official, organisation
from tests.web import tasks_support
from tests.web.tasks_support import client_as, text_of

password_hash = tasks_support.password_hash
BARNAUL = ZoneInfo("Asia/Barnaul")
OFFICIAL, CLERK, EXEC = "kal_official", "kal_clerk", "exec_kal_roads"


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BARNAUL)


@pytest.fixture
def kalmanka_app(tmp_path, virtual_clock, monkeypatch, password_hash) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_SECRET_KEY", "kalmanka-test-secret")
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/k.sqlite", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "up"), "RATELIMIT_ENABLED": False})
    with app.extensions["otklik_db"].session() as session:
        admin = organisation(session, "kal_admin", "municipality", "kalmanka", "Администрация Калманского района")
        official(session, OFFICIAL, admin, "curator")
        reception = organisation(session, "kal_reception", "reception", "kalmanka", "Приёмная администрации района")
        official(session, CLERK, reception, "reception")
        roads = organisation(session, "kal_roads", "department", "kalmanka", "Отдел дорожного хозяйства")
        official(session, EXEC, roads, "executor")
        for user in session.scalars(select(User)):
            user.password_hash = password_hash
        deploy_files(session, "bpmn/kalmanka.bpmn")
    virtual_clock.set(local("2025-11-10T10:00"))
    yield app
    app.extensions["otklik_db"].engine.dispose()


def _complete(app: Flask, element: str, login: str, data: dict[str, object]) -> None:
    with app.extensions["otklik_db"].session() as session:
        task = session.scalar(select(Task).where(Task.element_id == element, Task.status == "open"))
        runtime.complete_task(session, task.id, login, data)


def _page(app: Flask, login: str, element: str) -> str:
    with app.extensions["otklik_db"].session() as session:
        task_id = session.scalar(select(Task.id).where(Task.element_id == element, Task.status == "open"))
    html = text_of(client_as(app, login).get(f"/tasks/{task_id}"))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _registered(app: Flask, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        runtime.start_procedure(session, runtime.MessageInput(
            region="kalmanka", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге", posted_at=local("2025-11-10T09:30"), detected_at=local("2025-11-10T10:00")),
            OFFICIAL)
    virtual_clock.set(local("2025-11-10T10:20"))
    _complete(app, "send_to_reception", OFFICIAL, {"category": "ordinary"})


def test_reception_says_the_step_has_no_deadline_and_why(kalmanka_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _registered(kalmanka_app, virtual_clock)
    page = _page(kalmanka_app, CLERK, "register_at_reception")
    assert "Срок этого шага без срока: схема процедуры не задаёт срок этого шага" in page
    assert "Срок самой регистрации акт не устанавливает; с момента регистрации ответ должен быть" in page


def test_publish_step_shows_the_answer_deadline_that_governs_it(kalmanka_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _registered(kalmanka_app, virtual_clock)
    virtual_clock.set(local("2025-11-10T10:40"))
    _complete(kalmanka_app, "register_at_reception", CLERK, {"registration_number": "КР-1", "agency": "kal_roads"})
    _complete(kalmanka_app, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Яму засыплют."})
    virtual_clock.set(local("2025-11-10T15:00"))
    page = _page(kalmanka_app, OFFICIAL, "review_answer")
    assert "Срок этого шага своего срока у шага нет — действует срок ответа" in page
    assert ("Срок ответа не позднее следующего рабочего дня после регистрации (в приёмной или подразделении), "
            "п. 6 — 11.11.2025 18:00 · осталось 11 ч рабочего времени") in page
    assert "без срока" not in page


def test_a_parameter_default_is_not_shown_as_done(kalmanka_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    """The procedure's parameter default (var.answer_kind = 'answer') is in the case from the start,
    but nobody has answered: «Что уже сделано» waits for a step to set it; the approver then sees it."""
    with kalmanka_app.extensions["otklik_db"].session() as session:
        runtime.start_procedure(session, runtime.MessageInput(
            region="kalmanka", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге", posted_at=local("2025-11-10T09:30"), detected_at=local("2025-11-10T10:00")),
            OFFICIAL)
    page = _page(kalmanka_app, OFFICIAL, "send_to_reception")
    assert "Что уже сделано" not in page and "Ответ по существу" not in page.split("Категория сообщения")[0]
    _complete(kalmanka_app, "send_to_reception", OFFICIAL, {"category": "ordinary"})
    _complete(kalmanka_app, "register_at_reception", CLERK, {"registration_number": "КР-1", "agency": "kal_roads"})
    _complete(kalmanka_app, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Яму засыплют."})
    page = _page(kalmanka_app, OFFICIAL, "review_answer")
    assert "Вид ответа Ответ по существу" in page and "Яму засыплют." in page
