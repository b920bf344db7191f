"""Repeat messages in Chromium at 1366×768 (Orenburg п. 15): the curator's routing task shows the
earlier message of the same author with its published answer beside the form; «Повтор сообщения № N»
confirms it and the page comes back with the repeat stated; the executor's draft page then shows the
earlier answer and asks for the measures. No console errors, no login, key, ISO time or IANA zone."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.runtime import cases as runtime
from tests.browser.conftest import shot
from tests.pagetext import assert_no_internal_names
from tests.web.named_directory import give_names

AT = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)  # Monday 10:00 in Orenburg
LATER = AT + timedelta(days=14)
EXEC = "exec_orb_roads"
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}
ANSWER = "Ремонт ямы запланирован на 12 ноября."


def _start(live_db, text: str, at: datetime) -> int:  # type: ignore[no-untyped-def]
    with live_db.session() as session:
        return runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text=text, posted_at=at, detected_at=at), "curator").message_id


def _complete(live_db, message_id: int, element: str, login: str, data: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    with live_db.session() as session:
        [task] = [t for t in runtime.inbox(session, login) if t.element_id == element and t.message_id == message_id]
        runtime.complete_task(session, task.id, login, data)


def test_the_curator_confirms_a_repeat_and_the_executor_reads_the_earlier_answer(page_for, live_app, live_db,  # type: ignore[no-untyped-def]
                                                                                 virtual_clock) -> None:
    virtual_clock.set(AT)
    with live_db.session() as session:
        give_names(session)
    first = _start(live_db, "Яма на дороге у школы №5 на улице Советской, когда отремонтируют?", AT)
    for element, login, data in (("route_message", "curator", ROUTE), ("accept_message", EXEC, {"competent": True}),
                                 ("draft_answer", EXEC, {"answer_kind": "answer", "answer_text": ANSWER}),
                                 ("approve_answer", "curator", {"decision": "approve"}),
                                 ("publish_answer", EXEC, {"published": True,
                                                           "answer_url": "https://vk.com/wall-1_1?reply=2"})):
        _complete(live_db, first, element, login, data)
    virtual_clock.set(LATER)
    later = _start(live_db, "Опять яма у школы №5 на Советской, так и не отремонтировали", LATER)

    page = page_for("curator")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_app}/inbox")
    page.get_by_role("link", name="Определить тему, локацию, важность и направить").first.click()
    panel = page.locator("#material-repeat")
    assert ANSWER in panel.inner_text() and f"Сообщение № {first}" in panel.inner_text()
    shot(page, "17-repeat-1-curator-suggestion")
    panel.get_by_role("button", name=f"Повтор сообщения № {first}").click()
    page.wait_for_selector(f'#material-repeat [data-repeat-of="{first}"], #repeats[data-repeat-of="{first}"]')
    assert f"Повтор сообщения № {first}." in page.locator("#material-repeat").inner_text()
    assert_no_internal_names(page.inner_text("main"))
    assert page.console_errors == []  # type: ignore[attr-defined]

    _complete(live_db, later, "route_message", "curator", ROUTE)
    _complete(live_db, later, "accept_message", EXEC, {"competent": True})
    executor = page_for(EXEC)
    executor.set_viewport_size({"width": 1366, "height": 768})
    executor.goto(f"{live_app}/inbox")
    executor.get_by_role("link", name="Подготовить проект ответа").first.click()
    assert ANSWER in executor.locator("#material-repeat").inner_text()
    assert executor.get_by_text("Принятые меры или ход решения вопроса (повторное сообщение)").is_visible()
    shot(executor, "17-repeat-2-executor-draft")
    assert executor.console_errors == []  # type: ignore[attr-defined]
