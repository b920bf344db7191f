"""The intake API over real HTTP (httpx against the app served by Werkzeug on loopback), as a
monitoring system calls it: a batch, a retry of the same batch, the state read back, a refusal."""
from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from werkzeug.serving import make_server

from tests.web.conftest import PASSWORD
from tests.web.test_api_v1 import item


@pytest.fixture
def served(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_monitoring_system_pushes_a_batch_retries_it_and_reads_the_state(served) -> None:  # type: ignore[no-untyped-def]
    batch = [item(source_id=f"day-{n}", url=f"https://vk.com/wall-1_{n}") for n in range(5)]
    with httpx.Client(base_url=served, auth=("curator", PASSWORD), timeout=30) as client:
        first = client.post("/api/v1/messages", json=batch)
        assert first.status_code == 207 and first.headers["content-type"] == "application/json"
        assert first.json()["created"] == 5
        replay = client.post("/api/v1/messages", json=batch)  # a day's export sent again
        assert (replay.json()["created"], replay.json()["found"]) == (0, 5)
        assert [r["message"]["id"] for r in replay.json()["results"]] == [r["message"]["id"] for r in first.json()["results"]]
        state = client.get(first.json()["results"][0]["message"]["href"])
        assert state.status_code == 200 and state.json()["source_id"] == "day-0"
        refused = client.post("/api/v1/messages", json=item(url="vk.com"), headers={"Accept-Language": "en"})
        assert refused.status_code == 422
        assert refused.json()["error"]["fields"]["url"] == {"code": "bad_url",
                                                            "message": "an address starting with http:// or https:// is needed"}
    wrong = httpx.post(f"{served}/api/v1/messages", json=item(), auth=("curator", "wrong"))
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Basic")


