"""Organisations, officials, roles and substitutes: the directory the admin keeps.

Passwords arrive here already hashed (hashing is the web layer's concern, Werkzeug);
the engine only stores the hash.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import TypeEngine

from engine import clock
from engine.calendar.regions import get_region
from engine.db.audit import record
from engine.directory.policy import ADMIN_ROLE
from engine.directory.roles import MEMBERSHIP_ROLES
from engine.errors import Conflict, NotFound
from engine.models import Membership, Organisation, Substitution, User
from engine.texts import Text, t

# administration: the Governor's office (its memberships receive the Governor's notifications);
# state_body: a competent state body (Orenburg п. 17), reached at its e-mail (engine.notifications).
ORGANISATION_KINDS = ("curator", "agency", "municipality", "department", "reception", "administration", "state_body")
# The columns' lengths: PostgreSQL refuses longer text with an error, so it is refused here first.
def _length(column_type: TypeEngine[Any]) -> int:
    assert isinstance(column_type, String) and column_type.length is not None  # String(n) in engine.models
    return column_type.length


NAME_CHARS = _length(Organisation.__table__.c.name.type)
FULL_NAME_CHARS = _length(User.__table__.c.full_name.type)


class OwnAdminRole(Conflict):
    """An administrator may not revoke their own administrator role (no one would be left to undo it)."""


class OwnAccount(Conflict):
    """An official may not switch off their own sign-in (an administrator would lock themselves out)."""


# Logins and organisation keys: they appear in URLs, audit records and the CLI, so plain ASCII.
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
# The one password rule; the admin page and ``otklik users`` both check it before hashing
# (the engine never sees the password itself, only its hash).
MIN_PASSWORD = 10


def is_key(text: str) -> bool:
    """A valid login or organisation key: 2–64 latin lower-case letters, digits and _, first a letter."""
    return bool(_KEY.match(text))


def password_is_long_enough(password: str) -> bool:
    return len(password) >= MIN_PASSWORD


def check_password(password: str) -> None:
    """ValueError (the CLI's message) for a password the rule refuses."""
    if not password_is_long_enough(password):
        raise ValueError(t("directory.password_short", limit=MIN_PASSWORD))


@dataclass(frozen=True)
class Role:
    """A membership as the UI shows it."""

    role: str
    organisation_key: str
    organisation_name: str
    region: str


def _check_key(key: str, what: Text) -> None:
    if not is_key(key):
        raise ValueError(t("directory.key_invalid", what=what, key=key))


def create_organisation(session: Session, key: str, name: str, kind: str, region: str, actor: str,
                        parent_key: str | None = None) -> Organisation:
    _check_key(key, t("directory.what_organisation_key"))
    get_region(region)
    if kind not in ORGANISATION_KINDS:
        raise ValueError(t("directory.kind_unknown", kind=kind, kinds=", ".join(ORGANISATION_KINDS)))
    if not name.strip():
        raise ValueError(t("directory.organisation_name_missing"))
    if len(name.strip()) > NAME_CHARS:
        raise ValueError(t("directory.organisation_name_long", limit=NAME_CHARS))
    if find_organisation(session, key) is not None:
        raise Conflict(t("directory.organisation_exists", key=key))
    parent = organisation(session, parent_key) if parent_key else None
    if parent is not None and parent.region != region:
        raise ValueError(t("directory.parent_other_region", parent=parent_key, parent_region=parent.region,
                                     region=region))
    org = Organisation(key=key, name=name.strip(), kind=kind, region=region, parent_id=parent.id if parent else None)
    session.add(org)
    session.flush()
    record(session, "directory", actor=actor, at=clock.now(), details={"created_organisation": key})
    return org


def find_organisation(session: Session, key: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.key == key))


def organisation(session: Session, key: str) -> Organisation:
    org = find_organisation(session, key)
    if org is None:
        raise NotFound(t("directory.organisation_missing", key=key))
    return org


def organisations(session: Session, region: str | None = None) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.region, Organisation.name)
    if region:
        query = query.where(Organisation.region == region)
    return list(session.scalars(query))


def create_user(session: Session, login: str, full_name: str, password_hash: str | None, actor: str) -> User:
    _check_key(login, t("directory.what_login"))
    if not full_name.strip():
        raise ValueError(t("directory.full_name_missing"))
    if len(full_name.strip()) > FULL_NAME_CHARS:
        raise ValueError(t("directory.full_name_long", limit=FULL_NAME_CHARS))
    if find_user(session, login) is not None:
        raise Conflict(t("directory.login_taken", login=login))
    user = User(login=login, full_name=full_name.strip(), password_hash=password_hash)
    session.add(user)
    session.flush()
    record(session, "directory", actor=actor, at=clock.now(), details={"created_user": login})
    return user


