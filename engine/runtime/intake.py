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

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS, get_region
from engine.directory.access import in_scope
from engine.errors import Forbidden, InvalidSubmission, NotFound, OtklikError, OutOfScope
from engine.models import Deployment, Instance, Message, MessageLink
from engine.runtime.cases import MessageInput, start_procedure
from engine.runtime.incidents import readable_workflow
from engine.runtime.message_limits import MAX_URL
from engine.runtime.registration import registration_problems, registration_regions, web_address
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
    message = incoming.message
    problems = _shape_problems(incoming)
    if message.region not in REGIONS:
        raise InvalidSubmission({**problems, "region": "unknown"})
    if not in_scope(message.region):  # a token limited to another territory (issue 17)
        raise OutOfScope(t("intake.out_of_scope", region=get_region(message.region).display_name))
    if message.region not in registration_regions(session, login):
        raise Forbidden(t("intake.not_curator", region=get_region(message.region).display_name))
    earlier = _earlier(session, message)
    if earlier is not None:
        return _found(session, earlier)
    problems = {**registration_problems(session, message), **problems}
    if problems:
        raise InvalidSubmission(problems)
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
    """:func:`take` for each message of a batch, in order, each in its own savepoint: a refused one
    is answered with its refusal (an item the caller already refused stays as it is) and the good
    ones are still taken, all in the caller's one transaction (one commit for the batch)."""
    results: list[Taken | OtklikError] = []
    for item in batch:
        if isinstance(item, OtklikError):
            results.append(item)
            continue
        try:
            results.append(take(session, item, login))
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


def _earlier(session: Session, message: MessageInput) -> Message | None:
    if not (message.source and message.source_id):
        return None
    return session.scalar(select(Message).where(Message.source == message.source,
                                                Message.source_id == message.source_id))


def _found(session: Session, earlier: Message) -> Taken:
    instance = session.scalar(select(Instance).where(Instance.message_id == earlier.id).order_by(Instance.id.desc())
                              .limit(1))
    if instance is None:  # every message taken in started its case in the same transaction
        raise NotFound(t("intake.message_missing", id=earlier.id))
    return _taken(session, instance, created=False)


def _taken(session: Session, instance: Instance, *, created: bool) -> Taken:
    deployment = session.get_one(Deployment, instance.deployment_id)
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
