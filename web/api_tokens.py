"""Personal API tokens in the browser (issue 17): an official's own (/account/tokens) and, for the
administrator, any official's (/admin/officials/<login>/tokens). The rules — limits, expiry, who
the token acts for, audit — are engine.directory.api_tokens'; a new secret is shown on the page
answering its creation and nowhere else (no redirect, no flash, nothing cached)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.directory import api_tokens
from engine.directory import officials as directory
from engine.errors import Conflict, NotFound
from engine.texts import render

from .auth import capability_required
from .database import unit_of_work

bp = Blueprint("api_tokens", __name__)

NO_EXPIRY = "never"


def _expiry(value: str | None) -> int | None:
    """The chosen lifetime in days (one of the offered ones), None for no expiry."""
    if value == NO_EXPIRY:
        return None
    try:
        days = int(value or "")
    except ValueError:
        return api_tokens.EXPIRY_CHOICES[0]
    return days


def _reader_region() -> str:
    """The territory whose clock the page's times are read on: the reader's first region."""
    return sorted(current_user.regions)[0] if current_user.regions else ""


def _page(login: str, *, admin: bool, secret: str | None = None, error: str | None = None,
          name: str = "", status: int = 200) -> Any:
    with unit_of_work(readonly=True) as session:
        owner = directory.user(session, login)  # NotFound → the friendly 404 page
        tokens = api_tokens.tokens_of(session, login)
        choices = api_tokens.territory_choices(session, login)
    names = {choice.key: choice.name for choice in choices}
    return render_template("account/tokens.html", owner=owner, tokens=tokens, admin=admin, secret=secret,
                           error=error, name=name, region=_reader_region(), territories=choices,
                           territory_names=names,
                           expiry_choices=api_tokens.EXPIRY_CHOICES, no_expiry=NO_EXPIRY,
                           limit=api_tokens.MAX_ACTIVE_PER_USER), status


def _create(login: str, *, admin: bool) -> Any:
    name = request.form.get("name", "")
    territory = request.form.get("territory", "").strip()[:64] or None  # "": all the owner's territories
    try:
        with unit_of_work() as session:
            _info, secret = api_tokens.create_token(session, login, name, _expiry(request.form.get("expires")),
                                                    current_user.login, territory)
    except (ValueError, Conflict) as refused:
        return _page(login, admin=admin, error=render(refused.args[0]), name=name, status=400)
    body, status = _page(login, admin=admin, secret=secret)
    # The secret is on this page only: no browser or proxy may keep a copy of it.
    return body, status, {"Cache-Control": "no-store"}


def _revoke(login: str, token_id: int) -> None:
    try:
        with unit_of_work() as session:
            revoked = api_tokens.revoke_token(session, login, token_id, current_user.login)
    except NotFound:
        flash(_("Такого токена нет."), "error")
        return
    flash(_("Токен «%(name)s» отозван: с ним больше не войти.", name=revoked.name), "info")


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def own_tokens() -> Any:
    if request.method == "POST":
        return _create(current_user.login, admin=False)
    return _page(current_user.login, admin=False)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_own(token_id: int) -> Any:
    _revoke(current_user.login, token_id)
    return redirect(url_for(".own_tokens"))


@bp.route("/admin/officials/<login>/tokens", methods=["GET", "POST"])
@capability_required("may_administer")
def official_tokens(login: str) -> Any:
    if request.method == "POST":
        return _create(login, admin=True)
    return _page(login, admin=True)


@bp.route("/admin/officials/<login>/tokens/<int:token_id>/revoke", methods=["POST"])
@capability_required("may_administer")
def revoke_officials(login: str, token_id: int) -> Any:
    _revoke(login, token_id)
    return redirect(url_for(".official_tokens", login=login))
