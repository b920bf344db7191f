"""``/engine-rest/external-task`` over HTTP (issue 17 §1): Camunda's answers (a list, 204), its error
shape for every refusal, Basic auth, the long poll's bound and the per-login rate."""
from __future__ import annotations

import time
from typing import Any

import pytest

from tests.external.diagram import TOPIC
from tests.external.live import basic, worker_app_case
from tests.web.conftest import PASSWORD

AUTH = basic("analyst", PASSWORD)


@pytest.fixture
def case(app, virtual_clock):  # type: ignore[no-untyped-def]
    return worker_app_case(app, virtual_clock, PASSWORD)


def fetch_body(worker: str = "w1", wait: int = 0, lock: int = 60_000) -> dict[str, Any]:
    return {"workerId": worker, "maxTasks": 5, "asyncResponseTimeout": wait,
            "topics": [{"topicName": TOPIC, "lockDuration": lock, "processVariables": {}}], "sorting": None}


def test_fetch_then_complete_answers_as_camunda_does(app, case) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(), headers=AUTH)
    assert response.status_code == 200 and response.mimetype == "application/json"
    [task] = response.get_json()
    assert task["topicName"] == TOPIC and task["variables"]["category"]["value"] == "threat"
    done = client.post(f"/engine-rest/external-task/{task['id']}/complete", headers=AUTH,
                       json={"workerId": "w1", "variables": {"checked": {"value": 1, "type": "Integer"}}})
    assert done.status_code == 204 and done.get_data() == b""
    assert case.instance().status == "completed"
    again = client.post(f"/engine-rest/external-task/{task['id']}/complete", headers=AUTH, json={"workerId": "w1"})
    assert again.status_code == 404
    assert again.get_json()["type"] == "InvalidRequestException" and "выполнена" in again.get_json()["message"]


def test_refusals_are_camunda_json_in_the_callers_language(app, case, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    english = {**AUTH, "Accept-Language": "en"}
    [task] = client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(lock=1000), headers=AUTH).get_json()
    wrong = client.post(f"/engine-rest/external-task/{task['id']}/complete", json={"workerId": "w9"}, headers=english)
    assert wrong.status_code == 400
    assert wrong.get_json() == {"type": "BadUserRequestException", "message": (
        f"external task {task['id']} cannot be completed by worker 'w9': it is locked by 'w1'")}
    virtual_clock.advance(seconds=2)
    late = client.post(f"/engine-rest/external-task/{task['id']}/extendLock", json={"workerId": "w1", "newDuration": 5},
                       headers=english)
    assert late.status_code == 400 and "expired" in late.get_json()["message"]
    missing = client.post("/engine-rest/external-task/nope/unlock", headers=english)
    assert missing.status_code == 404 and missing.get_json()["type"] == "InvalidRequestException"
    bad = client.post("/engine-rest/external-task/fetchAndLock", json={"workerId": "w1", "maxTasks": 1000,
                                                                       "topics": []}, headers=english)
    assert bad.status_code == 400 and "maxTasks" in bad.get_json()["message"]
    typed = client.post(f"/engine-rest/external-task/{task['id']}/complete", headers=english, json={
        "workerId": "w1", "variables": {"blob": {"value": "rO0AB", "type": "Object"}}})
    assert typed.status_code == 400 and "Object" in typed.get_json()["message"]
    filtered = client.post("/engine-rest/external-task/fetchAndLock", headers=english, json={
        "workerId": "w1", "maxTasks": 1, "topics": [{"topicName": TOPIC, "lockDuration": 1, "tenantIdIn": ["a"]}]})
    assert filtered.status_code == 400 and "tenantIdIn" in filtered.get_json()["message"]


def test_without_credentials_or_the_role_the_call_is_refused(app, case) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    anonymous = client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body())
    assert anonymous.status_code == 401 and anonymous.get_json()["type"] == "AuthenticationException"
    curator = client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(),
                          headers=basic("curator", PASSWORD))
    assert curator.status_code == 403 and curator.get_json()["type"] == "AuthorizationException"


def test_a_long_poll_waits_at_most_its_timeout_then_answers_an_empty_list(app, case) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    body = {**fetch_body(wait=600), "topics": [{"topicName": "nobody_serves_this", "lockDuration": 1000}]}
    started = time.monotonic()
    response = client.post("/engine-rest/external-task/fetchAndLock", json=body, headers=AUTH,
                           multithread=True)  # as gunicorn --threads, the dev server
    waited = time.monotonic() - started
    assert response.status_code == 200 and response.get_json() == []
    assert 0.5 <= waited < 10, waited
    started = time.monotonic()  # a sync worker's one thread is never held: answered at once
    response = client.post("/engine-rest/external-task/fetchAndLock", json=body, headers=AUTH,
                           multithread=False)
    assert response.get_json() == [] and time.monotonic() - started < 0.5


def test_a_long_poll_hands_out_a_task_that_appears_while_it_waits(app, case) -> None:  # type: ignore[no-untyped-def]
    """The poll's attempts each open their own unit of work: the task a completion creates meanwhile
    is seen by the next attempt (here the first attempt finds nothing: the task is locked by w1)."""
    from engine.runtime import external_fetch

    client = app.test_client()
    [task] = client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(), headers=AUTH).get_json()
    attempts: list[float] = []

    def sleep(seconds: float) -> None:  # instead of sleeping, w1 gives the task up between two attempts
        attempts.append(seconds)
        if len(attempts) == 1:
            assert client.post(f"/engine-rest/external-task/{task['id']}/unlock", headers=AUTH).status_code == 204

    with app.app_context():
        found = external_fetch.fetch_and_lock_waiting(
            lambda: app.extensions["otklik_db"].session(), "analyst", fetch_body("w2", wait=5_000), sleep=sleep)
    assert [t["id"] for t in found] == [task["id"]] and found[0]["workerId"] == "w2"
    assert attempts == [external_fetch.POLL_SECONDS]


def test_calls_per_login_are_rate_limited(app, case) -> None:  # type: ignore[no-untyped-def]
    app.config["EXTERNAL_TASK_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    codes = [client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(f"w{i}"), headers=AUTH).status_code
             for i in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 429


def test_the_catch_all_names_the_external_task_calls(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/engine-rest/external-task", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "POST /external-task/fetchAndLock" in response.get_json()["message"]


def test_a_task_the_worker_gave_up_on_is_on_the_incidents_page_until_retried(app, case, client_for) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    [task] = client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(), headers=AUTH).get_json()
    failed = client.post(f"/engine-rest/external-task/{task['id']}/failure", headers=AUTH, json={
        "workerId": "w1", "errorMessage": "реестр госорганов недоступен", "retries": 0, "retryTimeout": 0})
    assert failed.status_code == 204
    supervisor = client_for("supervisor")
    page = supervisor.get("/incidents").get_data(as_text=True)
    assert "реестр госорганов недоступен" in page and TOPIC in page
    assert client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(), headers=AUTH).get_json() == []
    marker = 'name="csrf_token" value="'
    token = page[page.index(marker) + len(marker):].split('"', 1)[0]
    retried = supervisor.post(f"/incidents/{case.instance_id}/retry", data={"csrf_token": token})
    assert retried.status_code == 302
    [again] = client.post("/engine-rest/external-task/fetchAndLock", json=fetch_body(), headers=AUTH).get_json()
    assert again["id"] == task["id"] and again["retries"] == 1
