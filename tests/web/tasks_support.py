"""Shared set-up for the task-page tests: an Orenburg app on a virtual clock, cases, signed-in clients."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.models import Organisation, Task, User
from engine.runtime import cases as runtime
from tests.factories import deploy_files, official, orenburg_people

PASSWORD = "parol-dlya-testov"
TZ = ZoneInfo("Asia/Yekaterinburg")
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": "9", "agency": "orb_roads"}
EXEC, EXEC2 = "exec_orb_roads", "exec2_orb_roads"
SCRIPT = "<script>alert(1)</script>"


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture(scope="module")
def password_hash() -> str:
    return generate_password_hash(PASSWORD)  # once: hashing is deliberately slow


@pytest.fixture
def tasks_app(tmp_path, virtual_clock, monkeypatch, password_hash) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_SECRET_KEY", "tasks-test-secret")  # no key file written into the repo
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "up"), "RATELIMIT_ENABLED": False})
    database = app.extensions["otklik_db"]
    with database.session() as session:
        orenburg_people(session)
        roads = session.scalar(select(Organisation).where(Organisation.key == "orb_roads"))
        official(session, EXEC2, roads, "executor")
        for user in session.scalars(select(User)):
            user.password_hash = password_hash
            user.full_name = {"curator": "Анна Куратова", EXEC: "Пётр Дорожный", EXEC2: "Ольга Дорожная"}.get(
                user.login, user.login)
        deploy_files(session, "bpmn/orenburg.bpmn")
    virtual_clock.set(local("2025-11-10T10:00"))
    yield app
    database.engine.dispose()


def start_case(app: Flask, *, text: str = "Яма на дороге у школы №5", author: str = "Иван Петров",
               url: str = "https://vk.com/wall-1_1") -> int:
    with app.extensions["otklik_db"].session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url=url, author=author, text=text,
            posted_at=local("2025-11-10T09:40"), detected_at=local("2025-11-10T10:00")), "curator")
        return instance.id


def task_of(app: Flask, element_id: str, organisation: str | None = None) -> Task:
    with app.extensions["otklik_db"].session() as session:
        query = select(Task).where(Task.element_id == element_id, Task.status == "open")
        if organisation:
            query = query.where(Task.organisation_key == organisation)
        found = list(session.scalars(query))
        assert found, f"no open task {element_id}"
        return found[0]


def complete(app: Flask, element_id: str, login: str, data: dict[str, Any], organisation: str | None = None) -> None:
    task_id = task_of(app, element_id, organisation).id
    with app.extensions["otklik_db"].session() as session:
        runtime.complete_task(session, task_id, login, data)


def client_as(app: Flask, login: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"login": login, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def routed(app: Flask, **route: Any) -> None:
    start_case(app)
    complete(app, "route_message", "curator", {**ROUTE, "answer_hours": 9, "co_agencies": [], **route})
