"""Claiming a task, as in Camunda Tasklist: one official says "I am on it".

A claimed task stays in everyone's inbox (showing who has it), and others may open it, but only
the claimant may complete it. The claimant returns it to the group by unclaiming; a curator of the
task's region may also unclaim, e.g. when the claimant fell ill. Claims are audited.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import CursorResult, or_, update
from sqlalchemy.orm import Session

from engine import clock
from engine.db.audit import record
from engine.directory import policy
from engine.directory.access import Grant, allows, current_grants
from engine.errors import Conflict, Forbidden, NotFound
from engine.models import Task


class ClaimedByOther(Conflict):
    """The task is claimed by ``claimed_by``, not by the user who tried to act on it."""

    def __init__(self, task: Task, claimed_by: str) -> None:
        self.task_id = task.id
        self.task_name = task.name
        self.claimed_by = claimed_by
        super().__init__(f"task '{task.name}' is claimed by {claimed_by}; only they can complete it, "
                         "or a curator can unclaim it")


def _open_task(session: Session, task_id: str, login: str, may_act: Callable[[list[Grant], Task], bool]) -> Task:
    """The open task, for someone ``may_act`` allows. Permission first, then state: a Conflict
    names who completed the task, which is none of the business of someone who may not see it."""
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"task {task_id} does not exist")
    if not may_act(current_grants(session, login), task):
        raise Forbidden("this task belongs to another role or organisation")
    if task.status != "open":
        raise Conflict(f"task '{task.name}' is already {task.status}"
                       + (f" by {task.completed_by}" if task.completed_by else ""))
    return task


def is_region_curator(granted: list[Grant], region: str) -> bool:
    return policy.may_unclaim_in(granted, region)


def may_unclaim(granted: list[Grant], task: Task, login: str) -> bool:
    """The claimant, or a curator of the task's region."""
    return task.claimed_by is not None and (task.claimed_by == login or is_region_curator(granted, task.region))


def ensure_may_complete(task: Task, login: str) -> None:
    """Refuse completion of a task someone else has claimed (unclaimed tasks are open to all)."""
    if task.claimed_by is not None and task.claimed_by != login:
        raise ClaimedByOther(task, task.claimed_by)


def claim(session: Session, task_id: str, login: str) -> Task:
    """Take an open task the user may see. Claiming one's own task again changes nothing."""
    task = _open_task(session, task_id, login, allows)
    if task.claimed_by == login:
        return task
    # A conditional UPDATE, so two officials claiming at once cannot both win.
    result = session.execute(
        update(Task)
        .where(Task.id == task_id, Task.status == "open", or_(Task.claimed_by.is_(None), Task.claimed_by == login))
        .values(claimed_by=login)
        .execution_options(synchronize_session=False)
    )
    session.refresh(task)
    assert isinstance(result, CursorResult)  # an UPDATE's result; Session.execute is typed as any Result
    if result.rowcount != 1:
        if task.status != "open":
            raise Conflict(f"task '{task.name}' was just {task.status}")
        raise ClaimedByOther(task, task.claimed_by or "someone else")
    record(session, "claimed", actor=login, at=clock.now(), instance_id=task.instance_id,
           message_id=task.message_id, element_id=task.element_id, details={"task_id": task.id})
    return task


def unclaim(session: Session, task_id: str, login: str) -> Task:
    """Return a claimed task to the group; only the claimant or a curator of the region may.
    Unclaiming a task nobody holds changes nothing."""
    # Who may see the task, or unclaim it (a curator of its region): nobody else learns its state.
    task = _open_task(session, task_id, login,
                      lambda granted, t: allows(granted, t) or is_region_curator(granted, t.region))
    holder = task.claimed_by
    if holder is None:
        return task
    if not may_unclaim(current_grants(session, login), task, login):
        raise Forbidden(f"task '{task.name}' is claimed by {holder}; only they or a curator can unclaim it")
    result = session.execute(
        update(Task).where(Task.id == task_id, Task.status == "open", Task.claimed_by == holder)
        .values(claimed_by=None).execution_options(synchronize_session=False)
    )
    session.refresh(task)
    assert isinstance(result, CursorResult)  # an UPDATE's result; Session.execute is typed as any Result
    if result.rowcount != 1:
        raise Conflict(f"task '{task.name}' changed while it was being unclaimed; open it again")
    record(session, "unclaimed", actor=login, at=clock.now(), instance_id=task.instance_id,
           message_id=task.message_id, element_id=task.element_id,
           details={"task_id": task.id, "claimed_by": holder})
    return task
