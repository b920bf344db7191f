"""Sign-in and sign-out (Flask-Login), rate-limited; the capability guard for views and the
capabilities every template reads (engine.directory.policy decides them)."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from engine import clock
from engine.directory import officials as directory
from engine.directory.policy import CAPABILITIES, NOTHING, Capabilities
from engine.errors import NotFound

from .database import unit_of_work
from .extensions import limiter, login_manager

bp = Blueprint("auth", __name__)

MAX_REDIRECT_CHARS = 2000  # a longer "next" is not a page of ours
# A hash to compare against when the login does not exist, so both paths take equally long.
_DUMMY_HASH = "scrypt:32768:8:1$0000000000000000$" + "0" * 128


class WebUser(UserMixin):
    """The signed-in official: login, name, current roles and what they allow (re-read on every
    request, so a granted or revoked role counts from the next page)."""

    def __init__(self, login: str, full_name: str, roles: list[directory.Role]) -> None:
        self.id = login
        self.login = login
        self.full_name = full_name
        self.roles = roles
        self.capabilities = Capabilities.of(r.role for r in roles)

    @property
    def regions(self) -> set[str]:
        return {r.region for r in self.roles}


# What a signed-in session holds besides Flask-Login's own keys: the user's session epoch at
# sign-in and two instants (seconds, engine.clock) for the idle and absolute timeouts.
_SESSION_KEYS = ("_user_id", "_fresh", "_id", "epoch", "signed_in", "seen")


def _start_session(epoch: int) -> None:
    """A fresh session for a sign-in: nothing of the anonymous one is kept but the language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    now = int(clock.now().timestamp())
    session.update(epoch=epoch, signed_in=now, seen=now)
    session.permanent = True


def _session_is_current(epoch: int) -> bool:
    """Signed in with the user's current epoch (no sign-out, new password or deactivation since),
    within the absolute lifetime, and active within the idle timeout. Sessions are signed cookies
    the server cannot revoke; this is what ends them."""
    signed_in, seen = session.get("signed_in"), session.get("seen")
    if session.get("epoch") != epoch or not isinstance(signed_in, int) or not isinstance(seen, int):
        return False
    now = int(clock.now().timestamp())
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    lifetime = current_app.config["SESSION_MAX_AGE"].total_seconds()
    if now - seen > idle or now - signed_in > lifetime:
        return False
    session["seen"] = now
    return True


def keep_current_session(epoch: int) -> None:
    """After the official changed their own password: this browser stays signed in, every other
    session (signed in with the old password) has ended."""
    session["epoch"] = epoch


def _forget_session() -> None:
    for key in _SESSION_KEYS:
        session.pop(key, None)


@login_manager.user_loader
def load_user(login: str) -> WebUser | None:
    # Also reached from Flask-Login's remember-me cookie (never issued here): such a session has
    # no epoch and is refused like any other.
    with unit_of_work(readonly=True) as db_session:
        try:
            found = directory.user(db_session, login)
        except NotFound:
            return None
        if not found.is_active:
            _forget_session()
            return None
        if not _session_is_current(found.session_epoch):
            _forget_session()
            flash(_("Сеанс завершён: войдите снова."), "info")
            return None
        return WebUser(found.login, found.full_name, directory.roles_of(db_session, login))


def capability_required(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed in and allowed ``name`` by the access policy (403 otherwise). The name is checked
    when the view is declared, so a misspelt capability fails at start-up, not as a 403."""
    if name not in CAPABILITIES:
        raise KeyError(f"no capability '{name}'; use one of: {', '.join(CAPABILITIES)}")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.capabilities.allows(name):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


@bp.app_context_processor
def capabilities() -> dict[str, Capabilities]:
    """Templates show a link by what the user may open (``capabilities.may_deploy``), never by
    role names."""
    return {"capabilities": current_user.capabilities if current_user.is_authenticated else NOTHING}


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
            _start_session(found.session_epoch)
            login_user(WebUser(login_name, found.full_name, roles))
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Неверный логин или пароль."), "error")
        return render_template("login.html", login=login_name), 401
    return render_template("login.html", login="")


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    # Every session of the official ends, not only this cookie: a copy of it (another device, a
    # shared computer's browser profile) would otherwise stay signed in.
    with unit_of_work() as db_session:
        directory.end_sessions(db_session, current_user.login)
    logout_user()
    _forget_session()
    flash(_("Вы вышли из системы."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/locale/<code>", methods=["POST"])
def set_locale(code: str) -> Any:
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(_safe_next(request.form.get("next")))
