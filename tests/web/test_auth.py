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


# -- sessions end when they should (issue 11, finding 8) ------------------------------------------
# A session is a signed cookie: before, a copy of it stayed valid for 31 days whatever happened.

def _copy_of_session(app, client):  # type: ignore[no-untyped-def]
    """Another browser holding a copy of ``client``'s session cookie (stolen, or left on a shared PC)."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/inbox").status_code == 200
    return copy


def _ended(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _admin(app):  # type: ignore[no-untyped-def]
    from tests.web.hardening_support import add_official, signed_in
    add_official(app, "boss", "admin")
    return signed_in(app, "boss")


def test_a_copied_cookie_is_dead_after_sign_out(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, "curator")
    copy = _copy_of_session(app, client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")})
    assert _ended(copy.get("/inbox"))
    assert "Сеанс завершён" in copy.get("/login").get_data(as_text=True)
    assert _ended(copy.get("/inbox"))  # and stays so
    assert sign_in(app.test_client(), "curator").status_code == 302  # signing in again works


def test_an_admins_password_reset_ends_the_officials_sessions(app) -> None:  # type: ignore[no-untyped-def]
    curator = app.test_client()
    sign_in(curator, "curator")
    admin = _admin(app)
    reset = admin.post("/admin/officials/curator", data={"csrf_token": csrf_token(admin, "/admin/"),
                                                         "password": "a new password", "password_repeat": "a new password"})
    assert reset.status_code == 302
    assert _ended(curator.get("/inbox"))
    assert sign_in(app.test_client(), "curator", "a new password").status_code == 302


def test_deactivation_ends_sessions_for_good(app) -> None:  # type: ignore[no-untyped-def]
    curator = app.test_client()
    sign_in(curator, "curator")
    admin = _admin(app)
    for active in ("0", "1"):  # activated again: the cookie from before stays dead
        admin.post("/admin/officials/curator/active", data={"csrf_token": csrf_token(admin, "/admin/"), "active": active})
    assert _ended(curator.get("/inbox"))


def test_the_console_ends_sessions_too(app, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from web.cli import main
    monkeypatch.setenv("OTKLIK_DATABASE_URL", f"sqlite:///{tmp_path}/web.sqlite")  # the app fixture's database
    for command, stdin in ((["users", "passwd", "curator", "--password-stdin"], "console password 1\n"),
                           (["users", "deactivate", "exec_orb_roads"], None)):
        login = command[2]
        client = app.test_client()
        sign_in(client, login)
        result = CliRunner().invoke(main, command, input=stdin)
        assert result.exit_code == 0, result.output
        assert _ended(client.get("/inbox")), command


def test_an_idle_session_ends_after_two_hours(app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, "curator")
    virtual_clock.advance(hours=1, minutes=59)
    assert client.get("/inbox").status_code == 200  # a request resets the idle time
    virtual_clock.advance(hours=1, minutes=59)
    assert client.get("/inbox").status_code == 200
    virtual_clock.advance(hours=2, minutes=1)
    assert _ended(client.get("/inbox"))


def test_any_session_ends_twelve_hours_after_sign_in(app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, "curator")
    for _ in range(8):  # busy all day: a request every 90 minutes
        virtual_clock.advance(minutes=90)
        assert client.get("/inbox").status_code == 200
    virtual_clock.advance(minutes=1)
    assert _ended(client.get("/inbox"))


def test_the_timeouts_are_settings(app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    assert (app.config["SESSION_IDLE_TIMEOUT"], app.config["SESSION_MAX_AGE"]) == (timedelta(hours=2), timedelta(hours=12))
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)  # the cookie, no longer 31 days
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(minutes=10)
    client = app.test_client()
    sign_in(client, "curator")
    virtual_clock.advance(minutes=11)
    assert _ended(client.get("/inbox"))


def test_a_remember_me_cookie_alone_signs_nobody_in(app) -> None:  # type: ignore[no-untyped-def]
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        token = encode_cookie("curator")  # what Flask-Login would accept, signed with the app's key
    client = app.test_client()
    client.set_cookie("remember_token", token)
    assert _ended(client.get("/inbox"))


def test_sign_in_starts_a_fresh_session_keeping_the_language(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post("/locale/en", data={"csrf_token": csrf_token(client), "next": "/login"})
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    sign_in(client, "curator")
    with client.session_transaction() as after:
        assert "planted" not in after and after["locale"] == "en"


def test_the_session_epoch_migration_goes_down_and_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from sqlalchemy import inspect

    from engine.db.database import Database, alembic_config, upgrade
    database = Database(f"sqlite:///{tmp_path}/m.sqlite")
    upgrade(database.engine)
    cfg = alembic_config(str(database.engine.url))
    with database.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0005")
    assert "session_epoch" not in {c["name"] for c in inspect(database.engine).get_columns("user_account")}
    upgrade(database.engine)
    assert "session_epoch" in {c["name"] for c in inspect(database.engine).get_columns("user_account")}
    database.engine.dispose()


def test_an_admin_changing_their_own_password_stays_signed_in_here_only(app) -> None:  # type: ignore[no-untyped-def]
    admin = _admin(app)
    elsewhere = _copy_of_session(app, admin)
    response = admin.post("/admin/officials/boss", data={"csrf_token": csrf_token(admin, "/admin/"),
                                                         "password": "a new password", "password_repeat": "a new password"})
    assert response.status_code == 302
    assert admin.get("/admin/").status_code == 200
    assert _ended(elsewhere.get("/inbox"))
