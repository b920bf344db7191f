"""Administration of organisations, officials, roles and substitutes (being built)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from .auth import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@role_required("admin")
def index() -> Any:
    return render_template("base.html")
