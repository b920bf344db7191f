"""Messages pushed by monitoring systems (the intake API, issue 17 §2): checked exactly as a
curator's registration is, started on the territory's procedure, idempotent by the sending
system's id.

The same message sent twice — a retry after a timeout, a replayed export, two workers racing —
yields one case: (``source``, ``source_id``) is unique on the message row (migration 0019), the
second sending finds the first, and a sending that loses the race to the constraint finds the
winner's row instead of failing. Attachments come as links and stay links: the server never
fetches what a message names.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS, get_region
from engine.directory.access import in_scope
from engine.errors import Forbidden, InvalidSubmission, NotFound, OtklikError, OutOfScope
from engine.models import Instance, Message, MessageLink
from engine.runtime import store
from engine.runtime.cases import MessageInput, start_procedure
from engine.runtime.deployments import newest_procedure
from engine.runtime.incidents import readable_workflow
from engine.runtime.message_limits import MAX_URL
from engine.runtime.registration import registration_problems, registration_regions, web_address
from engine.runtime.row_ids import reserve
from engine.spiff import inspect
from engine.texts import t

MAX_BATCH = 500  # messages in one request; a day of the largest region is ~4,000, so 8 requests
MAX_LINKS = 20  # attachments by URL per message
MAX_SOURCE = 64  # the column's length (engine.models.message)
MAX_SOURCE_ID = 200


@dataclass(frozen=True)
class Incoming:
    """One message as a monitoring system sends it: the registration's fields, the links."""

    message: MessageInput
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deadline:
    name: str  # the timer as the diagram names it
    due_at: datetime  # aware, UTC; shown on the territory's clock by the caller


@dataclass(frozen=True)
class Taken:
    """A message taken in (``created``) or found taken before (by its source id)."""

    message_id: int
    created: bool
    region: str
    timezone: str  # the territory's IANA zone: machines read due times with its offset
    procedure_name: str
    process_id: str
    version: int
    deadlines: tuple[Deadline, ...] = field(default_factory=tuple)


def take(session: Session, incoming: Incoming, login: str) -> Taken:
    """Register a monitoring system's message as ``login`` (a curator of its territory) and start
    its procedure, or find it when its (source, source_id) was taken before.

    Raises InvalidSubmission (field → problem code: those of registration, and ``unknown`` for a
    territory that does not exist, ``pair`` for a source without its id or the reverse,
    ``bad_character`` for a NUL), Forbidden (not a curator there; OutOfScope: the caller's token
    is limited to another territory) or NotFound (no procedure
    deployed for the territory)."""
    return _take(session, incoming, login, registration_regions(session, login), unsent=frozenset(), isolated=True)


class _Isolate(Exception):
    """A message of a batch failed after it began writing: the batch is taken again, each message in
    a savepoint of its own."""


def _take(session: Session, incoming: Incoming, login: str, regions: Collection[str],
          unsent: Collection[tuple[str, str]], *, isolated: bool, ids: Iterator[int] | None = None) -> Taken:
    """:func:`take` with the regions ``login`` registers in asked already, and the (source,
    source_id) pairs known to have no message yet (no need to look for one). ``isolated``: the
    writes run in a savepoint, so a refusal or a lost race undoes only this message's; without it
    (a batch's first try) either raises :class:`_Isolate` instead. ``ids``: instance ids handed
    out for the batch (engine.runtime.row_ids): the case's rows are then written with the batch's."""
    message = incoming.message
    problems = _shape_problems(incoming)
    if message.region not in REGIONS:
        raise InvalidSubmission({**problems, "region": "unknown"})
    if not in_scope(message.region):  # a token limited to another territory (issue 17)
        raise OutOfScope(t("intake.out_of_scope", region=get_region(message.region).display_name))
    if message.region not in regions:
        raise Forbidden(t("intake.not_curator", region=get_region(message.region).display_name))
    # A pair refused for its shape (too long, a NUL PostgreSQL would refuse) was never taken in.
    looked_up = (message.source, message.source_id) not in unsent and not {"source", "source_id"} & problems.keys()
    earlier = _earlier(session, message) if looked_up else None
    if earlier is not None:
        return _found(session, earlier)
    problems = {**registration_problems(session, message), **problems}
    if problems:
        raise InvalidSubmission(problems)
    # A territory without a procedure is refused by start_procedure before it writes: in a savepoint of
    # its own, not by taking the whole batch again.
    if not isolated and newest_procedure(session, message.region) is not None:
        try:
            instance = start_procedure(session, message, login, instance_id=next(ids) if ids is not None else None)
        except (IntegrityError, InvalidSubmission, Forbidden, NotFound) as failed:
            raise _Isolate from failed
        session.add_all(MessageLink(message_id=instance.message_id, url=url) for url in incoming.links)
        return _taken(session, instance, created=True)
    try:
        with session.begin_nested():
            instance = start_procedure(session, message, login)
            session.add_all(MessageLink(message_id=instance.message_id, url=url) for url in incoming.links)
            session.flush()
    except IntegrityError:
        # Another sending of the same (source, source_id) committed first: answer with its message.
        earlier = _earlier(session, message)
        if earlier is None:
            raise
        return _found(session, earlier)
    return _taken(session, instance, created=True)


