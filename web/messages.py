"""Messages: a curator registers one (with photos and videos), everyone searches the registry
and opens a message's card; attachments are downloaded from here.

Rules (who sees what, what a valid message is, which files are photos or videos) and the
registration's transaction live in engine.directory.policy, engine.runtime.registration and
engine.runtime.attachments; labels and formats in web.presentation. This module reads forms,
shows problems beside the fields in Russian, and keeps what was typed when the form comes back.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine import clock
from engine.calendar.regions import get_region
from engine.errors import AlreadyRegistered, InvalidSubmission, NotFound
from engine.reports import violations as breaches
from engine.runtime import registration
from engine.runtime.attachments import Upload, open_attachment
from engine.runtime.cases import MessageInput
from engine.runtime.next_step import next_steps
from engine.texts import render
from engine.views import message_card as messagecard
from engine.views import registry

from . import next_step
from .auth import capability_required
from .database import unit_of_work
from .presentation import network_label

bp = Blueprint("messages", __name__)

FIELDS = ("region", "network", "url", "author", "text", "posted_at", "detected_at", "repeat_of")
FILTER_ARGS = ("q", "status", "topic", "agency", "overdue", "region")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"
_SUBMISSION_ID = re.compile(r"[0-9a-f]{32}")

PROBLEMS = {"required": _l("Заполните поле."), "too_long": _l("Слишком длинное значение."),
            "bad_url": _l("Укажите адрес страницы, начинающийся с http:// или https://."),
            "future": _l("Это время ещё не наступило: проверьте дату и время."),
            "too_old": _l("Дата больше года назад: регистрируются сообщения за последние 366 дней."),
            "before_posted": _l("Сообщение не может быть выявлено раньше, чем размещено."),
            "other_region": _l("Это сообщение другого региона.")}
UNKNOWN = {"network": _l("Выберите сеть из списка."), "repeat_of_id": _l("Сообщения с таким номером нет.")}


# --------------------------------------------------------------------------- registry

def _filters() -> registry.Filters:
    args = request.args
    try:
        page = int(args.get("page", "1"))
    except ValueError:
        page = 1
    return registry.Filters(text=args.get("q", "")[:200], status=args.get("status", ""), topic=args.get("topic", ""),
                            agency=args.get("agency", ""), overdue=args.get("overdue") == "1",
                            region=args.get("region", ""), page=page)


@bp.route("/messages", endpoint="registry")  # the endpoint name base.html links to
@capability_required("may_read_messages")
def registry_page() -> Any:
    if any(request.args.get(name) for name in breaches.ARGS if name != "region"):
        return _violations_page()
    filters = _filters()
    with unit_of_work(readonly=True) as session:
        page = registry.visible_messages(session, current_user.login, filters, count_limit=registry.COUNT_LIMIT)
        options = registry.filter_options(session, current_user.login)
    args = {k: v for k, v in request.args.items() if k in FILTER_ARGS and v}  # kept across pages
    return render_template("messages/registry.html", page=page, options=options, filters=filters, args=args,
                           topic_labels=dict(options.topics), now=clock.now())


def _violations_page() -> Any:
    """The registry filtered by clause, basis, deadline and period: one row per breach (issue 15),
    what a report's, the heatmap's and the comparison's counts link to. Bad input: 400 naming it."""
    try:
        chosen = breaches.parse_filter(request.args)
    except InvalidSubmission as refused:
        problems = {name: render(problem) for name, problem in refused.errors.items()}
        return render_template("messages/violations.html", page=None, chosen=None, problems=problems, args={},
                               deadline_label=breaches.deadline_label), 400
    with unit_of_work(readonly=True) as session:
        page = breaches.violations_page(session, current_user.login, chosen)
    args = {k: v for k, v in request.args.items() if k in breaches.ARGS and v}  # kept across pages
    return render_template("messages/violations.html", page=page, chosen=chosen, problems={}, args=args,
                           deadline_label=breaches.deadline_label)


# --------------------------------------------------------------------------- registration

def _parse_local(text: str, region: str | None) -> tuple[datetime | None, str | None]:
    """A datetime-local value in the region's zone → (aware datetime, None) or (None, problem)."""
    text = text.strip()
    if not text:
        return None, str(PROBLEMS["required"])
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None, _("Укажите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ.")
    if value.tzinfo is not None:
        return None, _("Укажите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ.")
    if region is None:
        return None, None  # the region's problem is shown; the time stays as typed
    return value.replace(tzinfo=ZoneInfo(get_region(region).timezone)), None


def _uploads() -> list[Upload]:
    return [Upload(f.filename or "", f.mimetype or "", f.stream) for f in request.files.getlist("files") if f]


def _networks(regions: list[str]) -> list[str]:
    """The networks the form offers (those the regions' acts list); registration refuses any other."""
    with unit_of_work(readonly=True) as session:
        return registration.offered_networks(session, regions)


def _form_page(values: dict[str, str], regions: list[str], errors: dict[str, str], file_errors: list[str],
               status: int = 200) -> Any:
    return render_template("messages/register.html", values=values, regions=regions, errors=errors,
                           networks=_networks(regions),
                           file_errors=file_errors,
                           had_files=any(f.filename for f in request.files.getlist("files"))), status


