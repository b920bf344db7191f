"""What comes after an action on a case: its open tasks, the ones the person may take first.

After registering a message the curator lands on the routing task; after completing a task the
page offers the next open task of the same case when the same person may do it, and otherwise
names the step and who holds it (issue 16: a link to the next task after each action)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.access import OPEN, allows, current_grants
from engine.directory.names import organisation_names
from engine.models import Task


@dataclass(frozen=True)
class NextStep:
    task_id: str
    name: str  # the step as the diagram names it
    organisation_name: str | None  # the organisation whose task it is, as people read it
    yours: bool  # the person may open and complete it (their role, not claimed by someone else)


def next_steps(session: Session, message_id: int, login: str) -> list[NextStep]:
    """The case's open tasks, the person's own first, then by due time (no due time last)."""
    tasks = list(session.scalars(select(Task).where(Task.message_id == message_id, Task.status == OPEN)
                                 .order_by(Task.due_at.asc().nulls_last(), Task.created_at, Task.id)))
    if not tasks:
        return []
    granted = current_grants(session, login)
    names = organisation_names(session, {t.organisation_key for t in tasks})
    steps = [NextStep(task.id, task.name, names.get(task.organisation_key or ""),
                      allows(granted, task) and task.claimed_by in (None, login)) for task in tasks]
    return sorted(steps, key=lambda step: not step.yours)  # stable: due order kept within each group
