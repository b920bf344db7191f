"""The message registry: the searchable list and a message's card, for those who may see them.

Who sees which message is the access policy's (engine.directory.policy.message_visibility).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.regions import REGIONS, get_region
from engine.directory.access import OPEN, current_grants, grants
from engine.directory.names import official_names, organisation_names
from engine.directory.policy import MESSAGE_REGION_WIDE, can_see_message, message_visibility
from engine.errors import NotFound
from engine.models import Deployment, Instance, Message, Organisation, Task, Violation
from engine.views.option_labels import topic_labels

PAGE_SIZE = 50
# Pages count matches up to this many ("more than 10,000"): counting a million costs more than the page.
COUNT_LIMIT = 10_000
STATUSES = ("new", "in_progress", "closed")
LABELLED_FIELDS = ("topic", "importance")  # the message's own fields; the answer's kind is declared (answer.kind)
EXCERPT = 160


def _visible_message(session: Session, message_id: int, login: str) -> Message:
    if not can_see_message(session, message_id, login):
        # The same answer for "missing" and "not yours": ids reveal nothing.
        raise NotFound(f"message {message_id} does not exist")
    return session.get_one(Message, message_id)


# ---- registry list --------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    text: str = ""
    status: str = ""
    topic: str = ""
    agency: str = ""
    overdue: bool = False
    region: str = ""
    page: int = 1


@dataclass(frozen=True)
class Step:
    """An open task: the step the case is waiting on."""

    task_id: str
    element_id: str
    name: str
    role: str
    organisation_key: str | None
    organisation_name: str | None
    due_at: datetime | None
    overdue: bool
    claimed_by_name: str | None = None  # who took it up, by full name


@dataclass(frozen=True)
class RegistryRow:
    id: int
    region: str
    network: str
    author: str
    excerpt: str
    status: str
    topic: str | None
    registered_at: datetime
    steps: tuple[Step, ...]
    nearest_due: datetime | None
    overdue: bool
    violations: int


@dataclass(frozen=True)
class RegistryPage:
    rows: list[RegistryRow]
    total: int
    page: int
    pages: int
    per_page: int = PAGE_SIZE
    total_is_lower_bound: bool = False  # counted only up to count_limit: "more than {total}"


def _text_search(session: Session, text: str) -> ColumnElement[bool]:
    """Author, text or URL contains ``text``, case-insensitively, Cyrillic included."""
    columns = (Message.author, Message.text, Message.url)
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's lower() and LIKE fold ASCII only: "яма" would miss "Яма".
        raw = session.connection().connection.dbapi_connection
        assert raw is not None  # None only once the pool entry is invalidated; this one is checked out
        raw.create_function("otklik_casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v,
                            deterministic=True)
        return or_(*(func.otklik_casefold(c).contains(text.casefold(), autoescape=True) for c in columns))
    # The pattern inline, not a bound parameter. psycopg prepares a statement run five times, and
    # PostgreSQL may then plan it once for any pattern: such a generic plan cannot use the trigram
    # indexes (migration 0004) and guessed a search of one agency's messages into 0.5 s instead of
    # 30 ms (bench/inbox.py). Inline, every search is planned for its own words.
    escaped = text.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    pattern = literal(f"%{escaped}%", literal_execute=True)
    return or_(*(func.lower(c).like(pattern, escape="/") for c in columns))


def _filtered(session: Session, query: Any, filters: Filters, now: datetime, regions: Sequence[str] = ()) -> Any:
    """``regions``: the only regions the visible messages can be in; the id sets below are read
    for those alone (a region's curator need not hash the whole country's violations)."""
    if filters.text.strip():
        query = query.where(_text_search(session, filters.text.strip()))
    if filters.status:
        query = query.where(Message.status == filters.status)
    if filters.topic:
        query = query.where(Message.topic == filters.topic)
    if filters.region:
        query = query.where(Message.region == filters.region)
    # "Message id in a set" rather than EXISTS per message: each set is read once from an index
    # (ix_task_organisation, ix_task_open) and probed by hash, not looked up per message.
    if filters.agency:
        query = query.where(Message.id.in_(select(Task.message_id).where(Task.organisation_key == filters.agency)))
    if filters.overdue:
        late = select(Task.message_id).where(Task.status == OPEN, Task.due_at < now)
        violated = select(Violation.message_id)
        if regions:
            late, violated = late.where(Task.region.in_(regions)), violated.where(Violation.region.in_(regions))
        query = query.where(or_(Message.id.in_(late), Message.id.in_(violated)))
    return query


def visible_messages(session: Session, login: str, filters: Filters | None = None,
                     count_limit: int | None = None) -> RegistryPage:
    """One page (50 rows, newest first) of the messages ``login`` may see, filtered.

    ``count_limit``: count at most that many matches (``total_is_lower_bound`` then says "or more");
    counting all of a million visible messages costs more than the page itself. Users who see
    only their agency's messages are always counted exactly."""
    filters = filters or Filters()
    now = clock.now()
    granted = grants(session, login, now)
    regions = sorted({g.region for g in granted})
    ids_query = _filtered(session, select(Message.id).where(message_visibility(granted, session)), filters, now, regions)
    region_wide = any(g.role in MESSAGE_REGION_WIDE for g in granted)
    if not region_wide:
        # An agency's messages are a few thousand: counted exactly. A LIMIT here made PostgreSQL
        # expect to stop early and walk all messages in order instead (bench/inbox.py).
        count_limit = None
    counted = ids_query if count_limit is None else ids_query.limit(count_limit + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    capped = False
    if count_limit is not None and total > count_limit:
        total, capped = count_limit, True
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    # The page's ids first (index-only where possible), then only those 50 rows.
    newest_first = Message.id.desc()
    if filters.text.strip() and not region_wide:
        # An agency sees a small share of the messages. Searching text in it, PostgreSQL walked
        # every message newest first hoping to meet 50 that are both the agency's and match
        # (0.7 s in bench/inbox.py); "+ 0" hides the id index, so the agency's set drives (30 ms).
        newest_first = (Message.id + 0).desc()
    ids = list(session.scalars(ids_query.order_by(newest_first).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    by_id = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(ids)))} if ids else {}
    messages = [by_id[i] for i in ids]
    steps = _open_steps(session, ids, now)
    timers = dict(session.execute(select(Instance.message_id, func.min(Instance.next_timer_at))
                                  .where(Instance.message_id.in_(ids), Instance.status == "running")
                                  .group_by(Instance.message_id)).all()) if ids else {}
    violations = dict(session.execute(select(Violation.message_id, func.count()).where(Violation.message_id.in_(ids))
                                      .group_by(Violation.message_id)).all()) if ids else {}
    rows = []
    for message in messages:
        own = tuple(steps.get(message.id, ()))
        dues = [d for d in [*(s.due_at for s in own), timers.get(message.id)] if d is not None]
        rows.append(RegistryRow(
            id=message.id, region=message.region, network=message.network, author=message.author,
            excerpt=_excerpt(message.text), status=message.status, topic=message.topic,
            registered_at=message.registered_at, steps=own, nearest_due=min(dues) if dues else None,
            overdue=any(s.overdue for s in own) or bool(violations.get(message.id)),
            violations=violations.get(message.id, 0),
        ))
    return RegistryPage(rows=rows, total=total, page=page, pages=pages, total_is_lower_bound=capped)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def _open_steps(session: Session, message_ids: list[int], now: datetime) -> dict[int, list[Step]]:
    if not message_ids:
        return {}
    tasks = list(session.scalars(select(Task).where(Task.message_id.in_(message_ids), Task.status == "open")
                                 .order_by(Task.due_at, Task.created_at)))
    names = organisation_names(session, (t.organisation_key for t in tasks))
    people = official_names(session, (t.claimed_by for t in tasks))
    result: dict[int, list[Step]] = {}
    for t in tasks:
        result.setdefault(t.message_id, []).append(Step(
            task_id=t.id, element_id=t.element_id, name=t.name, role=t.role, organisation_key=t.organisation_key,
            organisation_name=names.get(t.organisation_key or ""), due_at=t.due_at,
            overdue=t.due_at is not None and t.due_at < now, claimed_by_name=people.get(t.claimed_by or "")))
    return result


