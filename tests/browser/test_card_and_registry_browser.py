"""The registry and the card in Chromium at 1366×768 (issue 16 items 1, 2, 8): a registry row opens the
card by keyboard (one named link) and by a click anywhere on it; the card's history names people and
decisions in words, and the page text holds no login, key, ISO time or IANA zone (tests.pagetext)."""
from __future__ import annotations

from datetime import UTC, datetime

from engine.runtime import cases as runtime
from tests.browser.conftest import shot
from tests.pagetext import assert_no_internal_names
from tests.web.named_directory import TEST_WORDS, give_names

AT = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)  # Monday 10:00 in Orenburg
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}


def _case(live_db) -> int:  # type: ignore[no-untyped-def]
    with live_db.session() as session:
        give_names(session)
        message_id = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге у школы №5", posted_at=AT, detected_at=AT), "curator").message_id
    for element, login, data in (("route_message", "curator", ROUTE),
                                 ("accept_message", "exec_orb_roads", {"competent": True})):
        with live_db.session() as session:
            [task] = [t for t in runtime.inbox(session, login) if t.element_id == element]
            runtime.complete_task(session, task.id, login, data)
    return message_id


def test_a_registry_row_opens_the_card_by_keyboard_and_by_click(page_for, live_app, live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    message_id = _case(live_db)
    page = page_for("curator")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_app}/messages")
    link = page.get_by_role("link", name=f"Сообщение № {message_id} от 10.11.2025 10:00, автор: Иван Петров")
    link.focus()
    shot(page, "registry-row-opens-card")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/messages/{message_id}")

    page.goto(f"{live_app}/messages")
    cell = page.get_by_role("cell", name="Яма на дороге у школы №5").bounding_box()
    assert cell is not None
    page.mouse.click(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)  # not on the number
    page.wait_for_url(f"**/messages/{message_id}")

    text = page.inner_text("main")
    assert_no_internal_names(text)
    assert not [word for word in TEST_WORDS if word in text]
    history = text[text.index("История"):]
    assert "Выполнен шаг: «Принять сообщение или вернуть куратору» — Исполнитель Минтранса Мария Викторовна" in history
    assert "Вопрос относится к компетенции органа: да" in history
    assert "Данные формы" not in text and "True" not in text
    shot(page, "card-history-in-words")
    assert page.console_errors == []  # type: ignore[attr-defined]
