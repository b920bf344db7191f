"""What the regulator and supervisors read: the rule on the procedure card and in the comparison, the
surges found with the messages behind them; nobody else's territory, no executor."""
from __future__ import annotations

from datetime import timedelta

from engine.surges.detect import detect_surges
from tests.surges.conftest import PLACE, T0, TOPIC
from tests.surges.stream import add_messages, burst, message_rows, steady
from tests.web.conftest import app, client_for  # noqa: F401 - fixtures used by name

__all__ = ["app", "client_for"]
RULE = "Всплеск: от 10 сообщений одной темы и места за 60 минут, в 3 раза выше обычного за 28 дней → Губернатору (п. 21)"


def _surge(app) -> int:  # type: ignore[no-untyped-def]
    db = app.extensions["otklik_db"]
    steady(db, "orenburg", TOPIC, PLACE, T0, days=28, per_hour=0.5)
    burst(db, "orenburg", TOPIC, PLACE, T0, count=12, minutes=40)
    [surge_id] = detect_surges(db, T0 + timedelta(minutes=45))
    return surge_id


def test_the_card_and_the_comparison_show_the_rule(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("supervisor")
    card = client.get("/procedures/orenburg/1").get_data(as_text=True)
    assert RULE in card and "(правило процедуры о всплесках)" in card and "surge.*" not in card  # no property names (issue 16)
    table = client.get("/procedures/compare").get_data(as_text=True)
    assert "Всплеск социальной активности" in table and RULE.removesuffix(" (п. 21)") in table


def test_supervisors_see_the_surges_with_their_messages(app, client_for) -> None:  # type: ignore[no-untyped-def]
    surge_id = _surge(app)
    client = client_for("supervisor")
    page = client.get("/surges").get_data(as_text=True)
    assert "Дороги и транспорт" in page and PLACE in page and f"/surges/{surge_id}" in page
    assert "10.11.2025 09:45 – 10.11.2025 10:45" in page  # the window in Orenburg's time
    one = client.get(f"/surges/{surge_id}").get_data(as_text=True)
    assert one.count("Автор всплеска") == 12 and "/messages/" in one


def test_the_governor_told_of_it_opens_the_surge_from_the_notification(app, client_for) -> None:  # type: ignore[no-untyped-def]
    from werkzeug.security import generate_password_hash

    from tests.factories import official, organisation
    from tests.web.conftest import PASSWORD

    with app.extensions["otklik_db"].session() as session:
        office = organisation(session, "orb_governor", "administration", "orenburg", "Аппарат Губернатора")
        official(session, "governor", office, "governor").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    surge_id = _surge(app)
    client = client_for("governor")
    told = client.get("/notifications").get_data(as_text=True)
    assert "Всплеск социальной активности" in told and f"/surges/{surge_id}" in told
    assert client.get(f"/surges/{surge_id}").get_data(as_text=True).count("Автор всплеска") == 12


def test_no_executor_and_no_other_territory(app, client_for) -> None:  # type: ignore[no-untyped-def]
    surge_id = _surge(app)
    assert client_for("exec_orb_roads").get("/surges").status_code == 403
    db = app.extensions["otklik_db"]
    from tests.factories import deploy_files
    with db.session() as session:
        deploy_files(session, "bpmn/smolensk.bpmn")
    add_messages(db, message_rows("smolensk", [T0 + timedelta(minutes=i) for i in range(15)], "roads", None))
    [other] = detect_surges(db, T0 + timedelta(minutes=20))
    client = client_for("supervisor")  # Orenburg's
    assert client.get(f"/surges/{other}").status_code == 404
    assert client.get(f"/surges/{surge_id}").status_code == 200
    assert "место не указано" not in client.get("/surges").get_data(as_text=True)  # Smolensk's is not listed
