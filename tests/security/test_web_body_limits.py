"""Finding 1 (web): a request body is read only as far as its view needs.

An urlencoded body is parsed in one piece (Werkzeug applies no per-field or per-part limit to
it), so the app-wide limit is a form's 500 KB; the views that take files accept 25 MiB of
multipart from a signed-in official (web.limits). Everything else is 413 before it is read.
"""
from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.models import Task
from engine.runtime import cases as runtime
from tests.web.hardening_support import csrf_token

MB = 1024 * 1024
URLENCODED = "application/x-www-form-urlencoded"


def _open_task(app) -> str:  # type: ignore[no-untyped-def]
    at = datetime(2025, 10, 31, 9, 0, tzinfo=UTC)
    with app.extensions["otklik_db"].session() as session:
        runtime.start_procedure(session, runtime.MessageInput(region="orenburg", network="vk", url="https://vk.com/wall-1_1",
                                                              author="А", text="Т", posted_at=at, detected_at=at), "curator")
        return session.scalar(select(Task.id).where(Task.status == "open"))


def _timed_post(client, path: str, body: bytes, content_type: str = URLENCODED):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    response = client.post(path, data=body, content_type=content_type)
    return response, time.perf_counter() - started


@pytest.mark.parametrize("size", [20 * MB, 30 * MB])
def test_a_big_urlencoded_body_is_413_before_it_is_parsed(app, client_for, size: int) -> None:  # type: ignore[no-untyped-def]
    task_id = _open_task(app)
    curator = client_for("curator")
    token = csrf_token(curator, "/inbox").encode()
    for client, path in ((app.test_client(), "/login"), (curator, f"/tasks/{task_id}"), (curator, "/messages/new"),
                         (curator, "/deploy")):
        body = b"csrf_token=" + token + b"&text=" + b"x" * size
        response, seconds = _timed_post(client, path, body)
        assert response.status_code == 413, (path, response.status_code)
        assert seconds < 1.0, (path, seconds)
        page = response.get_data(as_text=True)
        assert "Слишком большой запрос" in page and "500 КБ" in page


def test_many_small_fields_are_413_before_they_are_parsed(app) -> None:  # type: ignore[no-untyped-def]
    body = b"a=1&" * (750_000)  # 3 MB, 750,000 fields: seconds of parsing and ~0.3 GB of strings before
    response, seconds = _timed_post(app.test_client(), "/login", body)
    assert response.status_code == 413 and seconds < 1.0, (response.status_code, seconds)


def test_an_anonymous_multipart_body_gets_no_upload_allowance(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    token = csrf_token(client)
    for path in ("/messages/new", "/deploy/check", "/login"):
        response = client.post(path, data={"csrf_token": token, "files": (io.BytesIO(b"\0" * (3 * MB)), "a.jpg")},
                               content_type="multipart/form-data")
        assert response.status_code == 413, path


def test_files_still_reach_the_views_that_take_them(app, client_for) -> None:  # type: ignore[no-untyped-def]
    task_id = _open_task(app)
    curator = client_for("curator")
    token = csrf_token(curator, "/inbox")
    photo = b"\xff\xd8\xff\xe0" + b"\0" * (3 * MB)
    registration = curator.post("/messages/new", data={"csrf_token": token, "files": (io.BytesIO(photo), "a.jpg")},
                                content_type="multipart/form-data")
    assert registration.status_code == 422  # read, and refused for the empty fields
    task = curator.post(f"/tasks/{task_id}", data={"csrf_token": token, "files": (io.BytesIO(photo), "a.jpg")},
                        content_type="multipart/form-data")
    assert task.status_code != 413
    # A page without files keeps the small limit even for multipart.
    refused = curator.post("/locale/en", data={"csrf_token": token, "files": (io.BytesIO(photo), "a.jpg")},
                           content_type="multipart/form-data")
    assert refused.status_code == 413


def test_more_than_a_thousand_parts_is_413(app, client_for) -> None:  # type: ignore[no-untyped-def]
    curator = client_for("curator")
    data = {"csrf_token": csrf_token(curator, "/inbox"), **{f"f{n}": "x" for n in range(1_001)}}
    assert curator.post("/messages/new", data=data, content_type="multipart/form-data").status_code == 413


def test_the_limits_are_settings(app) -> None:  # type: ignore[no-untyped-def]
    assert (app.config["MAX_CONTENT_LENGTH"], app.config["MAX_FORM_MEMORY_SIZE"], app.config["MAX_FORM_PARTS"]) == (
        500_000, 500_000, 1_000)
    assert app.config["MAX_UPLOAD_REQUEST_BYTES"] == 25 * MB
