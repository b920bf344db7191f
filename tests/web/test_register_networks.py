"""Registration offers and accepts only the networks the region's act lists (the procedure's ``networks``
property; Kuzbass п. 4: «Одноклассники», «ВКонтакте» and blogs), and says so beside the field."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine.models import Message
from tests.factories import deploy_files, official, organisation

PASSWORD = "correct horse battery"


@pytest.fixture
def kuzbass_app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "up"), "SECRET_KEY": "test", "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    with database.session() as session:
        user = official(session, "kuz_curator", organisation(session, "kuz_cur", "curator", "kuzbass", "ЦУР Кузбасса"),
                        "curator")
        user.password_hash = generate_password_hash(PASSWORD)
        deploy_files(session, "bpmn/kuzbass.bpmn")
    virtual_clock.set(datetime(2025, 11, 10, 10, 5, tzinfo=ZoneInfo("Asia/Novokuznetsk")))
    yield app
    database.engine.dispose()


def _curator(app):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.post("/login", data={"login": "kuz_curator", "password": PASSWORD}).status_code == 302
    return client


def _register(client, network: str):  # type: ignore[no-untyped-def]
    page = client.get("/messages/new").get_data(as_text=True)
    submission = re.search(r'name="submission_id" value="([0-9a-f]{32})"', page)
    return client.post("/messages/new", content_type="multipart/form-data", data={
        "region": "kuzbass", "network": network, "url": "https://ok.ru/group/1/topic/2", "author": "Иван Петров",
        "text": "Яма на дороге у школы №5", "posted_at": "2025-11-10T09:40", "detected_at": "2025-11-10T10:00",
        "repeat_of": "", "submission_id": submission.group(1) if submission else ""})


def test_the_form_offers_only_the_networks_the_act_lists(kuzbass_app) -> None:  # type: ignore[no-untyped-def]
    page = _curator(kuzbass_app).get("/messages/new").get_data(as_text=True)
    select_html = page[page.index('<select id="network"'):page.index("</select>", page.index('<select id="network"'))]
    assert re.findall(r'<option value="([a-z]+)"', select_html) == ["vk", "ok", "blog"]


def test_a_message_from_a_network_the_act_does_not_list_is_refused_beside_the_field(kuzbass_app) -> None:  # type: ignore[no-untyped-def]
    client = _curator(kuzbass_app)
    response = _register(client, "telegram")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Акт региона перечисляет источники, с которыми работает процедура" in page
    assert "ВКонтакте" in page and "Одноклассники" in page
    database = kuzbass_app.extensions["otklik_db"]
    with database.session() as session:
        assert session.scalar(select(func.count(Message.id))) == 0
    assert _register(client, "ok").status_code == 302
    with database.session() as session:
        assert session.scalars(select(Message.network)).all() == ["ok"]
