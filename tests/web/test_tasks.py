"""Inbox, claim/unclaim and Camunda-Form task pages through the Flask test client (Orenburg, virtual clock).

The case starts Monday 2025-11-10: posted 09:40, detected 10:00 Asia/Yekaterinburg; routing is due 10:30.
"""
from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine import runtime
from engine.forms import parse_form
from engine.models import AuditEvent, Organisation, Task, User
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


# ---------------------------------------------------------------- inbox

def test_home_redirects_to_inbox(tasks_app) -> None:  # type: ignore[no-untyped-def]
    response = client_as(tasks_app, "curator").get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")


def test_curator_inbox_shows_routing_task_with_working_time_countdown(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app)
    virtual_clock.set(local("2025-11-10T10:05"))
    page = text_of(client_as(tasks_app, "curator").get("/inbox"))
    assert "Определить тему, локацию, важность и направить" in page
    assert "10.11.2025 10:30" in page  # due time in the region's zone
    assert "осталось 25 мин рабочего времени" in page
    assert "Иван Петров" in page and "ВКонтакте" in page and "Яма на дороге у школы №5" in page
    assert "Оренбургская область" in page
    assert 'class="task-row overdue"' not in page
    assert "Взять в работу" in page


def test_countdown_counts_working_time_across_lunch_and_marks_overdue(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    complete(tasks_app, "accept_message", EXEC, {"competent": True})
    virtual_clock.set(local("2025-11-10T12:30"))  # draft due 16:00: 12:30–13:00 and 14:00–16:00
    client = client_as(tasks_app, EXEC)
    assert "осталось 2 ч 30 мин рабочего времени" in text_of(client.get("/inbox"))
    virtual_clock.set(local("2025-11-10T16:40"))
    page = text_of(client.get("/inbox"))
    assert 'class="task-row overdue"' in page
    assert "просрочено на 40 мин рабочего времени" in page


def test_long_excerpt_is_cut_on_the_inbox(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app, text="Очень длинное сообщение " * 20 + "КОНЕЦ")
    page = text_of(client_as(tasks_app, "curator").get("/inbox"))
    assert "КОНЕЦ" not in page and "…" in page


def test_empty_inbox_says_so(tasks_app) -> None:  # type: ignore[no-untyped-def]
    page = text_of(client_as(tasks_app, "supervisor").get("/inbox"))
    assert "Открытых задач нет" in page


def test_inbox_needs_sign_in(tasks_app) -> None:  # type: ignore[no-untyped-def]
    assert tasks_app.test_client().get("/inbox").status_code == 302


# ---------------------------------------------------------------- task page

def test_task_page_shows_the_message_beside_the_server_rendered_form(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app, text="Первая строка\nвторая строка")
    task = task_of(tasks_app, "route_message")
    response = client_as(tasks_app, "curator").get(f"/tasks/{task.id}")
    page = text_of(response)
    assert response.status_code == 200
    assert '<a href="https://vk.com/wall-1_1" target="_blank" rel="noopener noreferrer">' in page
    assert "10.11.2025 09:40" in page and "10.11.2025 10:00" in page  # posted / detected, local time
    assert '<p class="message-text">Первая строка\nвторая строка</p>' in page
    assert "осталось 30 мин рабочего времени" in page
    # The text component, radio with its default, select with options, agencies by name.
    assert "п. 6: укажите тему" in page
    assert re.search(r'type="radio" name="category" value="ordinary"\s+checked', page)
    assert '<option value="roads_transport">Дороги и транспорт</option>' in page
    assert '<option value="orb_roads">orb_roads</option>' in page  # factories name agencies by key
    assert 'name="answer_hours" type="number" value="9"' in page
    # Hidden by condition (category != "repeat") from the case data, shown by form.js when it changes.
    assert re.search(r'data-component="field_repeat_of"\s+data-hide-if="=category != &#34;repeat&#34;" hidden', page)
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    assert "js/form.js" in page


def test_agency_options_are_labelled_with_organisation_names(tasks_app) -> None:  # type: ignore[no-untyped-def]
    with tasks_app.extensions["otklik_db"].session() as session:
        session.scalar(select(Organisation).where(Organisation.key == "orb_roads")).name = "Министерство дорог"
    start_case(tasks_app)
    page = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'route_message').id}"))
    assert '<option value="orb_roads">Министерство дорог</option>' in page


