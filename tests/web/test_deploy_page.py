"""/deploy and /procedures/<id>/diff: analysts check and deploy diagrams from the browser (refused
exactly like the CLI refuses them), regulators and the others review versions and never deploy."""
from __future__ import annotations

import base64
import html
import io
import re
import zlib
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine import texts
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError
from engine.models import Deployment, Organisation
from tests.factories import official, organisation
from tests.web.conftest import PASSWORD, csrf_token

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
CHANGED = ORENBURG.replace(b"working_minutes(30, since=detected_at)", b"working_minutes(45, since=detected_at)")
BROKEN = ORENBURG.replace(b'camunda:topic="notify"', b'camunda:topic="send_sms"', 1)


@pytest.fixture(autouse=True)
def people(app):  # type: ignore[no-untyped-def]
    """Who deploys or reviews."""
    with app.extensions["otklik_db"].session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        smolensk = organisation(session, "sml_admin", "curator", "smolensk")
        for login, org, role in (("analyst", ministry, "analyst"), ("regulator", ministry, "regulator"),
                                 ("analyst_smolensk", smolensk, "analyst")):
            official(session, login, org, role).password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def versions(app) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        rows = session.execute(select(Deployment.version, Deployment.deployed_by)
                               .where(Deployment.process_id == "orenburg").order_by(Deployment.version))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def upload(client: FlaskClient, path: str, *files: tuple[str, bytes], token: str | None = "auto"):  # type: ignore[no-untyped-def]
    data: dict = {"files": [(io.BytesIO(content), name) for name, content in files]}
    if token == "auto":
        token = csrf_token(client, "/deploy")
    if token is not None:
        data["csrf_token"] = token
    return client.post(path, data=data, content_type="multipart/form-data")


def carried(page: str) -> dict[str, list[str]]:
    return {"carried_name": [html.unescape(v) for v in re.findall(r'name="carried_name" value="([^"]*)"', page)],
            "carried_data": re.findall(r'name="carried_data" value="([^"]*)"', page)}


def problem_lines(page: str) -> list[str]:
    block = re.search(r'<pre id="problem-lines">(.*?)</pre>', page, re.S)
    assert block, "no problem lines on the page"
    return [html.unescape(line) for line in block.group(1).splitlines() if line]


def cli_lines(*files: tuple[str, bytes], lang: str = "ru") -> list[str]:
    """The CLI's lines in its default language, Russian (the page's default too), or in ``lang``."""
    with pytest.raises(DeploymentError) as error:
        plan([Source(name, data) for name, data in files], library_forms())
    with texts.language(lang):
        return [str(p) for p in error.value.problems]


# -- analysts deploy ----------------------------------------------------------------------------

