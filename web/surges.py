"""Surges of social activity (Orenburg п. 21, Smolensk п. 15): the list and one surge with its messages.

Who sees which territory's surges is engine.surges.listing's (engine.directory.policy.surge_regions; the
page is offered to those who read messages, the engine refuses the others); this module reads the
request, calls it and renders.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from engine.surges import listing

from .auth import capability_required
from .database import unit_of_work

bp = Blueprint("surges", __name__)


@bp.route("/surges")
@capability_required("may_read_messages")
def index() -> Any:
    with unit_of_work(readonly=True) as session:
        found, total = listing.surges_for(session, current_user.login)
    return render_template("surges/index.html", found=found, total=total, recipients=listing.recipients_text)


@bp.route("/surges/<int:surge_id>")
@capability_required("may_read_messages")
def surge(surge_id: int) -> Any:
    with unit_of_work(readonly=True) as session:
        item, messages = listing.surge_for(session, current_user.login, surge_id)
    return render_template("surges/surge.html", surge=item, messages=messages, recipients=listing.recipients_text)
