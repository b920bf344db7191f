"""The issue's done-when in the browser: a deploy problem on the check page is Russian by default
and English once the English locale is chosen — the same problems ``otklik deploy`` prints
(tests/deploy/test_deploy_language.py)."""
from __future__ import annotations

import html
import io

from flask.testing import FlaskClient

from tests.web.conftest import csrf_token
from tests.web.test_deploy_page import ORENBURG, people  # noqa: F401  (people: autouse, the analyst who deploys)

DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d/>'


def _check(client: FlaskClient, *files: tuple[str, bytes]) -> str:
    data = {"files": [(io.BytesIO(content), name) for name, content in files],
            "csrf_token": csrf_token(client, "/deploy")}
    response = client.post("/deploy/check", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    return response.get_data(as_text=True)


def test_the_check_page_shows_the_same_problem_in_russian_then_english(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    page = _check(client, ("notes.txt", b"hello"), ("xxe.bpmn", DOCTYPE))
    assert "notes.txt: развернуть можно только файлы .bpmn и .form" in page
    assert "объявления DOCTYPE и ENTITY запрещены; удалите их (в BPMN они не нужны)" in page
    assert "only .bpmn and .form files can be deployed" not in page
    client.post("/locale/en", data={"csrf_token": csrf_token(client, "/deploy"), "next": "/deploy"})
    page = _check(client, ("notes.txt", b"hello"), ("xxe.bpmn", DOCTYPE))
    assert "notes.txt: only .bpmn and .form files can be deployed" in page
    assert "DOCTYPE and ENTITY declarations are not allowed; remove them (BPMN needs none)" in page
    assert "развернуть можно" not in page


def test_a_validation_problem_follows_the_locale_too(client_for) -> None:  # type: ignore[no-untyped-def]
    """A check of the diagram itself (engine.deployment.validation), not only the deployer's."""
    broken = ORENBURG.replace(b'camunda:topic="notify"', b'camunda:topic="send_sms"', 1)
    client = client_for("analyst")
    page = html.unescape(_check(client, ("broken.bpmn", broken)))
    assert "broken.bpmn: forward_threat: неизвестный topic 'send_sms'" in page
    client.post("/locale/en", data={"csrf_token": csrf_token(client, "/deploy"), "next": "/deploy"})
    page = html.unescape(_check(client, ("broken.bpmn", broken)))
    assert "broken.bpmn: forward_threat: unknown topic 'send_sms'" in page
