"""Workflow state without its spec: the spec is stored once per deployment.

SpiffWorkflow's serializer embeds the whole process spec in every saved state. We drop it
on the way out and hand the deployment's already-restored spec back on the way in, which
keeps each instance row small and skips re-parsing the spec on every load.
"""
from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter, MultiInstanceTaskConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.camunda.specs import multiinstance_task as camunda_loops

from engine.spiff.multi_instance import ParallelPartsTask, SequentialPartsTask, put_collections_back
from engine.spiff.parser import ExternalServiceTask


class _SpecLessWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any]) -> BpmnWorkflow:
        spec, subprocess_specs = dct.pop("spec"), dct.pop("subprocess_specs")
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_CONFIG = dict(CAMUNDA_CONFIG)
_CONFIG[BpmnWorkflow] = _SpecLessWorkflowConverter
# Our external task has no attributes beyond the base spec (its topic is in ``extensions``).
_CONFIG[ExternalServiceTask] = BpmnTaskSpecConverter
# Multi-instance steps are ours (engine.spiff.multi_instance), under the type names SpiffWorkflow's
# Camunda classes were stored with: a version deployed before restores as ours, its collection kept.
del _CONFIG[camunda_loops.ParallelMultiInstanceTask], _CONFIG[camunda_loops.SequentialMultiInstanceTask]
_REGISTRY = BpmnWorkflowSerializer.configure(_CONFIG)
MultiInstanceTaskConverter(ParallelPartsTask, _REGISTRY, typename="ParallelMultiInstanceTask")
MultiInstanceTaskConverter(SequentialPartsTask, _REGISTRY, typename="SequentialMultiInstanceTask")
_SERIALIZER = BpmnWorkflowSerializer(_REGISTRY)
_VERSION_KEY = BpmnWorkflowSerializer.VERSION_KEY


def _dumps(obj: Any) -> str:
    """JSON through SpiffWorkflow's registry, the way its own serialize_json does it."""
    registry = _SERIALIZER.registry
    registry._encoder_mode = True
    try:
        dct = registry.convert(obj)
        if isinstance(obj, BpmnWorkflow):
            dct[_VERSION_KEY] = _SERIALIZER.VERSION
        return json.dumps(dct, cls=_SERIALIZER._encoder_cls)
    finally:
        registry._encoder_mode = False


def dump_spec(spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]) -> str:
    """JSON for the deployment row."""
    return _dumps({"spec": spec, "subprocess_specs": subprocess_specs})


def load_spec(text: str) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
    registry = _SERIALIZER.registry
    dct = json.loads(text)
    return registry.restore(dct["spec"]), {
        name: registry.restore(s) for name, s in dct["subprocess_specs"].items()
    }


def dump_state(workflow: BpmnWorkflow) -> str:
    """JSON of the workflow's tasks and data, without the spec."""
    return _dumps(workflow)


def load_state(
    text: str,
    spec: BpmnProcessSpec,
    subprocess_specs: dict[str, BpmnProcessSpec],
    script_engine: PythonScriptEngine,
) -> BpmnWorkflow:
    dct = json.loads(text)
    _SERIALIZER.migrate(dct)
    dct["spec"], dct["subprocess_specs"] = spec, subprocess_specs
    workflow = _SERIALIZER.registry.restore(dct)
    workflow.script_engine = script_engine
    put_collections_back(workflow)
    return workflow
