"""The worker's surge detection: each territory's messages per topic and place against its own usual level.

For every territory whose newest procedure declares a surge rule (engine.surges.rule), one query
counts the messages registered in the last window, (now − window, now], per topic and place the
curator set at routing (``message.topic``, ``message.location``), together with the same topic and
place over the baseline period before it, (now − window − baseline_days, now − window]. The usual
level is the mean per window over the baseline; a surge is a count of at least ``minimum`` and at
least ``factor`` × the usual level. Places are compared as written, ignoring case, punctuation and
spacing («Оренбург, ул. Советская» = «оренбург ул советская»); a procedure whose routing records
no place (Smolensk) counts per topic across the territory.

Counted by registration time, with the topic and place the message holds when the check runs: a
message routed after its window has passed counts only in the baseline. Messages not routed yet
have no topic and are not counted.

Bounded work: the check runs at most once a minute (:func:`check_surges`, the worker's hook); one
query per territory reads at most :data:`MAX_GROUPS` topic-place groups, from the index
``ix_message_region_registered`` alone; at most :data:`MAX_SURGES` surges per territory per check
are recorded (engine.surges.record), each with at most :data:`engine.surges.record.MAX_MESSAGE_IDS`
messages.
"""
from __future__ import annotations

import json
import re
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.reader import read_diagram
from engine.bpmn.xmlsafe import UnsafeXml
from engine.db.database import Database
from engine.models import Deployment, Message
from engine.surges.record import record_surges
from engine.surges.rule import SurgeRule, surge_rule

__all__ = ["Found", "Watched", "check_surges", "count_groups", "detect_surges", "location_key", "surges_in",
           "topic_labels_of", "watched"]

EVERY = timedelta(minutes=1)  # the least time between two checks of one database
MAX_GROUPS = 500  # topic-place groups with messages in the window read per territory and check
MAX_SURGES = 10  # surges recorded per territory and check (the strongest first)
PROCEDURE = "procedure"  # Deployment.kind of what runs (a template never does)
_PUNCTUATION = re.compile(r"[\W_]+")
_CACHE_SIZE = 256


@dataclass(frozen=True)
class Watched:
    """A territory whose newest procedure declares a surge rule."""

    region: str
    deployment_id: int
    rule: SurgeRule
    topic_labels: dict[str, str] = field(default_factory=dict)  # the routing form's option labels


@dataclass(frozen=True)
class Found:
    """One topic and place over the threshold in the window ending at ``end``."""

    topic: str
    location_key: str
    locations: tuple[str | None, ...]  # as written, the places the key stands for
    count: int
    baseline: float
    threshold: float
    start: datetime
    end: datetime


def location_key(location: str | None) -> str:
    """How places are compared: case, punctuation and spacing ignored (''; no place)."""
    return " ".join(_PUNCTUATION.sub(" ", (location or "").casefold()).split())[:200]


_rules: dict[tuple[int, str], tuple[SurgeRule | None, dict[str, str]]] = {}
_rules_lock = threading.Lock()


def _topic_labels(forms: dict[str, str] | None) -> dict[str, str]:
    """The labels of the ``topic`` options the procedure's forms offer (a stored ``roads_transport``
    is told to the Governor as «Дороги и транспорт»)."""
    labels: dict[str, str] = {}
    stack: list[Any] = []
    for text in (forms or {}).values():
        try:
            stack.extend(json.loads(text).get("components") or [])
        except (ValueError, AttributeError):
            continue  # a broken form was refused at deployment
    while stack:
        component = stack.pop()
        if not isinstance(component, dict):
            continue
        stack.extend(component.get("components") or [])
        if component.get("key") == "topic":  # engine.runtime.cases.MESSAGE_FIELDS: the engine's own name
            for option in component.get("values") or []:
                if isinstance(option, dict) and "value" in option:
                    labels.setdefault(str(option["value"]), str(option.get("label") or option["value"]))
    return labels


def _rule_of(session: Session, deployment_id: int, content_hash: str) -> tuple[SurgeRule | None, dict[str, str]]:
    # A deployment never changes: its rule is read once per process (the key holds the content hash,
    # as engine.runtime.store's cache does, because ids repeat across databases).
    key = (deployment_id, content_hash)
    with _rules_lock:
        if key in _rules:
            return _rules[key]
    row = session.execute(select(Deployment.bpmn_xml, Deployment.forms).where(Deployment.id == deployment_id)).one()
    try:
        rule = surge_rule(read_diagram(row.bpmn_xml).properties)
    except (UnsafeXml, ValueError, SyntaxError):
        rule = None  # refused at deployment; nothing to apply
    found = (rule, _topic_labels(row.forms) if rule is not None else {})
    with _rules_lock:
        if len(_rules) >= _CACHE_SIZE:
            _rules.clear()
        _rules[key] = found
    return found


