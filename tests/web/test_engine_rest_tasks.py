"""/engine-rest/task: Camunda 7's task REST for other front ends (issue 17) — the shape, the
filters, sorting and paging, the form's typed variables, completion checked as the task page
checks its form (every problem at once, nothing kept), and the bounds."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from engine.models import Task
from tests.web.test_authorization_matrix import ORB, ROUTE, world  # noqa: F401  (the web matrix's own setup)
from tests.web.test_engine_rest_tasks_matrix import basic

CAMUNDA_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}")
TYPES = {"category": "String", "repeat_of": "String", "topic": "String", "location": "String", "importance": "String",
         "answer_hours": "Double", "agency": "String", "co_agencies": "Json"}


def typed(values: dict) -> dict:  # type: ignore[type-arg]
    return {"variables": {key: {"value": value if TYPES[key] != "Json" else json.dumps(value), "type": TYPES[key]}
                          for key, value in values.items()}}


def get(app, path: str, login: str = "curator", **headers: str):  # type: ignore[no-untyped-def]
    return app.test_client().get(path, headers={**basic(login), **headers})


def post(app, path: str, body=None, login: str = "curator", **headers: str):  # type: ignore[no-untyped-def]
    return app.test_client().post(path, json=body, headers={**basic(login), **headers})


def task_row(app, task_id: str) -> Task:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        row = session.get_one(Task, task_id)
        session.expunge(row)
        return row


def test_a_task_in_camundas_shape(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    [task] = get(app, "/engine-rest/task").get_json()
    assert task["id"] == world["route"] and task["name"] == "Определить тему, локацию, важность и направить"
    assert task["taskDefinitionKey"] == "route_message" and task["assignee"] is None
    assert CAMUNDA_TIME.fullmatch(task["created"]) and task["created"].endswith("+0500")  # the region's zone
    assert CAMUNDA_TIME.fullmatch(task["due"])
    assert re.fullmatch(r"orenburg:\d+:\d+", task["processDefinitionId"])
    assert task["camundaFormRef"] == {"key": "orenburg_routing", "binding": "deployment", "version": None}
    assert task["tenantId"] == "orenburg" and task["suspended"] is False
    assert get(app, f"/engine-rest/task/{world['route']}").get_json() == task


def test_filters_by_camundas_parameters(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    route = get(app, f"/engine-rest/task/{world['route']}").get_json()
    ids = lambda query, login="curator": [t["id"] for t in get(app, f"/engine-rest/task?{query}", login).get_json()]  # noqa: E731
    assert ids("candidateGroup=curator") == [world["route"]]
    assert ids("candidateGroup=executor") == []  # not the curator's role: the filter only narrows
    assert ids("candidateGroups=executor,last_executor", "exec_orb_roads") == [world["accept"]]
    assert ids(f"processInstanceId={route['processInstanceId']}") == [world["route"]]
    assert ids("processInstanceId=999999") == ids("processInstanceId=abc") == []
    assert ids(f"processDefinitionId={route['processDefinitionId']}") == [world["route"]]
    assert ids("processDefinitionKey=orenburg&taskDefinitionKey=route_message") == [world["route"]]
    due = datetime.strptime(route["due"], "%Y-%m-%dT%H:%M:%S.%f%z")
    later = due.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S.001%z")
    assert ids("dueBefore=" + later.replace("+", "%2B")) == [world["route"]]
    assert ids("dueBefore=" + later) == [world["route"]]  # a '+' left unencoded arrives as a space
    assert ids("dueAfter=" + later.replace("+", "%2B")) == []
    assert ids("assigned=true") == [] and ids("unassigned=true") == [world["route"]]
    assert post(app, f"/engine-rest/task/{world['route']}/claim", {"userId": "curator"}).status_code == 204
    assert ids("assignee=curator") == [world["route"]] and ids("assignee=exec_orb_roads") == []
    assert get(app, "/engine-rest/task/count?assigned=true").get_json() == {"count": 1}


def test_sorting_and_paging(app, world, virtual_clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    # A second case's routing, a minute later: two open tasks for the curator.
    from engine.runtime import cases as runtime

    virtual_clock.advance(minutes=1)
    with app.extensions["otklik_db"].session() as session:
        runtime.start_procedure(session, runtime.MessageInput(
            "orenburg", "vk", "https://vk.com/wall-1_9", "Автор 3", "Мусор",
            datetime(2025, 11, 10, 9, 55, tzinfo=ORB), datetime(2025, 11, 10, 10, 1, tzinfo=ORB)), "curator")
    listed = get(app, "/engine-rest/task?sortBy=created&sortOrder=asc").get_json()
    assert len(listed) == 2 and listed[0]["id"] == world["route"]
    assert [t["id"] for t in get(app, "/engine-rest/task?sortBy=created&sortOrder=desc").get_json()] == \
        [t["id"] for t in reversed(listed)]
    assert [t["id"] for t in get(app, "/engine-rest/task?sortBy=dueDate&sortOrder=asc&firstResult=1&maxResults=1")
            .get_json()] == [sorted(listed, key=lambda t: (t["due"], t["id"]))[1]["id"]]
    assert get(app, "/engine-rest/task?maxResults=0").get_json() == []
    assert get(app, "/engine-rest/task/count?maxResults=1").get_json() == {"count": 2}


@pytest.mark.parametrize(("query", "words"), [
    ("maxResults=201", "maxResults"), ("firstResult=-1", "firstResult"), ("sortBy=name", "sortOrder"),
    ("sortBy=priority&sortOrder=asc", "dueDate, created, name"), ("candidateUser=curator", "candidateUser"),
    ("dueBefore=2025-11-10", "dueBefore"), ("assignee=a&assignee=b", "assignee"), ("assigned=yes", "assigned"),
])
def test_a_query_it_does_not_take_is_refused_not_ignored(app, world, query: str, words: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    for path in ("/engine-rest/task", "/engine-rest/task/count"):
        answer = get(app, f"{path}?{query}", **{"Accept-Language": "en"})
        assert answer.status_code == 400 and answer.get_json()["type"] == "InvalidRequestException"
        assert words in answer.get_json()["message"], answer.get_json()


def test_the_forms_typed_variables(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    variables = get(app, f"/engine-rest/task/{world['route']}/form-variables").get_json()
    assert {key: v["type"] for key, v in variables.items()} == TYPES
    assert variables["co_agencies"] == {"value": "[]", "type": "Json", "valueInfo": {}}
    assert variables["category"]["value"] == "ordinary" and variables["location"]["value"] is None  # as the page starts
    assert variables["answer_hours"] == {"value": 9, "type": "Double", "valueInfo": {}}  # the form's default
    only = get(app, f"/engine-rest/task/{world['route']}/form-variables?variableNames=topic,location").get_json()
    assert set(only) == {"topic", "location"}
    too_many = get(app, f"/engine-rest/task/{world['route']}/form-variables?variableNames=" + ",".join("v" * 51))
    unknown = get(app, f"/engine-rest/task/{world['route']}/form-variables?variableName=topic")
    assert too_many.status_code == unknown.status_code == 400 and "variableNames" in unknown.get_json()["message"]
    accept = get(app, f"/engine-rest/task/{world['accept']}/form-variables", "exec_orb_roads").get_json()
    assert accept["competent"] == {"value": True, "type": "Boolean", "valueInfo": {}}  # the form's default


def test_completing_routes_the_case_as_the_page_does(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    done = post(app, f"/engine-rest/task/{world['route']}/complete", typed(ROUTE))
    assert done.status_code == 204, done.get_json()
    assert task_row(app, world["route"]).status == "completed"
    names = [t["taskDefinitionKey"] for t in get(app, "/engine-rest/task", "exec_orb_roads").get_json()]
    assert names.count("accept_message") == 2  # the second case now waits for the roads agency too
    gone = get(app, f"/engine-rest/task/{world['route']}")
    assert gone.status_code == 404 and "curator" in gone.get_json()["message"]
    again = post(app, f"/engine-rest/task/{world['route']}/complete", typed(ROUTE))
    assert again.status_code == 409


def test_a_refused_completion_lists_every_problem_and_keeps_nothing(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    body = typed({**ROUTE, "topic": "no_such_topic"})
    body["variables"]["category"] = {"value": 7, "type": "Integer"}
    body["variables"]["colour"] = {"value": "red", "type": "String"}
    del body["variables"]["location"]
    answer = post(app, f"/engine-rest/task/{world['route']}/complete", body, **{"Accept-Language": "en"})
    assert answer.status_code == 400 and answer.get_json()["type"] == "InvalidRequestException"
    problems = answer.get_json()["problems"]
    assert set(problems) == {"category", "colour", "topic", "location"}, problems
    assert "a string" in problems["category"] and "its fields:" in problems["colour"]
    message = answer.get_json()["message"]
    assert message.startswith("Task not completed") and all(f"* {key}: " in message for key in problems)
    assert task_row(app, world["route"]).status == "open"
    russian = post(app, f"/engine-rest/task/{world['route']}/complete", body)
    assert russian.get_json()["message"].startswith("Задача не выполнена")


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'{"variables": [1]}', b'{"variables": "x"}',
                                 b'{"variables": {}, "withVariablesInReturn": true}'])
def test_a_body_that_is_not_variables_is_refused(app, world, raw: bytes) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    answer = app.test_client().post(f"/engine-rest/task/{world['route']}/complete", data=raw,
                                    content_type="application/json", headers=basic("curator"))
    assert answer.status_code == 400 and "ariables" in answer.get_json()["message"]
    assert task_row(app, world["route"]).status == "open"


def test_bounds_on_the_body(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    many = {"variables": {f"v{n}": {"value": "x", "type": "String"} for n in range(101)}}
    assert post(app, f"/engine-rest/task/{world['route']}/complete", many).status_code == 400
    huge = {"variables": {"location": {"value": "x" * 600_000, "type": "String"}}}
    too_large = post(app, f"/engine-rest/task/{world['route']}/complete", huge)
    assert too_large.status_code == 413 and too_large.get_json()["type"] == "InvalidRequestException"
    nul = typed({**ROUTE, "location": "Орен\u0000бург"})
    refused = post(app, f"/engine-rest/task/{world['route']}/complete", nul)
    assert refused.status_code == 400 and "location" in refused.get_json()["problems"]
    long_list = typed({**ROUTE, "co_agencies": ["orb_health"] * 51})
    assert "co_agencies" in post(app, f"/engine-rest/task/{world['route']}/complete", long_list).get_json()["problems"]
    assert task_row(app, world["route"]).status == "open"


def test_claims(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    path = f"/engine-rest/task/{world['accept']}"
    other = post(app, f"{path}/claim", {"userId": "curator"}, "exec_orb_roads", **{"Accept-Language": "en"})
    assert other.status_code == 403 and "exec_orb_roads" in other.get_json()["message"]
    assert post(app, f"{path}/claim", None, "exec_orb_roads").status_code == 204  # no body: for oneself
    assert get(app, path, "exec_orb_roads").get_json()["assignee"] == "exec_orb_roads"
    assert post(app, f"{path}/claim", {"userId": "exec_orb_roads"}, "exec_orb_roads").status_code == 204  # again: no change
    assert post(app, f"{path}/unclaim", None, "exec_orb_roads").status_code == 204
    assert task_row(app, world["accept"]).claimed_by is None
    assert post(app, "/engine-rest/task/no-such-task/claim", {}, "exec_orb_roads").status_code == 404


def test_rate_limited_per_official(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    app.config["API_RATE_LIMIT"] = "3 per minute"
    statuses = [get(app, "/engine-rest/task/count").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = get(app, "/engine-rest/task/count")
    assert limited.get_json()["type"] == "RateLimitException" and int(limited.headers["Retry-After"]) >= 1
    assert get(app, "/engine-rest/task/count", "exec_orb_roads").status_code == 200  # each official counts alone


def test_without_credentials_or_unsupported_calls(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert app.test_client().get("/engine-rest/task").status_code == 401
    assert app.test_client().post(f"/engine-rest/task/{world['route']}/complete", json={}).status_code == 401
    unsupported = app.test_client().post(f"/engine-rest/task/{world['route']}/delegate", json={})
    assert unsupported.status_code == 404 and "POST /task/<id>/complete" in unsupported.get_json()["message"]
