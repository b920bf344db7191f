"""The browser can reach the app and sign in (the full journeys are in test_orenburg_journey)."""
from urllib.parse import urlsplit

from tests.browser.conftest import PASSWORD, shot


def test_sign_in_page_renders_and_signs_in(browser, live_app) -> None:  # type: ignore[no-untyped-def]
    # Signs in by hand: the page_for fixture waits for /inbox, so a test built on it could not
    # see the sign-in land anywhere else.
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_app}/login")
        assert page.locator("h1").inner_text() == "Вход в «Отклик»"
        page.fill("#login", "curator")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert urlsplit(page.url).path == "/inbox"
        assert page.locator("#password").count() == 0  # signed in: no sign-in form any more
        shot(page, "00-sign-in-lands-in-inbox")
        assert errors == []
    finally:
        context.close()
