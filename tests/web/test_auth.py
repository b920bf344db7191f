"""Sign-in, sign-out, CSRF, rate limiting, cookies, language and error pages."""
from __future__ import annotations

from tests.web.conftest import PASSWORD, csrf_token, sign_in


def test_sign_in_and_out(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.get("/inbox").status_code == 302
    response = sign_in(client, "curator")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    assert client.get("/inbox").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")})
    assert client.get("/inbox").status_code == 302


def test_wrong_password_and_unknown_login_look_the_same(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    wrong = sign_in(client, "curator", "nope")
    unknown = sign_in(client, "nobody", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert "Неверный логин или пароль" in wrong.get_data(as_text=True)
    assert 'value="curator"' in wrong.get_data(as_text=True)  # the login typed is kept


def test_post_without_csrf_token_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"login": "curator", "password": PASSWORD})
    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)


def test_next_parameter_cannot_redirect_off_site(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/x", data={"login": "curator", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/inbox")


def test_login_attempts_are_rate_limited(app) -> None:  # type: ignore[no-untyped-def]
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    client = app.test_client()
    codes = [sign_in(client, "curator", "wrong").status_code for _ in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    assert "Слишком много попыток" in sign_in(client, "curator").get_data(as_text=True)


def test_session_cookie_is_secure_and_http_only(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = sign_in(client, "curator")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_security_headers(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_russian_by_default_english_selectable(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert "Вход в «Отклик»" in client.get("/login").get_data(as_text=True)
    client.post("/locale/en", data={"csrf_token": csrf_token(client), "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page


def test_unknown_page_is_a_friendly_404(app, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("curator").get("/no/such/page")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Не найдено" in text and "Traceback" not in text
