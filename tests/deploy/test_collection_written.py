"""A multi-instance step never writes the list its instances run over (Camunda 7 only reads
``camunda:collection``; engine.spiff.multi_instance gathers the parts apart): a diagram that would is
refused at deployment naming the step and what to draw instead, not failed in a running case."""
from __future__ import annotations

import pytest

from engine.deployment.deployer import Source, library_forms, plan
from tests.deploy.test_deploy_bounds import assert_one_problem
from tests.deploy.test_deploy_errors import replace

LOOP = '<bpmn:multiInstanceLoopCharacteristics camunda:collection="co_agencies" camunda:elementVariable="part" />'
PROPERTIES = '<camunda:property name="organisation" value="part" />\n        </camunda:properties>'


def _output(name: str, expression: str) -> str:
    return replace(PROPERTIES, f'{PROPERTIES}\n        <camunda:inputOutput><camunda:outputParameter name="{name}">'
                               f'{expression}</camunda:outputParameter></camunda:inputOutput>')


@pytest.mark.parametrize("text", [
    replace(LOOP, LOOP.replace('elementVariable="part"', 'elementVariable="co_agencies"')),
    _output("co_agencies", "[]"),
], ids=["element-variable", "output-parameter"])
def test_a_step_writing_its_own_collection_is_refused(text: str) -> None:
    assert_one_problem(text, "prepare_part: a multi-instance step cannot write 'co_agencies', the list its instances run over",
                       "give the element variable and the step's output parameters other names")


def test_an_output_of_another_name_is_accepted() -> None:
    [item] = plan([Source("bpmn/orenburg.bpmn", _output("part_sent_at", "now()").encode())], library_forms())
    assert item.info.process_id == "orenburg"
