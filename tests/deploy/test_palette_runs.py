"""The constructs the palette says "runs" and the shipped diagrams do not draw, run in a real case:
deployed, started from a registered message, walked on the virtual clock (not only parsed).

Each is drawn on Orenburg's first flow (message_detected → X → route_message), so a case that
reaches route_message has passed through it; one that stops there would leave no open task.
"""
from __future__ import annotations

import pytest

from engine.deployment.deployer import Source, deploy, library_forms
from tests.deploy.palette_variants import NS, Variant, build
from tests.deploy.test_palette import CASES
from tests.factories import orenburg_people
from tests.scenario.driver import Case

APPROVE = {"decision": "approve", "comment": "Согласовано"}


def _case(db, virtual_clock, data: bytes) -> Case:  # type: ignore[no-untyped-def]
    with db.session() as session:
        orenburg_people(session)
        deploy(session, [Source("variant.bpmn", data)], "analyst", extra_forms=library_forms())
    case = Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    return case


@pytest.mark.parametrize("construct", ["bpmn:intermediateThrowEvent", "bpmn:subProcess", "bpmn:inclusiveGateway"])
def test_the_case_passes_through(db, virtual_clock, construct: str) -> None:  # type: ignore[no-untyped-def]
    case = _case(db, virtual_clock, build(CASES[construct][2]))
    assert case.open_elements() == ["route_message"]
    assert "palette" in build(CASES[construct][2]).decode()  # the variant really drew something


def _items(condition: str | None = None, sequential: bool = False):  # type: ignore[no-untyped-def]
    """A curator task over a two-item list, before route_message."""
    def change(v: Variant) -> None:
        v.root.find(".//bpmn:process/bpmn:extensionElements/camunda:properties", NS).append(
            v.fragment('<camunda:property name="var.palette_items" value="[\'a\', \'b\']"/>'))
        completion = (f'<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">{condition}'
                      "</bpmn:completionCondition>" if condition else "")
        v.node(f'<bpmn:userTask id="palette_mi" name="Согласовать" camunda:candidateGroups="curator" '
               f'camunda:formRef="approve_answer"><bpmn:multiInstanceLoopCharacteristics '
               f'isSequential="{str(sequential).lower()}" camunda:collection="palette_items" '
               f'camunda:elementVariable="item">{completion}</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>')
        v.on_first_flow("palette_mi")
    return change


def test_sequential_multi_instance_opens_one_task_after_another(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = _case(db, virtual_clock, build(_items(sequential=True)))
    assert case.open_elements() == ["palette_mi"]
    case.complete("palette_mi", "curator", APPROVE)
    assert case.open_elements() == ["palette_mi"]
    case.complete("palette_mi", "curator", APPROVE)
    assert case.open_elements() == ["route_message"]


def test_a_completion_condition_ends_the_instances(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = _case(db, virtual_clock, build(_items("len(palette_items) &gt; 0")))
    assert case.open_elements() == ["palette_mi", "palette_mi"]
    case.complete("palette_mi", "curator", APPROVE)
    assert case.open_elements() == ["route_message"]  # the second instance was not needed


def test_without_a_completion_condition_every_instance_is_done(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = _case(db, virtual_clock, build(_items()))
    case.complete("palette_mi", "curator", APPROVE)
    assert case.open_elements() == ["palette_mi"]


def test_an_interrupting_timer_closes_the_task_and_the_case_goes_on(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = _case(db, virtual_clock, build(CASES["bpmn:boundaryEvent:timer"][2]))
    assert case.open_elements() == ["route_message"]
    case.at("2025-11-10T10:29")
    assert case.open_elements() == ["route_message"]
    case.at("2025-11-10T10:31")
    assert case.open_elements() == []  # closed by the timer, not waiting for the curator
    assert [v[:2] for v in case.violations()] == [("6", "routing")]
