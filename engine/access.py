"""Who may see and do which task: memberships, plus people one substitutes for (Orenburg п. 5)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from .models import Membership, Organisation, Substitution, Task, User
from .roles import TASK_ROLES


@dataclass(frozen=True)
class Grant:
    """The user may act as ``role`` for ``organisation`` (in ``region``)."""

    role: str
    organisation_key: str
    region: str
    on_behalf_of: str | None = None  # the absent colleague's login, for substitutes


def _valid(column_from, column_to, at: datetime) -> ColumnElement[bool]:  # type: ignore[no-untyped-def]
    return and_(or_(column_from.is_(None), column_from <= at), or_(column_to.is_(None), column_to > at))


def _memberships(session: Session, user_ids: list[int], at: datetime) -> list[tuple[int, str, str, str]]:
    rows = session.execute(
        select(Membership.user_id, Membership.role, Organisation.key, Organisation.region)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.user_id.in_(user_ids), _valid(Membership.valid_from, Membership.valid_to, at))
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def grants(session: Session, login: str, at: datetime) -> list[Grant]:
    user = session.scalar(select(User).where(User.login == login, User.is_active.is_(True)))
    if user is None:
        return []
    absent = dict(session.execute(
        select(Substitution.absent_id, User.login)
        .join(User, User.id == Substitution.absent_id)
        .where(Substitution.substitute_id == user.id, Substitution.valid_from <= at, Substitution.valid_to > at)
    ).all())
    result = []
    for user_id, role, org_key, region in _memberships(session, [user.id, *absent], at):
        result.append(Grant(role, org_key, region, absent.get(user_id) if user_id != user.id else None))
    return result


def task_clause(granted: list[Grant]) -> ColumnElement[bool]:
    """SQL filter: tasks any grant allows. Region-wide tasks (no organisation) go to the role's
    holders in that region; others only to that organisation."""
    clauses = []
    for grant in granted:
        roles = [r for r, holder in TASK_ROLES.items() if holder == grant.role]
        if not roles:
            continue
        clauses.append(and_(
            Task.role.in_(roles),
            or_(Task.organisation_key == grant.organisation_key,
                and_(Task.organisation_key.is_(None), Task.region == grant.region)),
        ))
    return or_(*clauses) if clauses else false()


def allows(granted: list[Grant], task: Task) -> bool:
    for grant in granted:
        if TASK_ROLES.get(task.role) != grant.role:
            continue
        if task.organisation_key == grant.organisation_key:
            return True
        if task.organisation_key is None and task.region == grant.region:
            return True
    return False
