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


class ParallelPartsTask(_GathersParts, _Parallel):
    pass


class SequentialPartsTask(_GathersParts, _Sequential):
    pass
