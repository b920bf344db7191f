"""Issue 13, "Done when": a new region with no Python and no restart, in Chromium.

From an empty database — only the administrator (and the organisation that holds their role) —
the administrator adds Kamchatka (Asia/Kamchatka, UTC+12) through /admin, its curator ministry,
an agency, an analyst, a curator and an executor; the analyst deploys a diagram for it in the
browser (Orenburg's, copied: another process id, `region` = kamchatka); the curator registers a
message and it is walked to publication. One server process throughout; the deadlines shown are
Kamchatka's local time. Screenshots go to the test's tmp_path.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from engine.directory import officials as directory
from engine.models import Deployment, Instance, Message
from tests.browser.conftest import PASSWORD
from tests.browser.test_orenburg_journey import open_task, submit

ROOT = Path(__file__).resolve().parents[2]
PROCESS_ID = "kamchatka_open_sources"
# Monday 10 November 2025, 10:05 in Petropavlovsk-Kamchatsky (UTC+12): Sunday 22:05 in UTC.
MONDAY_MORNING = datetime(2025, 11, 9, 22, 5, tzinfo=UTC)


@pytest.fixture
def empty_app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    """A fresh database with nothing but the administrator."""
    from web import create_app

    virtual_clock.set(MONDAY_MORNING)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite", "SECRET_KEY": "browser-test",
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False, "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    with database.session() as session:
        # A role is held in an organisation: the administrator's is the installation's own.
        directory.create_organisation(session, "otklik_ops", "Служба сопровождения Отклика", "department",
                                      "orenburg", "install")
        directory.create_user(session, "admin", "Администратор", generate_password_hash(PASSWORD), "install")
        directory.grant_role(session, "admin", "otklik_ops", "admin", "install")
    yield app
    database.engine.dispose()


@pytest.fixture
def live_app(empty_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """One server process for the whole journey (overrides the conftest's seeded one)."""
    server = make_server("127.0.0.1", 0, empty_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def sign_in(browser, live_app):  # type: ignore[no-untyped-def]
    contexts = []

    def make(login: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors  # type: ignore[attr-defined]
        page.goto(f"{live_app}/login")
        page.fill("#login", login)
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    yield make
    for context in contexts:
        context.close()


def _saved(page) -> None:  # type: ignore[no-untyped-def]
    """The form was accepted: the page after the redirect says so and shows no field error."""
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 0, page.locator(".field-error").all_inner_texts()
    assert page.locator(".flash-error").count() == 0, page.locator(".flash-error").all_inner_texts()


def add_region(admin, base: str) -> None:  # type: ignore[no-untyped-def]
    admin.goto(f"{base}/admin/")
    admin.get_by_role("link", name="Регионы и муниципалитеты").click()
    admin.fill("#f-key", "kamchatka")
    admin.fill("#f-name", "Камчатский край")
    admin.select_option("#f-kind", "region")
    admin.fill("#f-timezone", "Asia/Kamchatka")
    admin.fill("#f-extra_holidays", "2025-11-05")  # a regional day off (an example; not on the journey's days)
    admin.locator("form button[type=submit].primary").press("Enter")
    _saved(admin)
    row = admin.locator('#territories tr[data-key="kamchatka"]')
    assert "Камчатский край" in row.inner_text() and "Asia/Kamchatka" in row.inner_text()
    assert "10:05 (UTC+12)" in row.inner_text()  # the region's local time now


def add_organisation(admin, base: str, key: str, name: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    admin.goto(f"{base}/admin/organisations")
    admin.fill("#f-key", key)
    admin.fill("#f-name", name)
    admin.select_option("#f-kind", kind)
    admin.select_option("#f-region", "kamchatka")  # the region added a moment ago, in the same process
    admin.click("form button[type=submit].primary")
    _saved(admin)
    assert admin.locator("td", has_text=name).count() == 1


def add_official(admin, base: str, login: str, name: str, organisation: str, role: str) -> None:  # type: ignore[no-untyped-def]
    admin.goto(f"{base}/admin/officials")
    admin.fill("#f-login", login)
    admin.fill("#f-full_name", name)
    admin.fill("#f-password", PASSWORD)
    admin.fill("#f-password_repeat", PASSWORD)
    admin.click("form button[type=submit].primary")
    _saved(admin)
    admin.wait_for_url("**/admin/roles**")  # the next step: give the new official a role
    assert admin.input_value("#f-login") == login
    admin.select_option("#f-organisation", organisation)
    admin.select_option("#f-role", role)
    admin.click("form button[type=submit].primary")
    _saved(admin)


def kamchatka_diagram(tmp_path: Path) -> Path:
    """Orenburg's procedure as Kamchatka's analyst would start: a copy, another id, its region."""
    text = (ROOT / "bpmn" / "orenburg.bpmn").read_text("utf-8")
    text = (text.replace('processRef="orenburg"', f'processRef="{PROCESS_ID}"')
            .replace('<bpmn:process id="orenburg"', f'<bpmn:process id="{PROCESS_ID}"')
            .replace('<camunda:property name="region" value="orenburg" />',
                     '<camunda:property name="region" value="kamchatka" />'))
    assert text.count(PROCESS_ID) == 2 and 'value="kamchatka"' in text
    path = tmp_path / "kamchatka.bpmn"
    path.write_text(text, "utf-8")
    return path


def deploy(analyst, base: str, diagram: Path) -> None:  # type: ignore[no-untyped-def]
    analyst.goto(f"{base}/deploy")
    analyst.set_input_files("#files", str(diagram))
    analyst.click("main button[type=submit].primary")
    analyst.wait_for_url("**/deploy/check")
    assert analyst.locator("#diagram-1").count() == 1, analyst.locator("main").inner_text()
    analyst.wait_for_selector("#diagram-1[data-rendered=true]")
    assert analyst.locator("button", has_text="Развернуть").count() == 1, analyst.locator("main").inner_text()
    analyst.locator("button", has_text="Развернуть").press("Enter")
    analyst.wait_for_url(lambda url: "/deploy/check" not in url)


def register_and_route(curator, base: str) -> None:  # type: ignore[no-untyped-def]
    curator.goto(f"{base}/messages/new")
    curator.select_option("select[name=network]", "vk")
    curator.fill("input[name=url]", "https://vk.com/wall-41_7")
    curator.fill("input[name=author]", "Анна Камчатская")
    curator.fill("textarea[name=text]", "На ул. Ленинской в Петропавловске-Камчатском третий день не убран снег.")
    curator.fill("input[name=posted_at]", "2025-11-10T09:40")
    curator.fill("input[name=detected_at]", "2025-11-10T10:00")
    submit(curator)
    assert curator.locator(".field-error").count() == 0, curator.locator(".field-error").all_inner_texts()
    curator.wait_for_url("**/tasks/*")  # issue 16: registering lands on the routing task
    curator.goto(f"{base}/inbox")
    # Routing within 30 working minutes of detection (the copied п. 6), in Kamchatka's time.
    row = curator.locator("tr.task-row", has_text="Определить тему")
    assert "10.11.2025 10:30" in row.inner_text(), row.inner_text()
    open_task(curator, base, "Определить тему")
    curator.check("input[name=category][value=ordinary]")
    curator.select_option("select[name=topic]", "housing_utilities")
    curator.fill("input[name=location]", "Петропавловск-Камчатский, ул. Ленинская")
    curator.select_option("select[name=importance]", "normal")
    curator.select_option("select[name=agency]", "kam_housing")
    assert curator.locator("select[name=agency] option[value=kam_housing]").inner_text() == "Минстрой Камчатского края"
    submit(curator)
    curator.wait_for_url("**/inbox")


def test_a_new_region_from_an_empty_database_to_a_published_answer(sign_in, live_app, empty_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    admin = sign_in("admin")
    add_region(admin, live_app)
    admin.screenshot(path=str(tmp_path / "1-admin-territories.png"), full_page=True)
    add_organisation(admin, live_app, "kam_minpolicy", "Минцифры Камчатского края", "curator")
    add_organisation(admin, live_app, "kam_housing", "Минстрой Камчатского края", "agency")
    add_official(admin, live_app, "kam_analyst", "Аналитикова Анна", "kam_minpolicy", "analyst")
    add_official(admin, live_app, "kam_curator", "Кураторов Кирилл", "kam_minpolicy", "curator")
    add_official(admin, live_app, "kam_executor", "Исполнителева Ирина", "kam_housing", "executor")
    admin.screenshot(path=str(tmp_path / "2-admin-roles.png"), full_page=True)

    analyst = sign_in("kam_analyst")
    deploy(analyst, live_app, kamchatka_diagram(tmp_path))
    with empty_app.extensions["otklik_db"].session() as session:
        assert session.execute(select(Deployment.process_id, Deployment.region, Deployment.version)).all() == [
            (PROCESS_ID, "kamchatka", 1)]

    curator = sign_in("kam_curator")
    register_and_route(curator, live_app)
    executor = sign_in("kam_executor")
    open_task(executor, live_app, "Принять сообщение")
    submit(executor)  # "competent" is ticked by default
    open_task(executor, live_app, "Подготовить проект ответа")
    executor.check("input[name=answer_kind][value=answer]")
    executor.fill("textarea[name=answer_text]", "Здравствуйте! Улица будет очищена от снега сегодня до 18:00.")
    submit(executor)
    executor.wait_for_url("**/inbox")
    open_task(curator, live_app, "Согласовать")
    curator.check("input[name=decision][value=approve]")
    submit(curator)
    curator.wait_for_url("**/inbox")
    open_task(executor, live_app, "Разместить ответ")
    executor.check("input[name=published]")
    executor.fill("input[name=answer_url]", "https://vk.com/wall-41_7?reply=8")
    submit(executor)
    executor.wait_for_url("**/inbox")

    curator.goto(f"{live_app}/messages")
    curator.locator("tr", has_text="Анна Камчатская").locator("a[href*='/messages/']").first.click()
    curator.screenshot(path=str(tmp_path / "3-message-card-published.png"), full_page=True)
    assert "https://vk.com/wall-41_7?reply=8" in curator.content()
    with empty_app.extensions["otklik_db"].session() as session:
        message = session.scalars(select(Message)).one()
        assert message.region == "kamchatka"
        instance = session.scalars(select(Instance)).one()
        assert (instance.region, instance.status) == ("kamchatka", "completed")
    for page in (admin, analyst, curator, executor):
        assert page.console_errors == [], page.console_errors
