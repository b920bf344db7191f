"""The intake API for monitoring systems (``/api/v1``, issue 17 §2): messages pushed one at a time
or in batches, their state read back, the OpenAPI document and its page.

Callers authenticate as an official (web.api_auth: Basic or a personal token, never the session
cookie) and act with that official's rights: registering is a curator's, in the territories
engine.directory.policy.registration_regions gives. What a message may be and the idempotency
are engine.runtime.intake's; this module reads JSON, validates its shape with the models
(web.api_v1_models), calls the engine and answers JSON — every refusal too, with a code and a
message from the engine's texts in the request's language (never HTML, never a stack trace).
"""
from __future__ import annotations

import json
import time
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request, url_for
from limits import parse
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from engine import texts
from engine.errors import Forbidden, InvalidSubmission, NotFound, OtklikError, OutOfScope
from engine.runtime import intake, intake_files
from engine.runtime.cases import MessageInput
from engine.texts import Text, t
from engine.views.message_status import message_status

from . import api_v1_models as models
from . import api_v1_words as words
from .api_auth import api_language, api_login_required, current_api_login
from .converters import MAX_ID
from .database import unit_of_work
from .extensions import csrf, limiter
from .limits import API_MAX_BODY_BYTES

bp = Blueprint("api_v1", __name__, url_prefix=models.PREFIX)
csrf.exempt(bp)  # no cookie authenticates this API (web.api_auth), so a cross-site request borrows nothing

DEFAULT_MAX_BODY = API_MAX_BODY_BYTES  # bytes: a full batch of 500 long posts; config API_MAX_BODY_BYTES
DEFAULT_RATE = "120 per minute"  # requests per login (a batch is one); config API_RATE_LIMIT


# --------------------------------------------------------------------------- answers

def _json(body: Any, status: int, **headers: str) -> Response:
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype="application/json")
    response.headers.update(headers)
    return response


def _error(code: str, message: Text | str, fields: dict[str, str | Text] | None = None) -> dict[str, Any]:
    language = api_language()
    error: dict[str, Any] = {"code": code, "message": texts.render(message, language)}
    if fields:
        error["fields"] = {name: {"code": problem,
                                  "message": texts.render(t(f"intake.field.{problem}"), language)}
                           for name, problem in ((n, str(p)) for n, p in fields.items())}
    return error


def _refusal(status: int, code: str, message: Text, **headers: str) -> Response:
    return _json({"error": _error(code, message)}, status, **headers)


def _refused_item(refused: OtklikError) -> tuple[int, dict[str, Any]]:
    """A refusal of one message → (the status a single POST answers, its error)."""
    if isinstance(refused, InvalidSubmission):
        fields = {name: str(problem) for name, problem in refused.errors.items()}
        return 422, _error("invalid", t("intake.invalid", fields=", ".join(fields)), dict(fields))
    # Forbidden and NotFound carry their Text (engine.runtime.intake, start_procedure).
    message = refused.args[0] if refused.args and isinstance(refused.args[0], Text) else str(refused)
    if isinstance(refused, OutOfScope):
        return 403, _error("out_of_scope", message)
    if isinstance(refused, Forbidden):
        return 403, _error("forbidden", message)
    return 422, _error("no_procedure", message)


def _zoned(value: Any, zone: str) -> str:
    return str(value.astimezone(ZoneInfo(zone)).isoformat())


def _message_out(taken: intake.Taken) -> dict[str, Any]:
    out = models.MessageOut(
        id=taken.message_id, created=taken.created, region=taken.region,
        procedure=models.Procedure(name=taken.procedure_name, process_id=taken.process_id, version=taken.version),
        deadlines=[models.DeadlineOut(name=d.name, due_at=d.due_at.astimezone(ZoneInfo(taken.timezone)))
                   for d in taken.deadlines],
        href=url_for("api_v1.message", message_id=taken.message_id))
    return out.model_dump(mode="json", exclude_none=True)


# --------------------------------------------------------------------------- limits

