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
from engine.texts import Text, t


class ClaimedByOther(Conflict):
    """The task is claimed by ``claimed_by``, not by the user who tried to act on it."""

    def __init__(self, task: Task, claimed_by: str | None) -> None:
        self.task_id = task.id
        self.task_name = task.name
        self.claimed_by = claimed_by or "someone else"  # a login for the web page to look up; kept as before
        super().__init__(t("runtime.claimed_complete", name=task.name, who=claimed_by or t("runtime.someone_else")))


def status_text(status: str) -> Text | str:
    """A task's status as people read it (a status without a text is shown as it is)."""
    return t(f"runtime.status.{status}") if status in ("completed", "cancelled") else status


def already_done(task: Task) -> Conflict:
    """The refusal for a task that is no longer open, naming who completed it when someone did."""
    if task.completed_by:
        return Conflict(t("runtime.task_already_by", name=task.name, status=status_text(task.status),
                          who=task.completed_by))
    return Conflict(t("runtime.task_already", name=task.name, status=status_text(task.status)))


def _open_task(session: Session, task_id: str, login: str, may_act: Callable[[list[Grant], Task], bool]) -> Task:
    """The open task, for someone ``may_act`` allows. Permission first, then state: a Conflict
    names who completed the task, which is none of the business of someone who may not see it."""
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(t("runtime.task_missing", id=task_id))
    if not may_act(current_grants(session, login), task):
        raise Forbidden(t("runtime.task_elsewhere"))
    if task.status != "open":
        raise already_done(task)
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
            raise Conflict(t("runtime.task_just", name=task.name, status=status_text(task.status)))
        raise ClaimedByOther(task, task.claimed_by)
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
        raise Forbidden(t("runtime.claimed_unclaim", name=task.name, who=holder))
    result = session.execute(
        update(Task).where(Task.id == task_id, Task.status == "open", Task.claimed_by == holder)
        .values(claimed_by=None).execution_options(synchronize_session=False)
    )
    session.refresh(task)
    assert isinstance(result, CursorResult)  # an UPDATE's result; Session.execute is typed as any Result
    if result.rowcount != 1:
        raise Conflict(t("runtime.unclaim_changed", name=task.name))
    record(session, "unclaimed", actor=login, at=clock.now(), instance_id=task.instance_id,
           message_id=task.message_id, element_id=task.element_id,
           details={"task_id": task.id, "claimed_by": holder})
    return task