def take_batch(session: Session, batch: list[Incoming | OtklikError], login: str) -> list[Taken | OtklikError]:
    """:func:`take` for each message of a batch, in order, as if each ran in its own savepoint: a
    refused one is answered with its refusal (an item the caller already refused stays as it is)
    and the good ones are still taken, all in the caller's one transaction (one commit for the batch).

    Asked once for the batch, not per message: where ``login`` registers (grants do not change
    while it runs) and which of its (source, source_id) pairs were never sent before — a pair sent
    twice in the batch is looked up each time, so its second sending finds the first.

    One savepoint for the batch, not one per message (two statements each): a message is refused
    by checks that write nothing, so a refusal needs none. Only when one fails after it began
    writing (a race lost to another sending of the same source id, a refusal from deeper down) is
    the batch's savepoint rolled back and the batch taken again, each message in its own."""
    regions = registration_regions(session, login)
    unsent = _unsent(session, [item.message for item in batch if isinstance(item, Incoming)])
    try:
        with session.begin_nested():
            count = sum(1 for item in batch if isinstance(item, Incoming))
            ids = iter(reserve(session, "instance", count))
            results = _take_each(session, batch, login, regions, unsent, isolated=False, ids=ids)
            session.flush()  # the batch's rows, together; a constraint they break is found here, in the savepoint
            return results
    except (_Isolate, IntegrityError):
        pass
    return _take_each(session, batch, login, regions, unsent, isolated=True)


def _take_each(session: Session, batch: list[Incoming | OtklikError], login: str, regions: Collection[str],
               unsent: Collection[tuple[str, str]], *, isolated: bool,
               ids: Iterator[int] | None = None) -> list[Taken | OtklikError]:
    results: list[Taken | OtklikError] = []
    for item in batch:
        if isinstance(item, OtklikError):
            results.append(item)
            continue
        try:
            results.append(_take(session, item, login, regions, unsent, isolated=isolated, ids=ids))
        except (InvalidSubmission, Forbidden, NotFound) as refused:
            results.append(refused)
    return results


def _shape_problems(incoming: Incoming) -> dict[str, str]:
    message = incoming.message
    problems: dict[str, str] = {}
    if bool(message.source) != bool(message.source_id):
        problems["source" if not message.source else "source_id"] = "pair"
    if message.source and len(message.source) > MAX_SOURCE:
        problems["source"] = "too_long"
    if message.source_id and len(message.source_id) > MAX_SOURCE_ID:
        problems["source_id"] = "too_long"
    if len(incoming.links) > MAX_LINKS:
        problems["attachments"] = "too_many"
    elif any(len(url) > MAX_URL or not web_address(url) for url in incoming.links):
        problems["attachments"] = "bad_url"
    # PostgreSQL refuses a NUL in any string; no message needs one.
    for name in ("region", "network", "url", "author", "text", "source", "source_id"):
        if "\0" in (getattr(message, name) or ""):
            problems[name] = "bad_character"
    if any("\0" in url for url in incoming.links):
        problems["attachments"] = "bad_character"
    return problems


_EARLIER = select(Message).where(Message.source == bindparam("source"), Message.source_id == bindparam("source_id"))
_SENT = select(Message.source_id).where(Message.source == bindparam("source"),
                                        Message.source_id.in_(bindparam("source_ids", expanding=True)))


def _earlier(session: Session, message: MessageInput) -> Message | None:
    if not (message.source and message.source_id):
        return None
    return session.scalar(_EARLIER, {"source": message.source, "source_id": message.source_id})


def _unsent(session: Session, messages: list[MessageInput]) -> frozenset[tuple[str, str]]:
    """The (source, source_id) pairs of ``messages`` that no message has yet and that come once
    in the list: one query per source instead of one per message."""
    counts = Counter((m.source, m.source_id) for m in messages if m.source and m.source_id
                     and len(m.source) <= MAX_SOURCE and len(m.source_id) <= MAX_SOURCE_ID
                     and "\0" not in m.source + m.source_id)  # PostgreSQL refuses a NUL in a string
    once: dict[str, list[str]] = {}
    for (source, source_id), count in counts.items():
        if count == 1:
            once.setdefault(source, []).append(source_id)
    unsent: set[tuple[str, str]] = set()
    for source, source_ids in once.items():
        sent = set(session.scalars(_SENT, {"source": source, "source_ids": source_ids}))
        unsent.update((source, source_id) for source_id in source_ids if source_id not in sent)
    return frozenset(unsent)


def _found(session: Session, earlier: Message) -> Taken:
    instance = session.scalar(select(Instance).where(Instance.message_id == earlier.id).order_by(Instance.id.desc())
                              .limit(1))
    if instance is None:  # every message taken in started its case in the same transaction
        raise NotFound(t("intake.message_missing", id=earlier.id))
    return _taken(session, instance, created=False)


def _taken(session: Session, instance: Instance, *, created: bool) -> Taken:
    deployment = store.deployment_info(session, instance.deployment_id)  # not its 200 kB row per message
    return Taken(message_id=instance.message_id, created=created, region=instance.region,
                 timezone=get_region(instance.region).timezone, procedure_name=deployment.name,
                 process_id=deployment.process_id, version=deployment.version,
                 deadlines=deadlines_of(session, instance))


def deadlines_of(session: Session, instance: Instance) -> tuple[Deadline, ...]:
    """The case's armed timers, soonest first (none when its state cannot be read)."""
    workflow = readable_workflow(session, instance)
    if workflow is None:
        return ()
    return tuple(sorted((Deadline(name=event.name or "", due_at=datetime.fromisoformat(event.value))
                         for event in inspect.armed_timers(workflow)), key=lambda d: d.due_at))
