"""``/engine-rest``: the subset of Camunda 7's REST API that Camunda Modeler's deploy button and
"start instance" use (issue 17). Each view reads the request, calls one engine function
(engine.deployment.camunda_rest, engine.deployment.camunda_start) and answers JSON; every refusal
is Camunda-style JSON (``{"type": …, "message": …}``) in the request's Accept-Language, never
an HTML page. Authenticated by Basic or Bearer (web.api_auth), never by the session cookie, so
the blueprint is exempt from CSRF.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from engine.deployment import camunda_rest, camunda_start
from engine.deployment.browser import upload_name
from engine.deployment.deployer import Source
from engine.errors import DeploymentError, Forbidden, InvalidSubmission, NotFound
from engine.texts import t

from .api_auth import api_error, api_language, api_login_required, current_api_login
from .database import unit_of_work
from .extensions import csrf

bp = Blueprint("engine_rest", __name__, url_prefix="/engine-rest")
csrf.exempt(bp)
ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]


def _answer(refusal: camunda_rest.Refusal) -> ResponseReturnValue:
    return jsonify(refusal.as_json(api_language())), refusal.status


def _refusal(error: Exception) -> ResponseReturnValue:
    """An engine refusal in Camunda's shape."""
    if isinstance(error, DeploymentError):
        return _answer(camunda_rest.refused(error.problems))
    if isinstance(error, Forbidden):
        return api_error(403, "AuthorizationException", error.args[0] if error.args else "")
    if isinstance(error, NotFound):
        return api_error(404, "InvalidRequestException", error.args[0] if error.args else "")
    if isinstance(error, InvalidSubmission):
        return api_error(400, "InvalidRequestException", camunda_start.invalid_message(error))
    return api_error(400, "InvalidRequestException", t("engine_rest.bad_body"))


@bp.route("/version")
@api_login_required
def version() -> ResponseReturnValue:
    return jsonify(camunda_rest.version())


@bp.route("/deployment")
@api_login_required
def deployments() -> ResponseReturnValue:
    raw = request.args.get("maxResults", "")
    limit = int(raw) if raw.isdigit() and len(raw) < 10 else None
    with unit_of_work(readonly=True) as session:
        return jsonify(camunda_rest.deployments(session, current_api_login(), limit))


@bp.route("/deployment/create", methods=["POST"])
@api_login_required
def create() -> ResponseReturnValue:
    """The Modeler's multipart: the fields ``deployment-name``, ``deployment-source``,
    ``enable-duplicate-filtering``, ``tenant-id`` and one part per file, named by the file.
    (Duplicate filtering is always on and the territory is the diagram's: docs/integration.md.)"""
    if request.mimetype != "multipart/form-data":
        return api_error(400, "InvalidRequestException", t("engine_rest.bad_request"))
    sources = [Source(upload_name(part.filename or name), part.read())
               for name, part in request.files.items(multi=True)]
    try:
        with unit_of_work() as session:
            answer = camunda_rest.create(session, current_api_login(), sources,
                                         request.form.get("deployment-name"), request.form.get("deployment-source"))
    except (DeploymentError, Forbidden) as error:
        return _refusal(error)
    return jsonify(answer)


def _start(definition: str, by_key: bool) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    try:
        with unit_of_work() as session:
            answer = camunda_start.start_test_message(session, current_api_login(), definition, by_key, body)
    except (Forbidden, NotFound, InvalidSubmission, camunda_start.BadBody) as error:
        return _refusal(error)
    return jsonify(answer)


@bp.route("/process-definition/<definition>/start", methods=["POST"])
@api_login_required
def start(definition: str) -> ResponseReturnValue:
    return _start(definition, by_key=False)


@bp.route("/process-definition/key/<key>/start", methods=["POST"])
@api_login_required
def start_by_key(key: str) -> ResponseReturnValue:
    return _start(key, by_key=True)


@bp.route("/<path:rest>", methods=ALL_METHODS)
def unsupported(rest: str) -> ResponseReturnValue:
    """Everything else Camunda 7 answers and Otklik does not: say so, naming what is supported.
    No sign-in needed: it tells nothing but the list of supported calls."""
    return _answer(camunda_rest.unsupported(request.method, "/" + rest))


@bp.route("/", methods=ALL_METHODS, strict_slashes=False)
def unsupported_root() -> ResponseReturnValue:
    return _answer(camunda_rest.unsupported(request.method, ""))


@bp.errorhandler(400)
def bad_request(error: Any) -> ResponseReturnValue:
    return api_error(400, "InvalidRequestException", t("engine_rest.bad_request"))


@bp.errorhandler(413)
def too_large(error: Any) -> ResponseReturnValue:
    limit = (request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024
    return api_error(413, "InvalidRequestException", t("engine_rest.too_large", limit=limit))


@bp.errorhandler(500)
def server_error(error: Any) -> ResponseReturnValue:
    return api_error(500, "ProcessEngineException", t("engine_rest.server_error"))
