"""/admin/territories: regions and municipalities as data — the list (names, zone with the local time,
parent, extra holidays; the suite's clock is 2025-10-31 09:00 UTC), adding and changing one, mistakes beside the field, admins only, CSRF,
English; a change is used at once (the next unit of work), with no restart."""
from __future__ import annotations

from datetime import date

from engine.calendar.regions import get_region
from engine.directory import territories as managing
from tests.web import test_admin
from tests.web.test_admin import _client, _session, _text

# The admin pages' app (one admin "boss", one curator) and the admin's client.
app, admin = test_admin.app, test_admin.admin

KAMCHATKA = {"key": "kamchatka", "name": "Камчатский край", "kind": "region", "timezone": "Asia/Kamchatka",
             "parent": "", "extra_holidays": "2026-05-08\n2026-06-12, 2026-11-05", "extra_workdays": ""}


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return _text(response).replace("&#34;", '"').replace("&#39;", "'")


def test_the_list_shows_names_zones_local_time_parent_and_holidays(admin) -> None:  # type: ignore[no-untyped-def]
    page = _page(admin.get("/admin/territories"))
    row = page[page.index('<tr data-key="kalmanka">'):]
    row = row[:row.index("</tr>")]
    assert "Калманский район" in row and "<code class=\"muted\">kalmanka</code>" in row
    assert "муниципалитет" in row and "Asia/Barnaul" in row and ">16:00</time> (UTC+7)" in row
    assert "Алтайский край" in row  # the parent by name
    assert "Регионы и муниципалитеты" in _page(admin.get("/admin/"))


def test_add_a_region_in_another_zone_used_at_once(app, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post("/admin/territories", data={**KAMCHATKA, "own_schedule": "1", "workdays": ["0", "1", "2", "3"],
                                                      "start": "08:00", "end": "17:00", "lunch_start": "12:00",
                                                      "lunch_end": "13:00"})
    assert response.status_code == 302, _page(response)
    page = _page(admin.get("/admin/territories"))
    assert "Добавлено: Камчатский край. Действует сразу" in page
    row = page[page.index('<tr data-key="kamchatka">'):]
    row = row[:row.index("</tr>")]
    assert ">21:00</time> (UTC+12)" in row and "<td>3</td>" in row
    with _session(app) as session:  # a new unit of work, as the worker's next one
        region = get_region("kamchatka")
        assert region.timezone == "Asia/Kamchatka" and region.kind == "region"
        assert region.extra_holidays == {date(2026, 5, 8), date(2026, 6, 12), date(2026, 11, 5)}
        assert region.schedule is not None and region.schedule.workdays == {0, 1, 2, 3}
        assert region.schedule.start.hour == 8
        del session

    # A municipality of it, then its page changes the zone and the holidays.
    response = admin.post("/admin/territories", data={
        "key": "elizovo", "name": "Елизовский район", "kind": "municipality", "timezone": "Asia/Kamchatka",
        "parent": "kamchatka", "extra_holidays": "", "extra_workdays": ""})
    assert response.status_code == 302, _page(response)
    page = _page(admin.get("/admin/territories/elizovo"))
    assert 'value="Елизовский район"' in page and '<option value="kamchatka" selected>' in page
    assert 'name="key"' not in page  # the key never changes
    response = admin.post("/admin/territories/elizovo", data={
        "name": "Елизовский муниципальный район", "timezone": "Asia/Magadan", "parent": "kamchatka",
        "extra_holidays": "2026-08-01", "extra_workdays": ""})
    assert response.status_code == 302, _page(response)
    assert "Сохранено: Елизовский муниципальный район" in _page(admin.get("/admin/territories/elizovo"))
    with _session(app):
        region = get_region("elizovo")
        assert (region.name, region.timezone, region.parent) == ("Елизовский муниципальный район", "Asia/Magadan",
                                                                  "kamchatka")
        assert region.extra_holidays == {date(2026, 8, 1)} and region.schedule is None


def test_mistakes_are_shown_beside_the_field_and_nothing_typed_is_lost(app, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post("/admin/territories", data={**KAMCHATKA, "timezone": "Asia/Foo",
                                                      "extra_holidays": "2026-05-08\n8 мая"})
    page = _page(response)
    assert response.status_code == 400
    assert 'id="e-extra_holidays"' in page and "«8» — не дата" in page
    assert 'value="Asia/Foo"' in page and "2026-05-08\n8 мая</textarea>" in page and 'value="Камчатский край"' in page

    response = admin.post("/admin/territories", data={**KAMCHATKA, "timezone": "Asia/Foo"})  # the engine's refusal
    page = _page(response)
    assert response.status_code == 400
    assert '<p class="field-error" id="e-timezone">«Asia/Foo» — не часовой пояс IANA' in page

    response = admin.post("/admin/territories", data={**KAMCHATKA, "key": "orenburg"})
    assert 'id="e-key"' in _page(response) and "уже есть" in _page(response)
    response = admin.post("/admin/territories", data={**KAMCHATKA, "kind": "municipality"})
    assert 'id="e-parent"' in _page(response)
    response = admin.post("/admin/territories", data={**KAMCHATKA, "extra_workdays": "2026-05-08"})
    assert 'id="e-extra_workdays"' in _page(response)
    response = admin.post("/admin/territories", data={**KAMCHATKA, "own_schedule": "1", "start": "18:00",
                                                      "end": "09:00", "lunch_start": "13:00", "lunch_end": ""})
    page = _page(response)
    assert 'id="e-workdays"' in page and 'id="e-lunch_end"' in page
    with _session(app) as session:
        assert "kamchatka" not in [r.key for r in managing.territories(session)]
    assert admin.get("/admin/territories/atlantis").status_code == 404


def test_admins_only_and_in_english(app, admin) -> None:  # type: ignore[no-untyped-def]
    curator = _client(app, "curator")
    assert curator.get("/admin/territories").status_code == 403
    assert curator.post("/admin/territories", data=KAMCHATKA).status_code == 403
    assert curator.post("/admin/territories/orenburg", data={"name": "Взлом"}).status_code == 403
    admin.post("/locale/en", data={"next": "/admin/"})
    page = _page(admin.get("/admin/territories"))
    assert "Regions and municipalities" in page and "New region or municipality" in page
    assert "Регионы и муниципалитеты" not in page
    response = admin.post("/admin/territories", data={**KAMCHATKA, "timezone": "Asia/Foo"})
    assert "'Asia/Foo' is not an IANA time zone" in _page(response)


def test_the_forms_need_the_csrf_token(app) -> None:  # type: ignore[no-untyped-def]
    from web import create_app

    guarded = create_app({**{k: app.config[k] for k in ("DATABASE_URL", "SECRET_KEY", "BABEL_TRANSLATION_DIRECTORIES")},
                          "TESTING": True, "RATELIMIT_ENABLED": False})
    client = guarded.test_client()
    token = _text(client.get("/login")).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"login": "boss", "password": test_admin.PASSWORD, "csrf_token": token})
    assert client.post("/admin/territories", data=KAMCHATKA).status_code == 400
    token = _text(client.get("/admin/territories")).split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/admin/territories", data={**KAMCHATKA, "csrf_token": token}).status_code == 302
    guarded.extensions["otklik_db"].engine.dispose()
