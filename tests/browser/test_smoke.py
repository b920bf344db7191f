"""The browser can reach the app and sign in (the full journeys are in test_orenburg_journey)."""
from tests.browser.conftest import shot


def test_sign_in_page_renders_and_signs_in(page_for) -> None:  # type: ignore[no-untyped-def]
    page = page_for("curator")
    assert page.url.endswith("/inbox")
    shot(page, "00-sign-in-lands-in-inbox")
    assert page.console_errors == []
