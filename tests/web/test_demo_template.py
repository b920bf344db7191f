"""The demo's village council (issue 14): after `make run`'s steps — deploy the diagrams and the
templates, then `otklik demo` — the council in Altai has adopted the municipal template with its own
choices, a template v2 waits to be upgraded to, the regulator's comparison shows the council beside
its template, and the council's official registers a message that runs its own procedure."""
from __future__ import annotations

import functools
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from engine.demo import municipality
from engine.demo import seed as demo
from engine.models import Deployment
from engine.templates import parameters_of, templates, upgrade_plan
from tests.factories import ROOT, deploy_files

DIAGRAMS = [str(p.relative_to(ROOT)) for p in [*sorted((ROOT / "bpmn").glob("*.bpmn")),
                                              *sorted((ROOT / "bpmn" / "templates").glob("*.bpmn"))]]
fast_hash = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")


@pytest.fixture
def demo_app(tmp_path: Path, virtual_clock):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "up"), "SECRET_KEY": "test", "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    with database.session() as session:  # make run: otklik deploy bpmn/*.bpmn bpmn/templates/*.bpmn
        deploy_files(session, *DIAGRAMS)
    with database.session() as session:  # then otklik demo
        logins = demo.seed(session, fast_hash, check_password_hash, tmp_path / "logins.txt")
    # Monday 2025-11-10 07:00 UTC: 14:00 in Barnaul, a working hour for the council.
    virtual_clock.set(datetime(2025, 11, 10, 7, 0, tzinfo=UTC))
    app.config["DEMO_PASSWORDS"] = {item.login: item.password for item in logins}
    yield app
    database.engine.dispose()


def _login(app, login: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    password = app.config["DEMO_PASSWORDS"][login]
    assert client.post("/login", data={"login": login, "password": password}).status_code == 302
    return client


def test_the_council_adopted_the_template_and_version_2_waits(demo_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    database = demo_app.extensions["otklik_db"]
    with database.session() as session:
        [template] = templates(session)
        assert template.versions == (2, 1)
        [adopter] = template.adopters
        assert (adopter.territory, adopter.template_version) == ("berezovka", 1)
        plan = upgrade_plan(session, adopter.process_id)
        assert (plan.current, plan.newest) == (1, 2)
        assert [p.parameter.name for p in plan.added] == [municipality.NEW_PARAMETER[0]] and plan.removed == ()
        adopted = parameters_of(session, template.process_id, 1)
        chosen = municipality.council_values(adopted)
        kept = {p.parameter.name: p.value for p in plan.kept}
        assert {name: kept[name] for name in chosen} == chosen  # the council's own choices, kept on upgrade
        assert {p.name for p in adopted if chosen.get(p.name, p.default) != p.default} == set(chosen)
        # The next version's longer first days deadline: the council never changed it, so it is offered.
        first = next(p for p in adopted if p.type == "days")
        assert [(m.parameter.name, m.old_default, m.value) for m in plan.default_moved] == [
            (first.name, first.default, str(int(first.default) + 1))]
        before = session.scalar(select(func.count()).select_from(Deployment))
    with database.session() as session:  # a second `otklik demo` (the next `make run`) adds nothing
        again = demo.seed(session, fast_hash, check_password_hash, tmp_path / "logins.txt")
        assert municipality.seed_adoption(session) == municipality.DemoAdoption(
            template.process_id, adopter.process_id, 1, 2)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Deployment)) == before
        assert [t.versions for t in templates(session)] == [(2, 1)]
    assert {i.login for i in again} >= {"ber_official", "ber_analyst"}


def test_the_regulator_compares_the_council_with_its_template(demo_app) -> None:  # type: ignore[no-untyped-def]
    client = _login(demo_app, "regulator")
    html = client.get("/procedures/compare").get_data(as_text=True)
    council = html.split('data-region="berezovka"')
    assert len(council) > 1, "the council's column is shown"
    assert 'data-template="municipal_template"' in html
    assert "по шаблону «Типовой муниципальный порядок: сообщения из открытых источников (шаблон)», версия 1" in html
    assert "не как в шаблоне (Срок направления сообщения после выявления)" in html and "(routing_hours)" not in html
    assert "<strong>Кто размещает ответ</strong>: исполнитель, после согласования уполномоченным лицом" in html
    assert 'data-differs="routing_hours"' in html  # the council doubled the routing deadline
    assert "Параметры, отличные от шаблона" in html and 'data-parameter="use_reception"' in html
    book = load_workbook(io.BytesIO(client.get("/procedures/compare.xlsx").data))
    header = [c.value for c in book.active[1]]
    assert any(h and "по шаблону «Типовой муниципальный порядок: сообщения из открытых источников (шаблон)», версия 1" in h
               for h in header)
    assert not any(h and "municipal_template" in h for h in header)


def test_the_council_s_official_runs_its_own_procedure(demo_app) -> None:  # type: ignore[no-untyped-def]
    client = _login(demo_app, "ber_official")
    page = client.get("/messages/new").get_data(as_text=True)
    detected = page.split('name="detected_at"')[1].split('value="')[1][:16]
    assert detected == "2025-11-10T14:00"  # Barnaul time, the council's zone
    response = client.post("/messages/new", data={
        "network": "vk", "url": "https://vk.com/wall-2_2", "author": "Мария Иванова", "text": "Не горит фонарь",
        "posted_at": detected, "detected_at": detected, "repeat_of": ""}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    # No reception (the council's choice): the official routes the message to the department directly.
    # After registering, the official lands on the next step (the routing task; issue 16 item 4).
    assert response.headers["Location"].startswith("/tasks/"), response.headers["Location"]
    assert "Направить в подразделение" in card and "Направить в приёмную" not in card
