"""In Chromium: the regulator opens November's summary, sees the dynamics chart, follows "п. 9: 1"
to the registry of that clause's breaches and from there the case (issue 15, "Done when").

The data is driven through the real process on the live server's database (a late draft, п. 9).
Screenshots (docs/screenshots/15-7-*.png) are written only under ``make screenshots``.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.models import Organisation
from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import PASSWORD, shot
from tests.factories import official
from tests.reports.support import ROADS_NAME, late_draft
from tests.scenario.driver import Case

# The browser tests' fixtures (tests/browser/conftest.py): a live server, Chromium, signed-in pages.
browser_path, viewer_assets, browser = browser_fixtures.browser_path, browser_fixtures.viewer_assets, browser_fixtures.browser
live_app, live_db, page_for = browser_fixtures.live_app, browser_fixtures.live_db, browser_fixtures.page_for


def test_the_regulator_goes_from_the_clause_count_to_every_violating_case(live_db, live_app, page_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with live_db.session() as session:
        ministry = session.scalars(select(Organisation).where(Organisation.key == "orb_minpolicy")).one()
        official(session, "regulator", ministry, "regulator").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
        session.scalars(select(Organisation).where(Organisation.key == "orb_roads")).one().name = ROADS_NAME
    late_draft(Case(live_db, virtual_clock, "orenburg", "Asia/Yekaterinburg"), 12)

    page = page_for("regulator")
    page.goto(f"{live_app}/reports?region=orenburg&period=2025-11")
    assert page.locator("svg[role=img] rect[data-series=violations]").count() == 6  # six months of dynamics
    assert page.locator("#act-violations").inner_text().startswith("Нарушений сроков постановления")
    shot(page, "15-7-report-with-links")
    page.click("#act-violations a[data-clause='9']")
    page.wait_for_url(re.compile(r".*/messages\?.*clause=9.*"))
    row = page.locator("table.violations-registry tbody tr")
    assert row.count() == 1
    text = row.inner_text()
    assert ROADS_NAME in text and "12.11.2025 16:00 (время: Оренбургская область, UTC+5)" in text and "10 мин рабочего времени" in text
    shot(page, "15-8-clause-9-november")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/messages/\d+$"))
    assert "п. 9" in page.locator("table.violations").inner_text()
    assert page.console_errors == []
