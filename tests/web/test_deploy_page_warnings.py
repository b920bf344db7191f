"""The browser's deploy page shows what the CLI warns about: a construct that deploys but is
ignored (engine.deployment.palette), on the check page and after a one-step deployment."""
from __future__ import annotations

from tests.web.test_deploy_page import ORENBURG, people, upload, versions  # noqa: F401 - people: autouse fixture

ASYNC = ORENBURG.replace(b'<bpmn:userTask id="route_message" ', b'<bpmn:userTask id="route_message" camunda:asyncBefore="true" ')


def test_the_check_page_lists_the_warnings(app, client_for) -> None:  # type: ignore[no-untyped-def]
    page = upload(client_for("analyst"), "/deploy/check", ("orenburg.bpmn", ASYNC)).get_data(as_text=True)
    assert "Проверка пройдена" in page and 'id="warnings"' in page
    assert "<code>route_message</code>" in page
    assert "camunda:asyncBefore игнорируется: Отклик сохраняет каждый шаг дела в одной транзакции" in page
    assert "camunda:historyTimeToLive игнорируется" in page
    assert versions(app) == [(1, "analyst")]  # a check stores nothing


def test_a_clean_diagram_with_nothing_ignored_shows_no_warning_table(client_for) -> None:  # type: ignore[no-untyped-def]
    clean = ORENBURG.replace(b' camunda:historyTimeToLive="180"', b"")
    page = upload(client_for("analyst"), "/deploy/check", ("orenburg.bpmn", clean)).get_data(as_text=True)
    assert "Проверка пройдена" in page and 'id="warnings"' not in page


def test_a_one_step_deployment_flashes_the_warnings(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("analyst")
    response = upload(client, "/deploy", ("orenburg.bpmn", ASYNC))
    assert response.status_code == 302 and versions(app)[-1][0] == 2
    page = client.get("/deploy").get_data(as_text=True)
    assert "Предупреждение: orenburg.bpmn: route_message: camunda:asyncBefore игнорируется" in page
