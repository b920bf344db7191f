"""The task REST allows exactly what the web allows: for each official of the web's authorization
matrix (curator, executors of two agencies, supervisor, regulator, admin), GET /engine-rest/task
lists exactly the inbox's tasks, GET /task/{id} answers as the task page does, and claim,
unclaim and complete are allowed and refused as the page's buttons are."""
from __future__ import annotations

import base64
import re

import pytest
from flask.testing import FlaskClient

from engine.models import Task
from tests.web.conftest import PASSWORD
from tests.web.test_authorization_matrix import ROLES, world  # noqa: F401  (the web matrix's own setup)

TASK_LINK = re.compile(r'href="/tasks/([0-9a-f-]{36})"')


def basic(login: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{PASSWORD}".encode()).decode()}


def inbox_ids(client: FlaskClient) -> set[str]:
    return set(TASK_LINK.findall(client.get("/inbox").get_data(as_text=True)))


def rest_ids(app, login: str) -> set[str]:  # type: ignore[no-untyped-def]
    answer = app.test_client().get("/engine-rest/task", headers=basic(login))
    assert answer.status_code == 200
    ids = [task["id"] for task in answer.get_json()]
    count = app.test_client().get("/engine-rest/task/count", headers=basic(login)).get_json()["count"]
    assert count == len(ids)
    return set(ids)


def test_every_official_lists_exactly_their_inbox(app, client_for, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    listed = {login: rest_ids(app, login) for login in ROLES}
    assert listed == {login: inbox_ids(client_for(login)) for login in ROLES}
    # The matrix is not vacuous: the curator and the roads executor each have work, the others none.
    assert world["route"] in listed["curator"] and world["accept"] in listed["exec_orb_roads"]
    assert not listed["exec_orb_health"] and not listed["regulator"]


@pytest.mark.parametrize("task", ["accept", "route"])
def test_opening_a_task_answers_as_its_page(app, client_for, world, task: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    task_id = world[task]
    page = {login: client_for(login).get(f"/tasks/{task_id}").status_code for login in ROLES}
    rest = {login: app.test_client().get(f"/engine-rest/task/{task_id}", headers=basic(login)).status_code
            for login in ROLES}
    variables = {login: app.test_client().get(f"/engine-rest/task/{task_id}/form-variables",
                                              headers=basic(login)).status_code for login in ROLES}
    assert rest == page and variables == page
    assert sorted(page.values()).count(200) == 1


def _claimed_by(app, task_id: str) -> str | None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        return session.get_one(Task, task_id).claimed_by


def _web_post(client: FlaskClient, path: str) -> int:
    page = client.get("/inbox").get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    token = page[page.index(marker) + len(marker):].split('"', 1)[0]
    return client.post(path, data={"csrf_token": token}).status_code


@pytest.mark.parametrize("task", ["accept", "route"])
def test_claiming_is_allowed_to_whom_the_page_allows_it(app, client_for, world, task: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    task_id = world[task]
    took = []
    for login in ROLES:
        rest = app.test_client().post(f"/engine-rest/task/{task_id}/claim", json={"userId": login},
                                      headers=basic(login))
        by_rest = _claimed_by(app, task_id)
        if by_rest is not None:
            assert app.test_client().post(f"/engine-rest/task/{task_id}/unclaim",
                                          headers=basic(login)).status_code == 204
        web = _web_post(client_for(login), f"/tasks/{task_id}/claim")
        by_web = _claimed_by(app, task_id)
        if by_web is not None:
            _web_post(client_for(login), f"/tasks/{task_id}/unclaim")
        assert (rest.status_code == 204) == (by_rest == login), login
        assert by_rest == by_web and (web == 303) == (by_web == login), login  # the page's button: the same
        if rest.status_code == 204:
            took.append(login)
        else:
            assert rest.status_code == 403 and rest.get_json()["type"] == "AuthorizationException"
    assert took == [{"accept": "exec_orb_roads", "route": "curator"}[task]]


def test_only_the_claimant_or_the_regions_curator_releases_a_claim(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    task_id = world["accept"]
    client = app.test_client()
    assert client.post(f"/engine-rest/task/{task_id}/claim", json={"userId": "exec_orb_roads"},
                       headers=basic("exec_orb_roads")).status_code == 204
    refused = {login: client.post(f"/engine-rest/task/{task_id}/unclaim", headers=basic(login)).status_code
               for login in ("exec_orb_health", "supervisor", "regulator", "admin")}
    assert refused == dict.fromkeys(refused, 403)
    assert _claimed_by(app, task_id) == "exec_orb_roads"
    assert client.post(f"/engine-rest/task/{task_id}/unclaim", headers=basic("curator")).status_code == 204
    assert _claimed_by(app, task_id) is None


def test_completing_is_refused_to_whom_the_page_refuses_it(app, client_for, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    task_id = world["accept"]
    body = {"variables": {"competent": {"value": True, "type": "Boolean"}}}
    for login in ("curator", "exec_orb_health", "supervisor", "regulator", "admin"):
        answer = app.test_client().post(f"/engine-rest/task/{task_id}/complete", json=body, headers=basic(login))
        assert answer.status_code == 403, login
    # Claimed by the agency's executor, a colleague with the same rights is refused too (409), as on the page.
    with app.extensions["otklik_db"].session() as session:
        session.get_one(Task, task_id).claimed_by = "someone_else"
    claimed = app.test_client().post(f"/engine-rest/task/{task_id}/complete", json=body, headers=basic("exec_orb_roads"))
    assert claimed.status_code == 409 and claimed.get_json()["type"] == "TaskAlreadyClaimedException"
    with app.extensions["otklik_db"].session() as session:
        session.get_one(Task, task_id).claimed_by = None
    done = app.test_client().post(f"/engine-rest/task/{task_id}/complete", json=body, headers=basic("exec_orb_roads"))
    assert done.status_code == 204
    with app.extensions["otklik_db"].session() as session:
        assert session.get_one(Task, task_id).status == "completed"
    assert task_id not in rest_ids(app, "exec_orb_roads")
