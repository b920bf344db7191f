"""The Orenburg procedure through real pages in Chromium: register → route → accept → draft →
approve → publish, and the rework loop. Screenshots go to docs/screenshots/ with ``make screenshots``."""
from __future__ import annotations

from datetime import UTC, datetime

from tests.browser.conftest import shot

EXECUTOR = "exec_orb_roads"


def open_task(page, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/inbox")
    page.locator("a[href*='/tasks/']", has_text=name).first.click()
    page.wait_for_url("**/tasks/**")


def submit(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("main button[type=submit].primary").last.click()
    page.wait_for_load_state()


def register_and_route(curator, base: str) -> None:  # type: ignore[no-untyped-def]
    curator.goto(f"{base}/messages/new")
    curator.select_option("select[name=network]", "vk")
    curator.fill("input[name=url]", "https://vk.com/wall-1_2")
    curator.fill("input[name=author]", "Мария Иванова")
    curator.fill("textarea[name=text]", "Во дворе дома 5 по ул. Советской третий день не вывозят мусор.")
    curator.fill("input[name=posted_at]", "2025-11-10T09:40")
    curator.fill("input[name=detected_at]", "2025-11-10T10:00")
    shot(curator, "01-curator-registers-message")
    submit(curator)
    curator.wait_for_url("**/tasks/*")  # issue 16: registering lands on the routing task
    shot(curator, "02-message-card-after-registration")
    open_task(curator, base, "Определить тему")
    curator.check("input[name=category][value=ordinary]")
    curator.select_option("select[name=topic]", "housing_utilities")
    curator.fill("input[name=location]", "Оренбург, ул. Советская, 5")
    curator.select_option("select[name=importance]", "normal")
    curator.select_option("select[name=agency]", "orb_roads")
    shot(curator, "03-curator-routes-message")
    submit(curator)
    curator.wait_for_url("**/inbox")


def draft(executor, base: str) -> None:  # type: ignore[no-untyped-def]
    open_task(executor, base, "Принять сообщение")
    submit(executor)  # "competent" is ticked by default
    open_task(executor, base, "Подготовить проект ответа")
    executor.check("input[name=answer_kind][value=answer]")
    executor.fill("textarea[name=answer_text]", "Здравствуйте! Вывоз мусора организован сегодня до 18:00.")
    shot(executor, "05-executor-drafts-answer")
    submit(executor)
    executor.wait_for_url("**/inbox")


def approve(curator, base: str, decision: str, comment: str = "") -> None:  # type: ignore[no-untyped-def]
    open_task(curator, base, "Согласовать")
    curator.check(f"input[name=decision][value={decision}]")
    if comment:
        curator.fill("textarea[name=comment]", comment)
    shot(curator, f"06-curator-{decision}")
    submit(curator)
    curator.wait_for_url("**/inbox")


def publish(executor, base: str) -> None:  # type: ignore[no-untyped-def]
    open_task(executor, base, "Разместить ответ")
    executor.check("input[name=published]")
    executor.fill("input[name=answer_url]", "https://vk.com/wall-1_2?reply=3")
    submit(executor)
    executor.wait_for_url("**/inbox")


def test_orenburg_happy_path_through_real_pages(page_for, live_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(datetime(2025, 11, 10, 5, 5, tzinfo=UTC))  # 10:05 in Orenburg
    curator = page_for("curator")
    register_and_route(curator, live_app)
    executor = page_for(EXECUTOR)
    shot(executor, "04-executor-inbox-with-countdown")
    assert "рабочего времени" in executor.content()
    draft(executor, live_app)
    approve(curator, live_app, "approve")
    publish(executor, live_app)
    curator.goto(f"{live_app}/messages")
    curator.locator("tr", has_text="Мария Иванова").locator("a[href*='/messages/']").first.click()
    shot(curator, "07-message-card-answered")
    assert "https://vk.com/wall-1_2?reply=3" in curator.content()
    assert curator.console_errors == [] and executor.console_errors == []


def test_orenburg_rework_loop_through_real_pages(page_for, live_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(datetime(2025, 11, 10, 5, 5, tzinfo=UTC))
    curator = page_for("curator")
    register_and_route(curator, live_app)
    executor = page_for(EXECUTOR)
    draft(executor, live_app)
    approve(curator, live_app, "rework", "Укажите точное время вывоза.")
    open_task(executor, live_app, "Доработать")
    executor.check("input[name=answer_kind][value=answer]")
    executor.fill("textarea[name=answer_text]", "Здравствуйте! Мусор вывезут сегодня в 16:00.")
    shot(executor, "08-executor-reworks-draft")
    submit(executor)
    approve(curator, live_app, "approve")
    publish(executor, live_app)
    executor.goto(f"{live_app}/inbox")
    assert executor.locator("a[href*='/tasks/']").count() == 0
