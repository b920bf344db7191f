"""``/engine-rest/external-task``: Camunda 7's external-task calls, for real Camunda workers (issue 17 §1).

Each view reads the JSON body, calls one engine function (engine.runtime.external_fetch,
engine.runtime.external_tasks) and answers as Camunda does: the locked tasks' list, or 204 No
Content; a refusal is Camunda-style JSON (``{"type", "message"}``) in the caller's
Accept-Language. Authenticated like the rest of /engine-rest (web.api_auth: Basic or Bearer, never
the session cookie, so exempt from CSRF); calls per login are rate-limited
(``EXTERNAL_TASK_RATE_LIMIT``). A long poll sleeps between its attempts holding no database
connection (engine.runtime.external_fetch).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from limits import parse

from engine.runtime import external_fetch, external_tasks
from engine.runtime.external_access import Refused
from engine.texts import t

from .api_auth import api_error, api_login_required, current_api_login
from .database import unit_of_work
from .extensions import csrf, limiter

bp = Blueprint("engine_rest_external", __name__, url_prefix="/engine-rest/external-task")
csrf.exempt(bp)
DEFAULT_RATE = "600 per minute"  # calls per login; a worker polling every 0.1 s stays under it


def _limited() -> ResponseReturnValue | None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    rate = current_app.config.get("EXTERNAL_TASK_RATE_LIMIT", DEFAULT_RATE)
    item, key = parse(rate), ("external-task", current_api_login().casefold())
    if limiter.limiter.hit(item, *key):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
    seconds = max(1, int(reset_at - time.time()))
    return api_error(429, "RateLimitException", t("external.rate_limited", limit=rate), **{"Retry-After": str(seconds)})


def _body() -> Any:
    """The JSON body, or None when there is none (the engine then says what is missing)."""
    return request.get_json(silent=True) if request.content_length else None


def _call(action: Callable[[], Any]) -> ResponseReturnValue:
    limited = _limited()
    if limited is not None:
        return limited
    try:
        answer = action()
    except Refused as refused:
        return api_error(refused.status, refused.kind, refused.text)
    if answer is None:
        return "", 204
    return jsonify(answer)


@bp.route("/fetchAndLock", methods=["POST"])
@api_login_required
def fetch_and_lock() -> ResponseReturnValue:
    login, body = current_api_login(), _body()
    # A long poll waits only in a threaded server (gunicorn --threads, the development server): in a
    # sync worker it would hold the process's one request thread, so it is answered at once.
    threaded = bool(request.environ.get("wsgi.multithread"))
    return _call(lambda: external_fetch.fetch_and_lock_waiting(unit_of_work, login, body, may_wait=threaded))


def _in_unit(function: Callable[..., None], task_id: str, *args: Any) -> Callable[[], None]:
    def run() -> None:
        with unit_of_work() as session:
            function(session, current_api_login(), task_id, *args)
    return run


@bp.route("/<task_id>/complete", methods=["POST"])
@api_login_required
def complete(task_id: str) -> ResponseReturnValue:
    return _call(_in_unit(external_tasks.complete, task_id, _body() or {}))


@bp.route("/<task_id>/failure", methods=["POST"])
@api_login_required
def failure(task_id: str) -> ResponseReturnValue:
    return _call(_in_unit(external_tasks.failure, task_id, _body() or {}))


@bp.route("/<task_id>/bpmnError", methods=["POST"])
@api_login_required
def bpmn_error(task_id: str) -> ResponseReturnValue:
    return _call(_in_unit(external_tasks.bpmn_error, task_id, _body() or {}))


@bp.route("/<task_id>/extendLock", methods=["POST"])
@api_login_required
def extend_lock(task_id: str) -> ResponseReturnValue:
    return _call(_in_unit(external_tasks.extend_lock, task_id, _body() or {}))


@bp.route("/<task_id>/unlock", methods=["POST"])
@api_login_required
def unlock(task_id: str) -> ResponseReturnValue:
    return _call(_in_unit(external_tasks.unlock, task_id))
