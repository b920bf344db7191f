"""Inbox and task pages (being built; see the web issue)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required

bp = Blueprint("tasks", __name__)


@bp.route("/")
def home() -> Any:
    return redirect(url_for("tasks.inbox"))


@bp.route("/inbox")
@login_required
def inbox() -> Any:
    return render_template("base.html")
