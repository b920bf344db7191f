"""``/engine-rest/task``: Camunda 7's task REST for other front ends (a mobile app, a bot; issue 17).
Each view reads the request, calls one engine function (engine.views.task_rest,
engine.views.task_rest_actions — which call the task pages' own claim, release and completion)
and answers JSON; every refusal is Camunda-style JSON in the request's Accept-Language.
Authenticated by Basic or Bearer (web.api_auth), never by the session cookie: exempt from CSRF.
Requests count per official against API_RATE_LIMIT, as the intake API's do.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from limits import parse

from engine.errors import Conflict, Forbidden, InvalidSubmission, NotFound
from engine.runtime.claims import ClaimedByOther
from engine.texts import Text, render, t
from engine.views import task_rest, task_rest_actions

from . import engine_rest
from .api_auth import api_error, api_language, api_login_required, current_api_login
from .database import unit_of_work
from .extensions import csrf, limiter

bp = Blueprint("engine_rest_tasks", __name__, url_prefix="/engine-rest")
csrf.exempt(bp)
DEFAULT_RATE = "120 per minute"


def _rate_limited() -> ResponseReturnValue | None:
    """429 once the caller made more requests than API_RATE_LIMIT in its window."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    rate = current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE)
    item, key = parse(rate), ("engine-rest-task", current_api_login().casefold())
    if limiter.limiter.hit(item, *key):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
    seconds = max(1, int(reset_at - time.time()))
    return api_error(429, "RateLimitException", t("task_rest.rate_limited", limit=rate, seconds=seconds),
                     **{"Retry-After": str(seconds)})


def task_api(view: Callable[..., ResponseReturnValue]) -> Callable[..., Any]:
    """Signed in by Basic or Bearer, within the rate, every engine refusal answered in Camunda's shape."""

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        refused = _rate_limited()
        if refused is not None:
            return refused
        try:
            return view(*args, **kwargs)
        except task_rest.BadQuery as error:
            return api_error(400, "InvalidRequestException", next(iter(error.errors.values())))
        except task_rest_actions.BadBody as error:
            return api_error(400, "InvalidRequestException", error.text)
        except InvalidSubmission as error:
            return _form_refused(error)
        except NotFound as error:
            return api_error(404, "InvalidRequestException", _text(error))
        except Forbidden as error:
            return api_error(403, "AuthorizationException", _text(error))
        except ClaimedByOther as error:
            return api_error(409, "TaskAlreadyClaimedException", _text(error))
        except Conflict as error:
            return api_error(409, "InvalidRequestException", _text(error))

    return api_login_required(limited)


def _text(error: Exception) -> Text | str:
    return error.args[0] if error.args and isinstance(error.args[0], (Text, str)) else ""


def _form_refused(error: InvalidSubmission) -> ResponseReturnValue:
    """400 listing every field's problem: in the message (one line each) and by field."""
    lang = api_language()
    problems = {key: render(message, lang) for key, message in sorted(error.errors.items())}
    lines = "\n".join(f"* {key}: {message}" for key, message in problems.items())
    body = {"type": "InvalidRequestException",
            "message": f"{render(t('task_rest.refused', count=len(problems)), lang)}\n{lines}",
            "problems": problems}
    return current_app.response_class(json.dumps(body, ensure_ascii=False), status=400, mimetype="application/json")


def _done() -> ResponseReturnValue:
    """204, as Camunda answers claim, unclaim and complete: no body, so no content type."""
    response = current_app.response_class(status=204)
    del response.headers["Content-Type"]
    return response


def _body(example: str) -> Any:
    """The JSON body (None when there is none), bounded by MAX_CONTENT_LENGTH; a body that is not
    JSON is refused, never read as "no variables"."""
    data = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 (engine_rest.too_large)
    if not data.strip():
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise task_rest_actions.BadBody(example) from None


def _query() -> task_rest.TaskQuery:
    return task_rest.parse_query(request.args.to_dict(flat=False))


@bp.route("/task")
@task_api
def tasks() -> ResponseReturnValue:
    query = _query()
    with unit_of_work(readonly=True) as session:
        return jsonify(task_rest.list_tasks(session, current_api_login(), query))


@bp.route("/task/count")
@task_api
def count() -> ResponseReturnValue:
    query = _query()
    with unit_of_work(readonly=True) as session:
        return jsonify({"count": task_rest.count_tasks(session, current_api_login(), query)})


@bp.route("/task/<task_id>")
@task_api
def task(task_id: str) -> ResponseReturnValue:
    try:
        with unit_of_work(readonly=True) as session:
            return jsonify(task_rest.one_task(session, task_id, current_api_login()))
    except Conflict as done:  # Camunda: a completed task is no longer a task
        return api_error(404, "InvalidRequestException", _text(done))


@bp.route("/task/<task_id>/form-variables")
@task_api
def form_variables(task_id: str) -> ResponseReturnValue:
    names = task_rest.form_variable_names(request.args.to_dict(flat=False))
    with unit_of_work(readonly=True) as session:
        return jsonify(task_rest.form_variables(session, task_id, current_api_login(), names))


@bp.route("/task/<task_id>/claim", methods=["POST"])
@task_api
def claim(task_id: str) -> ResponseReturnValue:
    body = _body(task_rest_actions.CLAIM_EXAMPLE)
    with unit_of_work() as session:
        task_rest_actions.claim_task(session, task_id, current_api_login(), body)
    return _done()


@bp.route("/task/<task_id>/unclaim", methods=["POST"])
@task_api
def unclaim(task_id: str) -> ResponseReturnValue:
    with unit_of_work() as session:
        task_rest_actions.unclaim_task(session, task_id, current_api_login())
    return _done()


@bp.route("/task/<task_id>/complete", methods=["POST"])
@task_api
def complete(task_id: str) -> ResponseReturnValue:
    body = _body(task_rest_actions.COMPLETE_EXAMPLE)
    with unit_of_work() as session:
        task_rest_actions.complete_task(session, task_id, current_api_login(), body,
                                        upload_dir=current_app.config["UPLOAD_DIR"],
                                        max_bytes=current_app.config["MAX_UPLOAD_BYTES"])
    return _done()


bp.register_error_handler(400, engine_rest.bad_request)
bp.register_error_handler(413, engine_rest.too_large)
bp.register_error_handler(500, engine_rest.server_error)
