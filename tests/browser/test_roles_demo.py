"""Every role at 1366×768 on the demo's own data (issue 16, "Done when"): the five regions and the
village council deployed, the demo's officials, and the demo's cases in every state, seeded through
the engine as `make run` seeds them. For each role the page a person decides on has its material
inside the viewport, and no page shows a demo login, an organisation key, an ISO timestamp or an
IANA zone (tests/pagetext.py). Screenshots (``make screenshots``) are the ones docs/ shows:
docs/screenshots/16-role-*.png, taken at the viewport, as an official sees the page without scrolling.

One server for the module: seeding the demo's cases walks about eighty cases through the engine."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from engine import clock
from engine.db.database import Database
from engine.demo import cases as demo_cases
from engine.demo import seed as demo
from engine.demo.people import OFFICIALS
from engine.models import Message, Task, User
from tests.browser.conftest import PASSWORD, SCREENSHOTS, screenshots_requested
from tests.factories import ROOT, deploy_files
from tests.pagetext import assert_no_internal_names

NOW = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)  # Monday 13:30 in Orenburg: live countdowns, last month closed
VIEWPORT = {"width": 1366, "height": 768}
LOGIN_OF = {org: login for login, _name, org, role, _about in OFFICIALS if role == "executor"}


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, browser_path) -> Iterator[tuple[str, Database]]:  # type: ignore[no-untyped-def]
    from tests.browser.conftest import missing_viewer_assets

    if missing_viewer_assets():
        pytest.skip("web/static/vendor is not built (make assets)")
    from web import create_app

    folder = tmp_path_factory.mktemp("demo")
    source = clock.VirtualClock(NOW)
    clock.set_source(source)
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/demo.sqlite", "SECRET_KEY": "roles-test",
                      "UPLOAD_DIR": str(folder / "uploads"), "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False, "LOGIN_RATE_LIMIT": "1000 per minute"})
    database: Database = app.extensions["otklik_db"]
    diagrams = [str(p.relative_to(ROOT)) for folder_name in ("bpmn", "bpmn/templates")
                for p in sorted((ROOT / folder_name).glob("*.bpmn"))]
    with database.session() as session:
        deploy_files(session, *diagrams)
    cheap = "pbkdf2:sha256:1000"  # a cheap hash keeps the test fast; production uses scrypt
    with database.session() as session:
        demo.seed(session, lambda p: generate_password_hash(p, method=cheap), lambda h, p: False, folder / "logins.txt")
        for user in session.scalars(select(User)):
            user.password_hash = generate_password_hash(PASSWORD, method=cheap)
    demo_cases.seed_cases(database)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", database
    server.shutdown()
    database.engine.dispose()
    clock.set_source(None)


@pytest.fixture
def sign_in(browser, demo_app):  # type: ignore[no-untyped-def]
    base, _database = demo_app
    contexts: list[Any] = []

    def make(login: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale="ru-RU", viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors  # type: ignore[attr-defined]
        page.goto(f"{base}/login")
        page.fill("#login", login)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url("**/inbox")
        return page

    yield make
    for context in contexts:
        context.close()


def view_shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """What the official sees without scrolling, for docs/ (only with OTKLIK_SCREENSHOTS=1)."""
    if screenshots_requested():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"16-role-{name}.png"))


def in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown on {page.url}"
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= VIEWPORT["width"], (selector, box)
    assert box["y"] + box["height"] <= VIEWPORT["height"], f"{selector} is below the fold on {page.url}: {box}"


def clean(page, allow: tuple[str, ...] = ()) -> str:  # type: ignore[no-untyped-def]
    text = page.inner_text("body")
    assert_no_internal_names(text, allow)
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]
    return text


def open_task(page, base: str, task_id: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/tasks/{task_id}")
    page.wait_for_selector("#task-form")


def _task(database: Database, region: str, name: str) -> Task:
    with database.session(readonly=True) as session:
        task = session.scalars(select(Task).where(Task.region == region, Task.status == "open",
                                                  Task.name == name).order_by(Task.created_at)).first()
        assert task is not None, f"the demo has no open «{name}» in {region}"
        session.expunge(task)
        return task


def test_curator_routes_from_an_inbox_that_shows_the_demo(sign_in, demo_app) -> None:  # type: ignore[no-untyped-def]
    base, database = demo_app
    page = sign_in("curator")
    inbox = clean(page)
    assert "осталось" in inbox and "просрочено" in inbox  # live countdowns and an overdue step
    view_shot(page, "1-curator-inbox")
    task = _task(database, "orenburg", "Определить тему, локацию, важность и направить")
    open_task(page, base, task.id)
    # The message the curator reads and the form's first fields; a long routing form scrolls to its button.
    for selector in ("#material-message", "#deadlines", "#task-form input:visible, #task-form select:visible"):
        in_view(page, selector)
    clean(page)
    view_shot(page, "2-curator-routing-task")
    page.goto(f"{base}/messages/{task.message_id}")
    card = clean(page)
    assert "Зарегистрировал" in card or "зарегистрировал" in card.lower()
    view_shot(page, "3-curator-card")


def test_executor_reworks_and_the_approver_decides_with_the_draft_in_view(sign_in, demo_app) -> None:  # type: ignore[no-untyped-def]
    base, database = demo_app
    rework = _task(database, "orenburg", "Доработать проект ответа")
    executor = sign_in(LOGIN_OF[rework.organisation_key or ""])
    open_task(executor, base, rework.id)
    # The curator's remarks of this round are what the executor reworks by: beside the form.
    assert "доработк" in executor.inner_text("#material-case")
    for selector in ("#material-case", "#deadlines", "#task-form textarea"):
        in_view(executor, selector)
    clean(executor)
    view_shot(executor, "4-executor-rework-task")
    draft = "Здравствуйте! Подрядчик ООО «Дорстрой» начнёт ремонт 9 декабря, телефон диспетчера 8 (3532) 44-55-66."
    executor.locator("#task-form textarea").first.fill(draft)
    executor.locator("#task-form button[type=submit].primary").last.click()
    executor.wait_for_load_state()
    clean(executor)

    approval = _task(database, "orenburg", "Согласовать проект ответа")
    curator = sign_in("curator")
    open_task(curator, base, approval.id)
    assert draft in curator.inner_text("#material-case")
    for selector in ("#material-case", "#material-earlier", "#deadlines", "[data-key=decision]",
                     "#task-form button[type=submit]"):
        in_view(curator, selector)
    clean(curator)
    view_shot(curator, "5-approver-draft-beside-decision")


def test_regulator_reads_every_territory_by_name(sign_in, demo_app) -> None:  # type: ignore[no-untyped-def]
    base, database = demo_app
    page = sign_in("regulator")
    page.goto(f"{base}/messages")
    registry = clean(page)
    with database.session(readonly=True) as session:
        regions = set(session.scalars(select(Message.region)))
    assert len(regions) == 6
    for name in ("Оренбургская область", "Смоленская область", "Калужская область"):
        assert name in registry
    view_shot(page, "6-regulator-registry")
    page.goto(f"{base}/reports")
    clean(page)
    view_shot(page, "7-regulator-report")
    page.goto(f"{base}/procedures/compare")
    clean(page)
    view_shot(page, "8-regulator-comparison")
    # A running case on its diagram: drawn readable, with its legend and zoom buttons.
    with database.session(readonly=True) as session:
        running = session.scalars(select(Task.message_id).where(Task.region == "orenburg", Task.status == "open")).first()
    page.goto(f"{base}/messages/{running}/diagram")
    page.wait_for_selector(".djs-container svg")
    page.get_by_role("button", name="Увеличить").wait_for()
    assert [s.strip() for s in page.locator("p.legend span").all_inner_texts()] == ["текущий шаг", "срок", "пройденный путь"]
    clean(page)
    view_shot(page, "11-regulator-case-on-diagram")
    page.goto(f"{base}/procedures/heatmap?region=orenburg")
    page.wait_for_selector(".djs-container svg")
    clean(page)
    view_shot(page, "12-regulator-heatmap")


def test_analyst_and_admin_pages_name_people_and_organisations(sign_in, demo_app) -> None:  # type: ignore[no-untyped-def]
    base, _database = demo_app
    analyst = sign_in("analyst")
    analyst.goto(f"{base}/procedures")
    analyst.locator("main a[href*='/procedures/']").first.click()
    analyst.wait_for_load_state()
    clean(analyst)
    view_shot(analyst, "9-analyst-procedure")
    admin = sign_in("admin")
    admin.goto(f"{base}/admin/roles")
    clean(admin)
    view_shot(admin, "10-admin-roles")
