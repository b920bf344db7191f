"""/admin/organisations/<key>: rename, remove (refused while in use, saying what; deactivated when
only history refers to it; deleted when nothing does), restore — with CSRF, admins only."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine import clock
from engine.directory import officials as directory
from engine.models import AuditEvent
from tests.web import test_admin
from tests.web.test_admin import _session, _text

# The admin pages' app (one admin "boss", one curator) and the admin's client.
app, admin = test_admin.app, test_admin.admin


def _flash(client) -> str:  # type: ignore[no-untyped-def]
    return _text(client.get("/admin/organisations")).replace("&#39;", "'")


def test_rename_shows_the_new_name_everywhere_and_keeps_the_key(app, admin) -> None:  # type: ignore[no-untyped-def]
    with _session(app) as session:
        directory.create_organisation(session, "orb_helth", "Минздрав Оренбургской облсти", "agency", "orenburg", "t")
    page = _text(admin.get("/admin/organisations/orb_helth"))
    assert 'value="Минздрав Оренбургской облсти"' in page and "<code>orb_helth</code>" in page
    response = admin.post("/admin/organisations/orb_helth", data={"name": "Минздрав Оренбургской области"})
    assert response.status_code == 302
    page = _text(admin.get("/admin/organisations/orb_helth"))
    assert "теперь называется «Минздрав Оренбургской области»" in page
    for listing in ("/admin/organisations", "/admin/roles"):  # the list and the role form's dropdown
        page = _text(admin.get(listing))
        assert "Минздрав Оренбургской области" in page and "облсти" not in page, listing
    with _session(app) as session:
        assert session.scalars(select(AuditEvent.actor).where(
            AuditEvent.details["renamed_organisation"].as_string() == "orb_helth")).all() == ["boss"]

    response = admin.post("/admin/organisations/orb_helth", data={"name": "  "})
    assert response.status_code == 400
    assert 'id="e-name"' in _text(response) and "Укажите название" in _text(response)
    assert admin.get("/admin/organisations/nowhere").status_code == 404


def test_remove_refused_while_in_use_then_deleted(app, admin) -> None:  # type: ignore[no-untyped-def]
    page = _text(admin.get("/admin/organisations/orb_minpolicy"))
    assert "Удалить нельзя" in page and "boss, curator" in page
    assert "Удалить организацию</button>" not in page
    response = admin.post("/admin/organisations/orb_minpolicy/remove")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/organisations/orb_minpolicy")
    page = _flash(admin)
    assert ("Не удалось удалить: организацию 'orb_minpolicy' нельзя удалить, пока с ней работают: действующие или "
            "будущие роли у boss, curator.") in page
    with _session(app) as session:
        assert directory.organisation(session, "orb_minpolicy").active
    admin.post("/locale/en", data={"next": "/admin/"})
    admin.post("/admin/organisations/orb_minpolicy/remove")
    page = _flash(admin)
    assert ("Could not remove: organisation 'orb_minpolicy' cannot be removed while it is in use: current or "
            "future roles of boss, curator.") in page
    page = _text(admin.get("/admin/organisations/orb_minpolicy"))
    assert "It cannot be removed while it is in use:" in page and "Rename" in page
    admin.post("/locale/ru", data={"next": "/admin/"})

    with _session(app) as session:
        directory.create_organisation(session, "orb_oops", "Опечатка", "agency", "orenburg", "t")
    page = _text(admin.get("/admin/organisations/orb_oops"))
    assert "будет удалена" in page and "Удалить организацию</button>" in page
    assert admin.post("/admin/organisations/orb_oops/remove").status_code == 302
    page = _flash(admin)
    assert "Организация «Опечатка» удалена." in page and "orb_oops</code>" not in page
    assert admin.post("/admin/organisations/orb_oops/remove").status_code == 302
    assert "Этой организации уже нет." in _flash(admin)


def test_only_history_left_deactivates_then_restore(app, admin) -> None:  # type: ignore[no-untyped-def]
    with _session(app) as session:
        directory.create_organisation(session, "orb_old", "Упразднённое ведомство", "agency", "orenburg", "t")
        directory.create_user(session, "ivanova", "Иванова Ольга", None, "t")
        now = clock.now()  # a role that ended last month: history
        directory.grant_role(session, "ivanova", "orb_old", "executor", "t", valid_from=now - timedelta(days=60),
                             valid_to=now - timedelta(days=30))
        directory.grant_role(session, "ivanova", "orb_minpolicy", "executor", "t")
    page = _text(admin.get("/admin/organisations/orb_old"))
    assert "будет отключена" in page and "Отключить организацию</button>" in page
    assert admin.post("/admin/organisations/orb_old/remove").status_code == 302
    page = _text(admin.get("/admin/organisations/orb_old"))
    assert "Организация «Упразднённое ведомство» отключена" in page and "Вернуть в работу" in page
    listing = _text(admin.get("/admin/organisations"))
    assert 'class="inactive"' in listing and "Упразднённое ведомство" in listing  # listed, marked
    roles = _text(admin.get("/admin/roles"))
    assert 'value="orb_old"' not in roles  # gone from the dropdowns
    response = admin.post("/admin/roles", data={"login": "ivanova", "organisation": "orb_old", "role": "executor",
                                                "valid_from": "", "valid_to": ""})
    assert response.status_code == 400 and "Выберите организацию" in _text(response)

    assert admin.post("/admin/organisations/orb_old/restore").status_code == 302
    assert "снова действует" in _text(admin.get("/admin/organisations/orb_old"))
    assert 'value="orb_old"' in _text(admin.get("/admin/roles"))


def test_the_forms_need_the_csrf_token(app) -> None:  # type: ignore[no-untyped-def]
    from web import create_app

    guarded = create_app({**{k: app.config[k] for k in ("DATABASE_URL", "SECRET_KEY", "BABEL_TRANSLATION_DIRECTORIES")},
                          "TESTING": True, "RATELIMIT_ENABLED": False})
    client = guarded.test_client()
    page = _text(client.get("/login"))
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"login": "boss", "password": "admin password 1", "csrf_token": token})
    assert client.post("/admin/organisations/orb_minpolicy", data={"name": "Взлом"}).status_code == 400
    page = _text(client.get("/admin/organisations/orb_minpolicy"))
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/admin/organisations/orb_minpolicy",
                       data={"name": "Министерство", "csrf_token": token}).status_code == 302
    guarded.extensions["otklik_db"].engine.dispose()