def test_completing_the_routing_form_advances_the_case(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app)
    task = task_of(tasks_app, "route_message")
    client = client_as(tasks_app, "curator")
    response = client.post(f"/tasks/{task.id}", data=ROUTE)
    assert response.status_code == 303 and response.headers["Location"].endswith("/inbox")
    assert "Задача выполнена" in text_of(client.get("/inbox"))
    inbox = text_of(client_as(tasks_app, EXEC).get("/inbox"))
    assert "Принять сообщение или вернуть куратору" in inbox
    page = text_of(client_as(tasks_app, EXEC).get(f"/tasks/{task_of(tasks_app, 'accept_message').id}"))
    # The routing the curator chose is shown beside the executor's form, with labels.
    assert "Дороги и транспорт" in page and "Оренбург, ул. Советская" in page
    assert "Орган власти (исполнитель)" in page and "Категория сообщения" in page and "Обычное" in page


def test_routing_to_several_agencies_through_post_gives_each_its_part(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app)
    task = task_of(tasks_app, "route_message")
    response = client_as(tasks_app, "curator").post(f"/tasks/{task.id}", data={**ROUTE, "co_agencies": ["orb_health"]})
    assert response.status_code == 303
    part = text_of(client_as(tasks_app, "exec_orb_health").get("/inbox"))
    assert "Подготовить информацию для общего ответа" in part


def test_validation_errors_come_back_beside_fields_with_everything_typed(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app)
    task = task_of(tasks_app, "route_message")
    data = {**ROUTE, "location": "", "answer_hours": "3", "co_agencies": ["orb_health"]}
    response = client_as(tasks_app, "curator").post(f"/tasks/{task.id}", data=data)
    page = text_of(response)
    assert response.status_code == 422
    assert 'class="form-field form-textfield has-error"' in page
    assert '<p class="field-error" id="field-field_location-error">Обязательное поле</p>' in page
    assert 'aria-describedby="field-field_location-description field-field_location-error"' in page
    assert '<p class="field-error" id="field-field_answer_hours-error">Не меньше 5</p>' in page
    # Typed values are kept; the first field with an error has the focus.
    assert 'name="answer_hours" type="number" value="3"' in page
    assert '<option value="roads_transport" selected>' in page
    assert '<option value="orb_roads" selected>' in page
    assert re.search(r'name="co_agencies" value="orb_health"\s+checked', page)
    location_input = re.search(r'<input id="field-field_location"[^>]*>', page).group(0)
    assert "autofocus" in location_input and 'aria-invalid="true"' in location_input
    assert page.count("autofocus") == 1
    assert task_of(tasks_app, "route_message").id == task.id  # nothing happened


def test_a_field_hidden_by_its_condition_appears_when_the_submission_needs_it(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    task = task_of(tasks_app, "accept_message")
    client = client_as(tasks_app, EXEC)
    page = text_of(client.get(f"/tasks/{task.id}"))
    assert re.search(r'data-component="field_return_reason"\s+data-hide-if="[^"]*" hidden', page)
    # Unticked "competent" without JavaScript: the reason is required, so the form comes back showing it.
    response = client.post(f"/tasks/{task.id}", data={})
    page = text_of(response)
    assert response.status_code == 422
    assert re.search(r'data-component="field_return_reason"\s+data-hide-if="[^"]*">', page)
    assert 'id="field-field_return_reason-error">Обязательное поле' in page
    response = client.post(f"/tasks/{task.id}", data={"return_reason": "Дорога муниципальная"})
    assert response.status_code == 303
    assert task_of(tasks_app, "reroute_message")


def test_executor_of_another_agency_is_refused_on_the_task_page_and_on_post(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    task = task_of(tasks_app, "accept_message")
    client = client_as(tasks_app, "exec_orb_health")
    assert client.get(f"/tasks/{task.id}").status_code == 403
    response = client.post(f"/tasks/{task.id}", data={"competent": "true"})
    assert response.status_code == 403 and "Нет доступа" in text_of(response)
    assert client.post(f"/tasks/{task.id}/claim").status_code == 403
    assert "Принять сообщение" not in text_of(client.get("/inbox"))
    assert task_of(tasks_app, "accept_message").id == task.id


def test_unknown_task_is_404(tasks_app) -> None:  # type: ignore[no-untyped-def]
    assert client_as(tasks_app, "curator").get("/tasks/no-such-task").status_code == 404


def test_second_completion_gets_the_409_page(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app)
    task = task_of(tasks_app, "route_message")
    client = client_as(tasks_app, "curator")
    assert client.post(f"/tasks/{task.id}", data=ROUTE).status_code == 303
    again = client.post(f"/tasks/{task.id}", data=ROUTE)
    assert again.status_code == 409 and "Задача уже выполнена" in text_of(again)
    assert client.get(f"/tasks/{task.id}").status_code == 409


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


# ---------------------------------------------------------------- case data on later steps

def test_approval_page_shows_the_draft_and_the_joint_answer_step_shows_the_parts(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app, co_agencies=["orb_health"])
    complete(tasks_app, "prepare_part", "exec_orb_health", {"part_text": "Поликлиника работает до 20:00"}, "orb_health")
    compose = text_of(client_as(tasks_app, EXEC).get(f"/tasks/{task_of(tasks_app, 'compose_joint_answer').id}"))
    assert "Информация органов для общего ответа" in compose and "Поликлиника работает до 20:00" in compose
    complete(tasks_app, "compose_joint_answer", EXEC, {"answer_kind": "answer", "answer_text": "Общий ответ"})
    approve = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'approve_answer').id}"))
    assert "Текст ответа" in approve and "Общий ответ" in approve and "Ответ по существу" in approve
    # The comment box is hidden until "rework" is chosen.
    assert re.search(r'data-component="field_comment"\s+data-hide-if="[^"]*" hidden', approve)


