"""Procedure pages (server side): catalogue, version with its card, comparison and XLSX, a case
on its diagram, the heatmap; who may see what. The drawing itself is tested in the browser."""
from __future__ import annotations

import io
from datetime import UTC

from openpyxl import load_workbook

from engine.runtime import cases as runtime
from tests.factories import deploy_files, official


def _regulator(app) -> None:  # type: ignore[no-untyped-def]
    from werkzeug.security import generate_password_hash

    from tests.web.conftest import PASSWORD
    with app.extensions["otklik_db"].session() as session:
        org = session.query(runtime.Organisation).filter_by(key="orb_minpolicy").one()
        user = official(session, "regulator", org, "regulator")
        user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        deploy_files(session, "bpmn/smolensk.bpmn")  # another region: the regulator holds a role in Orenburg only


def test_regulator_sees_the_catalogue_and_a_version_with_its_card(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _regulator(app)
    client = client_for("regulator")
    index = client.get("/procedures").get_data(as_text=True)
    assert "/procedures/orenburg/1" in index and "/procedures/smolensk/1" in index  # a regulator oversees every region
    page = client.get("/procedures/orenburg/1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "unsafe-inline" in page.headers["Content-Security-Policy"]
    assert 'data-diagram-url="/procedures/orenburg/1/diagram.bpmn"' in html and 'data-card="#procedure-card"' in html
    assert '<tr data-element="route_message">' in html and "30 рабочих минут с момента выявления" in html
    xml = client.get("/procedures/orenburg/1/diagram.bpmn")
    assert xml.mimetype == "application/xml" and b'id="route_message"' in xml.data
    assert client.get("/procedures/smolensk/1").status_code == 200  # the same rule as the comparison table
    assert client.get("/procedures/orenburg/9").status_code == 404


def test_comparison_page_and_xlsx(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _regulator(app)
    client = client_for("regulator")
    html = client.get("/procedures/compare").get_data(as_text=True)
    assert 'data-step="routing" data-region="orenburg"' in html and "30 рабочих минут" in html
    # A territory with no procedure yet is named as people read it, never by its key.
    assert "Алтайский край" in html and "altai" not in html.split("data-region")[-1]
    book = load_workbook(io.BytesIO(client.get("/procedures/compare.xlsx").data))
    assert book.active.max_row >= 12


def test_a_case_on_its_diagram(app, client_for) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    with app.extensions["otklik_db"].session() as session:
        at = datetime(2025, 10, 31, 9, 0, tzinfo=UTC)
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="А", text="Т",
            posted_at=at, detected_at=at), "curator")
        message_id = instance.message_id
    curator = client_for("curator")
    page = curator.get(f"/messages/{message_id}/diagram")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '"route_message": "marker-current"' in html
    assert "routing_deadline" in html and 'id="instance-xml"' in html
    assert f'href="/messages/{message_id}/diagram"' in curator.get(f"/messages/{message_id}").get_data(as_text=True)
    assert client_for("exec_orb_roads").get(f"/messages/{message_id}/diagram").status_code == 404


def test_heatmap_page(client_for) -> None:  # type: ignore[no-untyped-def]
    supervisor = client_for("supervisor")
    page = supervisor.get("/procedures/heatmap?region=orenburg&period=2025-11")
    assert page.status_code == 200 and 'data-overlays=' in page.get_data(as_text=True)
    assert supervisor.get("/procedures/heatmap?region=orenburg&period=x").status_code == 422
    assert supervisor.get("/procedures/heatmap?region=smolensk").status_code == 403
    assert client_for("exec_orb_roads").get("/procedures/heatmap").status_code == 403
    assert client_for("exec_orb_roads").get("/procedures").status_code == 403
