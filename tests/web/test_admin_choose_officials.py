"""Role grants and substitutions choose officials by name (issue 16, item 8): a list of names with
their organisations, narrowed by a search box when there are many, in plain HTML; organisations by
name; no login or organisation key in what the administrator reads, flashes included."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine import clock
from engine.directory import officials as directory
from engine.models import Membership, Substitution, User
from tests.pagetext import assert_no_internal_names, visible_text
from tests.web.test_navigation import current_items

PASSWORD = "admin password 1"
HEALTH = "Министерство здравоохранения Оренбургской области"
POLICY = "Министерство информационной политики Оренбургской области"
# Demo logins and keys, so tests.pagetext recognises them if a page shows one.
PEOPLE = (("admin", "Администратор Борис Петрович", "orb_minpolicy", "admin"),
          ("curator", "Куратор Анна Сергеевна", "orb_minpolicy", "curator"),
          ("exec_health", "Иванова Ольга Викторовна", "orb_health", "executor"),
          ("deputy_health", "Петров Пётр Петрович", "orb_health", "executor"))


@pytest.fixture
def app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False})
    database = app.extensions["otklik_db"]
    with database.session() as session:
        directory.create_organisation(session, "orb_minpolicy", POLICY, "curator", "orenburg", "test")
        directory.create_organisation(session, "orb_health", HEALTH, "agency", "orenburg", "test")
        for login, name, org, role in PEOPLE:
            directory.create_user(session, login, name, generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"), "test")
            directory.grant_role(session, login, org, role, "test")
        directory.create_user(session, "nobody_yet", "Сидорова Мария Ивановна", None, "test")
    yield app
    database.engine.dispose()


@pytest.fixture
def admin(app) -> FlaskClient:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.post("/login", data={"login": "admin", "password": PASSWORD}).status_code == 302
    return client


def _options(html: str, name: str) -> list[tuple[str, str]]:
    """(value, words) of each option of the select ``name``."""
    select_html = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', html, re.S)
    assert select_html, f"no select {name}"
    return [(value, " ".join(words.split())) for value, words in
            re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select_html.group(0), re.S)]


def test_a_role_is_granted_choosing_the_official_and_the_organisation_by_name(app, admin) -> None:  # type: ignore[no-untyped-def]
    html = admin.get("/admin/roles").get_data(as_text=True)
    officials = _options(html, "login")
    assert ("exec_health", f"Иванова Ольга Викторовна — {HEALTH}") in officials
    assert ("nobody_yet", "Сидорова Мария Ивановна") in officials  # no role yet: the name alone
    assert [words for _, words in officials][1:3] == [f"Администратор Борис Петрович — {POLICY}",
                                                      f"Иванова Ольга Викторовна — {HEALTH}"]  # by name
    assert ("orb_health", HEALTH) in _options(html, "organisation")  # the name, not "(orb_health)"
    assert current_items(html) == ["Администрирование"]
    assert_no_internal_names(visible_text(html))

    response = admin.post("/admin/roles", data={"login": "nobody_yet", "organisation": "orb_health",
                                                "role": "executor", "valid_from": "", "valid_to": ""},
                          follow_redirects=True)
    page = visible_text(response.get_data(as_text=True))
    assert f"Роль назначена: Сидорова Мария Ивановна — Исполнитель, {HEALTH}." in page
    assert_no_internal_names(page)
    with app.extensions["otklik_db"].session() as session:
        assert [(r.role, r.organisation_key) for r in directory.roles_of(session, "nobody_yet")] == [
            ("executor", "orb_health")]


def test_many_officials_are_found_by_name_with_the_search_box(app, admin) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        for n in range(directory.CHOICE_LIMIT + 10):
            directory.create_user(session, f"clerk_{n:02d}", f"Служащий Номер {n:02d}", None, "test")
    total = directory.CHOICE_LIMIT + 10 + len(PEOPLE) + 1
    html = admin.get("/admin/roles").get_data(as_text=True)
    assert len(_options(html, "login")) == directory.CHOICE_LIMIT + 1  # and the blank «— выберите —»
    assert f"Показаны {directory.CHOICE_LIMIT} из {total}: найдите сотрудника по фамилии." in visible_text(html)

    html = admin.get("/admin/roles?q=ИВАНОВА").get_data(as_text=True)  # Cyrillic, any case
    assert _options(html, "login")[1:] == [("exec_health", f"Иванова Ольга Викторовна — {HEALTH}")]
    assert 'name="q" value="ИВАНОВА"' in html
    html = admin.get("/admin/roles?q=мария сидорова").get_data(as_text=True)  # every word, any order
    assert [value for value, _ in _options(html, "login")[1:]] == ["nobody_yet"]
    html = admin.get("/admin/roles?q=Кузнецов").get_data(as_text=True)
    assert _options(html, "login") == [("", "— выберите —")]
    assert "По запросу «Кузнецов» никого нет: измените запрос." in visible_text(html)

    # A refused form keeps the search it was sent from and the official chosen.
    response = admin.post("/admin/roles", data={"q": "иванова", "login": "exec_health", "organisation": "",
                                                "role": "executor", "valid_from": "", "valid_to": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<option value="exec_health" selected>' in html and len(_options(html, "login")) == 2


def test_a_substitute_is_chosen_by_name(app, admin) -> None:  # type: ignore[no-untyped-def]
    html = admin.get("/admin/substitutes?absent=exec_health").get_data(as_text=True)
    assert '<option value="exec_health" selected>' in html
    assert ("deputy_health", f"Петров Пётр Петрович — {HEALTH}") in _options(html, "substitute")
    assert_no_internal_names(visible_text(html))
    response = admin.post("/admin/substitutes", data={"absent": "exec_health", "substitute": "deputy_health",
                                                      "valid_from": "2025-11-01", "valid_to": "2025-11-30"},
                          follow_redirects=True)
    page = visible_text(response.get_data(as_text=True))
    assert "Замещение сохранено: Петров Пётр Петрович замещает Иванова Ольга Викторовна." in page
    assert_no_internal_names(page)
    with app.extensions["otklik_db"].session() as session:
        assert session.scalar(select(Substitution.id)) is not None


def test_flashes_about_an_account_name_the_official(app, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post("/admin/officials", data={"login": "kal_official", "full_name": "Орлова Вера Николаевна",
                                                    "password": "long enough 1", "password_repeat": "long enough 1"},
                          follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Сотрудник Орлова Вера Николаевна создан. Назначьте ему роль." in visible_text(html)
    assert '<option value="kal_official" selected>' in html  # the role form has them chosen already
    page = visible_text(admin.post("/admin/officials/exec_health/active", data={"active": "0"},
                                   follow_redirects=True).get_data(as_text=True))
    assert "Вход для сотрудника Иванова Ольга Викторовна отключён." in page
    page = visible_text(admin.post("/admin/officials/exec_health", data={"password": "a new password",
                                                                        "password_repeat": "a new password"},
                                   follow_redirects=True).get_data(as_text=True))
    assert "Пароль сотрудника Иванова Ольга Викторовна изменён. Сообщите его лично." in page


def test_the_choice_shows_only_the_organisations_held_now(app) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        ended = clock.now() - timedelta(days=1)
        directory.grant_role(session, "deputy_health", "orb_minpolicy", "curator", "test",
                             valid_from=datetime(2020, 1, 1, tzinfo=ended.tzinfo), valid_to=ended)
        choices = directory.choose_officials(session, "петров пётр")
        assert [(p.login, p.organisations) for p in choices.people] == [("deputy_health", (HEALTH,))]
        # Kept: an official chosen in the form stays offered even when the search does not match.
        choices = directory.choose_officials(session, "петров пётр", keep=["curator"])
        assert [p.login for p in choices.people] == ["deputy_health", "curator"] and choices.total == 1
        user = session.scalar(select(User).where(User.login == "nobody_yet"))
        assert user is not None and not session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
