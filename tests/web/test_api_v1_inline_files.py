"""Files sent inline with a message through the intake API (issue 17 §2): checked and stored as
an official's uploads are, bounded per file, per message and per request; links stay links."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engine.models import Attachment, MessageLink
from engine.runtime import intake_files
from tests.web.test_api_v1 import auth, item, messages

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def inline(data: bytes = PNG, name: str = "яма.png", content_type: str = "image/png") -> dict[str, Any]:
    return {"name": name, "content_type": content_type, "data_base64": base64.b64encode(data).decode()}


def attachments(app) -> list[Attachment]:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        rows = list(session.scalars(select(Attachment).order_by(Attachment.id)))
        session.expunge_all()
        return rows


def test_an_inline_file_is_stored_as_an_upload_and_a_link_stays_a_link(app) -> None:  # type: ignore[no-untyped-def]
    body = item(attachments=[inline(), {"url": "https://vk.com/photo-1_5"}, "https://vk.com/photo-1_6"])
    response = app.test_client().post("/api/v1/messages", json=body, headers=auth())
    assert response.status_code == 201, response.get_data(as_text=True)
    [row] = attachments(app)
    assert (row.message_id, row.filename, row.content_type, row.size, row.uploaded_by) == (
        response.get_json()["id"], "яма.png", "image/png", len(PNG), "curator")
    assert row.organisation_key == "orb_minpolicy"
    assert (Path(app.config["UPLOAD_DIR"]) / row.stored_name).read_bytes() == PNG
    with app.extensions["otklik_db"].session() as session:
        assert list(session.scalars(select(MessageLink.url).order_by(MessageLink.id))) == [
            "https://vk.com/photo-1_5", "https://vk.com/photo-1_6"]
    again = app.test_client().post("/api/v1/messages", json=body, headers=auth())
    assert again.status_code == 200 and len(attachments(app)) == 1  # the retry stores nothing twice


@pytest.mark.parametrize(("sent", "code"), [
    ({"name": "x.png", "content_type": "image/png", "data_base64": "не base64!"}, "bad_base64"),
    (inline(b"MZ\x90\0 an executable", name="x.exe", content_type="application/octet-stream"), "not_media"),
    (inline(content_type="text/html"), "file_declared"),
    (inline(b""), "file_empty"),
    ({"name": "x.png", "content_type": "image/png"}, "bad_type"),
])
def test_a_refused_file_refuses_its_message_with_a_field_code(app, sent, code) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().post("/api/v1/messages", json=item(attachments=[sent]), headers=auth())
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["fields"]["attachments"]["code"] == code
    assert error["fields"]["attachments"]["message"]
    assert messages(app) == 0 and attachments(app) == []


def test_a_file_over_the_upload_limit_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    app.config["MAX_UPLOAD_BYTES"] = 100
    response = app.test_client().post("/api/v1/messages", json=item(attachments=[inline(PNG + b"\0" * 100)]),
                                      headers={**auth(), "Accept-Language": "en"})
    assert response.get_json()["error"]["fields"]["attachments"] == {
        "code": "file_too_large", "message": "the file is larger than allowed"}


def test_files_per_message_and_per_request_are_bounded(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    many = client.post("/api/v1/messages", json=item(attachments=[inline()] * (intake_files.MAX_FILES_PER_MESSAGE + 1)),
                       headers=auth())
    assert many.get_json()["error"]["fields"]["attachments"]["code"] == "too_many"
    monkeypatch.setattr(intake_files, "MAX_REQUEST_BYTES", len(PNG) * 3)
    batch = client.post("/api/v1/messages", headers=auth(), json=[
        item(source_id="a", attachments=[inline(), inline()]), item(source_id="b", attachments=[inline(), inline()]),
        item(source_id="c")])
    results = batch.get_json()["results"]
    assert [r["status"] for r in results] == [201, 422, 201]  # the good ones still taken
    assert results[1]["error"]["fields"]["attachments"]["code"] == "files_total"
    assert len(attachments(app)) == 2


def test_the_openapi_document_shows_both_kinds_of_attachment(app) -> None:  # type: ignore[no-untyped-def]
    schemas = app.test_client().get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(schemas["FileIn"]["required"]) == {"name", "content_type", "data_base64"}
    assert schemas["LinkIn"]["required"] == ["url"]
    kinds = schemas["MessageIn"]["properties"]["attachments"]["items"]["anyOf"]
    assert {"type": "string"} in kinds and {"$ref": "#/components/schemas/FileIn"} in kinds
