"""/engine-rest: Camunda Modeler's deploy button and "start instance" against Otklik (issue 17).

Every answer in Camunda 7's shape, every refusal Camunda-style JSON in the caller's language; the
deployment goes through the browser's checks, rights and versioning."""
from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine.deployment.camunda_rest import PARSE_PREFIX
from engine.models import Deployment, Message, Organisation
from engine.models.message import TEST_START_SOURCE
from engine.settings import override
from tests.factories import official, organisation
from tests.web.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
CHANGED = ORENBURG.replace(b"working_minutes(30, since=detected_at)", b"working_minutes(45, since=detected_at)")
BROKEN = ORENBURG.replace(b'camunda:topic="notify"', b'camunda:topic="send_sms"', 1)
CAMUNDA_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}")
VARIABLES = {"network": {"value": "vk", "type": "String"},
             "url": {"value": "https://vk.com/wall-1_2", "type": "String"},
             "author": {"value": "Иван Петров", "type": "String"},
             "text": {"value": "Во дворе не убирают снег", "type": "String"}}


@pytest.fixture(autouse=True)
def people(app):  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        smolensk = organisation(session, "sml_admin", "curator", "smolensk")
        for login, org, role in (("analyst", ministry, "analyst"), ("analyst_smolensk", smolensk, "analyst")):
            official(session, login, org, role).password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def basic(login: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{PASSWORD}".encode()).decode()}


def modeler_deploy(client: FlaskClient, login: str, diagram: bytes, **headers: str):  # type: ignore[no-untyped-def]
    """The parts CamundaAPI.deployDiagram sends: three fields, then the diagram named by its file."""
    data = {"deployment-name": "orenburg", "deployment-source": "Camunda Modeler",
            "enable-duplicate-filtering": "true",
            "orenburg.bpmn": (io.BytesIO(diagram), "orenburg.bpmn", "text/xml")}
    return client.post("/engine-rest/deployment/create", data=data, content_type="multipart/form-data",
                       headers={**basic(login), "Accept": "application/json", **headers})


def versions(app) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        rows = session.execute(select(Deployment.version, Deployment.deployed_by)
                               .where(Deployment.process_id == "orenburg").order_by(Deployment.version))
        return [(r[0], r[1]) for r in rows]


def messages(app) -> int:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def test_version_and_the_connection_check(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.get("/engine-rest/version", headers=basic("analyst")).get_json() == {"version": "7.20.0-otklik"}
    check = client.get("/engine-rest/deployment?maxResults=0", headers=basic("analyst"))
    assert check.status_code == 200 and check.get_json() == []
    listed = client.get("/engine-rest/deployment", headers=basic("analyst")).get_json()
    assert [d["name"] for d in listed] == ["orenburg.bpmn"]
    assert CAMUNDA_TIME.fullmatch(listed[0]["deploymentTime"])


def test_without_credentials_a_json_401(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/engine-rest/deployment?maxResults=0")
    assert response.status_code == 401
    assert response.get_json()["type"] == "AuthenticationException"


def test_a_changed_diagram_becomes_the_next_version_in_camundas_shape(app) -> None:  # type: ignore[no-untyped-def]
    response = modeler_deploy(app.test_client(), "analyst", CHANGED)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [v for v, _ in versions(app)] == [1, 2] and versions(app)[-1] == (2, "analyst")
    (definition_id, definition), = body["deployedProcessDefinitions"].items()
    assert definition_id == f"orenburg:2:{body['id']}"
    assert definition["key"] == "orenburg" and definition["version"] == 2
    assert definition["deploymentId"] == body["id"] and definition["resource"] == "orenburg.bpmn"
    assert body["name"] == "orenburg" and body["source"] == "Camunda Modeler"
    assert CAMUNDA_TIME.fullmatch(body["deploymentTime"])


def test_the_same_content_again_makes_no_new_version(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    first = modeler_deploy(client, "analyst", CHANGED).get_json()
    again = modeler_deploy(client, "analyst", CHANGED)
    assert again.status_code == 200
    assert list(again.get_json()["deployedProcessDefinitions"]) == list(first["deployedProcessDefinitions"])
    assert [v for v, _ in versions(app)] == [1, 2]


def test_a_refused_diagram_lists_every_problem_with_its_element(app) -> None:  # type: ignore[no-untyped-def]
    response = modeler_deploy(app.test_client(), "analyst", BROKEN)
    assert response.status_code == 400
    body = response.get_json()
    assert body["type"] == "ParseException"
    first, *lines = body["message"].split("\n")
    assert first == f"{PARSE_PREFIX} Диаграмма не развёрнута. Исправьте ({len(lines)}):"
    assert lines and all(line.startswith("* orenburg.bpmn: ") for line in lines)
    assert any("send_sms" in line for line in lines)
    errors = body["details"]["orenburg.bpmn"]["errors"]
    assert len(errors) == len(lines) and all(e["mainElementId"] for e in errors)
    assert [v for v, _ in versions(app)] == [1]


def test_the_refusal_in_english_when_asked(app) -> None:  # type: ignore[no-untyped-def]
    response = modeler_deploy(app.test_client(), "analyst", BROKEN, **{"Accept-Language": "en"})
    assert response.get_json()["message"].startswith(f"{PARSE_PREFIX} The diagram was not deployed. Fix (")


def test_another_regions_analyst_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    response = modeler_deploy(app.test_client(), "analyst_smolensk", CHANGED)
    assert response.status_code == 403
    assert response.get_json() == {"type": "AuthorizationException", "message":
                                   "orenburg.bpmn: регион «orenburg» процедуры «orenburg» не входит в те, где вы аналитик"}
    assert [v for v, _ in versions(app)] == [1]


def test_a_curator_may_not_deploy(app) -> None:  # type: ignore[no-untyped-def]
    response = modeler_deploy(app.test_client(), "curator", CHANGED)
    assert response.status_code == 403
    assert response.get_json()["message"] == "разворачивать процедуры может только аналитик"


def _definition(app) -> str:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        row = session.scalar(select(Deployment).where(Deployment.process_id == "orenburg"))
        assert row is not None
        return f"orenburg:{row.version}:{row.id}"


def test_test_starts_are_off_by_default_and_say_how_to_turn_them_on(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().post(f"/engine-rest/process-definition/{_definition(app)}/start",
                                      json={"variables": VARIABLES}, headers=basic("analyst"))
    assert response.status_code == 403
    assert response.get_json()["type"] == "AuthorizationException"
    assert "OTKLIK_TEST_STARTS=1" in response.get_json()["message"]
    assert messages(app) == 0


def test_a_start_registers_a_test_message(app) -> None:  # type: ignore[no-untyped-def]
    definition = _definition(app)
    with override(test_starts=True):
        response = app.test_client().post(f"/engine-rest/process-definition/{definition}/start",
                                          json={"businessKey": "test-1", "variables": VARIABLES},
                                          headers=basic("analyst"))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["definitionId"] == definition and body["businessKey"] == "test-1" and body["ended"] is False
    assert body["id"].isdigit()
    assert messages(app) == 1


def test_a_started_case_is_marked_as_a_test_on_its_card(app) -> None:  # type: ignore[no-untyped-def]
    """Officials see the case (it is a real one), so its card says it is not a citizen's message."""
    from tests.web.conftest import sign_in

    with override(test_starts=True):
        app.test_client().post(f"/engine-rest/process-definition/{_definition(app)}/start",
                               json={"variables": VARIABLES}, headers=basic("analyst"))
    with app.extensions["otklik_db"].session() as session:
        message = session.scalars(select(Message)).one()
        assert message.source == TEST_START_SOURCE
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        official(session, "orb_curator_test", ministry, "curator").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    client = app.test_client()
    sign_in(client, "orb_curator_test")
    page = client.get(f"/messages/{message.id}").get_data(as_text=True)
    assert "тестовый запуск из Camunda Modeler" in page


def test_a_start_by_key(app) -> None:  # type: ignore[no-untyped-def]
    with override(test_starts=True):
        response = app.test_client().post("/engine-rest/process-definition/key/orenburg/start",
                                          json={"variables": VARIABLES}, headers=basic("curator"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["definitionId"] == _definition(app)


def test_wrong_variables_are_listed_like_registration_refuses_them(app) -> None:  # type: ignore[no-untyped-def]
    variables = {**VARIABLES, "url": {"value": "vk.com/wall", "type": "String"},
                 "posted_at": {"value": "вчера", "type": "Date"}, "colour": {"value": "red", "type": "String"}}
    with override(test_starts=True):
        response = app.test_client().post(f"/engine-rest/process-definition/{_definition(app)}/start",
                                          json={"variables": variables}, headers=basic("analyst"))
        fixed = {**VARIABLES, "url": {"value": "vk.com/wall", "type": "String"}}
        second = app.test_client().post(f"/engine-rest/process-definition/{_definition(app)}/start",
                                        json={"variables": fixed}, headers=basic("analyst"))
    assert response.status_code == 400
    assert response.get_json() == {"type": "InvalidRequestException", "message":
                                   "Тестовое сообщение не зарегистрировано: переменная «colour»: такой переменной нет; "
                                   "принимаются: network, url, author, text, posted_at, detected_at; "
                                   "переменная «posted_at»: дата в формате 2026-12-07T10:00:00.000+0300 "
                                   "(со смещением от UTC)"}
    assert second.get_json()["message"] == ("Тестовое сообщение не зарегистрировано: переменная «url»: "
                                            "адрес страницы должен начинаться с http:// или https://")
    assert messages(app) == 0


def test_an_unknown_definition_is_a_json_404(app) -> None:  # type: ignore[no-untyped-def]
    with override(test_starts=True):
        response = app.test_client().post("/engine-rest/process-definition/orenburg:7:99999/start",
                                          json={"variables": VARIABLES}, headers=basic("analyst"))
    assert response.status_code == 404
    assert response.get_json() == {"type": "InvalidRequestException",
                                   "message": "Процесс «orenburg:7:99999» не развёрнут или недоступен вам"}


def test_another_regions_analyst_cannot_start(app) -> None:  # type: ignore[no-untyped-def]
    with override(test_starts=True):
        response = app.test_client().post(f"/engine-rest/process-definition/{_definition(app)}/start",
                                          json={"variables": VARIABLES}, headers=basic("analyst_smolensk"))
    assert response.status_code == 404
    assert messages(app) == 0


@pytest.mark.parametrize("method,path", [("GET", "/engine-rest/decision-definition"),
                                         ("GET", "/engine-rest/deployment/create"),
                                         ("DELETE", "/engine-rest/deployment/1"),
                                         ("GET", "/engine-rest")])
def test_what_is_not_supported_says_so_in_json(app, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().open(path, method=method, headers=basic("analyst"))
    assert response.status_code == 404
    body = response.get_json()
    assert body["type"] == "InvalidRequestException"
    assert body["message"].startswith(f"Otklik не поддерживает {method} {path}. Поддерживаются: GET /version, ")


def test_a_body_over_the_limit_is_a_json_413(app) -> None:  # type: ignore[no-untyped-def]
    huge = b"<x/>" + b" " * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = modeler_deploy(app.test_client(), "analyst", huge)
    assert response.status_code == 413
    assert response.get_json()["type"] == "InvalidRequestException"
    assert response.get_json()["message"].startswith("Запрос больше ")


def test_a_non_multipart_deployment_is_a_json_400(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().post("/engine-rest/deployment/create", json={}, headers=basic("analyst"))
    assert response.status_code == 400
    assert response.get_json()["type"] == "InvalidRequestException"
