"""Renaming and removing organisations (issue 13: a mistyped one showed in every dropdown forever).

Rename changes the name only: the key stays, so tasks, grants, reports and the audit log keep
pointing at the same organisation, and every page shows the new name at once.

Remove does what an administrator expects from the word, and never loses history:
- something still *working* refers to it (a current or future role, an open task, a case in
  progress, an active child organisation) → refused, saying what, so the admin can move it first;
- only *history* refers to it (past roles, closed tasks of finished cases, missed deadlines,
  notifications, files) → deactivated: gone from every dropdown and from routing, but old cases,
  reports and the audit log still show its name; it can be made active again;
- nothing refers to it (the mistyped one, created a minute ago) → deleted.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.db.audit import record
from engine.directory.officials import NAME_CHARS, organisation
from engine.errors import Conflict
from engine.models import Attachment, Instance, Membership, Notification, Organisation, Task, User, Violation
from engine.texts import Text, t

# How many logins a refusal names before it says "and N more".
SHOWN_LOGINS = 5


class OrganisationInUse(Conflict):
    """Removal refused: something still working refers to the organisation; ``reasons`` say what,
    each rendered when shown, in the reader's language."""

    def __init__(self, key: str, reasons: tuple[Text, ...]) -> None:
        self.key, self.reasons = key, reasons
        super().__init__(key)

    def __str__(self) -> str:
        return t("directory.organisation_in_use", key=self.key,
                 reasons="; ".join(reason.render() for reason in self.reasons)).render()


class Removal(Enum):
    DELETED = "deleted"
    DEACTIVATED = "deactivated"


@dataclass(frozen=True)
class Usage:
    """Who refers to an organisation: the first four block removal, the rest is history."""

    role_holders: tuple[str, ...]  # logins with a current or future role there
    children: tuple[str, ...]  # keys of active organisations under it
    open_tasks: int
    cases_in_progress: int  # messages whose running case has (had) a task for it
    history: int  # past roles, closed tasks, missed deadlines, notifications, files

    @property
    def working(self) -> bool:
        return bool(self.role_holders or self.children or self.open_tasks or self.cases_in_progress)


def rename_organisation(session: Session, key: str, name: str, actor: str) -> Organisation:
    """A new name for the organisation ``key`` (which stays); ValueError for an empty or long name."""
    org = organisation(session, key)
    new = name.strip()
    if not new:
        raise ValueError(t("directory.organisation_name_missing"))
    if len(new) > NAME_CHARS:
        raise ValueError(t("directory.organisation_name_long", limit=NAME_CHARS))
    old = org.name
    if new != old:
        org.name = new
        session.flush()
        record(session, "directory", actor=actor, at=clock.now(),
               details={"renamed_organisation": key, "from": old, "to": new})
    return org


def usage(session: Session, key: str) -> Usage:
    org = organisation(session, key)
    now = clock.now()
    holders = session.scalars(
        select(User.login).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org.id, or_(Membership.valid_to.is_(None), Membership.valid_to > now))
        .distinct().order_by(User.login))
    children = session.scalars(select(Organisation.key).where(
        Organisation.parent_id == org.id, Organisation.active.is_(True)).order_by(Organisation.key))
    open_tasks = session.scalar(select(func.count()).select_from(Task).where(
        Task.organisation_key == key, Task.status == "open")) or 0
    in_progress = session.scalar(
        select(func.count(distinct(Instance.message_id))).select_from(Instance)
        .join(Task, Task.instance_id == Instance.id)
        .where(Task.organisation_key == key, Instance.status == "running")) or 0
    history = sum(session.scalar(query) or 0 for query in (
        select(func.count()).select_from(Membership).where(Membership.organisation_id == org.id),
        select(func.count()).select_from(Organisation).where(Organisation.parent_id == org.id),
        select(func.count()).select_from(Task).where(Task.organisation_key == key),
        select(func.count()).select_from(Violation).where(Violation.organisation_key == key),
        select(func.count()).select_from(Notification).where(Notification.organisation_key == key),
        select(func.count()).select_from(Attachment).where(Attachment.organisation_key == key)))
    return Usage(tuple(holders), tuple(children), open_tasks, in_progress, history)


def _reasons(found: Usage) -> tuple[Text, ...]:
    parts: list[Text] = []
    if found.role_holders:
        shown = ", ".join(found.role_holders[:SHOWN_LOGINS])
        more = len(found.role_holders) - SHOWN_LOGINS
        parts.append(t("directory.in_use_roles", logins=shown) if more <= 0 else
                     t("directory.in_use_roles_more", logins=shown, more=more))
    if found.children:
        parts.append(t("directory.in_use_children", keys=", ".join(found.children)))
    if found.open_tasks:
        parts.append(t("directory.in_use_open_tasks", count=found.open_tasks))
    if found.cases_in_progress:
        parts.append(t("directory.in_use_cases", count=found.cases_in_progress))
    return tuple(parts)


def remove_organisation(session: Session, key: str, actor: str) -> Removal:
    """Delete ``key`` when nothing refers to it, deactivate it when only history does;
    OrganisationInUse (naming what still works with it) otherwise."""
    org = organisation(session, key)
    found = usage(session, key)
    if found.working:
        raise OrganisationInUse(key, _reasons(found))
    if found.history:
        org.active = False
        outcome = Removal.DEACTIVATED
    else:
        session.delete(org)
        outcome = Removal.DELETED
    session.flush()
    record(session, "directory", actor=actor, at=clock.now(),
           details={"removed_organisation": key, "name": org.name, "outcome": outcome.value})
    return outcome


def restore_organisation(session: Session, key: str, actor: str) -> Organisation:
    """A deactivated organisation is back in the dropdowns and in routing."""
    org = organisation(session, key)
    if not org.active:
        org.active = True
        session.flush()
        record(session, "directory", actor=actor, at=clock.now(), details={"restored_organisation": key})
    return org
