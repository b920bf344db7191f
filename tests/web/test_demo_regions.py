"""Each region runs in the demo: its curator registers a message in the browser and the first
step of that region's procedure opens with its own form, in the region's time zone."""
from __future__ import annotations

import functools
import re
from datetime import UTC, datetime

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from engine.demo import seed as demo
from tests.factories import deploy_files

# (region, curator login, first task, a label of its form)
REGIONS = [
    ("orenburg", "curator", "route_message", "Категория сообщения"),
    ("smolensk", "smo_curator", "route_message", "Характер информации"),
    ("kuzbass", "kuz_curator", "route_message", "Орган власти (исполнитель)"),
    ("kaluga", "klg_curator", "route_message", "Орган власти (исполнитель)"),
    ("kalmanka", "kal_official", "send_to_reception", "Категория сообщения"),
]


@pytest.fixture
def demo_app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "up"), "SECRET_KEY": "test", "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    fast_hash = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")
    with database.session() as session:
        logins = demo.seed(session, fast_hash, check_password_hash, tmp_path / "logins.txt")
        deploy_files(session, *(f"bpmn/{region}.bpmn" for region, *_ in REGIONS))
    # Monday 2025-11-10 07:00 UTC: working hours from Moscow (10:00) to Barnaul (14:00).
    virtual_clock.set(datetime(2025, 11, 10, 7, 0, tzinfo=UTC))
    app.config["DEMO_PASSWORDS"] = {item.login: item.password for item in logins}
    yield app
    database.engine.dispose()


@pytest.mark.parametrize(("region", "login", "element", "label"), REGIONS, ids=[r[0] for r in REGIONS])
def test_each_region_starts_its_procedure_from_the_browser(demo_app, region, login, element, label) -> None:  # type: ignore[no-untyped-def]
    client = demo_app.test_client()
    password = demo_app.config["DEMO_PASSWORDS"][login]
    assert client.post("/login", data={"login": login, "password": password}).status_code == 302
    page = client.get("/messages/new").get_data(as_text=True)
    detected = page.split('name="detected_at"')[1].split('value="')[1][:16]  # now, in the region's zone
    response = client.post("/messages/new", data={
        "network": "vk", "url": "https://vk.com/wall-1_1", "author": "Иван Петров", "text": "Яма на дороге",
        "posted_at": detected, "detected_at": detected, "repeat_of": ""}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    inbox = client.get("/inbox").get_data(as_text=True)
    task_href = inbox.split('href="/tasks/')[1].split('"')[0]
    task_page = client.get(f"/tasks/{task_href}")
    html = task_page.get_data(as_text=True)
    assert task_page.status_code == 200 and label in html
    # Registering lands on the routing task (issue 16); its page links the message card.
    card_link = re.search(r'href="(/messages/\d+)"', html)
    assert card_link, html
    card = client.get(card_link.group(1)).get_data(as_text=True)
    assert f'data-element="{element}"' in card


def _signed_in(app, login):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.post("/login", data={"login": login, "password": app.config["DEMO_PASSWORDS"][login]}).status_code == 302
    return client


def test_reception_and_deputy_heads_see_their_messages(demo_app) -> None:  # type: ignore[no-untyped-def]
    from engine.runtime import cases as runtime

    database = demo_app.extensions["otklik_db"]
    with database.session() as session:
        for region, _zone_hour, login in (("kalmanka", 14, "kal_official"), ("kaluga", 10, "klg_curator")):
            at = datetime(2025, 11, 10, 7, 0, tzinfo=UTC)
            instance = runtime.start_procedure(session, runtime.MessageInput(
                region=region, network="vk", url="https://vk.com/wall-1_9", author=f"Автор {region}", text="Текст",
                posted_at=at, detected_at=at), login)
            task = session.query(runtime.Task).filter_by(instance_id=instance.id, status="open").one()
            if region == "kaluga":
                runtime.complete_task(session, task.id, login, {"agency": "klg_roads"})
    # Kalmanka п. 5: the reception sees the district's messages; Kaluga 2.4: the deputy head sees
    # the messages of the agency's executors, and not another agency's.
    assert "Автор kalmanka" in _signed_in(demo_app, "kal_reception").get("/messages").get_data(as_text=True)
    assert "Автор kaluga" in _signed_in(demo_app, "klg_deputy_roads").get("/messages").get_data(as_text=True)
    assert "Автор kaluga" not in _signed_in(demo_app, "klg_deputy_health").get("/messages").get_data(as_text=True)


# (region, analyst login): "analyst" for Orenburg, like "curator", and a prefixed one per region.
ANALYSTS = [("orenburg", "analyst"), ("smolensk", "smo_analyst"), ("kuzbass", "kuz_analyst"),
            ("kaluga", "klg_analyst"), ("kalmanka", "kal_analyst")]


@pytest.mark.parametrize(("region", "login"), ANALYSTS, ids=[r[0] for r in ANALYSTS])
def test_each_region_has_an_analyst_who_deploys_for_it_alone(demo_app, region, login) -> None:  # type: ignore[no-untyped-def]
    from engine.deployment import browser

    client = demo_app.test_client()
    password = demo_app.config["DEMO_PASSWORDS"][login]
    assert password and client.post("/login", data={"login": login, "password": password}).status_code == 302
    assert client.get("/deploy").status_code == 200
    with demo_app.extensions["otklik_db"].session(readonly=True) as session:
        assert browser.deploy_regions(session, login) == [region]
