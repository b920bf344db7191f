"""Two workers racing (issue 17 §1): each task is locked by one fetch only (``FOR UPDATE SKIP LOCKED``
on PostgreSQL), and one task's two completions at once advance the case once. Both backends; the
PostgreSQL run is the one that matters (OTKLIK_TEST_DATABASE_URL)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from engine.models import AuditEvent, ExternalTask
from engine.runtime import external_fetch, external_tasks
from engine.runtime.external_access import Refused
from tests.external.conftest import WORKER, at_threat
from tests.external.diagram import TOPIC


def _together(work: Callable[[int], Any], count: int = 2) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results.append(work(index))
        except BaseException as error:  # noqa: BLE001 - asserted by the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results, errors


def test_two_workers_fetching_at_once_never_lock_the_same_task(threat) -> None:  # type: ignore[no-untyped-def]
    at_threat(threat)
    at_threat(threat)  # three cases wait at the worker's step

    def fetch(index: int) -> list[str]:
        body = {"workerId": f"w{index}", "maxTasks": 3, "topics": [{"topicName": TOPIC, "lockDuration": 60_000}]}
        with threat.db.session() as session:
            return [t["id"] for t in external_fetch.fetch_and_lock(session, WORKER, external_fetch.parse_fetch(body))]

    results, errors = _together(fetch)
    assert errors == []
    taken = [task_id for found in results for task_id in found]
    assert len(taken) == len(set(taken)) == 3, results
    with threat.db.session() as session:
        holders = {row.id: row.worker_id for row in session.execute(select(ExternalTask.id, ExternalTask.worker_id))}
    for found in results:  # each fetch's tasks are locked by that fetch's worker
        assert len({holders[task_id] for task_id in found}) <= 1


def test_one_tasks_two_completions_at_once_advance_the_case_once(threat) -> None:  # type: ignore[no-untyped-def]
    body = {"workerId": "w1", "maxTasks": 1, "topics": [{"topicName": TOPIC, "lockDuration": 60_000}]}
    with threat.db.session() as session:
        [task] = external_fetch.fetch_and_lock(session, WORKER, external_fetch.parse_fetch(body))

    def complete(index: int) -> str:
        try:
            with threat.db.session() as session:
                external_tasks.complete(session, WORKER, task["id"], {"workerId": "w1", "variables": {
                    "attempt": {"value": index, "type": "Integer"}}})
        except Refused as refused:
            return f"refused {refused.status}"
        return "won"

    results, errors = _together(complete)
    assert errors == []
    assert sorted(results)[-1] == "won" and sorted(results)[0] in ("refused 404", "refused 409"), results
    assert threat.instance().status == "completed"
    with threat.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.kind == "external_completed")) == 1
