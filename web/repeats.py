"""The curator confirms «повтор сообщения № N» or dismisses a suggested earlier message (Orenburg п. 15,
Kalmanka п. 9), from the message's card or a task page. The rules — who, when, which earlier message —
are engine.runtime.repeats'; this reads the form, calls it once, and goes back where the curator was.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import InvalidSubmission
from engine.runtime import repeats
from engine.texts import render

from .database import unit_of_work
from .extensions import limiter

bp = Blueprint("repeats", __name__)

ACTIONS = ("confirm", "dismiss")
_NUMBER = re.compile(r"[0-9]{1,10}")
_TASK_ID = re.compile(r"[0-9A-Za-z-]{1,64}")
# A curator marks a few messages a minute; more from one address is a script or a stuck button.
RATE = "60/minute"


def _back(message_id: int) -> Any:
    """Back to the task page it was sent from, else the card: no address comes from the request."""
    task_id = request.form.get("task", "")
    if _TASK_ID.fullmatch(task_id):
        return redirect(url_for("tasks.task_page", task_id=task_id), code=303)
    return redirect(url_for("messages.card", message_id=message_id), code=303)


@bp.route("/messages/<int:message_id>/repeat", methods=["POST"])
@login_required
@limiter.limit(RATE)
def mark(message_id: int) -> Any:
    action = request.form.get("action", "")
    number = request.form.get("earlier", "").strip().lstrip("№# ")
    if action not in ACTIONS:
        flash(_("Неизвестное действие."), "error")
        return _back(message_id)
    earlier = int(number) if _NUMBER.fullmatch(number) else None
    try:
        with unit_of_work() as session:
            if action == "confirm":
                repeats.confirm(session, message_id, earlier, current_user.login)
            else:
                repeats.dismiss(session, message_id, earlier, current_user.login)
    except InvalidSubmission as refused:
        flash(_("Повтор не отмечен: %(why)s.", why=render(refused.errors.get("earlier", ""))), "error")
        return _back(message_id)
    if action == "confirm":
        flash(_("Сообщение № %(n)d отмечено как повтор сообщения № %(e)d: ответ должен сообщить о принятых мерах "
                "или о ходе решения вопроса.", n=message_id, e=earlier or 0), "info")
    else:
        flash(_("Сообщение № %(e)d больше не предлагается как ранее рассмотренное.", e=earlier or 0), "info")
    return _back(message_id)