def test_rework_form_starts_with_the_draft_being_reworked(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    complete(tasks_app, "accept_message", EXEC, {"competent": True})
    complete(tasks_app, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Черновик 1"})
    complete(tasks_app, "approve_answer", "curator", {"decision": "rework", "comment": "Добавьте сроки"})
    page = text_of(client_as(tasks_app, EXEC).get(f"/tasks/{task_of(tasks_app, 'rework_answer').id}"))
    assert ">Черновик 1</textarea>" in page
    assert "Добавьте сроки" in page  # the curator's remarks, beside the form


# ---------------------------------------------------------------- escaping

def test_script_in_message_text_and_author_is_escaped_on_inbox_and_task_page(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app, text=f"Помогите {SCRIPT}", author=f"Хакер {SCRIPT}")
    client = client_as(tasks_app, "curator")
    for path in ("/inbox", f"/tasks/{task_of(tasks_app, 'route_message').id}"):
        page = text_of(client.get(path))
        assert SCRIPT not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_a_message_url_that_is_not_http_is_not_a_link(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app, url="javascript:alert(1)")
    page = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'route_message').id}"))
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page


def test_page_is_served_without_inline_script(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app)
    page = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'route_message').id}"))
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []


# ---------------------------------------------------------------- uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def draft_task(app: Flask) -> Task:
    routed(app)
    complete(app, "accept_message", EXEC, {"competent": True})
    return task_of(app, "draft_answer")


def case_value(app: Flask, name: str) -> Any:
    from engine import store
    from engine.models import Instance
    from engine.spiff.script_engine import case_variables

    with app.extensions["otklik_db"].session() as session:
        instance = session.scalars(select(Instance)).one()
        return case_variables(store.load(session, instance)).get(name)


def test_uploaded_files_become_the_filepicker_value_and_are_kept_on_rework(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Attachment

    task = draft_task(tasks_app)
    client = client_as(tasks_app, EXEC)
    response = client.post(f"/tasks/{task.id}", content_type="multipart/form-data", data={
        "answer_kind": "answer", "answer_text": "С фото", "attachments": [(io.BytesIO(PNG), "yama.png", "image/png")]})
    assert response.status_code == 303, text_of(response)
    with tasks_app.extensions["otklik_db"].session() as session:
        saved = session.scalars(select(Attachment)).one()
        assert (saved.filename, saved.task_id, saved.organisation_key) == ("yama.png", task.id, "orb_roads")
    assert case_value(tasks_app, "attachments") == [str(saved.id)]
    approve = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'approve_answer').id}"))
    assert f'<a href="/attachments/{saved.id}">yama.png</a>' in approve

    complete(tasks_app, "approve_answer", "curator", {"decision": "rework", "comment": "Короче"})
    rework = task_of(tasks_app, "rework_answer")
    page = text_of(client.get(f"/tasks/{rework.id}"))
    assert f'name="attachments" value="{saved.id}" checked> Оставить файл «yama.png»' in page
    # The kept file stays; an id the case never held (another message's file, say) is dropped.
    response = client.post(f"/tasks/{rework.id}", data={"answer_kind": "answer", "answer_text": "Короче",
                                                        "attachments": [str(saved.id), "999"]})
    assert response.status_code == 303
    assert case_value(tasks_app, "attachments") == [str(saved.id)]


