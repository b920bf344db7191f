"""``fetchAndLock`` (issue 17): a worker takes up to ``maxTasks`` open tasks of its topics and locks them.

Each attempt is one short unit of work: ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (two
workers never lock one task; on SQLite writers are serialised) then the lock is written. Long
polling (``asyncResponseTimeout``) repeats the attempt with short sleeps between, holding no
database connection while it sleeps; it is capped, and a process lets only a few requests wait at
once (the others are answered at once, as Camunda answers when nothing is there), so waiting
workers never take every request thread.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.models import Deployment, ExternalTask, Instance
from engine.runtime.camunda_values import camunda_date
from engine.runtime.external_access import Refused, worker_regions
from engine.texts import t

MAX_TASKS = 100  # maxTasks of one fetch
MAX_TOPICS = 20  # topics of one fetch
MAX_NAME = 255  # workerId, topicName
MAX_LOCK_MS = 24 * 3600 * 1000  # lockDuration, newDuration: a day
MAX_WAIT_MS = 30_000  # asyncResponseTimeout is capped here (a longer one waits this long)
MAX_WAITING = 4  # long polls waiting at once in one process; more are answered at once
POLL_SECONDS = 0.25  # between two attempts of a long poll
_WAITING = threading.BoundedSemaphore(MAX_WAITING)


# Camunda 7's topic filters Otklik has nothing to match against: refused when given (not empty).
UNSUPPORTED_FILTERS = ("processDefinitionId", "processDefinitionIdIn", "processDefinitionVersionTag", "tenantIdIn",
                       "processVariables")


@dataclass(frozen=True)
class Topic:
    name: str
    lock_ms: int
    variables: tuple[str, ...] | None  # None: every variable
    process_keys: tuple[str, ...] | None = None  # processDefinitionKey / processDefinitionKeyIn
    business_key: str | None = None  # the case's number (its message id)


@dataclass(frozen=True)
class FetchRequest:
    worker_id: str
    max_tasks: int
    use_priority: bool
    topics: tuple[Topic, ...]
    wait_ms: int


def _number(body: dict[str, Any], name: str, low: int, high: int, default: int | None = None) -> int:
    value = body.get(name, default)
    if value is None or isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(400, "InvalidRequestException", t("external.number_range", name=name, low=low, high=high))
    return value


def worker_id_of(body: Any) -> str:
    """The body's ``workerId``: a non-empty string of at most 255 characters."""
    worker = body.get("workerId") if isinstance(body, dict) else None
    if not isinstance(worker, str) or not worker.strip() or len(worker) > MAX_NAME:
        raise Refused(400, "InvalidRequestException", t("external.worker_id", limit=MAX_NAME))
    return worker


def lock_ms(body: dict[str, Any], name: str) -> int:
    return _number(body, name, 1, MAX_LOCK_MS)


def parse_fetch(body: Any) -> FetchRequest:
    """The fetchAndLock body, bounded; Refused (400) naming the first field wrong."""
    if not isinstance(body, dict):
        raise Refused(400, "InvalidRequestException", t("external.body_not_object"))
    worker = worker_id_of(body)
    max_tasks = _number(body, "maxTasks", 0, MAX_TASKS)
    raw_wait = body.get("asyncResponseTimeout") or 0
    if isinstance(raw_wait, bool) or not isinstance(raw_wait, int) or raw_wait < 0:
        raise Refused(400, "InvalidRequestException", t("external.number_range", name="asyncResponseTimeout",
                                                        low=0, high=MAX_WAIT_MS))
    topics = body.get("topics")
    if not isinstance(topics, list) or len(topics) > MAX_TOPICS:
        raise Refused(400, "InvalidRequestException", t("external.topics", limit=MAX_TOPICS))
    parsed = []
    for topic in topics:
        name = topic.get("topicName") if isinstance(topic, dict) else None
        if not isinstance(name, str) or not name or len(name) > MAX_NAME:
            raise Refused(400, "InvalidRequestException", t("external.topic_name", limit=MAX_NAME))
        assert isinstance(topic, dict)
        names = topic.get("variables")
        if names is not None and (not isinstance(names, list) or len(names) > 1000
                                  or not all(isinstance(n, str) for n in names)):
            raise Refused(400, "InvalidRequestException", t("external.variable_names"))
        parsed.append(Topic(name, lock_ms(topic, "lockDuration"), tuple(names) if names is not None else None,
                            *_filters(topic)))
    if body.get("sorting"):
        raise Refused(400, "InvalidRequestException", t("external.filter_unsupported", name="sorting"))
    return FetchRequest(worker, max_tasks, body.get("usePriority") is True, tuple(parsed), min(raw_wait, MAX_WAIT_MS))