def topic_labels_of(session: Session, deployment_id: int, content_hash: str) -> dict[str, str]:
    """The topic labels of a deployment that declares a surge rule (the list page shows them)."""
    return _rule_of(session, deployment_id, content_hash)[1]


def watched(session: Session) -> list[Watched]:
    """The territories to check: those whose newest procedure declares a surge rule."""
    newest = select(func.max(Deployment.id)).where(Deployment.kind == PROCEDURE).group_by(Deployment.region)
    rows = session.execute(select(Deployment.id, Deployment.region, Deployment.content_hash)
                           .where(Deployment.id.in_(newest.scalar_subquery())).order_by(Deployment.region))
    found = []
    for deployment_id, region, content_hash in rows:
        rule, labels = _rule_of(session, deployment_id, content_hash)
        if rule is not None:
            found.append(Watched(region, deployment_id, rule, labels))
    return found


@dataclass
class _Group:
    topic: str
    key: str
    locations: list[str | None]
    current: int = 0
    total: int = 0


def count_groups(session: Session, region: str, rule: SurgeRule, now: datetime) -> list[tuple[str, str | None, int, int]]:
    """The one query: (topic, place as written, messages in the window, messages in window and
    baseline) for the groups with messages in the window, most first, at most MAX_GROUPS."""
    start = now - timedelta(minutes=rule.window_minutes)
    since = start - timedelta(days=rule.baseline_days)
    current = func.sum(case((Message.registered_at > start, 1), else_=0))
    query = (select(Message.topic, Message.location, current, func.count())
             .where(Message.region == region, Message.registered_at > since, Message.registered_at <= now,
                    Message.topic.is_not(None), Message.topic != "")
             .group_by(Message.topic, Message.location)
             .having(current > 0)
             .order_by(current.desc(), Message.topic, Message.location)
             .limit(MAX_GROUPS))
    return [(topic, location, int(now_count), int(total)) for topic, location, now_count, total in session.execute(query)]


def surges_in(rows: Iterable[tuple[str, str | None, int, int]], rule: SurgeRule, now: datetime) -> list[Found]:
    """The groups over the rule's threshold, places merged by :func:`location_key`, strongest first."""
    groups: dict[tuple[str, str], _Group] = {}
    for topic, location, current, total in rows:
        key = location_key(location)
        group = groups.setdefault((topic, key), _Group(topic, key, []))
        group.locations.append(location)
        group.current += current
        group.total += total
    start = now - timedelta(minutes=rule.window_minutes)
    found = []
    for group in groups.values():
        baseline = (group.total - group.current) / rule.windows_in_baseline
        threshold = rule.threshold(baseline)
        if group.current >= threshold:
            found.append(Found(group.topic, group.key, tuple(group.locations), group.current, round(baseline, 3),
                               round(threshold, 3), start, now))
    found.sort(key=lambda f: (-f.count / max(f.threshold, 1.0), f.topic, f.location_key))
    return found[:MAX_SURGES]


def detect_surges(db: Database, now: datetime | None = None) -> list[int]:
    """Check every watched territory once; record and escalate what is new. Returns the ids of the
    surges escalated by this check (a continuing one is extended, not returned)."""
    now = now or clock.now()
    with db.session(readonly=True) as session:
        plans = [(w, surges_in(count_groups(session, w.region, w.rule, now), w.rule, now)) for w in watched(session)]
    escalated: list[int] = []
    for territory, found in plans:
        if found:
            with db.session() as session:
                escalated += record_surges(session, territory, found, now)
    return escalated


_last_check: weakref.WeakKeyDictionary[Database, datetime] = weakref.WeakKeyDictionary()


def check_surges(db: Database) -> list[int]:
    """The worker's hook: :func:`detect_surges` at most once a minute per database (a clock set back,
    as in tests, checks again)."""
    now = clock.now()
    last = _last_check.get(db)
    if last is not None and timedelta(0) <= now - last < EVERY:
        return []
    _last_check[db] = now
    return detect_surges(db, now)
