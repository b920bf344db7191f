"""The intake API's request and response models (pydantic) and the OpenAPI 3.1 document built
from them: the models are the one description of the API — the views validate with them, the
document and the docs page are generated from them, and a test checks that the document lists
exactly the routes the blueprint serves (tests/web/test_api_v1_openapi.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter
from pydantic.json_schema import models_json_schema

from engine.runtime.cases import NETWORKS
from engine.runtime.intake import MAX_BATCH, MAX_LINKS, MAX_SOURCE, MAX_SOURCE_ID
from engine.runtime.intake_files import MAX_CONTENT_TYPE, MAX_FILES_PER_MESSAGE, MAX_REQUEST_BYTES
from engine.runtime.intake_files import MAX_NAME as MAX_FILE_NAME
from engine.runtime.message_limits import MAX_AUTHOR, MAX_TEXT, MAX_URL

PREFIX = "/api/v1"


def _text_only(value: Any) -> Any:
    # A number is not an instant here (pydantic would read 1733560000 as a Unix time): ISO text only.
    if not isinstance(value, str):
        raise ValueError("an ISO 8601 string is expected")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_text_only)]


class LinkIn(BaseModel):
    """A photo or video by its address: kept as a link, never fetched."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=MAX_URL, description="http:// or https://")


class FileIn(BaseModel):
    """A photo or video sent inline: checked and stored as an official's upload is (its bytes must be
    JPEG, PNG, GIF, WebP, MP4, WebM or MOV)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=MAX_FILE_NAME, description="The file's name, shown on the card.")
    content_type: str = Field(max_length=MAX_CONTENT_TYPE, description="As declared; the bytes decide.")
    data_base64: str = Field(description=f"The file's bytes in Base64 (RFC 4648). At most {MAX_FILES_PER_MESSAGE} "
                                         f"files per message, {MAX_REQUEST_BYTES // (1024 * 1024)} MiB decoded per "
                                         "request; one file at most the upload limit (MAX_UPLOAD_BYTES).")


class MessageIn(BaseModel):
    """One message a monitoring system found. Checked as a curator's registration is."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(max_length=32, description="The territory's key: a region or a municipality (e.g. orenburg).")
    network: str = Field(max_length=32, description="The network's key: " + ", ".join(NETWORKS) + ".")
    url: str = Field(max_length=MAX_URL, description="The post's address, http:// or https://.")
    author: str = Field(max_length=MAX_AUTHOR)
    text: str = Field(max_length=MAX_TEXT)
    posted_at: Instant = Field(description="ISO 8601 with an offset; a time without one is refused.")
    detected_at: Instant = Field(description="ISO 8601 with an offset, not before posted_at.")
    source: str | None = Field(default=None, max_length=MAX_SOURCE,
                               description="The sending system; with source_id, the message's identity.")
    source_id: str | None = Field(default=None, max_length=MAX_SOURCE_ID,
                                  description="The sending system's id for the message: a second sending "
                                              "with the same source and source_id finds the first (200).")
    attachments: list[str | LinkIn | FileIn] = Field(
        default_factory=list, max_length=MAX_LINKS,
        description="Photos or videos: by URL (a string or {url}), kept as links and never fetched; or inline "
                    "({name, content_type, data_base64}), stored as an official's upload.")


class FieldProblem(BaseModel):
    code: str = Field(description="required, too_long, unknown, not_listed, bad_url, future, too_old, "
                                  "before_posted, pair, bad_character, too_many, needs_offset, bad_type, extra")
    message: str


class Error(BaseModel):
    """A refusal: a code for machines, a message for people (Russian; English with Accept-Language: en)."""

    code: str = Field(description="invalid, forbidden, out_of_scope, no_procedure, not_found, not_json, batch_empty, "
                                  "batch_too_large, body_too_large, rate_limited, no_route, method")
    message: str
    fields: dict[str, FieldProblem] | None = None


class ErrorOut(BaseModel):
    error: Error


class Procedure(BaseModel):
    name: str
    process_id: str
    version: int


class DeadlineOut(BaseModel):
    name: str = Field(description="The deadline as the procedure's diagram names it.")
    due_at: datetime = Field(description="ISO 8601 with the territory's offset.")
    overdue: bool | None = None


class MessageOut(BaseModel):
    """A message taken in (201) or found by its source and source_id (200)."""

    id: int = Field(description="The message's number in Otklik.")
    created: bool = Field(description="false: the same source and source_id was taken before.")
    region: str
    procedure: Procedure
    deadlines: list[DeadlineOut]
    href: str = Field(description="Where its state is read: GET /api/v1/messages/{id}.")


class ItemResult(BaseModel):
    index: int = Field(description="The item's position in the array sent, from 0.")
    status: Literal[200, 201, 403, 422] = Field(description="What a single POST of it would have answered.")
    message: MessageOut | None = None
    error: Error | None = None


