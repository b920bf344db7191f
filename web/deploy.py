"""Deploying procedures from the browser, and what changed between versions.

Check, then deploy — without keeping uploads on the server between the two: the check page
carries each checked file back in a hidden field (exact bytes, compressed; see
engine.deployment.browser.pack) and POST /deploy validates everything again. POST /deploy also
accepts the files themselves, so an analyst may deploy in one step. Who may deploy, the limits
and every check live in engine.deployment.browser; this module reads the request and draws.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine import templates as engine_templates
from engine.deployment import browser as browserdeploy
from engine.deployment.deployer import Source
from engine.errors import DeploymentError

from .auth import capability_required
from .database import unit_of_work
from .presentation import viewer_page

bp = Blueprint("deploy", __name__)

ELEMENT_TYPES = {
    "userTask": _l("задача"), "serviceTask": _l("служебная задача"), "task": _l("задача"),
    "startEvent": _l("начало"), "endEvent": _l("завершение"), "boundaryEvent": _l("срок или событие на задаче"),
    "intermediateCatchEvent": _l("промежуточное событие"), "intermediateThrowEvent": _l("промежуточное событие"),
    "exclusiveGateway": _l("развилка"), "parallelGateway": _l("параллельная развилка"),
    "inclusiveGateway": _l("развилка"), "eventBasedGateway": _l("развилка по событию"),
    "subProcess": _l("подпроцесс"), "sequenceFlow": _l("переход"), "lane": _l("дорожка (роль)"),
}
CHANGE_KINDS = {"added": _l("добавлен"), "removed": _l("удалён"), "changed": _l("изменён")}


def _labels() -> dict[str, Any]:
    return {"element_types": ELEMENT_TYPES, "change_kinds": CHANGE_KINDS, "procedure_url": procedure_url,
            "max_files": browserdeploy.MAX_FILES, "max_file_mib": browserdeploy.MAX_FILE_BYTES // (1024 * 1024)}


bp.context_processor(_labels)


def procedure_url(process_id: str, version: int) -> str:
    return url_for("procedures.version", process_id=process_id, version=version)


def _sources() -> list[Source]:
    """The uploaded files, or the files a check page carried; 400 when the request has neither
    or a carried file is damaged (only a hand-made request gets there). DeploymentError for too
    many files, or too much, before any of them is read or inflated."""
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    names, payloads = request.form.getlist("carried_name"), request.form.getlist("carried_data")
    if len(names) != len(payloads) or (uploads and names):
        abort(400)
    browserdeploy.check_count(len(uploads))
    # The request's size limit (web.limits) bounds the whole body, so reading each file whole is
    # bounded too; the per-file limits are checked by the engine and reported like the CLI does.
    sources = [Source(browserdeploy.upload_name(f.filename or ""), f.read()) for f in uploads]
    try:
        sources += browserdeploy.unpack_all(list(zip(names, payloads, strict=True)))
    except ValueError:
        abort(400)
    return sources


def _refused(error: DeploymentError) -> Any:
    """The check page for an upload refused as a whole (too many files): nothing was read."""
    result = browserdeploy.CheckResult(problems=list(error.problems))
    return viewer_page(render_template("deploy/check.html", result=result, carried=[], diagrams={}), 422)


def _no_files() -> Any:
    with unit_of_work() as session:
        regions = browserdeploy.deploy_regions(session, current_user.login)
    return render_template("deploy/index.html", regions=regions,
                           error=_("Выберите хотя бы один файл .bpmn (и при необходимости файлы .form).")), 400


def _check_page(result: browserdeploy.CheckResult, sources: list[Source]) -> Any:
    carried = [(s.name, browserdeploy.pack(s)) for s in sources] if result.deployable else []
    status = 422 if not result.clean else 403 if result.forbidden else 200
    return viewer_page(render_template("deploy/check.html", result=result, carried=carried,
                                       diagrams={d.filename: d for d in result.diagrams}), status)


@bp.route("/deploy")
@capability_required("may_deploy")
def index() -> Any:
    with unit_of_work(readonly=True) as session:
        regions = browserdeploy.deploy_regions(session, current_user.login)
    return render_template("deploy/index.html", regions=regions, error=None)


@bp.route("/deploy/check", methods=["POST"])
@capability_required("may_deploy")
def check() -> Any:
    try:
        sources = _sources()
    except DeploymentError as error:
        return _refused(error)
    if not sources:
        return _no_files()
    with unit_of_work() as session:
        result = browserdeploy.check_upload(session, current_user.login, sources)
    return _check_page(result, sources)


@bp.route("/deploy", methods=["POST"])
@capability_required("may_deploy")
def deploy() -> Any:
    try:
        sources = _sources()
    except DeploymentError as error:
        return _refused(error)
    if not sources:
        return _no_files()
    try:
        with unit_of_work() as session:
            deployed = browserdeploy.deploy_upload(session, current_user.login, sources)
    except DeploymentError:
        # Show the refusal exactly as the check does (problems, marked diagram); nothing stored.
        with unit_of_work() as session:
            result = browserdeploy.check_upload(session, current_user.login, sources)
        if result.clean:  # cannot normally happen: the same checks ran twice
            current_app.logger.warning("deployment refused but the check is clean")
            abort(422)
        return _check_page(result, sources)
    for item in deployed:
        for warning in item.warnings:  # a one-step deployment never showed the check page's warnings
            flash(_("Предупреждение: %(warning)s", warning=str(warning)), "info")
        if item.created:
            flash(_("Развёрнута версия %(version)d процедуры %(process)s", version=item.version,
                    process=item.process_id), "info")
        else:
            flash(_("Процедура %(process)s без изменений: остаётся версия %(version)d", version=item.version,
                    process=item.process_id), "info")
    # Several diagrams: every one is flashed; the page shown is the first one's version.
    first = deployed[0]
    return redirect(procedure_url(first.process_id, first.version))


def _version_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9:
        abort(400)
    return int(raw)


@bp.route("/procedures/<process_id>/diff")
@capability_required("may_review_procedures")
def diff(process_id: str) -> Any:
    old, new = _version_arg("from"), _version_arg("to")
    with unit_of_work(readonly=True) as session:
        comparison = browserdeploy.compare_versions(session, current_user.login, process_id, old, new)
        html = render_template("deploy/diff.html", c=comparison, diff=comparison.diff,
                               template_events=engine_templates.events(session, process_id))  # adopted, upgraded
    return viewer_page(html)
