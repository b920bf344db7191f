"""A diagram expression that fails while the case runs is a clear 422, never a 500 (issue 11, findings 2, 9).

The deployment checks refuse what a diagram fixes (tests/deploy/test_deploy_bounds.py); a diagram
deployed before them may still arm a timer for the year 9999 (a silent wait of centuries) or carry
a loop cardinality (SpiffWorkflow 3.2.0: as many tasks as it says, or a NameError → 500). Now the
completion that would arm or start them is refused with the engine's one line, and nothing is saved.
"""
from __future__ import annotations

import pytest

from engine.deployment import validation
from engine.deployment.deployer import Source, deploy, library_forms
from tests.deploy.test_deploy_errors import ORENBURG
from tests.web import tasks_support
from tests.web.tasks_support import ROUTE, client_as, start_case, task_of, text_of

password_hash = tasks_support.password_hash  # fixtures shared with the task-page tests
tasks_app = tasks_support.tasks_app


def _with_timer(timer_id: str, expression: str) -> str:
    at = ORENBURG.index(f'id="{timer_id}"')
    start = ORENBURG.index('tFormalExpression">', at) + len('tFormalExpression">')
    end = ORENBURG.index("</bpmn:timeDate>", start)
    return ORENBURG[:start] + expression + ORENBURG[end:]


FAR_RETURN = _with_timer("return_deadline_timer", "'9999-12-30T00:00:00+05:00'")  # п. 7, armed by routing
LOOP = ORENBURG.replace('camunda:elementVariable="part" />', 'camunda:elementVariable="part">'
                        "<bpmn:loopCardinality>1000</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>")


def deploy_unchecked(app, text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A new version deployed as before the checks existed (the bounds' deployment checks skipped)."""
    with monkeypatch.context() as patch:
        # raising=False: the same test runs on the code before the checks (see the report of issue 11).
        patch.setattr(validation._Checker, "timer_value", lambda *args: None, raising=False)
        patch.setattr(validation._Checker, "multi_instance", lambda *args: None)
        with app.extensions["otklik_db"].session() as session:
            [result] = deploy(session, [Source("orenburg.bpmn", text.encode("utf-8"))], "analyst", extra_forms=library_forms())
    assert result.version == 2


@pytest.mark.parametrize("text, route, message", [
    # The page is in the request's locale, Russian by default (engine/texts/expressions.py).
    (FAR_RETURN, {}, "таймер return_deadline: таймер сработал бы 9999-12-30T00:00:00+05:00, более чем через 5 лет"),
    (LOOP, {"co_agencies": ["orb_health", "orb_housing"]}, "prepare_part: кратность цикла (loop cardinality) не поддерживается"),
], ids=["timer-9999", "loop-cardinality"])
def test_a_completion_that_would_run_a_bad_expression_is_a_422_and_saves_nothing(
        tasks_app, monkeypatch, text: str, route: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    assert text != ORENBURG
    deploy_unchecked(tasks_app, text, monkeypatch)
    start_case(tasks_app)
    task = task_of(tasks_app, "route_message")
    response = client_as(tasks_app, "curator").post(f"/tasks/{task.id}", data={**ROUTE, **route})
    page = text_of(response)
    assert response.status_code == 422, page[:500]
    assert message in page
    assert task_of(tasks_app, "route_message").id == task.id  # still open: nothing was saved