# Built once: these two run on every signed-in request, and building a select costs more than
# running it.
_USER_BY_LOGIN = select(User).where(User.login == bindparam("login"))


def find_user(session: Session, login: str) -> User | None:
    return session.scalar(_USER_BY_LOGIN, {"login": login})


def user(session: Session, login: str) -> User:
    found = find_user(session, login)
    if found is None:
        raise NotFound(t("directory.official_missing", login=login))
    return found


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.login)))


# How many officials a choice list offers at once; beyond that the admin narrows it by name.
CHOICE_LIMIT = 50


@dataclass(frozen=True)
class OfficialChoice:
    """An official as a list to choose from shows them: the name, the organisations they now hold a
    role in (which tells namesakes apart), whether they may sign in. The login is the value sent."""

    login: str
    full_name: str
    organisations: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class OfficialChoices:
    people: list[OfficialChoice]
    total: int  # how many matched; ``people`` holds at most the limit of them (plus those kept)


def _matches(words: list[str], full_name: str, login: str) -> bool:
    text = f"{full_name} {login}".casefold()
    return all(word in text for word in words)


def choose_officials(session: Session, query: str = "", limit: int = CHOICE_LIMIT,
                     keep: Iterable[str] = ()) -> OfficialChoices:
    """Officials whose name (or login) holds every word of ``query``, by name, at most ``limit``;
    those in ``keep`` (already chosen in a form) are always offered. SQLite's LIKE folds only
    ASCII letters and names are Cyrillic, so the words are matched here on two narrow columns."""
    words = query.casefold().split()
    kept = {login for login in keep if login}
    rows = session.execute(select(User.id, User.login, User.full_name, User.is_active)
                           .order_by(User.full_name, User.login)).all()
    matching = [row for row in rows if _matches(words, row.full_name, row.login)]
    shown = matching[:limit]
    shown_logins = {row.login for row in shown}
    chosen = shown + [row for row in rows if row.login in kept and row.login not in shown_logins]
    held: dict[int, set[str]] = {row.id: set() for row in chosen}
    if held:
        now = clock.now()
        for user_id, name in session.execute(
                select(Membership.user_id, Organisation.name)
                .join(Organisation, Organisation.id == Membership.organisation_id)
                .where(Membership.user_id.in_(held))
                .where((Membership.valid_from.is_(None)) | (Membership.valid_from <= now))
                .where((Membership.valid_to.is_(None)) | (Membership.valid_to > now))):
            held[user_id].add(name)
    return OfficialChoices([OfficialChoice(row.login, row.full_name, tuple(sorted(held[row.id])), row.is_active)
                            for row in chosen], len(matching))


def end_sessions(session: Session, login: str) -> None:
    """Every signed-in session of ``login`` ends (on each device): signing out, a new password,
    (de)activation. Sessions are signed cookies the server cannot delete; the web app accepts a
    session only while the epoch it was signed in with is the user's current one."""
    found = user(session, login)
    # In SQL, so two of these at once both count (and a stale row read before cannot undo one).
    found.session_epoch = User.session_epoch + 1
    session.flush()
    session.refresh(found, ["session_epoch"])


def set_password_hash(session: Session, login: str, password_hash: str, actor: str) -> None:
    """A new password (the admin's reset or ``otklik users passwd``) ends the sessions signed in with the old one."""
    user(session, login).password_hash = password_hash
    end_sessions(session, login)
    record(session, "directory", actor=actor, at=clock.now(), details={"password_set": login})


def set_active(session: Session, login: str, active: bool, actor: str) -> None:
    """Deactivation ends the official's sessions; so does activation, so a cookie from before the
    deactivation never comes back to life. OwnAccount when ``actor`` would switch themselves off
    (the console's actor is ``cli:<user>``, never a login, so it can still unlock anyone)."""
    if not active and login == actor:
        raise OwnAccount(t("directory.own_account"))
    user(session, login).is_active = active
    end_sessions(session, login)
    record(session, "directory", actor=actor, at=clock.now(), details={"active": active, "user": login})


def grant_role(session: Session, login: str, organisation_key: str, role: str, actor: str,
               valid_from: datetime | None = None, valid_to: datetime | None = None) -> Membership:
    if role not in MEMBERSHIP_ROLES:
        raise ValueError(t("directory.role_unknown", role=role, roles=", ".join(MEMBERSHIP_ROLES)))
    if valid_from and valid_to and valid_to <= valid_from:
        raise ValueError(t("directory.role_dates"))
    org = organisation(session, organisation_key)
    if not org.active:  # removed (engine.directory.organisations): restore it first
        raise ValueError(t("directory.organisation_inactive", key=organisation_key))
    member = Membership(user_id=user(session, login).id, organisation_id=org.id,
                        role=role, valid_from=valid_from, valid_to=valid_to)
    session.add(member)
    session.flush()
    record(session, "directory", actor=actor, at=clock.now(),
           details={"granted": role, "user": login, "organisation": organisation_key})
    return member


