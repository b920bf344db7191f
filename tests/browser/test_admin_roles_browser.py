"""An administrator grants a role in Chromium choosing the official and the organisation by the
names they read (issue 16, item 8): no login typed from memory, none shown."""
from __future__ import annotations

from werkzeug.security import generate_password_hash

from engine.directory import officials as directory
from tests.browser.conftest import PASSWORD
from tests.pagetext import assert_no_internal_names

NAME = "Сидорова Мария Ивановна"
MINISTRY = "Министерство региональной и информационной политики"


def test_an_admin_grants_a_role_choosing_the_official_by_name(page_for, live_app, live_db) -> None:  # type: ignore[no-untyped-def]
    with live_db.session() as session:
        directory.create_user(session, "admin", "Администратор Борис Петрович",
                              generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"), "test")
        directory.grant_role(session, "admin", "orb_minpolicy", "admin", "test")
        directory.create_user(session, "kal_official", NAME, None, "test")
    page = page_for("admin")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_app}/admin/roles")
    page.fill("#f-q", "сидорова")
    page.get_by_role("button", name="Найти", exact=True).click()
    official = page.get_by_label("Сотрудник", exact=True)
    assert official.locator("option").all_inner_texts() == ["— выберите —", NAME]
    official.select_option(label=NAME)
    page.get_by_label("Организация").select_option(label=MINISTRY)
    page.get_by_label("Роль", exact=True).select_option(label="Исполнитель")
    page.get_by_role("button", name="Назначить").click()
    flash = page.locator(".flash").first.inner_text()
    assert flash == f"Роль назначена: {NAME} — Исполнитель, {MINISTRY}."
    assert page.locator("#list-roles ~ table").get_by_text(NAME).count() == 1
    # The test directory names its agencies by their keys, so only what this grant wrote is checked.
    assert_no_internal_names(flash + " " + page.locator("#list-roles ~ table tr", has_text=NAME).inner_text())
    assert page.console_errors == []