@bp.route("/messages/new", methods=["GET", "POST"])
@capability_required("may_register")
def register() -> Any:
    with unit_of_work(readonly=True) as session:
        regions = registration.registration_regions(session, current_user.login)
    if request.method == "GET":
        region = regions[0] if regions else ""
        now = clock.now().astimezone(ZoneInfo(get_region(region).timezone)) if region else None
        values = dict.fromkeys(FIELDS, "")
        values.update(region=region, network="vk", detected_at=now.strftime(LOCAL_INPUT) if now else "")
        values["submission_id"] = uuid.uuid4().hex  # kept through a re-shown form; see engine.runtime.registration
        return _form_page(values, regions, {}, [])

    values = {name: request.form.get(name, "").strip() if name != "text" else request.form.get(name, "")
              for name in FIELDS}
    submission_id = request.form.get("submission_id", "")
    values["submission_id"] = submission_id if _SUBMISSION_ID.fullmatch(submission_id) else ""
    errors: dict[str, str] = {}
    region = values["region"] or (regions[0] if len(regions) == 1 else "")
    if region not in regions:
        errors["region"] = _("Выберите регион, в котором вы куратор.")
        region = ""
    values["region"] = region
    posted_at, problem = _parse_local(values["posted_at"], region or None)
    if problem:
        errors["posted_at"] = problem
    detected_at, problem = _parse_local(values["detected_at"], region or None)
    if problem:
        errors["detected_at"] = problem
    repeat_of: int | None = None
    if values["repeat_of"]:
        number = values["repeat_of"].lstrip("№# ")
        if number.isdigit() and len(number) < 10:
            repeat_of = int(number)
        else:
            errors["repeat_of"] = _("Укажите номер сообщения цифрами.")
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    files, file_errors = registration.checked_files(_uploads(), max_bytes)
    message = MessageInput(region=region, network=values["network"], url=values["url"], author=values["author"],
                           text=values["text"], posted_at=posted_at, detected_at=detected_at,  # type: ignore[arg-type]
                           repeat_of_id=repeat_of, submission_id=values["submission_id"] or None)
    with unit_of_work(readonly=True) as session:
        for name, code in registration.registration_problems(session, message).items():
            field = "repeat_of" if name == "repeat_of_id" else name
            if code == "not_listed":  # the act lists its sources: say which (Kuzbass п. 4, Smolensk п. 1)
                listed = ", ".join(network_label(key) for key in registration.accepted_networks(session, region))
                errors.setdefault(field, _("Акт региона перечисляет источники, с которыми работает процедура: "
                                           "%(networks)s. Сообщение из другой сети не регистрируется.", networks=listed))
                continue
            errors.setdefault(field, str(UNKNOWN.get(name, "")) if code == "unknown" else str(PROBLEMS.get(code, code)))
    if errors or file_errors:
        return _form_page(values, regions, errors, file_errors, 422)

    try:
        with unit_of_work() as session:
            instance = registration.register_with_attachments(session, message, current_user.login, files,
                                                              upload_dir=current_app.config["UPLOAD_DIR"],
                                                              max_bytes=max_bytes)
            message_id = instance.message_id
    except InvalidSubmission as refused:  # checked above; only a race (e.g. the clock) gets here
        errors = {("repeat_of" if k == "repeat_of_id" else k): str(PROBLEMS.get(v, v)) for k, v in refused.errors.items()}
        return _form_page(values, regions, errors, [], 422)
    except NotFound:
        errors = {"region": _("Для этого региона не развёрнута процедура: обратитесь к аналитику.")}
        return _form_page(values, regions, errors, [], 422)
    except AlreadyRegistered as sent:  # the same form again: a double click, a retry
        flash(_("Эта форма уже зарегистрировала сообщение № %(n)d.", n=sent.message_id), "info")
        return _after_registration(sent.message_id)
    flash(_("Сообщение № %(n)d зарегистрировано, процедура запущена.", n=message_id), "info")
    return _after_registration(message_id)


def _after_registration(message_id: int) -> Any:
    """Straight on to the case's first task when it is the registrar's (the curator's routing), else
    the card with the next step named."""
    with unit_of_work(readonly=True) as session:
        steps = next_steps(session, message_id, current_user.login)
    if steps and steps[0].yours:
        return redirect(url_for("tasks.task_page", task_id=steps[0].task_id))
    next_step.flash_next_step(steps)
    return redirect(url_for("messages.card", message_id=message_id))


# --------------------------------------------------------------------------- card and files

@bp.route("/messages/<int:message_id>")
@capability_required("may_read_messages")
def card(message_id: int) -> Any:
    with unit_of_work(readonly=True) as session:
        found = messagecard.message_card(session, message_id, current_user.login)
    return render_template("messages/card.html", card=found, message=found.message, region=found.message.region)


@bp.route("/attachments/<int:attachment_id>")
@capability_required("may_read_messages")
def attachment(attachment_id: int) -> Any:
    with unit_of_work(readonly=True) as session:
        row, path = open_attachment(session, attachment_id, current_user.login,
                                    upload_dir=current_app.config["UPLOAD_DIR"])
    # Always a download with the type we detected: an uploaded file never renders as our page.
    response = send_file(path, mimetype=row.content_type, as_attachment=True, download_name=row.filename,
                         etag=row.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
