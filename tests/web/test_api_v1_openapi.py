"""The intake API's OpenAPI document: generated from the models, valid OpenAPI 3.1
(openapi-spec-validator), listing exactly the routes the blueprint serves; and its docs page."""
from __future__ import annotations

import re

from openapi_spec_validator import validate


def _served(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api_v1.no_route":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", "{id}", rule.rule)
        routes |= {(method.lower(), path) for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    return routes


def test_the_document_validates_and_matches_the_routes(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    document = response.get_json()
    validate(document)  # raises on an invalid OpenAPI 3.1 document
    assert document["openapi"] == "3.1.0"
    documented = {(method, path) for path, operations in document["paths"].items() for method in operations}
    assert documented == _served(app)
    message = document["components"]["schemas"]["MessageIn"]
    assert set(message["required"]) == {"region", "network", "url", "author", "text", "posted_at", "detected_at"}
    assert message["properties"]["text"]["maxLength"] == 20_000
    batch = document["paths"]["/api/v1/messages"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert batch["oneOf"][1]["maxItems"] == 500


def test_a_document_missing_a_route_would_fail(app) -> None:  # type: ignore[no-untyped-def]
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    del document["paths"]["/api/v1/messages/{id}"]
    documented = {(method, path) for path, operations in document["paths"].items() for method in operations}
    assert documented != _served(app)


def test_the_docs_page_lists_the_operations_and_fields_without_a_cdn(app) -> None:  # type: ignore[no-untyped-def]
    page = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert "<h1>API приёма сообщений</h1>" in page
    assert "<code>/api/v1/messages/{id}</code>" in page and "<code>source_id</code>" in page
    assert "Массив — не больше 500 сообщений" in page
    assert "Принять одно сообщение (объект) или пакет (массив до 500 объектов)" in page
    assert "Когда размещено: ISO 8601 со смещением; время без смещения не принимается." in page
    assert "Take in one message" not in page  # the document's English is for machines, not this page
    assert "<script" not in page and 'href="https://' not in page  # nothing from a CDN


def test_every_operation_answer_and_field_has_words_for_people() -> None:
    from web import api_v1_models as models
    from web import api_v1_words as words

    assert set(words.SUMMARIES) == {(op.method, op.path) for op in models.OPERATIONS}
    assert set(words.ANSWERS) == {description for op in models.OPERATIONS for description, _ in op.responses.values()}
    assert set(words.FIELDS) == set(models.MessageIn.model_fields)


def test_the_docs_page_in_english(app) -> None:  # type: ignore[no-untyped-def]
    from flask_babel import force_locale

    from web import api_v1_words as words

    with app.test_request_context(), force_locale("en"):
        assert str(words.FIELDS["posted_at"]) == "When it was posted: ISO 8601 with an offset; a time without one is refused."
        assert str(words.ANSWERS["Too many requests for this login"]) == "Too many requests for this login"