def revoke_role(session: Session, membership_id: int, actor: str) -> None:
    """Revoke a membership; NotFound when it is gone, OwnAdminRole for the actor's own admin role."""
    member = session.get(Membership, membership_id)
    if member is None:
        raise NotFound(t("directory.membership_missing", id=membership_id))
    holder = session.get(User, member.user_id)
    if member.role == ADMIN_ROLE and holder is not None and holder.login == actor:
        raise OwnAdminRole(t("directory.own_admin_role"))
    session.delete(member)
    record(session, "directory", actor=actor, at=clock.now(), details={"revoked_membership": membership_id})


def _roles_statement() -> Any:
    login, at = bindparam("login", type_=String), bindparam("at", type_=Membership.valid_from.type)
    absent = select(Substitution.absent_id).join(User, User.id == Substitution.substitute_id).where(
        User.login == login, Substitution.valid_from <= at, Substitution.valid_to > at)
    holder = select(User.id).where(User.login == login)
    return (select(Membership.role, Organisation.key, Organisation.name, Organisation.region)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.user_id.in_(holder.union(absent)))
            .where((Membership.valid_from.is_(None)) | (Membership.valid_from <= at))
            .where((Membership.valid_to.is_(None)) | (Membership.valid_to > at))
            .distinct())


_ROLES = _roles_statement()


def roles_of(session: Session, login: str, at: datetime | None = None) -> list[Role]:
    """The user's roles valid at ``at`` (now by default), including those of colleagues they
    stand in for (Orenburg п. 5) — the same grants that fill their inbox."""
    return [Role(*row) for row in session.execute(_ROLES, {"login": login, "at": at or clock.now()})]


def add_substitution(session: Session, absent_login: str, substitute_login: str, valid_from: datetime,
                     valid_to: datetime, actor: str) -> Substitution:
    """Orenburg п. 5: the substitute acts for the absent official between the dates."""
    if absent_login == substitute_login:
        raise ValueError(t("directory.substitute_self"))
    if valid_to <= valid_from:
        raise ValueError(t("directory.substitution_dates"))
    row = Substitution(absent_id=user(session, absent_login).id, substitute_id=user(session, substitute_login).id,
                       valid_from=valid_from, valid_to=valid_to)
    session.add(row)
    session.flush()
    record(session, "directory", actor=actor, at=clock.now(),
           details={"substitution": {"absent": absent_login, "substitute": substitute_login,
                                     "from": valid_from.isoformat(), "to": valid_to.isoformat()}})
    return row


@dataclass(frozen=True)
class MembershipRow:
    id: int
    login: str
    full_name: str
    organisation_key: str
    organisation_name: str
    region: str
    role: str
    valid_from: datetime | None
    valid_to: datetime | None


def memberships(session: Session, region: str | None = None, login: str | None = None) -> list[MembershipRow]:
    """Roles held (any period), by region, organisation, role and login."""
    query = (select(Membership, User, Organisation)
             .join(User, User.id == Membership.user_id)
             .join(Organisation, Organisation.id == Membership.organisation_id)
             .order_by(Organisation.region, Organisation.name, Membership.role, User.login))
    if region:
        query = query.where(Organisation.region == region)
    if login:
        query = query.where(User.login == login)
    return [MembershipRow(m.id, u.login, u.full_name, o.key, o.name, o.region, m.role, m.valid_from, m.valid_to)
            for m, u, o in session.execute(query)]


@dataclass(frozen=True)
class SubstitutionRow:
    id: int
    absent_login: str
    absent_name: str
    substitute_login: str
    substitute_name: str
    valid_from: datetime
    valid_to: datetime


def substitutions(session: Session, login: str | None = None, at: datetime | None = None) -> list[SubstitutionRow]:
    """Current and future substitutions (not yet ended at ``at``), soonest first."""
    absent, standing_in = aliased(User), aliased(User)
    query = (select(Substitution, absent, standing_in)
             .join(absent, absent.id == Substitution.absent_id)
             .join(standing_in, standing_in.id == Substitution.substitute_id)
             .where(Substitution.valid_to > (at or clock.now())).order_by(Substitution.valid_from))
    if login:
        query = query.where((absent.login == login) | (standing_in.login == login))
    return [SubstitutionRow(s.id, a.login, a.full_name, b.login, b.full_name, s.valid_from, s.valid_to)
            for s, a, b in session.execute(query)]


def remove_substitution(session: Session, substitution_id: int, actor: str) -> None:
    row = session.get(Substitution, substitution_id)
    if row is None:
        raise NotFound(t("directory.substitution_missing", id=substitution_id))
    session.delete(row)
    record(session, "directory", actor=actor, at=clock.now(), details={"removed_substitution": substitution_id})
