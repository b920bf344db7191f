"""Every role × every route: allowed or refused as intended. An executor never sees another
agency's messages, tasks or attachments — by listing or by guessing ids."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from werkzeug.security import generate_password_hash

from engine.models import Organisation, Task
from engine.runtime import cases as runtime
from engine.runtime.attachments import save_attachment
from tests.factories import official
from tests.web.conftest import PASSWORD

ORB = ZoneInfo("Asia/Yekaterinburg")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург", "importance": "normal",
         "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}


@pytest.fixture
def world(app, virtual_clock, tmp_path):  # type: ignore[no-untyped-def]
    virtual_clock.set(datetime(2025, 11, 10, 10, 5, tzinfo=ORB))
    database = app.extensions["otklik_db"]
    with database.session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        for login, role in (("regulator", "regulator"), ("admin", "admin")):
            official(session, login, ministry, role).password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        routed = runtime.start_procedure(session, runtime.MessageInput(
            "orenburg", "vk", "https://vk.com/wall-1_1", "Автор", "Яма на дороге",
            datetime(2025, 11, 10, 9, 40, tzinfo=ORB), datetime(2025, 11, 10, 10, 0, tzinfo=ORB)), "curator")
        waiting = runtime.start_procedure(session, runtime.MessageInput(
            "orenburg", "ok", "https://ok.ru/x", "Автор 2", "Нет света",
            datetime(2025, 11, 10, 9, 50, tzinfo=ORB), datetime(2025, 11, 10, 10, 0, tzinfo=ORB)), "curator")
    with database.session() as session:
        route = session.query(Task).filter_by(instance_id=routed.id, element_id="route_message").one()
        runtime.complete_task(session, route.id, "curator", ROUTE)
    with database.session() as session:
        accept = session.query(Task).filter_by(instance_id=routed.id, element_id="accept_message").one()
        pending_route = session.query(Task).filter_by(instance_id=waiting.id, element_id="route_message").one()
        attachment = save_attachment(session, data=PNG, filename="photo.png", content_type="image/png",
                                     message_id=routed.message_id, uploaded_by="curator", organisation_key=None,
                                     upload_dir=str(tmp_path / "uploads"), max_bytes=10_000_000)
        return {"message": routed.message_id, "unrouted": waiting.message_id, "accept": accept.id,
                "route": pending_route.id, "attachment": attachment.id}


ROLES = ["curator", "exec_orb_roads", "exec_orb_health", "supervisor", "regulator", "admin"]

# route template → expected status per role (same order as ROLES)
MATRIX = {
    "/inbox":                 [200, 200, 200, 200, 200, 200],
    "/messages":              [200, 200, 200, 200, 200, 403],
    "/messages/new":          [200, 403, 403, 403, 403, 403],
    "/messages/{message}":    [200, 200, 404, 200, 200, 403],
    "/messages/{unrouted}":   [200, 404, 404, 200, 200, 403],
    "/tasks/{accept}":        [403, 200, 403, 403, 403, 403],
    "/tasks/{route}":         [200, 403, 403, 403, 403, 403],
    "/attachments/{attachment}": [200, 200, 404, 200, 200, 403],
    "/admin/":                [403, 403, 403, 403, 403, 200],
    "/surges":                [200, 403, 403, 200, 200, 403],
}


@pytest.mark.parametrize("route", list(MATRIX))
def test_every_role_on_every_route(app, client_for, world, route: str) -> None:  # type: ignore[no-untyped-def]
    url = route.format(**world)
    got = [client_for(login).get(url).status_code for login in ROLES]
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, MATRIX[route], strict=True))


@pytest.mark.parametrize("route", list(MATRIX))
def test_anonymous_is_sent_to_sign_in(app, world, route: str) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get(route.format(**world))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_executor_lists_only_own_agency(app, client_for, world) -> None:  # type: ignore[no-untyped-def]
    own = client_for("exec_orb_roads").get("/messages").get_data(as_text=True)
    other = client_for("exec_orb_health").get("/messages").get_data(as_text=True)
    assert "Яма на дороге" in own and "Нет света" not in own
    assert "Яма на дороге" not in other and "Нет света" not in other
    assert "Яма на дороге" not in client_for("exec_orb_health").get("/inbox").get_data(as_text=True)


def test_executor_cannot_complete_another_agencys_task_by_post(app, client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for("exec_orb_health")
    page = client.get("/inbox").get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    token = page[page.index(marker) + len(marker):].split('"', 1)[0]
    response = client.post(f"/tasks/{world['accept']}", data={"competent": "true", "csrf_token": token})
    assert response.status_code == 403


def test_a_substitute_gets_the_absent_executors_pages(app, client_for, world, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from engine.models import User
    from tests.factories import substitute

    database = app.extensions["otklik_db"]
    with database.session() as session:
        absent = session.query(User).filter_by(login="exec_orb_roads").one()
        stand_in = User(login="stand_in", full_name="Заместитель",
                        password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        session.add(stand_in)
        session.flush()
        now = virtual_clock()
        substitute(session, absent, stand_in, now - timedelta(days=1), now + timedelta(days=1))
    client = client_for("stand_in")
    assert client.get(f"/tasks/{world['accept']}").status_code == 200
    assert client.get(f"/messages/{world['message']}").status_code == 200
    assert client.get(f"/messages/{world['unrouted']}").status_code == 404
