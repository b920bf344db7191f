"""Shared by the web hardening tests (tests/security/test_web_*.py): the app of tests/web (Orenburg
officials, CSRF on) and officials of other roles and regions added on demand."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from engine.models import Organisation
from tests.factories import official, organisation
from tests.web.conftest import PASSWORD, csrf_token, sign_in


def add_official(app: Flask, login: str, role: str, org_key: str = "orb_minpolicy",  # noqa: F811
                 region: str = "orenburg", kind: str = "curator") -> None:
    """``login`` holding ``role`` in ``org_key`` (created in ``region`` when missing), password PASSWORD."""
    with app.extensions["otklik_db"].session() as session:
        org = session.query(Organisation).filter_by(key=org_key).one_or_none() or \
            organisation(session, org_key, kind, region)
        user = official(session, login, org, role)
        user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def signed_in(app: Flask, login: str) -> FlaskClient:  # noqa: F811
    client = app.test_client()
    response = sign_in(client, login)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def post_form(client: FlaskClient, path: str, data: dict[str, Any] | None = None, token_page: str = "/inbox",
              **kwargs: Any) -> Any:
    """POST with the CSRF token of ``token_page`` (the session's token, as a browser would send it)."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_page), **(data or {})}, **kwargs)
