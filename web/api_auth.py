"""Who calls the API (issue 17): an official by HTTP Basic (their login and password, checked as
sign-in checks it) or by a personal API token (``Authorization: Bearer otk_…``,
engine/directory/api_tokens.py). Never the browser's session cookie: an API view that accepted it
could be driven by any page the official has open (cross-site requests carry the cookie, and the
API is CSRF-exempt because nothing but these headers authenticates it).

A refusal is a Camunda-style JSON 401 (``{"type": "AuthenticationException", "message": …}``) with
``WWW-Authenticate: Basic realm="Otklik"`` — never a redirect to /login. Failed attempts count
per client address and per login against the sign-in rate (``LOGIN_RATE_LIMIT``); only failures
count, so a worker polling with good credentials is never slowed down, while guessing passwords or
tokens is as slow through the API as through the sign-in page.
"""
from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.security import check_password_hash

from engine import texts
from engine.directory import access, api_tokens
from engine.directory import officials as directory
from engine.errors import NotFound
from engine.texts import Text, t

from .database import unit_of_work
from .extensions import csrf, limiter

REALM = 'Basic realm="Otklik"'
MAX_HEADER_CHARS = 4096  # an Authorization header longer than this is not a credential of ours
# A hash to compare against when the login does not exist, so both paths take equally long.
_DUMMY_HASH = "scrypt:32768:8:1$0000000000000000$" + "0" * 128
_LANGUAGES = ("ru", "en")


class _Refused(Exception):
    def __init__(self, text: Text, status: int = 401, retry_after: int | None = None) -> None:
        super().__init__(text.code)
        self.text, self.status, self.retry_after = text, status, retry_after


def api_language() -> str:
    """The language of an API answer: the request's Accept-Language (ru or en), Russian by default.
    A machine has no session to hold a chosen language."""
    return request.accept_languages.best_match(_LANGUAGES) or texts.DEFAULT_LANGUAGE


def api_error(status: int, kind: str, message: Text | str, **headers: str) -> ResponseReturnValue:
    """A Camunda-style JSON error: ``{"type": kind, "message": …}``, the message in the request's
    language. Every API refusal goes through here, so none is HTML or a stack trace."""
    body = {"type": kind, "message": texts.render(message, api_language())}
    # Cyrillic as it is, not \u-escaped: whoever reads the answer with curl reads Russian.
    text = json.dumps(body, ensure_ascii=False)
    return current_app.response_class(text, status=status, headers=headers, mimetype="application/json")


def current_api_login() -> str:
    """The official the API request acts for (their login), inside an ``api_login_required`` view.
    They act as that official: views ask the same policy code the web pages ask."""
    login = g.get("otklik_api_login")
    if login is None:
        raise RuntimeError("current_api_login() outside an api_login_required view")
    return str(login)


def current_api_token_id() -> int | None:
    """The token the request came with (None for Basic), for audit details."""
    token_id = g.get("otklik_api_token")
    return int(token_id) if token_id is not None else None


def _failure_limit() -> Any:
    return parse(current_app.config["LOGIN_RATE_LIMIT"])


def _limited_keys(login: str | None) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [("api-auth", "address", get_remote_address())]
    if login:
        keys.append(("api-auth", "login", login.casefold()))
    return keys


def _check_not_limited(login: str | None) -> None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    item = _failure_limit()
    for key in _limited_keys(login):
        if not limiter.limiter.test(item, *key):
            reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
            seconds = max(1, int(reset_at - time.time()))
            raise _Refused(t("api.rate_limited", seconds=seconds), 429, seconds)


def _count_failure(login: str | None) -> None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    item = _failure_limit()
    for key in _limited_keys(login):
        limiter.limiter.hit(item, *key)


def _basic(encoded: str) -> str:
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _Refused(t("api.basic_malformed")) from None
    login, colon, password = decoded.partition(":")
    if not colon or not login or "\0" in decoded:
        raise _Refused(t("api.basic_malformed"))
    login = login.strip()
    _check_not_limited(login)
    with unit_of_work(readonly=True) as db_session:
        try:
            found = directory.user(db_session, login)
            stored = found.password_hash if found.is_active else None
        except NotFound:
            stored = None
    if not check_password_hash(stored or _DUMMY_HASH, password) or not stored:
        _count_failure(login)
        raise _Refused(t("api.basic_refused"))
    return login


def _bearer(secret: str) -> tuple[str, int | None, str | None]:
    _check_not_limited(None)
    with unit_of_work() as db_session:  # read-write: the token's last use is recorded
        caller = api_tokens.authenticate(db_session, secret)
    if caller is None:
        _count_failure(None)
        raise _Refused(t("api.bearer_refused"))
    return caller.login, caller.token_id, caller.territory


def _authenticate() -> tuple[str, int | None, str | None]:
    header = request.headers.get("Authorization", "")
    if not header:
        raise _Refused(t("api.auth_missing"))
    if len(header) > MAX_HEADER_CHARS:
        raise _Refused(t("api.basic_malformed"), 400)
    scheme, _space, value = header.strip().partition(" ")
    if scheme.lower() == "basic":
        return _basic(value), None, None
    if scheme.lower() == "bearer":
        return _bearer(value.strip())
    raise _Refused(t("api.auth_scheme", scheme=scheme[:32]))


def api_login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """An API view: authenticated by Basic or Bearer (never the session cookie), its refusals and
    its engine texts in the request's Accept-Language, its rights narrowed to the token's territory
    when the token is scoped (engine.directory.access.scoped_to), exempt from CSRF (no cookie authenticates
    it, so a cross-site request has nothing to borrow)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with texts.language(api_language()):
            try:
                login, token_id, territory = _authenticate()
            except _Refused as refused:
                headers = {"WWW-Authenticate": REALM}
                if refused.retry_after is not None:
                    headers["Retry-After"] = str(refused.retry_after)
                kind = "RateLimitException" if refused.status == 429 else (
                    "InvalidRequestException" if refused.status == 400 else "AuthenticationException")
                return api_error(refused.status, kind, refused.text, **headers)
            g.otklik_api_login = login
            g.otklik_api_token = token_id
            # A scoped token acts in its territory only: every rule the view asks reads the grants.
            with access.scoped_to(territory):
                return view(*args, **kwargs)

    csrf.exempt(wrapped)
    return wrapped
