"""Incidents: cases the timer worker could not advance, and the Retry that puts one back.

Who sees which (a supervisor their region's, an administrator all) is engine.runtime.incidents'; this
module reads the request, calls it and renders.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import Conflict
from engine.runtime import incidents

from .auth import capability_required
from .database import unit_of_work

bp = Blueprint("incidents", __name__)


@bp.route("/incidents")
@capability_required("may_see_incidents")
def index() -> Any:
    with unit_of_work(readonly=True) as session:  # a stuck writer must not hide the incidents
        found = incidents.incidents(session, current_user.login)
    return render_template("incidents/index.html", found=found)


@bp.route("/incidents/<int:instance_id>/retry", methods=["POST"])
@capability_required("may_see_incidents")
def retry(instance_id: int) -> Any:
    try:
        with unit_of_work() as session:
            case = incidents.retry(session, current_user.login, instance_id)
    except Conflict:
        flash(_("Это дело уже не в списке сбоев: его перезапустили или оно изменилось."), "error")
    else:
        flash(_("Дело № %(n)d возвращено в работу: сроки будут проверены при следующем проходе.", n=case), "info")
    return redirect(url_for("incidents.index"))
