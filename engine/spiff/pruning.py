"""Keeping a long case's task tree shallow: history that can no longer matter is cut.

SpiffWorkflow never forgets a task: each pass through a loop (a rework round) adds the loop's
tasks below the previous ones. In Orenburg's diagram a rework round adds 10 tasks, 6 levels of
depth and ~4 KB of state. SpiffWorkflow walks ancestors recursively (``Task.is_descendant_of``,
``find_ancestor``, ``_drop_children``) and its tree iterator stops at depth 1,000: at round 162
(depth ~990) a completion raised RecursionError, and every completion before that walked the
whole ancestry (a second per round by then).

Once a (sub)workflow holds more than ``PRUNE_ABOVE`` tasks, :func:`prune_history` removes the
finished tasks that are more than ``KEEP`` levels above every unfinished task they lead to, with
the finished branches hanging off them. The nearest kept ancestor adopts what they led to, so
ancestry among the kept tasks is unchanged and the tree's depth stays below ``PRUNE_ABOVE``.

Why nothing needed is cut: what SpiffWorkflow looks up between a task and its ancestors — a
boundary event's split and branches, a multi-instance parent, a join's inputs and their parents,
the parent whose data a task inherits — is a few levels away; a gateway's earlier iterations in a
loop are ancestors it skips anyway. Data survives: a task holds its own copy, and the saved state
stores each task's difference from its (new) parent. The element ids of what is cut are kept in
the workflow (``path_taken`` still marks them on the case's diagram); the audit trail is untouched.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

PRUNE_ABOVE = 300  # tasks in one (sub)workflow; a case that does not loop stays well below (Orenburg: 54)
KEEP = 30  # levels of finished ancestors kept above every unfinished task
PRUNED_PATH_KEY = "_otklik_pruned_path"  # workflow data: element ids of the cut tasks (not a case variable)


def pruned_path(workflow: BpmnWorkflow) -> list[str]:
    """Element ids of tasks cut from the tree (they were passed through)."""
    return list(workflow.top_workflow.data.get(PRUNED_PATH_KEY, []))


def prune_history(workflow: BpmnWorkflow) -> int:
    """Cut the far history of every (sub)workflow holding more than PRUNE_ABOVE tasks; the
    number of tasks removed."""
    removed: list[Any] = []
    for flow in [workflow, *list(workflow.subprocesses.values())]:
        if len(flow.tasks) > PRUNE_ABOVE:
            removed.extend(_prune(flow, workflow))
    if removed:
        passed = set(workflow.data.get(PRUNED_PATH_KEY, []))
        passed.update(bpmn_id for t in removed if (bpmn_id := getattr(t.task_spec, "bpmn_id", None)))
        workflow.data[PRUNED_PATH_KEY] = sorted(passed)
    return len(removed)


def _distances(flow: Any) -> dict[UUID, int]:
    """Every ancestor-or-self of an unfinished task → levels to its nearest unfinished descendant."""
    distance: dict[UUID, int] = {}
    for task in list(flow.tasks.values()):
        if task.has_state(TaskState.FINISHED_MASK):
            continue
        node, levels = task, 0
        while node is not None:
            known = distance.get(node.id)
            if known is not None and known <= levels:
                break  # the rest of the way up was reached at least as closely before
            distance[node.id] = levels
            node, levels = node.parent, levels + 1
    return distance


def _prune(flow: Any, top: BpmnWorkflow) -> list[Any]:
    root = flow.task_tree
    distance = _distances(flow)
    far = {task_id for task_id, levels in distance.items() if levels > KEEP and task_id != root.id}
    if not far:
        return []
    tasks = flow.tasks
    removed: list[Any] = []
    # Walk down from the root without recursion (the chain is hundreds of levels deep): each kept
    # task gets as children its kept children, and the kept tasks found below cut ones.
    pending = [root.id]
    while pending:
        parent = tasks[pending.pop()]
        children: list[UUID] = []
        # A stack popped in the original order; the flag: found below a cut task.
        below = [(child_id, False) for child_id in reversed(parent._children)]
        while below:
            child_id, adopted = below.pop()
            child = tasks.get(child_id)
            if child is None:
                continue
            if child_id in far:
                removed.append(child)
                below.extend((grandchild, True) for grandchild in reversed(child._children))
            elif child_id in distance:  # leads to unfinished work: kept, adopted if need be
                children.append(child_id)
                child._parent = parent.id
                pending.append(child_id)
            elif adopted:
                _collect(tasks, child, removed)  # a finished branch of a cut task
            else:
                children.append(child_id)  # a finished branch of a kept task stays as it is
        parent._children = children
    for task in removed:
        tasks.pop(task.id, None)
        top.event_manager.remove_task(task)
        if task.id in top.subprocesses:
            top.delete_subprocess(task)
    if flow.last_task is not None and flow.last_task.id not in tasks:
        flow.last_task = None
    return removed


def _collect(tasks: dict[UUID, Any], task: Any, removed: list[Any]) -> None:
    """``task`` and everything below it, without recursion."""
    stack = [task]
    while stack:
        node = stack.pop()
        removed.append(node)
        stack.extend(child for child_id in node._children if (child := tasks.get(child_id)) is not None)
