"""Multi-instance steps as Camunda 7 runs them: ``camunda:collection`` is read, never written.

SpiffWorkflow's Camunda parser takes the collection as the step's *output* too: as each instance
completes, the element variable's value replaces the collection's item in place, so after a joint
step ``co_agencies`` no longer lists agencies but each agency's part. Camunda 7 never does that (the
collection is an input; the element variable is local to its instance), and the rewrite breaks a
parallel join: the branch beside the step still holds the list of keys, and SpiffWorkflow's merge of
the two branches fails when the step's branch arrives first (Smolensk п. 10: a co-executor's part
before the main agency's own). Here the collection stays as drawn and the parts are gathered apart,
under a key no diagram can name (a variable starting with ``_`` is refused at deployment), where the
joint answer's task page reads them.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.bpmn.specs.defaults import ParallelMultiInstanceTask as _Parallel
from SpiffWorkflow.bpmn.specs.defaults import SequentialMultiInstanceTask as _Sequential

PARTS_PREFIX = "_parts:"


def parts_key(element_id: str) -> str:
    """Where the parts of one multi-instance step are gathered in the case's data."""
    return f"{PARTS_PREFIX}{element_id}"


class _GathersParts:
    """Input: the collection and its element variable; output: the element variable of each instance,
    appended in the order the instances complete to a list of its own, fresh each time the step starts."""

    def __init__(self, wf_spec: Any, bpmn_id: str, task_spec: str, cardinality: Any = None,
                 data_input: Any = None, data_output: Any = None, input_item: Any = None,
                 output_item: Any = None, **kwargs: Any) -> None:
        if data_input is None and cardinality is None and data_output is not None:
            # Described as SpiffWorkflow's Camunda parser describes it (also a version deployed before
            # this fix): the collection given as the output. It is the input; the output is ours.
            data_input, input_item = data_output, output_item
            data_output = TaskDataReference(parts_key(bpmn_id))
        super().__init__(wf_spec, bpmn_id, task_spec, cardinality=cardinality,  # type: ignore[call-arg]
                         data_input=data_input, data_output=data_output, input_item=input_item,
                         output_item=output_item, **kwargs)

    def init_data_output_with_input_data(self, my_task: Any, input_data: Any) -> None:
        # Each round starts empty: a step entered again (after a reroute) gathers this round's parts only.
        self.data_output.set(my_task, [])  # type: ignore[attr-defined]

    def merge_child(self, workflow: Any, child: Any) -> None:
        if not self.data_output.exists(child.parent):  # type: ignore[attr-defined]
            self.data_output.set(child.parent, [])  # type: ignore[attr-defined]  # a step started before the fix
        super().merge_child(workflow, child)  # type: ignore[misc]


class ParallelPartsTask(_GathersParts, _Parallel):
    pass


class SequentialPartsTask(_GathersParts, _Sequential):
    pass


def _gathering(workflow: Any) -> Iterator[tuple[str, str]]:
    specs = [workflow.spec, *workflow.subprocess_specs.values()]
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, _GathersParts) and task_spec.data_input is not None:  # type: ignore[attr-defined]
                yield task_spec.data_input.bpmn_id, task_spec.data_output.bpmn_id  # type: ignore[attr-defined]


def put_collections_back(workflow: Any) -> None:
    """A case saved before the fix holds its parts where the collection was (``{"item": key, …}`` in
    place of each key, engine.runtime.cases): the keys go back, the parts apart, so the join of its
    branches merges lists of one shape. Cheap when there is nothing to do: one look-up per task."""
    gathering = dict(_gathering(workflow))
    if not gathering:
        return
    tasks = [*workflow.tasks.values(), *(t for sub in workflow.subprocesses.values() for t in sub.tasks.values())]
    for task in tasks:
        for collection, parts in gathering.items():
            value = task.data.get(collection)
            if isinstance(value, list) and any(isinstance(v, dict) and "item" in v for v in value):
                task.data[collection] = [v.get("item") if isinstance(v, dict) else v for v in value]
                task.data.setdefault(parts, [v for v in value if isinstance(v, dict)])
