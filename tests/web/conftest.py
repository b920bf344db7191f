"""Web fixtures: an app on a fresh database with Orenburg officials, and signed-in clients."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from tests.factories import seed_orenburg_app

PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/web.sqlite", "TESTING": True,
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "SECRET_KEY": "test",
                      "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    seed_orenburg_app(database, PASSWORD)
    yield app
    database.engine.dispose()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def sign_in(client: FlaskClient, login: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"login": login, "password": password, "csrf_token": csrf_token(client)})


@pytest.fixture
def client_for(app) -> Iterator:  # type: ignore[no-untyped-def]
    """``client_for("curator")`` → a test client signed in as that official."""
    clients = []

    def make(login: str) -> FlaskClient:
        client = app.test_client()
        response = sign_in(client, login)
        assert response.status_code == 302, response.get_data(as_text=True)
        clients.append(client)
        return client

    yield make