class BatchOut(BaseModel):
    """Always 207 for an array: one result per item, in order; the good items are taken even when
    others are refused."""

    created: int
    found: int
    refused: int
    results: list[ItemResult]


class StatusOut(BaseModel):
    id: int
    status: str = Field(description="The message's: in_progress or closed.")
    case_status: str | None = Field(description="The case's: running, completed or incident.")
    region: str
    source: str | None
    source_id: str | None
    procedure: Procedure | None
    deadlines: list[DeadlineOut]
    answer_is_public: bool
    public_answer_url: str | None = Field(description="The published answer's address; null until it is published.")
    attachments: list[str]
    repeat_of: int | None = Field(default=None, description=(
        "The earlier message this one repeats, as the territory's curator confirmed it (a repeat's answer "
        "reports the measures taken); null when it is not marked a repeat."))


BATCH = TypeAdapter(MessageIn)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI's form: /api/v1/messages/{id}
    summary: str
    request: str | None  # "message_or_batch" or None
    responses: dict[int, tuple[str, str | None]]  # status → (description, schema name)
    public: bool = False  # served without credentials


OPERATIONS = (
    Operation("post", f"{PREFIX}/messages",
              f"Take in one message (an object) or a batch (an array of at most {MAX_BATCH} objects)",
              "message_or_batch",
              {201: ("Taken: a new message and its case", "MessageOut"),
               200: ("The same source and source_id was taken before: that message", "MessageOut"),
               207: ("An array: one result per item", "BatchOut"),
               400: ("Not JSON, or an empty array", "ErrorOut"),
               401: ("No or wrong credentials", None),
               403: ("Not a curator of the message's territory, or the token is limited to another "
                     "(out_of_scope)", "ErrorOut"),
               413: ("Body or batch too large", "ErrorOut"),
               422: ("The message is refused: fields lists every problem", "ErrorOut"),
               429: ("Too many requests for this login", "ErrorOut")}),
    Operation("get", f"{PREFIX}/messages/{{id}}", "A message's status, deadlines and published answer", None,
              {200: ("The message as its card shows it", "StatusOut"),
               401: ("No or wrong credentials", None),
               404: ("No such message, or not visible to the caller", "ErrorOut")}),
    Operation("get", f"{PREFIX}/openapi.json", "This document", None, {200: ("OpenAPI 3.1", None)}, public=True),
    Operation("get", f"{PREFIX}/docs", "The API described for people", None, {200: ("HTML", None)}, public=True),
)

_MODELS = (MessageIn, MessageOut, BatchOut, ErrorOut, StatusOut)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the intake API, from the models (JSON Schema 2020-12 is 3.1's)."""
    _, top = models_json_schema([(model, "validation") for model in _MODELS],
                                ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        spec: dict[str, Any] = {"summary": operation.summary, "operationId": _operation_id(operation),
                                "responses": {str(status): _response(description, schema)
                                              for status, (description, schema) in operation.responses.items()}}
        if operation.public:
            spec["security"] = []
        if "{id}" in operation.path:
            spec["parameters"] = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
        if operation.request == "message_or_batch":
            spec["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"oneOf": [
                _ref("MessageIn"), {"type": "array", "items": _ref("MessageIn"), "minItems": 1, "maxItems": MAX_BATCH}]}}}}
        paths.setdefault(operation.path, {})[operation.method] = spec
    return {
        "openapi": "3.1.0",
        "info": {"title": "Otklik intake API", "version": "1",
                 "description": "Messages pushed by monitoring systems, registered as a curator registers them. "
                                "Idempotent by (source, source_id). Errors: JSON with a code and a message "
                                "(Russian; English with Accept-Language: en)."},
        "paths": paths,
        "components": {"schemas": top.get("$defs", {}),
                       "securitySchemes": {"basic": {"type": "http", "scheme": "basic"},
                                           "bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"basic": []}, {"bearer": []}],
    }


def _operation_id(operation: Operation) -> str:
    words = [part for part in operation.path.removeprefix(PREFIX).strip("/").replace(".", "_").split("/")
             if not part.startswith("{")]
    return operation.method + "_" + "_".join(words) + ("_one" if "{id}" in operation.path else "")


def _response(description: str, schema: str | None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = {"application/json": {"schema": _ref(schema)}}
    return response


def model_fields(model: type[BaseModel]) -> list[tuple[str, str, bool, str]]:
    """(name, type as JSON Schema says it, required, description) for the docs page."""
    schema = model.model_json_schema()
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema["properties"].items():
        kind = prop.get("type") or " | ".join(p.get("type", "?") for p in prop.get("anyOf", ())) or "object"
        if prop.get("format"):
            kind += f" ({prop['format']})"
        if prop.get("maxLength"):
            kind += f", ≤ {prop['maxLength']}"
        if prop.get("maxItems"):
            kind += f", ≤ {prop['maxItems']} items"
        rows.append((name, kind, name in required, prop.get("description", "")))
    return rows