def test_a_rejected_upload_is_reported_beside_the_field_and_nothing_is_stored(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Attachment

    task = draft_task(tasks_app)
    response = client_as(tasks_app, EXEC).post(f"/tasks/{task.id}", content_type="multipart/form-data", data={
        "answer_kind": "answer", "answer_text": "Текст сохранится",
        "attachments": [(io.BytesIO(PNG), "ok.png", "image/png"), (io.BytesIO(b"MZ..."), "virus.exe", "image/png")]})
    page = text_of(response)
    assert response.status_code == 422
    assert 'id="field-field_attachments-error">Файл «virus.exe» не является фото или видео' in page
    assert ">Текст сохранится</textarea>" in page and "выберите их ещё раз" in page
    with tasks_app.extensions["otklik_db"].session() as session:
        assert session.scalars(select(Attachment)).all() == []
    assert list(Path(tasks_app.config["UPLOAD_DIR"]).glob("*")) == []  # the first, valid file is removed too
    assert task_of(tasks_app, "draft_answer").id == task.id


def test_a_form_with_errors_stores_no_upload(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Attachment

    task = draft_task(tasks_app)
    response = client_as(tasks_app, EXEC).post(f"/tasks/{task.id}", content_type="multipart/form-data", data={
        "answer_kind": "answer", "answer_text": "", "attachments": [(io.BytesIO(PNG), "ok.png", "image/png")]})
    assert response.status_code == 422
    with tasks_app.extensions["otklik_db"].session() as session:
        assert session.scalars(select(Attachment)).all() == []


# ---------------------------------------------------------------- the renderer on every component type

FORM = {
    "id": "everything", "type": "default", "components": [
        {"id": "intro", "type": "text", "text": "Первый абзац <b>жирный</b>\n\nВторой абзац"},
        {"id": "box", "type": "group", "label": "Группа", "components": [
            {"id": "f_when", "type": "datetime", "key": "when", "subtype": "datetime", "dateLabel": "Когда"},
            {"id": "f_day", "type": "datetime", "key": "day", "subtype": "date", "label": "День"},
            {"id": "f_items", "type": "checklist", "key": "items", "label": "Пункты",
             "values": [{"label": "Один", "value": "one"}, {"label": "Два", "value": "two"}]},
        ]},
        {"id": "f_count", "type": "number", "key": "count", "label": "Сколько", "decimalDigits": 0,
         "validate": {"min": 1, "max": 3, "required": True}},
        {"id": "f_flag", "type": "checkbox", "key": "flag", "label": "Флажок"},
        {"id": "f_files", "type": "filepicker", "key": "files", "label": "Файлы", "accept": ".pdf", "multiple": True},
        {"id": "f_note", "type": "textarea", "key": "note", "label": "Заметка", "readonly": True},
        {"id": "hidden_text", "type": "text", "text": "Только без флажка", "conditional": {"hide": "=flag"}},
    ]}


def test_renderer_draws_every_supported_component(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.taskview import Option, hidden_components
    from web import form_render

    form = parse_form(json.dumps(FORM))
    values = {"when": "2025-11-10T14:30:00", "day": "2025-11-10", "items": ["two"], "count": 2, "flag": True,
              "files": ["7"], "note": "только чтение"}
    options = {"items": (Option("one", "Один"), Option("two", "Два"))}
    hidden = hidden_components(form, values)
    assert hidden == {"hidden_text"}
    with tasks_app.test_request_context():
        widgets = form_render.build(form, values, options, hidden, {"count": "must be at most 3"})
        html = render_template_string('{% from "forms/fields.html" import widgets %}{{ widgets(ws) }}', ws=widgets)
    assert "<p>Первый абзац &lt;b&gt;жирный&lt;/b&gt;</p>" in html and "<p>Второй абзац</p>" in html
    assert '<fieldset class="form-group" data-component="box">' in html and "<legend>Группа</legend>" in html
    assert 'type="datetime-local" value="2025-11-10T14:30"' in html and 'type="date" value="2025-11-10"' in html
    assert re.search(r'name="items" value="two"\s+checked', html)
    assert re.search(r'type="number" value="2" inputmode="decimal" step="1" min="1" max="3"', html)
    assert "Не больше 3" in html and "autofocus" in html
    assert 'name="flag" value="true" checked' in html
    assert 'type="file" accept=".pdf" multiple' in html and 'name="files" value="7" checked' in html
    assert re.search(r'name="note"[^>]*disabled', html)
    assert re.search(r'data-component="hidden_text" data-hide-if="=flag" hidden', html)


def test_error_messages_are_shown_in_russian(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from web.form_render import error_text

    with tasks_app.test_request_context():
        assert error_text("must be at most 2000 characters") == "Не более 2000 символов"
        assert error_text("must be at least 5") == "Не меньше 5"
        assert error_text("must be one of: a, b") == "Выберите один из предложенных вариантов"
        assert error_text("something new") == "something new"
