"""Fuzz the task REST signed in (Basic): hostile task ids, query strings and bodies on every call.
No answer is a 500 or HTML, none takes long, and no hostile body completes the task."""
from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from engine.models import Task
from tests.security.test_fuzz_paths import LIMIT, QUERIES, SEGMENTS
from tests.web.conftest import app  # noqa: F401  (the web fixtures: Orenburg officials, the procedure)
from tests.web.test_authorization_matrix import world  # noqa: F401
from tests.web.test_engine_rest_tasks_matrix import basic

CALLS = (("GET", ""), ("GET", "/form-variables"), ("POST", "/claim"), ("POST", "/unclaim"), ("POST", "/complete"))
TASK_QUERIES = (*QUERIES, "maxResults=" + "9" * 40, "firstResult=1e9", "dueBefore=" + "9" * 300,
                "dueBefore=2025-13-45T99:99:99.000+9999", "candidateGroups=" + "," * 5_000, "sortBy=%00",
                "processInstanceId=" + "9" * 100, "processDefinitionId=a:1:" + "9" * 30, "assigned=true&unassigned=true")
BODIES = (b"", b"null", b"0", b'"x"', b"[" * 100_000 + b"]" * 100_000, b'{"variables": {"a": ' * 2_000,
          b'{"variables": {"location": {"value": 1e999}}}', b'{"variables": {"location": {"value": NaN}}}',
          b'{"variables": {"answer_hours": {"value": ' + b"9" * 5_000 + b"}}}",
          b'{"variables": {"co_agencies": {"value": "' + b"[" * 5_000 + b'", "type": "Json"}}}',
          b'{"variables": {"co_agencies": {"value": [[["x"]]], "type": "Json"}}}',
          b'{"variables": {"\\u0000": {"value": "\\u0000"}}}', b'{"userId": ["curator"]}', b"\xff\xfe")


def _bounded(client, method: str, path: str, body: bytes = b""):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    response = client.open(path, method=method, data=body, content_type="application/json", headers=basic("curator"))
    assert time.perf_counter() - started < LIMIT, path[:120]
    assert response.status_code < 500, (method, path[:120], response.status_code)
    assert (response.status_code == 204 and not response.data) or response.content_type.startswith("application/json")
    return response


@pytest.mark.parametrize("segment", SEGMENTS)
def test_hostile_task_ids(app, world, segment: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = app.test_client()
    for method, tail in CALLS:
        _bounded(client, method, f"/engine-rest/task/{quote(segment, safe='%')}{tail}", b"{}")


def test_hostile_queries(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = app.test_client()
    for query in TASK_QUERIES:
        for path in ("/engine-rest/task", "/engine-rest/task/count", f"/engine-rest/task/{world['route']}/form-variables"):
            _bounded(client, "GET", f"{path}?{query}")


def test_hostile_bodies_complete_nothing(app, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = app.test_client()
    for body in BODIES:
        for tail in ("/claim", "/complete"):
            _bounded(client, "POST", f"/engine-rest/task/{world['route']}{tail}", body)
        client.post(f"/engine-rest/task/{world['route']}/unclaim", headers=basic("curator"))
    with app.extensions["otklik_db"].session() as session:
        assert session.get_one(Task, world["route"]).status == "open"