def _filters(topic: dict[str, Any]) -> tuple[tuple[str, ...] | None, str | None]:
    """A topic's process-key and business-key filters; Refused (400) for filters Otklik cannot apply."""
    for name in UNSUPPORTED_FILTERS:
        if topic.get(name):
            raise Refused(400, "InvalidRequestException", t("external.filter_unsupported", name=name))
    keys = topic.get("processDefinitionKeyIn") or ([topic["processDefinitionKey"]]
                                                    if topic.get("processDefinitionKey") else None)
    if keys is not None and (not isinstance(keys, list) or len(keys) > 100
                             or not all(isinstance(k, str) and len(k) <= 64 for k in keys)):
        raise Refused(400, "InvalidRequestException", t("external.filter_value", name="processDefinitionKey"))
    business = topic.get("businessKey")
    if business is not None and (not isinstance(business, str) or len(business) > 255):
        raise Refused(400, "InvalidRequestException", t("external.filter_value", name="businessKey"))
    return (tuple(keys) if keys is not None else None), business


def _fetchable(topic: Topic, regions: frozenset[str] | None) -> Any:
    now = clock.now()
    query = (select(ExternalTask, Deployment.version)
             .join(Instance, Instance.id == ExternalTask.instance_id)
             .join(Deployment, Deployment.id == ExternalTask.deployment_id)
             .where(ExternalTask.status == "open", ExternalTask.topic == topic.name, Instance.status == "running",
                    or_(ExternalTask.lock_expires_at.is_(None), ExternalTask.lock_expires_at <= now),
                    or_(ExternalTask.retries.is_(None), ExternalTask.retries > 0),
                    or_(ExternalTask.retry_at.is_(None), ExternalTask.retry_at <= now)))
    if topic.process_keys is not None:
        query = query.where(ExternalTask.process_key.in_(topic.process_keys))
    if topic.business_key is not None:
        number = topic.business_key.strip()
        query = query.where(ExternalTask.message_id == (int(number) if number.isdigit() and len(number) < 19 else -1))
    if regions is not None:
        query = query.where(ExternalTask.region.in_(sorted(regions)))
    return query


def locked_task_json(row: ExternalTask, version: int, names: tuple[str, ...] | None) -> dict[str, Any]:
    """A locked task in Camunda 7's LockedExternalTaskDto shape."""
    variables = row.variables if names is None else {n: v for n, v in row.variables.items() if n in names}
    return {
        "id": row.id, "topicName": row.topic, "workerId": row.worker_id,
        "lockExpirationTime": camunda_date(row.lock_expires_at) if row.lock_expires_at else None,
        "processInstanceId": str(row.instance_id), "executionId": row.id, "activityId": row.element_id,
        "activityInstanceId": f"{row.element_id}:{row.id}",
        "processDefinitionId": f"{row.process_key}:{version}:{row.deployment_id}",
        "processDefinitionKey": row.process_key, "processDefinitionVersionTag": None,
        "businessKey": str(row.message_id), "retries": row.retries, "errorMessage": row.error_message,
        "errorDetails": row.error_details, "priority": row.priority, "suspended": False, "tenantId": None,
        "variables": variables, "extensionProperties": {},
    }


def fetch_and_lock(session: Session, login: str, request: FetchRequest) -> list[dict[str, Any]]:
    """Lock up to ``maxTasks`` open tasks of the request's topics in the regions ``login`` may work."""
    regions = worker_regions(session, login)
    now = clock.now()
    found: list[dict[str, Any]] = []
    for topic in request.topics:
        room = request.max_tasks - len(found)
        if room <= 0:
            break
        order = (ExternalTask.priority.desc(),) if request.use_priority else ()
        query = (_fetchable(topic, regions).order_by(*order, ExternalTask.created_at, ExternalTask.id)
                 .limit(room).with_for_update(skip_locked=True, of=ExternalTask))
        for row, version in session.execute(query).all():
            row.worker_id, row.lock_expires_at = request.worker_id, now + timedelta(milliseconds=topic.lock_ms)
            found.append(locked_task_json(row, version, topic.variables))
    session.flush()
    return found


def fetch_and_lock_waiting(units: Callable[[], AbstractContextManager[Session]], login: str, body: Any,
                           may_wait: bool = True, sleep: Callable[[float], None] = time.sleep,
                           monotonic: Callable[[], float] = time.monotonic) -> list[dict[str, Any]]:
    """fetchAndLock with Camunda's long polling: attempts, each in its own unit of work (``units()``),
    until a task is locked or ``asyncResponseTimeout`` (capped at 30 s) has passed. ``may_wait`` is
    False where a waiting request would hold the process's only request thread (gunicorn's sync
    workers): the answer is then given at once, and the worker polls again."""
    request = parse_fetch(body)
    if not may_wait:
        request = replace(request, wait_ms=0)

    def attempt() -> list[dict[str, Any]]:
        with units() as session:
            return fetch_and_lock(session, login, request)

    found = attempt()
    if found or request.wait_ms == 0 or request.max_tasks == 0:
        return found
    if not _WAITING.acquire(blocking=False):
        return found  # enough requests wait already: answer now, the worker asks again
    try:
        deadline = monotonic() + request.wait_ms / 1000
        for remaining in _remaining(deadline, monotonic):
            sleep(min(POLL_SECONDS, remaining))
            found = attempt()
            if found:
                break
        return found
    finally:
        _WAITING.release()


def _remaining(deadline: float, monotonic: Callable[[], float]) -> Iterator[float]:
    while (left := deadline - monotonic()) > 0:
        yield left
