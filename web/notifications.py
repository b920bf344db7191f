"""The notification centre (``/notifications``): the signed-in official's own notifications, newest
first, with the case they concern; mark one or all read; the unread count in the header of every page.

Who is told what is the engine's (engine.notifications); this module reads the request, calls it and
renders. Times are shown in the case's territory zone (presentation.local_time).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from engine import clock
from engine.notifications import inbox

from .database import unit_of_work

bp = Blueprint("notifications", __name__)


@dataclass(frozen=True)
class Page:
    """What _pager.html needs."""

    page: int
    pages: int


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


@bp.route("/notifications")
@login_required
def index() -> Any:
    number = _page_number()
    with unit_of_work(readonly=True) as session:
        items, total = inbox.page(session, current_user.login, number)
        unread = inbox.unread_count(session, current_user.login)
    pages = max(1, -(-total // inbox.PAGE_SIZE))
    return render_template("notifications/index.html", items=items, total=total, unread=unread,
                           page=Page(min(number, pages), pages))


@bp.route("/notifications/<int:delivery_id>/read", methods=["POST"])
@login_required
def mark_read(delivery_id: int) -> Any:
    with unit_of_work() as session:
        found = inbox.mark_read(session, current_user.login, delivery_id, clock.now())
    if not found:
        flash(_("Такого уведомления у вас нет."), "error")
    return redirect(url_for(".index", page=request.form.get("page", "1")))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def mark_all_read() -> Any:
    with unit_of_work() as session:
        count = inbox.mark_all_read(session, current_user.login, clock.now())
    flash(_("Отмечено прочитанными: %(n)d.", n=count), "info")
    return redirect(url_for(".index"))


@bp.app_context_processor
def unread_notifications() -> dict[str, Any]:
    """The header's count (base.html), on every page of a signed-in official."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    try:
        with unit_of_work(readonly=True) as session:
            return {"unread_notifications": inbox.unread_count(session, current_user.login)}
    except SQLAlchemyError:  # the error page of a database outage must still render, without the count
        return {"unread_notifications": 0}
