"""Inbox and Camunda-Form task pages through the Flask test client (Orenburg, virtual clock).

The case starts Monday 2025-11-10: posted 09:40, detected 10:00 Asia/Yekaterinburg; routing is due 10:30.
"""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from engine.models import Organisation
from tests.web import tasks_support
from tests.web.tasks_support import EXEC, ROUTE, SCRIPT, client_as, complete, local, routed, start_case, task_of, text_of

password_hash = tasks_support.password_hash  # fixtures shared by the test_tasks_* modules
tasks_app = tasks_support.tasks_app


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
    client = client_as(tasks_app, EXEC)  # four idle hours later the session has ended (web.auth): sign in again
    page = text_of(client.get("/inbox"))
    assert 'class="task-row overdue"' in page
    assert "просрочено на 40 мин рабочего времени" in page


def test_long_excerpt_is_cut_on_the_inbox(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app, text="Очень длинное сообщение " * 20 + "КОНЕЦ")
    page = text_of(client_as(tasks_app, "curator").get("/inbox"))
    assert "КОНЕЦ" not in page and "…" in page


def test_inbox_shows_fifty_most_urgent_tasks_a_page(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    # A region's curator can hold thousands of open tasks: one page is 50, most urgent first.
    for number in range(53):
        virtual_clock.set(local("2025-11-10T10:01") + timedelta(seconds=number))  # registered in this order
        start_case(tasks_app, text=f"Сообщение {number:03d}")
    client = client_as(tasks_app, "curator")
    first = text_of(client.get("/inbox"))
    assert first.count('class="task-row') == 50
    assert "Открытых задач: 53" in first and "Страница 1 из 2" in first and 'rel="next"' in first
    second = text_of(client.get("/inbox?page=2"))
    assert second.count('class="task-row') == 3 and 'rel="prev"' in second and 'rel="next"' not in second
    # Same due time: the earlier task first, so the last three registered are on page 2.
    assert all(f"Сообщение {n:03d}" in second for n in (50, 51, 52))
    assert "Сообщение 000" in first and "Сообщение 050" not in first
    assert text_of(client.get("/inbox?page=99")).count('class="task-row') == 3  # past the end: the last page
    assert text_of(client.get("/inbox?page=abc")).count('class="task-row') == 50  # not a number: the first


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
    # The flash says what was chosen (issue 16), not a bare "Задача выполнена", and the next step and who holds it.
    flashed = text_of(client.get("/inbox"))
    assert "«Определить тему, локацию, важность и направить»: выбрано «Обычное»." in flashed, flashed
    assert "Следующий шаг: «Принять сообщение или вернуть куратору» — " in flashed
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
    data = {**ROUTE, "location": "", "answer_hours": "12", "co_agencies": ["orb_health"]}
    response = client_as(tasks_app, "curator").post(f"/tasks/{task.id}", data=data)
    page = text_of(response)
    assert response.status_code == 422
    assert 'class="form-field form-textfield has-error"' in page
    assert '<p class="field-error" id="field-field_location-error">Обязательное поле</p>' in page
    assert 'aria-describedby="field-field_location-description field-field_location-error"' in page
    assert '<p class="field-error" id="field-field_answer_hours-error">Не больше 9</p>' in page  # п. 8
    # Typed values are kept; the first field with an error has the focus.
    assert 'name="answer_hours" type="number" value="12"' in page
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
    # The engine's refusal is a text by code: Russian on a Russian page, English after /locale/en.
    assert f"задача «{task.name}» уже выполнена (сотрудник curator)" in text_of(again)
    assert client.get(f"/tasks/{task.id}").status_code == 409
    client.post("/locale/en", data={"next": "/inbox"})
    assert f"task &#39;{task.name}&#39; is already completed by curator" in text_of(client.get(f"/tasks/{task.id}"))


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
