"""The task REST with a real Camunda 7 client: PyCamunda (``pycamunda.task``, a published client of
Camunda 7's REST API, not ours) against the app served on loopback — a bot that lists its tasks,
takes one, is refused a wrong completion with every problem named, and completes it."""
from __future__ import annotations

import json

import pycamunda
import pycamunda.task
import pytest
import requests

from tests.web.conftest import PASSWORD
from tests.web.test_api_v1_http import served  # noqa: F401  (the app on loopback)
from tests.web.test_authorization_matrix import ROUTE, world  # noqa: F401  (the web matrix's own setup)


def session(login: str, language: str = "en") -> requests.Session:
    client = requests.Session()
    client.auth = (login, PASSWORD)
    client.headers["Accept-Language"] = language
    return client


def call(request: pycamunda.base.CamundaRequest, login: str):  # type: ignore[no-untyped-def]
    request.session = session(login)
    return request()


def test_a_bot_lists_claims_and_completes_with_pycamunda(served, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url = served + "/engine-rest"
    tasks = call(pycamunda.task.GetList(url, candidate_group="curator", sort_by="due_date", ascending=True,
                                        first_result=0, max_results=10), "curator")
    assert [t.id_ for t in tasks] == [world["route"]]
    task = tasks[0]
    assert task.task_definition_key == "route_message" and task.due.utcoffset() is not None
    assert call(pycamunda.task.Get(url, id_=task.id_), "curator").process_instance_id == task.process_instance_id

    call(pycamunda.task.Claim(url, id_=task.id_, user_id="curator"), "curator")
    assert call(pycamunda.task.Get(url, id_=task.id_), "curator").assignee == "curator"
    with pytest.raises(pycamunda.Forbidden):  # another agency's executor may not even see it
        call(pycamunda.task.Claim(url, id_=task.id_, user_id="exec_orb_health"), "exec_orb_health")

    wrong = pycamunda.task.Complete(url, id_=task.id_)
    wrong.add_variable("category", "ordinary", "String")
    wrong.add_variable("topic", "no_such_topic", "String")
    with pytest.raises(pycamunda.BadRequest) as refused:
        call(wrong, "curator")
    assert "* topic:" in str(refused.value) and "* location:" in str(refused.value)

    complete = pycamunda.task.Complete(url, id_=task.id_)
    for key, value in ROUTE.items():
        kind = {"answer_hours": "Double", "co_agencies": "Json"}.get(key, "String")
        complete.add_variable(key, json.dumps(value) if kind == "Json" else value, kind)
    assert call(complete, "curator") is None
    with pytest.raises(pycamunda.NotFound):
        call(pycamunda.task.Get(url, id_=task.id_), "curator")

    waiting = call(pycamunda.task.GetList(url, candidate_group="executor", unassigned=True), "exec_orb_roads")
    assert [t.task_definition_key for t in waiting] == ["accept_message", "accept_message"]
    assert list(call(pycamunda.task.GetList(url), "exec_orb_health")) == []
