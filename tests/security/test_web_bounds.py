"""Finding 13 (web): what a request names must fit what the server can hold — a clear 4xx, never a 500.

Path ids past a database integer, report periods in year 1, CR/LF or a backslash in a redirect
target, days no datetime can hold.
"""
from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from engine.calendar import periods
from tests.web.hardening_support import add_official, post_form, signed_in

HUGE = (str(2**63), str(2**64), "9" * 5000)  # just past BIGINT, past 64 bits, past int()'s digit limit


def _numeric_rules(app):  # type: ignore[no-untyped-def]
    for rule in app.url_map.iter_rules():
        numeric = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        if numeric:
            yield rule, numeric


def test_every_numeric_path_id_past_a_database_integer_is_404(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    client = signed_in(app, "boss")
    rules = list(_numeric_rules(app))
    assert {r.rule for r, _ in rules} >= {"/messages/<int:message_id>", "/attachments/<int:attachment_id>",
                                         "/admin/roles/<int:membership_id>/revoke", "/procedures/<process_id>/<int:version>",
                                         "/procedures/<process_id>/<int:version>/diagram.bpmn",
                                         "/messages/<int:message_id>/diagram"}
    for rule, numeric in rules:
        for value in (*HUGE, str(2**63 - 1)):  # the largest id that fits is simply not there
            path = re.sub(r"<(?:[\w]+(?:\([^)]*\))?:)?(\w+)>",
                          lambda m: value if m[1] in numeric else "orenburg", rule.rule)  # noqa: B023
            response = client.get(path) if "GET" in rule.methods else post_form(client, path)
            if value == str(2**63 - 1):  # reaches the view: the role check or "no such row", never a 500
                assert response.status_code < 500, (path, response.status_code)
                continue
            assert response.status_code == 404, (path[:80], response.status_code)
            assert "Не найдено" in response.get_data(as_text=True)


@pytest.mark.parametrize("period", ["0001-01", "0001-Q1", "1999-12", "9999-12", "2027-01"])
def test_a_report_period_outside_2000_to_next_year_is_a_clear_422(client_for, period: str) -> None:  # type: ignore[no-untyped-def]
    supervisor = client_for("supervisor")  # the virtual clock says 2025: next year is 2026
    for path in ("/reports", "/procedures/heatmap"):
        response = supervisor.get(f"{path}?region=orenburg&period={period}")
        page = response.get_data(as_text=True)
        assert response.status_code == 422, (path, period)
        assert "2000–2026" in page and f'value="{period}"' in page  # the form comes back with what was typed
    assert supervisor.get(f"/reports/export?region=orenburg&period={period}").status_code == 400


def test_the_first_and_last_periods_still_work(client_for) -> None:  # type: ignore[no-untyped-def]
    supervisor = client_for("supervisor")
    for period in ("2000-01", "2000-Q1", "2026-12"):
        assert supervisor.get(f"/reports?region=orenburg&period={period}").status_code == 200
    assert supervisor.get("/reports/export?region=orenburg&period=2000-01").status_code == 200


def test_parse_period_names_the_range_and_the_previous_period_is_unbounded(virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(periods.PeriodOutOfRange) as refused:
        periods.parse_period("0001-01", "Europe/Moscow")
    assert (refused.value.first, refused.value.last) == (2000, 2026)
    assert periods.parse_period("2000-01", "Europe/Moscow").previous("Europe/Moscow").label == "1999-12"


@pytest.mark.parametrize("target", ["/inbox\r\nSet-Cookie: a=b", "/inbox\nX: 1", "/\\evil.example/", "/\t/evil.example",
                                    "//evil.example", "https://evil.example/", "/" + "a" * 5000])
def test_redirect_targets_stay_on_site_and_never_carry_control_characters(app, target: str) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = post_form(client, "/locale/en", {"next": target}, token_page="/login")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    response = post_form(client, "/login", {"login": "curator", "password": "correct horse battery"},
                         token_page="/login", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"


def test_the_role_revocation_goes_back_only_to_an_admin_page(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    client = signed_in(app, "boss")
    from engine.models import Membership
    with app.extensions["otklik_db"].session() as session:
        ids = [m.id for m in session.query(Membership).filter_by(role="executor")]
    for member, back in zip(ids, ("/admin/\r\nX: 1", "/admin/\\..\\\\evil.example", "/admin/officials/curator"), strict=False):
        response = post_form(client, f"/admin/roles/{member}/revoke", {"back": back})
        assert response.status_code == 302
        assert response.headers["Location"] == (back if back == "/admin/officials/curator" else "/admin/roles")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"])
def test_admin_days_outside_2000_to_2099_are_shown_beside_the_field(app, day: str) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    client = signed_in(app, "boss")
    response = post_form(client, "/admin/roles", {"login": "curator", "organisation": "orb_health", "role": "executor",
                                                  "valid_from": "2025-11-01", "valid_to": day})
    assert response.status_code == 400 and "Дата между 01.01.2000 и 31.12.2099" in response.get_data(as_text=True)
    response = post_form(client, "/admin/substitutes", {"absent": "exec_orb_health", "substitute": "exec_orb_roads",
                                                        "valid_from": day, "valid_to": "2025-11-14"})
    assert response.status_code == 400 and "Дата между 01.01.2000 и 31.12.2099" in response.get_data(as_text=True)


@pytest.fixture
def app_on_each_backend(db):  # type: ignore[no-untyped-def]
    """The web app on SQLite and, with OTKLIK_TEST_DATABASE_URL, on PostgreSQL (which refuses NUL)."""
    from tests.factories import seed_orenburg_app
    from tests.web.conftest import PASSWORD
    from web import create_app

    web_app = create_app({"DATABASE": db, "MIGRATE": False, "TESTING": True, "SECRET_KEY": "test",
                          "LOGIN_RATE_LIMIT": "1000 per minute"})
    seed_orenburg_app(db, PASSWORD)
    return web_app


def test_a_nul_character_anywhere_is_a_clear_400(app_on_each_backend) -> None:  # type: ignore[no-untyped-def]
    app = app_on_each_backend
    anonymous = app.test_client()
    response = post_form(anonymous, "/login", {"login": "cur\0ator", "password": "x"}, token_page="/login")
    assert response.status_code == 400 and "Запрос не понят" in response.get_data(as_text=True)
    client = signed_in(app, "curator")
    for path in ("/tasks/a%00b", "/procedures/oren%00burg/1", "/procedures/oren%00burg/diff", "/messages?q=a%00b",
                 "/messages?agency=%00", "/reports?period=%00", "/inbox?x%00=1"):
        assert client.get(path).status_code == 400, path
    assert post_form(client, "/tasks/a%00b/claim").status_code == 400
    assert post_form(client, "/locale/en", {"next": "/inbox\0"}).status_code == 400


def test_admin_names_longer_than_their_columns_are_shown_beside_the_field(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    client = signed_in(app, "boss")
    response = post_form(client, "/admin/organisations", {"key": "orb_x", "name": "я" * 301, "kind": "agency",
                                                          "region": "orenburg"})
    assert response.status_code == 400 and "Не длиннее 300 символов." in response.get_data(as_text=True)
    response = post_form(client, "/admin/officials", {"login": "ivanova", "full_name": "я" * 201,
                                                      "password": "0123456789ab", "password_repeat": "0123456789ab"})
    assert response.status_code == 400 and "Не длиннее 200 символов." in response.get_data(as_text=True)
