"""The API's credentials (issue 17): Basic with an official's password, Bearer with a personal
token; refusals are JSON 401 in the caller's language, never a redirect, never the session cookie."""
from __future__ import annotations

import base64

import pytest
from flask import Flask, jsonify

from tests.web.conftest import PASSWORD, sign_in
from web.api_auth import api_login_required, current_api_login


def _basic(login: str, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


def _add_probe(app: Flask) -> None:
    """A tiny API view: who the request acts for. Added before the first request."""

    @api_login_required
    def whoami() -> object:
        return jsonify(login=current_api_login())

    app.add_url_rule("/api-probe", "api_probe", whoami, methods=["GET", "POST"])


@pytest.fixture
def api(app):  # type: ignore[no-untyped-def]
    _add_probe(app)
    return app


def test_basic_with_the_officials_password_acts_as_them(api) -> None:  # type: ignore[no-untyped-def]
    response = api.test_client().get("/api-probe", headers=_basic("curator"))
    assert response.status_code == 200
    assert response.get_json() == {"login": "curator"}
    assert "Set-Cookie" not in response.headers


def test_a_post_needs_no_csrf_token(api) -> None:  # type: ignore[no-untyped-def]
    response = api.test_client().post("/api-probe", headers=_basic("curator"), json={})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_basic_with_a_wrong_password_is_a_json_401(api) -> None:  # type: ignore[no-untyped-def]
    response = api.test_client().get("/api-probe", headers=_basic("curator", "wrong password"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Otklik"'
    assert response.get_json() == {"type": "AuthenticationException",
                                   "message": "неверный логин или пароль, либо учётная запись отключена"}
    assert "неверный логин" in response.get_data(as_text=True)  # readable with curl, not \u-escaped


def test_refusals_speak_english_when_asked(api) -> None:  # type: ignore[no-untyped-def]
    response = api.test_client().get("/api-probe", headers={**_basic("nobody"), "Accept-Language": "en-GB,en;q=0.8"})
    assert response.status_code == 401
    assert response.get_json()["message"] == "wrong login or password, or the account is deactivated"


def test_no_credentials_is_a_401_not_a_redirect(api) -> None:  # type: ignore[no-untyped-def]
    response = api.test_client().get("/api-probe")
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.get_json()["message"].startswith("нужна авторизация: заголовок Authorization")


@pytest.mark.parametrize("header", ["Basic !!!notbase64", "Basic " + base64.b64encode(b"no-colon").decode()])
def test_a_malformed_basic_header_is_refused_clearly(api, header: str) -> None:  # type: ignore[no-untyped-def]
    response = api.test_client().get("/api-probe", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["message"] == "заголовок Basic должен содержать «логин:пароль» в Base64"


def test_an_unknown_scheme_is_named(api) -> None:  # type: ignore[no-untyped-def]
    response = api.test_client().get("/api-probe", headers={"Authorization": "Digest abc"})
    assert response.status_code == 401
    assert response.get_json()["message"] == "схема авторизации «Digest» не поддерживается; используйте Basic или Bearer"


def test_the_session_cookie_alone_is_never_enough(api) -> None:  # type: ignore[no-untyped-def]
    client = api.test_client()
    assert sign_in(client, "curator").status_code == 302
    response = client.get("/api-probe")
    assert response.status_code == 401
    assert response.get_json()["type"] == "AuthenticationException"


def test_a_deactivated_official_is_refused(api) -> None:  # type: ignore[no-untyped-def]
    from engine.directory import officials
    from web.database import unit_of_work

    with api.app_context(), unit_of_work() as session:
        officials.set_active(session, "curator", False, actor="admin")
    response = api.test_client().get("/api-probe", headers=_basic("curator"))
    assert response.status_code == 401


def test_failed_basic_attempts_are_rate_limited_like_sign_in(app) -> None:  # type: ignore[no-untyped-def]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    _add_probe(app)
    client = app.test_client()
    for _ in range(3):
        assert client.get("/api-probe", headers=_basic("curator", "guess")).status_code == 401
    limited = client.get("/api-probe", headers=_basic("curator"))  # even the right password now waits
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.get_json()["message"].startswith("слишком много неудачных попыток входа; повторите через")


def test_successful_calls_are_not_counted(app) -> None:  # type: ignore[no-untyped-def]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    _add_probe(app)
    client = app.test_client()
    for _ in range(6):
        assert client.get("/api-probe", headers=_basic("curator")).status_code == 200


# --------------------------------------------------------------------------- Bearer tokens

def _new_token(app, login: str = "curator", days: int | None = None) -> str:  # type: ignore[no-untyped-def]
    from engine.directory import api_tokens
    from web.database import unit_of_work

    with app.app_context(), unit_of_work() as session:
        _info, secret = api_tokens.create_token(session, login, "worker", days, actor=login)
    return secret


def test_a_token_acts_as_its_owner(api) -> None:  # type: ignore[no-untyped-def]
    secret = _new_token(api)
    response = api.test_client().get("/api-probe", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.get_json() == {"login": "curator"}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("mutate", [lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"), lambda s: s[4:], lambda s: "otk_"])
def test_a_wrong_token_is_a_json_401(api, mutate) -> None:  # type: ignore[no-untyped-def]
    secret = _new_token(api)
    response = api.test_client().get("/api-probe", headers={"Authorization": f"Bearer {mutate(secret)}"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Otklik"'
    assert response.get_json() == {
        "type": "AuthenticationException",
        "message": "токен не принят: он неверен, отозван, просрочен или его владелец отключён"}


def test_a_revoked_token_is_refused_at_once(api) -> None:  # type: ignore[no-untyped-def]
    from engine.directory import api_tokens
    from web.database import unit_of_work

    secret = _new_token(api)
    client = api.test_client()
    assert client.get("/api-probe", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    with api.app_context(), unit_of_work() as session:
        token_id = api_tokens.tokens_of(session, "curator")[0].id
        api_tokens.revoke_token(session, "curator", token_id, actor="curator")
    assert client.get("/api-probe", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_an_expired_token_is_refused(api, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    secret = _new_token(api, days=30)
    client = api.test_client()
    assert client.get("/api-probe", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    virtual_clock.advance(days=30, seconds=1)
    assert client.get("/api-probe", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_deactivated_owners_token_is_refused(api) -> None:  # type: ignore[no-untyped-def]
    from engine.directory import officials
    from web.database import unit_of_work

    secret = _new_token(api)
    with api.app_context(), unit_of_work() as session:
        officials.set_active(session, "curator", False, actor="admin")
    response = api.test_client().get("/api-probe", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_guessing_tokens_is_rate_limited(app) -> None:  # type: ignore[no-untyped-def]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    _add_probe(app)
    client = app.test_client()
    for attempt in range(3):
        assert client.get("/api-probe", headers={"Authorization": f"Bearer otk_guess{attempt}"}).status_code == 401
    assert client.get("/api-probe", headers={"Authorization": "Bearer otk_guess"}).status_code == 429
