"""Output parameters (``received_at`` = ``now()``) are checked at deployment like every expression."""
from __future__ import annotations

import pytest

from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError
from tests.deploy.test_deploy_errors import ORENBURG

TASK = '<bpmn:userTask id="route_message" name="Определить тему, локацию, важность и направить" camunda:formRef="orenburg_routing" camunda:formRefBinding="latest" camunda:candidateGroups="curator">'  # noqa: E501 - test data
SERVICE = '<bpmn:serviceTask id="forward_threat" name="Направить в госорганы по компетенции" camunda:type="external" camunda:topic="notify">'  # noqa: E501 - test data


def with_mapping(anchor: str, mapping: str) -> str:
    """The element at ``anchor`` with a camunda:inputOutput, placed where the XSD wants it."""
    start = ORENBURG.index(anchor)
    after_doc = ORENBURG.index("</bpmn:documentation>", start) + len("</bpmn:documentation>")
    block = f"<camunda:inputOutput>{mapping}</camunda:inputOutput>"
    rest = ORENBURG[after_doc:]
    if rest.lstrip().startswith("<bpmn:extensionElements>"):
        inner = ORENBURG.index("<bpmn:extensionElements>", after_doc) + len("<bpmn:extensionElements>")
        return ORENBURG[:inner] + block + ORENBURG[inner:]
    return ORENBURG[:after_doc] + f"<bpmn:extensionElements>{block}</bpmn:extensionElements>" + rest


def problems(text: str) -> list[str]:
    with pytest.raises(DeploymentError) as error:
        plan([Source("p.bpmn", text.encode())], library_forms())
    return [str(p) for p in error.value.problems]


def test_output_parameter_with_now_deploys() -> None:
    [item] = plan([Source("p.bpmn", with_mapping(TASK, '<camunda:outputParameter name="received_at">now()</camunda:outputParameter>').encode())], library_forms())  # noqa: E501 - test data
    assert item.info.process_id == "orenburg"


@pytest.mark.parametrize(("mapping", "expected"), [
    ('<camunda:inputParameter name="x">1</camunda:inputParameter>', "input parameters are not supported"),
    ('<camunda:outputParameter name="_x">now()</camunda:outputParameter>', "is not a variable name"),
    ('<camunda:outputParameter name="received_at">${now()}</camunda:outputParameter>', "output parameter 'received_at'"),
    ('<camunda:outputParameter name="received_at">__import__("os")</camunda:outputParameter>', "output parameter 'received_at'"),
    ('<camunda:outputParameter name="x"><camunda:list><camunda:value>1</camunda:value></camunda:list></camunda:outputParameter>',
     "lists, maps and scripts are not supported"),
], ids=["input", "bad-name", "juel", "unsafe-call", "list"])
def test_bad_output_parameters_are_refused(mapping: str, expected: str) -> None:
    found = problems(with_mapping(TASK, mapping))
    assert any("route_message" in line and expected in line for line in found), found


def test_outputs_on_a_service_task_are_refused() -> None:
    found = problems(with_mapping(SERVICE, '<camunda:outputParameter name="x">now()</camunda:outputParameter>'))
    assert any("forward_threat" in line and "user tasks only" in line for line in found), found
