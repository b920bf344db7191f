"""Issue 17 in Chromium: an official creates a personal API token from the top bar, sees it once,
finds it listed by its first characters only, and revokes it."""
from __future__ import annotations

import re

from tests.browser.conftest import shot


def test_a_token_is_created_shown_once_and_revoked(page_for, live_app) -> None:  # type: ignore[no-untyped-def]
    page = page_for("curator")
    page.get_by_role("link", name="API-токены").click()
    page.wait_for_url("**/account/tokens")
    assert page.get_by_text("Токенов нет.").is_visible()
    page.fill("#f-name", "Медиалогия")
    page.select_option("#f-expires", "90")
    page.get_by_role("button", name="Создать токен").click()
    secret = page.inner_text("#token-secret")
    assert re.fullmatch(r"otk_[A-Za-z0-9_-]{43}", secret)
    assert page.get_by_text("Скопируйте его сейчас: больше он показан не будет.").is_visible()
    shot(page, "api-token-created")

    page.goto(f"{live_app}/account/tokens")  # shown once: never again
    assert secret not in page.content()
    row = page.locator("tbody tr", has_text="Медиалогия")
    assert row.locator("code").inner_text() == secret[:10] + "…"
    assert row.get_by_text("не использовался").is_visible() and row.get_by_text("действует").is_visible()

    row.get_by_role("button", name="Отозвать").click()
    assert page.get_by_text("Токен «Медиалогия» отозван: с ним больше не войти.").is_visible()
    assert page.locator("tbody tr", has_text="Медиалогия").get_by_text(re.compile(r"^отозван \d\d\.\d\d\.\d{4}")).is_visible()
    assert page.console_errors == []
