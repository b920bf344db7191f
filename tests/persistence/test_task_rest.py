"""The task REST's queries and completion on SQLite and PostgreSQL: every filter and sort runs,
the list is the inbox (a substitute's too), a completion from typed variables advances the case."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.errors import InvalidSubmission
from engine.models import User
from engine.runtime import cases as runtime
from engine.views import task_rest, task_rest_actions
from tests.factories import substitute
from tests.scenario.test_orenburg import ROUTE


@pytest.fixture
def case(orenburg):  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    orenburg.at("2025-11-10T10:02")
    orenburg.start(posted="2025-11-10T09:50", detected="2025-11-10T10:01")
    return orenburg


def listed(case, login: str, **query: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    with case.db.session() as session:
        parsed = task_rest.parse_query({k: [v] for k, v in query.items()})
        tasks = task_rest.list_tasks(session, login, parsed)
        assert task_rest.count_tasks(session, login, parsed) == len(tasks) or "maxResults" in query
        return tasks


def test_every_filter_and_sort_runs_and_the_list_is_the_inbox(case) -> None:  # type: ignore[no-untyped-def]
    with case.db.session() as session:
        inbox = [t.id for t in runtime.inbox(session, "curator")]
    assert [t["id"] for t in listed(case, "curator")] == inbox and len(inbox) == 2
    for sort_by in task_rest.SORT_BY:
        ascending = [t["id"] for t in listed(case, "curator", sortBy=sort_by, sortOrder="asc")]
        descending = [t["id"] for t in listed(case, "curator", sortBy=sort_by, sortOrder="desc")]
        assert sorted(ascending) == sorted(inbox) and (sort_by in ("name", "assignee") or ascending == descending[::-1])
    first = listed(case, "curator", sortBy="created", sortOrder="asc")[0]
    assert listed(case, "curator", processInstanceId=first["processInstanceId"]) == [first]
    assert listed(case, "curator", processInstanceId="x1") == []
    assert len(listed(case, "curator", processDefinitionId=first["processDefinitionId"])) == 2
    assert listed(case, "curator", processDefinitionId="orenburg:1:x") == []
    assert len(listed(case, "curator", candidateGroups="curator,executor", dueAfter="2025-11-10T10:00:00.000+0500",
                      createdBefore="2030-01-01T00:00:00.000+0000", unassigned="true")) == 2
    assert listed(case, "curator", dueBefore="2025-11-10T10:00:00.000+0500") == []
    assert len(listed(case, "curator", maxResults="1", firstResult="1")) == 1
    assert listed(case, "nobody") == []


def test_a_substitute_lists_and_completes_the_absent_executors_tasks(case) -> None:  # type: ignore[no-untyped-def]
    case.complete("route_message", "curator", ROUTE)
    with case.db.session() as session:
        absent = session.scalar(select(User).where(User.login == "exec_orb_roads"))
        stand_in = User(login="stand_in", full_name="Заместитель")
        session.add(stand_in)
        session.flush()
        substitute(session, absent, stand_in, datetime(2025, 11, 10, tzinfo=UTC), datetime(2025, 11, 11, tzinfo=UTC))
    [task] = listed(case, "stand_in")
    assert task["taskDefinitionKey"] == "accept_message" and listed(case, "exec_orb_health") == []
    with case.db.session() as session, pytest.raises(InvalidSubmission) as refused:
        task_rest_actions.complete_task(session, task["id"], "stand_in",
                                        {"variables": {"competent": {"value": "maybe", "type": "Boolean"}}},
                                        upload_dir="/nonexistent", max_bytes=1)
    assert set(refused.value.errors) == {"competent"}
    with case.db.session() as session:
        task_rest_actions.complete_task(session, task["id"], "stand_in",
                                        {"variables": {"competent": {"value": True, "type": "Boolean"}}},
                                        upload_dir="/nonexistent", max_bytes=1)
    assert "accept_message" not in case.open_elements()
    assert listed(case, "stand_in")[0]["taskDefinitionKey"] != "accept_message"


def test_a_routing_completed_from_typed_variables(case) -> None:  # type: ignore[no-untyped-def]
    first = listed(case, "curator", sortBy="created", sortOrder="asc")[0]
    variables = {key: {"value": json.dumps(value) if isinstance(value, list) else value,
                       "type": "Json" if isinstance(value, list) else "String"} for key, value in ROUTE.items()}
    with case.db.session() as session:
        task_rest_actions.complete_task(session, first["id"], "curator", {"variables": variables},
                                        upload_dir="/nonexistent", max_bytes=1)
    assert [t["taskDefinitionKey"] for t in listed(case, "exec_orb_roads")] == ["accept_message"]
