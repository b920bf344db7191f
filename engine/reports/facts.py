"""What a report needs to know of a case beyond its rows: which end it reached, which steps rework.

Both are declared in the case's own diagram version (engine.bpmn.conventions): an end event with
``outcome`` = ``no_answer`` (threats, obscenities, messages not processed — Orenburg п. 17,
Kalmanka) and a user task declaring the step ``rework``. The end reached is read from the case's
saved state, so no new column is needed and a case finished before this code existed counts too.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn import conventions
from engine.bpmn.reader import Diagram, read_diagram
from engine.models import Deployment, Instance

COMPLETED = 64  # SpiffWorkflow TaskState.COMPLETED, as the saved state writes it


@dataclass(frozen=True)
class DiagramFacts:
    no_answer_ends: frozenset[str]
    rework_steps: frozenset[str]
    timer_hosts: dict[str, str]
    working_timers: frozenset[str]  # timers counted in working time (working_*(…)); the others are calendar


def facts_of(diagram: Diagram) -> DiagramFacts:
    nodes = diagram.nodes.values()
    return DiagramFacts(
        no_answer_ends=frozenset(n.id for n in nodes if n.tag == "endEvent"
                                 and n.properties.get(conventions.OUTCOME_PROPERTY) == conventions.NO_ANSWER),
        rework_steps=frozenset(n.id for n in nodes if conventions.declares(n.properties, "rework")),
        timer_hosts=diagram.timer_hosts(),
        working_timers=frozenset(n.id for n in nodes if n.timer is not None and _working(n.timer)))


def _working(expression: str | None) -> bool:
    # The deadline language's working-time functions are working_minutes/hours/days (engine.expressions).
    return (expression or "").lstrip().startswith("working_")


def facts_by_instance(session: Session, instance_ids: Iterable[int]) -> dict[int, DiagramFacts]:
    """Instance id → the facts of the diagram version it runs on (each version read once)."""
    ids = list(instance_ids)
    if not ids:
        return {}
    rows = session.execute(select(Instance.id, Instance.deployment_id).where(Instance.id.in_(ids))).all()
    versions = {deployment_id for _, deployment_id in rows}
    diagrams = dict(session.execute(select(Deployment.id, Deployment.bpmn_xml).where(Deployment.id.in_(versions))).all())
    facts = {deployment_id: facts_of(read_diagram(xml)) for deployment_id, xml in diagrams.items()}
    return {instance_id: facts[deployment_id] for instance_id, deployment_id in rows}


def ended_without_answer(instance: Instance, facts: DiagramFacts) -> bool:
    """The completed case passed an end event declared ``outcome`` = ``no_answer``."""
    if instance.status != "completed" or not facts.no_answer_ends:
        return False
    try:
        state = json.loads(instance.state)
    except ValueError:
        return False
    return any(spec in facts.no_answer_ends for spec in _completed_specs(state))


def _completed_specs(state: dict[str, Any]) -> Iterator[str]:
    """Element ids of completed tasks in a saved workflow and its subprocesses."""
    for flow in [state, *(state.get("subprocesses") or {}).values()]:
        for task in (flow.get("tasks") or {}).values():
            if task.get("state") == COMPLETED and isinstance(task.get("task_spec"), str):
                yield task["task_spec"]
