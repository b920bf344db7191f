"""Who may see and do which task: memberships, plus people one substitutes for (Orenburg п. 5)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, String, and_, bindparam, cast, false, literal, null, or_, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from engine import clock
from engine.calendar.regions import REGIONS
from engine.db.session_memo import memo
from engine.directory.roles import TASK_ROLES
from engine.models import Membership, Organisation, Substitution, Task, User

# Inline, not a bound parameter: only then may SQLite and PostgreSQL's generic plans use the
# partial index of open tasks, ix_task_open (WHERE status = 'open').
OPEN = literal("open", literal_execute=True)


@dataclass(frozen=True)
class Grant:
    """The user may act as ``role`` for ``organisation`` (in ``region``)."""

    role: str
    organisation_key: str
    region: str
    on_behalf_of: str | None = None  # the absent colleague's login, for substitutes


def _valid(column_from: InstrumentedAttribute[datetime | None], column_to: InstrumentedAttribute[datetime | None],
           at: BindParameter[Any]) -> ColumnElement[bool]:
    return and_(or_(column_from.is_(None), column_from <= at), or_(column_to.is_(None), column_to > at))


def _grants_statement() -> Any:
    """Own memberships, and the absent colleagues' while a substitution runs, valid at ``:at``.
    Built once: constructing this union costs more than running it."""
    login, at = bindparam("login", type_=String), bindparam("at", type_=Membership.valid_from.type)
    me = select(User.id).where(User.login == login, User.is_active.is_(True)).scalar_subquery()
    valid = _valid(Membership.valid_from, Membership.valid_to, at)
    own = (select(Membership.role, Organisation.key, Organisation.region, cast(null(), String).label("on_behalf_of"))
           .join(Organisation, Organisation.id == Membership.organisation_id)
           .where(Membership.user_id == me, valid))
    absent = aliased(User)
    theirs = (select(Membership.role, Organisation.key, Organisation.region, absent.login)
              .join(Organisation, Organisation.id == Membership.organisation_id)
              .join(Substitution, Substitution.absent_id == Membership.user_id)
              .join(absent, absent.id == Substitution.absent_id)
              .where(Substitution.substitute_id == me, Substitution.valid_from <= at, Substitution.valid_to > at,
                     valid))
    return union_all(own, theirs)


_GRANTS = _grants_statement()


# The territory a request's credential is limited to (a scoped API token, issue 17): None, the
# caller's every territory. Set around one API request by web.api_auth; every right is a grant, so
# narrowing the grants here narrows every rule — registering, seeing a message, deploying, tasks.
_SCOPE: ContextVar[str | None] = ContextVar("otklik_token_scope", default=None)


@contextmanager
def scoped_to(territory: str | None) -> Iterator[None]:
    """Act only in ``territory`` (a region also covers its municipalities) for a while; None: no limit."""
    token = _SCOPE.set(territory)
    try:
        yield
    finally:
        _SCOPE.reset(token)


def current_scope() -> str | None:
    """The territory the current credential is limited to, or None."""
    return _SCOPE.get()


def in_scope(region: str) -> bool:
    """Whether the current credential may act in ``region``: always without a scope; with one, in
    the scoped territory and, for a region, in its municipalities."""
    scope = _SCOPE.get()
    if scope is None or region == scope:
        return True
    territory = REGIONS.get(region)
    return territory is not None and territory.parent == scope


def grants(session: Session, login: str, at: datetime) -> list[Grant]:
    """What ``login`` may do at ``at``: their own memberships and, while a substitution runs,
    the absent colleague's (with that colleague's login). One query: it runs on every page.
    Under a credential's scope (:func:`scoped_to`) only the grants in its territory."""
    found = [Grant(*row) for row in session.execute(_GRANTS, {"login": login, "at": at})]
    return found if _SCOPE.get() is None else [g for g in found if in_scope(g.region)]


def current_grants(session: Session, login: str) -> list[Grant]:
    """:func:`grants` now, asked once per unit of work (see :mod:`engine.db.session_memo`)."""
    return memo(session, ("grants", login, _SCOPE.get()), lambda: grants(session, login, clock.now()))


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


def open_tasks(granted: list[Grant], limit: int | None = None, offset: int = 0) -> Select[Task]:
    """Open tasks the grants allow, most urgent first (no due time last, then oldest), in SQL so
    an inbox page reads only its own rows through ix_task_open (migration 0003)."""
    query = (select(Task).where(Task.status == OPEN, task_clause(granted))
             .order_by(Task.due_at.asc().nulls_last(), Task.created_at, Task.id))
    return query if limit is None else query.offset(offset).limit(limit)


def allows(granted: list[Grant], task: Task) -> bool:
    for grant in granted:
        if TASK_ROLES.get(task.role) != grant.role:
            continue
        if task.organisation_key == grant.organisation_key:
            return True
        if task.organisation_key is None and task.region == grant.region:
            return True
    return False