@dataclass(frozen=True)
class FilterOptions:
    statuses: tuple[str, ...]
    topics: list[tuple[str, str]]  # value, label (from the deployed routing forms)
    agencies: list[tuple[str, str]]  # organisation key, name
    regions: list[tuple[str, str]]  # key, name


def filter_options(session: Session, login: str) -> FilterOptions:
    regions = sorted({g.region for g in current_grants(session, login)})
    agencies = session.execute(select(Organisation.key, Organisation.name)
                               .where(Organisation.region.in_(regions), Organisation.kind.in_(("agency", "department")))
                               .order_by(Organisation.name)).all() if regions else []
    return FilterOptions(statuses=STATUSES, topics=_topics(session, regions),
                         agencies=[(key, name) for key, name in agencies],
                         regions=[(r, get_region(r).display_name) for r in regions if r in REGIONS])


def _topics(session: Session, regions: list[str]) -> list[tuple[str, str]]:
    newest = select(Deployment.process_id, func.max(Deployment.version).label("v")).where(
        Deployment.region.in_(regions)).group_by(Deployment.process_id).subquery()
    current = session.execute(select(Deployment.id, Deployment.content_hash).join(
        newest, (Deployment.process_id == newest.c.process_id) & (Deployment.version == newest.c.v))).all()
    return sorted(topic_labels(session, current).items(), key=lambda item: item[1])


# ---- registration ---------------------------------------------------------------------------
