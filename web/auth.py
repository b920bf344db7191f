"""Sign-in and sign-out (Flask-Login), rate-limited; the role guard for views."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from engine import directory
from engine.errors import NotFound

from .database import unit_of_work
from .extensions import limiter, login_manager

bp = Blueprint("auth", __name__)

MAX_REDIRECT_CHARS = 2000  # a longer "next" is not a page of ours
# A hash to compare against when the login does not exist, so both paths take equally long.
_DUMMY_HASH = "scrypt:32768:8:1$0000000000000000$" + "0" * 128


class WebUser(UserMixin):
    """The signed-in official: login, name and current roles (re-read on every request)."""

    def __init__(self, login: str, full_name: str, roles: list[directory.Role]) -> None:
        self.id = login
        self.login = login
        self.full_name = full_name
        self.roles = roles

    def has_role(self, *names: str) -> bool:
        return any(r.role in names for r in self.roles)

    @property
    def regions(self) -> set[str]:
        return {r.region for r in self.roles}


@login_manager.user_loader
def load_user(login: str) -> WebUser | None:
    with unit_of_work(readonly=True) as db_session:
        try:
            found = directory.user(db_session, login)
        except NotFound:
            return None
        if not found.is_active:
            return None
        return WebUser(found.login, found.full_name, directory.roles_of(db_session, login))


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed in and holding one of ``roles`` (403 otherwise)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None. Only same-site paths: an open redirect
    would let a phishing link borrow our login page. Browsers read ``\\`` as ``/`` (so ``/\\evil``
    is ``//evil``, another host), and a control character (CR/LF) cannot go into a Location
    header at all — Werkzeug refuses it with a 500."""
    if not target or len(target) > MAX_REDIRECT_CHARS or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    return target if not parts.scheme and not parts.netloc else None


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("tasks.inbox")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Any:
    if request.method == "POST":
        login_name = request.form.get("login", "").strip()
        password = request.form.get("password", "")
        with unit_of_work() as db_session:
            try:
                found = directory.user(db_session, login_name)
                stored = found.password_hash if found.is_active else None
            except NotFound:
                stored = None
        if check_password_hash(stored or _DUMMY_HASH, password) and stored:
            with unit_of_work() as db_session:
                roles = directory.roles_of(db_session, login_name)
            login_user(WebUser(login_name, found.full_name, roles))
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Неверный логин или пароль."), "error")
        return render_template("login.html", login=login_name), 401
    return render_template("login.html", login="")


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    logout_user()
    flash(_("Вы вышли из системы."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/locale/<code>", methods=["POST"])
def set_locale(code: str) -> Any:
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(_safe_next(request.form.get("next")))
