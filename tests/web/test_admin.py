"""Administration pages: organisations, officials, roles, substitutes — admins only."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.directory import officials as directory
from engine.errors import Conflict
from engine.models import Membership, Substitution

PASSWORD = "admin password 1"
ROOT = Path(__file__).resolve().parents[2]
ORENBURG = ZoneInfo("Asia/Yekaterinburg")


def _compiled_translations(target: Path) -> str:
    """Compile the English catalogue into ``target`` so the test needs no `make` step."""
    source = ROOT / "web/translations/en/LC_MESSAGES/messages.po"
    out = target / "en/LC_MESSAGES"
    out.mkdir(parents=True)
    with source.open("rb") as po, (out / "messages.mo").open("wb") as mo:
        write_mo(mo, read_po(po, locale="en"))
    return str(target)


@pytest.fixture
def app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False,
                      "BABEL_TRANSLATION_DIRECTORIES": _compiled_translations(tmp_path / "translations")})
    database = app.extensions["otklik_db"]
    with database.session() as session:
        directory.create_organisation(session, "orb_minpolicy", "Министерство информационной политики", "curator",
                                      "orenburg", "test")
        for login, role in (("boss", "admin"), ("curator", "curator")):
            directory.create_user(session, login, login.title(), generate_password_hash(PASSWORD), "test")
            directory.grant_role(session, login, "orb_minpolicy", role, "test")
    yield app
    database.engine.dispose()


def _client(app, login: str, password: str = PASSWORD) -> FlaskClient:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"login": login, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def admin(app) -> FlaskClient:  # type: ignore[no-untyped-def]
    return _client(app, "boss")


def _session(app):  # type: ignore[no-untyped-def]
    return app.extensions["otklik_db"].session()


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_admin_builds_the_directory(app, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post("/admin/organisations", data={"key": "orb_health", "name": "Минздрав Оренбургской области",
                                                        "kind": "agency", "region": "orenburg", "parent": ""})
    assert response.status_code == 302
    page = _text(admin.get("/admin/organisations?region=orenburg"))
    assert "Минздрав Оренбургской области" in page and "Оренбургская область" in page

    for login, name in (("ivanova", "Иванова Ольга Викторовна"), ("petrov", "Петров Пётр Петрович")):
        response = admin.post("/admin/officials", data={"login": login, "full_name": name,
                                                        "password": "ten chars!", "password_repeat": "ten chars!"})
        assert response.status_code == 302 and f"/admin/roles?login={login}" in response.headers["Location"]
    assert "Иванова Ольга Викторовна" in _text(admin.get("/admin/officials"))

    response = admin.post("/admin/roles", data={"login": "ivanova", "organisation": "orb_health", "role": "executor",
                                                "valid_from": "2025-10-01", "valid_to": "2025-12-31"})
    assert response.status_code == 302
    with _session(app) as session:
        assert [(r.role, r.organisation_key) for r in directory.roles_of(session, "ivanova")] == [
            ("executor", "orb_health")]
        member = session.scalar(select(Membership).where(Membership.role == "executor"))
        # Whole days in Orenburg's time: from 1 October 00:00 up to (not including) 1 January 00:00.
        assert member.valid_from == datetime(2025, 10, 1, tzinfo=ORENBURG)
        assert member.valid_to == datetime(2026, 1, 1, tzinfo=ORENBURG)
    assert "Иванова Ольга Викторовна" in _text(admin.get("/admin/roles?region=orenburg"))

    response = admin.post("/admin/substitutes", data={"absent": "ivanova", "substitute": "petrov",
                                                      "valid_from": "2025-11-03", "valid_to": "2025-11-14"})
    assert response.status_code == 302
    with _session(app) as session:
        row = session.scalar(select(Substitution))
        assert row.valid_from == datetime(2025, 11, 3, tzinfo=ORENBURG)
        assert row.valid_to == datetime(2025, 11, 15, tzinfo=ORENBURG)
    page = _text(admin.get("/admin/substitutes"))
    assert "Петров Пётр Петрович" in page and "предстоит" in page  # the clock says 31 October
    assert "Петров Пётр Петрович замещает Иванова Ольга Викторовна" in _text(admin.get("/admin/officials/ivanova"))


def test_new_official_signs_in_and_admin_manages_the_account(app, admin) -> None:  # type: ignore[no-untyped-def]
    admin.post("/admin/officials", data={"login": "ivanova", "full_name": "Иванова",
                                         "password": "first password", "password_repeat": "first password"})
    _client(app, "ivanova", "first password")

    assert admin.post("/admin/officials/ivanova", data={"password": "second password",
                                                        "password_repeat": "second password"}).status_code == 302
    _client(app, "ivanova", "second password")

    admin.post("/admin/officials/ivanova/active", data={"active": "0"})
    refused = app.test_client().post("/login", data={"login": "ivanova", "password": "second password"})
    assert refused.status_code == 401
    admin.post("/admin/officials/ivanova/active", data={"active": "1"})
    _client(app, "ivanova", "second password")


def test_revoke_role_and_self_protection(app, admin) -> None:  # type: ignore[no-untyped-def]
    with _session(app) as session:
        curator_role = session.scalar(select(Membership.id).where(Membership.role == "curator"))
        admin_role = session.scalar(select(Membership.id).where(Membership.role == "admin"))
    assert admin.post(f"/admin/roles/{curator_role}/revoke").status_code == 302
    with _session(app) as session:
        assert directory.roles_of(session, "curator") == []

    page = _text(admin.post(f"/admin/roles/{admin_role}/revoke", follow_redirects=True))
    assert "Нельзя снять роль администратора с самого себя" in page
    page = _text(admin.post("/admin/officials/boss/active", data={"active": "0"}, follow_redirects=True))
    assert "Нельзя отключить собственную учётную запись" in page
    assert admin.get("/admin/").status_code == 200  # still an active admin


def test_the_directory_refuses_self_lockout_and_the_console_can_still_unlock(app) -> None:  # type: ignore[no-untyped-def]
    """The rules live in engine.directory, so every caller gets them; the console's actor is
    ``cli:<user>``, never a login, so it can still switch anyone off or take any role away."""
    with _session(app) as session:
        admin_role = session.scalar(select(Membership.id).where(Membership.role == "admin"))
        with pytest.raises(directory.OwnAccount):
            directory.set_active(session, "boss", False, "boss")
        with pytest.raises(directory.OwnAdminRole):
            directory.revoke_role(session, admin_role, "boss")
        directory.set_active(session, "boss", True, "boss")  # switching oneself *on* is harmless
        directory.set_active(session, "boss", False, "cli:root")
        assert not directory.user(session, "boss").is_active
        directory.revoke_role(session, admin_role, "cli:root")
        assert directory.roles_of(session, "boss") == []


def test_password_and_key_rules_have_one_home() -> None:
    """The admin page and `otklik users` both ask engine.directory.officials."""
    assert directory.is_key("orb_roads") and directory.is_key("ab")
    assert not any(directory.is_key(key) for key in ("a", "1abc", "Orb", "orb-roads", "о_рб", "a" * 65))
    assert directory.password_is_long_enough("x" * directory.MIN_PASSWORD)
    assert not directory.password_is_long_enough("x" * (directory.MIN_PASSWORD - 1))
    with pytest.raises(ValueError, match=f"at least {directory.MIN_PASSWORD} characters"):
        directory.check_password("short")
    directory.check_password("long enough password")


def _admin_urls(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    sample = {"login": "curator", "membership_id": 1, "substitution_id": 1, "key": "orb_minpolicy", "territory": "orenburg",
              "delivery_id": 1}
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            url = rule.rule
            for argument in rule.arguments:
                url = url.replace(f"<{argument}>", str(sample[argument])).replace(f"<int:{argument}>",
                                                                                  str(sample[argument]))
            urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


def test_every_admin_route_is_for_admins_only(app) -> None:  # type: ignore[no-untyped-def]
    urls = _admin_urls(app)
    assert len(urls) >= 10
    curator = _client(app, "curator")
    anonymous = app.test_client()
    for method, url in urls:
        assert curator.open(url, method=method).status_code == 403, (method, url)
        response = anonymous.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)
    with _session(app) as session:  # nothing changed: the curator still holds the role
        assert [r.role for r in directory.roles_of(session, "curator")] == ["curator"]


def test_validation_errors_are_shown_beside_fields_and_typed_values_kept(admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post("/admin/organisations", data={"key": "Bad Key", "name": "Минстрой", "kind": "agency",
                                                        "region": "atlantis", "parent": ""})
    page = _text(response)
    assert response.status_code == 400
    assert 'value="Bad Key"' in page and 'value="Минстрой"' in page
    assert 'id="e-key"' in page and 'id="e-region"' in page and "Выберите регион" in page
    assert '<option value="agency" selected>' in page

    response = admin.post("/admin/officials", data={"login": "ivanova", "full_name": "Иванова Ольга",
                                                    "password": "short", "password_repeat": "short"})
    page = _text(response)
    assert response.status_code == 400
    assert 'value="ivanova"' in page and 'value="Иванова Ольга"' in page
    assert "Пароль не короче 10 символов" in page and 'value="short"' not in page

    response = admin.post("/admin/officials", data={"login": "curator", "full_name": "Двойник",
                                                    "password": "long enough 1", "password_repeat": "long enough 2"})
    page = _text(response)
    assert "Этот логин уже занят" in page and "Пароли не совпадают" in page

    response = admin.post("/admin/roles", data={"login": "nobody", "organisation": "orb_minpolicy",
                                                "role": "executor", "valid_from": "2025-12-01", "valid_to": "2025-11-01"})
    page = _text(response)
    assert response.status_code == 400
    # The official is chosen from a list by name; an unknown value is refused without echoing a login.
    assert "Такого сотрудника нет: найдите его по фамилии и выберите из списка." in page
    assert "nobody" not in page and "Дата окончания раньше даты начала" in page
    assert 'value="2025-12-01"' in page and '<option value="orb_minpolicy" selected>' in page

    response = admin.post("/admin/substitutes", data={"absent": "curator", "substitute": "curator",
                                                      "valid_from": "", "valid_to": "2025-11-05"})
    page = _text(response)
    assert response.status_code == 400
    assert "не может замещать сам себя" in page and "Укажите дату" in page and 'value="2025-11-05"' in page


def test_engine_refusal_is_shown_as_a_message(admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise Conflict("membership overlaps an existing one")

    monkeypatch.setattr(directory, "grant_role", refuse)
    response = admin.post("/admin/roles", data={"login": "curator", "organisation": "orb_minpolicy",
                                                "role": "supervisor", "valid_from": "", "valid_to": ""})
    page = _text(response)
    assert response.status_code == 400
    assert "Не удалось сохранить: membership overlaps an existing one" in page
    assert 'value="curator"' in page


def test_admin_pages_in_english(admin) -> None:  # type: ignore[no-untyped-def]
    admin.post("/locale/en", data={"next": "/admin/"})
    page = _text(admin.get("/admin/organisations"))
    assert "Organisations" in page and "New organisation" in page and "Организации" not in page


def test_admin_cancels_a_substitution_and_the_substitute_loses_the_role(app, admin) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from engine import clock
    from engine.models import AuditEvent

    with _session(app) as session:
        directory.create_user(session, "petrov", "Петров Пётр Петрович", None, "test")
        row = directory.add_substitution(session, "curator", "petrov", clock.now(), clock.now() + timedelta(days=7), "test")
        row_id = row.id
        assert [r.role for r in directory.roles_of(session, "petrov")] == ["curator"]
    page = _text(admin.get("/admin/substitutes"))
    assert f'action="/admin/substitutes/{row_id}/remove"' in page and "Отменить</button>" in page
    assert admin.post(f"/admin/substitutes/{row_id}/remove").status_code == 302
    page = _text(admin.get("/admin/substitutes"))
    assert "Замещение отменено." in page and "Замещений нет." in page
    with _session(app) as session:
        assert directory.substitutions(session) == [] and directory.roles_of(session, "petrov") == []
        assert session.scalars(select(AuditEvent.actor).where(
            AuditEvent.details["removed_substitution"].as_integer() == row_id)).all() == ["boss"]
    assert admin.post(f"/admin/substitutes/{row_id}/remove").status_code == 302
    assert "Это замещение уже отменено." in _text(admin.get("/admin/substitutes"))



def test_directory_refusal_is_in_the_page_language(admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The engine's refusal (a Text by code) is Russian on a Russian page, English after /locale/en.
    Another admin creates the same key between the page's check and the save: the engine refuses."""
    create = directory.create_organisation

    def raced(session, key, *args, **kwargs):  # type: ignore[no-untyped-def]
        create(session, key, *args, **kwargs)  # the other admin's organisation
        return create(session, key, *args, **kwargs)

    monkeypatch.setattr(directory, "create_organisation", raced)
    new = {"key": "orb_health", "name": "Минздрав", "kind": "agency", "region": "orenburg", "parent": ""}
    response = admin.post("/admin/organisations", data=new)
    page = _text(response).replace("&#39;", "'")
    assert response.status_code == 400
    assert "Не удалось сохранить: организация 'orb_health' уже есть" in page
    assert "already exists" not in page

    admin.post("/locale/en", data={"next": "/admin/"})
    page = _text(admin.post("/admin/organisations", data=new)).replace("&#39;", "'")
    assert "organisation 'orb_health' already exists" in page
