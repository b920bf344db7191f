"""Issue 15 in Chromium: an Orenburg threat and a socially significant message are registered and
routed through the real pages; the escalations the act orders arrive — the competent state bodies'
and the Governor's e-mails at a local SMTP server (aiosmtpd), the Governor's in-app notification in the
header count and the list, from which he opens the case and marks it read."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from engine.notifications import delivery
from tests.browser.conftest import shot
from tests.browser.test_orenburg_journey import open_task, submit
from tests.notifications.smtp import SmtpServer


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        monkeypatch.setenv("OTKLIK_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OTKLIK_SMTP_PORT", str(server.port))
        yield server


@pytest.fixture
def told(live_db):  # type: ignore[no-untyped-def]
    """The Governor (who signs in) and his office, and two competent state bodies, with addresses."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from engine.models import User
    from tests.browser.conftest import PASSWORD
    from tests.notifications.conftest import add_org, add_person

    with live_db.session() as session:
        add_org(session, "orb_governor", "administration", "orenburg", "Аппарат Губернатора")
        add_person(session, "governor", "orb_governor", "governor", "governor@orb.example")
        add_person(session, "governor_office", "orb_governor", "governor_office", "office@orb.example")
        add_org(session, "orb_umvd", "state_body", "orenburg", "УМВД", "umvd@orb.example")
        add_org(session, "orb_prosecutor", "state_body", "orenburg", "Прокуратура", "prokuratura@orb.example")
        session.scalar(select(User).where(User.login == "governor")).password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    return live_db


def register_and_route(curator, base: str, text: str, category: str, importance: str) -> None:  # type: ignore[no-untyped-def]
    curator.goto(f"{base}/messages/new")
    curator.select_option("select[name=network]", "vk")
    curator.fill("input[name=url]", "https://vk.com/wall-1_7")
    curator.fill("input[name=author]", "Пётр Сидоров")
    curator.fill("textarea[name=text]", text)
    curator.fill("input[name=posted_at]", "2025-11-10T09:40")
    curator.fill("input[name=detected_at]", "2025-11-10T10:00")
    submit(curator)
    curator.wait_for_url("**/tasks/*")  # issue 16: registering lands on the routing task
    open_task(curator, base, "Определить тему")
    curator.check(f"input[name=category][value={category}]")
    curator.select_option("select[name=topic]", "public_safety" if category == "threat" else "roads_transport")
    curator.fill("input[name=location]", "Оренбург, ул. Советская, 5")
    curator.select_option("select[name=importance]", importance)
    if category != "threat":
        curator.select_option("select[name=agency]", "orb_roads")
    submit(curator)
    curator.wait_for_url("**/inbox")


def test_a_threat_and_a_socially_significant_message_reach_people(page_for, live_app, told, smtp,  # type: ignore[no-untyped-def]
                                                                   virtual_clock) -> None:
    virtual_clock.set(datetime(2025, 11, 10, 5, 5, tzinfo=UTC))  # 10:05 in Orenburg
    curator = page_for("curator")
    register_and_route(curator, live_app, "Угрожаю поджечь дом главы района.", "threat", "normal")
    register_and_route(curator, live_app, "Весь микрорайон третий день без воды, люди выходят на улицу.",
                       "ordinary", "socially_significant")
    delivery.deliver_pending(told)  # what the worker's next pass does
    mails = smtp.handler.wait_for(4)
    by_address = {address: m for m in mails for address in m.to}
    assert set(by_address) == {"umvd@orb.example", "prokuratura@orb.example", "governor@orb.example",
                               "office@orb.example"}
    assert "п. 17" in by_address["umvd@orb.example"].subject
    assert "Угрожаю поджечь" in by_address["prokuratura@orb.example"].body
    assert "п. 21" in by_address["governor@orb.example"].subject
    assert "без воды" in by_address["governor@orb.example"].body

    governor = page_for("governor")
    badge = governor.locator("header .notifications-link .badge")
    assert badge.inner_text() == "1"
    governor.click("header .notifications-link")
    governor.wait_for_url("**/notifications")
    row = governor.locator("tr.unread")
    assert row.count() == 1 and "п. 21" in row.inner_text() and "10.11.2025 10:05" in row.inner_text()
    shot(governor, "15-1-governor-notifications")
    row.locator("a", has_text="Открыть дело").click()
    governor.wait_for_url("**/messages/*")
    assert "без воды" in governor.content()  # the Governor may open the case he was told about
    governor.goto(f"{live_app}/notifications")
    governor.locator("tr.unread button", has_text="Прочитано").click()
    governor.wait_for_url("**/notifications*")
    assert governor.locator("tr.unread").count() == 0
    assert governor.locator("header .notifications-link .badge").count() == 0
    # The curator was told nothing: the centre is per person.
    curator.goto(f"{live_app}/notifications")
    assert "Уведомлений нет." in curator.content()
    assert curator.console_errors == [] and governor.console_errors == []