def _rate_limited() -> Response | None:
    """429 once the caller's login made more requests than API_RATE_LIMIT in its window."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    rate = current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE)
    item, key = parse(rate), ("api-v1", current_api_login().casefold())
    if limiter.limiter.hit(item, *key):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
    seconds = max(1, int(reset_at - time.time()))
    return _refusal(429, "rate_limited", t("intake.rate_limited", limit=rate), **{"Retry-After": str(seconds)})


def _body() -> Any:
    """The parsed JSON body (bounded: API_MAX_BODY_BYTES), or raise a refusal."""
    limit = current_app.config.get("API_MAX_BODY_BYTES", DEFAULT_MAX_BODY)
    if request.mimetype != "application/json":
        raise _Refusal(400, "not_json", t("intake.not_json"))
    if (request.content_length or 0) > limit:  # web.limits set the stream's limit too (a body without a length)
        raise _Refusal(413, "body_too_large", t("intake.body_too_large", limit=limit))
    try:
        data = request.get_data(cache=False)
    except RequestEntityTooLarge:
        raise _Refusal(413, "body_too_large", t("intake.body_too_large", limit=limit)) from None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise _Refusal(400, "not_json", t("intake.not_json")) from None


class _Refusal(Exception):
    def __init__(self, status: int, code: str, message: Text) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


# --------------------------------------------------------------------------- reading messages

_PYDANTIC_CODES = {"missing": "required", "string_too_long": "too_long", "too_long": "too_many",
                   "timezone_aware": "needs_offset", "extra_forbidden": "extra"}


def _incoming(item: Any) -> intake_files.WithFiles | InvalidSubmission:
    """One array item → the engine's input, or its shape's problems (field → code)."""
    try:
        parsed = models.BATCH.validate_python(item)
    except ValidationError as invalid:
        problems: dict[str, str | Text] = {}
        for error in invalid.errors():
            name = str(error["loc"][0]) if error["loc"] else "message"
            code = _PYDANTIC_CODES.get(error["type"])
            if code is None:
                code = "needs_offset" if name in ("posted_at", "detected_at") else "bad_type"
            problems.setdefault(name, code)
        return InvalidSubmission(problems)
    links = tuple(a if isinstance(a, str) else a.url for a in parsed.attachments if not isinstance(a, models.FileIn))
    files = tuple(intake_files.InlineFile(a.name, a.content_type, a.data_base64)
                  for a in parsed.attachments if isinstance(a, models.FileIn))
    return intake_files.WithFiles(intake.Incoming(MessageInput(
        region=parsed.region, network=parsed.network, url=parsed.url, author=parsed.author, text=parsed.text,
        posted_at=parsed.posted_at, detected_at=parsed.detected_at, source=parsed.source or None,
        source_id=parsed.source_id or None), links=links), files)


# --------------------------------------------------------------------------- routes

@bp.post("/messages")
@api_login_required
def messages() -> Response:
    limited = _rate_limited()
    if limited is not None:
        return limited
    try:
        body = _body()
        if isinstance(body, list) and not body:
            raise _Refusal(400, "batch_empty", t("intake.batch_empty"))
        if isinstance(body, list) and len(body) > intake.MAX_BATCH:
            raise _Refusal(413, "batch_too_large", t("intake.batch_too_large", limit=intake.MAX_BATCH))
    except _Refusal as refused:
        return _refusal(refused.status, refused.code, refused.message)
    items = body if isinstance(body, list) else [body]
    with unit_of_work() as session:
        store = intake_files.FileStore(current_app.config["UPLOAD_DIR"], current_app.config["MAX_UPLOAD_BYTES"])
        results = intake_files.take_batch(session, [_incoming(item) for item in items], current_api_login(), store)
        answers = [_answer(index, result) for index, result in enumerate(results)]
    if not isinstance(body, list):
        status, answer = answers[0]
        return _json(answer.get("message") or {"error": answer["error"]}, status)
    rows = [answer for _status, answer in answers]
    return _json({"created": sum(1 for r in rows if r["status"] == 201), "found": sum(1 for r in rows if r["status"] == 200),
                  "refused": sum(1 for r in rows if r["status"] >= 400), "results": rows}, 207)


def _answer(index: int, result: intake.Taken | OtklikError) -> tuple[int, dict[str, Any]]:
    if isinstance(result, intake.Taken):
        status = 201 if result.created else 200
        return status, {"index": index, "status": status, "message": _message_out(result)}
    status, error = _refused_item(result)
    return status, {"index": index, "status": status, "error": error}


# A string, read here: the app's int converter refuses an id past a database integer during routing,
# before this blueprint's JSON answers apply (it would be the officials' HTML 404).
@bp.get("/messages/<message_id>")
@api_login_required
def message(message_id: str) -> Response:
    limited = _rate_limited()
    if limited is not None:
        return limited
    if not (message_id.isascii() and message_id.isdigit() and len(message_id) <= 19 and int(message_id) <= MAX_ID):
        return _refusal(404, "not_found", t("intake.not_found", id=message_id[:40]))
    return _state(int(message_id))


def _state(message_id: int) -> Response:
    try:
        with unit_of_work(readonly=True) as session:
            state = message_status(session, message_id, current_api_login())
    except NotFound:
        return _refusal(404, "not_found", t("intake.not_found", id=message_id))
    procedure = models.Procedure(name=state.procedure_name, process_id=state.process_id, version=state.version) \
        if state.procedure_name is not None and state.process_id is not None and state.version is not None else None
    out = models.StatusOut(
        id=state.message_id, status=state.status, case_status=state.case_status, region=state.region,
        source=state.source, source_id=state.source_id, procedure=procedure,
        deadlines=[models.DeadlineOut(name=d.name, due_at=d.due_at.astimezone(ZoneInfo(state.timezone)),
                                      overdue=d.overdue) for d in state.deadlines],
        answer_is_public=state.answer_is_public, public_answer_url=state.public_answer_url, attachments=list(state.attachments),
        repeat_of=state.repeat_of)
    return _json(out.model_dump(mode="json"), 200)


@bp.get("/openapi.json")
def openapi() -> Response:
    return _json(models.openapi_document(), 200)


@bp.get("/docs")
def docs() -> Any:
    return render_template("api/docs.html", operations=models.OPERATIONS, message_fields=models.model_fields(models.MessageIn),
                           batch_limit=intake.MAX_BATCH, words=words)


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def no_route(rest: str) -> Response:
    """Any other address under /api/v1: a JSON 404, not the officials' HTML page."""
    with texts.language(api_language()):
        return _refusal(404, "no_route", t("intake.no_route"))


# By code as well as by class: Flask prefers the app's handler for a code (its HTML pages, web.errors)
# to a blueprint's for the class.
@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(405)
@bp.errorhandler(413)
@bp.errorhandler(429)
@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    # Raised before a view answers (a method the route lacks, a body over the limit): JSON too.
    status = error.code or 500
    code = {400: "not_json", 405: "method", 413: "body_too_large", 429: "rate_limited"}.get(status, "no_route")
    message = {400: t("intake.not_json"), 405: t("intake.method"), 413: t("intake.body_too_large",
                                                  limit=current_app.config.get("API_MAX_BODY_BYTES", DEFAULT_MAX_BODY)),
               429: t("intake.rate_limited", limit=current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE))}.get(
        status, t("intake.no_route"))
    return _refusal(status, code, message)


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    current_app.logger.exception("intake API: unhandled error")
    return _refusal(500, "internal", t("intake.internal"))
