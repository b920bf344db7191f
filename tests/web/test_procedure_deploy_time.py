"""The procedure page shows when a version was deployed in its territory's local time, with the zone,
as the version history does — not in UTC (12 hours apart in Kamchatka)."""
from __future__ import annotations

from datetime import UTC, datetime

from engine import clock
from engine.deployment.deployer import Source, deploy, library_forms
from engine.directory.territories import TerritoryInput, add_territory
from engine.runtime import cases as runtime
from tests.factories import ROOT, deploy_files, official
from tests.pagetext import visible_text


def _regulator_with(app, *diagrams: str) -> None:  # type: ignore[no-untyped-def]
    from werkzeug.security import generate_password_hash

    from tests.web.conftest import PASSWORD
    with app.extensions["otklik_db"].session() as session:
        org = session.query(runtime.Organisation).filter_by(key="orb_minpolicy").one()
        user = official(session, "regulator", org, "regulator")  # a regulator oversees every region
        user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        # Who deployed reads as the official's name, never the login (issue 16).
        official(session, "kuz_analyst", org, "analyst").full_name = "Ксения Аналитикова"
        official(session, "analyst", org, "analyst").full_name = "Антон Схемов"  # the fixture deployed Orenburg as analyst
        for diagram in diagrams:
            deploy_files(session, diagram, actor="kuz_analyst")


def test_deploy_time_is_the_territorys_local_time_with_its_zone(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    # 20:30 UTC on 31 October is already 1 November, 03:30, in Novokuznetsk (UTC+7).
    virtual_clock.set(datetime(2025, 10, 31, 20, 30, tzinfo=UTC))
    assert clock.now() == datetime(2025, 10, 31, 20, 30, tzinfo=UTC)
    _regulator_with(app, "bpmn/kuzbass.bpmn")
    client = client_for("regulator")
    page = client.get("/procedures/kuzbass/1").get_data(as_text=True)
    assert "развёрнута 01.11.2025 03:30 (время: Кемеровская область — Кузбасс, UTC+7), Ксения Аналитикова" in page
    assert "kuz_analyst" not in page
    assert "31.10.2025 20:30" not in page
    # Orenburg (the fixture's, deployed at the virtual clock's 09:00 UTC) is in Yekaterinburg's UTC+5.
    orenburg = client.get("/procedures/orenburg/1").get_data(as_text=True)
    assert "развёрнута 31.10.2025 14:00 (время: Оренбургская область, UTC+5), Антон Схемов" in orenburg


def test_the_history_shows_the_same_local_time(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(datetime(2025, 10, 31, 20, 30, tzinfo=UTC))
    _regulator_with(app, "bpmn/kuzbass.bpmn")
    with app.extensions["otklik_db"].session() as session:  # a second version, so the page links its history
        changed = (ROOT / "bpmn/kuzbass.bpmn").read_bytes().replace(b"</bpmn:definitions>", b"<!-- v2 --></bpmn:definitions>")
        virtual_clock.set(datetime(2025, 11, 2, 23, 5, tzinfo=UTC))
        deploy(session, [Source("kuzbass.bpmn", changed)], "kuz_analyst", extra_forms=library_forms())
    client = client_for("regulator")
    version = client.get("/procedures/kuzbass/2").get_data(as_text=True)
    history = client.get("/procedures/kuzbass/diff").get_data(as_text=True)
    assert "развёрнута 03.11.2025 06:05 (время: Кемеровская область — Кузбасс, UTC+7)" in version
    assert ">03.11.2025 06:05</time>" in history and ">01.11.2025 03:30</time>" in history
    assert "<td>Ксения Аналитикова</td>" in history and "kuz_analyst" not in visible_text(history.split("<main", 1)[1])


def test_kamchatka_twelve_hours_ahead(app, client_for, virtual_clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A region added as data (UTC+12): 20:30 UTC is 08:30 the next morning on its procedure page."""
    _regulator_with(app)
    with app.extensions["otklik_db"].session() as session:
        add_territory(session, TerritoryInput("kamchatka", "Камчатский край", "Asia/Kamchatka"), actor="admin")
    text = (ROOT / "bpmn" / "orenburg.bpmn").read_text(encoding="utf-8")
    text = (text.replace('processRef="orenburg"', 'processRef="kamchatka_answers"')
            .replace('<bpmn:process id="orenburg"', '<bpmn:process id="kamchatka_answers"')
            .replace('<camunda:property name="region" value="orenburg" />', '<camunda:property name="region" value="kamchatka" />'))
    assert 'value="kamchatka"' in text
    virtual_clock.set(datetime(2025, 10, 31, 20, 30, tzinfo=UTC))
    with app.extensions["otklik_db"].session() as session:
        deploy(session, [Source("kamchatka.bpmn", text.encode())], "kam_analyst", extra_forms=library_forms())
    page = client_for("regulator").get("/procedures/kamchatka_answers/1").get_data(as_text=True)
    # kam_analyst is no official here (a deploy from the server's console): said in words, not the login.
    assert "развёрнута 01.11.2025 08:30 (время: Камчатский край, UTC+12), через консоль сервера" in page
    assert "kam_analyst" not in page
