"""Message registration, registry and card (being built; see the web issue)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from .auth import role_required

bp = Blueprint("messages", __name__)


@bp.route("/messages")
@role_required("curator", "executor", "supervisor", "regulator")
def registry() -> Any:
    return render_template("base.html")


@bp.route("/messages/new", methods=["GET", "POST"])
@role_required("curator")
def register() -> Any:
    return render_template("base.html")
