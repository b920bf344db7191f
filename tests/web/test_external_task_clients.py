"""Real Camunda 7 external-task workers against the live server on loopback (issue 17 §1): the Python
package camunda-external-task-client-python3 (Bearer token) and the npm package
camunda-external-task-client-js (Basic, tests/node/external_worker.mjs) each fetch the waiting
task of a deployed diagram (a test copy of Orenburg's whose threat step a worker serves), complete
it — or report a BPMN error the diagram catches — and the case advances.

Without Node the JS client's tests skip with a message; in CI (``OTKLIK_REQUIRE_NODE=1``) that is a failure."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from engine.models import AuditEvent, ExternalTask
from tests.external.diagram import ERROR_CODE, TASK, TOPIC
from tests.external.live import worker_app_case
from tests.web.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "node" / "external_worker.mjs"


@pytest.fixture
def served(app, virtual_clock) -> Iterator[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    """A case waiting for the worker, and the app on a loopback port: its /engine-rest URL."""
    case = worker_app_case(app, virtual_clock, PASSWORD)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/engine-rest", case
    server.shutdown()
    thread.join(timeout=5)


def _completed_with(case: Any) -> dict[str, Any]:
    with case.db.session() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.kind.in_(
            ["external_completed", "external_bpmn_error"]))).all()
        row = session.get(ExternalTask, event.details["task_id"])
        assert row is not None
        return {"kind": event.kind, "worker": row.completed_by, **event.details}


def test_the_python_client_completes_the_task_and_the_case_advances(served, app) -> None:  # type: ignore[no-untyped-def]
    from camunda.external_task.external_task_worker import ExternalTaskWorker

    from engine.directory.api_tokens import create_token

    endpoint, case = served
    with app.extensions["otklik_db"].session() as session:
        _info, secret = create_token(session, "analyst", "registry worker", None, actor="analyst")
    seen: dict[str, Any] = {}

    def handle(task: Any) -> Any:
        seen.update(id=task.get_task_id(), activity=task.get_activity_id(), category=task.get_variable("category"),
                    business_key=task.get_business_key())
        return task.complete({"registry_number": "PY-17", "checked": True, "pages": 2})

    worker = ExternalTaskWorker("py-worker", endpoint, {
        "auth_bearer": {"access_token": secret}, "maxTasks": 1, "lockDuration": 20_000,
        "asyncResponseTimeout": 1_000, "sleepSeconds": 0, "httpTimeoutMillis": 10_000})
    worker.fetch_and_execute(TOPIC, handle)
    assert seen["activity"] == TASK and seen["category"] == "threat"
    assert seen["business_key"] == str(case.message().id)
    assert case.instance().status == "completed"
    completed = _completed_with(case)
    assert completed["worker"] == "py-worker" and completed["variables"] == ["checked", "pages", "registry_number"]


def test_the_python_client_reports_a_failure_with_retries(served) -> None:  # type: ignore[no-untyped-def]
    from camunda.external_task.external_task_worker import ExternalTaskWorker

    endpoint, case = served
    worker = ExternalTaskWorker("py-worker", endpoint, {
        "auth_basic": {"username": "analyst", "password": PASSWORD}, "maxTasks": 1, "lockDuration": 20_000,
        "asyncResponseTimeout": 0, "httpTimeoutMillis": 10_000})
    worker.fetch_and_execute(TOPIC, lambda task: task.failure("registry down", "timeout", 2, 60_000))
    with case.db.session() as session:
        [row] = session.scalars(select(ExternalTask)).all()
        assert (row.retries, row.error_message, row.worker_id) == (2, "registry down", None)
    assert case.instance().status == "running"


@pytest.fixture(scope="module")
def node() -> str:
    path = shutil.which("node")
    if path is None:
        message = "no Node.js found (apt-get install nodejs); the JS external-task client is skipped"
        if os.environ.get("OTKLIK_REQUIRE_NODE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    if not (ROOT / "node_modules" / "camunda-external-task-client-js").is_dir():
        pytest.fail("camunda-external-task-client-js is not installed: run `make install` (npm ci)")
    return path


def _run_js(node: str, endpoint: str, **settings: str) -> tuple[int, dict[str, Any]]:
    env = {"PATH": os.environ.get("PATH", ""), "ENDPOINT": endpoint, "USERNAME": "analyst", "PASSWORD": PASSWORD,
           "TOPIC": TOPIC, **settings}
    done = subprocess.run([node, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def test_the_js_client_completes_the_task_and_the_case_advances(node, served) -> None:  # type: ignore[no-untyped-def]
    endpoint, case = served
    code, result = _run_js(node, endpoint)
    assert code == 0, result
    assert result["task"]["topicName"] == TOPIC and result["task"]["activityId"] == TASK
    assert result["task"]["category"] == "threat" and result["task"]["businessKey"] == str(case.message().id)
    assert case.instance().status == "completed"
    completed = _completed_with(case)
    assert completed["worker"] == "js-worker" and completed["variables"] == ["checked_by_js", "pages",
                                                                             "registry_number"]


def test_the_js_clients_bpmn_error_takes_the_boundary_events_flow(node, served) -> None:  # type: ignore[no-untyped-def]
    endpoint, case = served
    code, result = _run_js(node, endpoint, ERROR_CODE=ERROR_CODE)
    assert code == 0, result
    assert case.instance().status == "completed"
    assert _completed_with(case)["kind"] == "external_bpmn_error"
