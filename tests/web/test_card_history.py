"""The message card as an official reads it (issue 16 items 1–3): people and organisations by name,
the history («История») in words — steps by the diagram's names, decisions as the forms label them,
the system as a word — no ISO time, no IANA zone, no «Данные формы»; the answer block only once an
answer exists. Orenburg, walked from registration to publication with a rework round."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine.runtime import cases as runtime
from engine.runtime.claims import claim
from engine.runtime.timers import fire_due_timers
from tests.pagetext import assert_no_internal_names, visible_text
from tests.web.named_directory import ORGANISATIONS as ORGS
from tests.web.named_directory import TEST_WORDS, give_names

AT = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)  # Monday 10:00 in Orenburg
EXEC = "exec_orb_roads"
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}


@pytest.fixture
def named(app):  # type: ignore[no-untyped-def]
    """The test directory with the names people read (tests.factories names everyone by login)."""
    database = app.extensions["otklik_db"]
    with database.session() as session:
        give_names(session)
    return database


def _start(database) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге у школы №5", posted_at=AT, detected_at=AT), "curator")
        return instance.message_id


def _task(database, message_id: int, element: str, login: str) -> str:  # type: ignore[no-untyped-def]
    with database.session() as session:
        [task] = [t for t in runtime.inbox(session, login) if t.element_id == element and t.message_id == message_id]
        return task.id


def _complete(database, message_id: int, element: str, login: str, data: dict, take: bool = False) -> None:  # type: ignore[no-untyped-def,type-arg]
    task_id = _task(database, message_id, element, login)
    with database.session() as session:
        if take:
            claim(session, task_id, login)
        runtime.complete_task(session, task_id, login, data)


def _card(client, message_id: int) -> str:  # type: ignore[no-untyped-def]
    return visible_text(client.get(f"/messages/{message_id}").get_data(as_text=True))


def _no_internals(text: str) -> None:
    assert_no_internal_names(text)
    for word in TEST_WORDS:
        assert word not in text, word
    for leak in ("Данные формы", "True", "False", "[]", "claimed", "completed", "Asia/", "system"):
        assert leak not in text, leak


def _history(text: str) -> str:
    return text[text.index("История"):]


def test_the_history_names_people_steps_and_decisions_in_words(named, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    message_id = _start(named)
    _complete(named, message_id, "route_message", "curator", ROUTE)
    _complete(named, message_id, "accept_message", EXEC, {"competent": True}, take=True)
    _complete(named, message_id, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Ремонт 12 ноября."})
    _complete(named, message_id, "approve_answer", "curator", {"decision": "rework", "comment": "Уточните дату."})

    text = _card(client_for("curator"), message_id)
    _no_internals(text)
    assert "Зарегистрировал Куратор Анна Сергеевна, 10.11.2025 10:00" in text
    assert text.count("время: Оренбургская область, UTC+5") == 1  # the zone, once, in words
    history = _history(text)
    assert "Процедура запущена — Куратор Анна Сергеевна" in history
    assert ("Выполнен шаг: «Определить тему, локацию, важность и направить» — Куратор Анна Сергеевна "
            "Категория сообщения: Обычное Тема (группа тем): Дороги и транспорт") in history
    assert f"Орган власти (исполнитель): {ORGS['orb_roads']}" in history  # an agency by name, not its key
    assert "Соисполнители" not in history  # an empty answer is left out
    assert ("Взята в работу: «Принять сообщение или вернуть куратору» — Исполнитель Минтранса Мария Викторовна"
            in history)
    assert "Вопрос относится к компетенции органа: да" in history
    assert "Решение куратора: Вернуть на доработку Замечания для доработки: Уточните дату." in history


def test_a_missed_deadline_reads_as_the_timer_and_the_system_in_words(named, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    message_id = _start(named)
    virtual_clock.set(datetime(2025, 11, 10, 5, 40, tzinfo=UTC))
    fire_due_timers(named)  # the routing deadline (п. 6, 30 working minutes) passed at 10:30

    history = _history(_card(client_for("supervisor"), message_id))
    _no_internals(history)
    assert "Наступил срок: 30 рабочих минут с момента выявления, п. 6 — Система (контроль сроков)" in history
    assert "Нарушен срок: 30 рабочих минут с момента выявления, п. 6 — Система (контроль сроков)" in history
    # The notice names the timer, not the diagram's key ("routing"), at local time, not ISO.
    assert ("Уведомление: Нарушен срок п. 6: 30 рабочих минут с момента выявления (срок 10.11.2025 10:30)"
            in history)
    assert "Кому: Руководитель (контроль сроков)" in history
    centre = visible_text(client_for("supervisor").get("/notifications").get_data(as_text=True))
    assert "Нарушен срок п. 6: 30 рабочих минут с момента выявления (срок 10.11.2025 10:30)" in centre
    assert "routing" not in centre
    assert_no_internal_names(centre)


def test_the_answer_block_waits_for_an_answer_and_published_for_the_publication_step(named, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    message_id = _start(named)
    curator = client_for("curator")
    _complete(named, message_id, "route_message", "curator", ROUTE)
    text = _card(curator, message_id)
    answer = text[text.index("Ответ "):text.index("Текущий шаг")]
    assert "Ответ ещё не подготовлен." in answer
    assert "Вид" not in answer and "Размещён" not in answer  # no defaults shown as facts

    _complete(named, message_id, "accept_message", EXEC, {"competent": True})
    _complete(named, message_id, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Ремонт 12 ноября."})
    answer = _card(curator, message_id)
    answer = answer[answer.index("Ответ "):answer.index("Текущий шаг")]
    assert "Вид Ответ по существу Текст Ремонт 12 ноября." in answer
    assert "Размещён" not in answer  # a draft awaiting approval: publication cannot have happened yet

    _complete(named, message_id, "approve_answer", "curator", {"decision": "approve"})
    answer = _card(curator, message_id)
    assert "Размещён нет" in answer[answer.index("Ответ "):answer.index("Текущий шаг")]


def test_the_current_step_says_who_took_it_up_by_name(named, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    message_id = _start(named)
    _complete(named, message_id, "route_message", "curator", ROUTE)
    curator = client_for("curator")
    step = _card(curator, message_id)
    assert "в работе у" not in step[step.index("Текущий шаг"):step.index("Сроки")]
    with named.session() as session:
        claim(session, _task(named, message_id, "accept_message", EXEC), EXEC)
    step = _card(curator, message_id)
    assert (f"Принять сообщение или вернуть куратору Исполнитель {ORGS['orb_roads']} "
            "в работе у: Исполнитель Минтранса Мария Викторовна") in step[step.index("Текущий шаг"):step.index("Сроки")]


def test_each_deadline_cites_its_clause_once(named, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    """The timer's name already cites the clause («…, п. 6»): the card says it once per deadline."""
    import re

    from lxml import html as lxml_html

    virtual_clock.set(AT)
    message_id = _start(named)
    _complete(named, message_id, "route_message", "curator", ROUTE)
    page = lxml_html.fromstring(client_for("curator").get(f"/messages/{message_id}").get_data(as_text=True))
    rows = page.xpath("//table[contains(@class, 'deadlines')]/tbody/tr")
    assert rows
    for row in rows:
        words = " ".join(row.text_content().split())
        assert len(re.findall(r"п\.\s", words)) == 1, words
