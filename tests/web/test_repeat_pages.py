"""Repeat messages in the browser's pages (Orenburg п. 15): the curator's routing task page and the
card show the earlier message of the same author WITH its answer; «Повтор сообщения № N» confirms it
(the card's history says so in words), «Не повтор» dismisses it; an executor neither sees suggestions
nor may post a confirmation; a bad number is refused beside the panel, nothing changed."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from engine.models import Message
from engine.runtime import cases as runtime
from tests.pagetext import visible_text
from tests.web.conftest import csrf_token

AT = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)  # Monday 10:00 in Orenburg
EXEC = "exec_orb_roads"
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}
FIRST = "Яма на дороге у школы №5 на улице Советской, машины ломают колёса, когда отремонтируют?"
AGAIN = "Опять яма на дороге у школы №5 на Советской, уже месяц никто не ремонтирует, колёса ломаем"
ANSWER = "Ремонт ямы запланирован на 12 ноября."


def _start(database, text: str, at: datetime) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text=text, posted_at=at, detected_at=at), "curator").message_id


def _complete(database, message_id: int, element: str, login: str, data: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    with database.session() as session:
        [task] = [t for t in runtime.inbox(session, login) if t.element_id == element and t.message_id == message_id]
        runtime.complete_task(session, task.id, login, data)


def _answered(database, virtual_clock) -> int:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    first = _start(database, FIRST, AT)
    _complete(database, first, "route_message", "curator", ROUTE)
    _complete(database, first, "accept_message", EXEC, {"competent": True})
    _complete(database, first, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": ANSWER})
    _complete(database, first, "approve_answer", "curator", {"decision": "approve"})
    _complete(database, first, "publish_answer", EXEC, {"published": True, "answer_url": "https://vk.com/wall-1_1?reply=2"})
    return first


def _routing_task(database, message_id: int) -> str:  # type: ignore[no-untyped-def]
    with database.session() as session:
        [task] = [t for t in runtime.inbox(session, "curator") if t.message_id == message_id]
        return task.id


def test_the_curator_sees_the_earlier_answer_and_confirms_from_the_task_page(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    database = app.extensions["otklik_db"]
    first = _answered(database, virtual_clock)
    later_at = AT + timedelta(days=14)
    virtual_clock.set(later_at)
    later = _start(database, AGAIN, later_at)
    task_id = _routing_task(database, later)
    curator = client_for("curator")
    page = curator.get(f"/tasks/{task_id}").get_data(as_text=True)
    text = visible_text(page)
    assert "Повторное сообщение (п. 15)" in text and f"Сообщение № {first}" in text
    assert ANSWER in text and "тот же автор в той же сети" in text
    assert f'data-earlier="{first}"' in page
    response = curator.post(f"/messages/{later}/repeat", data={
        "csrf_token": csrf_token(curator, f"/tasks/{task_id}"), "action": "confirm", "earlier": str(first),
        "task": task_id})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/tasks/{task_id}")
    with database.session() as session:
        assert session.get_one(Message, later).repeat_of_id == first
    page = curator.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert f'data-repeat-of="{first}"' in page and f"Повтор сообщения № {first}." in visible_text(page)
    card = visible_text(curator.get(f"/messages/{later}").get_data(as_text=True))
    assert "Отмечен повтор" in card and f"повтор сообщения № {first}" in card and ANSWER in card


def test_dismissing_and_refusals(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    database = app.extensions["otklik_db"]
    first = _answered(database, virtual_clock)
    later_at = AT + timedelta(days=14)
    virtual_clock.set(later_at)
    later = _start(database, AGAIN, later_at)
    curator = client_for("curator")
    token = csrf_token(curator, f"/messages/{later}")
    wrong = curator.post(f"/messages/{later}/repeat", data={"csrf_token": token, "action": "confirm",
                                                            "earlier": "99999"}, follow_redirects=True)
    assert "Повтор не отмечен: сообщения с таким номером нет." in visible_text(wrong.get_data(as_text=True))
    odd = curator.post(f"/messages/{later}/repeat", data={"csrf_token": token, "action": "delete", "earlier": "1"},
                       follow_redirects=True)
    assert "Неизвестное действие." in visible_text(odd.get_data(as_text=True))
    dismissed = curator.post(f"/messages/{later}/repeat", data={"csrf_token": token, "action": "dismiss",
                                                                "earlier": str(first)}, follow_redirects=True)
    assert dismissed.status_code == 200
    page = dismissed.get_data(as_text=True)
    assert f'data-earlier="{first}"' not in page and "Повтор отклонён" in visible_text(page)
    _complete(database, later, "route_message", "curator", ROUTE)
    executor = client_for(EXEC)
    assert executor.post(f"/messages/{later}/repeat", data={
        "csrf_token": csrf_token(executor, f"/messages/{later}"), "action": "confirm",
        "earlier": str(first)}).status_code == 403
    with database.session() as session:
        assert session.get_one(Message, later).repeat_of_id is None
    assert not re.search(r'action="/messages/\d+/repeat"', executor.get(f"/messages/{later}").get_data(as_text=True))


def test_the_procedure_page_states_the_repeat_rule(client_for) -> None:  # type: ignore[no-untyped-def]
    text = visible_text(client_for("curator").get("/procedures/orenburg/1").get_data(as_text=True))
    assert "повторные сообщения (п. 15): куратору предлагаются сообщения территории за 90 дн." in text
    assert "(правило процедуры о повторных сообщениях)" in text
