"""Inbox, claim/unclaim and task pages: thin views over engine.views.task, engine.runtime.claims and
engine.runtime.completion. Countdowns, dates and network names: web.presentation."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.directory import officials as directory
from engine.errors import NotFound
from engine.runtime import claims, completion
from engine.runtime import task_forms as taskform
from engine.runtime.attachments import Upload
from engine.views import task as taskview

from . import form_render, next_step
from .database import unit_of_work

bp = Blueprint("tasks", __name__)


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
    fields = {key: request.form.getlist(key) for key in request.form}
    files = {key: [Upload(f.filename, f.mimetype or "", f.stream) for f in request.files.getlist(key) if f and f.filename]
             for key in request.files}
    try:
        with unit_of_work() as session:
            done = completion.complete_from_page(session, task_id, login, fields, files,
                                                 upload_dir=current_app.config["UPLOAD_DIR"],
                                                 max_bytes=current_app.config["MAX_UPLOAD_BYTES"])
    except claims.ClaimedByOther as error:
        return _claimed_page(error)
    except completion.SubmissionRefused as refused:  # rolled back: nothing of this attempt is kept
        values = refused.submission.values
        with unit_of_work(readonly=True) as session:
            view = taskview.task_view(session, task_id, login)
            page = _render(view, values=values, errors=refused.errors,
                           hidden=taskform.hidden_for_submission(view, values),
                           kept_files=refused.kept_files, files_lost=refused.files_lost)
        return page, 422
    next_step.flash_outcome(done.task.name, done.chosen)
    next_step.flash_next_step(done.next_steps)
    return redirect(url_for("tasks.inbox"), code=303)

