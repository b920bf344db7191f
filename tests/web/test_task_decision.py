"""Task pages laid out for the decision (issue 16, items 3–5), through the Flask test client:
stale remarks never shown as current, both deadlines with their clauses, flashes that say what was
chosen and link the next task, the reroute form that keeps the earlier routing, and the main agency
refused as its own co-executor. Orenburg on a virtual clock: detected Monday 10.11.2025 10:00."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import Organisation
from tests.web import tasks_support
from tests.web.tasks_support import EXEC, ROUTE, client_as, complete, routed, start_case, task_of, text_of

password_hash = tasks_support.password_hash  # fixtures shared by the test_tasks_* modules
tasks_app = tasks_support.tasks_app


def block(page: str, block_id: str) -> str:
    """The text of one block of the task page's material column ('' when the page has none)."""
    found = re.search(rf'id="{block_id}"[^>]*>(.*?)</(?:div|details)>\s*(?:<div class="material|<details|</section>)', page, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


ROADS = "Министерство транспорта и дорожного хозяйства Оренбургской области"


def named_roads(app) -> None:  # type: ignore[no-untyped-def]
    """The test agencies are named by their keys; give the executor's one the name people read."""
    with app.extensions["otklik_db"].session() as session:
        session.scalar(select(Organisation).where(Organisation.key == "orb_roads")).name = ROADS


def drafted(app) -> None:  # type: ignore[no-untyped-def]
    routed(app)
    complete(app, "accept_message", EXEC, {"competent": True})
    complete(app, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Черновик 1"})


# ---------------------------------------------------------------- item 1: what is read, and stale data

def test_publish_task_shows_rework_remarks_as_an_earlier_round_not_beside_the_decision(tasks_app) -> None:  # type: ignore[no-untyped-def]
    drafted(tasks_app)
    complete(tasks_app, "approve_answer", "curator", {"decision": "rework", "comment": "Добавьте сроки вывоза"})
    complete(tasks_app, "rework_answer", EXEC, {"answer_kind": "answer", "answer_text": "Черновик 2"})
    complete(tasks_app, "approve_answer", "curator", {"decision": "approve"})
    page = text_of(client_as(tasks_app, EXEC).get(f"/tasks/{task_of(tasks_app, 'publish_answer').id}"))
    current, earlier = squeeze(block(page, "material-case")), squeeze(block(page, "material-earlier"))
    assert "Решение куратора Согласовать" in current and "Текст ответа Черновик 2" in current
    assert "Добавьте сроки вывоза" not in current and "Замечания для доработки" not in current
    assert earlier.startswith("Из предыдущего круга (уже не действует)")
    assert "Замечания для доработки Добавьте сроки вывоза" in earlier


def test_second_approval_shows_the_last_rounds_remarks_beside_the_new_draft(tasks_app) -> None:  # type: ignore[no-untyped-def]
    drafted(tasks_app)
    complete(tasks_app, "approve_answer", "curator", {"decision": "rework", "comment": "Добавьте сроки вывоза"})
    complete(tasks_app, "rework_answer", EXEC, {"answer_kind": "answer", "answer_text": "Черновик 2"})
    page = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'approve_answer').id}"))
    assert "Текст ответа Черновик 2" in squeeze(block(page, "material-case"))
    assert "Замечания для доработки Добавьте сроки вывоза" in squeeze(block(page, "material-earlier"))


def test_rework_task_shows_the_remarks_as_current(tasks_app) -> None:  # type: ignore[no-untyped-def]
    drafted(tasks_app)
    complete(tasks_app, "approve_answer", "curator", {"decision": "rework", "comment": "Добавьте сроки вывоза"})
    page = text_of(client_as(tasks_app, EXEC).get(f"/tasks/{task_of(tasks_app, 'rework_answer').id}"))
    assert "Замечания для доработки Добавьте сроки вывоза" in squeeze(block(page, "material-case"))
    assert block(page, "material-earlier") == ""


# ---------------------------------------------------------------- item 2: both deadlines

