"""The summary counts reworks by the declared step ``rework`` (engine.bpmn.conventions), not by ids:
a procedure that calls its rework task anything counts it; a task merely named rework_* does not."""
from __future__ import annotations

from engine.deployment.deployer import Source, deploy, library_forms
from engine.reports.summary import build_summary
from tests.factories import ROOT, orenburg_people
from tests.scenario.driver import Case
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE

SOURCE = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
STEP = '<camunda:property name="step" value="rework" />'


def _reworks(db, virtual_clock, diagram: str) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        orenburg_people(session)
        deploy(session, [Source("orenburg.bpmn", diagram.encode("utf-8"))], "analyst", extra_forms=library_forms())
    case = Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    case.start(posted="2025-11-12T09:40", detected="2025-11-12T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "rework", "comment": "Уточнить сроки"})
    [rework] = [t.element_id for t in case.open_tasks()]
    case.complete(rework, EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    with db.session() as session:
        [line] = build_summary(session, "orenburg", "2025-11").agencies
    return line.reworks


def _renamed(source: str) -> str:
    return source.replace('"rework_answer"', '"redo_draft"').replace(">rework_answer<", ">redo_draft<")


def test_a_rework_task_with_another_id_is_counted(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    assert STEP in SOURCE
    assert _reworks(db, virtual_clock, _renamed(SOURCE)) == 1


def test_an_undeclared_rework_task_is_not_counted(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    undeclared = SOURCE.replace(STEP, "")
    assert undeclared != SOURCE
    assert _reworks(db, virtual_clock, undeclared) == 0
