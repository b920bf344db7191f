"""The Modeler's real request, from a real HTTP client: tests/node/modeler_deploy.mjs sends what
Camunda Modeler's deployment tool sends (Node's fetch and FormData, Basic and Bearer) to the
live server on loopback, and reads back ``deployedProcessDefinitions`` (issue 17).

Without Node these tests skip with a message; in CI (``OTKLIK_REQUIRE_NODE=1``) that is a failure."""
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
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from engine.models import Message, Organisation
from engine.settings import override
from tests.factories import official
from tests.web.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "node" / "modeler_deploy.mjs"
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
CHANGED = ORENBURG.replace(b"working_minutes(30, since=detected_at)", b"working_minutes(45, since=detected_at)")
BROKEN = ORENBURG.replace(b'camunda:topic="notify"', b'camunda:topic="send_sms"', 1)
FORMS = ("accept_message", "approve_answer", "draft_answer", "final_answer", "joint_part", "orenburg_routing",
         "publish_answer")
VARIABLES = {"network": {"value": "vk", "type": "String"},
             "url": {"value": "https://vk.com/wall-1_2", "type": "String"},
             "author": {"value": "Иван Петров", "type": "String"},
             "text": {"value": "Во дворе не убирают снег", "type": "String"}}


@pytest.fixture(scope="module")
def node() -> str:
    path = shutil.which("node")
    if path is None:
        message = "no Node.js found (apt-get install nodejs); the Modeler's request from Node is skipped"
        if os.environ.get("OTKLIK_REQUIRE_NODE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def endpoint(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app on a loopback port, with an Orenburg analyst; its /engine-rest URL."""
    with app.extensions["otklik_db"].session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        official(session, "analyst", ministry, "analyst").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/engine-rest"
    server.shutdown()
    thread.join(timeout=5)


def run(node: str, endpoint: str, diagram: Path, **settings: str) -> tuple[int, dict[str, Any]]:
    attachments = ",".join(str(ROOT / "forms" / f"{name}.form") for name in FORMS)
    env = {"PATH": os.environ.get("PATH", ""), "ENDPOINT": endpoint, "DIAGRAM": str(diagram),
           "ATTACHMENTS": attachments, "DEPLOYMENT_NAME": "orenburg", **settings}
    done = subprocess.run([node, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def diagram(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "modeler" / "orenburg.bpmn"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def test_the_modelers_deployment_with_basic_then_start(node, endpoint, app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with override(test_starts=True):
        code, result = run(node, endpoint, diagram(tmp_path, CHANGED), AUTH_TYPE="basic", USERNAME="analyst",
                           PASSWORD=PASSWORD, START_VARIABLES=json.dumps(VARIABLES), BUSINESS_KEY="modeler-1")
    assert code == 0, result
    assert result["version"] == "7.20.0-otklik"
    deployment = result["deployment"]["body"]
    (definition_id, definition), = deployment["deployedProcessDefinitions"].items()
    assert definition_id == f"orenburg:2:{deployment['id']}"
    assert (definition["key"], definition["version"], definition["resource"]) == ("orenburg", 2, "orenburg.bpmn")
    assert deployment["source"] == "Camunda Modeler"
    start = result["start"]
    assert start["status"] == 200
    assert (start["body"]["definitionId"], start["body"]["businessKey"], start["body"]["ended"]) == \
        (definition_id, "modeler-1", False)
    with app.extensions["otklik_db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_the_modelers_refused_deployment_lists_the_problems(node, endpoint, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, result = run(node, endpoint, diagram(tmp_path, BROKEN), AUTH_TYPE="basic", USERNAME="analyst",
                       PASSWORD=PASSWORD)
    assert code == 1
    refusal = result["deployment"]
    assert refusal["status"] == 400 and refusal["body"]["type"] == "ParseException"
    assert refusal["body"]["message"].startswith("ENGINE-09005 Could not parse BPMN process. Диаграмма не развёрнута.")
    assert "* orenburg.bpmn: " in refusal["body"]["message"]


def test_wrong_credentials_fail_the_connection_check(node, endpoint, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, result = run(node, endpoint, diagram(tmp_path, CHANGED), AUTH_TYPE="basic", USERNAME="analyst",
                       PASSWORD="wrong")
    assert code == 1
    assert result["step"] == "connection" and result["connection"]["status"] == 401
    assert result["connection"]["body"]["type"] == "AuthenticationException"


def test_the_modelers_deployment_with_a_bearer_token(node, endpoint, app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tokens = pytest.importorskip("engine.directory.api_tokens", reason="personal API tokens are not built yet")
    with app.extensions["otklik_db"].session() as session:
        _info, secret = tokens.create_token(session, "analyst", "Camunda Modeler", None, actor="analyst")
        session.commit()
    code, result = run(node, endpoint, diagram(tmp_path, CHANGED), AUTH_TYPE="bearer", TOKEN=secret)
    assert code == 0, result
    assert list(result["deployment"]["body"]["deployedProcessDefinitions"])[0].startswith("orenburg:2:")
