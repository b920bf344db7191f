"""Bulk import in the browser (issue 17 §2): a curator uploads a monitoring system's export (CSV or
XLSX), the worker takes it in as a background job, the job's page shows its progress (a small
script polls the JSON status; without script, the page reloads itself) and the refused rows in
words, with the same as a downloadable report.

Who may upload and see a job, what a file may be, how rows become messages and the bounds (size,
rows, unfinished jobs, uploads a day) are engine.runtime.import_jobs' and engine.views.import_job's;
this module reads the form, calls one engine function and renders or answers.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import Forbidden, InvalidSubmission, NotFound
from engine.runtime import import_file, import_jobs
from engine.runtime.registration import registration_regions
from engine.texts import render
from engine.views import import_job as view

from .auth import capability_required
from .database import unit_of_work

bp = Blueprint("imports", __name__)


def _refusal_words(problem: str) -> str:
    limit_mib = import_file.MAX_FILE_BYTES // (1024 * 1024)
    return {
        "kind": _("Загрузите файл CSV или XLSX."),
        "empty": _("Файл пуст."),
        "too_large": _("Файл больше %(mib)d МиБ: разделите выгрузку на части.", mib=limit_mib),
        "missing": _("Выберите файл."),
        "region": _("Выберите территорию, в которой вы куратор."),
        "too_many_open": _("У вас уже %(n)d незавершённые загрузки: дождитесь их окончания.",
                           n=import_jobs.MAX_OPEN_JOBS),
        "too_many_today": _("За сутки можно загрузить не больше %(n)d файлов.", n=import_jobs.MAX_JOBS_PER_DAY),
    }.get(problem, problem)


def _page(error: str | None = None, region: str = "", status: int = 200) -> Any:
    with unit_of_work(readonly=True) as session:
        regions = registration_regions(session, current_user.login)
        jobs = view.recent_jobs(session, current_user.login)
    return render_template("imports/upload.html", regions=regions, jobs=jobs, error=error,
                           chosen=region or (regions[0] if regions else ""), headers=import_file.HEADERS,
                           required=import_file.REQUIRED, max_mib=import_file.MAX_FILE_BYTES // (1024 * 1024),
                           max_rows=import_file.MAX_ROWS), status


@bp.route("/messages/import", methods=["GET", "POST"])
@capability_required("may_register")
def upload() -> Any:
    if request.method == "GET":
        return _page()
    region = request.form.get("region", "")[:32]
    file = request.files.get("file")
    if file is None or not file.filename:
        return _page(_refusal_words("missing"), region, 422)
    content = file.stream.read(import_file.MAX_FILE_BYTES + 1)  # one byte over the limit is enough to refuse
    try:
        with unit_of_work() as session:
            job_id = import_jobs.create_job(session, current_user.login, region, file.filename, content)
    except Forbidden:
        return _page(_refusal_words("region"), region, 403)
    except InvalidSubmission as refused:
        return _page(" ".join(_refusal_words(str(code)) for code in refused.errors.values()), region, 422)
    return redirect(url_for("imports.job", job_id=job_id), 303)


@bp.route("/messages/import/<int:job_id>")
@capability_required("may_register")
def job(job_id: int) -> Any:
    with unit_of_work(readonly=True) as session:
        page = view.job_page(session, job_id, current_user.login)  # NotFound → the friendly 404
    return render_template("imports/job.html", page=page, job=page.status, limit=view.PAGE_ERRORS)


@bp.route("/messages/import/<int:job_id>/status")
@capability_required("may_register")
def status(job_id: int) -> Response:
    try:
        with unit_of_work(readonly=True) as session:
            found = view.job_status(session, job_id, current_user.login)
    except NotFound as missing:
        response = jsonify({"error": render(missing.args[0]) if missing.args else "not found"})
        response.status_code = 404
        return response
    response = jsonify(found.as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/messages/import/<int:job_id>/errors.csv")
@capability_required("may_register")
def errors(job_id: int) -> Response:
    with unit_of_work(readonly=True) as session:
        report = view.error_report(session, job_id, current_user.login)
    return current_app.response_class(report, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="import-{job_id}-errors.csv"'})
