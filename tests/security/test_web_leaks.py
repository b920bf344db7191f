"""Finding 14: smaller leaks — a completer's login to anyone with a task id, other regions'
procedures in the comparison table, no HSTS, the server software in the Server header."""
from __future__ import annotations

import io
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine.models import Task
from engine.runtime import cases as runtime
from tests.factories import deploy_files
from tests.reliability.live import free_port
from tests.web.hardening_support import add_official, post_form, signed_in

ROOT = Path(__file__).resolve().parents[2]


def _completed_route_task(app) -> str:  # type: ignore[no-untyped-def]
    """The curator's first task of a case, completed by 'curator'."""
    at = datetime(2025, 10, 31, 9, 0, tzinfo=UTC)
    with app.extensions["otklik_db"].session() as session:
        runtime.start_procedure(session, runtime.MessageInput(region="orenburg", network="vk", url="https://vk.com/wall-1_1",
                                                              author="А", text="Т", posted_at=at, detected_at=at), "curator")
        task = session.scalars(select(Task).where(Task.element_id == "route_message")).one()
        task.status, task.completed_by = "completed", "curator"
        return task.id


def test_a_completed_task_names_its_completer_only_to_those_who_may_see_it(app, client_for) -> None:  # type: ignore[no-untyped-def]
    task_id = _completed_route_task(app)
    executor = client_for("exec_orb_health")  # executors never see the curator's routing step
    for action in ("claim", "unclaim"):
        response = post_form(executor, f"/tasks/{task_id}/{action}")
        assert response.status_code == 403, action
        assert "(сотрудник curator)" not in response.get_data(as_text=True)  # the 409 text, Russian by default
    assert executor.get(f"/tasks/{task_id}").status_code == 403
    curator = client_for("curator")  # who may see the task learns who did it
    response = post_form(curator, f"/tasks/{task_id}/claim")
    assert response.status_code == 409 and "(сотрудник curator)" in response.get_data(as_text=True)


@pytest.fixture
def two_regions(app):  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        deploy_files(session, "bpmn/smolensk.bpmn")
    add_official(app, "regulator", "regulator")  # a role in Orenburg only
    add_official(app, "analyst", "analyst")
    add_official(app, "smo_analyst", "analyst", "smo_dip", "smolensk")
    return app


def _columns(client) -> tuple[set[str], list[str]]:  # type: ignore[no-untyped-def]
    page = client.get("/procedures/compare").get_data(as_text=True)
    regions = {r for r in ("orenburg", "smolensk") if f'data-step="routing" data-region="{r}"' in page}
    header = [c.value for c in load_workbook(io.BytesIO(client.get("/procedures/compare.xlsx").data)).active[1]]
    return regions, header


@pytest.mark.parametrize("login, regions", [("curator", {"orenburg"}), ("supervisor", {"orenburg"}),
                                            ("analyst", {"orenburg"}), ("smo_analyst", {"smolensk"}),
                                            ("regulator", {"orenburg", "smolensk"})])
def test_the_comparison_and_the_procedure_pages_follow_one_rule(two_regions, login: str, regions: set[str]) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(two_regions, login)
    shown, header = _columns(client)
    assert shown == regions
    assert any("Смоленская" in (h or "") for h in header) == ("smolensk" in regions)
    for region in ("orenburg", "smolensk"):
        assert client.get(f"/procedures/{region}/1").status_code == (200 if region in regions else 404)
        assert (f"/procedures/{region}/1" in client.get("/procedures").get_data(as_text=True)) == (region in regions)


def test_hsts_is_sent_when_cookies_are_secure(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_no_hsts_in_the_plain_http_demo(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from web import create_app

    monkeypatch.setenv("OTKLIK_INSECURE_COOKIES", "1")
    demo = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite", "SECRET_KEY": "test"})
    assert "Strict-Transport-Security" not in demo.test_client().get("/login").headers
    demo.extensions["otklik_db"].engine.dispose()


def test_gunicorn_with_the_shipped_settings_does_not_name_itself(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "tiny.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [environ['SERVER_SOFTWARE'].encode()]\n")
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
                               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--chdir", str(tmp_path), "tiny:app"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:  # until gunicorn listens (bounded), not a sleep for an outcome
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    server_header, body = response.headers["Server"], response.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server_header == "otklik" and "gunicorn" not in body