def test_the_upload_form_is_for_analysts(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("analyst").get("/deploy")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'type="file"' in text and "multiple" in text and 'accept=".bpmn,.form"' in text
    assert '<label for="files">' in text and 'name="csrf_token"' in text and "Оренбургская область" in text


def test_analyst_checks_then_deploys_a_changed_diagram(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    check = upload(client, "/deploy/check", ("orenburg.bpmn", CHANGED))
    page = check.get_data(as_text=True)
    assert check.status_code == 200, page
    assert "Проверка пройдена" in page and "новая версия 2 (сейчас действует версия 1)" in page
    assert "Развернуть" in page and 'data-diagram-source="#diagram-xml-1"' in page
    assert "unsafe-inline" in check.headers["Content-Security-Policy"]  # bpmn-js styles its SVG
    assert versions(app) == [(1, "analyst")]  # a check stores nothing

    deployed = client.post("/deploy", data={"csrf_token": csrf_token(client, "/deploy"), **carried(page)})
    assert deployed.status_code == 302
    assert deployed.headers["Location"] in ("/procedures/orenburg/2", "/procedures")
    assert versions(app) == [(1, "analyst"), (2, "analyst")]
    with app.extensions["otklik_db"].session() as session:
        stored = session.scalar(select(Deployment).where(Deployment.process_id == "orenburg", Deployment.version == 2))
        assert stored.bpmn_xml.encode("utf-8") == CHANGED  # exactly the checked bytes
        assert stored.filename == "orenburg.bpmn"
    assert "Развёрнута версия 2 процедуры orenburg" in client.get("/deploy").get_data(as_text=True)


def test_files_can_also_be_deployed_in_one_step(app, client_for) -> None:  # type: ignore[no-untyped-def]
    form = (ROOT / "forms" / "approve_answer.form").read_bytes().replace("Решение куратора".encode(), "Решение".encode())
    response = upload(client_for("analyst"), "/deploy", ("C:\\Users\\a\\orenburg.bpmn", ORENBURG),
                      ("approve_answer.form", form))
    assert response.status_code == 302
    assert versions(app)[-1][0] == 2  # a changed form alone makes a new version


def test_an_unchanged_upload_says_so_and_deploys_nothing(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    page = upload(client, "/deploy/check", ("orenburg.bpmn", ORENBURG)).get_data(as_text=True)
    assert "без изменений, остаётся версия 1" in page
    assert "развёртывать нечего" in page and 'name="carried_data"' not in page
    response = upload(client, "/deploy", ("orenburg.bpmn", ORENBURG))
    assert response.status_code == 302
    assert "Процедура orenburg без изменений: остаётся версия 1" in client.get("/deploy").get_data(as_text=True)
    assert versions(app) == [(1, "analyst")]


def test_a_broken_element_is_shown_with_its_id_and_nothing_is_deployed(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    for path in ("/deploy/check", "/deploy"):
        response = upload(client, path, ("broken.bpmn", BROKEN))
        page = response.get_data(as_text=True)
        assert response.status_code == 422, path
        assert problem_lines(page) == cli_lines(("broken.bpmn", BROKEN))
        # The page's first line is the unknown topic (in Russian; the English line names it).
        assert "broken.bpmn: forward_threat: unknown topic 'send_sms'" in cli_lines(("broken.bpmn", BROKEN), lang="en")[0]
        assert '<tr data-element="forward_threat">' in page
        assert '"forward_threat": "marker-problem"' in page  # the viewer's markers
        assert 'data-card="#problems-1"' in page and "Развернуть</button>" not in page
    assert versions(app) == [(1, "analyst")]


def test_a_problem_of_the_whole_process_marks_its_pool(client_for) -> None:  # type: ignore[no-untyped-def]
    mars = ORENBURG.replace(b'<camunda:property name="region" value="orenburg" />',
                            b'<camunda:property name="region" value="mars" />')
    page = upload(client_for("analyst"), "/deploy/check", ("mars.bpmn", mars)).get_data(as_text=True)
    assert problem_lines(page)[0] == cli_lines(("mars.bpmn", mars))[0]
    assert cli_lines(("mars.bpmn", mars), lang="en")[0].startswith("mars.bpmn: orenburg: unknown region")
    assert '<tr data-element="orenburg_participant">' in page
    assert '"orenburg_participant": "marker-problem"' in page


@pytest.mark.parametrize("name, content", [
    ("xxe.bpmn", ORENBURG.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)),
    ("laughs.bpmn", ORENBURG.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                                            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', 1)),
    ("big.bpmn", ORENBURG.replace(b"</bpmn:definitions>", b"<!--" + b"x" * (2 * 1024 * 1024) + b"--></bpmn:definitions>")),
    ("bad-utf8.bpmn", ORENBURG[:2000] + b"\xff\xfe" + ORENBURG[2000:]),
    ("notes.txt", b"hello"),
    ("orenburg.bpmn.exe", ORENBURG),
], ids=["xxe", "billion-laughs", "oversize", "bad-utf8", "txt", "exe"])
def test_refused_like_the_cli(app, client_for, name: str, content: bytes) -> None:  # type: ignore[no-untyped-def]
    response = upload(client_for("analyst"), "/deploy", (name, content))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert problem_lines(page) == cli_lines((name, content))
    assert "<textarea" not in page  # an unsafe or unreadable file is never drawn
    assert versions(app) == [(1, "analyst")]


def test_a_diagram_in_another_encoding_is_refused(app, client_for) -> None:  # type: ignore[no-untyped-def]
    text = ORENBURG.decode("utf-8").replace('encoding="UTF-8"', 'encoding="windows-1251"').encode("cp1251")
    response = upload(client_for("analyst"), "/deploy", ("cp1251.bpmn", text))
    assert response.status_code == 422
    assert problem_lines(response.get_data(as_text=True)) == [
        "cp1251.bpmn: схема должна быть XML в кодировке UTF-8; сохраните её заново в Camunda Modeler "
        "(он сохраняет в UTF-8)"]
    assert versions(app) == [(1, "analyst")]


def test_at_most_twenty_files(client_for) -> None:  # type: ignore[no-untyped-def]
    files = [(f"f{n}.form", b"{}") for n in range(20)] + [("orenburg.bpmn", ORENBURG)]
    response = upload(client_for("analyst"), "/deploy/check", *files)
    assert response.status_code == 422
    assert problem_lines(response.get_data(as_text=True)) == ["(upload): передано файлов: 21; за один раз можно развернуть не больше 20"]


def test_a_body_over_the_app_limit_is_413(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    token = csrf_token(client, "/deploy")
    app.config["MAX_UPLOAD_REQUEST_BYTES"] = 64 * 1024  # a request with files (web.limits)
    response = upload(client, "/deploy", ("orenburg.bpmn", ORENBURG), token=token)
    assert response.status_code == 413


def test_bad_requests_are_400(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    token = csrf_token(client, "/deploy")
    no_files = client.post("/deploy/check", data={"csrf_token": token})
    assert no_files.status_code == 400 and "Выберите хотя бы один файл" in no_files.get_data(as_text=True)
    damaged = client.post("/deploy", data={"csrf_token": token, "carried_name": "a.bpmn", "carried_data": "!!!"})
    assert damaged.status_code == 400
    mismatched = client.post("/deploy", data={"csrf_token": token, "carried_name": ["a.bpmn", "b.bpmn"],
                                              "carried_data": "eJw="})
    assert mismatched.status_code == 400
    bomb = base64.urlsafe_b64encode(zlib.compress(b"<" * (3 * 1024 * 1024))).decode()  # 3 MiB from 3 KiB
    assert client.post("/deploy", data={"csrf_token": token, "carried_name": "a.bpmn",
                                        "carried_data": bomb}).status_code == 400
    assert client.get("/procedures/orenburg/diff?from=abc").status_code == 400


def test_missing_csrf_token_is_400(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    for path in ("/deploy/check", "/deploy"):
        assert upload(client, path, ("orenburg.bpmn", CHANGED), token=None).status_code == 400
    assert versions(app) == [(1, "analyst")]


# -- who may deploy -----------------------------------------------------------------------------

@pytest.mark.parametrize("login", ["regulator", "curator", "supervisor", "exec_orb_roads"])
def test_only_analysts_deploy(app, client_for, login: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(login)
    assert client.get("/deploy").status_code == 403
    for path in ("/deploy/check", "/deploy"):
        assert upload(client, path, ("orenburg.bpmn", CHANGED)).status_code == 403
    assert versions(app) == [(1, "analyst")]


def test_an_analyst_of_another_region_gets_403(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst_smolensk")
    assert client.get("/deploy").status_code == 200  # an analyst, of Smolensk
    check = upload(client, "/deploy/check", ("orenburg.bpmn", CHANGED))
    assert check.status_code == 403
    page = check.get_data(as_text=True)
    assert "нет роли аналитика" in page and "новая версия" not in page and "Развернуть</button>" not in page
    assert upload(client, "/deploy", ("orenburg.bpmn", CHANGED)).status_code == 403
    # Nor by re-labelling: Orenburg's process id with the region set to Smolensk.
    hijack = CHANGED.replace(b'<camunda:property name="region" value="orenburg" />',
                             b'<camunda:property name="region" value="smolensk" />')
    # (422 since issue 11: the plan itself refuses a region's key declaring another region.)
    assert upload(client, "/deploy", ("orenburg.bpmn", hijack)).status_code in (403, 422)
    assert versions(app) == [(1, "analyst")]


# -- history and the visual diff ---------------------------------------------------------------

def test_history_and_diff_for_reviewers(app, client_for) -> None:  # type: ignore[no-untyped-def]
    assert upload(client_for("analyst"), "/deploy", ("orenburg.bpmn", CHANGED)).status_code == 302
    for login in ("regulator", "curator", "supervisor", "analyst"):
        response = client_for(login).get("/procedures/orenburg/diff?from=1&to=2")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, login
        assert "unsafe-inline" in response.headers["Content-Security-Policy"]  # bpmn-js styles
        assert 'id="old-diagram"' in page and 'id="new-diagram"' in page
        assert page.count('data-markers=\'{"routing_deadline": "marker-changed"}\'') == 2
        assert '<tr data-element="routing_deadline" class="change-changed">' in page
        assert "срок: working_minutes(30, since=detected_at) → working_minutes(45, since=detected_at)" in page
        assert "v1 → v2" in page and "analyst" in page and "31.10.2025" in page
    default = client_for("regulator").get("/procedures/orenburg/diff").get_data(as_text=True)
    assert "Версия 1 → версия 2" in default


def test_diff_access(app, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("exec_orb_roads").get("/procedures/orenburg/diff").status_code == 403
    assert client_for("analyst_smolensk").get("/procedures/orenburg/diff").status_code == 404
    regulator = client_for("regulator")
    assert regulator.get("/procedures/orenburg/diff?from=1&to=7").status_code == 404
    assert regulator.get("/procedures/nope/diff").status_code == 404
    only = regulator.get("/procedures/orenburg/diff").get_data(as_text=True)
    assert "первая версия" in only and "Выбрана одна и та же версия" in only
