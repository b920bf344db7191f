"""Finding 7: the files a check page carries to /deploy are counted and size-checked before any is
inflated, and inflated against one budget (engine.deployment.browser.unpack_all).

Before, every carried field was inflated first and the 20-file limit checked after: 250 fields
of 1 MiB each took the server from 156 to 642 MB.
"""
from __future__ import annotations

import base64
import tracemalloc
import zlib

import pytest

from engine.deployment import browser as browserdeploy
from engine.errors import DeploymentError
from tests.factories import official
from tests.web.hardening_support import PASSWORD, csrf_token

MiB = 1024 * 1024


@pytest.fixture
def analyst(app, client_for):  # type: ignore[no-untyped-def]
    from werkzeug.security import generate_password_hash

    from engine.models import Organisation
    with app.extensions["otklik_db"].session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        official(session, "analyst", ministry, "analyst").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    return client_for("analyst")


@pytest.fixture
def inflations(monkeypatch):  # type: ignore[no-untyped-def]
    """How many times a carried file was inflated."""
    calls = []
    real = zlib.decompressobj

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(browserdeploy.zlib, "decompressobj", counting)
    return calls


def _payload(size: int) -> str:
    return base64.urlsafe_b64encode(zlib.compress(b"<" * size, 9)).decode()


def _post_measured(client, data: dict):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        response = client.post("/deploy", data=data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak


def test_250_carried_fields_are_refused_before_any_is_inflated(analyst, inflations) -> None:  # type: ignore[no-untyped-def]
    payload = _payload(MiB)  # 1.4 KB that inflates to 1 MiB: 250 of them fit in a 500 KB form
    data = {"csrf_token": csrf_token(analyst, "/deploy"), "carried_name": [f"f{n}.bpmn" for n in range(250)],
            "carried_data": [payload] * 250}
    response, peak = _post_measured(analyst, data)
    assert response.status_code == 422
    assert "(upload): передано файлов: 250; за один раз можно развернуть не больше 20" in response.get_data(as_text=True)
    assert inflations == []
    assert peak < 20 * MiB, peak  # the form itself, not 250 MiB of inflated files


def test_carried_files_share_one_budget(analyst, inflations) -> None:  # type: ignore[no-untyped-def]
    payload = _payload(MiB + MiB // 2)  # 1.5 MiB each: under the per-file limit, 30 MiB for twenty
    data = {"csrf_token": csrf_token(analyst, "/deploy"), "carried_name": [f"f{n}.bpmn" for n in range(20)],
            "carried_data": [payload] * 20}
    response, peak = _post_measured(analyst, data)
    assert response.status_code == 422
    assert "файлы вместе слишком велики; за один раз можно развернуть не больше 16 МиБ" in response.get_data(as_text=True)
    assert len(inflations) <= browserdeploy.MAX_TOTAL_BYTES // (MiB + MiB // 2) + 1
    assert peak < browserdeploy.MAX_TOTAL_BYTES + 8 * MiB, peak


def test_uploads_are_counted_before_they_are_read(analyst) -> None:  # type: ignore[no-untyped-def]
    import io
    data = {"csrf_token": csrf_token(analyst, "/deploy"),
            "files": [(io.BytesIO(b"{}"), f"f{n}.form") for n in range(25)]}
    response = analyst.post("/deploy/check", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "(upload): передано файлов: 25; за один раз можно развернуть не больше 20" in response.get_data(as_text=True)


def test_a_payload_longer_than_any_check_page_writes_is_not_decoded(monkeypatch) -> None:
    decoded = []
    monkeypatch.setattr(browserdeploy.base64, "urlsafe_b64decode", lambda *a: decoded.append(1) or b"")
    with pytest.raises(ValueError):
        browserdeploy.unpack_all([("a.bpmn", "A" * (browserdeploy.MAX_CARRIED_CHARS + 1))])
    with pytest.raises(DeploymentError):
        browserdeploy.unpack_all([("a.bpmn", "A")] * (browserdeploy.MAX_FILES + 1))
    assert decoded == []


def test_what_a_check_page_carries_still_deploys(analyst) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path
    source = Path(__file__).resolve().parents[2] / "bpmn" / "orenburg.bpmn"
    changed = source.read_bytes().replace(b"working_minutes(30, since=detected_at)", b"working_minutes(45, since=detected_at)")
    payload = browserdeploy.pack(browserdeploy.Source("orenburg.bpmn", changed))
    assert len(payload) <= browserdeploy.MAX_CARRIED_CHARS
    response = analyst.post("/deploy", data={"csrf_token": csrf_token(analyst, "/deploy"), "carried_name": "orenburg.bpmn",
                                             "carried_data": payload}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/procedures/orenburg/2")
