"""Creating a running workflow, so the runtime never constructs SpiffWorkflow objects itself."""
from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow as Workflow

from engine.spiff.script_engine import script_engine_for_region

__all__ = ["Workflow", "new_workflow"]


def new_workflow(spec: Any, subprocess_specs: Any, region: str) -> Workflow:
    """A fresh workflow of a deployed spec, evaluating in the region's calendar."""
    return Workflow(spec, subprocess_specs, script_engine=script_engine_for_region(region))