def test_executor_task_shows_the_steps_and_the_whole_answers_deadline_with_clauses(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    page = squeeze(re.sub(r"<[^>]+>", " ", text_of(
        client_as(tasks_app, EXEC).get(f"/tasks/{task_of(tasks_app, 'accept_message').id}"))))
    assert ("Срок этого шага 30 рабочих минут на возврат, п. 7 — 10.11.2025 10:30 · "
            "осталось 30 мин рабочего времени") in page
    assert ("Срок ответа 9 рабочих часов с момента выявления (или сокращённый срок), п. 8 — 11.11.2025 11:00 · "
            "осталось 9 ч рабочего времени") in page
    assert "без срока" not in page


# ---------------------------------------------------------------- item 3: flashes and the next task

def test_rework_flash_says_the_draft_went_back_not_that_the_approval_was_done(tasks_app) -> None:  # type: ignore[no-untyped-def]
    drafted(tasks_app)
    named_roads(tasks_app)
    curator = client_as(tasks_app, "curator")
    task = task_of(tasks_app, "approve_answer")
    response = curator.post(f"/tasks/{task.id}", data={"decision": "rework", "comment": "Добавьте сроки"})
    assert response.status_code == 303
    flashed = text_of(curator.get("/inbox"))
    assert "«Согласовать проект ответа»: выбрано «Вернуть на доработку»." in flashed
    assert "Задача выполнена" not in flashed and "Выполнено: «Согласовать проект ответа»" not in flashed
    assert f"Следующий шаг: «Доработать проект ответа» — {ROADS}." in flashed


def test_the_next_task_of_the_same_person_is_offered_as_a_link(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app)
    executor = client_as(tasks_app, EXEC)
    executor.post(f"/tasks/{task_of(tasks_app, 'accept_message').id}", data={"competent": "true"})
    draft = task_of(tasks_app, "draft_answer")
    flashed = text_of(executor.get("/inbox"))
    assert ("Выполнено: «Принять сообщение или вернуть куратору».") in flashed
    assert (f'Следующая задача по этому сообщению: «Подготовить проект ответа» — '
            f'<a href="/tasks/{draft.id}">открыть задачу</a>.') in flashed


def test_registration_lands_the_curator_on_the_routing_task(tasks_app) -> None:  # type: ignore[no-untyped-def]
    curator = client_as(tasks_app, "curator")
    response = curator.post("/messages/new", data={
        "region": "orenburg", "network": "vk", "url": "https://vk.com/wall-1_7", "author": "Иван Петров",
        "text": "Яма", "posted_at": "2025-11-10T09:40", "detected_at": "2025-11-10T10:00"})
    routing = task_of(tasks_app, "route_message")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tasks/{routing.id}")
    page = text_of(curator.get(response.headers["Location"]))
    assert "Сообщение № 1 зарегистрировано, процедура запущена." in page
    assert "<h1>Определить тему, локацию, важность и направить</h1>" in page


# ---------------------------------------------------------------- item 4: reroute and joint answers

def returned(app) -> None:  # type: ignore[no-untyped-def]
    routed(app)
    complete(app, "accept_message", EXEC, {"competent": False, "return_reason": "Не наш вопрос",
                                          "suggested_agency": "orb_health"})


def test_reroute_form_keeps_the_earlier_routing_and_preselects_the_suggested_agency(tasks_app) -> None:  # type: ignore[no-untyped-def]
    returned(tasks_app)
    page = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'reroute_message').id}"))
    assert re.search(r'value="ordinary"[^>]*checked', page)
    assert '<option value="roads_transport" selected>' in page  # the topic of the first routing
    assert f'<option value="{ROUTE["importance"]}" selected>' in page
    assert 'value="Оренбург, ул. Советская"' in page  # the location
    assert '<option value="orb_health" selected>' in page  # the agency the executor suggested
    assert "срок перенаправления — 30 рабочих минут с момента возврата" in page
    assert "в течение 30 рабочих минут с момента выявления. Возвращённое" not in page
    # The returning agency's reason is shown, as this round's.
    assert "Не наш вопрос" in squeeze(block(page, "material-case"))


def test_the_main_agency_is_not_offered_and_is_refused_as_its_own_co_executor(tasks_app) -> None:  # type: ignore[no-untyped-def]
    returned(tasks_app)
    curator = client_as(tasks_app, "curator")
    task = task_of(tasks_app, "reroute_message")
    page = text_of(curator.get(f"/tasks/{task.id}"))
    co_agencies = re.search(r'data-key="co_agencies"(.*?)</fieldset>', page, re.S)
    assert co_agencies and 'data-excludes="agency"' in co_agencies.group(0)
    # The agency the form starts on is not offered (static/js/task_excludes.js follows a new choice).
    offered = {value: not hidden for hidden, value in
               re.findall(r'<label class="choice"[^>]*?( hidden)?>\s*<input[^>]*value="(orb_\w+)"', co_agencies.group(1))}
    assert offered == {"orb_health": False, "orb_housing": True, "orb_roads": True}
    response = curator.post(f"/tasks/{task.id}", data={**ROUTE, "agency": "orb_health",
                                                       "co_agencies": ["orb_health", "orb_roads"]})
    assert response.status_code == 422
    assert "Уже выбрано в поле «Орган власти (исполнитель)»: снимите эту отметку" in text_of(response)
    ok = curator.post(f"/tasks/{task.id}", data={**ROUTE, "agency": "orb_health", "co_agencies": ["orb_roads"]})
    assert ok.status_code == 303


def test_first_routing_starts_on_defaults(tasks_app) -> None:  # type: ignore[no-untyped-def]
    start_case(tasks_app)
    page = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'route_message').id}"))
    assert '<option value="" selected>' in page  # no topic, importance or agency chosen for the curator
    assert 'selected>Министерство' not in page


def test_the_approver_of_a_joint_answer_sees_its_parts_beside_the_decision(tasks_app) -> None:  # type: ignore[no-untyped-def]
    routed(tasks_app, co_agencies=["orb_health"])
    complete(tasks_app, "prepare_part", "exec_orb_health", {"part_text": "Поликлиника работает до 20:00"}, "orb_health")
    complete(tasks_app, "compose_joint_answer", EXEC, {"answer_kind": "answer", "answer_text": "Общий ответ"})
    page = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'approve_answer').id}"))
    assert "Поликлиника работает до 20:00" in squeeze(block(page, "material-parts"))
    assert "Текст ответа Общий ответ" in squeeze(block(page, "material-case"))
