"""Deploying in Chromium: a diagram with problems is drawn with each problem element marked; a
checked diagram is deployed with the "Развернуть" button; the version diff draws both versions
side by side with what changed marked. Screenshots (``make screenshots``): docs/screenshots/20-…, 21-…."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from engine.models import Deployment, Organisation
from tests.browser.conftest import PASSWORD, shot
from tests.factories import official, seed_orenburg_app

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
BROKEN = (ORENBURG.replace(b'camunda:topic="notify"', b'camunda:topic="send_sms"', 1)
          .replace(b'camunda:candidateGroups="curator">\n      <bpmn:documentation>\xd0\xbf. 6',
                   b'camunda:candidateGroups="executor">\n      <bpmn:documentation>\xd0\xbf. 6', 1))
CHANGED = (ORENBURG.replace(b"working_minutes(30, since=detected_at)", b"working_minutes(45, since=detected_at)")
           .replace('name="Согласовать проект ответа"'.encode(), 'name="Согласовать ответ (п. 10)"'.encode()))
REFUSED_PAGE = "Failed to load resource: the server responded with a status of 422 (UNPROCESSABLE ENTITY)"


@pytest.fixture
def deploy_app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    """The app of tests/browser/conftest.py, plus an Orenburg analyst and regulator."""
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/browser.sqlite", "SECRET_KEY": "browser-test",
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False, "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    seed_orenburg_app(database, PASSWORD)
    with database.session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        for login, role in (("analyst", "analyst"), ("regulator", "regulator")):
            official(session, login, ministry, role).password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    yield app
    database.engine.dispose()


@pytest.fixture
def live_app(deploy_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Overrides the conftest server so page_for signs in to the app above."""
    server = make_server("127.0.0.1", 0, deploy_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def upload(page, base: str, name: str, content: bytes) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/deploy")
    page.set_input_files("#files", files=[{"name": name, "mimeType": "application/xml", "buffer": content}])
    page.click("main button[type=submit].primary")
    page.wait_for_url("**/deploy/check")


def test_problem_elements_are_marked_on_the_uploaded_diagram(page_for, live_app) -> None:  # type: ignore[no-untyped-def]
    page = page_for("analyst")
    upload(page, live_app, "broken.bpmn", BROKEN)
    page.wait_for_selector("#diagram-1[data-rendered=true]")
    for element in ("forward_threat", "route_message"):
        assert page.locator(f'.djs-element.marker-problem[data-element-id="{element}"]').count() == 1, element
    assert page.locator("#problems-1 tr[data-element]").count() >= 2
    page.locator('#problems-1 tr[data-element="forward_threat"]').first.click()
    assert page.locator('.djs-element.marker-selected[data-element-id="forward_threat"]').count() == 1
    assert page.locator("text=неизвестный topic 'send_sms'").count() >= 1  # the page is Russian
    assert page.locator("button", has_text="Развернуть").count() == 0
    shot(page, "20-deploy-problem")
    # The page itself answers 422 (a refused upload), which Chromium logs as a failed load;
    # anything else (a script error, a missing file) fails the test.
    assert [e for e in page.console_errors if e != REFUSED_PAGE] == []


def test_deploy_then_see_what_changed(page_for, live_app, deploy_app) -> None:  # type: ignore[no-untyped-def]
    analyst = page_for("analyst")
    upload(analyst, live_app, "orenburg.bpmn", CHANGED)
    analyst.wait_for_selector("#diagram-1[data-rendered=true]")
    assert analyst.locator("text=новая версия 2").count() == 1
    assert analyst.console_errors == []
    analyst.locator("button", has_text="Развернуть").press("Enter")  # keyboard, as well as a click
    analyst.wait_for_url(lambda url: "/deploy/check" not in url)
    with deploy_app.extensions["otklik_db"].session() as session:
        assert session.scalars(select(Deployment.version).where(Deployment.process_id == "orenburg")).all() == [1, 2]

    regulator = page_for("regulator")
    regulator.goto(f"{live_app}/procedures/orenburg/diff?from=1&to=2")
    regulator.wait_for_selector("#old-diagram[data-rendered=true]")
    regulator.wait_for_selector("#new-diagram[data-rendered=true]")
    for viewer in ("#old-diagram", "#new-diagram"):
        for element in ("routing_deadline", "approve_answer"):
            marked = regulator.locator(f'{viewer} .djs-element.marker-changed[data-element-id="{element}"]')
            assert marked.count() == 1, (viewer, element)
    regulator.locator('#changes tr[data-element="approve_answer"]').click()
    assert regulator.locator('#new-diagram .djs-element.marker-selected[data-element-id="approve_answer"]').count() == 1
    assert regulator.locator("text=срок: working_minutes(30, since=detected_at) → working_minutes(45, since=detected_at)").count() == 1
    shot(regulator, "21-version-diff")
    assert regulator.console_errors == []
