"""Who a recipient key (engine.bpmn.conventions RECIPIENTS) means, for one case: people holding a role
in an organisation, or the competent state bodies' contact addresses.

* ``agency_head`` (Orenburg п. 19: «руководителям органов исполнительной власти») and
  ``deputy_governor`` (Smolensk п. 13: «заместителю Губернатора …, курирующему соответствующий орган»)
  are held **in the organisation responsible for the case**: a ``deputy_governor`` membership in an
  agency means "supervises this agency". When nobody holds it there, the organisation's parent is
  asked, then its parent (a department's head is its administration's).
* ``governor`` (holders of ``governor`` and of ``governor_office``, the office that receives for him),
  ``deputy_minister`` (Orenburg п. 20, held in the curator ministry) and ``supervisor`` are held
  **in the case's territory**: any organisation of it. A municipality that holds nobody for the key
  is answered by its region (the parent territory): a district has no Governor of its own.
* ``authorities`` (Orenburg п. 17: «в государственные органы в соответствии с компетенцией``) are
  the active organisations of kind ``state_body`` of the territory (else of its region), reached
  at their contact address.

A membership counts when it is valid at that moment and its holder may sign in; whoever stands in for
a holder at that moment (a substitution) is told as well. Nobody found is a result, not an error: the
caller keeps the notification as ``no_recipient`` for administrators.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.bpmn.conventions import RECIPIENT_AUTHORITIES, RECIPIENT_GOVERNOR
from engine.calendar.regions import REGIONS
from engine.models import Membership, Organisation, Substitution, User

STATE_BODY = "state_body"  # the organisation kind of a competent state body (engine.directory.officials)
# Recipient key → the membership roles that receive it.
ROLES_OF: dict[str, tuple[str, ...]] = {
    "supervisor": ("supervisor",),
    RECIPIENT_GOVERNOR: ("governor", "governor_office"),
    "deputy_minister": ("deputy_minister",),
    "agency_head": ("agency_head",),
    "deputy_governor": ("deputy_governor",),
}
# Held in the organisation responsible for the case (and up its parents), not in the territory.
IN_ORGANISATION = frozenset({"agency_head", "deputy_governor"})
MAX_PARENTS = 8  # organisations nest a level or two; a cycle typed by hand must not loop


@dataclass(frozen=True)
class Person:
    user_id: int
    login: str
    email: str | None


@dataclass(frozen=True)
class Body:
    """A competent state body: reached by e-mail only (it has no sign-in)."""

    organisation_id: int
    key: str
    name: str
    email: str | None


@dataclass(frozen=True)
class Addressees:
    people: tuple[Person, ...] = ()
    bodies: tuple[Body, ...] = ()
    searched: tuple[str, ...] = field(default=())  # where it looked (organisation or territory keys)

    @property
    def nobody(self) -> bool:
        return not self.people and not self.bodies


def territories_of(region: str) -> list[str]:
    """The territory, then its region for a municipality."""
    found = [region]
    parent = REGIONS[region].parent if region in REGIONS else None
    if parent and parent not in found:
        found.append(parent)
    return found


def _valid(at: datetime) -> object:
    return (or_(Membership.valid_from.is_(None), Membership.valid_from <= at)
            & or_(Membership.valid_to.is_(None), Membership.valid_to > at))


def _holders(session: Session, roles: Iterable[str], at: datetime, *, organisation_id: int | None = None,
             region: str | None = None) -> tuple[Person, ...]:
    query = (select(User.id, User.login, User.email).join(Membership, Membership.user_id == User.id)
             .join(Organisation, Organisation.id == Membership.organisation_id)
             .where(Membership.role.in_(list(roles)), User.is_active.is_(True), Organisation.active.is_(True),
                    _valid(at))  # type: ignore[arg-type]
             .distinct().order_by(User.login))
    if organisation_id is not None:
        query = query.where(Organisation.id == organisation_id)
    if region is not None:
        query = query.where(Organisation.region == region)
    people = tuple(Person(*row) for row in session.execute(query))
    return people + _standing_in(session, people, at)


def _standing_in(session: Session, people: tuple[Person, ...], at: datetime) -> tuple[Person, ...]:
    """Who stands in for them now (Orenburg п. 5, the substitutes the admin keeps): told as well, so an
    absence never swallows an escalation. Only the substitutes not already told."""
    if not people:
        return ()
    told = {p.user_id for p in people}
    rows = session.execute(
        select(User.id, User.login, User.email).join(Substitution, Substitution.substitute_id == User.id)
        .where(Substitution.absent_id.in_(told), Substitution.valid_from <= at, Substitution.valid_to > at,
               User.is_active.is_(True)).distinct().order_by(User.login))
    return tuple(Person(*row) for row in rows if row[0] not in told)


def _in_organisation(session: Session, roles: tuple[str, ...], organisation_key: str | None,
                     at: datetime) -> Addressees:
    searched: list[str] = []
    org = session.scalar(select(Organisation).where(Organisation.key == organisation_key)) if organisation_key else None
    while org is not None and len(searched) < MAX_PARENTS and org.key not in searched:
        searched.append(org.key)
        people = _holders(session, roles, at, organisation_id=org.id)
        if people:
            return Addressees(people=people, searched=tuple(searched))
        org = session.get(Organisation, org.parent_id) if org.parent_id is not None else None
    return Addressees(searched=tuple(searched))


def _bodies(session: Session, region: str) -> tuple[Body, ...]:
    rows = session.scalars(select(Organisation).where(
        Organisation.kind == STATE_BODY, Organisation.region == region, Organisation.active.is_(True))
        .order_by(Organisation.name))
    return tuple(Body(o.id, o.key, o.name, o.email) for o in rows)


def resolve(session: Session, key: str, region: str, organisation_key: str | None, at: datetime) -> Addressees:
    """Who ``key`` means for a case of ``region`` whose responsible organisation is ``organisation_key``."""
    if key in IN_ORGANISATION:
        return _in_organisation(session, ROLES_OF[key], organisation_key, at)
    searched: list[str] = []
    for territory in territories_of(region):
        searched.append(territory)
        if key == RECIPIENT_AUTHORITIES:
            bodies = _bodies(session, territory)
            if bodies:
                return Addressees(bodies=bodies, searched=tuple(searched))
            continue
        people = _holders(session, ROLES_OF.get(key, (key,)), at, region=territory)
        if people:
            return Addressees(people=people, searched=tuple(searched))
    return Addressees(searched=tuple(searched))
