"""External tasks in the engine (issue 17 §1): a service task whose topic is declared external waits for
a worker; fetchAndLock locks it, complete advances the case; locks expire on the virtual clock;
failures count retries down to an incident; bpmnError takes the boundary error event's flow."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from engine.models import AuditEvent, ExternalTask
from engine.runtime import external_fetch, external_tasks, incidents
from engine.runtime.external_access import Refused
from tests.external.conftest import WORKER, at_threat, make_case
from tests.external.diagram import ERROR_CODE, TASK, TOPIC


def fetch(case: Any, worker: str = "w1", lock: int = 60_000, login: str = WORKER, **extra: Any) -> list[dict[str, Any]]:
    body = {"workerId": worker, "maxTasks": 10, "topics": [{"topicName": TOPIC, "lockDuration": lock}], **extra}
    with case.db.session() as session:
        return external_fetch.fetch_and_lock(session, login, external_fetch.parse_fetch(body))


def call(case: Any, action: str, task_id: str, body: dict[str, Any] | None = None, login: str = WORKER) -> None:
    with case.db.session() as session:
        function = getattr(external_tasks, action)
        if body is None:
            function(session, login, task_id)
        else:
            function(session, login, task_id, body)


def refusal(case: Any, action: str, task_id: str, body: dict[str, Any] | None = None,
            login: str = WORKER) -> Refused:
    with pytest.raises(Refused) as refused:
        call(case, action, task_id, body, login)
    return refused.value


def row(case: Any, task_id: str) -> ExternalTask:
    with case.db.session() as session:
        found = session.get(ExternalTask, task_id)
        assert found is not None
        session.expunge(found)
        return found


def test_the_worker_fetches_the_waiting_task_and_its_completion_advances_the_case(threat) -> None:  # type: ignore[no-untyped-def]
    assert threat.instance().status == "running" and threat.open_elements() == []
    [task] = fetch(threat)
    assert task["topicName"] == TOPIC and task["activityId"] == TASK and task["workerId"] == "w1"
    assert task["processInstanceId"] == str(threat.instance_id)
    assert task["processDefinitionKey"] == "orenburg" and task["processDefinitionId"].startswith("orenburg:1:")
    assert task["businessKey"] == str(threat.message().id) and task["retries"] is None
    assert task["lockExpirationTime"].endswith("+0000")
    assert task["variables"]["category"] == {"value": "threat", "type": "String"}
    assert task["variables"]["text"]["type"] == "String"
    assert fetch(threat, "w2") == []  # locked
    call(threat, "complete", task["id"], {"workerId": "w1", "variables": {
        "registry_number": {"value": "Г-17/5", "type": "String"}, "sent": {"value": True, "type": "Boolean"}}})
    assert threat.instance().status == "completed"  # the case went on to its end (п. 17: no answer)
    assert row(threat, task["id"]).status == "completed" and row(threat, task["id"]).completed_by == "w1"
    assert "external_completed" in threat.audit_kinds()
    again = refusal(threat, "complete", task["id"], {"workerId": "w1"})
    assert again.status == 404 and "completed already" in again.text.render("en")


def test_only_the_variables_asked_for_are_handed_out(threat) -> None:  # type: ignore[no-untyped-def]
    body = {"workerId": "w1", "maxTasks": 1, "topics": [{"topicName": TOPIC, "lockDuration": 1000,
                                                         "variables": ["category", "nothing"]}]}
    with threat.db.session() as session:
        [task] = external_fetch.fetch_and_lock(session, WORKER, external_fetch.parse_fetch(body))
    assert task["variables"] == {"category": {"value": "threat", "type": "String"}}


def test_a_crashed_workers_lock_expires_and_its_late_completion_is_refused(threat, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    [task] = fetch(threat, "w1", lock=5_000)
    virtual_clock.advance(seconds=4)
    assert fetch(threat, "w2") == []
    virtual_clock.advance(seconds=2)
    [again] = fetch(threat, "w2")
    assert again["id"] == task["id"] and again["workerId"] == "w2"
    stale = refusal(threat, "complete", task["id"], {"workerId": "w1"})
    assert stale.status == 400 and "'w2'" in stale.text.render("en")
    assert refusal(threat, "failure", task["id"], {"workerId": "w1", "retries": 1}).status == 400
    assert refusal(threat, "extend_lock", task["id"], {"workerId": "w1", "newDuration": 1000}).status == 400
    call(threat, "complete", task["id"], {"workerId": "w2"})
    assert threat.instance().status == "completed"


def test_an_expired_lock_is_refused_even_when_nobody_fetched_the_task_again(threat, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    [task] = fetch(threat, "w1", lock=1_000)
    virtual_clock.advance(seconds=2)
    stale = refusal(threat, "complete", task["id"], {"workerId": "w1"})
    assert stale.status == 400 and "expired" in stale.text.render("en")
    assert threat.instance().status == "running"


def test_extend_lock_keeps_the_task_and_unlock_frees_it(threat, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    [task] = fetch(threat, "w1", lock=1_000)
    call(threat, "extend_lock", task["id"], {"workerId": "w1", "newDuration": 60_000})
    virtual_clock.advance(seconds=30)
    assert fetch(threat, "w2") == []
    call(threat, "unlock", task["id"])
    [again] = fetch(threat, "w2")
    assert again["workerId"] == "w2"


def test_failure_with_retries_waits_then_at_zero_is_an_incident_until_retried(threat, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    [task] = fetch(threat)
    call(threat, "failure", task["id"], {"workerId": "w1", "errorMessage": "реестр недоступен", "retries": 2,
                                         "retryTimeout": 60_000, "errorDetails": "timeout"})
    assert fetch(threat) == []  # not before retryTimeout
    virtual_clock.advance(seconds=61)
    [again] = fetch(threat)
    assert again["retries"] == 2 and again["errorMessage"] == "реестр недоступен"
    call(threat, "failure", task["id"], {"workerId": "w1", "errorMessage": "реестр закрыт", "retries": 0})
    virtual_clock.advance(days=1)
    assert fetch(threat) == []  # an incident: never fetched by itself
    with threat.db.session() as session:
        found = incidents.incidents(session, "supervisor")
    [incident] = found.incidents
    assert incident.message_id == threat.message().id and "реестр закрыт" in incident.error
    assert TOPIC in incident.error
    assert threat.instance().status == "running"  # its deadlines keep running meanwhile
    with threat.db.session() as session:
        incidents.retry(session, "supervisor", threat.instance_id)
    with threat.db.session() as session:
        assert incidents.incidents(session, "supervisor").incidents == []
    [retried] = fetch(threat)
    assert retried["retries"] == 1
    call(threat, "complete", task["id"], {"workerId": "w1"})
    assert threat.instance().status == "completed"
    assert {"external_failure", "external_incident", "retried"} <= set(threat.audit_kinds())


def test_bpmn_error_takes_the_boundary_error_events_flow(threat) -> None:  # type: ignore[no-untyped-def]
    [task] = fetch(threat)
    wrong = refusal(threat, "bpmn_error", task["id"], {"workerId": "w1", "errorCode": "other_code"})
    assert wrong.status == 400 and "other_code" in wrong.text.render("en")
    call(threat, "bpmn_error", task["id"], {"workerId": "w1", "errorCode": ERROR_CODE,
                                            "errorMessage": "не угроза", "variables": {
                                                "reason": {"value": "спам", "type": "String"}}})
    assert threat.instance().status == "completed"
    with threat.db.session() as session:
        ends = session.scalars(select(AuditEvent.element_id).where(AuditEvent.kind == "external_bpmn_error")).all()
    assert ends == [TASK]


def test_bpmn_error_without_a_boundary_event_is_refused_saying_what_to_draw(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = at_threat(make_case(db, virtual_clock, boundary=False))
    [task] = fetch(case)
    refused = refusal(case, "bpmn_error", task["id"], {"workerId": "w1", "errorCode": ERROR_CODE})
    assert refused.status == 400
    assert "boundary error event" in refused.text.render("en") and TASK in refused.text.render("en")
    assert case.instance().status == "running" and row(case, task["id"]).status == "open"


def test_only_an_analyst_of_the_region_or_an_administrator_works_tasks(threat) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as refused:
        fetch(threat, login="curator")
    assert refused.value.status == 403
    [task] = fetch(threat)
    assert refusal(threat, "complete", task["id"], {"workerId": "w1"}, login="exec_orb_roads").status == 403


@pytest.mark.parametrize("body", [
    {"workerId": "", "maxTasks": 1, "topics": []},
    {"workerId": "w", "maxTasks": 101, "topics": []},
    {"workerId": "w", "maxTasks": 1, "topics": [{"topicName": TOPIC, "lockDuration": 0}]},
    {"workerId": "w", "maxTasks": 1, "topics": [{"topicName": TOPIC, "lockDuration": 86_400_001}]},
    {"workerId": "w", "maxTasks": 1, "topics": [{"topicName": "t", "lockDuration": 1}] * 21},
    {"workerId": "w" * 256, "maxTasks": 1, "topics": []},
    {"workerId": "w", "maxTasks": 1, "topics": [{"lockDuration": 1}]},
    {"workerId": "w", "maxTasks": 1, "asyncResponseTimeout": -1, "topics": []},
    [],
])
def test_fetch_bodies_out_of_bounds_are_refused(body: Any) -> None:
    with pytest.raises(Refused) as refused:
        external_fetch.parse_fetch(body)
    assert refused.value.status == 400


def test_a_long_poll_is_capped_and_sleeps_between_attempts() -> None:
    request = external_fetch.parse_fetch({"workerId": "w", "maxTasks": 1, "asyncResponseTimeout": 3_600_000,
                                          "topics": [{"topicName": TOPIC, "lockDuration": 1}]})
    assert request.wait_ms == external_fetch.MAX_WAIT_MS


def test_a_task_the_case_left_by_a_deadline_is_cancelled_and_its_worker_told(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    case = at_threat(make_case(db, virtual_clock, timeout=True))
    [task] = fetch(case, lock=24 * 3600 * 1000)
    case.at("2025-11-10T11:20")  # the hour has passed: the worker fires the boundary timer
    assert case.instance().status == "completed"
    assert row(case, task["id"]).status == "cancelled" and row(case, task["id"]).worker_id is None
    gone = refusal(case, "complete", task["id"], {"workerId": "w1"})
    assert gone.status == 404 and "cancelled" in gone.text.render("en")
    assert fetch(case) == []
