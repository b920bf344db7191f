"""Multi-instance steps keep ``camunda:collection`` as drawn and gather the parts apart (Camunda 7)."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnWorkflow

from engine.spiff.multi_instance import ParallelPartsTask, SequentialPartsTask, parts_key
from engine.spiff.parser import parse_process
from engine.spiff.script_engine import script_engine_for_region
from engine.spiff.serializer import dump_spec, dump_state, load_spec, load_state

ROOT = Path(__file__).resolve().parents[2]


def _diagram(sequential: bool) -> bytes:
    flag = ' isSequential="true"' if sequential else ""
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="d" targetNamespace="https://otklik.example/test">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="step"/>
    <bpmn:userTask id="step" camunda:candidateGroups="executor">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics{flag} camunda:collection="agencies" camunda:elementVariable="part"/>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="step" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>'''.encode()


def _ready(workflow: BpmnWorkflow) -> list[Any]:
    return [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.bpmn_id == "step"]


@pytest.mark.parametrize("sequential", [False, True], ids=["parallel", "sequential"])
def test_the_collection_stays_as_drawn_and_the_parts_are_gathered_apart(sequential: bool) -> None:
    spec, subprocesses = parse_process(_diagram(sequential), "p")
    assert isinstance(spec.task_specs["step"], SequentialPartsTask if sequential else ParallelPartsTask)
    workflow = BpmnWorkflow(spec, subprocesses, script_engine=script_engine_for_region("orenburg"))
    workflow.get_tasks(state=TaskState.READY)[0].data["agencies"] = ["orb_health", "orb_housing"]
    workflow.do_engine_steps()
    done = []
    # The second agency answers first where both are open: the order of arrival is kept.
    while ready := _ready(workflow):
        task = ready[-1]
        task.data["part"] = {"item": task.data["part"], "part_text": f"часть {task.data['part']}"}
        done.append(task.data["part"]["item"])
        task.run()
        workflow.do_engine_steps()
    assert workflow.completed
    data = workflow.last_task.data
    assert data["agencies"] == ["orb_health", "orb_housing"]
    assert data[parts_key("step")] == [{"item": key, "part_text": f"часть {key}"} for key in done]
    assert "part" not in data  # the element variable is the instance's own, as in Camunda 7
    assert done == (["orb_health", "orb_housing"] if sequential else ["orb_housing", "orb_health"])


def test_a_step_entered_again_gathers_that_rounds_parts_only() -> None:
    spec, _ = parse_process(_diagram(False), "p")
    step = spec.task_specs["step"]
    task = SimpleNamespace(data={"agencies": ["orb_health"], parts_key("step"): [{"item": "orb_roads"}]})
    step.init_data_output_with_input_data(task, task.data["agencies"])
    assert task.data[parts_key("step")] == []


def test_a_version_deployed_before_restores_with_its_collection_as_the_input() -> None:
    """SpiffWorkflow's Camunda parser stored the collection as the step's output; such a stored spec,
    and a case of it, run as Camunda 7 would: the collection read, the parts apart."""
    spec, subprocesses = parse_process((ROOT / "bpmn/smolensk.bpmn").read_bytes(), "smolensk")
    stored = json.loads(dump_spec(spec, subprocesses))
    step = stored["spec"]["task_specs"]["prepare_part"]
    assert step["typename"] == "ParallelMultiInstanceTask"
    assert step["data_input"]["bpmn_id"] == "co_agencies" and step["data_output"]["bpmn_id"] == parts_key("prepare_part")
    # As stored before: no input, the collection as the output.
    step["data_output"], step["data_input"], step["input_item"] = step["data_input"], None, None
    restored, restored_subprocesses = load_spec(json.dumps(stored))
    loop = restored.task_specs["prepare_part"]
    assert isinstance(loop, ParallelPartsTask)
    assert (loop.data_input.bpmn_id, loop.input_item.bpmn_id) == ("co_agencies", "part")
    assert (loop.data_output.bpmn_id, loop.output_item.bpmn_id) == (parts_key("prepare_part"), "part")
    workflow = BpmnWorkflow(restored, restored_subprocesses, script_engine=script_engine_for_region("smolensk"))
    again = load_state(dump_state(workflow), restored, restored_subprocesses, script_engine_for_region("smolensk"))
    assert again.spec.task_specs["prepare_part"] is loop
