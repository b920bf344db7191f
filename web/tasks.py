"""Inbox, claim/unclaim and task pages: thin views over engine.taskview, engine.claims and engine.runtime."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from engine.directory import officials as directory
from engine.errors import InvalidSubmission, NotFound
from engine.runtime import cases as runtime
from engine.runtime import claims
from engine.runtime.attachments import save_attachment
from engine.views import task as taskview
from engine.views import task_form as taskform

from . import form_render
from .database import unit_of_work

bp = Blueprint("tasks", __name__)


# ---------------------------------------------------------------- template filters

@bp.app_template_filter("tasks_datetime")
def format_datetime(value: datetime | None, timezone: str) -> str:
    """dd.mm.yyyy HH:MM in the given (region's) zone."""
    return value.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M") if value else ""


def _duration(amount: timedelta) -> str:
    minutes = int(abs(amount).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)s ч %(m)s мин", h=hours, m=minutes)
    if hours:
        return _("%(h)s ч", h=hours)
    return _("%(m)s мин", m=minutes)


@bp.app_template_filter("tasks_countdown")
def format_countdown(countdown: taskview.Countdown) -> str:
    if countdown.remaining is None:
        return "—"  # due more than ten years away: not counted (engine.workingtime.MAX_SPAN_DAYS)
    if countdown.overdue:
        if countdown.remaining > -timedelta(minutes=1):
            return _("просрочено (вне рабочего времени)")
        return _("просрочено на %(time)s рабочего времени", time=_duration(countdown.remaining))
    if countdown.remaining <= timedelta(0):
        return _("срок наступит до начала рабочего времени")
    if countdown.remaining < timedelta(minutes=1):
        return _("осталось меньше минуты рабочего времени")
    return _("осталось %(time)s рабочего времени", time=_duration(countdown.remaining))


@bp.app_template_filter("tasks_network")
def format_network(network: str) -> str:
    names = {"vk": _("ВКонтакте"), "ok": _("Одноклассники"), "telegram": _("Telegram"), "blog": _("Блог"),
             "site": _("Сайт"), "messenger": _("Мессенджер")}
    return names.get(network, network)


# ---------------------------------------------------------------- inbox, claims

@bp.route("/")
def home() -> Any:
    return redirect(url_for("tasks.inbox"))


@bp.route("/inbox")
@login_required
def inbox() -> Any:
    login = current_user.login
    with unit_of_work(readonly=True) as session:
        found = taskview.inbox_page(session, login, request.args.get("page", 1, type=int) or 1)
        page = render_template("tasks/inbox.html", rows=found.rows, page=found)
    return page


def _back(task_id: str) -> Any:
    # Only two places to go back to: no redirect target comes from the request.
    if request.form.get("back") == "task":
        return redirect(url_for("tasks.task_page", task_id=task_id), code=303)
    return redirect(url_for("tasks.inbox"), code=303)


@bp.route("/tasks/<task_id>/claim", methods=["POST"])
@login_required
def claim(task_id: str) -> Any:
    login = current_user.login
    try:
        with unit_of_work() as session:
            task = claims.claim(session, task_id, login)
            name = task.name
    except claims.ClaimedByOther as error:
        flash(_("Задачу «%(task)s» уже взял(а) в работу %(name)s.", task=error.task_name,
                name=_full_name(error.claimed_by)), "error")
        return _back(task_id)
    flash(_("Задача «%(task)s» у вас в работе.", task=name), "info")
    return _back(task_id)


@bp.route("/tasks/<task_id>/unclaim", methods=["POST"])
@login_required
def unclaim(task_id: str) -> Any:
    login = current_user.login
    with unit_of_work() as session:
        task = claims.unclaim(session, task_id, login)
        name = task.name
    flash(_("Задача «%(task)s» возвращена в общий список.", task=name), "info")
    return _back(task_id)


def _full_name(login: str) -> str:
    with unit_of_work(readonly=True) as session:
        try:
            return directory.user(session, login).full_name
        except NotFound:
            return login


def _claimed_page(error: claims.ClaimedByOther) -> Any:
    name = _full_name(error.claimed_by)
    advice = _("Задачу «%(task)s» взял(а) в работу %(name)s: выполнить её может только он(а). Дождитесь, пока "
               "задачу выполнят или вернут в общий список, или попросите куратора снять её с исполнителя.",
               task=error.task_name, name=name)
    return render_template("error.html", code=409, title=_("Задача в работе у другого сотрудника"), advice=advice), 409


# ---------------------------------------------------------------- the task page

def _render(view: taskview.TaskView, *, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
            hidden: frozenset[str] | None = None, kept_files: dict[str, list[str]] | None = None,
            files_lost: list[str] | None = None) -> str:
    widgets = form_render.build(view.form, {**view.values, **(values or {})}, view.options,
                                view.hidden if hidden is None else hidden, errors,
                                kept_files=kept_files, files_lost=files_lost or (),
                                file_names=view.attachments) if view.form else []
    context = form_render.condition_context(view.form, view.context) if view.form else {}
    return render_template("tasks/task.html", view=view, form_widgets=widgets, errors=errors or {},
                           condition_context=context)


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
@login_required
def task_page(task_id: str) -> Any:
    login = current_user.login
    if request.method == "GET":
        with unit_of_work(readonly=True) as session:
            view = taskview.task_view(session, task_id, login)
            page = _render(view)
        return page
    try:
        with unit_of_work() as session:
            view = taskview.task_view(session, task_id, login)
            submission = form_render.read_submission(view.form, request.form, request.files, view.values) \
                if view.form else form_render.Submission({}, {})
            try:
                name = _complete(session, view, submission, login)
            except InvalidSubmission as error:
                session.rollback()  # nothing of this attempt is kept (uploads included)
                view = taskview.task_view(session, task_id, login)
                page = _render(view, values=submission.values, errors=error.errors,
                               hidden=taskform.hidden_for_submission(view, submission.values),
                               kept_files={k: v for k, v in submission.values.items() if k in submission.files},
                               files_lost=[k for k, files in submission.files.items() if files])
                return page, 422
    except claims.ClaimedByOther as error:
        return _claimed_page(error)
    flash(_("Задача выполнена: «%(task)s».", task=name), "info")
    return redirect(url_for("tasks.inbox"), code=303)


def _complete(session: Session, view: taskview.TaskView, submission: form_render.Submission, login: str) -> str:
    """Check the form, store the uploads, complete the task; InvalidSubmission leaves nothing stored."""
    claims.ensure_may_complete(view.task, login)  # someone else's claim: 409 before any form check
    values = dict(submission.values)
    # Check first, with placeholders for the new files, so a form with a typo stores no uploads.
    pending = {key: [*values.get(key, []), *(f"upload-{i}" for i in range(len(files)))]
               for key, files in submission.files.items()}
    taskform.check_submission(session, view, {**values, **pending})
    for key, files in submission.files.items():
        if files:
            values[key] = [*values.get(key, []), *_save_uploads(session, view, key, files, login)]
    task = runtime.complete_task(session, view.task.id, login, values)
    return task.name


def _save_uploads(session: Session, view: taskview.TaskView, key: str, files: list[Any], login: str) -> list[str]:
    ids = []
    for upload in files:
        try:
            saved = save_attachment(
                session, data=upload.read(), filename=upload.filename or "file", content_type=upload.mimetype or "",
                message_id=view.task.message_id, uploaded_by=login, organisation_key=view.task.organisation_key,
                upload_dir=current_app.config["UPLOAD_DIR"], max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
                task_id=view.task.id)
        except ValueError as error:  # empty, too large, not a photo or video (the text names the file)
            raise InvalidSubmission({key: str(error)}) from None
        ids.append(str(saved.id))
    return ids
